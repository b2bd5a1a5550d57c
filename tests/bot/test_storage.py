"""The store: migrations, WAL, state, outcomes, pseudonyms, retention. On real SQLite files, and
where a test takes the ``store`` fixture, on PostgreSQL too."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.service import ConversationService
from bot.storage import MIGRATIONS, Store, migrate
from dialogs.engine import Engine, LogOutcome
from dialogs.models import ConversationState, Inbound, Outcome, QuestionAnswer, ValueAnswer
from knowledge.triage import Advisor
from tests.stores import settings_for

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sub" / "ethiekbot.db"  # the folder does not exist yet


@pytest.fixture
def store(database: str) -> Iterator[Store]:
    s = Store.open(database)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(db_path: Path) -> Iterator[Store]:
    """For the tests that read the SQLite file itself."""
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture(scope="module")
def outcome(advisor: Advisor) -> Outcome:
    """A real outcome, made by the engine ("Alleen het advies")."""
    engine = Engine(advisor)
    m = Inbound(channel="t", conversation="c", user="u", text="Mogen we drones boven weilanden?")
    turn = engine.handle(m, None, T0)
    assert turn.state is not None
    state = turn.state
    advice = f"{state.nonce}.{state.prompt_seq}.advice"
    turn = engine.handle(Inbound(channel="t", conversation="c", user="u", choice=advice), state, T0)
    (effect,) = turn.effects
    assert isinstance(effect, LogOutcome)
    return effect.outcome


def _other(o: Outcome, n: int) -> Outcome:
    return o.model_copy(update={"id": f"T-{n:010x}", "description": f"vraag {n}"})


# -- schema --------------------------------------------------------------------------------


def test_migrations_are_recorded_once_and_idempotent(db_path: Path) -> None:
    Store.open(db_path).close()
    s = Store.open(db_path)
    try:
        names = [r["name"] for r in s.db.query("select name from migrations order by name")]
        assert names == [name for name, _ in MIGRATIONS]
        assert len(names) == len(set(names))
        assert migrate(s.db) == []  # nothing left to apply
        for table in ("meta", "conversations", "outcomes"):
            assert table in s.db.table_names()
    finally:
        s.close()
    raw = sqlite3.connect(db_path)
    try:
        rows = raw.execute("select name, count(*) from migrations group by name").fetchall()
    finally:
        raw.close()
    assert rows and all(count == 1 for _, count in rows)


def test_a_new_migration_is_applied_to_an_existing_database(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(db_path).close()

    def add_notes(db: object) -> None:
        db.table("notes").create({"id": int}, pk="id")  # type: ignore[attr-defined]

    monkeypatch.setattr(
        "bot.storage.migrations.MIGRATIONS", [*MIGRATIONS, ("9999_notes", add_notes)]
    )
    s = Store.open(db_path)
    try:
        assert "notes" in s.db.table_names()
        names = [r["name"] for r in s.db.query("select name from migrations")]
        assert names.count("9999_notes") == 1
    finally:
        s.close()


def test_file_database_runs_in_wal_mode(sqlite_store: Store, db_path: Path) -> None:
    assert sqlite_store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw = sqlite3.connect(db_path)  # persistent: a new connection sees it too
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


# -- conversations -------------------------------------------------------------------------


def test_state_round_trip_and_delete(store: Store) -> None:
    assert store.load_state("web:abc") is None
    state = ConversationState(
        lang="en",
        step="walk",
        description="Drones boven weilanden, **bold** <b> 'quotes' \"dq\" ✓",
        queue=["q:doel", "v:privacy", "values-more"],
        position=1,
        history=[0],
        answers={"doel": QuestionAnswer(answer="open", note="biodiversiteit")},
        value_answers={"privacy": ValueAnswer(answer="zorg", note="filmt erven")},
        prompt_seq=7,
        nonce="a1b2c3",
        started_at=T0,
    )
    store.save_state("web:abc", state, T0)
    assert store.load_state("web:abc") == state
    assert store.load_state("web:other") is None
    changed = state.model_copy(update={"position": 2})
    store.save_state("web:abc", changed, T0)
    assert store.load_state("web:abc") == changed
    assert store.db.execute("select count(*) from conversations").fetchone()[0] == 1
    store.delete_state("web:abc")
    assert store.load_state("web:abc") is None


def test_state_survives_reopen(db_path: Path) -> None:
    s = Store.open(db_path)
    s.save_state("console:x", ConversationState(description="drones", step="quick"), T0)
    s.close()
    s = Store.open(db_path)
    try:
        loaded = s.load_state("console:x")
        assert loaded is not None and loaded.description == "drones" and loaded.step == "quick"
    finally:
        s.close()


# -- outcomes ------------------------------------------------------------------------------


def test_log_outcome_and_hand_over(store: Store, outcome: Outcome) -> None:
    store.log_outcome(outcome, "slack", "U123", T0)
    rec = store.get_outcome(outcome.id)
    assert rec is not None
    assert rec.outcome == outcome
    assert rec.status == "nieuw" and rec.handed_over is False
    assert rec.contact is None  # nothing about how to reach the person until a hand-over
    assert rec.channel == "slack"
    assert store.hand_over(outcome.id, "slack:U123", T0 + timedelta(minutes=1)) is True
    rec = store.get_outcome(outcome.id)
    assert rec is not None and rec.handed_over is True and rec.contact == "slack:U123"
    assert rec.updated_at > rec.created_at
    assert store.hand_over("T-0000000000", "slack:U123") is False
    # Logging the same outcome again (finished once more) keeps hand-over, contact and status.
    store.set_review_status(outcome.id, "in-behandeling", now=T0 + timedelta(minutes=2))
    store.log_outcome(outcome, "slack", "U123", T0 + timedelta(minutes=3))
    rec = store.get_outcome(outcome.id)
    assert rec is not None
    assert (rec.handed_over, rec.contact, rec.status) == (True, "slack:U123", "in-behandeling")
    assert rec.created_at == T0.isoformat(timespec="seconds")
    assert store.db.execute("select count(*) from outcomes").fetchone()[0] == 1


def test_raw_user_id_is_not_stored(sqlite_store: Store, outcome: Outcome, db_path: Path) -> None:
    store = sqlite_store
    user = "anna.de.vries@provincie.example"
    store.log_outcome(outcome, "teams", user, T0)
    rec = store.get_outcome(outcome.id)
    assert rec is not None
    assert rec.user_ref == store.user_ref("teams", user)
    assert user not in rec.user_ref and "anna" not in rec.user_ref
    store.close()
    assert user.encode() not in db_path.read_bytes()
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or user.encode() not in wal.read_bytes()


def test_user_ref_is_stable_across_reopen_and_depends_on_the_secret(db_path: Path) -> None:
    s = Store.open(db_path)
    ref = s.user_ref("web", "u1")
    assert ref != "u1" and len(ref) == 20
    assert ref != s.user_ref("web", "u2")
    assert ref != s.user_ref("slack", "u1")  # the channel is part of it
    secret_rows = s.db.execute("select count(*) from meta where key = 'secret'").fetchone()[0]
    s.close()
    assert secret_rows == 1
    s = Store.open(db_path)
    try:
        assert s.user_ref("web", "u1") == ref
        assert s.db.execute("select count(*) from meta").fetchone()[0] == 1
    finally:
        s.close()
    # Another database makes another secret; a configured secret overrides the stored one.
    other = Store.open(db_path.with_name("other.db"))
    keyed_a = Store.open(db_path, secret=b"geheim-a")
    keyed_b = Store.open(db_path.with_name("b.db"), secret=b"geheim-a")
    keyed_c = Store.open(db_path.with_name("c.db"), secret=b"geheim-c")
    try:
        assert other.user_ref("web", "u1") != ref
        assert keyed_a.user_ref("web", "u1") != ref
        assert keyed_a.user_ref("web", "u1") == keyed_b.user_ref("web", "u1")
        assert keyed_c.user_ref("web", "u1") != keyed_a.user_ref("web", "u1")
    finally:
        for s in (other, keyed_a, keyed_b, keyed_c):
            s.close()


def test_outcomes_of_and_owns_are_per_user(store: Store, outcome: Outcome) -> None:
    mine = [_other(outcome, n) for n in (1, 2, 3)]
    theirs = _other(outcome, 9)
    for n, o in enumerate(mine):
        store.log_outcome(o, "web", "me", T0 + timedelta(minutes=n))
    store.log_outcome(theirs, "web", "them", T0)
    store.log_outcome(_other(outcome, 10), "slack", "me", T0)  # the same id elsewhere
    got = store.outcomes_of("web", "me")
    assert [r.id for r in got] == [o.id for o in reversed(mine)]  # newest first
    assert [r.id for r in store.outcomes_of("web", "them")] == [theirs.id]
    assert [r.id for r in store.outcomes_of("slack", "me")] == [_other(outcome, 10).id]
    assert store.outcomes_of("web", "nobody") == []
    assert len(store.outcomes_of("web", "me", limit=2)) == 2
    assert store.owns(mine[0].id, "web", "me")
    assert not store.owns(mine[0].id, "web", "them")
    assert not store.owns(mine[0].id, "slack", "me")
    assert not store.owns("T-ffffffffff", "web", "me")
    assert len(store.outcomes()) == 5


def test_set_status(store: Store, outcome: Outcome) -> None:
    store.log_outcome(outcome, "web", "me", T0)
    store.log_outcome(_other(outcome, 1), "web", "me", T0)
    assert store.set_review_status(outcome.id, "afgerond", now=T0 + timedelta(hours=1)) is True
    assert store.set_review_status("T-0000000000", "afgerond") is False
    rec = store.get_outcome(outcome.id)
    assert rec is not None and rec.status == "afgerond"
    assert [r.id for r in store.outcomes(status="afgerond")] == [outcome.id]
    assert [r.id for r in store.outcomes(status="nieuw")] == [_other(outcome, 1).id]


def test_purge_by_retention(store: Store, outcome: Outcome) -> None:
    now = T0 + timedelta(days=400)
    store.save_state("web:old", ConversationState(), now - timedelta(days=31))
    store.save_state("web:edge", ConversationState(), now - timedelta(days=29, hours=23))
    store.save_state("web:new", ConversationState(), now - timedelta(days=1))
    store.log_outcome(_other(outcome, 1), "web", "me", now - timedelta(days=366))
    store.log_outcome(_other(outcome, 2), "web", "me", now - timedelta(days=364))
    # Touching an old outcome (a hand-over) does not extend its retention: created_at counts.
    store.hand_over(_other(outcome, 1).id, "web:me", now - timedelta(days=1))
    counts = store.purge(state_days=30, outcome_days=365, now=now)
    assert counts["conversations"] == 1 and counts["outcomes"] == 1
    assert store.load_state("web:old") is None
    assert store.load_state("web:edge") is not None
    assert store.load_state("web:new") is not None
    assert store.get_outcome(_other(outcome, 1).id) is None
    assert store.get_outcome(_other(outcome, 2).id) is not None
    again = store.purge(state_days=30, outcome_days=365, now=now)
    assert again["conversations"] == 0 and again["outcomes"] == 0


def test_memory_store_works_without_wal(outcome: Outcome) -> None:
    s = Store.open(":memory:", secret=b"k")
    try:
        s.log_outcome(outcome, "web", "me", T0)
        assert s.owns(outcome.id, "web", "me")
    finally:
        s.close()


def test_open_invites_are_the_unused_and_unexpired_ones(store: Store) -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    used = store.create_invite("a@prov.nl", now=now)
    store.create_invite("b@prov.nl", now=now)
    store.create_invite("c@prov.nl", now=now - timedelta(days=2))  # expired
    assert store.redeem_invite(used, now=now) is not None
    assert [email for email, _ in store.open_invites(now)] == ["b@prov.nl"]


def test_a_person_can_read_a_hand_over_once_an_advisor_or_a_channel_is_registered(
    store: Store,
) -> None:
    assert not store.has_advisor_route()
    store.add_notify_target("slack:C1", "slack")
    assert store.has_advisor_route()
    store.remove_notify_target("slack:C1")
    assert not store.has_advisor_route()
    store.add_advisor("ad@prov.nl", "adviseur")
    assert store.has_advisor_route()


def test_the_service_promises_a_person_only_when_one_can_answer(
    database: str, advisor: Advisor
) -> None:
    """From the settings: an OIDC advisor group or a Slack advisor channel staffs the bot;
    otherwise a registered advisor (also one registered while the server runs)."""
    service = ConversationService.from_settings(settings_for(database), advisor)
    try:
        assert not service.engine.policy.staffed()
        service.store.add_advisor("ad@prov.nl", "adviseur")
        assert service.engine.policy.staffed()
    finally:
        service.close()
    channel = settings_for(database, slack_advisor_channel="C123")
    service = ConversationService.from_settings(channel, advisor)
    try:
        service.store.remove_advisor("ad@prov.nl")
        assert service.engine.policy.staffed()
    finally:
        service.close()
