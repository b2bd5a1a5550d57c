"""Browser tests of the web chat: the real server in a thread, driven by headless Chromium.

The server is :func:`bot.server.create_app` with a :class:`ConversationService` on a SQLite file
in a temporary directory, served by aiohttp's ``AppRunner`` on 127.0.0.1 (a free port) in a
background thread with its own event loop. The browser is the system's Chromium
(``/usr/bin/chromium``, or ``ETHIEKBOT_CHROMIUM``), driven by Playwright's sync API; Playwright's
own browser download is never used. ``make test`` installs Chromium when it is missing; when it is
still missing these tests fail (never skip) and say so.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Dialog,
    Locator,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from bot.config import Settings
from bot.server import create_app
from bot.service import ConversationService
from knowledge.triage import Advisor
from tests.threaded_app import ThreadedApp

CHROMIUM = Path(os.environ.get("ETHIEKBOT_CHROMIUM", "/usr/bin/chromium"))
# Headless, and nothing that reaches for the network (the CI machine has none).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
# expect() has its own default of 5 s, too short when the machine is busy (CI, parallel runs).
expect.set_options(timeout=TIMEOUT_MS)


class LiveServer(ThreadedApp):
    """The real application (web chat, service on a SQLite file) in a background thread."""

    def __init__(self, db_path: Path, advisor: Advisor) -> None:
        self.db_path = db_path

        def build() -> web.Application:
            settings = Settings(db_path=db_path, host="127.0.0.1", port=0, teams_local=True)
            service = ConversationService.from_settings(settings, advisor=advisor)
            # A staffed deployment: an advisor is registered, so the hand-over is offered.
            service.store.add_advisor("adviseur@provincie.test", "adviseur")
            app = create_app(settings, service)

            async def close(_: web.Application) -> None:
                service.close()

            app.on_cleanup.append(close)
            return app

        super().__init__(build, name="ethiekbot-live")


# Module scope: the server, Playwright's own event loop and the browser are gone before the other
# test directories' asyncio tests run.
@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, advisor: Advisor) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("web-chat") / "ethiekbot.db", advisor)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. The browser tests need Debian's chromium: "
            "run `make chromium` (or `apt-get install -y chromium`), or point ETHIEKBOT_CHROMIUM "
            "at a Chromium binary. Never `playwright install`.",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture()
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile per test: empty localStorage, so a new session."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


class Chat:
    """A page of the web chat with the steps a user takes, each waiting for the bot's answer.

    Any alert/confirm/prompt and any uncaught script error is recorded; the ``chat`` fixture
    fails the test when there were any.
    """

    BOT = "#log .msg.bot"

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def bot_count(self) -> int:
        return self.page.locator(self.BOT).count()

    def wait_for_bot(self, before: int) -> Locator:
        """Wait until the bot answered (more bot messages, page not busy); its last message."""
        self.page.wait_for_function(
            "n => document.querySelectorAll('#log .msg.bot').length > n"
            " && !document.getElementById('send').disabled",
            arg=before,
        )
        # Pinned by index: ``.last`` would move on to later messages.
        return self.page.locator(self.BOT).nth(self.bot_count() - 1)

    def open(self) -> Locator:
        """Load the page and wait for its first answer (the welcome, or a summary)."""
        self.page.goto(self.base_url + "/")
        return self.wait_for_bot(0)

    def say(self, text: str) -> Locator:
        """Type into the textarea and press Enter, as a user does."""
        before = self.bot_count()
        box = self.page.locator("#input")
        box.click()
        box.fill(text)
        box.press("Enter")
        return self.wait_for_bot(before)

    def button(self, label: str) -> Locator:
        """The one enabled choice button with exactly this label (shown as "N. label")."""
        pattern = re.compile(rf"^\s*\d+\. {re.escape(label)}\s*$")
        found = self.page.locator("#log .choices button:enabled").filter(has_text=pattern)
        expect(found).to_have_count(1)
        return found

    def assert_choices_in_view(self) -> None:
        """The newest buttons are on screen as the page left them: in view, not under the form."""
        state = self.page.evaluate(
            """() => {
                const buttons = [...document.querySelectorAll('#log .choices button:enabled')];
                const hidden = buttons.filter((b) => {
                    const r = b.getBoundingClientRect();
                    const x = r.left + r.width / 2, y = r.top + r.height / 2;
                    return y < 0 || y > innerHeight || document.elementFromPoint(x, y) !== b;
                });
                return [buttons.length, hidden.map((b) => b.textContent)];
            }"""
        )
        assert state[0] > 0, "no choice buttons on the page"
        assert not state[1], f"choice buttons off screen or under the form: {state[1]}"

    def choose(self, label: str) -> Locator:
        """Click a choice button and wait for the answer."""
        before = self.bot_count()
        self.button(label).click()
        return self.wait_for_bot(before)


@pytest.fixture()
def chat(context: BrowserContext, live_server: LiveServer) -> Iterator[Chat]:
    """The web chat in a fresh page; fails the test on any dialog or script error."""
    c = Chat(context.new_page(), live_server.url)
    yield c
    assert not c.dialogs, f"a dialog fired in the page: {c.dialogs}"
    assert not c.errors, f"script errors in the page: {c.errors}"
