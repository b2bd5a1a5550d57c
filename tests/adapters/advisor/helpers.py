"""The workspace's test server and a signed-in browser (shared by the workspace tests)."""

from __future__ import annotations

import aiohttp
from aiohttp import web

from bot.config import Settings
from bot.server import create_app
from bot.service import ConversationService
from knowledge.triage import Advisor

CAMERAS = "We willen met camera's en gezichtsherkenning mensen op het station identificeren."


class Server:
    def __init__(self, runner: web.AppRunner, service: ConversationService) -> None:
        self.runner = runner
        self.service = service
        self.url = f"http://127.0.0.1:{runner.addresses[0][1]}"

    def browser(self) -> aiohttp.ClientSession:
        """A browser of its own: cookies (also for 127.0.0.1), no automatic redirects."""
        return aiohttp.ClientSession(
            self.url, cookie_jar=aiohttp.CookieJar(unsafe=True), raise_for_status=False
        )


async def start(settings: Settings, advisor: Advisor) -> Server:
    service = ConversationService.from_settings(settings, advisor)
    runner = web.AppRunner(create_app(settings, service), handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", settings.port).start()
    return Server(runner, service)


async def sign_in(
    server: Server,
    browser: aiohttp.ClientSession,
    email: str = "ad@prov.nl",
    role: str = "adviseur",
) -> str:
    token = await server.service.call(server.service.store.create_invite, email, role)
    async with browser.get(f"/advisor/login/{token}", allow_redirects=False) as resp:
        # Opening the link only shows the button: a link scanner's GET uses nothing up.
        assert resp.status == 200 and 'method="post"' in await resp.text()
    async with browser.post(f"/advisor/login/{token}", allow_redirects=False) as resp:
        assert resp.status == 303 and resp.headers["Location"] == "/advisor/"
        cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/advisor" in cookie
    async with browser.get("/advisor/api/me") as resp:
        me = await resp.json()
    assert me["email"] == email
    return str(me["csrf"])


async def employee_answers(server: Server, outcome_id: str, text: str) -> None:
    """Store an employee's answer about their triage, as the chat does."""
    await server.service.call(
        server.service.store.add_entry,
        outcome_id,
        "bericht",
        "medewerker",
        {"sender": "medewerker", "text": text},
    )
