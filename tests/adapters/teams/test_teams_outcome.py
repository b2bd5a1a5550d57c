"""The outcome in Teams: the verdict card first, each section an Action.ShowCard to open.

Cards are checked against our strict subset schema and Teams' 28 KB (``card_problems``), and
against Microsoft's own Adaptive Cards library (``validate`` from test_cards_official.py).
"""

from __future__ import annotations

import json
from typing import Any

from adapters.teams import CARD_LIMIT_BYTES, cards_for
from dialogs.markdown import escape
from dialogs.models import Choice, Reply
from tests.adapters.teams.helpers import (
    QUESTION,
    MockConnector,
    TeamsServer,
    assert_valid_cards,
    card_problems,
)
from tests.adapters.teams.test_cards_official import validate
from tests.adapters.teams.test_protocol import Conversation

COLOURS = {"●": "Good", "▲": "Warning", "■": "Attention", "○": "Default"}
WORDS = {"●": "groen", "▲": "oranje", "■": "rood", "○": "onbekend"}


def _line(block: dict[str, Any]) -> str:
    return "".join(run["text"] for run in block["inlines"])


def _show_cards(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        action
        for element in card["body"]
        if element["type"] == "ActionSet"
        for action in element["actions"]
    ]


async def test_the_outcome_is_a_verdict_card_with_sections_to_open(
    teams: TeamsServer, connector: MockConnector
) -> None:
    conv = Conversation(teams, connector)
    quick = await conv.say(QUESTION)
    outcome = await conv.click(quick, "Alleen het advies")
    assert_valid_cards(connector.sent)
    assert len(outcome) == 1, "the outcome fits one message"
    card = outcome[0].card
    assert validate([card]) == [[]]
    body = card["body"]
    kinds = [e["type"] for e in body]
    first_set = kinds.index("ActionSet")
    sets = [i for i, k in enumerate(kinds) if k == "ActionSet"]
    # Top-down: the verdict card, the sections (one ActionSet each, in a row), the offer.
    assert sets == list(range(first_set, first_set + len(sets))) and len(sets) >= 4
    assert set(kinds[:first_set]) == {"RichTextBlock"}
    assert kinds[sets[-1] + 1 :] == ["RichTextBlock"]
    assert _line(body[-1]).startswith("Wil je dit doorgeven")
    lines = [_line(b) for b in body[:first_set]]
    assert lines[0] == "Uitkomst" and "Oordeel per stap" in lines
    assert any(x.startswith("Risico: ") for x in lines)
    assert any(x.startswith("Eerste stap: ") for x in lines)
    assert "Aanbevolen instrument" not in "\n".join(lines)  # folded away

    # Each verdict: its mark in the verdict's colour, and the word beside it.
    verdicts = [b for b in body[:first_set] if "het?" in _line(b) and _line(b).startswith("• ")]
    assert len(verdicts) == 3
    for block in verdicts:
        mark = block["inlines"][1]
        assert mark["text"] in COLOURS and mark["color"] == COLOURS[mark["text"]]
        assert f" {WORDS[mark['text']]}" in _line(block)

    shown = _show_cards(card)
    titles = [a["title"] for a in shown]
    assert titles[0] == "Waarom, per stap" and titles[-1] == "Volgende stappen", titles
    opened = {a["title"]: "\n".join(_line(b) for b in a["card"]["body"]) for a in shown}
    assert "Aanbevolen instrument" in opened["Instrument en aanspreekpunten"]
    assert opened["Volgende stappen"].startswith("1. ")
    # The choices stay the card's own actions, under everything.
    assert [a["title"] for a in card["actions"]] == [
        "Geef door aan de ethiekadviseur",
        "Rapport",
        "Herinner ons bij ijkmomenten",
        "Opnieuw beginnen",
    ]
    assert all(a["type"] == "Action.Submit" for a in card["actions"])
    # They still work after the sections.
    report = await conv.click(outcome, "Rapport")
    assert "rapport" in report[0].text.lower()


def _long_outcome(lang: str = "nl") -> Reply:
    nasty = escape("<at>iedereen</at> **vet** _schuin_")
    card = (
        "**Uitkomst**\n\n**Oordeel per stap**\n"
        f"- ● **Willen we het?** groen: {nasty}\n"
        "- ▲ **Mag het?** oranje\n- ○ **Kan het?** onbekend\n\n"
        "_groen: geen bezwaar gezien_"
    )
    sections = [
        {"id": "why", "title": "Waarom, per stap", "markdown": "- kort"},
        {"id": "values", "title": "Waarden en je antwoorden", "markdown": f"- {nasty}\n" * 900},
        {"id": "cases", "title": "Wat elders geleerd is", "markdown": "- les " * 20},
        {"id": "next", "title": "Volgende stappen", "markdown": "1. eerst\n2. dan"},
    ]
    return Reply(
        text="**Uitkomst**",
        choices=[Choice(id="n.1.report", label="Rapport"), Choice(id="n.1.x", label="Stop")],
        content={
            "kind": "outcome",
            "outcome": {"id": "T-0123456789abcdef01234567", "lang": lang},
            "card": card,
            "sections": sections,
            "offer": "Wil je het rapport?",
        },
    )


def test_a_section_too_long_to_fold_follows_as_cards_of_its_own() -> None:
    cards = cards_for(_long_outcome())
    assert len(cards) >= 3
    for card in cards:
        assert list(card_problems(card)) == []
    assert validate(cards) == [[] for _ in cards]
    head, *rest = cards
    # The head: the verdict card and the sections that fit, folded; no buttons yet.
    assert [a["title"] for a in _show_cards(head)] == [
        "Waarom, per stap",
        "Wat elders geleerd is",
        "Volgende stappen",
    ]
    assert "actions" not in head
    # Then the long one, open, and the offer with the choices last.
    text = "\n".join(_line(b) for c in rest for b in c["body"] if b["type"] == "RichTextBlock")
    assert text.startswith("Waarden en je antwoorden")
    assert text.rstrip().endswith("Wil je het rapport?")
    assert [bool(c.get("actions")) for c in rest] == [False] * (len(rest) - 1) + [True]
    assert [a["title"] for a in rest[-1]["actions"]] == ["Rapport", "Stop"]
    # User text is literal: TextRuns never read Markdown or mentions.
    assert "<at>iedereen</at> **vet** _schuin_" in text
    assert all(len(json.dumps(c).encode()) <= CARD_LIMIT_BYTES for c in cards)


def test_the_verdict_marks_are_coloured_and_user_text_stays_literal() -> None:
    reply = _long_outcome()
    reply.content["sections"] = reply.content["sections"][:1]  # type: ignore[index]
    [card] = cards_for(reply)
    first = next(b for b in card["body"] if _line(b).startswith("• ● "))
    assert first["inlines"][1] == {"type": "TextRun", "text": "●", "color": "Good"}
    assert _line(first).endswith("groen: <at>iedereen</at> **vet** _schuin_")
    unknown = next(b for b in card["body"] if _line(b).startswith("• ○ "))
    assert unknown["inlines"][1]["isSubtle"] is True
    assert list(card_problems(card)) == []


def test_an_outcome_without_a_card_is_shown_as_its_text() -> None:
    reply = Reply(text="**Uitkomst**\n\n- alles", content={"kind": "outcome"})
    [card] = cards_for(reply)
    assert [e["type"] for e in card["body"]] == ["RichTextBlock", "RichTextBlock"]
