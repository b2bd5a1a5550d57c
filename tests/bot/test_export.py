"""The queue's export: rows from a real store, CSV and JSON streamed with bounded memory."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.export import EXPORT_FIELDS, csv_cell, export_row, export_rows, iter_csv, iter_json
from bot.overview import outcome_signals
from bot.storage import OutcomeRecord, Store
from bot.storage.review import QueueRow
from knowledge.triage import Advisor
from tests.bot.triages import DESCRIPTIONS, advice

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
REQUIRED = {"id", "created", "channel", "risk", "status", "handed_over", "instrument"}


@pytest.fixture(scope="module")
def stored(
    advisor: Advisor, tmp_path_factory: pytest.TempPathFactory
) -> tuple[OutcomeRecord, QueueRow]:
    """A real triage, logged, handed over and assigned in a real SQLite store: the record and
    its row of the queue."""
    o = advice(advisor, DESCRIPTIONS["fraude"], T0)
    store = Store.open(tmp_path_factory.mktemp("export") / "ethiekbot.db")
    try:
        store.log_outcome(o, "slack", "U123", T0)
        store.hand_over(o.id, "slack:U123", T0 + timedelta(minutes=2))
        store.add_advisor("adviseur@provincie.nl")
        store.assign(o.id, "adviseur@provincie.nl")
        rec = store.get_outcome(o.id)
        (row,) = store.queue()
    finally:
        store.close()
    assert rec is not None
    return rec, row


def test_export_row_from_a_stored_outcome(stored: tuple[OutcomeRecord, QueueRow]) -> None:
    record, queue_row = stored
    row = export_row(queue_row)
    assert tuple(row) == EXPORT_FIELDS
    assert REQUIRED | {"assigned_to", "signals"} <= set(row)
    o = record.outcome
    assert row["id"] == o.id and row["channel"] == "slack" and row["status"] == "nieuw"
    assert row["handed_over"] is True and row["assigned_to"] == "adviseur@provincie.nl"
    assert row["risk"] == o.risk == "hoog"
    assert row["instrument"] == o.instruments[0]["id"]
    assert row["signals"] == list(outcome_signals(o)) == ["dpia", "ai-high-risk", "iama"]
    assert row["verdict_mag"] == next(v.verdict for v in o.verdicts if v.step == "mag")
    assert row["complete"] is o.complete
    # Nothing the person typed and no way to reach them is exported.
    flat = json.dumps(row)
    assert o.description not in flat and "U123" not in flat and record.user_ref not in flat


def test_the_advisors_corrections_replace_the_bots_values(advisor: Advisor, database: str) -> None:
    o = advice(advisor, DESCRIPTIONS["fraude"], T0)
    store = Store.open(database)
    store.log_outcome(o, "web", "u", T0)
    for field, revised in (
        ("risk", "laag"),
        ("risk", "midden"),
        ("verdict-kan", "groen"),
        ("instrument", "deda"),
    ):
        body = {"field": field, "original": "?", "revised": revised, "reason": "besproken"}
        store.add_entry(o.id, "correctie", "ad@prov.nl", body)
    revised = store.corrections_in_force()
    (queue_row,) = store.queue()
    store.close()
    (row,) = export_rows([queue_row], revised)
    assert (row["risk"], row["verdict_kan"], row["instrument"]) == ("midden", "groen", "deda")
    assert row["assigned_to"] is None


TRICKY = [
    '=HYPERLINK("http://x")',
    "+31 6 1234",
    "-2+3",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
    'comma, "quote"',
    "regel 1\nregel 2",
    "één ü ß 中",
    "",
]


def rows_with(values: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"T-{i:010x}",
            "created": "2025-03-03T09:00:00+00:00",
            "channel": v,
            "risk": "hoog",
            "status": "nieuw",
            "handed_over": i % 2 == 0,
            "instrument": None,
            "assigned_to": v,
            "signals": ["dpia", v] if v else [],
            "complete": False,
            "ignored": "not a field",
        }
        for i, v in enumerate(values)
    ]


def test_csv_parses_back_to_the_rows_with_formulas_defused() -> None:
    rows = rows_with(TRICKY)
    text = "".join(iter_csv(rows))
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[0] == list(EXPORT_FIELDS)
    assert parsed[1:] == [[csv_cell(r.get(f)) for f in EXPORT_FIELDS] for r in rows]
    channel = EXPORT_FIELDS.index("channel")
    for value, line in zip(TRICKY, parsed[1:], strict=True):
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            assert line[channel] == "'" + value
        else:
            assert line[channel] == value
    signals = EXPORT_FIELDS.index("signals")
    # A list cell is checked as a whole: it starts with "dpia", so it needs no prefix.
    assert parsed[1][signals] == 'dpia;=HYPERLINK("http://x")'
    assert csv_cell(["=a", "b"]) == "'=a;b"
    assert parsed[2][EXPORT_FIELDS.index("handed_over")] == "false"
    assert parsed[1][EXPORT_FIELDS.index("instrument")] == ""


def test_json_is_one_array_of_the_fields() -> None:
    rows = rows_with(TRICKY)
    chunks = list(iter_json(rows))
    assert len(chunks) == len(rows) + 1  # one chunk per row, then the closing bracket
    assert json.loads("".join(chunks)) == [{f: r.get(f) for f in EXPORT_FIELDS} for r in rows]
    assert json.loads("".join(iter_json([]))) == []
    # A caller's datetime is written as its text instead of breaking the stream halfway.
    (back,) = json.loads("".join(iter_json([{"id": "T-1", "created": T0}])))
    assert back["created"] == str(T0) and back["risk"] is None
    assert "".join(iter_csv([])) == ",".join(EXPORT_FIELDS) + "\r\n"


def synthetic(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {
            "id": f"T-{i:010x}",
            "created": "2025-03-03T09:00:00+00:00",
            "updated": "2025-03-03T09:05:00+00:00",
            "channel": ("slack", "teams", "web")[i % 3],
            "lang": "nl",
            "risk": ("laag", "midden", "hoog")[i % 3],
            "status": "nieuw",
            "handed_over": i % 4 == 0,
            "instrument": "iama",
            "assigned_to": "=adviseur" if i % 1000 == 0 else None,
            "verdict_willen": "oranje",
            "verdict_mag": "rood",
            "verdict_kan": "groen",
            "signals": ["dpia", "iama"],
            "complete": True,
        }


@pytest.mark.parametrize("writer", [iter_csv, iter_json])
def test_100000_rows_stream_with_bounded_memory(writer: Any, tmp_path: Path) -> None:
    def run(n: int) -> tuple[int, int]:
        out = tmp_path / "export.out"
        tracemalloc.start()
        try:
            with out.open("w", encoding="utf-8") as f:
                for chunk in writer(synthetic(n)):
                    f.write(chunk)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return peak, out.stat().st_size

    small_peak, _ = run(1_000)
    peak, size = run(100_000)
    assert size > 100_000 * 100  # the whole export was written
    assert peak < 1024 * 1024, peak  # far below one megabyte
    assert peak < small_peak + 64 * 1024, (small_peak, peak)  # not growing with the rows
