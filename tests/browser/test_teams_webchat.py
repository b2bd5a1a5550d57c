"""End to end with Microsoft's own client: Web Chat → offline-directline → our /api/messages.

* Our server (``live_server`` from ``conftest.py``: the real app, authentication off) serves the
  Bot Framework endpoint ``/api/messages``.
* offline-directline (npm, in ``tests/webchat``; ``make node`` installs it) emulates Direct Line
  for the client and the connector for the bot, on 127.0.0.1: the ``serviceUrl`` it gives is a
  loopback one, which our server accepts without authentication.
* A tiny page (``tests/webchat/index.html``) loads ``botframework-webchat``'s bundle from
  ``node_modules`` through a local aiohttp route (no CDN) and renders Web Chat against it.
* Headless Chromium (the ``browser`` fixture) types a question, sees the first impression as an
  Adaptive Card, presses "Alleen het advies" and gets the outcome card.

Nothing is skipped: without node or the npm packages the test fails and says what to run.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from playwright.sync_api import Browser, expect

from tests.browser.conftest import TIMEOUT_MS, LiveServer
from tests.conftest import REPO_ROOT
from tests.threaded_app import ThreadedApp

WEBCHAT_DIR = REPO_ROOT / "tests" / "webchat"
WEBCHAT_JS = WEBCHAT_DIR / "node_modules" / "botframework-webchat" / "dist" / "webchat.js"
DIRECTLINE_JS = WEBCHAT_DIR / "directline.js"
OFFLINE_DIRECTLINE = WEBCHAT_DIR / "node_modules" / "offline-directline" / "package.json"
QUESTION = "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?"
DRONES_CASE = "Drones en AI om subsidie voor bloem- en kruidenrijke weilanden te controleren"
SCREENSHOT = Path("/tmp/ethiekbot-teams-webchat.png")


def _require_node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: the Web Chat test needs Node.js (20+).", pytrace=False)
    for path in (WEBCHAT_JS, OFFLINE_DIRECTLINE):
        if not path.is_file():
            pytest.fail(
                f"{path} is missing: run `make node` (npm ci in tests/webchat).", pytrace=False
            )
    return node


class DirectLine:
    """offline-directline in a Node process on 127.0.0.1, routing to our bot."""

    def __init__(self, node: str, bot_url: str) -> None:
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.proc = subprocess.Popen(
            [node, str(DIRECTLINE_JS), bot_url],
            cwd=WEBCHAT_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, name="directline-output", daemon=True).start()
        self.port = self._wait_for_port()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line.rstrip())
            self._lines.put(line)
        self._lines.put(None)

    def _wait_for_port(self) -> int:
        while True:
            try:
                line = self._lines.get(timeout=30)
            except queue.Empty:
                self.stop()
                raise RuntimeError(f"offline-directline did not start: {self.output}") from None
            if line is None:
                raise RuntimeError(f"offline-directline exited: {self.output}")
            if line.startswith("LISTENING "):
                return int(line.split()[1])

    @property
    def domain(self) -> str:
        return f"http://127.0.0.1:{self.port}/directline"

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


class PageServer(ThreadedApp):
    """The test page and Web Chat's bundle, from a local aiohttp app in a thread."""

    def __init__(self) -> None:
        super().__init__(self._app, name="webchat-page")

    @staticmethod
    def _app() -> web.Application:
        async def page(request: web.Request) -> web.FileResponse:
            return web.FileResponse(WEBCHAT_DIR / "index.html")

        async def bundle(request: web.Request) -> web.FileResponse:
            return web.FileResponse(WEBCHAT_JS)

        app = web.Application()
        app.router.add_get("/", page)
        app.router.add_get("/webchat.js", bundle)
        return app


@pytest.fixture
def directline(live_server: LiveServer) -> Iterator[DirectLine]:
    dl = DirectLine(_require_node(), f"{live_server.url}/api/messages")
    yield dl
    dl.stop()
    assert dl.proc.returncode is not None, "offline-directline is still running"


@pytest.fixture
def page_server() -> Iterator[PageServer]:
    server = PageServer()
    server.start()
    yield server
    server.stop()


def test_webchat_through_offline_directline(
    browser: Browser, directline: DirectLine, page_server: PageServer
) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="nl-NL")
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    outside: list[str] = []
    # Everything the page asks for stays on this machine.
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(("http://127.0.0.1:", "data:", "blob:"))
            else outside.append(r.url)
        ),
    )
    try:
        page.goto(f"http://127.0.0.1:{page_server.port}/?domain={directline.domain}")
        box = page.locator("[data-id='webchat-sendbox-input']")
        expect(box).to_be_visible()
        box.fill(QUESTION)
        box.press("Enter")

        quick = page.locator(".ac-adaptiveCard").filter(has_text="Eerste indruk")
        expect(quick).to_have_count(1)
        expect(quick).to_contain_text(DRONES_CASE)
        for label in ("Drietrap doorlopen", "Alleen het advies", "Stoppen"):
            expect(quick.get_by_role("button", name=label)).to_be_visible()
        page.screenshot(path=str(SCREENSHOT))

        quick.get_by_role("button", name="Alleen het advies").click()
        outcome = page.locator(".ac-adaptiveCard").filter(has_text="Oordeel per stap")
        expect(outcome).to_have_count(1)
        expect(outcome).to_contain_text("Uitkomst")
        expect(
            outcome.get_by_role("button", name="Geef door aan de ethiekadviseur")
        ).to_be_visible()
        # The details are folded: a section opens under its button (Action.ShowCard).
        expect(outcome.get_by_text("Aanbevolen instrument")).to_be_hidden()
        outcome.get_by_role("button", name="Instrument en aanspreekpunten").click()
        expect(outcome.get_by_text("Aanbevolen instrument", exact=False)).to_be_visible()
        page.screenshot(path=str(SCREENSHOT))
        assert "Er ging iets mis" not in page.inner_text("body")
    finally:
        context.close()
    assert not errors, f"script errors in the page: {errors}"
    assert not outside, f"the page reached beyond this machine: {outside}"
    assert any("Routing messages" in line or "conversationId" in line for line in directline.output)
