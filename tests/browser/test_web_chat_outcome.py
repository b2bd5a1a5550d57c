"""The web chat's outcome, accessibility, language, focus and failures (issue 13, items 4 and 8).

Real server and headless Chromium (see ``conftest.py``); axe-core from ``tests/webchat``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from knowledge.triage import Advisor
from tests.browser.axe import assert_accessible
from tests.browser.conftest import TIMEOUT_MS, Chat, LiveServer
from tests.browser.webchat_screenshots import QUESTION, VIEWPORTS, outcome_screenshots
from tests.browser.webchat_screenshots import walk_to_outcome as walk

PHONE = VIEWPORTS[390]
ENGLISH_QUESTION = "Can we use drones to check whether meadows are rich in flowers?"
# The verdict colours in chat.css, as the browser computes them.
COLOURS = {
    "groen": "rgb(23, 105, 45)",
    "oranje": "rgb(163, 74, 0)",
    "rood": "rgb(185, 28, 28)",
    "onbekend": "rgb(89, 89, 89)",
}


def _new_chat(
    browser: Browser, live_server: LiveServer, locale: str, **options: object
) -> tuple[BrowserContext, Chat]:
    context = browser.new_context(locale=locale, **options)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    return context, Chat(context.new_page(), live_server.url)


@pytest.fixture()
def english_chat(browser: Browser, live_server: LiveServer) -> Iterator[Chat]:
    """The web chat in a browser that prefers American English."""
    context, chat = _new_chat(
        browser, live_server, "en-US", viewport={"width": 1100, "height": 900}
    )
    yield chat
    context.close()
    assert not chat.dialogs and not chat.errors, (chat.dialogs, chat.errors)


def _focused(page: Page) -> str:
    """The focused element as ``tag#id.class: text``."""
    value = page.evaluate(
        "() => { const el = document.activeElement; return el.tagName.toLowerCase()"
        " + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '')"
        " + ': ' + (el.textContent || '').trim().slice(0, 60); }"
    )
    assert isinstance(value, str)
    return value


# --- the outcome: card first, details folded, then the offer and the buttons --------------------


def test_the_outcome_reads_top_down_and_passes_axe(chat: Chat) -> None:
    page = chat.page
    chat.open()
    assert_accessible(page, "the web chat at its welcome")
    outcome = walk(chat)

    # Top-down: the card, the sections (closed), the offer, the buttons.
    order = outcome.evaluate(
        "el => [...el.children].map((c) => c.tagName.toLowerCase() + '.' + c.className)"
    )
    assert order[0] == "div.verdict-card", order
    assert order[-2:] == ["div.offer", "div.choices"], order
    sections = outcome.locator("details.outcome-section")
    titles = sections.locator("summary").all_inner_texts()
    assert titles[0] == "Waarom, per stap" and "Volgende stappen" in titles, titles
    assert order[1:-2] == ["details.outcome-section"] * len(titles), order
    for i in range(sections.count()):
        expect(sections.nth(i)).not_to_have_attribute("open", "")
        expect(sections.nth(i).locator(".section-body")).to_be_hidden()
    expect(outcome.locator(".offer")).to_contain_text("Wil je dit doorgeven")
    expect(chat.button("Rapport")).to_be_visible()

    # The card: a verdict per step with its shape, its word and its colour.
    card = outcome.locator(".verdict-card")
    expect(card.locator("h2")).to_have_text("Uitkomst")
    verdicts = card.locator("li.verdict")
    expect(verdicts).to_have_count(3)
    seen = set()
    for i in range(3):
        item = verdicts.nth(i)
        verdict = next(v for v in COLOURS if f"verdict-{v}" in (item.get_attribute("class") or ""))
        seen.add(verdict)
        expect(item).to_contain_text(verdict)  # the word: colour is never the only cue
        mark = item.locator(".mark")
        expect(mark).to_have_attribute("aria-hidden", "true")
        assert (
            mark.inner_text()
            == {"groen": "●", "oranje": "▲", "rood": "■", "onbekend": "○"}[verdict]
        )
        assert mark.evaluate("el => getComputedStyle(el).color") == COLOURS[verdict]
    assert seen == {"groen", "oranje", "rood"}, seen
    for step in ("Willen we het?", "Mag het?", "Kan het?"):
        expect(card).to_contain_text(step)
    expect(card).to_contain_text("Risico:")
    expect(card).to_contain_text("Eerste stap:")
    expect(card.locator(".legend .mark")).to_have_count(4)
    # Arrived by a button: focus on the outcome's title, its card in view under the header.
    expect(card.locator("h2")).to_be_focused()
    expect(card).to_be_in_viewport()

    # After a whole conversation with the outcome shown: no serious or critical violation.
    assert_accessible(page, "the web chat with the outcome")

    # A section opens with the keyboard and shows its details.
    page.keyboard.press("Tab")
    first = sections.first.locator("summary")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(sections.first).to_have_attribute("open", "")
    expect(sections.first.locator(".section-body")).to_be_visible()
    expect(sections.first).to_contain_text("Kan het?")
    for i in range(1, sections.count()):
        sections.nth(i).locator("summary").click()
    expect(outcome.locator("details[open]")).to_have_count(sections.count())
    expect(outcome).to_contain_text("Je antwoorden")
    assert_accessible(page, "the web chat with every section of the outcome open")


def test_the_verdict_card_fits_one_phone_screen(browser: Browser, live_server: LiveServer) -> None:
    context, chat = _new_chat(
        browser, live_server, "nl-NL", viewport=PHONE, is_mobile=True, has_touch=True
    )
    try:
        page = chat.page
        chat.open()
        # A compact header on a phone: one line, the tagline left out.
        header = page.locator("header").bounding_box()
        assert header is not None and header["height"] <= 56, header
        expect(page.locator(".tagline")).to_be_hidden()
        expect(page.locator("#lang")).to_be_in_viewport()

        outcome = walk(chat)
        card = outcome.locator(".verdict-card")
        box = card.bounding_box()
        assert box is not None
        print(f"verdict card at 390x844: {box['height']:.0f} px high")
        assert box["height"] <= PHONE["height"], f"card {box['height']} px > {PHONE['height']}"
        # As the page left it: the card's top just under the header, the whole card in view
        # (the header is sticky, so nothing of the card is under it).
        assert header["height"] <= box["y"] <= header["height"] + 16, (header, box)
        assert box["y"] + box["height"] <= PHONE["height"], box
        assert_accessible(page, "the web chat's outcome on a phone")
        assert not chat.dialogs and not chat.errors, (chat.dialogs, chat.errors)
    finally:
        context.close()


# --- language: the browser's until the conversation has one, then the conversation's -----------


def _labels(page: Page) -> dict[str, str | None]:
    return {
        "lang": page.locator("html").get_attribute("lang"),
        "send": page.locator("#send").inner_text(),
        "log": page.locator("#log").get_attribute("aria-label"),
        "form": page.locator("#form").get_attribute("aria-label"),
        "toggle": page.locator("#lang").get_attribute("aria-label"),
        "toggle_lang": page.locator("#lang").get_attribute("lang"),
        "label": page.locator("label[for=input]").inner_text(),
    }


DUTCH = {
    "lang": "nl",
    "send": "Verstuur",
    "log": "Gesprek met Ethiekbot",
    "form": "Bericht versturen",
    "toggle": "Switch to English",
    "toggle_lang": "en",
    "label": "Je bericht",
}
ENGLISH = {
    "lang": "en",
    "send": "Send",
    "log": "Conversation with Ethiekbot",
    "form": "Send a message",
    "toggle": "Schakel naar Nederlands",
    "toggle_lang": "nl",
    "label": "Your message",
}


def test_an_english_browser_gets_english_until_the_conversation_is_dutch(
    english_chat: Chat,
) -> None:
    chat = english_chat
    page = chat.page
    welcome = chat.open()
    assert _labels(page) == ENGLISH
    expect(welcome).to_contain_text("Describe your question or project")
    expect(welcome).to_have_attribute("lang", "en")
    assert_accessible(page, "the web chat in English")

    # The user writes Dutch: the conversation is Dutch, and so is the whole page.
    quick = chat.say(QUESTION)
    expect(quick).to_contain_text("Eerste indruk")
    assert _labels(page) == DUTCH
    expect(quick).to_have_attribute("lang", "nl")
    expect(quick.locator(".choices")).to_have_attribute("aria-label", "Keuzes")
    outcome = chat.choose("Alleen het advies")
    expect(outcome.locator(".verdict-card")).to_have_attribute("aria-label", "Uitkomst in het kort")

    # Until the user switches.
    before = chat.bot_count()
    page.locator("#lang").click()
    chat.wait_for_bot(before)
    assert _labels(page) == ENGLISH
    expect(page.locator("#lang")).to_be_focused()  # the toggle keeps focus
    chat.choose("Report")
    expect(page.locator("#log .download").last).to_have_text("Download report (Markdown)")
    # A reload keeps the conversation's language, not the browser's.
    page.reload()
    chat.wait_for_bot(0)
    assert _labels(page) == ENGLISH


def test_a_dutch_browser_gets_dutch_until_the_conversation_is_english(chat: Chat) -> None:
    page = chat.page
    chat.open()
    assert _labels(page) == DUTCH
    quick = chat.say(ENGLISH_QUESTION)
    expect(quick).to_contain_text("First impression")
    assert _labels(page) == ENGLISH
    outcome = chat.choose("Just the advice")
    card = outcome.locator(".verdict-card")
    expect(card.locator("h2")).to_have_text("Outcome")
    expect(card).to_have_attribute("aria-label", "Outcome at a glance")
    expect(outcome.locator("summary").first).to_have_text("Why, per step")
    expect(card.locator(".legend")).to_contain_text("green: no objection seen")
    assert_accessible(page, "the English outcome")


# --- focus after each reply ---------------------------------------------------------------------


def test_focus_follows_how_the_user_answered(chat: Chat) -> None:
    page = chat.page
    chat.open()
    expect(page.locator("#log")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#log")).to_have_attribute("role", "log")
    expect(page.locator("#input")).to_be_focused()

    # Typed: focus stays in the input, and the answer is inside the live region.
    quick = chat.say(QUESTION)
    expect(page.locator("#input")).to_be_focused()
    expect(page.locator("#log .msg.bot").last).to_contain_text("Eerste indruk")

    # A button: focus moves to the newest reply's first button.
    step = chat.choose("Drietrap doorlopen")
    expect(step.locator(".choices button").first).to_be_focused()
    assert step.locator(".choices button").first.inner_text() == "1. Weet ik niet", _focused(page)
    # The answered buttons are disabled; the newest are in view.
    expect(quick.locator(".choices button:enabled")).to_have_count(0)
    chat.assert_choices_in_view()

    # An open question answered by typing: focus stays in the input.
    chat.say("Boeren belonen die hun weiland bloemrijk maken")
    expect(page.locator("#input")).to_be_focused()
    # A keyboard user goes on from a button with Enter: focus lands on the next prompt's.
    chat.button("Ja").focus()
    before = chat.bot_count()
    page.keyboard.press("Enter")
    nxt = chat.wait_for_bot(before)
    expect(nxt.locator(".choices button").first).to_be_focused()
    # While the bot thinks, the status region says so (emptied once the answer is in).
    expect(page.locator("#status")).to_have_attribute("role", "status")
    expect(page.locator("#status")).to_have_text("")


# --- a failed connection keeps what was typed ---------------------------------------------------


def test_typed_text_stays_when_the_connection_fails(chat: Chat) -> None:
    page = chat.page
    chat.open()
    chat.say(QUESTION)

    def offline(route: Route) -> None:
        route.abort("internetdisconnected")

    page.route("**/api/chat", offline)
    box = page.locator("#input")
    text = "Boeren belonen die hun weiland bloemrijk maken"
    before = page.locator("#log .msg.me").count()
    box.fill(text)
    box.press("Enter")
    error = page.locator("#log .msg.error").last
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text("Geen verbinding met Ethiekbot")
    expect(error).to_contain_text("probeer het opnieuw")
    expect(box).to_have_value(text)
    expect(box).to_be_focused()
    expect(page.locator("#log .msg.me")).to_have_count(before)  # not shown as sent

    # A button clicked while offline comes back to be clicked again.
    chat.button("Drietrap doorlopen").click()
    expect(page.locator("#log .msg.error")).to_have_count(2)
    expect(chat.button("Drietrap doorlopen")).to_be_enabled()
    expect(chat.button("Drietrap doorlopen")).to_be_focused()

    # A server error (a proxy's 502 page) keeps the text too.
    page.unroute("**/api/chat", offline)
    page.route(
        "**/api/chat",
        lambda route: route.fulfill(status=502, body="<html>Bad gateway</html>"),
    )
    box.press("Enter")
    expect(page.locator("#log .msg.error").last).to_contain_text("fout 502")
    expect(box).to_have_value(text)

    # Back online: Enter sends what is still there, and the conversation goes on.
    page.unroute("**/api/chat")
    before_bot = chat.bot_count()
    chat.button("Drietrap doorlopen").click()
    step = chat.wait_for_bot(before_bot)
    expect(step).to_contain_text("Willen we het?")
    assert_accessible(page, "the web chat after a failed connection")


def test_a_stopped_server_keeps_the_text(
    browser: Browser, tmp_path: Path, advisor: Advisor
) -> None:
    """The real thing: the server goes away between two turns."""
    server = LiveServer(tmp_path / "stopped.db", advisor)
    server.start()
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        chat = Chat(context.new_page(), server.url)
        chat.open()
        server.stop()
        box = chat.page.locator("#input")
        box.fill(QUESTION)
        box.press("Enter")
        expect(chat.page.locator("#log .msg.error")).to_contain_text("probeer het opnieuw")
        expect(box).to_have_value(QUESTION)
    finally:
        context.close()


# --- screenshots --------------------------------------------------------------------------------


def test_outcome_screenshots_are_made_from_a_real_conversation(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    written = outcome_screenshots(browser, live_server.url, tmp_path)
    assert sorted(written) == [390, 1100]
    for width, path in written.items():
        png = path.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == width  # the IHDR width
