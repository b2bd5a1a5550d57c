"""The advisor's overview: counts over the logged triages, for the charts and their tables.

:func:`compute_overview` reads the rows once, in any order, and keeps only counters: per ISO
week and risk level, per instrument, per value, per week and Mag-het signal, and the minutes from
triage to review as a histogram (so the median is exact to the minute without keeping one
number per row). Memory grows with the number of weeks, instruments, values and distinct review
times, never with the number of rows.

    >>> ov = compute_overview([], "nl")
    >>> ov.total, ov.weeks, ov.median_review_hours
    (0, (), None)

The signals are the Mag-het quick scan's, as the outcome stores them (``Outcome.mag_het``);
:func:`outcome_signals` is the one place that says which are present, for the queue's filters
and the export as well as for the charts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from dialogs.models import Outcome
from knowledge.loader import Knowledge
from knowledge.schema import Lang

RISKS: tuple[str, ...] = ("laag", "midden", "hoog")
RISK_LABELS: dict[str, tuple[str, str]] = {
    "laag": ("laag", "low"),
    "midden": ("midden", "medium"),
    "hoog": ("hoog", "high"),
}

# The Mag-het signals the advisor filters and counts on, in the order the charts show them.
SIGNALS: tuple[str, ...] = ("dpia", "ai-prohibited", "ai-high-risk", "iama", "kia", "outside-eea")
SIGNAL_LABELS: dict[str, tuple[str, str]] = {
    "dpia": ("DPIA waarschijnlijk of verplicht", "DPIA likely or required"),
    "ai-prohibited": ("AI-verordening: mogelijk verboden", "AI Act: possibly prohibited"),
    "ai-high-risk": ("AI-verordening: hoog risico", "AI Act: high risk"),
    "iama": ("IAMA / algoritmeregister", "IAMA / algorithm register"),
    "kia": ("Kinderrechten (KIA)", "Children's rights (KIA)"),
    "outside-eea": ("Gegevens buiten de EER", "Data outside the EEA"),
}

# A hand-over stays open until the advisor has closed it or passed it on.
CLOSED_STATUSES = frozenset({"afgerond", "doorverwezen"})


def label(pair: tuple[str, str], lang: Lang) -> str:
    """The Dutch or English half of a ``(nl, en)`` pair."""
    return pair[0] if lang == "nl" else pair[1]


@dataclass(frozen=True)
class OverviewRow:
    """One logged triage as the overview needs it.

    ``risk`` is the risk in force (the advisor's correction when there is one), ``reviewed_at``
    when an advisor first reviewed it (ISO UTC), ``instrument`` the corrected instrument id when
    the advisor changed it (otherwise the outcome's first recommendation counts).
    """

    created_at: str
    risk: str
    status: str
    handed_over: bool
    reviewed_at: str | None
    outcome: Outcome
    instrument: str | None = None


@dataclass(frozen=True)
class Series:
    """One line of a chart over the weeks: ``values[i]`` belongs to ``Overview.weeks[i]``."""

    key: str
    label: str
    values: tuple[int, ...]

    @property
    def total(self) -> int:
        """The sum over all weeks."""
        return sum(self.values)


@dataclass(frozen=True)
class Count:
    """How many triages recommended one instrument."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class ValueCount:
    """How often one public value was at stake.

    ``concern``: triages whose employee named it a concern ("zorg" in the walk); the similar
    case's objections, shown when only the advice was asked, are not the employee's and do not
    count. ``raised``: triages whose description the triage linked to the value.
    """

    key: str
    label: str
    concern: int
    raised: int


@dataclass(frozen=True)
class Overview:
    """The numbers behind the overview page, in the advisor's language."""

    lang: Lang
    total: int
    weeks: tuple[str, ...]  # ISO weeks ("2025-W10"), oldest first, with no gaps
    risk_by_week: tuple[Series, ...]  # laag, midden, hoog
    signals_by_week: tuple[Series, ...]  # in the order of SIGNALS
    instruments: tuple[Count, ...]  # most recommended first
    values: tuple[ValueCount, ...]  # most often a concern first
    reviewed: int
    median_review_hours: float | None  # None when nothing was reviewed yet
    handed_over: int
    open_handovers: int

    @property
    def empty(self) -> bool:
        """No triages at all."""
        return self.total == 0


def outcome_signals(o: Outcome) -> tuple[str, ...]:
    """The Mag-het signals the overview charts, in the order of :data:`SIGNALS`: those of
    :meth:`dialogs.models.Outcome.signal_ids` (the queue's filter uses the same), without the
    two the charts leave out (personal data, which nearly every triage has, and transparency).
    """
    present = set(o.signal_ids())
    return tuple(s for s in SIGNALS if s in present)


def parse_utc(value: str) -> datetime | None:
    """An ISO time stamp as an aware UTC datetime (naive means UTC); None when unreadable."""
    try:
        dt = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def iso_week(d: date) -> str:
    """``2025-W10``: the ISO year and week of a date."""
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


class _Names:
    """Display names by id, preferring the advisor's language; bounded by the ids seen."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.exact: dict[str, str] = {}
        self.other: dict[str, str] = {}

    def see(self, key: str, name: Any, lang: str) -> None:
        if not isinstance(name, str) or not name:
            return
        if lang == self.lang:
            self.exact.setdefault(key, name)
        else:
            self.other.setdefault(key, name)

    def get(self, key: str, known: str | None) -> str:
        return known or self.exact.get(key) or self.other.get(key) or key


class _Accumulator:
    """The counters of one pass over the rows."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.total = 0
        self.risk: Counter[tuple[date, str]] = Counter()  # (Monday of the week, risk)
        self.signal: Counter[tuple[date, str]] = Counter()
        self.mondays: set[date] = set()
        self.instruments: Counter[str] = Counter()
        self.concern: Counter[str] = Counter()
        self.raised: Counter[str] = Counter()
        self.minutes: Counter[int] = Counter()  # review time histogram, whole minutes
        self.handed_over = 0
        self.open_handovers = 0
        self.instrument_names = _Names(lang)
        self.value_names = _Names(lang)

    def add(self, row: OverviewRow) -> None:
        o = row.outcome
        self.total += 1
        created = parse_utc(row.created_at)
        if created is not None:
            monday = created.date() - timedelta(days=created.weekday())
            self.mondays.add(monday)
            if row.risk in RISKS:
                self.risk[monday, row.risk] += 1
            for s in outcome_signals(o):
                self.signal[monday, s] += 1
        instrument = row.instrument or o.instrument_id
        if instrument:
            self.instruments[instrument] += 1
            for i in o.instruments:
                self.instrument_names.see(str(i.get("id")), i.get("name"), o.lang)
        for line in o.undesirable:
            self.value_names.see(line.value, line.name, o.lang)
        for line in o.desirable:
            self.value_names.see(line.value, line.name, o.lang)
        # Only what the employee named: a concern the bot took from a similar case is not one.
        self.concern.update({vid for vid, a in o.value_answers.items() if a.answer == "zorg"})
        self.raised.update(set(o.values))
        if row.reviewed_at and created is not None:
            reviewed = parse_utc(row.reviewed_at)
            # A review stamped before the triage is a clock error, not a negative wait.
            if reviewed is not None and reviewed >= created:
                self.minutes[round((reviewed - created).total_seconds() / 60)] += 1
        if row.handed_over:
            self.handed_over += 1
            if row.status not in CLOSED_STATUSES:
                self.open_handovers += 1

    def median_hours(self) -> float | None:
        n = self.minutes.total()
        if n == 0:
            return None
        # The two middle ranks (the same one when n is odd), found in the sorted histogram.
        lo_rank, hi_rank = (n - 1) // 2, n // 2
        lo = hi = None
        seen = 0
        for minutes in sorted(self.minutes):
            seen += self.minutes[minutes]
            if lo is None and seen > lo_rank:
                lo = minutes
            if seen > hi_rank:
                hi = minutes
                break
        assert lo is not None and hi is not None
        return round((lo + hi) / 2 / 60, 2)

    def result(self, knowledge: Knowledge | None) -> Overview:
        lang = self.lang
        weeks: list[date] = []
        if self.mondays:
            day, last = min(self.mondays), max(self.mondays)
            while day <= last:
                weeks.append(day)
                day += timedelta(days=7)

        def series(
            keys: Iterable[str], labels: Mapping[str, tuple[str, str]], c: Counter[Any]
        ) -> tuple[Series, ...]:
            return tuple(
                Series(k, label(labels[k], lang), tuple(c[w, k] for w in weeks)) for k in keys
            )

        def instrument_name(key: str) -> str:
            known = knowledge.instruments.get(key) if knowledge else None
            return self.instrument_names.get(key, known.name.get(lang) if known else None)

        def value_name(key: str) -> str:
            known = knowledge.values.get(key) if knowledge else None
            return self.value_names.get(key, known.name.get(lang) if known else None)

        values = [
            ValueCount(k, value_name(k), self.concern[k], self.raised[k])
            for k in set(self.concern) | set(self.raised)
        ]
        values.sort(key=lambda v: (-v.concern, -v.raised, v.label))
        instruments = [Count(k, instrument_name(k), n) for k, n in self.instruments.items()]
        instruments.sort(key=lambda c: (-c.count, c.label))
        return Overview(
            lang=lang,
            total=self.total,
            weeks=tuple(iso_week(w) for w in weeks),
            risk_by_week=series(RISKS, RISK_LABELS, self.risk),
            signals_by_week=series(SIGNALS, SIGNAL_LABELS, self.signal),
            instruments=tuple(instruments),
            values=tuple(values),
            reviewed=self.minutes.total(),
            median_review_hours=self.median_hours(),
            handed_over=self.handed_over,
            open_handovers=self.open_handovers,
        )


def compute_overview(
    rows: Iterable[OverviewRow], lang: Lang, knowledge: Knowledge | None = None
) -> Overview:
    """The overview of ``rows`` in one pass (a generator from the store is fine).

    ``knowledge`` gives instrument and value names in ``lang``; without it the names the
    outcomes themselves carry are used (in their own language when no outcome in ``lang``
    names it).
    """
    acc = _Accumulator(lang)
    for row in rows:
        acc.add(row)
    return acc.result(knowledge)
