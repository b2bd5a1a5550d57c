"""The web chat as a user sees it: real server, headless Chromium, keyboard and mouse.

See ``conftest.py`` for the server and the browser. Every step waits for the bot's answer and
checks what is on the page, so a change in behaviour fails here rather than being skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, expect

from knowledge.triage import Advisor
from tests.browser.conftest import TIMEOUT_MS, Chat, LiveServer

QUESTION = "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?"
DRONES_CASE = "Drones en AI om subsidie voor bloem- en kruidenrijke weilanden te controleren"
PURPOSE = "Boeren belonen die hun weiland bloemrijk maken, voor meer biodiversiteit"
NOTE = "Drones vliegen ook boven het erf en de tuin van boeren"
SCREENSHOT = Path("/tmp/ethiekbot-chat.png")
PHONE: ViewportSize = {"width": 390, "height": 844}


def _session(page: Page) -> str | None:
    value = page.evaluate("() => localStorage.getItem('ethiekbot.session')")
    assert value is None or isinstance(value, str)
    return value


def _no_horizontal_scroll(page: Page) -> None:
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], f"horizontal scrolling: scrollWidth {sizes[0]} > {sizes[1]}"


def _fits_width(page: Page, selector: str) -> None:
    """Every element matching ``selector`` is visible and lies within the viewport's width."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    items = page.locator(selector)
    assert items.count() > 0, f"nothing matches {selector}"
    for i in range(items.count()):
        item = items.nth(i)
        item.scroll_into_view_if_needed()
        expect(item).to_be_visible()
        expect(item).to_be_in_viewport()
        box = item.bounding_box()
        assert box is not None, f"{selector} #{i} has no box"
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (
            f"{selector} #{i} sticks out of the {width}px viewport: {box}"
        )


def test_walk_the_drietrap_and_download_the_report(chat: Chat, live_server: LiveServer) -> None:
    page = chat.page
    welcome = chat.open()
    expect(welcome).to_contain_text("Beschrijf je vraag of project")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("#send")).to_have_text("Verstuur")

    # (a) A Dutch question, sent with Enter: the first impression names the drones case.
    quick = chat.say(QUESTION)
    expect(page.locator("#log .msg.me").last).to_have_text(QUESTION)
    expect(page.locator("#input")).to_have_value("")
    expect(quick).to_contain_text("Eerste indruk")
    expect(quick).to_contain_text(DRONES_CASE)
    for label in ("Drietrap doorlopen", "Alleen het advies", "Stoppen"):
        expect(chat.button(label)).to_be_visible()
    chat.assert_choices_in_view()  # scrolled to, and not hidden behind the sticky form
    page.screenshot(path=str(SCREENSHOT))

    step = chat.choose("Drietrap doorlopen")
    expect(step).to_contain_text("Willen we het?")
    expect(step).to_contain_text("Wat wil je bereiken")
    chat.assert_choices_in_view()
    # The answered prompt's buttons can no longer be used.
    expect(quick.locator(".choices button:enabled")).to_have_count(0)

    need = chat.say(PURPOSE)
    expect(need).to_contain_text("echt data of technologie nodig")

    # Keyboard only: from the textarea, Shift+Tab back to "Nee", then Enter.
    expect(page.locator("#input")).to_be_focused()
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("() => document.activeElement.textContent") == "2. Nee":
            break
    expect(chat.button("Nee")).to_be_focused()
    before = chat.bot_count()
    page.keyboard.press("Enter")
    stakeholders = chat.wait_for_bot(before)
    expect(page.locator("#log .msg.me").last).to_have_text("Nee")
    expect(stakeholders).to_contain_text("Wie merken iets van dit project")

    privacy = chat.choose("Weet ik niet")
    expect(privacy).to_contain_text("Privacy")
    expect(privacy).to_contain_text("(1 van 5)")
    note = chat.choose("Zorg")
    expect(note.locator(".choices button")).to_have_count(1)  # only "Overslaan"
    expect(chat.say(NOTE)).to_contain_text("(2 van 5)")
    expect(chat.choose("Geen zorg")).to_contain_text("(3 van 5)")

    # Walk on to the outcome, skipping what is left.
    outcome = None
    for _ in range(40):
        labels = page.locator("#log .choices button:enabled").all_inner_texts()
        onward = [x.split(". ", 1)[1] for x in labels]
        forward = next(
            (x for x in ("Overslaan", "Door naar Mag het?", "Verder", "Klopt") if x in onward),
            None,
        )
        assert forward is not None, f"no way forward; buttons: {labels}"
        last = chat.choose(forward)
        if "Uitkomst" in last.inner_text():
            outcome = last
            break
    assert outcome is not None, "the walk did not reach the outcome"
    expect(outcome).to_contain_text("Mag het?")
    expect(outcome).to_contain_text("Kan het?")
    expect(chat.button("Rapport")).to_be_visible()

    # The report: the PDF advice note and the Markdown, each a download button.
    chat.choose("Rapport")
    buttons = page.locator("#log .download")
    expect(buttons).to_have_count(2)
    expect(buttons.first).to_have_text("Adviesnotitie downloaden (PDF)")
    with page.expect_download(timeout=TIMEOUT_MS) as pdf_info:
        buttons.first.click()
    pdf = pdf_info.value
    assert re.fullmatch(r"ethiekbot-T-[0-9a-f]+\.pdf", pdf.suggested_filename)
    assert Path(pdf.path()).read_bytes().startswith(b"%PDF-")
    link = buttons.last
    expect(link).to_have_text("Rapport downloaden (Markdown)")
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        link.click()
    download = info.value
    assert download.failure() is None
    assert re.fullmatch(r"ethiekbot-T-[0-9a-f]+\.md", download.suggested_filename)
    report = Path(download.path()).read_text(encoding="utf-8")
    assert report.startswith("# Ethiekbot: uitkomst van de triage")
    assert QUESTION in report
    assert PURPOSE in report
    assert NOTE in report
    assert "## Mag het?" in report

    # The report is only for the session that made it, and the token is in no URL.
    assert link.get_attribute("href") is None
    session = page.evaluate("() => localStorage.getItem('ethiekbot.session')")
    match = re.search(r"T-[0-9a-f]+", download.suggested_filename)
    assert isinstance(session, str) and match is not None
    url = f"{live_server.url}/api/report/{match.group(0)}"
    assert page.request.post(url, data={"session": "x" * 32}).status == 404
    assert page.request.get(url + "?session=" + session).status == 404
    assert page.request.post(url, data={"session": session}).status == 200


def test_language_toggle_switches_labels_and_answers(chat: Chat) -> None:
    page = chat.page
    chat.open()
    expect(page.locator("#lang")).to_have_text("English")

    before = chat.bot_count()
    page.locator("#lang").click()
    chat.wait_for_bot(before)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#lang")).to_have_text("Nederlands")
    expect(page.locator("#send")).to_have_text("Send")
    expect(page.locator("#input")).to_have_attribute(
        "placeholder", "Describe your question or project…"
    )
    expect(page.locator(".tagline")).to_contain_text("Digital ethics advisor")
    expect(page.locator(".hint")).to_contain_text("Enter sends")
    expect(page.locator("#log")).to_contain_text("We'll continue in English.")

    # The bot keeps to English, even for a Dutch question.
    quick = chat.say(QUESTION)
    expect(quick).to_contain_text("First impression")
    expect(quick).not_to_contain_text("Eerste indruk")
    expect(chat.button("Go through the three steps")).to_be_visible()
    outcome = chat.choose("Just the advice")
    expect(outcome).to_contain_text("Outcome")
    expect(outcome).to_contain_text("Is it allowed?")
    expect(chat.button("Report")).to_be_visible()

    # And back.
    before = chat.bot_count()
    page.locator("#lang").click()
    chat.wait_for_bot(before)
    expect(page.locator("#send")).to_have_text("Verstuur")
    expect(page.locator("#log")).to_contain_text("We gaan verder in het Nederlands.")
    expect(chat.button("Rapport")).to_be_visible()


def test_user_text_is_shown_literally(chat: Chat) -> None:
    page = chat.page
    chat.open()
    payload = "<img src=x onerror=alert(1)> **bold** Mogen we drones boven de weilanden inzetten?"
    chat.say(payload)
    mine = page.locator("#log .msg.me").last
    assert mine.evaluate("el => el.textContent") == payload
    assert mine.evaluate("el => el.children.length") == 0

    # The bot quotes the question back in its summary: still text, not markup.
    chat.say("samenvatting")
    summary = page.locator("#log .msg.bot").filter(has_text="Samenvatting tot nu toe")
    expect(summary).to_have_count(1)
    expect(summary).to_contain_text("<img src=x onerror=alert(1)> **bold** Mogen we drones")

    page.wait_for_timeout(300)  # time for an injected image to fail and fire its handler
    assert page.locator("#log img").count() == 0
    strong = page.locator("#log strong").all_inner_texts()
    assert not [s for s in strong if "bold" in s], f"user text became bold: {strong}"
    assert chat.dialogs == [], f"an alert fired: {chat.dialogs}"


def test_phone_viewport_needs_no_horizontal_scrolling(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="nl-NL")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        chat = Chat(context.new_page(), live_server.url)
        page = chat.page
        chat.open()
        _no_horizontal_scroll(page)
        for selector in ("#input", "#send", "#lang"):
            _fits_width(page, selector)

        chat.say(QUESTION)
        _no_horizontal_scroll(page)
        chat.assert_choices_in_view()
        _fits_width(page, "#log .choices button:enabled")

        chat.choose("Alleen het advies")
        _no_horizontal_scroll(page)
        # The outcome reads top-down: its verdict card starts under the header (the buttons
        # follow the folded details, further down).
        card = page.locator("#log .verdict-card").last
        expect(card).to_be_in_viewport()
        _fits_width(page, "#log .verdict-card")
        _fits_width(page, "#log .choices button:enabled")
        chat.choose("Rapport")
        _no_horizontal_scroll(page)
        _fits_width(page, "#log .download")

        # A long unbroken word (a pasted link) wraps instead of widening the page.
        chat.say("https://example.org/" + "heel-lang-pad-" * 20)
        _no_horizontal_scroll(page)
        for selector in ("#input", "#send"):
            _fits_width(page, selector)
        assert not chat.dialogs and not chat.errors, (chat.dialogs, chat.errors)
    finally:
        context.close()


def test_reload_keeps_the_conversation(chat: Chat) -> None:
    page = chat.page
    chat.open()
    chat.say(QUESTION)
    chat.choose("Drietrap doorlopen")
    expect(chat.say(PURPOSE)).to_contain_text("echt data of technologie nodig")
    session = _session(page)
    assert session

    page.reload()
    chat.wait_for_bot(0)
    assert _session(page) == session
    summary = page.locator("#log .msg.bot").first
    expect(summary).to_contain_text("Samenvatting tot nu toe")
    expect(summary).to_contain_text(QUESTION)
    # The conversation goes on where it was: the question that was open is asked again.
    prompt = page.locator("#log .msg.bot").last
    expect(prompt).to_contain_text("echt data of technologie nodig")
    expect(chat.choose("Ja")).to_contain_text("Wie merken iets van dit project")


def test_the_privacy_statement_is_accessible_in_both_languages(chat: Chat) -> None:
    """/privacy (issue 11): generated from the settings, readable, and clean under axe-core."""
    from tests.browser.axe import assert_accessible

    page = chat.page
    for lang, heading in (("nl", "Wat ik bewaar en waarom"), ("en", "What I keep and why")):
        page.goto(f"{chat.base_url}/privacy?lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.get_by_text(heading)).to_be_visible()
        assert_accessible(page, f"the privacy statement ({lang})")


def test_a_reminder_in_the_web_chat_can_be_answered(
    chat: Chat, live_server: LiveServer, advisor: Advisor
) -> None:
    """Found by a user trial: a checkpoint's reminder came in at the top of the page with its
    buttons already off (the page's first turn disabled every older button), and typing
    "Verzetten" was not understood. The reminder's buttons now stay usable, and its words can
    be typed. Through the real server, its SQLite file and the scheduler's enqueue."""
    from datetime import UTC, datetime

    from bot.checkpoints import enqueue_due
    from bot.storage import Store

    page = chat.page
    chat.open()
    chat.say(QUESTION)
    chat.choose("Alleen het advies")
    chat.choose("Herinner ons bij ijkmomenten")
    chat.choose("Deze data")
    chat.choose("Opslaan")
    expect(page.locator("#log .msg.bot", has_text="Opgeslagen")).to_have_count(1)
    session = _session(page)
    assert session
    store = Store.open(live_server.db_path)
    try:
        mine = [cp for cp in store.checkpoints() if cp.channel == "web"]
        first = min(mine, key=lambda cp: cp.send_at)
        due = datetime.fromisoformat(first.send_at).astimezone(UTC)
        assert enqueue_due(store, advisor.knowledge, due) >= 1
        # The sender hands a web chat's message to its inbox (as `ethiekbot serve` does).
        for item in store.outbox_of(first.outcome_id):
            if item.kind == "herinnering" and item.payload.get("checkpoint") == first.id:
                store.mark_sent(item.id)
    finally:
        store.close()

    page.reload()
    chat.wait_for_bot(0)
    reminder = page.locator("#log .msg.bot", has_text="Verzetten").first
    expect(reminder.locator("button", has_text="Verzetten")).to_be_enabled()
    before = chat.bot_count()
    reminder.locator("button", has_text="Verzetten").click()
    expect(chat.wait_for_bot(before)).to_contain_text("Naar welke datum")
    # The flow asks for a date; "annuleren" ends it, and the typed word works too.
    chat.say("annuleren")
    before = chat.bot_count()
    chat.say("Afgerond")
    answer = page.locator("#log .msg.bot").nth(before)
    expect(answer).to_contain_text("afgerond")


def test_erasing_my_data_clears_the_page_too(chat: Chat) -> None:
    """Found by a user trial: after "wis mijn gegevens" and "ja" the erased description and
    outcome were still on the page. Now the page keeps only the confirmation."""
    page = chat.page
    chat.open()
    chat.say(QUESTION)
    chat.choose("Alleen het advies")
    expect(page.locator("#log")).to_contain_text("weilanden")
    chat.say("wis mijn gegevens")
    # (Typed by hand: the page has fewer messages after this turn, not more.)
    page.locator("#input").fill("ja")
    page.locator("#input").press("Enter")
    expect(page.locator("#log .msg.bot")).to_have_count(1)
    expect(page.locator("#log .msg.bot")).to_contain_text("Gewist")
    expect(page.locator("#log")).not_to_contain_text("weilanden")
    expect(page.locator("#log .msg.me")).to_have_count(1)  # the "ja" that erased it
