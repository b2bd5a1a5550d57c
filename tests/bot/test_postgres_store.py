"""What PostgreSQL adds for several instances: one migration history with SQLite, migrations
run once when instances start together, outbox messages claimed by one instance each, the
retention purge on one instance at a time, turns of one conversation never interleaved, the
advisor's search. On the test session's throwaway cluster (tests/postgres.py)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings
from bot.service import ConversationService
from bot.storage import MIGRATIONS, Store
from bot.storage.migrations_pg import PG_MIGRATIONS
from bot.storage.review import QueueFilter, tsquery
from bot.storage.sql import lock_key, to_pyformat
from dialogs.engine import Engine
from knowledge.triage import Advisor
from tests.advice import ask_advice

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_one_history_for_both_databases() -> None:
    assert [name for name, _ in MIGRATIONS] == list(PG_MIGRATIONS)


def test_placeholders_and_percent_signs_reach_psycopg_as_meant() -> None:
    assert to_pyformat("select ? where a like 'web:%' and b = ?") == (
        "select %s where a like 'web:%%' and b = %s"
    )
    assert lock_key("turn:web:1") == lock_key("turn:web:1") != lock_key("turn:web:2")
    assert -(2**63) <= lock_key("x") < 2**63


def test_the_url_is_shown_without_its_password() -> None:
    settings = Settings.from_env(
        {"ETHIEKBOT_DATABASE_URL": "postgresql://bot:s3cr3t@db.example:5432/ethiek"}
    )
    assert settings.on_postgres
    assert settings.database_shown == "postgresql://bot@db.example:5432/ethiek"
    assert "s3cr3t" not in repr(settings)


def test_instances_starting_together_migrate_once(pg_database: str) -> None:
    stores: list[Store] = []
    barrier = threading.Barrier(3)

    def start() -> None:
        barrier.wait()
        stores.append(Store.open(pg_database))

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    try:
        assert len(stores) == 3
        applied = sorted(len(s.migrated) for s in stores)
        assert applied == [0, 0, len(MIGRATIONS)]
        # The pseudonym key made by the first is the one every instance uses.
        assert len({s.user_ref("slack", "U1") for s in stores}) == 1
        assert stores[0].readiness() == {"database": "ok", "pending": []}
    finally:
        for s in stores:
            s.close()


def test_two_dispatchers_claim_disjoint_messages(pg_database: str) -> None:
    a, b = Store.open(pg_database, secret=b"k"), Store.open(pg_database, secret=b"k")
    try:
        for i in range(40):
            a.enqueue(f"m{i}", "melding", "fake", f"fake:{i}", {"replies": []}, now=NOW)
        claimed: list[list[int]] = [[], []]
        barrier = threading.Barrier(2)

        def claim(store: Store, into: list[int]) -> None:
            barrier.wait()
            while batch := store.claim_due(("fake",), 3, NOW):
                into.extend(item.id for item in batch)

        threads = [
            threading.Thread(target=claim, args=(s, c))
            for s, c in zip((a, b), claimed, strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert not set(claimed[0]) & set(claimed[1])
        assert len(claimed[0]) + len(claimed[1]) == 40
        assert claimed[0] and claimed[1]  # both took part
    finally:
        a.close()
        b.close()


def test_the_purge_runs_on_one_instance_at_a_time(pg_database: str) -> None:
    a, b = Store.open(pg_database, secret=b"k"), Store.open(pg_database, secret=b"k")
    try:
        with a.db.try_lock("purge") as mine:  # instance A is purging
            assert mine
            assert b.purge(30, 365, now=NOW) == {}  # B leaves it to A
        assert b.purge(30, 365, now=NOW)["outcomes"] == 0  # afterwards B may
    finally:
        a.close()
        b.close()


def test_turns_of_one_conversation_wait_for_each_other(pg_database: str) -> None:
    a, b = Store.open(pg_database, secret=b"k"), Store.open(pg_database, secret=b"k")
    order: list[str] = []
    entered = threading.Event()

    def other_instance() -> None:
        entered.wait(10)
        with b.turn("web:same"):
            order.append("b")
        with b.turn("web:different"):
            pass

    t = threading.Thread(target=other_instance)
    try:
        with a.turn("web:same"):
            t.start()
            entered.set()
            # B's turn of a different conversation would go ahead; of this one it waits.
            t.join(0.5)
            order.append("a")
        t.join(10)
        assert order == ["a", "b"]
    finally:
        a.close()
        b.close()


def test_a_failed_turn_leaves_nothing_behind(pg_database: str) -> None:
    store = Store.open(pg_database, secret=b"k")
    try:
        from dialogs.models import ConversationState

        with pytest.raises(RuntimeError), store.turn("web:x"):
            store.save_state("web:x", ConversationState(lang="nl"), NOW)
            raise RuntimeError("the engine failed half-way")
        assert store.load_state("web:x") is None
    finally:
        store.close()


def test_the_advisors_search_on_postgres(pg_database: str, advisor: Advisor) -> None:
    service = ConversationService(Engine(advisor), Store.open(pg_database, secret=b"k"))
    try:
        drones = ask_advice(service, "Drones boven de weilanden van Zuidwolde", "c1", now=NOW)
        ask_advice(service, "Camera's op het marktplein", "c2", now=NOW + timedelta(minutes=1))
        found = [r.id for r in service.store.queue(QueueFilter(q="weiland zuidwol"))]
        assert found == [drones]
        assert service.store.queue(QueueFilter(q="'\" & | ! :* ()")) != []  # no syntax error
        assert tsquery("Drones NEAR(a*)") == "drones:* & neara:*"
    finally:
        service.close()
