"""The plain-text rendering of a triage (the default output of ``ethiekbot triage``)."""

from __future__ import annotations

from adapters.terminal import render_triage
from knowledge.loader import Knowledge
from knowledge.triage import Advisor

FRAUD = "Een algoritme dat voorspelt welke mensen in de bijstand fraude plegen."


def test_render_in_dutch(advisor: Advisor, knowledge: Knowledge) -> None:
    t = advisor.triage(FRAUD)
    out = render_triage(t, knowledge, "nl")
    headings = [
        "Vergelijkbare casussen:",
        "Waarden die op het spel staan:",
        "Aanbevolen instrument:",
        "Mag het? Snelle scan:",
        "Risico: HOOG",
    ]
    positions = [out.index(h) for h in headings]
    assert positions == sorted(positions)  # in this order
    assert knowledge.instruments["iama"].name.nl in out
    assert knowledge.cases[t.cases[0].id].lessons[0].nl in out
    assert "mogelijk hoog risico" in out
    assert "Dit zijn signalen, geen juridisch oordeel" in out


def test_render_in_english(advisor: Advisor, knowledge: Knowledge) -> None:
    out = render_triage(advisor.triage(FRAUD), knowledge, "en")
    for heading in ("Similar cases:", "Values at stake:", "Recommended instrument:", "Risk: HOOG"):
        assert heading in out
    assert knowledge.instruments["iama"].name.en in out
    assert "Vergelijkbare" not in out


def test_render_shows_at_most_three_cases_and_five_values(
    advisor: Advisor, knowledge: Knowledge
) -> None:
    t = advisor.triage(FRAUD)
    assert len(t.cases) > 3 or len(t.values) > 5  # otherwise this test proves nothing
    out = render_triage(t, knowledge, "nl")
    for m in t.cases[3:]:
        assert f"  - {m.case.title.nl} (" not in out
    for v in t.values[5:]:
        assert f"  - {knowledge.values[v.id].name.nl}: " not in out


def test_a_greeting_gets_a_question_back(advisor: Advisor, knowledge: Knowledge) -> None:
    t = advisor.triage("Hallo")
    assert t.cases == [] and t.needs_more
    out = render_triage(t, knowledge, "nl")
    assert "Vertel iets meer" in out and "Risico" not in out


def test_render_puts_notices_first(advisor: Advisor, knowledge: Knowledge) -> None:
    out = render_triage(advisor.triage("drones " * 5_000), knowledge, "nl")
    assert out.startswith("! Je tekst was langer dan")


def test_nonsense_gets_a_question_back_not_a_risk(advisor: Advisor, knowledge: Knowledge) -> None:
    out = render_triage(advisor.triage("asdf qwerty"), knowledge, "nl")
    assert "Vertel iets meer" in out and "Bijvoorbeeld" in out
    assert "Risico" not in out and "LAAG" not in out
