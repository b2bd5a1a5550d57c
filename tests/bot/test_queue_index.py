"""The queue's indexes and cursor on real SQLite: what keeps it fast at 100,000 triages
(benchmarks/advisor_bench.py) without changing what it returns."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import Store
from bot.storage.review import QueueFilter, queue_sql
from dialogs.engine import Engine, LogOutcome
from dialogs.models import Inbound, Outcome
from knowledge.triage import Advisor

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def outcome(advisor: Advisor) -> Outcome:
    """A real outcome, made by the engine ("Alleen het advies")."""
    engine = Engine(advisor)
    m = Inbound(channel="t", conversation="c", user="u", text="Mogen we drones boven weilanden?")
    turn = engine.handle(m, None, T0)
    assert turn.state is not None
    choice = f"{turn.state.nonce}.{turn.state.prompt_seq}.advice"
    pick = Inbound(channel="t", conversation="c", user="u", choice=choice)
    turn = engine.handle(pick, turn.state, T0)
    (effect,) = turn.effects
    assert isinstance(effect, LogOutcome)
    return effect.outcome


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "q.db", secret=b"k")
    yield s
    s.close()


def _copy(o: Outcome, n: int, description: str) -> Outcome:
    return o.model_copy(update={"id": f"T-{n:010x}", "description": description})


def _search(store: Store, q: str) -> list[str]:
    return [r.id for r in store.queue(QueueFilter(q=q), limit=100)]


def test_logging_again_replaces_the_search_entry(store: Store, outcome: Outcome) -> None:
    first = _copy(outcome, 1, "Drones boven weilanden")
    store.log_outcome(first, "web", "u1", now=T0)
    store.log_outcome(_copy(outcome, 2, "Sensoren in de stallen"), "web", "u2", now=T0)
    # The same triage finished again with another description: one entry, the new text.
    store.log_outcome(_copy(outcome, 1, "Camera's in de binnenstad"), "web", "u1", now=T0)
    assert _search(store, "drones") == []
    assert _search(store, "binnenstad") == [first.id]
    assert _search(store, "sensoren") == ["T-0000000002"]
    rows = store.db.conn.execute(
        "select f.rowid, o.rowid from outcomes_fts f join outcomes o on o.id = f.id"
    ).fetchall()
    assert len(rows) == 2 and all(fts == own for fts, own in rows)


def test_migration_keys_an_old_search_index_by_rowid(tmp_path: Path, outcome: Outcome) -> None:
    db_path = tmp_path / "old.db"
    store = Store.open(db_path, secret=b"k")
    words = ["drones", "sensoren", "camera", "chatbot"]
    for n, word in enumerate(words):
        store.log_outcome(_copy(outcome, n, f"Een vraag over {word}"), "web", f"u{n}", now=T0)
    # The index as migrations 0006-0008 left it: rowids of its own (here in reverse order),
    # and the queue's index of before 0011.
    conn = store.db.conn
    conn.execute("delete from outcomes_fts")
    conn.execute(
        "insert into outcomes_fts (id, description) "
        "select id, description from outcomes order by rowid desc"
    )
    conn.execute("drop index idx_outcomes_queue")
    conn.execute("create index idx_outcomes_created on outcomes (created_at desc, id)")
    conn.execute(
        "delete from migrations where name in ('0010_search_by_rowid', '0011_queue_index')"
    )
    assert _search(store, "drones") != ["T-0000000000"]  # misaligned before the migration
    store.close()

    store = Store.open(db_path, secret=b"k")
    try:
        for n, word in enumerate(words):
            assert _search(store, word) == [f"T-{n:010x}"]
        indexes = {r[1] for r in store.db.conn.execute("pragma index_list(outcomes)")}
        assert "idx_outcomes_queue" in indexes and "idx_outcomes_created" not in indexes
    finally:
        store.close()


def test_cursor_pages_cover_every_row_once(database: str, outcome: Outcome) -> None:
    store = Store.open(database, secret=b"k")
    try:
        _pages_cover_every_row_once(store, outcome)
    finally:
        store.close()


def _pages_cover_every_row_once(store: Store, outcome: Outcome) -> None:
    # 23 triages, four to a minute: the cursor must break the ties on created_at by id.
    for n in range(23):
        o = _copy(outcome, n, f"Vraag {n}")
        store.log_outcome(
            o, "slack" if n % 2 else "web", f"u{n}", now=T0 + timedelta(minutes=n // 4)
        )
    for f in (QueueFilter(), QueueFilter(channel="slack"), QueueFilter(q="vraag")):
        everything = [r.id for r in store.queue(f, limit=100)]
        assert everything and len(everything) == len(set(everything))
        paged: list[str] = []
        after: tuple[str, str] | None = None
        while page := store.queue(f, limit=5, after=after):
            paged += [r.id for r in page]
            after = (page[-1].created_at, page[-1].id)
        assert paged == everything
        assert list(store.iter_queue(f, batch=4)) == store.queue(f, limit=100)


@pytest.mark.parametrize(
    "f",
    [
        QueueFilter(),
        QueueFilter(status="afgerond", channel="teams"),
        QueueFilter(risk="hoog", signal="dpia"),
        QueueFilter(instrument="iama", handed_over=True, assigned_to="a@prov.nl"),
        QueueFilter(q="inwoners"),
        QueueFilter(status="nieuw", q="drones weilanden"),
        QueueFilter(waiting=True),
        QueueFilter(risk="midden", instrument="deda", waiting=False),
    ],
)
def test_the_queue_walks_its_index_newest_first_without_sorting(
    store: Store, outcome: Outcome, f: QueueFilter
) -> None:
    store.log_outcome(outcome, "web", "u", now=T0)
    for after in (None, ("2025-06-02T09:00:00+00:00", "T-0000000001")):
        sql, params = queue_sql(f, 51, after)
        plan = " | ".join(r[3] for r in store.db.conn.execute("explain query plan " + sql, params))
        # One walk of idx_outcomes_queue that stops at the page's last row: never every match
        # read and sorted, which is what made a filter or a search slow at 100,000 triages.
        assert "USING INDEX idx_outcomes_queue" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
        if after is not None:
            assert "created_at<?" in plan.replace(" ", ""), plan  # a range: starts at the cursor
