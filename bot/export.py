"""Export of the advisor's queue as CSV or JSON, streamed: one row in memory at a time.

:func:`export_row` turns a row of the queue into a flat row of :data:`EXPORT_FIELDS`;
:func:`iter_csv` and :func:`iter_json` turn any iterable of such rows (a generator over the
store, for example) into text chunks for a streamed HTTP response or a file:

    >>> rows = [{"id": "T-1", "risk": "hoog", "signals": ["dpia", "iama"]}]
    >>> "".join(iter_csv(rows)).splitlines()[1].split(",")[:6]
    ['T-1', '', '', '', '', 'hoog']

What is left out on purpose: the description and notes the person typed, the contact for a
hand-over and the pseudonym. An export ends up in mail and on shared drives; it carries what
the advisor counts and sorts on, and the kenmerk to look the rest up in the workspace.

CSV cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) get a leading ``'`` (OWASP's advice against CSV injection).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from bot.overview import SIGNALS
from bot.storage.review import QueueRow

EXPORT_FIELDS: tuple[str, ...] = (
    "id",
    "created",
    "updated",
    "channel",
    "lang",
    "risk",
    "status",
    "handed_over",
    "instrument",
    "assigned_to",
    "verdict_willen",
    "verdict_mag",
    "verdict_kan",
    "signals",
    "complete",
)

_FORMULA_CHARS = frozenset("=+-@\t\r")
_EXPORTED_SIGNALS = frozenset(SIGNALS)
# One encoder for every row: json.dumps with options builds a new one per call.
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)
LIST_SEPARATOR = ";"


def export_row(row: QueueRow, revised: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One queue row as an export row (JSON types: bool, list, None).

    The advisor's corrections replace the bot's values, as the employee's report shows them:
    the risk and instrument in force come with the row; ``revised`` (field -> value, from
    :meth:`bot.storage.Store.corrections_in_force`) gives the corrected verdicts.
    """
    verdicts: Mapping[str, str | None] = row.verdicts
    steps = {f: v for f, v in (revised or {}).items() if f.startswith("verdict-")}
    if steps:  # a copy only for the few rows an advisor corrected
        verdicts = {**verdicts, **{f.removeprefix("verdict-"): v for f, v in steps.items()}}
    return {
        "id": row.id,
        "created": row.created_at,
        "updated": row.updated_at,
        "channel": row.channel,
        "lang": row.lang,
        "risk": row.risk_in_force,
        "status": row.status,
        "handed_over": row.handed_over,
        "instrument": row.instrument_in_force,
        "assigned_to": row.assigned_to,
        "verdict_willen": verdicts.get("willen"),
        "verdict_mag": verdicts.get("mag"),
        "verdict_kan": verdicts.get("kan"),
        "signals": [s for s in row.signals if s in _EXPORTED_SIGNALS],
        "complete": row.complete,
    }


def export_rows(
    rows: Iterable[QueueRow], revised: Mapping[str, Mapping[str, str]]
) -> Iterator[dict[str, Any]]:
    """Export rows for queue rows, with the corrections per triage."""
    empty: Mapping[str, str] = {}
    for row in rows:
        yield export_row(row, revised.get(row.id, empty))


def csv_cell(value: Any) -> str:
    """A value as CSV text: ``true``/``false``, empty for None, lists joined with ``;``,
    and a leading ``'`` before anything a spreadsheet would run as a formula."""
    # The common cases first: this runs for every cell of every row.
    if isinstance(value, str):
        text = value
    elif value is None:
        return ""
    elif isinstance(value, bool):
        return "true" if value else "false"
    elif isinstance(value, list | tuple):
        text = LIST_SEPARATOR.join(csv_cell(v).removeprefix("'") for v in value)
    else:
        text = str(value)
    return "'" + text if text[:1] in _FORMULA_CHARS else text


def iter_csv(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The header line, then one CSV line per row (``\\r\\n`` line ends, RFC 4180 quoting).

    Keys outside :data:`EXPORT_FIELDS` are ignored, missing ones are empty.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: Iterable[str]) -> str:
        # One small buffer, emptied after every line: memory stays one line long.
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(EXPORT_FIELDS)
    fields, cell, formula = EXPORT_FIELDS, csv_cell, _FORMULA_CHARS
    for row in rows:
        # Most cells are plain text or empty: those skip the call (this runs for every cell).
        yield line(
            [
                (v if v[:1] not in formula else cell(v))
                if v.__class__ is str
                else ("" if v is None else cell(v))
                for v in map(row.get, fields)
            ]
        )


def iter_json(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """A JSON array of the rows (only :data:`EXPORT_FIELDS`), written one element at a time."""
    first = True
    for row in rows:
        # default=str: a datetime or a Path from a caller becomes its text, not an error.
        item = _JSON.encode(dict(zip(EXPORT_FIELDS, map(row.get, EXPORT_FIELDS), strict=True)))
        yield ("[\n" if first else ",\n") + item
        first = False
    yield "[]\n" if first else "\n]\n"
