"""Every table has a retention rule, and the purge keeps it (issue 11, part 2).

The schema is read from a real SQLite file, so a table added later without a rule in
`bot.storage.retention` fails here rather than silently keeping data for ever.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage import Store
from bot.storage.retention import KEPT_UNTIL_CHANGED, RETENTION, SQLITE_ONLY

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
OLD = (NOW - timedelta(days=3 * 365)).isoformat()  # past every retention period
MARKER = "Zwaluwstaartvlinder"


def _tables(store: Store) -> list[str]:
    """The store's own tables, without SQLite's and FTS5's internal ones."""
    names = store.db.table_names()
    return sorted(n for n in names if not n.startswith(("sqlite_", "outcomes_fts_")))


def _columns(store: Store, table: str) -> list[tuple[str, bool]]:
    """(name, holds an integer) of each column a row must be given (not the generated ids)."""
    if store.db.dialect == "sqlite":
        cols = store.db.execute(f"pragma table_info({table})").fetchall()
        return [
            (c[1], "INT" in c[2].upper()) for c in cols if not (c[5] and c[2].upper() == "INTEGER")
        ]
    cols = store.db.execute(
        "select column_name, data_type from information_schema.columns where table_schema = "
        "current_schema() and table_name = ? and is_identity = 'NO' order by ordinal_position",
        [table],
    ).fetchall()
    return [(c[0], "int" in c[1]) for c in cols]


def _fill_with_old_rows(store: Store) -> None:
    """One row in every table, every text column the same old timestamp.

    The same string in every text column also satisfies the foreign keys (a review entry's
    outcome id is the outcome's id), so no table needs special knowledge here.
    """
    with store.db.transaction():
        for table in ["outcomes", *(t for t in _tables(store) if t != "outcomes")]:
            if table == "outcomes_fts":
                store.db.execute(
                    "insert into outcomes_fts (id, description) values (?, ?)", [OLD, MARKER]
                )
                continue
            cols = _columns(store, table)
            names = ", ".join(name for name, _ in cols)
            marks = ", ".join("?" * len(cols))
            values = [0 if integer else OLD for _, integer in cols]
            store.db.execute(f"insert into {table} ({names}) values ({marks})", values)


def _expected_tables(store: Store) -> set[str]:
    return set(RETENTION) - (SQLITE_ONLY if store.db.dialect != "sqlite" else set())


@pytest.fixture
def store(database: str) -> Iterator[Store]:
    s = Store.open(database, secret=b"k")
    yield s
    s.close()


def test_every_table_has_a_retention_rule(store: Store) -> None:
    missing = set(_tables(store)) - set(RETENTION)
    assert not missing, f"tables without a retention rule: {sorted(missing)}"
    # And the list names no table that does not exist (it would be a promise about nothing).
    assert not _expected_tables(store) - set(_tables(store))


def test_the_purge_empties_every_table_past_its_rule(store: Store) -> None:
    _fill_with_old_rows(store)
    tables = _expected_tables(store)
    before = {t: store.db.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    assert all(n >= 1 for n in before.values()), before  # the filler reached every table
    counts = store.purge(state_days=30, outcome_days=365, now=NOW)
    after = {t: store.db.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    kept = {t for t, n in after.items() if n}
    assert kept == KEPT_UNTIL_CHANGED, f"kept past their rule: {sorted(kept - KEPT_UNTIL_CHANGED)}"
    # Each kind the purge reports removed what the filler put there; checkpoints leave with
    # their outcome by a trigger, so the purge's own sweep finds none left.
    assert counts.pop("checkpoints") == 0
    if store.db.dialect != "sqlite":
        assert counts.pop("search_index") == 0  # no search table: an index on outcomes
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
