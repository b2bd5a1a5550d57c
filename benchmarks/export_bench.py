"""Export and overview benchmark: rows per second and peak memory at 10,000 and 100,000 rows.

Run from the repository root::

    .venv/bin/python benchmarks/export_bench.py

One real outcome (made by the engine from a description) is logged as an ``OutcomeRecord`` and
exported ``n`` times: :func:`bot.export.export_row` and then :func:`bot.export.iter_csv` or
:func:`bot.export.iter_json`, written to a temporary file. The overview is measured the same way
(:func:`bot.overview.compute_overview` over ``n`` rows spread over a year, then
:func:`bot.charts.render_charts`). Throughput is timed without tracing; peak memory is Python's
own allocations during a second run, traced by ``tracemalloc``. Reading the rows from the store
is not part of it (that is the store's cost, measured with the queue).

It reports; it does not gate: the exit code is 0 whatever the figures. Aims (issue 8): more than
20,000 rows/s and peak memory below 150 MB, not growing with the number of rows.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.charts import render_charts  # noqa: E402
from bot.export import export_row, iter_csv, iter_json  # noqa: E402
from bot.overview import OverviewRow, compute_overview  # noqa: E402
from bot.storage import OutcomeRecord  # noqa: E402
from knowledge.triage import Advisor  # noqa: E402
from tests.bot.triages import DESCRIPTIONS, advice  # noqa: E402

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
SIZES = (10_000, 100_000)


def records(record: OutcomeRecord, n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield export_row(record, "adviseur@provincie.nl" if i % 2 else None)


def measure(run: Callable[[int], object], n: int) -> tuple[float, int]:
    """Rows per second (untraced run) and traced peak bytes (second run)."""
    start = time.perf_counter()
    run(n)
    rate = n / (time.perf_counter() - start)
    tracemalloc.start()
    try:
        run(n)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return rate, peak


def main() -> None:
    advisor = Advisor.load()
    outcome = advice(advisor, DESCRIPTIONS["fraude"], T0)
    record = OutcomeRecord(
        outcome.id, T0.isoformat(), T0.isoformat(), "slack", "ref", None, "nieuw", True, outcome
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "export"

        def exporter(
            writer: Callable[[Iterable[Mapping[str, Any]]], Iterator[str]],
        ) -> Callable[[int], object]:
            def run(n: int) -> None:
                with out.open("w", encoding="utf-8") as f:
                    for chunk in writer(records(record, n)):
                        f.write(chunk)

            return run

        def overview(n: int) -> None:
            rows = (
                OverviewRow(
                    (T0 + timedelta(minutes=5 * i % (60 * 24 * 365))).isoformat(),
                    outcome.risk,
                    "nieuw",
                    i % 3 == 0,
                    (T0 + timedelta(minutes=5 * i % (60 * 24 * 365) + i % 900)).isoformat(),
                    outcome,
                )
                for i in range(n)
            )
            render_charts(compute_overview(rows, "nl", knowledge=advisor.knowledge), "nl")

        print(f"{'what':<28}{'rows':>9}{'rows/s':>10}{'peak (traced)':>16}")
        for name, run in (
            ("export CSV", exporter(iter_csv)),
            ("export JSON", exporter(iter_json)),
            ("overview + charts", overview),
        ):
            for n in SIZES:
                rate, peak = measure(run, n)
                print(f"{name:<28}{n:>9,}{rate:>10,.0f}{peak / 1024 / 1024:>13.2f} MB")


if __name__ == "__main__":
    main()
