"""The error boundary on the real server: every bad request a clear JSON answer in the caller's
language, never a 500 or a traceback for bad input, and never user text in the log."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.edge import error_boundary
from bot.server import create_app
from bot.service import ConversationService
from bot.storage import Store
from dialogs.engine import Engine
from knowledge.triage import Advisor

Client = TestClient[web.Request, web.Application]
SECRET = "Jansen woont op de Dorpsstraat 12"


@pytest.fixture
async def client(advisor: Advisor, tmp_path: Path) -> AsyncIterator[Client]:
    service = ConversationService(Engine(advisor), Store.open(tmp_path / "edge.db"))
    app = create_app(Settings(db_path=tmp_path / "edge.db"), service)
    async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as c:
        yield c
    service.close()


async def _session(client: Client) -> str:
    resp = await client.post("/api/session")
    token = (await resp.json())["session"]
    assert isinstance(token, str)
    return token


async def _error(resp: object, status: int) -> dict[str, object]:
    assert isinstance(resp, ClientResponse)
    assert resp.status == status, await resp.text()
    assert resp.content_type == "application/json"
    body = await resp.json()
    assert body["error"]["nl"] and body["error"]["en"]
    assert "Traceback" not in await resp.text()
    return dict(body)


@pytest.mark.parametrize("typed", ["⓵", "፩", "١", "²", "9" * 5000, "0", "-1", "1e3"])
async def test_odd_numbers_typed_at_a_choice_get_an_answer(client: Client, typed: str) -> None:
    token = await _session(client)
    resp = await client.post(
        "/api/chat", json={"session": token, "text": "Mogen we drones inzetten boven weilanden?"}
    )
    assert resp.status == 200
    resp = await client.post("/api/chat", json={"session": token, "text": typed})
    assert resp.status == 200, await resp.text()
    assert (await resp.json())["replies"]


async def test_deeply_nested_json_is_refused(client: Client) -> None:
    body = "[" * 5000 + "]" * 5000
    resp = await client.post("/api/chat", data=body, headers={"Content-Type": "application/json"})
    answer = await _error(resp, 400)
    assert "genest" in str(answer["message"])


async def test_brackets_inside_strings_do_not_count_as_nesting(client: Client) -> None:
    token = await _session(client)
    resp = await client.post("/api/chat", json={"session": token, "text": "[" * 100 + " drones"})
    assert resp.status == 200


async def test_a_bogus_charset_gets_415(client: Client) -> None:
    resp = await client.post(
        "/api/chat", data=b"{}", headers={"Content-Type": "application/json; charset=bogus"}
    )
    await _error(resp, 415)


async def test_a_form_where_json_is_expected_gets_415(client: Client) -> None:
    resp = await client.post("/api/chat", data={"session": "x"})
    await _error(resp, 415)


async def test_a_lone_surrogate_is_refused(client: Client) -> None:
    token = await _session(client)
    body = '{"session": "' + token + '", "text": "drones \\ud800 boven"}'
    resp = await client.post("/api/chat", data=body, headers={"Content-Type": "application/json"})
    await _error(resp, 400)


async def test_control_characters_are_dropped_and_the_turn_goes_on(client: Client) -> None:
    token = await _session(client)
    text = "Mogen we\x00 drones\x1b inzetten\x7f boven weilanden?"
    resp = await client.post("/api/chat", json={"session": token, "text": text})
    assert resp.status == 200
    assert "\x00" not in await resp.text()


async def test_invalid_utf8_is_refused(client: Client) -> None:
    resp = await client.post(
        "/api/chat", data=b'{"text": "\xff\xfe"}', headers={"Content-Type": "application/json"}
    )
    await _error(resp, 400)


async def test_a_body_over_the_limit_gets_413(client: Client) -> None:
    resp = await client.post(
        "/api/chat",
        data=b'{"text": "' + b"a" * (2 * 1024 * 1024) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    await _error(resp, 413)


async def test_a_wrong_method_gets_405_with_allow(client: Client) -> None:
    resp = await client.get("/api/chat")
    await _error(resp, 405)
    assert "POST" in resp.headers["Allow"]


async def test_the_answer_follows_accept_language(client: Client) -> None:
    resp = await client.get("/nope", headers={"Accept-Language": "en-GB,en;q=0.9"})
    answer = await _error(resp, 404)
    assert answer["message"] == "Not Found"
    resp = await client.get("/nope", headers={"Accept-Language": "nl-NL"})
    answer = await _error(resp, 404)
    assert answer["message"] == "Niet gevonden."


async def test_a_fault_in_a_handler_is_a_json_500_and_one_log_line_without_user_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError(SECRET)

    async def bad_number(request: web.Request) -> web.Response:
        int(SECRET)
        return web.Response()

    app = web.Application(middlewares=[error_boundary])
    app.router.add_get("/broken", broken)
    app.router.add_get("/number", bad_number)
    caplog.set_level(logging.INFO, logger="ethiekbot.edge")
    async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as c:
        await _error(await c.get("/broken"), 500)
        await _error(await c.get("/number"), 400)
    records = [r for r in caplog.records if r.name == "ethiekbot.edge"]
    assert len(records) == 2
    for record in records:
        assert SECRET not in record.getMessage()
        assert record.exc_info is None
    assert "RuntimeError at test_edge.py:" in records[0].getMessage()


async def test_every_response_carries_the_security_headers(client: Client) -> None:
    token = await _session(client)
    checks = [
        await client.get("/"),
        await client.get("/privacy"),
        await client.get("/static/chat.js"),
        await client.get("/healthz"),
        await client.get("/nope"),
        await client.post("/api/session"),
        await client.post("/api/chat", json={"session": token, "text": "hallo"}),
        await client.post("/api/chat", data=b"[", headers={"Content-Type": "application/json"}),
        await client.post("/api/report/T-abcdef", json={"session": token}),
        await client.get("/advisor/"),
    ]
    for resp in checks:
        where = f"{resp.method} {resp.url.path} {resp.status}"
        assert resp.headers.get("X-Content-Type-Options") == "nosniff", where
        # The workspace sends no referrer to other sites either; see adapters/advisor/pages.py
        # for why its own form posts need "same-origin".
        policy = "same-origin" if resp.url.path.startswith("/advisor") else "no-referrer"
        assert resp.headers.get("Referrer-Policy") == policy, where
        if resp.content_type == "text/html":
            assert "default-src" in resp.headers.get("Content-Security-Policy", ""), where
        if not resp.url.path.startswith("/static/"):
            assert resp.headers.get("Cache-Control") == "no-store", where


async def test_a_post_from_another_website_is_refused(client: Client) -> None:
    token = await _session(client)
    resp = await client.post(
        "/api/chat",
        json={"session": token, "text": "hallo"},
        headers={"Origin": "https://evil.example"},
    )
    answer = await _error(resp, 403)
    assert "andere website" in str(answer["message"])
    own = f"http://{client.host}:{client.port}"
    resp = await client.post(
        "/api/chat", json={"session": token, "text": "hallo"}, headers={"Origin": own}
    )
    assert resp.status == 200


async def test_with_a_public_url_another_host_is_refused(advisor: Advisor, tmp_path: Path) -> None:
    service = ConversationService(Engine(advisor), Store.open(tmp_path / "host.db"))
    settings = Settings(db_path=tmp_path / "host.db", public_url="https://ethiek.example.nl")
    app = create_app(settings, service)
    async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as c:
        await _error(await c.post("/api/session"), 421)
        resp = await c.post("/api/session", headers={"Host": "ethiek.example.nl"})
        assert resp.status == 200
        resp = await c.post(
            "/api/chat",
            json={"session": (await resp.json())["session"], "text": "hallo"},
            headers={"Host": "ethiek.example.nl", "Origin": "https://ethiek.example.nl"},
        )
        assert resp.status == 200
        assert (await c.get("/healthz")).status == 200  # the platform's probe uses its own host
    service.close()
