"""The workspace's case and contacts editors: rendered, submitted as a browser would, parsed back.

:class:`Submitted` reads the rendered HTML with the standard library's parser and collects what
a browser posts for it (hidden and text inputs, textareas with the HTML rule that drops the one
newline after ``<textarea>``), so a round trip here is render → what the browser sends → parse.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from adapters.advisor.case_form import (
    parse_case_form,
    parse_contacts_form,
    render_case_form,
    render_contacts_form,
)
from dialogs.models import ConversationState, QuestionAnswer, ValueAnswer
from dialogs.outcome import build_outcome
from knowledge.loader import Knowledge, load
from knowledge.promote import (
    PromotionError,
    draft_case,
    publish_case,
    read_contacts,
    save_contacts,
    validate_case,
)
from knowledge.schema import Provenance
from knowledge.triage import Advisor

SCRIPT = "<script>alert('x')</script>"
BINS = (
    "De gemeente wil vulgraadsensoren in ondergrondse afvalcontainers plaatsen, zodat de "
    "vuilniswagen alleen langskomt als een container bijna vol is."
)


class Submitted(HTMLParser):
    """The form data a browser would post for the first form in the HTML, and its elements."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, str] = {}
        self.elements: list[tuple[str, dict[str, str]]] = []
        # element id (a label: "label-for:<control id>") -> its text content
        self.text_of: dict[str, str] = {}
        self._textarea: str | None = None
        self._buffer: list[str] = []
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if tag != "input":
            key = f"label-for:{a['for']}" if tag == "label" and "for" in a else a.get("id")
            self._open.append((tag, key))
        if tag == "input" and a.get("type", "text") in ("text", "hidden") and "name" in a:
            self.data[a["name"]] = a.get("value", "")
        if tag == "textarea":
            self._textarea = a["name"]
            self._buffer = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._buffer)
            self.data[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._buffer.append(data)
        for _, eid in self._open:
            if eid:
                self.text_of[eid] = self.text_of.get(eid, "") + data

    def by_id(self, eid: str) -> dict[str, str]:
        return next(a for _, a in self.elements if a.get("id") == eid)

    def tags(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag]


@pytest.fixture(scope="module")
def draft(advisor: Advisor) -> dict[str, Any]:
    state = ConversationState(
        lang="nl",
        step="outcome",
        description=BINS,
        queue=["q:doel", "v:privacy"],
        answers={"doel": QuestionAnswer(answer="open", note="Minder ritten")},
        value_answers={"privacy": ValueAnswer(answer="zorg", note="Afvalgedrag per huishouden")},
    )
    outcome = build_outcome(advisor, state, "T-77aa01", datetime(2026, 11, 2, tzinfo=UTC))
    return draft_case(
        outcome,
        ["Bewaar geen gegevens per adres.", "Vertel inwoners wat de sensor meet."],
        title="Vulgraadsensoren in containers",
        organisation="Gemeente Voorbeeld",
        advisor=advisor,
    )


def test_round_trip_gives_back_the_draft(draft: dict[str, Any], knowledge: Knowledge) -> None:
    html = render_case_form(draft, [], "csrf-token-1", "/advisor/outcomes/T-77aa01/case", "nl")
    posted = Submitted(html).data
    assert posted["csrf"] == "csrf-token-1"
    assert parse_case_form(posted) == draft
    assert validate_case(parse_case_form(posted), knowledge) == []


def test_round_trip_of_everything_a_case_can_hold() -> None:
    full: dict[str, Any] = {
        "id": "alles",
        "title": {"nl": "Titel & <b>vet</b>", "en": 'Title "quoted"'},
        "organisation": "Provincie O'Land",
        "year": "2024-heden",
        "question": {"nl": "\nBegint met een lege regel?", "en": "Question?"},
        "summary": {"nl": "Eerste alinea.\n\nTweede alinea.", "en": "One.\n\nTwo."},
        "technologies": ["sensoren", SCRIPT],
        "data": ["vulgraad"],
        "stakeholders": ["inwoners", "reinigingsdienst"],
        "values_for": [
            {"value": "duurzaamheid", "because": {"nl": "Minder ritten", "en": "Fewer trips"}},
            {"value": "effectiviteit", "because": {"nl": "Goedkoper", "en": "Cheaper"}},
            {"value": "inclusie", "because": {"nl": "Niemand vergeten", "en": "Nobody left"}},
        ],
        "values_against": [
            {"value": "privacy", "because": {"nl": SCRIPT, "en": "Household habits"}},
        ],
        "instrument": None,
        "approach": {"nl": "Gesprek", "en": "Conversation"},
        "lessons": [{"nl": "Les één", "en": "Lesson one"}, {"nl": "Les twee", "en": ""}],
        "source": "Ethiekbot, triage T-1",
        "signals": ["sensor"],
        "decisions": [{"nl": "Besluit", "en": "Decision"}],
    }
    html = render_case_form(full, [], "t", "/a", "en")
    back = parse_case_form(Submitted(html).data)
    # A leading newline in a textarea survives; one without its English twin becomes "".
    assert back == full | {"question": {"nl": "Begint met een lege regel?", "en": "Question?"}}


def test_every_value_is_escaped_and_there_is_no_inline_script_or_style(
    draft: dict[str, Any],
) -> None:
    hostile = dict(draft)
    hostile["title"] = {"nl": SCRIPT, "en": '"><img src=x onerror=alert(1)>'}
    hostile["technologies"] = [SCRIPT]
    hostile["values_against"] = [{"value": SCRIPT, "because": {"nl": SCRIPT, "en": SCRIPT}}]
    problems = [f"cases/x.yaml: values_against[0].value: unknown value {SCRIPT!r}"]
    html = render_case_form(hostile, problems, '"><script>', '/a"><script>', "nl")
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;" in html
    parsed = Submitted(html)
    # What the browser builds: no script or style element, no handler or style attribute.
    tags = {tag for tag, _ in parsed.elements}
    assert not tags & {"script", "style", "img"}
    attributes = {name for _, attrs in parsed.elements for name in attrs}
    assert not [a for a in attributes if a.startswith("on") or a == "style"]
    assert parsed.data["title-nl"] == SCRIPT  # escaped, so the browser posts the text back
    assert parsed.data["csrf"] == '"><script>'
    assert parse_case_form(parsed.data)["title"]["en"] == '"><img src=x onerror=alert(1)>'

    contacts = render_contacts_form(f"contacts: {SCRIPT}\n", [SCRIPT], "t", "/c", "en")
    assert "<script" not in contacts.lower()
    assert Submitted(contacts).data["contacts"] == f"contacts: {SCRIPT}\n"


def test_every_control_has_a_label_and_lives_in_a_fieldset(draft: dict[str, Any]) -> None:
    html = render_case_form(draft, [], "t", "/a", "nl")
    parsed = Submitted(html)
    controls = [
        a for t, a in parsed.elements if t in ("input", "textarea") and a.get("type") != "hidden"
    ]
    assert len(controls) > 20
    for control in controls:
        label = parsed.text_of.get(f"label-for:{control['id']}", "").strip()
        assert label, control
    assert html.count("<fieldset>") == html.count("</fieldset>") >= 7
    assert html.count("<legend>") == html.count("<fieldset>")
    # Each bilingual control says its language, for screen readers and spelling checks.
    assert parsed.by_id("case-title-nl")["lang"] == "nl"
    assert parsed.by_id("case-title-en")["lang"] == "en"
    assert "Titel (Nederlands, verplicht)" in html
    assert parsed.by_id("case-title-nl")["aria-required"] == "true"
    # Lists are one item per line, and say so.
    hint = parsed.by_id("case-technologies")["aria-describedby"]
    assert "Eén per regel." in html and hint == "case-technologies-hint"
    assert 'role="alert"' not in html  # no problems, no alert
    # The two ways to submit.
    buttons = parsed.tags("button")
    assert [(b["name"], b["value"]) for b in buttons] == [
        ("intent", "check"),
        ("intent", "publish"),
    ]
    english = render_case_form(draft, [], "t", "/a", "en")
    assert "Title (Dutch, required)" in english and "Publish" in english


def test_problems_are_an_alert_linked_to_their_fields(
    draft: dict[str, Any], knowledge: Knowledge
) -> None:
    broken = dict(draft)
    broken["title"] = {"nl": "", "en": draft["title"]["en"]}
    broken["values_against"] = [
        {"value": "privacyy", "because": draft["values_against"][0]["because"]}
    ]
    broken["lessons"] = []
    problems = validate_case(broken, knowledge)
    # Schema problems first; names are checked once the case holds together.
    places = [p.split(": ")[1] for p in problems]
    assert places[0] == "line 3, title.nl"
    assert re.fullmatch(r"line \d+, lessons", places[1])
    assert len(places) == 2
    broken["lessons"] = draft["lessons"]
    problems = validate_case(broken, knowledge)
    assert [p.split(": ")[1] for p in problems] == ["line 3, title.nl"]

    fixed_title = dict(broken, title=draft["title"])
    value_problems = validate_case(fixed_title, knowledge)
    assert value_problems == [
        f"cases/{draft['id']}.yaml: values_against[0].value: unknown value 'privacyy'"
    ]

    all_problems = [*problems, *value_problems, "cases/x.yaml: the file is empty"]
    html = render_case_form(broken, all_problems, "t", "/a", "nl")
    parsed = Submitted(html)
    alert = parsed.by_id("case-problems")
    assert alert["role"] == "alert"
    assert parsed.tags("form")[0]["aria-describedby"] == "case-problems"
    for i, problem in enumerate(all_problems):
        assert parsed.text_of[f"case-problem-{i}"] == problem
    title_nl = parsed.by_id("case-title-nl")
    assert title_nl["aria-invalid"] == "true"
    title_problem = next(i for i, p in enumerate(all_problems) if "title.nl" in p)
    assert f"case-problem-{title_problem}" in title_nl["aria-describedby"].split()
    assert "aria-invalid" not in parsed.by_id("case-title-en")
    value = parsed.by_id("case-values_against-0-value")
    assert value["aria-invalid"] == "true"
    assert f"case-problem-{len(problems)}" in value["aria-describedby"].split()
    assert "aria-invalid" not in parsed.by_id("case-values_against-0-nl")


def test_an_edited_form_is_published(
    draft: dict[str, Any], tmp_path: Path, knowledge: Knowledge
) -> None:
    posted = Submitted(render_case_form(draft, [], "t", "/a", "nl")).data
    # What the advisor does in the browser: translate, add a value in an empty row, a lesson.
    posted["title-en"] = "Fill-level sensors in containers"
    posted["values_for-5-value"] = "duurzaamheid"
    posted["values_for-5-nl"] = "Minder ritten\r\nen minder uitstoot"
    posted["values_for-5-en"] = "Fewer trips"
    posted["lessons-nl"] += "\r\n\r\nBegin klein.\r\n"  # a stray blank line shifts nothing
    posted["lessons-en"] += "\r\nStart small."
    edited = parse_case_form(posted)
    assert edited["values_for"][-1]["value"] == "duurzaamheid"
    assert edited["lessons"][-1] == {"nl": "Begin klein.", "en": "Start small."}
    path = publish_case(
        edited,
        tmp_path,
        knowledge,
        Provenance(outcome_id="T-77aa01", by="a@b.example", at=datetime.now(UTC)),
    )
    case = load(local_dir=tmp_path).cases[draft["id"]]
    assert case.title.en == "Fill-level sensors in containers"
    assert case.values_for[-1].because.nl == "Minder ritten\nen minder uitstoot"
    assert path.is_file()

    # Shown again after publishing, the provenance is there but not editable.
    again = render_case_form(
        {**edited, "provenance": {"outcome_id": "T-77aa01", "by": "a@b.example", "at": "x"}},
        [],
        "t",
        "/a",
        "nl",
    )
    assert "Gepromoveerd uit triage T-77aa01 door a@b.example" in again
    assert "provenance" not in parse_case_form(Submitted(again).data)


def test_contacts_form_round_trip_and_problems(tmp_path: Path) -> None:
    text = read_contacts(tmp_path)
    html = render_contacts_form(text, [], "tok", "/advisor/contacts", "nl")
    parsed = Submitted(html)
    assert parsed.data == {"csrf": "tok", "contacts": text}
    assert parsed.by_id("contacts-yaml")["aria-describedby"] == "contacts-yaml-hint"
    browser_posted = {k: v.replace("\n", "\r\n") for k, v in parsed.data.items()}
    assert parse_contacts_form(browser_posted) == text
    save_contacts(tmp_path, parse_contacts_form(browser_posted))

    with pytest.raises(PromotionError) as refused:
        save_contacts(tmp_path, "contacts:\n  - id: Fout\n")
    problems = refused.value.problems
    html = render_contacts_form("contacts:\n  - id: Fout\n", problems, "tok", "/c", "en")
    parsed = Submitted(html)
    assert parsed.by_id("contacts-problems")["role"] == "alert"
    assert parsed.by_id("contacts-yaml")["aria-invalid"] == "true"
    assert parsed.by_id("contacts-yaml")["aria-describedby"].split() == [
        "contacts-yaml-hint",
        "contacts-problems",
    ]
    assert all(p in parsed.text_of["contacts-problems"] for p in problems)
    assert "The contacts cannot be saved:" in html
