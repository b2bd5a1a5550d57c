"""A real conversation in the web chat up to its outcome, and screenshots of that outcome.

Used by the browser tests (``walk_to_outcome``) and, run as a script, to make the screenshots
in ``docs/`` (``docs/webchat-outcome-1100.png`` and ``docs/webchat-outcome-390.png``)::

    .venv/bin/python -m tests.browser.webchat_screenshots

The script starts the real application on 127.0.0.1 with a fresh SQLite file in a temporary
folder, walks the drietrap in headless Chromium (``/usr/bin/chromium`` or
``ETHIEKBOT_CHROMIUM``) at 1100 and 390 px wide, and stops the browser and the server.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Locator, ViewportSize, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, Chat, LiveServer

QUESTION = "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?"
PURPOSE = "Boeren belonen die hun weiland bloemrijk maken, voor meer biodiversiteit"
DOCS = Path(__file__).resolve().parents[2] / "docs"
# Viewport per width: a laptop, and a phone (iPhone 12 to 15: 390 x 844 CSS pixels).
VIEWPORTS: dict[int, ViewportSize] = {
    1100: {"width": 1100, "height": 900},
    390: {"width": 390, "height": 844},
}
# What the open questions are answered with (a cue in the question, the answer typed).
OPEN_ANSWERS = {
    "Wat wil je bereiken": PURPOSE,
    "Wie merken iets": "Boeren en omwonenden; we bespreken het plan met hen op een avond",
}
# The buttons that carry the walk on, whatever the prompt.
_ONWARD = ("Overslaan", "Door naar Mag het?", "Verder")


def walk_to_outcome(chat: Chat, colourful: bool = True) -> Locator:
    """Describe a project, walk the whole drietrap by buttons (an open question typed) and
    return the outcome's message.

    ``colourful``: answers that give each colour once (Willen groen, Mag oranje, Kan rood):
    no concern for the values, "Ja" to the questions, and "Nee" to Kan het?'s first question.
    Otherwise every prompt is skipped."""
    page = chat.page
    chat.say(QUESTION)
    chat.choose("Drietrap doorlopen")
    for _ in range(60):
        last = page.locator(Chat.BOT).last
        if last.locator(".verdict-card").count():
            return last
        text = last.inner_text()
        labels = [x.split(". ", 1)[1] for x in last.locator(".choices button").all_inner_texts()]
        typed = next((answer for cue, answer in OPEN_ANSWERS.items() if cue in text), None)
        if colourful and typed and set(labels) <= {"Weet ik niet", "Overslaan"}:
            chat.say(typed)  # an open question
            continue
        wanted: tuple[str, ...] = ("Weet ik niet",)
        if colourful:
            wanted = ("Nee",) if "Kan het? (3 van 3)" in text else ()
            wanted += ("Geen zorg", "Ja", "Weet ik niet")
        pick = next((x for x in (*wanted, *_ONWARD) if x in labels), None)
        assert pick is not None, f"no way forward; buttons: {labels}"
        chat.choose(pick)
    raise AssertionError("the walk did not reach the outcome")


def outcome_screenshots(browser: Browser, base_url: str, out_dir: Path) -> dict[int, Path]:
    """A real conversation to its outcome at each width of :data:`VIEWPORTS`; the viewport as
    the page leaves it (the verdict card under the header), saved as
    ``out_dir/webchat-outcome-{width}.png``."""
    written: dict[int, Path] = {}
    for width, viewport in VIEWPORTS.items():
        phone = width < 600
        context = browser.new_context(
            viewport=viewport, locale="nl-NL", is_mobile=phone, has_touch=phone
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            chat = Chat(context.new_page(), base_url)
            chat.open()
            walk_to_outcome(chat)
            chat.page.mouse.move(0, 0)  # no hover left on a button by the last click
            path = out_dir / f"webchat-outcome-{width}.png"
            chat.page.screenshot(path=str(path))
            assert not chat.errors, chat.errors
            written[width] = path
        finally:
            context.close()
    return written


def main() -> int:
    from knowledge.triage import Advisor

    if not CHROMIUM.is_file():
        print(f"Chromium not found at {CHROMIUM}; run `make chromium`.", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="ethiekbot-webchat-shots-") as tmp:
        server = LiveServer(Path(tmp) / "demo.db", Advisor.load())
        server.start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
                )
                try:
                    written = outcome_screenshots(browser, server.url, DOCS)
                finally:
                    browser.close()
        finally:
            server.stop()
    for path in written.values():
        print(path.relative_to(DOCS.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
