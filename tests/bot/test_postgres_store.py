"""What PostgreSQL adds for several instances: one migration history with SQLite, migrations
run once when instances start together, outbox messages claimed by one instance each, the
retention purge on one instance at a time, turns of one conversation never interleaved, the
advisor's search. On the test session's throwaway cluster (tests/postgres.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.service import ConversationService
from bot.storage import MIGRATIONS, Store
from bot.storage.migrations_pg import PG_MIGRATIONS
from bot.storage.review import QueueFilter, tsquery
from bot.storage.sql import lock_key, to_pyformat
from dialogs.engine import Engine
from dialogs.models import Inbound
from knowledge.triage import Advisor
from tests.advice import ask_advice
from tests.stores import settings_for

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def at_once(work: Callable[[Store], list[int]], stores: tuple[Store, Store]) -> list[list[int]]:
    """``work`` on each store in a thread of its own, started together; the results."""
    barrier = threading.Barrier(len(stores))
    results: list[list[int]] = [[] for _ in stores]

    def run(i: int) -> None:
        barrier.wait()
        results[i] = work(stores[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.fixture
def two(pg_database: str) -> Iterator[tuple[Store, Store]]:
    """Two instances' stores on one database (each with its own pool)."""
    a, b = Store.open(pg_database, secret=b"k"), Store.open(pg_database, secret=b"k")
    try:
        yield a, b
    finally:
        a.close()
        b.close()


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


def test_two_dispatchers_claim_disjoint_messages(two: tuple[Store, Store]) -> None:
    a, b = two
    for i in range(40):
        a.enqueue(f"m{i}", "melding", "fake", f"fake:{i}", {"replies": []}, now=NOW)

    def claim(store: Store) -> list[int]:
        got: list[int] = []
        while batch := store.claim_due(("fake",), 3, NOW):
            got.extend(item.id for item in batch)
        return got

    claimed = at_once(claim, (a, b))
    assert not set(claimed[0]) & set(claimed[1])
    assert len(claimed[0]) + len(claimed[1]) == 40
    assert claimed[0] and claimed[1]  # both took part


def test_the_purge_runs_on_one_instance_at_a_time(two: tuple[Store, Store]) -> None:
    a, b = two
    with a.db.try_lock("purge") as mine:  # instance A is purging
        assert mine
        assert b.purge(30, 365, now=NOW) == {}  # B leaves it to A
    assert b.purge(30, 365, now=NOW)["outcomes"] == 0  # afterwards B may


def test_turns_of_one_conversation_wait_for_each_other(two: tuple[Store, Store]) -> None:
    a, b = two
    order: list[str] = []
    other_done = threading.Event()

    def other_instance() -> None:
        with b.turn("web:different"):  # another conversation goes ahead at once
            order.append("b-different")
        other_done.set()
        with b.turn("web:same"):  # this one waits for A's turn
            order.append("b-same")

    t = threading.Thread(target=other_instance)
    with a.turn("web:same"):
        t.start()
        assert other_done.wait(10)
        time.sleep(0.3)  # B is now waiting for the lock, or would have run
        order.append("a-same")
    t.join(10)
    assert order == ["b-different", "a-same", "b-same"]


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


def test_limits_are_counted_across_instances(pg_database: str, advisor: Advisor) -> None:
    """Five turns a minute per person, whichever instance takes them."""
    settings = settings_for(pg_database, limit_turns_per_user=5, secret="k")
    instances = [ConversationService.from_settings(settings, advisor) for _ in range(2)]
    try:
        kinds: list[str | None] = []
        for i in range(8):
            msg = Inbound(channel="slack", conversation="T1:D1:-", user="T1:U1", text="hallo")
            replies = instances[i % 2].handle(msg)
            kinds.append(str(replies[-1].content.get("kind")) if replies else None)
        assert "throttled" not in kinds[:5]
        # Refused from the sixth on, on both; Slack is told once a minute, not every time.
        assert kinds[5:] == ["throttled", None, None]
    finally:
        for s in instances:
            s.close()


def test_shared_counters_refuse_without_counting(database: str) -> None:
    store = Store.open(database, secret=b"k")
    try:
        t = NOW.timestamp()
        checks = [("turn:u:a", 2), ("turn:a:ip", 3)]
        assert store.admit_rates(checks, t) is None
        assert store.admit_rates(checks, t + 1) is None
        wait = store.admit_rates(checks, t + 2)  # the person's limit is reached
        assert wait is not None and 1 <= wait <= 60
        # The refused turn counted nothing: the address has room for one more.
        assert store.admit_rates([("turn:a:ip", 3)], t + 3) is None
        assert store.admit_rates(checks, t + 60) is None  # a new minute
        assert store.first_in_window("told:a", t) and not store.first_in_window("told:a", t + 1)
        assert store.purge(30, 365, now=NOW + timedelta(minutes=5))["rates"] >= 2
    finally:
        store.close()


def test_a_promoted_case_reaches_the_other_instance(
    pg_database: str, advisor: Advisor, tmp_path: Path
) -> None:
    """Instance A publishes a case into its own folder; B, with a folder of its own, finds the
    knowledge version moved on, takes the file from the database and reloads."""
    from bot.knowledge_sync import sync
    from bot.review import ReviewDesk
    from knowledge.reload import KnowledgeWatcher

    folder_a, folder_b = tmp_path / "a", tmp_path / "b"
    a = ConversationService(Engine(advisor), Store.open(pg_database, secret=b"k"))
    b = Store.open(pg_database, secret=b"k")
    try:
        oid = ask_advice(a, "Vulgraadsensoren in ondergrondse afvalcontainers", "c1", now=NOW)
        desk = ReviewDesk(a.store, lambda: advisor.knowledge)
        draft = desk.draft_case(oid, advisor, case_id="vulgraad-b", title="Vulgraad bij B")
        draft["lessons"] = [{"nl": "Leg vast wie de vulgraad mag zien.", "en": "Say who sees it."}]
        watcher = KnowledgeWatcher(folder_b)
        applied = sync(b, folder_b, 0)
        assert applied == 0 and watcher.poll() is None  # nothing published yet
        desk.publish_case(oid, draft, folder_a, "adviseur@prov.nl")
        applied = sync(b, folder_b, applied)
        assert applied == 1
        assert (folder_b / "cases" / "vulgraad-b.yaml").read_text() == (
            folder_a / "cases" / "vulgraad-b.yaml"
        ).read_text()
        fresh = watcher.poll()
        assert fresh is not None
        assert "vulgraad-b" in fresh.knowledge.cases
        assert sync(b, folder_b, applied) == applied and watcher.poll() is None  # once
        # Corrected on A: B takes the new text. Withdrawn on A: B removes its copy too.
        from bot.case_library import CaseLibrary

        library = CaseLibrary(a.store, lambda: fresh.knowledge)
        corrected = {**library.draft("vulgraad-b", folder_a)[0], "organisation": "Provincie B"}
        library.save("vulgraad-b", corrected, folder_a, "adviseur@prov.nl")
        applied = sync(b, folder_b, applied)
        assert "Provincie B" in (folder_b / "cases" / "vulgraad-b.yaml").read_text()
        library.withdraw(
            "vulgraad-b", "Niet meer actueel.", folder_a, "adviseur@prov.nl", any_case=True
        )
        applied = sync(b, folder_b, applied)
        assert not (folder_b / "cases" / "vulgraad-b.yaml").exists()
        fresh = watcher.poll()
        assert fresh is not None and "vulgraad-b" not in fresh.knowledge.cases
    finally:
        a.close()
        b.close()


def test_a_stored_file_with_a_strange_name_is_never_written(
    pg_database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.knowledge_sync import sync

    store = Store.open(pg_database, secret=b"k")
    try:
        store.put_knowledge_file("../../etc/evil.yaml", "x: 1")
        store.put_knowledge_file("cases/goed.yaml", "id: goed")
        assert sync(store, tmp_path / "k", 0) == 2
        assert [p.name for p in (tmp_path / "k").rglob("*")] == ["cases", "goed.yaml"]
        assert not (tmp_path / "etc").exists()
        assert "unexpected name" in caplog.text
    finally:
        store.close()


def test_rate_counters_keep_no_id_or_address(database: str) -> None:
    store = Store.open(database, secret=b"k")
    try:
        store.admit_rates([("turn:u:slack:T1:U0SECRET", 5), ("turn:a:192.0.2.77", 5)], 1e9)
        keys = " ".join(str(r[0]) for r in store.db.execute("select key from rate_limits"))
        assert keys and "U0SECRET" not in keys and "192.0.2" not in keys
    finally:
        store.close()


def test_counting_a_turn_holds_no_lock_for_the_rest_of_it(two: tuple[Store, Store]) -> None:
    """Two turns from one address (colleagues behind one gateway) do not wait for each other:
    the rate counters are updated outside the turns' transactions."""
    a, b = two
    waited: list[float] = []
    with a.turn("web:one"):
        assert a.admit_rates([("turn:a:gateway", 100)], 1e9) is None

        def other() -> None:
            start = time.monotonic()
            with b.turn("web:two"):
                assert b.admit_rates([("turn:a:gateway", 100)], 1e9) is None
            waited.append(time.monotonic() - start)

        t = threading.Thread(target=other)
        t.start()
        t.join(10)
    assert waited and waited[0] < 1.0


def test_a_turn_whose_statement_failed_is_not_stored(pg_database: str) -> None:
    """A failed statement that someone caught: the turn raises instead of committing
    nothing in silence (its reply must not be sent)."""
    import psycopg

    from bot.storage.sql import TurnNotStored
    from dialogs.models import ConversationState

    store = Store.open(pg_database, secret=b"k")
    try:
        with pytest.raises(TurnNotStored), store.turn("web:y"):
            store.save_state("web:y", ConversationState(lang="nl"), NOW)
            with pytest.raises(psycopg.errors.DivisionByZero):
                store.db.execute("select 1 / 0")
        assert store.load_state("web:y") is None
        with store.turn("web:y"):  # the connection is usable again
            store.save_state("web:y", ConversationState(lang="nl"), NOW)
        assert store.load_state("web:y") is not None
    finally:
        store.close()


def test_a_turn_waits_a_bounded_time_for_a_frozen_one(
    two: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    import bot.storage.sql as sql

    monkeypatch.setattr(sql, "TURN_LOCK_WAIT", "200ms")
    a, b = two
    failed: list[BaseException] = []

    def other() -> None:
        try:
            with b.turn("web:frozen"):
                pass
        except psycopg.errors.LockNotAvailable as exc:
            failed.append(exc)

    with a.turn("web:frozen"):  # an instance that froze mid-turn
        t = threading.Thread(target=other)
        t.start()
        t.join(10)
    assert len(failed) == 1
    with b.turn("web:frozen"):  # once it is released, the conversation goes on
        pass


def test_two_pages_never_take_the_same_web_message(two: tuple[Store, Store]) -> None:
    a, b = two
    for i in range(30):
        item = a.enqueue(f"w{i}", "antwoord", "web", "web:same", {"replies": []}, now=NOW)
        assert item is not None
        a.mark_sent(item, NOW)

    def take(store: Store) -> list[int]:
        return [i.id for _ in range(5) for i in store.take_inbox("web:same", NOW)]

    taken = at_once(take, (a, b))
    assert sorted(taken[0] + taken[1]) == sorted(set(taken[0] + taken[1]))
    assert len(taken[0] + taken[1]) == 30


@pytest.mark.parametrize(
    "value",
    [
        "host=db user=bot password=s3cr3t dbname=ethiek",
        "postgresql+psycopg://bot:s3cr3t@db/ethiek",
        "db.example:5432/ethiek?password=s3cr3t",
    ],
)
def test_a_database_setting_that_is_no_postgres_url_is_refused(
    value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Otherwise every instance would quietly open a SQLite file named after it."""
    from bot.cli import main

    monkeypatch.setenv("ETHIEKBOT_DATABASE_URL", value)
    with pytest.raises(SystemExit) as exit_:
        main(["db", "status"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "ETHIEKBOT_DATABASE_URL" in err and "postgresql://" in err
    assert "s3cr3t" not in err and "errors.pydantic.dev" not in err
