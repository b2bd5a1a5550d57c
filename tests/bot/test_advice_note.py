"""The advice note (bot/advice_note.py): PDF, printable HTML and Markdown of a logged outcome.

The outcomes come from whole conversations through the real ConversationService, one in Dutch
and one in English, with open answers and notes typed as people type them; the ethics advisor
then corrects the Dutch one and sends a message. The PDF is read back with pypdf and its first
page is rendered with poppler's ``pdftoppm`` (``make poppler`` installs it).

``ETHIEKBOT_UPDATE_DOCS=1 .venv/bin/pytest tests/bot/test_advice_note.py -k docs`` writes the
first page of the Dutch note to docs/advice-note.png for the README.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.advice_note import FORMATS, note_for, note_model, render_note
from bot.cli import main
from bot.review import ReviewDesk, reviewed_report
from bot.service import ConversationService
from bot.storage import Store
from dialogs.engine import Engine
from dialogs.models import Inbound, Outcome
from dialogs.texts import t
from knowledge.quickscan import cite
from knowledge.triage import Advisor

REPO = Path(__file__).resolve().parents[2]
DOCS_PNG = REPO / "docs" / "advice-note.png"
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
SCRIPT = "<script>alert('x')</script>"

# What the person types; "1" on the first impression is the first button (walk the drietrap),
# and after the scripted turns every further question is skipped until the outcome.
DUTCH = [
    "Mogen we met camera's en AI op het marktplein bezoekers tellen en verdacht gedrag "
    "voorspellen, met een clouddienst?",
    "1",
    "Minder overlast voor bewoners en ondernemers",  # open: what do you want to achieve
    "ja, want tellen met de hand lukt niet",  # yes, with a note
    "bewoners, ondernemers en bezoekers",  # open: who notices it
    "Zorg: mensen worden gefilmd zonder het te weten",  # a value: concern, with a note
    "geen zorg",
    "2",  # concern, then the note on its own line
    "de leverancier kan het algoritme niet uitleggen",
]
DUTCH_TYPED = [
    "Minder overlast voor bewoners en ondernemers",
    "want tellen met de hand lukt niet",
    "bewoners, ondernemers en bezoekers",
    "mensen worden gefilmd zonder het te weten",
    "de leverancier kan het algoritme niet uitleggen",
]
ENGLISH = [
    "We want an AI model that scores welfare applicants on fraud risk and automatically "
    "decides who gets checked.",
    "1",
    "Catch fraud early so benefits go to people who need them",
    "yes, because manual checks miss too much",
    "applicants, caseworkers and the council",
    f"concern: people may be flagged because of where they live {SCRIPT}",
    "no concern",
    "2",
    "the supplier cannot explain the model",
]
ENGLISH_TYPED = [
    "Catch fraud early so benefits go to people who need them",
    "because manual checks miss too much",
    "applicants, caseworkers and the council",
    f"people may be flagged because of where they live {SCRIPT}",
    "the supplier cannot explain the model",
]
ENGLISH_MESSAGE = "Thank you; shall we talk on Monday?"
REVIEW_TEXTS = [
    "Camera's tellen alleen; niemand wordt herkend.",
    "De leverancier moet eerst uitleg geven.",
    "Goed dat je dit vroeg vraagt. Zullen we volgende week bellen?",
]

# Labels that may appear in one language only (compared as whole words).
DUTCH_LABELS = [
    "Adviesnotitie digitale ethiek",
    "Kenmerk",
    "Datum",
    "Vraag",
    "Doel",
    "Willen we het?",
    "Mag het?",
    "Kan het?",
    "Wat de kleuren betekenen",
    "Toelichting",
    "Antwoord",
    "Oordeel van de ethiekadviseur",
    "pagina",
    "groen",
    "oranje",
    "rood",
    "onbekend",
]
ENGLISH_LABELS = [
    "Digital ethics advice note",
    "Reference",
    "Date",
    "Question",
    "Purpose",
    "Is it desirable?",
    "Is it allowed?",
    "Is it possible?",
    "What the colours mean",
    "Note",
    "Answer",
    "The ethics advisor's judgement",
    "page",
    "green",
    "orange",
    "red",
    "unknown",
]
_TEXT_KEYS = [
    "step_verdicts",
    "section_why",
    "section_values",
    "section_law",
    "section_cases",
    "instrument",
    "preconditions",
    "contacts",
    "next_steps",
    "desirable",
    "undesirable",
    "tensions",
    "your_answers",
    "first_step",
    "risk_card",
]
DUTCH_LABELS += [t(k, "nl") for k in _TEXT_KEYS]
ENGLISH_LABELS += [t(k, "en") for k in _TEXT_KEYS]


@dataclass
class Logged:
    outcome: Outcome
    pdf: bytes
    html: str
    text: str  # the PDF's text, whitespace collapsed


@dataclass
class World:
    db: Path
    store: Store
    advisor: Advisor
    nl: Logged
    en: Logged


def converse(service: ConversationService, user: str, turns: list[str], skip: str) -> Outcome:
    """Play ``turns``, then skip every further question until the outcome is logged."""
    now = START
    for text in [*turns, *[skip] * 60]:
        now += timedelta(minutes=1)
        service.handle(Inbound(channel="test", conversation=user, user=user, text=text), now)
        logged = service.store.outcomes_of("test", user)
        if logged:
            return logged[0].outcome
    raise AssertionError(f"{user}: no outcome after {len(turns)} turns and 60 skips")


def pdf_text(pdf: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def world(advisor: Advisor, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    db = tmp_path_factory.mktemp("note") / "ethiekbot.db"
    service = ConversationService(Engine(advisor), Store.open(db))
    nl = converse(service, "ana", DUTCH, "overslaan")
    en = converse(service, "sam", ENGLISH, "skip")
    desk = ReviewDesk(service.store, lambda: advisor.knowledge)
    actor = "adviseur@voorbeeld.nl"
    desk.correct(nl.id, "risk", "midden", REVIEW_TEXTS[0], actor)
    desk.correct(nl.id, "verdict-kan", "oranje", REVIEW_TEXTS[1], actor)
    desk.correct(nl.id, "instrument", "begeleidingsethiek", "Past beter bij camera's.", actor)
    desk.reply(nl.id, REVIEW_TEXTS[2], actor)
    desk.reply(en.id, ENGLISH_MESSAGE, actor)
    logged = {}
    for o in (nl, en):
        pdf = note_for(service.store, o.id, lambda: advisor.knowledge, "pdf", outcome_days=365)
        html = note_for(service.store, o.id, lambda: advisor.knowledge, "html")
        assert pdf is not None and html is not None
        logged[o.lang] = Logged(o, pdf, html.decode(), pdf_text(pdf))
    yield World(db, service.store, advisor, logged["nl"], logged["en"])
    service.close()


def test_the_conversations_gave_what_was_typed(world: World) -> None:
    for logged, typed in ((world.nl, DUTCH_TYPED), (world.en, ENGLISH_TYPED)):
        said = [a["answer"] for a in logged.outcome.answered]
        said += [a["note"] for a in logged.outcome.answered if a["note"]]
        for text in typed:
            assert text in said, f"{text!r} not among the answers {said}"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pdf_holds_every_heading_answer_note_and_reference(world: World, lang: str) -> None:
    logged = world.nl if lang == "nl" else world.en
    assert logged.pdf.startswith(b"%PDF-")
    o, text = logged.outcome, logged.text
    model = note_model(o)
    card = model["card"]
    headings = [
        model["title"],
        *(m["label"] for m in model["meta"]),
        model["question"]["label"],
        model["purpose"]["label"],
        card["title"],
        card["steps_title"],
        card["legend_title"],
        *(s["title"] for s in card["steps"]),
        *(x["label"] for x in card["legend"]),
        *(s["title"] for s in model["sections"]),
        model["footer"]["privacy_title"],
    ]
    for heading in headings:
        assert squash(heading) in text, f"heading {heading!r} missing"
    # The ethics advisor's section (the model above was built without the review).
    assert t("advisor_messages", o.lang) in text
    assert squash(REVIEW_TEXTS[2] if lang == "nl" else ENGLISH_MESSAGE) in text
    for a in o.answered:
        for part in (a["question"], a["answer"], a["note"]):
            if part:
                assert squash(part) in text, f"answer {part!r} missing"
    assert squash(o.description) in text and o.purpose and squash(o.purpose) in text
    refs = [c["ref"] for c in o.mag_het["dpia"]["criteria"] + o.mag_het["dpia"]["required_by"]]
    refs += [f["ref"] for f in o.mag_het["ai_act"]["findings"]]
    refs += [q["ref"] for q in o.mag_het["questions"]]
    assert refs, "the conversation should raise Mag-het signals with references"
    for ref in refs:  # (each in the reader's language)
        assert squash(cite(ref, o.lang)) in text, f"reference {ref!r} missing"
    for c in o.contacts:
        assert squash(c["name"]) in text
    assert squash(o.instruments[0]["name"]) in text
    # (The Dutch triage's instrument was revised: the advisor's is its first step.)
    revised = t("first_step_revised", "nl", name="Aanpak Begeleidingsethiek")
    assert squash(o.next_steps[0] if lang == "en" else revised) in text
    assert t("risk_explain_" + o.risk, o.lang) in text
    assert ("geen juridisch oordeel" if lang == "nl" else "not a legal verdict") in text
    assert ("wis mijn gegevens" if lang == "nl" else "delete my data") in text
    assert ("365 dagen" if lang == "nl" else "365 days") in text


def test_pdf_has_the_advisors_judgement_and_messages(world: World) -> None:
    text = world.nl.text
    for said in REVIEW_TEXTS:
        assert squash(said) in text
    assert "herzien door de ethiekadviseur" in text
    assert "Aanpak Begeleidingsethiek" in text  # the revised instrument, by name
    assert "Berichten met de ethiekadviseur" in text


def test_a_revised_instrument_is_the_first_step_everywhere(world: World) -> None:
    """A product trial corrected the instrument and still read "First step: carry out the
    IAMA" on the note: the advisor's instrument is now the first step, on the card and in the
    next steps, in the PDF and in the Markdown report."""
    first = t("first_step_revised", "nl", name="Aanpak Begeleidingsethiek")
    assert squash(first) in world.nl.text
    report = reviewed_report(world.store, world.nl.outcome.id, lambda: world.advisor.knowledge)
    assert report is not None and first in report
    bot_first = world.nl.outcome.next_steps[0]
    assert "begeleidingsethiek" not in bot_first.lower()  # (the bot had named another)
    assert squash(bot_first) not in world.nl.text


def test_typed_markup_stays_text_in_the_pdf(world: World) -> None:
    # Typst markup in what the person typed must print as typed, not be typeset.
    assert SCRIPT in world.en.text


def _pixels(pdf: Path) -> tuple[int, int, int]:
    """Rendered first page at 40 dpi: (all pixels, non-white pixels, coloured pixels)."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.fail(
            "pdftoppm not found: the advice note's tests need Debian's poppler-utils; run "
            "`make poppler` (or `apt-get install -y poppler-utils`).",
            pytrace=False,
        )
    ppm = subprocess.run(
        [exe, "-f", "1", "-l", "1", "-r", "40", str(pdf)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    # Binary PPM: "P6", width, height, maxval, each after whitespace, then RGB bytes.
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", ppm)
    assert m, ppm[:20]
    width, height = int(m.group(1)), int(m.group(2))
    data = ppm[m.end() :]
    assert len(data) == width * height * 3
    dark = coloured = 0
    for i in range(0, len(data), 3):
        r, g, b = data[i], data[i + 1], data[i + 2]
        if min(r, g, b) < 230:
            dark += 1
        if max(r, g, b) - min(r, g, b) > 80:
            coloured += 1
    return width * height, dark, coloured


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_first_page_is_not_blank_and_has_colour(world: World, lang: str, tmp_path: Path) -> None:
    pdf = tmp_path / "note.pdf"
    pdf.write_bytes((world.nl if lang == "nl" else world.en).pdf)
    total, dark, coloured = _pixels(pdf)
    assert dark > total * 0.02, f"{dark} of {total} pixels inked: blank page?"
    # The verdict box's coloured shapes and words.
    assert coloured > 30, f"only {coloured} coloured pixels"


def test_html_is_escaped_self_contained_and_printable(world: World) -> None:
    page = world.en.html
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page and '<html lang="nl">' in world.nl.html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    for forbidden in ("<script", "<link", " src=", "http-equiv", "@import", "url("):
        assert forbidden not in page.lower(), forbidden
    assert "@media print" in page
    for o, page in ((world.nl.outcome, world.nl.html), (world.en.outcome, world.en.html)):
        for a in o.answered:
            for part in (a["question"], a["answer"], a["note"]):
                if part:
                    assert html.escape(part) in page, part


def _has(label: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text) is not None


def test_each_note_speaks_one_language(world: World) -> None:
    for label in DUTCH_LABELS:
        assert _has(label, world.nl.text), f"Dutch label {label!r} missing in the Dutch note"
        assert not _has(label, world.en.text), f"Dutch label {label!r} in the English note"
        assert not _has(label, _visible(world.en.html)), f"Dutch {label!r} in the English page"
    for label in ENGLISH_LABELS:
        assert _has(label, world.en.text), f"English label {label!r} missing in the English note"
        assert not _has(label, world.nl.text), f"English label {label!r} in the Dutch note"
        assert not _has(label, _visible(world.nl.html)), f"English {label!r} in the Dutch page"


def _visible(page: str) -> str:
    """The page's text, without tags and the style sheet."""
    body = re.sub(r"<style>.*?</style>", " ", page, flags=re.DOTALL)
    return squash(re.sub(r"<[^>]+>", " ", body))


def test_md_is_todays_report_and_formats_agree(world: World) -> None:
    oid = world.nl.outcome.id
    md = note_for(world.store, oid, lambda: world.advisor.knowledge, "md")
    report = reviewed_report(world.store, oid, lambda: world.advisor.knowledge)
    assert md is not None and report is not None and md.decode() == report
    assert note_for(world.store, "T-000000", lambda: world.advisor.knowledge, "pdf") is None
    assert set(FORMATS) == {"md", "html", "pdf"}
    with pytest.raises(ValueError):
        render_note(world.nl.outcome, None, "docx")  # type: ignore[arg-type]


def test_pdf_is_a_pure_function_of_the_outcome(world: World) -> None:
    first = render_note(world.en.outcome, None, "pdf")
    assert render_note(world.en.outcome, None, "pdf") == first


def test_cli_writes_the_pdf_with_out(
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ETHIEKBOT_DB", str(world.db))
    out = tmp_path / "notitie.pdf"
    oid = world.nl.outcome.id
    assert main(["report", oid, "--format", "pdf", "--out", str(out)]) == 0
    assert "notitie geschreven naar" in capsys.readouterr().err
    assert squash(REVIEW_TEXTS[2]) in pdf_text(out.read_bytes())
    assert main(["report", oid, "--format", "html", "--out", str(tmp_path / "n.html")]) == 0
    assert (tmp_path / "n.html").read_text().startswith("<!DOCTYPE html>")
    # Markdown to standard output stays the default.
    capsys.readouterr()
    assert main(["report", oid]) == 0
    assert capsys.readouterr().out.startswith("# Ethiekbot: uitkomst van de triage")


def test_cli_refuses_a_pdf_on_a_terminal(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ETHIEKBOT_DB", str(world.db))
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    with pytest.raises(SystemExit) as exc:
        main(["report", world.nl.outcome.id, "--format", "pdf"])
    assert exc.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_docs_png_is_there(world: World, tmp_path: Path) -> None:
    """docs/advice-note.png, the first page of the Dutch note, for the README; regenerated with
    ETHIEKBOT_UPDATE_DOCS=1."""
    if os.environ.get("ETHIEKBOT_UPDATE_DOCS") == "1":
        exe = shutil.which("pdftoppm")
        assert exe, "pdftoppm not found: run `make poppler`"
        pdf = tmp_path / "note.pdf"
        pdf.write_bytes(world.nl.pdf)
        root = tmp_path / "page"
        subprocess.run(
            [exe, "-f", "1", "-l", "1", "-r", "80", "-png", "-singlefile", str(pdf), str(root)],
            check=True,
            timeout=60,
        )
        shutil.copyfile(root.with_suffix(".png"), DOCS_PNG)
    assert DOCS_PNG.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_english_note_cites_the_law_in_english(world: World) -> None:
    """A look at the English PDF showed its Mag-het findings citing "AVG art. 35(3)(a)" and
    "AP-lijst nr. 15"; the references follow the reader's language as in the report."""
    for dutch in ("AVG art.", "AP-lijst", "AI-verordening"):
        assert dutch not in world.en.text, dutch
    assert "GDPR art." in world.en.text or "AI Act" in world.en.text
