"""The advisor's workspace in headless Chromium: the whole flow, the keyboard, and axe-core.

The real application (``workspace_server.py``) runs on loopback with real triages: a high-risk
one, a handed-over one, a low-risk one, and one an employee makes in the web chat in this
browser, so the advisor's reply can reach that page. Controls are found by their role and
accessible name or by their label, so a control without a label fails here. Every page of the
flow is checked with axe-core (no serious or critical violation, colour contrast included).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from adapters.web import conversation_id
from bot.storage import OutcomeRecord
from knowledge.triage import Advisor
from tests.browser.axe import assert_accessible, run_axe
from tests.browser.conftest import TIMEOUT_MS, Chat
from tests.browser.workspace_server import (
    HIGH_RISK,
    LOW_RISK,
    WEB_SESSION,
    WorkspaceServer,
    seed,
)

NOTE = "Gebeld met de projectleider: de sensoren maken **geen beelden**."
REASON = "Er worden geen personen herkend; alleen beweging wordt gemeten."
REPLY = "Dank voor je vraag. Plan een gesprek met de privacy officer voordat je begint."
CASE_ID = "dimmende-lantaarnpalen"


@pytest.fixture(scope="module")
def workspace(
    tmp_path_factory: pytest.TempPathFactory, advisor: Advisor
) -> Iterator[WorkspaceServer]:
    folder = tmp_path_factory.mktemp("workspace")
    (folder / "eigen").mkdir()
    server = WorkspaceServer(folder / "ethiekbot.db", folder / "eigen", advisor)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def triages(workspace: WorkspaceServer) -> dict[str, str]:
    return seed(workspace)


def _context(browser: Browser) -> BrowserContext:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    ctx.set_default_timeout(TIMEOUT_MS)
    return ctx


@pytest.fixture()
def advisor_page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh profile; fails the test on a script error or a CSP violation."""
    ctx = _context(browser)
    page = ctx.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    ctx.close()
    assert not problems, f"errors in the workspace's pages: {problems}"


def _sign_in(page: Page, workspace: WorkspaceServer, email: str) -> None:
    page.goto(workspace.url + workspace.invite(email))
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(workspace.url + "/advisor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtrij")


def _queue_ids(page: Page) -> set[str]:
    """The outcome ids the queue on the page lists."""
    links = page.get_by_role("table").get_by_role("link").all_inner_texts()
    return {x.strip() for x in links}


def _expected(
    workspace: WorkspaceServer, ids: set[str], keep: Callable[[OutcomeRecord], bool]
) -> set[str]:
    """The ids among ``ids`` whose stored record passes ``keep`` (what a filter should show)."""
    store = workspace.svc.store
    out = set()
    for oid in ids:
        record = workspace.call(store.get_outcome, oid)
        assert record is not None
        if keep(record):
            out.add(oid)
    return out


def _filter(page: Page, **fields: str) -> None:
    """Set the queue's filters by their labels and submit."""
    form = page.get_by_role("search", name="Filter de wachtrij")
    for label, value in fields.items():
        control = form.get_by_label(label, exact=True)
        if label == "Zoek in beschrijving":
            control.fill(value)
        else:
            control.select_option(value)
    form.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtrij")


def _web_chat_triage(browser: Browser, workspace: WorkspaceServer) -> tuple[BrowserContext, str]:
    """An employee asks in the web chat (in this browser); their context and the outcome id."""
    ctx = _context(browser)
    chat = Chat(ctx.new_page(), workspace.url)
    chat.open()
    chat.say(WEB_SESSION)
    expect(chat.choose("Alleen het advies")).to_contain_text("Uitkomst")
    session = chat.page.evaluate("() => localStorage.getItem('ethiekbot.session')")
    assert isinstance(session, str)
    state = workspace.call(workspace.svc.store.load_state, f"web:{conversation_id(session)}")
    assert state is not None and state.outcome_id
    assert not chat.errors and not chat.dialogs
    return ctx, state.outcome_id


def _wait_delivered(page: Page, timeout_s: float = 15) -> None:
    """Reload the triage until the outbox says the reply was accepted by the web chat."""
    deliveries = page.get_by_role("region", name="Berichten verstuurd door de bot")
    deadline = time.monotonic() + timeout_s
    # For the web chat: handed to its inbox, shown when the session opens the page.
    while "web chat weer opent" not in (deliveries.inner_text() if deliveries.count() else ""):
        assert time.monotonic() < deadline, "the reply was not delivered to the web chat"
        page.wait_for_timeout(200)
        page.reload()


def test_the_whole_flow_in_chromium(
    browser: Browser,
    advisor_page: Page,
    workspace: WorkspaceServer,
    triages: dict[str, str],
) -> None:
    page = advisor_page
    employee, web_id = _web_chat_triage(browser, workspace)
    try:
        everything = {*triages.values(), web_id}

        # Not signed in: the workspace sends to sign-in.
        page.goto(workspace.url + "/advisor/")
        expect(page).to_have_url(re.compile(r"/advisor/signin\?next=/advisor/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")
        assert_accessible(page, "the sign-in page")

        # The invite link signs in and opens the queue, newest first, every triage there.
        _sign_in(page, workspace, "adviseur@example.org")
        assert _queue_ids(page) == everything
        assert_accessible(page, "the queue")

        # Filter on risk, on a signal, and search.
        _filter(page, Risico="hoog")
        high = _expected(workspace, everything, lambda r: r.outcome.risk == "hoog")
        assert triages["high"] in high and triages["low"] not in high
        assert _queue_ids(page) == high
        expect(page).to_have_url(re.compile(r"risk=hoog"))
        expect(page.get_by_label("Risico", exact=True)).to_have_value("hoog")

        page.get_by_role("link", name="Wis filters").click()
        record = workspace.call(workspace.svc.store.get_outcome, triages["high"])
        assert record is not None
        signal = record.outcome.signal_ids()[0]
        _filter(page, Signaal=signal)
        with_signal = _expected(workspace, everything, lambda r: signal in r.outcome.signal_ids())
        assert triages["high"] in with_signal and with_signal != everything
        assert _queue_ids(page) == with_signal

        page.get_by_role("link", name="Wis filters").click()
        _filter(page, **{"Zoek in beschrijving": "lantaarnpalen"})
        assert _queue_ids(page) == {web_id}
        expect(page.get_by_role("table")).to_contain_text("lantaarnpalen")

        # Open the employee's triage: their question, the bot's outcome.
        page.get_by_role("link", name=web_id).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Triage {web_id}")
        question = page.get_by_role("region", name="Vraag van de medewerker")
        expect(question).to_contain_text(WEB_SESSION)
        assert_accessible(page, "a triage's page")
        # The action forms sit side by side without covering each other (a long instrument
        # name in a select once pushed one over its neighbour).
        boxes = page.locator(".actions fieldset").evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [r.left, r.top, r.right, r.bottom]; })"
        )
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, f"action forms overlap: {a} and {b}"

        # Set a status.
        page.get_by_label("Nieuwe status").select_option("in-behandeling")
        page.get_by_role("button", name="Status opslaan").click()
        expect(page.get_by_role("status")).to_have_text("Status opgeslagen.")
        expect(page.get_by_label("Nieuwe status")).to_have_value("in-behandeling")

        # Add a note (Markdown, shown rendered and escaped).
        page.get_by_label("Notitie (Markdown)").fill(NOTE)
        page.get_by_role("button", name="Notitie toevoegen").click()
        expect(page.get_by_role("status")).to_have_text("Notitie toegevoegd.")
        history = page.get_by_role("region", name="Geschiedenis")
        expect(history.locator("strong", has_text="geen beelden")).to_have_count(1)

        # Correct the risk, with a reason.
        bot_risk = workspace.call(workspace.svc.store.get_outcome, web_id)
        assert bot_risk is not None
        revised = "laag" if bot_risk.outcome.risk != "laag" else "midden"
        page.get_by_label("Onderdeel").select_option("risk")
        page.get_by_label("Jouw oordeel").select_option(revised)
        page.get_by_label("Reden (verplicht)").fill(REASON)
        page.get_by_role("button", name="Correctie opslaan").click()
        expect(page.get_by_role("status")).to_contain_text("Correctie opgeslagen")
        expect(page.locator(".facts")).to_contain_text(f"herzien: {revised}")
        expect(history).to_contain_text(REASON)

        # Reply to the employee; the web chat accepts it for their session.
        page.get_by_label("Bericht").fill(REPLY)
        page.get_by_role("button", name="Versturen").click()
        expect(page.get_by_role("status")).to_contain_text("Antwoord in de wachtrij")
        expect(history).to_contain_text(REPLY)
        _wait_delivered(page)
        assert_accessible(page, "a triage's page after the actions")

        # The employee answers: the queue marks it, beside the risk as corrected.
        workspace.call(
            workspace.svc.store.add_entry,
            web_id,
            "bericht",
            "medewerker",
            {"sender": "medewerker", "text": "Er zijn geen beelden."},
        )
        page.goto(workspace.url + "/advisor/")
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=web_id))
        expect(row).to_contain_text(f"{revised} (bot: {bot_risk.outcome.risk})")
        expect(row).to_contain_text("bericht van medewerker wacht sinds")
        assert_accessible(page, "the queue with a correction and a waiting answer")
        _filter(page, **{"Bericht van medewerker wacht op antwoord": "ja"})
        assert _queue_ids(page) == {web_id}
        page.get_by_role("link", name=web_id).click()

        # The case editor: prefilled from the triage (the advisor's note stays internal: the
        # lessons every employee reads are written here), checked, then published.
        page.get_by_role("link", name="Maak er een casus van").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Casus maken")
        expect(page.get_by_label("Lessen (Nederlands, verplicht)")).to_have_value("")
        assert_accessible(page, "the case editor")
        page.get_by_label("Lessen (Nederlands, verplicht)").fill(
            "Leg vast dat er geen beelden zijn."
        )
        page.get_by_label("Lessen (Engels, verplicht)").fill("Record that there are no images.")
        # Without a Dutch title it is refused: an alert, and the field marked invalid.
        page.get_by_label("Titel (Nederlands, verplicht)").fill("")
        page.get_by_role("button", name="Publiceren").click()
        expect(page.get_by_role("alert")).to_contain_text("title.nl")
        title_nl = page.get_by_label("Titel (Nederlands, verplicht)")
        expect(title_nl).to_have_attribute("aria-invalid", "true")
        assert_accessible(page, "the case editor with problems")
        page.get_by_label("Kenmerk van de casus").fill(CASE_ID)
        page.get_by_label("Titel (Nederlands, verplicht)").fill("Lantaarnpalen die dimmen")
        page.get_by_label("Titel (Engels, verplicht)").fill("Street lights that dim")
        page.get_by_role("button", name="Controleren").click()
        expect(page.get_by_role("status")).to_have_text(
            "Geen problemen gevonden; je kunt publiceren."
        )
        assert_accessible(page, "the case editor after checking")
        page.get_by_role("button", name="Publiceren").click()
        expect(page.get_by_role("status")).to_contain_text("Casus gepubliceerd")
        assert workspace.settings.knowledge_local is not None
        published = Path(workspace.settings.knowledge_local) / "cases" / f"{CASE_ID}.yaml"
        assert published.is_file()

        # The overview: every chart loads as an image, with its numbers as a table.
        nav = page.get_by_role("navigation", name="Werkplek")
        nav.get_by_role("link", name="Overzicht").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Overzicht")
        page.wait_for_load_state("networkidle")
        images = page.get_by_role("img")
        assert images.count() >= 3
        sizes = images.evaluate_all(
            "els => els.map(e => [e.complete, e.naturalWidth, e.naturalHeight])"
        )
        assert all(done and w > 0 and h > 0 for done, w, h in sizes), sizes
        expect(page.get_by_role("table")).to_have_count(images.count())
        assert_accessible(page, "the overview")

        # The audit log lists what this advisor did to the triage.
        nav.get_by_role("link", name="Auditlog").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Auditlog")
        rows = page.get_by_role("row").filter(has=page.get_by_role("link", name=web_id))
        actions = {r.get_by_role("cell").nth(2).inner_text() for r in rows.all()}
        for action in ("geopend", "status", "notitie", "correctie", "antwoord", "promotie"):
            assert action in actions, f"{action} not in the audit log: {actions}"
        expect(page.get_by_role("table")).to_contain_text("aangemeld")
        assert_accessible(page, "the audit log")

        # The organisation's own cases: the one just published, to correct or withdraw.
        nav.get_by_role("link", name="Eigen casussen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Eigen casussen")
        assert_accessible(page, "the own cases")
        page.get_by_role("link", name="Lantaarnpalen die dimmen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Casus verbeteren")
        assert_accessible(page, "an own case's editor")
        page.get_by_label("Titel (Engels, verplicht)").fill("Street lights that dim at night")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_role("status")).to_contain_text("Casus opgeslagen")
        assert "dim at night" in published.read_text(encoding="utf-8")

        nav.get_by_role("link", name="Contacten").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Contacten van de organisatie")
        assert_accessible(page, "the contacts editor")

        page.goto(f"{workspace.url}/advisor/outcomes/{web_id}/register")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Algoritmeregister")
        assert_accessible(page, "the Algoritmeregister draft")

        nav.get_by_role("link", name="Adviseurs").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Adviseurs")
        assert_accessible(page, "the advisors page")

        # Sign out: the workspace is closed again.
        nav.get_by_role("button", name="Afmelden").click()
        expect(page).to_have_url(workspace.url + "/advisor/signin")
        page.goto(workspace.url + "/advisor/")
        expect(page).to_have_url(re.compile(r"/advisor/signin\?next="))
        expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")

        # The employee opens the web chat again: the advisor's reply is there.
        chat = Chat(employee.new_page(), workspace.url)
        chat.page.goto(workspace.url + "/")
        expect(chat.page.locator("#log")).to_contain_text(REPLY)
        assert not chat.errors and not chat.dialogs
    finally:
        employee.close()


def _focus_is_visible(page: Page) -> str:
    """The focused element's description; fails unless it has a visible outline on screen."""
    state = page.evaluate(
        r"""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return {none: true};
            const s = getComputedStyle(el), r = el.getBoundingClientRect();
            // The outline's contrast with the background it is drawn on (the nearest opaque
            // one around the element; the outline is offset from the element itself).
            const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
            const lum = ([r, g, b]) => [r, g, b].map((v) => {
                v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
            }).reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i], 0);
            let bg = [255, 255, 255];
            for (let p = el.parentElement; p; p = p.parentElement) {
                const c = rgb(getComputedStyle(p).backgroundColor);
                if (c.length === 3 || (c.length === 4 && c[3] === 1)) { bg = c.slice(0, 3); break; }
            }
            const [hi, lo] = [lum(rgb(s.outlineColor)), lum(bg)].sort((a, b) => b - a);
            return {
                contrast: (hi + 0.05) / (lo + 0.05),
                what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' '
                    + (el.textContent || '').trim().slice(0, 40),
                outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
                    && r.top < innerHeight && r.left < innerWidth,
            };
        }"""
    )
    assert not state.get("none"), "focus went to the page body"
    assert state["outline"] != "none" and state["width"] >= 2, f"focus not visible: {state}"
    assert state["onScreen"], f"the focused element is off screen: {state}"
    # WCAG 1.4.11: a focus indicator has at least 3:1 against what is next to it.
    assert state["contrast"] >= 3, f"focus outline contrast below 3:1: {state}"
    return str(state["what"])


def _tab_to(page: Page, condition: str, limit: int = 80) -> None:
    """Press Tab until ``condition`` (JS on ``el``, the focused element) holds; focus is
    checked to be visible at every stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        _focus_is_visible(page)
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({condition}); }}"):
            return
    pytest.fail(f"Tab never reached: {condition}")


def test_the_main_path_by_keyboard_alone(
    advisor_page: Page, workspace: WorkspaceServer, triages: dict[str, str]
) -> None:
    page = advisor_page
    low = triages["low"]
    page.goto(workspace.url + workspace.invite("toetsenbord@example.org"))
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtrij")

    # The first Tab reaches the skip link, shown on focus; Enter moves focus to the content,
    # so the next Tab is the first filter, not the navigation.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    _focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Zoek in beschrijving")).to_be_focused()
    _focus_is_visible(page)

    # Filter: type the search, choose the status by typing, submit with Enter on the button.
    page.keyboard.type("ammoniak")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Status", exact=True)).to_be_focused()
    page.keyboard.type("Nieuw")
    expect(page.get_by_label("Status", exact=True)).to_have_value("nieuw")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent === 'Filter'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"status=nieuw.*q=ammoniak|q=ammoniak.*status=nieuw"))
    assert _queue_ids(page) == {triages["low"]}
    expect(page.get_by_role("table")).to_contain_text(LOW_RISK[:30])

    # Open the triage from its link.
    _tab_to(page, f"el.tagName === 'A' && el.textContent === '{low}'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Triage {low}")

    # Set a status.
    _tab_to(page, "el.id === 'a-status'")
    page.keyboard.type("In behandeling")
    expect(page.get_by_label("Nieuwe status")).to_have_value("in-behandeling")
    _tab_to(page, "el.textContent === 'Status opslaan'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Status opgeslagen.")
    expect(page.get_by_label("Nieuwe status")).to_have_value("in-behandeling")

    # Add a note.
    _tab_to(page, "el.id === 'a-note'")
    page.keyboard.type("Telefonisch besproken; geen persoonsgegevens.")
    _tab_to(page, "el.textContent === 'Notitie toevoegen'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Notitie toegevoegd.")
    history = page.get_by_role("region", name="Geschiedenis")
    expect(history).to_contain_text("Telefonisch besproken; geen persoonsgegevens.")
    record = workspace.call(workspace.svc.store.get_outcome, low)
    assert record is not None and record.status == "in-behandeling"
    assert HIGH_RISK not in page.content()  # the other triages stay on their own pages


def test_axe_finds_what_it_should(
    advisor_page: Page, workspace: WorkspaceServer, triages: dict[str, str]
) -> None:
    """The check can fail: text at a contrast of 1.6:1 and an image without alt are found."""
    page = advisor_page
    _sign_in(page, workspace, "controle@example.org")
    page.evaluate(
        """() => {
            const p = document.createElement('p');
            p.textContent = 'Bijna onleesbaar';
            p.style.color = '#cccccc';
            const img = document.createElement('img');
            img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
            document.querySelector('main').append(p, img);
        }"""
    )
    found = {v["id"] for v in run_axe(page)["violations"]}
    assert {"color-contrast", "image-alt"} <= found, found


def test_a_beheerder_invites_on_the_advisors_page(
    advisor_page: Page, workspace: WorkspaceServer
) -> None:
    page = advisor_page
    page.goto(workspace.url + workspace.invite("beheer@example.org", "beheerder"))
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_role("navigation", name="Werkplek").get_by_role("link", name="Adviseurs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adviseurs")
    assert_accessible(page, "the advisors page of a beheerder")
    invite = page.get_by_role("group", name="Uitnodigen")
    invite.get_by_label("E-mailadres").fill("nieuw@example.org")
    invite.get_by_label("Rol").select_option("adviseur")
    invite.get_by_role("button", name="Maak aanmeldlink").click()
    expect(page.get_by_role("status")).to_contain_text("/advisor/login/")
    assert_accessible(page, "the advisors page with a new invite link")


def test_a_triage_erased_on_request_leaves_an_accessible_tombstone(
    advisor_page: Page, workspace: WorkspaceServer
) -> None:
    # The employee handed a triage over, then erased their data ("wis mijn gegevens", "ja"):
    # the advisor sees that it is gone and when, not what it was, on pages axe-core accepts.
    from dialogs.models import Inbound

    text = "Camera's met gezichtsherkenning bij de fietsenstalling van het provinciehuis"
    oid = workspace.triage(text, "wis-mij", hand_over=True)
    record = workspace.call(workspace.svc.store.get_outcome, oid)
    assert record is not None and "fietsenstalling" in record.outcome.description
    for text in ("wis mijn gegevens", "ja"):
        msg = Inbound(channel="web", conversation="wis-mij", user="wis-mij", text=text)
        workspace.call(workspace.svc.handle, msg)
    page = advisor_page
    _sign_in(page, workspace, "ad@example.org")
    tombstones = page.get_by_role("heading", name="Verwijderd op verzoek")
    expect(tombstones).to_be_visible()
    assert oid in page.content()
    assert "fietsenstalling" not in page.content()  # the queue is shared with other tests
    assert_accessible(page, "the queue with a tombstone")
    page.goto(f"{workspace.url}/advisor/outcomes/{oid}")
    expect(page.get_by_role("link", name="Terug naar de wachtrij")).to_be_visible()
    assert_accessible(page, "the page of an erased triage")
