"""Every table has a retention rule, and the purge keeps it (issue 11, part 2).

The schema is read from a real SQLite file, so a table added later without a rule in
`bot.storage.retention` fails here rather than silently keeping data for ever.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import Store
from bot.storage.retention import KEPT_UNTIL_CHANGED, RETENTION

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
OLD = (NOW - timedelta(days=3 * 365)).isoformat()  # past every retention period
MARKER = "Zwaluwstaartvlinder"


def _tables(store: Store) -> list[str]:
    """The store's own tables, without SQLite's and FTS5's internal ones."""
    rows = store.db.execute(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
        "and name not like 'outcomes_fts_%' order by name"
    ).fetchall()
    return [r[0] for r in rows]


def _fill_with_old_rows(store: Store) -> None:
    """One row in every table, every text column the same old timestamp.

    The same string in every text column also satisfies the foreign keys (a review entry's
    outcome id is the outcome's id), so no table needs special knowledge here.
    """
    conn = store.db.conn
    for table in ["outcomes", *(t for t in _tables(store) if t != "outcomes")]:
        if table == "outcomes_fts":
            conn.execute("insert into outcomes_fts (id, description) values (?, ?)", [OLD, MARKER])
            continue
        cols = conn.execute(f"pragma table_info({table})").fetchall()
        names = [c[1] for c in cols if not (c[5] and c[2].upper() == "INTEGER")]
        values = [0 if "INT" in c[2].upper() else OLD for c in cols if c[1] in names]
        marks = ", ".join("?" * len(names))
        conn.execute(f"insert into {table} ({', '.join(names)}) values ({marks})", values)
    conn.commit()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "r.db", secret=b"k")
    yield s
    s.close()


def test_every_table_has_a_retention_rule(store: Store) -> None:
    missing = set(_tables(store)) - set(RETENTION)
    assert not missing, f"tables without a retention rule: {sorted(missing)}"
    # And the list names no table that does not exist (it would be a promise about nothing).
    assert not set(RETENTION) - set(_tables(store))


def test_the_purge_empties_every_table_past_its_rule(store: Store) -> None:
    _fill_with_old_rows(store)
    before = {t: store.db.execute(f"select count(*) from {t}").fetchone()[0] for t in RETENTION}
    assert all(n >= 1 for n in before.values()), before  # the filler reached every table
    counts = store.purge(state_days=30, outcome_days=365, now=NOW)
    after = {t: store.db.execute(f"select count(*) from {t}").fetchone()[0] for t in RETENTION}
    kept = {t for t, n in after.items() if n}
    assert kept == KEPT_UNTIL_CHANGED, f"kept past their rule: {sorted(kept - KEPT_UNTIL_CHANGED)}"
    # Each kind the purge reports removed what the filler put there; checkpoints leave with
    # their outcome by a trigger, so the purge's own sweep finds none left.
    assert counts.pop("checkpoints") == 0
    assert all(n >= 1 for n in counts.values()), counts
    assert counts["access"] == 3  # a session, an invite, a pending sign-in


def test_recent_rows_survive_the_purge(store: Store) -> None:
    _fill_with_old_rows(store)
    later = NOW - timedelta(days=3 * 365) + timedelta(days=1)  # one day after the rows
    counts = store.purge(state_days=30, outcome_days=365, now=later)
    assert counts["outcomes"] == 0 and counts["conversations"] == 0
    assert store.db.execute("select count(*) from outcomes").fetchone()[0] == 1


def test_the_purge_log_carries_counts_never_content(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.server import log_purge

    _fill_with_old_rows(store)
    caplog.set_level(logging.INFO)
    log_purge(store.purge(state_days=30, outcome_days=365, now=NOW))
    text = caplog.text
    assert "retention purge" in text and "outcomes" in text
    assert MARKER not in text and OLD not in text
