"""Storage: conversation state and logged outcomes, in SQLite through sqlite-utils.

Everything persistent goes through :class:`Store`, so a server database can take SQLite's place
when an organisation runs several instances: implement the same methods.

What is kept, and no more (the bot practises what it preaches):

* ``conversations``: the state of each conversation, keyed by channel and conversation (and
  thread), deleted ``state_days`` after the last message;
* ``outcomes``: each finished or handed-over triage for the ethics advisor, with a pseudonymous
  ``user_ref`` (a keyed hash of channel and user id) instead of the user's id; only a hand-over
  stores ``contact``, how the advisor can reach the person. Deleted after ``outcome_days``.

Schema changes are recorded migrations (table ``migrations``), one history written for both
databases. SQLite (the default, one instance) runs in WAL mode; a ``postgresql://`` URL puts the
store on PostgreSQL for several instances (``bot/storage/sql.py``).

    >>> store = Store.open(":memory:", secret=b"k")
    >>> store.load_state("web:abc") is None
    True
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.database_url import is_postgres_url
from bot.storage.advisors import AdvisorStore
from bot.storage.audit import AuditStore
from bot.storage.base import StoreClosed, TurnCache, iso, locked, transaction, turn_cache, utc
from bot.storage.checkpoints import CheckpointStore
from bot.storage.knowledge import KnowledgeStore
from bot.storage.migrations import MIGRATIONS, migrate, pending
from bot.storage.outbox import OutboxStore
from bot.storage.rates import RateStore, purge_rates
from bot.storage.review import ReviewStore
from bot.storage.sql import Postgres, SqlDb, Sqlite
from dialogs.models import ConversationState, Outcome

__all__ = ["MIGRATIONS", "OutcomeRecord", "SchemaBehind", "Store", "StoreClosed", "migrate"]


class SchemaBehind(RuntimeError):
    """The database needs migrations this caller may not apply; ``pending`` names them."""

    def __init__(self, pending: list[str]) -> None:
        super().__init__(f"{len(pending)} migration(s) pending")
        self.pending = pending


@dataclass(frozen=True)
class OutcomeRecord:
    """A logged outcome as the advisor sees it."""

    id: str
    created_at: str
    updated_at: str
    channel: str
    user_ref: str
    contact: str | None
    status: str
    handed_over: bool
    outcome: Outcome


class Store(
    AdvisorStore, AuditStore, ReviewStore, OutboxStore, CheckpointStore, RateStore, KnowledgeStore
):
    """The one place that reads and writes persistent data.

    Thread-safe: every public method holds the store's lock, so a call can never run on the
    connection while another thread closes it or uses it.
    """

    def __init__(self, db: SqlDb, secret: bytes) -> None:
        self.db = db
        self._secret = secret
        # SQLite's one connection takes one call at a time. PostgreSQL's pool gives each thread
        # a connection of its own; a process-wide lock there would only let a thread that
        # waits for a row (held by a turn in progress) block that turn's next call.
        self._lock: AbstractContextManager[Any] = (
            threading.RLock() if db.dialect == "sqlite" else nullcontext()
        )
        self._closed = False
        self._turns = threading.local()  # .cache: the TurnCache of this thread's turn
        self.migrated: list[str] = []  # what open() applied (``ethiekbot db migrate`` says it)

    @classmethod
    def open(
        cls, path: str | Path, secret: bytes | None = None, migrate_schema: bool = True
    ) -> Store:
        """Open (creating if needed) the database at ``path`` and bring its schema up to date.

        ``path`` is a SQLite file, ``:memory:``, or a ``postgresql://`` URL. ``secret`` keys the
        pseudonyms; without one, a random secret is made once and kept in the database, so
        pseudonyms stay stable across restarts. Without ``migrate_schema`` a database whose
        schema is behind raises :class:`SchemaBehind` instead of being migrated (a command
        that only reads a shared database must not move it ahead of the running instances).
        """
        # Autocommit: every statement is durable on its own; where several must hold together,
        # the store opens a transaction itself (see base.transaction).
        db: SqlDb
        if is_postgres_url(path):
            db = Postgres(str(path))
        elif str(path) == ":memory:":
            db = Sqlite(sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False))
        else:
            p = Path(path)
            p.parent.mkdir(parents=True, exist_ok=True)
            # Used by one thread at a time (the service's worker), not always the opener's.
            conn = sqlite3.connect(
                str(p), timeout=10.0, isolation_level=None, check_same_thread=False
            )
            db = Sqlite(conn)
            db.enable_wal()
            # With WAL, NORMAL cannot corrupt the database; a power cut may lose the last few
            # commits. Full sync on every turn cost half of a turn's time.
            db.execute("PRAGMA synchronous = NORMAL")
        if db.dialect == "sqlite":
            db.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten with zeros, not left in free pages: what a person
            # erases is gone from the file, not only from the tables.
            db.execute("PRAGMA secure_delete = ON")
        if not migrate_schema and (todo := pending(db)):
            db.close()
            raise SchemaBehind(todo)
        applied = migrate(db) if migrate_schema else []
        if secret is not None:
            # A configured key never lives beside the pseudonyms it makes: drop any key an
            # earlier run without one kept here.
            db.execute("delete from meta where key = 'secret'")
        else:
            row = db.execute("select value from meta where key = 'secret'").fetchone()
            if row is None:
                # Two instances starting at once on a new database keep the same one: the
                # second insert does nothing and both read what is stored.
                db.execute(
                    "insert into meta (key, value) values ('secret', ?) on conflict do nothing",
                    [secrets.token_hex(32)],
                )
                row = db.execute("select value from meta where key = 'secret'").fetchone()
            assert row is not None  # inserted just now, or by another instance
            secret = str(row[0]).encode()
        store = cls(db, secret)
        store.migrated = applied
        return store

    @locked
    def readiness(self) -> dict[str, object]:
        """Whether the database answers and its schema is current: {"database": "ok",
        "pending": [names]}. Raises when the database does not answer."""
        self.db.refresh()
        self.db.execute("select 1").fetchone()
        return {"database": "ok", "pending": pending(self.db)}

    def close(self) -> None:
        """Close the database connection (waits for a call in progress; idempotent)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self.db.close()

    @contextmanager
    def turn(self, key: str) -> Iterator[None]:
        """The scope of one turn of conversation ``key``: on PostgreSQL a transaction holding
        a lock keyed by the conversation, so its turns never interleave across instances and
        a turn is committed before its reply is sent. Not held under the store's lock: the
        store's methods take that per call."""
        with self.db.conversation_lock(key):
            self._turns.cache = self._prefetch(key)
            try:
                yield
            finally:
                self._turns.cache = None

    @locked
    def _prefetch(self, key: str) -> TurnCache:
        # What nearly every turn asks first, in one question: the state, and whether a flow
        # or an advisor's question waits (the ``intercept`` of each small dialog asks that).
        row = self.db.execute(
            "select (select state from conversations where key = ?), "
            "(select count(*) from pending_answers where key = ?)",
            [key, key],
        ).fetchone()
        assert row is not None
        return TurnCache(key, row[0], bool(row[1]))

    def user_ref(self, channel: str, user: str) -> str:
        """The pseudonym of a user: stable, not reversible without the secret."""
        digest = hmac.new(self._secret, f"{channel}:{user}".encode(), hashlib.sha256)
        return digest.hexdigest()[:20]

    # -- conversations -------------------------------------------------------------------------

    @locked
    def load_state(self, key: str) -> ConversationState | None:
        """The stored state of a conversation, or None."""
        cache = turn_cache(self, key)
        if cache is not None:
            text = cache.state
        else:
            row = self.db.execute("select state from conversations where key = ?", [key]).fetchone()
            text = row[0] if row else None
        return None if text is None else ConversationState.model_validate_json(text)

    @locked
    def save_state(self, key: str, state: ConversationState, now: datetime | None = None) -> None:
        """Store the state of a conversation."""
        # Plain SQL: this runs on every turn, and sqlite-utils' upsert inspects the table first.
        text = state.model_dump_json()
        self.db.execute(
            "insert into conversations (key, state, updated_at, channel) values (?, ?, ?, ?) "
            "on conflict (key) do update set state = excluded.state, "
            "updated_at = excluded.updated_at",
            [key, text, iso(utc(now)), key.split(":", 1)[0]],
        )
        if (cache := turn_cache(self, key)) is not None:
            cache.state = text

    @locked
    def delete_state(self, key: str) -> None:
        """Forget a conversation, also in the write-ahead log (see :meth:`_scrub`)."""
        if (cache := turn_cache(self, key)) is not None:
            cache.state = None
        cur = self.db.execute("delete from conversations where key = ?", [key])
        if cur.rowcount:
            self._scrub()

    def _scrub(self, search_index: bool = False) -> None:
        """Make an erasure final in the files: merge the search index (FTS5 keeps deleted
        terms in old segments until a merge; SQLite 3.40 has no FTS5 secure-delete) and
        checkpoint the WAL into the database, whose freed pages secure_delete zeroed, then
        truncate the WAL so no copy of the erased pages remains in it."""
        if self.db.dialect != "sqlite":
            # PostgreSQL marks deleted rows dead and autovacuum reclaims them; there is no
            # file of ours to scrub (see the README's privacy section).
            return
        if search_index:
            self.db.execute("insert into outcomes_fts (outcomes_fts) values ('optimize')")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- outcomes ------------------------------------------------------------------------------

    @locked
    def log_outcome(
        self,
        outcome: Outcome,
        channel: str,
        user: str,
        now: datetime | None = None,
        conversation: str | None = None,
    ) -> bool:
        """Log (or update, when the same triage is finished again) an outcome for review.

        ``conversation`` is the storage key of the conversation it came from: where the
        advisor's reply goes. True when the outcome is new.
        """
        ts = iso(utc(now))
        with transaction(self.db):
            return self._log_outcome(outcome, channel, user, ts, conversation)

    def _log_outcome(
        self, outcome: Outcome, channel: str, user: str, ts: str, conversation: str | None
    ) -> bool:
        signals = outcome.signal_ids()
        row = {
            "id": outcome.id,
            "created_at": ts,
            "updated_at": ts,
            "channel": channel,
            "user_ref": self.user_ref(channel, user),
            "status": "nieuw",
            "handed_over": 0,
            "lang": outcome.lang,
            "risk": outcome.risk,
            "description": outcome.description,
            "data": outcome.model_dump_json(),
            "conversation": conversation,
            "instrument": outcome.instrument_id,
            # Padded with spaces so a filter matches whole ids: like '% dpia %'.
            "signals": f" {' '.join(signals)} " if signals else "",
            "verdicts": " ".join(f"{v.step}={v.verdict}" for v in outcome.verdicts),
            "complete": int(outcome.complete),
        }
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        # An upsert, not "insert or replace": replacing would delete the row and with it (by
        # the foreign key) the advisor's notes, and reset the status and who is on it.
        keep = ("id", "created_at", "status", "handed_over", "user_ref")
        updates = ", ".join(f"{c} = excluded.{c}" for c in row if c not in keep)
        is_new = (
            self.db.execute("select 1 from outcomes where id = ?", [outcome.id]).fetchone() is None
        )
        (rowid,) = self.db.execute(
            f"insert into outcomes ({columns}) values ({marks}) "
            f"on conflict (id) do update set {updates} returning rowid",
            list(row.values()),
        ).fetchone()
        if self.db.dialect != "sqlite":
            return is_new  # PostgreSQL searches an expression index on the description
        # The search index is keyed by the outcome's rowid (migration 0009): FTS5 cannot index
        # the id column, and deleting "where id = ?" read the whole index on every logged
        # triage (60 ms at 100,000 triages; benchmarks/advisor_bench.py).
        self.db.execute("delete from outcomes_fts where rowid = ?", [rowid])
        self.db.execute(
            "insert into outcomes_fts (rowid, id, description) values (?, ?, ?)",
            [rowid, outcome.id, outcome.description],
        )
        return is_new

    @locked
    def erase_outcomes_of(self, channel: str, user: str) -> int:
        """Delete every outcome of this person, and with them (foreign key and trigger) the
        advisor's notes and messages, the search entries, and their checkpoints. Returns how
        many outcomes. (What a person's own erase command will call.)"""
        ref = self.user_ref(channel, user)
        with transaction(self.db):
            if self.db.dialect == "sqlite":
                self.db.execute(
                    "delete from outcomes_fts where id in "
                    "(select id from outcomes where user_ref = ?)",
                    [ref],
                )
            cur = self.db.execute("delete from outcomes where user_ref = ?", [ref])
        if cur.rowcount:
            self._scrub(search_index=True)
        return int(cur.rowcount)

    @locked
    def hand_over(self, outcome_id: str, contact: str, now: datetime | None = None) -> bool:
        """Mark an outcome handed over and keep how the advisor can reach the person."""
        cur = self.db.execute(
            "update outcomes set handed_over = 1, contact = ?, updated_at = ? where id = ?",
            [contact, iso(utc(now)), outcome_id],
        )
        return bool(cur.rowcount)

    @locked
    def get_outcome(self, outcome_id: str) -> OutcomeRecord | None:
        """One logged outcome, or None."""
        rows = list(self.db.query("select * from outcomes where id = ?", [outcome_id]))
        return _record(rows[0]) if rows else None

    @locked
    def outcomes(self, status: str | None = None, limit: int = 100) -> list[OutcomeRecord]:
        """Logged outcomes, newest first (for the advisor's review)."""
        sql = "select * from outcomes"
        params: list[Any] = []
        if status:
            sql += " where status = ?"
            params.append(status)
        sql += " order by created_at desc, id limit ?"
        params.append(limit)
        return [_record(r) for r in self.db.query(sql, params)]

    @locked
    def outcomes_of(self, channel: str, user: str, limit: int = 10) -> list[OutcomeRecord]:
        """A user's own outcomes, newest first: what they may see, and nothing else."""
        rows = self.db.query(
            "select * from outcomes where user_ref = ? order by created_at desc, id limit ?",
            [self.user_ref(channel, user), limit],
        )
        return [_record(r) for r in rows]

    @locked
    def handed_over_of(self, channel: str, user: str) -> list[str]:
        """The ids of a user's outcomes that were handed over to an advisor."""
        rows = self.db.execute(
            "select id from outcomes where user_ref = ? and handed_over = 1",
            [self.user_ref(channel, user)],
        ).fetchall()
        return [str(r[0]) for r in rows]

    @locked
    def owns(self, outcome_id: str, channel: str, user: str) -> bool:
        """Whether this user on this channel produced the outcome."""
        row = self.db.execute(
            "select 1 from outcomes where id = ? and user_ref = ?",
            [outcome_id, self.user_ref(channel, user)],
        ).fetchone()
        return row is not None

    # -- channel events ------------------------------------------------------------------------

    @locked
    def first_delivery(self, event_id: str, now: datetime | None = None) -> bool:
        """Record a channel's event id; True the first time, False for every retry after."""
        cur = self.db.execute(
            "insert into channel_events (id, seen_at) values (?, ?) on conflict do nothing",
            [event_id, iso(utc(now))],
        )
        return bool(cur.rowcount)

    # -- conversation references ---------------------------------------------------------------

    @locked
    def save_reference(
        self, key: str, channel: str, reference: dict[str, Any], now: datetime | None = None
    ) -> None:
        """Keep how to write to a conversation later (proactive messages, reminders)."""
        self.db.execute(
            "insert into conversation_refs (key, channel, reference, updated_at) "
            "values (?, ?, ?, ?) on conflict (key) do update set channel = excluded.channel, "
            "reference = excluded.reference, updated_at = excluded.updated_at",
            [key, channel, json.dumps(reference, sort_keys=True), iso(utc(now))],
        )

    @locked
    def load_reference(self, key: str) -> dict[str, Any] | None:
        """The stored reference of a conversation, or None."""
        row = self.db.execute(
            "select reference from conversation_refs where key = ?", [key]
        ).fetchone()
        return json.loads(row[0]) if row else None

    # -- housekeeping --------------------------------------------------------------------------

    @locked
    def purge(
        self, state_days: int, outcome_days: int, now: datetime | None = None
    ) -> dict[str, int]:
        """Delete every row past its retention (`retention.RETENTION`); return counts per kind.

        With several instances on one database only one purges at a time (the others get
        ``{}`` back): the purge holds an advisory lock for its transaction."""
        now = utc(now)
        with self.db.try_lock("purge") as mine:
            if not mine:
                return {}
            counts = self._purge(now, state_days, outcome_days)
        if counts["conversations"] or counts["outcomes"]:
            self._scrub(search_index=bool(counts["outcomes"]))
        return counts

    def _purge(self, now: datetime, state_days: int, outcome_days: int) -> dict[str, int]:
        c = self.db.execute(
            "delete from conversations where updated_at < ?",
            [iso(now - timedelta(days=state_days))],
        ).rowcount
        # An outcome whose project still waits for a checkpoint stays until that is done: the
        # reminder must be able to name it, and the team asked for it.
        o = self.db.execute(
            "delete from outcomes where created_at < ? and coalesce(project_id, id) not in "
            "(select project_id from checkpoints where status in ('gepland', 'verzet'))",
            [iso(now - timedelta(days=outcome_days))],
        ).rowcount
        e = self.db.execute(
            "delete from channel_events where seen_at < ?", [iso(now - timedelta(days=2))]
        ).rowcount
        cutoff = iso(now - timedelta(days=outcome_days))
        # Search index, outbox and audit go with the outcomes they are about (review entries
        # follow by the foreign key).
        x = (
            self.db.execute(
                "delete from outcomes_fts where id not in (select id from outcomes)"
            ).rowcount
            if self.db.dialect == "sqlite"
            else 0  # PostgreSQL's search index is on the outcomes table itself
        )
        ob = self.db.execute("delete from outbox where created_at < ?", [cutoff]).rowcount
        nt = self.db.execute("delete from notified where at < ?", [cutoff]).rowcount
        # A project's checkpoints go with its outcomes: no reminder points at nothing.
        cp = self.db.execute(
            "delete from checkpoints where outcome_id not in (select id from outcomes)"
        ).rowcount
        au = self.db.execute("delete from audit_log where at < ?", [cutoff]).rowcount
        pa = self.db.execute(
            "delete from pending_answers where created_at < ?",
            [iso(now - timedelta(days=state_days))],
        ).rowcount
        # A conversation reference (how to reach a Slack or Teams conversation unasked) lives
        # as long as something may still be sent there: a planned checkpoint or a message in
        # the outbox; otherwise it goes with the conversation's retention.
        r = self.db.execute(
            "delete from conversation_refs where updated_at < ? and key not in "
            "(select target from checkpoints where status in ('gepland', 'verzet')) and key "
            "not in (select target from outbox where status = 'wachtend')",
            [iso(now - timedelta(days=state_days))],
        ).rowcount
        a = self._purge_access(now)
        rl = purge_rates(self.db, now.timestamp())
        # Counts only, never content: this dict is what the server logs.
        return {
            "conversations": c,
            "outcomes": o,
            "search_index": x,
            "checkpoints": cp,
            "outbox": ob,
            "notified": nt,
            "audit": au,
            "pending_answers": pa,
            "events": e,
            "references": r,
            "access": a,
            "rates": rl,
        }


def _record(row: dict[str, Any]) -> OutcomeRecord:
    return OutcomeRecord(
        id=row["id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        channel=row["channel"],
        user_ref=row["user_ref"],
        contact=row["contact"],
        status=row["status"],
        handed_over=bool(row["handed_over"]),
        outcome=Outcome.model_validate(json.loads(row["data"])),
    )
