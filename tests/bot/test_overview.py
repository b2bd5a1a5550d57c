"""The advisor's overview, computed over rows holding real outcomes made by the engine."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.overview import (
    RISKS,
    SIGNALS,
    OverviewRow,
    compute_overview,
    iso_week,
    outcome_signals,
)
from dialogs.models import Outcome
from knowledge.loader import Knowledge
from knowledge.triage import Advisor
from tests.bot.triages import DESCRIPTIONS, advice, walk

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday, ISO week 2025-W10


@pytest.fixture(scope="module")
def outcomes(advisor: Advisor) -> dict[str, Outcome]:
    out = {
        k: advice(advisor, d, T0, conversation=k, lang="en" if k == "chatbot" else "nl")
        for k, d in DESCRIPTIONS.items()
    }
    out["fraude-walk"] = walk(
        advisor,
        DESCRIPTIONS["fraude"],
        T0,
        answers={"privacy": "zorg", "gelijkwaardigheid": "zorg", "kinderen": "nee"},
        notes={"doel": "Fraude eerder opsporen"},
    )
    return out


def row(
    o: Outcome,
    at: datetime,
    *,
    risk: str | None = None,
    status: str = "nieuw",
    handed_over: bool = False,
    reviewed: timedelta | None = None,
    instrument: str | None = None,
) -> OverviewRow:
    return OverviewRow(
        created_at=at.isoformat(timespec="seconds"),
        risk=risk or o.risk,
        status=status,
        handed_over=handed_over,
        reviewed_at=(at + reviewed).isoformat() if reviewed is not None else None,
        outcome=o,
        instrument=instrument,
    )


def test_signals_come_from_the_quick_scan_of_real_triages(outcomes: dict[str, Outcome]) -> None:
    # Drones measuring ammonia name no people: no personal data, so no DPIA signal.
    assert outcome_signals(outcomes["drones"]) == ()
    assert outcome_signals(outcomes["fraude"]) == ("dpia", "ai-high-risk", "iama")
    assert outcome_signals(outcomes["kinderen"]) == ("kia", "outside-eea")
    # An outcome logged before the scan had these keys simply has no signals.
    assert outcome_signals(outcomes["fraude"].model_copy(update={"mag_het": {}})) == ()


def test_counts_per_week_risk_signal_instrument_and_value(
    outcomes: dict[str, Outcome], knowledge: Knowledge
) -> None:
    d, f, k = outcomes["drones"], outcomes["fraude"], outcomes["kinderen"]
    week3 = T0 + timedelta(weeks=2, days=3)  # W12; W11 has nothing
    rows = [
        row(d, T0),
        row(f, T0 + timedelta(hours=5)),
        row(f, T0 + timedelta(days=6, hours=14)),  # Sunday evening: still W10
        row(k, week3),
        row(d, week3, risk="hoog"),  # the advisor raised the risk: that one counts
        row(k, week3, instrument="deda"),  # the advisor chose another instrument
    ]
    ov = compute_overview(iter(rows), "nl", knowledge=knowledge)
    assert ov.total == 6
    assert ov.weeks == ("2025-W10", "2025-W11", "2025-W12")
    by_risk = {s.key: s.values for s in ov.risk_by_week}
    assert [s.key for s in ov.risk_by_week] == list(RISKS)
    assert by_risk == {"laag": (0, 0, 0), "midden": (1, 0, 2), "hoog": (2, 0, 1)}
    by_signal = {s.key: s.values for s in ov.signals_by_week}
    assert [s.key for s in ov.signals_by_week] == list(SIGNALS)
    assert by_signal["dpia"] == (2, 0, 0)  # fraud twice; drones and the app: one criterion or none
    assert by_signal["ai-high-risk"] == (2, 0, 0)
    assert by_signal["kia"] == (0, 0, 2)
    assert by_signal["ai-prohibited"] == (0, 0, 0)
    counts = {c.key: c.count for c in ov.instruments}
    expected: dict[str, int] = {}
    for o in (d, f, f, k, d):
        iid = o.instruments[0]["id"]
        expected[iid] = expected.get(iid, 0) + 1
    expected["deda"] = expected.get("deda", 0) + 1
    assert counts == expected
    assert [c.count for c in ov.instruments] == sorted(counts.values(), reverse=True)
    names = {c.key: c.label for c in ov.instruments}
    assert names["deda"] == knowledge.instruments["deda"].name.nl
    values = {v.key: v for v in ov.values}
    for o in (d, f, f, k, d, k):
        for vid in o.values:
            assert values[vid].raised >= 1
    # "privacy" is raised by all three; nobody walked, so nobody named it a concern (the
    # drones advice shows its similar case's objection, which is not the employee's).
    assert values["privacy"].raised == sum("privacy" in o.values for o in (d, f, f, k, d, k))
    assert any(u.value == "privacy" for u in d.undesirable)
    assert values["privacy"].concern == 0
    assert values["privacy"].label == "Privacy"


def test_a_concern_counts_only_when_the_employee_named_it(
    outcomes: dict[str, Outcome], knowledge: Knowledge
) -> None:
    """'Als zorg genoemd' is what employees said, not what a similar case objected to."""
    walked, d = outcomes["fraude-walk"], outcomes["drones"]
    ov = compute_overview(iter([row(walked, T0), row(d, T0)]), "nl", knowledge=knowledge)
    values = {v.key: v for v in ov.values}
    assert values["privacy"].concern == 1 and values["gelijkwaardigheid"].concern == 1


def test_median_time_to_review_and_open_hand_overs(outcomes: dict[str, Outcome]) -> None:
    o = outcomes["fraude-walk"]
    h = timedelta(hours=1)
    rows = [
        row(o, T0, reviewed=1 * h, handed_over=True, status="afgerond"),
        row(o, T0, reviewed=3 * h, handed_over=True, status="in-behandeling"),
        row(o, T0, reviewed=5 * h, handed_over=True, status="doorverwezen"),
        row(o, T0, reviewed=10 * h),
        row(o, T0, reviewed=-2 * h),  # a clock error, not a review before the triage
        row(o, T0, handed_over=True),  # nieuw: open
        row(o, T0),
    ]
    ov = compute_overview(rows, "nl")
    assert ov.reviewed == 4
    assert ov.median_review_hours == 4.0  # (3 + 5) / 2
    assert compute_overview(rows[:3], "nl").median_review_hours == 3.0
    assert ov.handed_over == 4
    assert ov.open_handovers == 2


def test_nothing_reviewed_and_no_rows(outcomes: dict[str, Outcome]) -> None:
    ov = compute_overview([row(outcomes["drones"], T0)], "en")
    assert ov.median_review_hours is None and ov.reviewed == 0
    empty = compute_overview([], "nl")
    assert empty.empty and empty.weeks == () and empty.instruments == () and empty.values == ()
    assert all(s.values == () for s in empty.risk_by_week)


def test_names_follow_the_advisors_language(
    outcomes: dict[str, Outcome], knowledge: Knowledge
) -> None:
    en = outcomes["chatbot"]  # an English triage
    iid = en.instruments[0]["id"]
    # Without the knowledge, the English outcome's own name is the fallback ...
    ov = compute_overview([row(en, T0)], "nl")
    assert ov.instruments[0].label == en.instruments[0]["name"]
    # ... and with it the Dutch name is used.
    ov = compute_overview([row(en, T0)], "nl", knowledge=knowledge)
    assert ov.instruments[0].label == knowledge.instruments[iid].name.nl


def test_iso_weeks_across_a_year_end() -> None:
    assert iso_week(datetime(2024, 12, 30).date()) == "2025-W01"
    assert iso_week(datetime(2026, 1, 1).date()) == "2026-W01"


def test_one_pass_with_memory_that_does_not_grow_with_the_rows(
    outcomes: dict[str, Outcome],
) -> None:
    o = outcomes["fraude"]

    def rows(n: int) -> Iterator[OverviewRow]:
        for i in range(n):
            at = T0 + timedelta(minutes=7 * i % (60 * 24 * 70))  # ten weeks, over and over
            yield row(o, at, reviewed=timedelta(minutes=i % 500), handed_over=i % 3 == 0)

    def peak(n: int) -> int:
        tracemalloc.start()
        try:
            ov = compute_overview(rows(n), "nl")
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert ov.total == n

    small, large = peak(2_000), peak(20_000)
    assert large < small + 256 * 1024, (small, large)
