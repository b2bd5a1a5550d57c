"""The outbox: everything the bot sends unasked, one row per message.

An advisor's reply, a notification to the advisors and a reminder are the same thing to the
channels: a message to a stored conversation. Each is enqueued once (``dedupe_key`` is unique,
so "once per triage and trigger" holds across restarts), claimed with a lease by the
dispatcher, sent, and marked sent or scheduled again with backoff. A web chat message waits in
the outbox until its session opens the page (``seen_at``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.storage.base import HasConnection, iso, locked, transaction, utc
from bot.storage.sql import SqlDb

PENDING, SENT, FAILED = "wachtend", "verstuurd", "mislukt"
MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=2)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 30 s, 1 min, 2 min, ... at most 1 h."""
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class OutboxItem:
    """One message to send (or sent)."""

    id: int
    kind: str  # antwoord | melding | herinnering
    channel: str
    target: str  # the conversation's storage key, e.g. "slack:D123" or "web:<session>"
    outcome_id: str | None
    payload: dict[str, Any]
    status: str
    attempts: int
    last_error: str | None
    created_at: str
    sent_at: str | None
    seen_at: str | None = None  # the web chat showed it (the session opened the page)


_COLUMNS = (
    "id, kind, channel, target, outcome_id, payload, status, attempts, last_error, created_at, "
    "sent_at, seen_at"
)


def _item(r: tuple[Any, ...]) -> OutboxItem:
    return OutboxItem(
        id=int(r[0]),
        kind=r[1],
        channel=r[2],
        target=r[3],
        outcome_id=r[4],
        payload=json.loads(r[5]),
        status=r[6],
        attempts=int(r[7]),
        last_error=r[8],
        created_at=r[9],
        sent_at=r[10],
        seen_at=r[11],
    )


def _record_failure(
    db: SqlDb, item_id: int, status: str, attempts: int, error: str, now: datetime
) -> str:
    with transaction(db):
        db.execute(
            "update outbox set status = ?, attempts = ?, last_error = ?, lease_until = null, "
            "next_attempt_at = ? where id = ? and status = ?",
            [status, attempts, error[:300], iso(now + backoff(attempts)), item_id, PENDING],
        )
        # (A late failure of a dispatcher whose lease ran out must not undo the send of the
        # one that took over: a message marked sent stays sent.)
        if status == FAILED:
            db.execute(
                "update checkpoints set status = 'mislukt', reason = ?, updated_at = ? "
                "where outbox_id = ?",
                [error[:300], iso(now), item_id],
            )
    return status


def insert_message(
    db: SqlDb,
    dedupe_key: str,
    kind: str,
    channel: str,
    target: str,
    outcome_id: str | None,
    payload: dict[str, Any],
    ts: str,
) -> int | None:
    """The one way a message enters the outbox (inside the caller's transaction): its id, or
    None when ``dedupe_key`` was enqueued before."""
    cur = db.execute(
        "insert into outbox (dedupe_key, kind, channel, target, outcome_id, payload, "
        "next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?, ?, ?) "
        "on conflict (dedupe_key) do nothing returning id",
        [dedupe_key, kind, channel, target, outcome_id, json.dumps(payload), ts, ts],
    )
    row = cur.fetchone()
    return int(row[0]) if row else None


def _checkpoint_sent(db: SqlDb, item_id: int, ts: str) -> None:
    """A reminder's checkpoint is sent when its message is. (Only a waiting one: a checkpoint
    closed or stopped meanwhile stays so.)"""
    db.execute(
        "update checkpoints set status = 'verstuurd', updated_at = ? "
        "where outbox_id = ? and status in ('gepland', 'verzet')",
        [ts, item_id],
    )


class OutboxStore:
    """The outbox (a part of :class:`bot.storage.Store`)."""

    @locked
    def enqueue(
        self: HasConnection,
        dedupe_key: str,
        kind: str,
        channel: str,
        target: str,
        payload: dict[str, Any],
        outcome_id: str | None = None,
        now: datetime | None = None,
    ) -> int | None:
        """Add a message; None (and nothing added) when ``dedupe_key`` was enqueued before."""
        return insert_message(
            self.db, dedupe_key, kind, channel, target, outcome_id, payload, iso(utc(now))
        )

    @locked
    def claim_due(
        self: HasConnection,
        channels: tuple[str, ...],
        limit: int = 20,
        now: datetime | None = None,
    ) -> list[OutboxItem]:
        """Claim up to ``limit`` due messages for these channels, with a lease: another
        dispatcher (or this one after a crash) takes them only when the lease ran out."""
        if not channels:
            return []
        now = utc(now)
        # The lease runs on the real clock even when ``now`` is a test's or a cron run's
        # (--now): a lease in the past would let another dispatcher take the message at once.
        lease_until = max(now, utc()) + LEASE
        marks = ", ".join("?" for _ in channels)
        with transaction(self.db):
            rows = self.db.execute(
                f"select {_COLUMNS} from outbox where status = ? and next_attempt_at <= ? "
                f"and (lease_until is null or lease_until < ?) and channel in ({marks}) "
                # The order of idx_outbox_due (status, next_attempt_at, then the rowid id): the
                # oldest due first, read from the index without sorting every waiting row.
                "order by next_attempt_at, id limit ?"
                # PostgreSQL: rows another instance is claiming right now are passed over, not
                # waited for and then claimed a second time. (SQLite's write lock, taken by
                # the transaction, already keeps a second process out.)
                + (" for update skip locked" if self.db.dialect == "postgresql" else ""),
                [PENDING, iso(now), iso(now), *channels, limit],
            ).fetchall()
            ids = [r[0] for r in rows]
            if ids:
                id_marks = ", ".join("?" for _ in ids)
                self.db.execute(
                    f"update outbox set lease_until = ? where id in ({id_marks})",
                    [iso(lease_until), *ids],
                )
        return [_item(r) for r in rows]

    @locked
    def mark_sent(self: HasConnection, item_id: int, now: datetime | None = None) -> None:
        """The message reached its channel."""
        ts = iso(utc(now))
        with transaction(self.db):
            self.db.execute(
                "update outbox set status = ?, sent_at = ?, lease_until = null, "
                "last_error = null, attempts = attempts + 1 where id = ?",
                [SENT, ts, item_id],
            )
            _checkpoint_sent(self.db, item_id, ts)

    @locked
    def mark_failed(
        self: HasConnection, item_id: int, error: str, now: datetime | None = None
    ) -> str:
        """A delivery failed: try again after a backoff, or give up after eight attempts.
        ``error`` is a short technical reason (never message text). Returns the new status."""
        now = utc(now)
        row = self.db.execute("select attempts from outbox where id = ?", [item_id]).fetchone()
        attempts = int(row[0]) + 1 if row else MAX_ATTEMPTS
        status = FAILED if attempts >= MAX_ATTEMPTS else PENDING
        return _record_failure(self.db, item_id, status, attempts, error, now)

    @locked
    def give_up(self: HasConnection, item_id: int, error: str, now: datetime | None = None) -> str:
        """A delivery that can never succeed (the conversation is gone, the bot was removed):
        failed at once, no retries."""
        row = self.db.execute("select attempts from outbox where id = ?", [item_id]).fetchone()
        attempts = int(row[0]) + 1 if row else 1
        return _record_failure(self.db, item_id, FAILED, attempts, error, utc(now))

    @locked
    def retry(self: HasConnection, item_id: int, now: datetime | None = None) -> bool:
        """Send a failed message again now (the advisor asked)."""
        cur = self.db.execute(
            "update outbox set status = ?, attempts = 0, next_attempt_at = ?, lease_until = null "
            "where id = ? and status = ?",
            [PENDING, iso(utc(now)), item_id, FAILED],
        )
        if cur.rowcount:
            self.db.execute(
                "update checkpoints set status = 'gepland', reason = null where outbox_id = ?",
                [item_id],
            )
        return bool(cur.rowcount)

    @locked
    def outbox_of(self: HasConnection, outcome_id: str) -> list[OutboxItem]:
        """Every message about one triage, oldest first (the advisor sees their delivery)."""
        rows = self.db.execute(
            f"select {_COLUMNS} from outbox where outcome_id = ? order by id", [outcome_id]
        ).fetchall()
        return [_item(r) for r in rows]

    @locked
    def take_terminal(
        self: HasConnection, target: str, now: datetime | None = None
    ) -> list[OutboxItem]:
        """The messages waiting for a terminal conversation (``console:...``), which no
        dispatcher sends: the terminal shows them when it opens; marks them sent and shown,
        and a reminder's checkpoint sent with it (as :meth:`mark_sent` does)."""
        ts = iso(utc(now))
        with transaction(self.db):
            rows = self.db.execute(
                "update outbox set status = ?, sent_at = ?, seen_at = ?, lease_until = null "
                f"where target = ? and channel = 'console' and status = ? returning {_COLUMNS}",
                [SENT, ts, ts, target, PENDING],
            ).fetchall()
            items = sorted((_item(r) for r in rows), key=lambda item: item.id)
            for item in items:
                _checkpoint_sent(self.db, item.id, ts)
        return items

    @locked
    def take_inbox(
        self: HasConnection, target: str, now: datetime | None = None
    ) -> list[OutboxItem]:
        """The web chat's messages for a conversation not shown yet; marks them shown."""
        # One statement: two pages opened at once (two instances, two lanes) cannot both take
        # the same message.
        rows = self.db.execute(
            "update outbox set seen_at = ? where target = ? and channel = 'web' "
            f"and status = ? and seen_at is null returning {_COLUMNS}",
            [iso(utc(now)), target, SENT],
        ).fetchall()
        return sorted((_item(r) for r in rows), key=lambda item: item.id)

    @locked
    def notify_once(
        self: HasConnection,
        outcome_id: str,
        triggers: list[str],
        target: str,
        channel: str,
        payload: Callable[[list[str]], dict[str, Any]],
        now: datetime | None = None,
    ) -> bool:
        """Enqueue one notification for the ``triggers`` not notified in ``target`` before
        (``payload`` makes it from them), in one transaction with their record; True when
        something new was enqueued."""
        ts = iso(utc(now))
        with transaction(self.db):
            new = [
                t
                for t in triggers
                if self.db.execute(
                    "insert into notified (outcome_id, trigger, target, at) values (?, ?, ?, ?) "
                    "on conflict do nothing",
                    [outcome_id, t, target, ts],
                ).rowcount
            ]
            if not new:
                return False
            insert_message(
                self.db,
                f"melding:{outcome_id}:{'+'.join(new)}:{target}",
                "melding",
                channel,
                target,
                outcome_id,
                {**payload(new), "triggers": new},
                ts,
            )
        return True

    # -- where advisors are notified -----------------------------------------------------------

    @locked
    def add_notify_target(
        self: HasConnection, target: str, channel: str, now: datetime | None = None
    ) -> None:
        """Notify the advisors in this conversation (``meldingen hier``)."""
        self.db.execute(
            "insert into notify_targets (target, channel, created_at) values (?, ?, ?) "
            "on conflict (target) do nothing",
            [target, channel, iso(utc(now))],
        )

    @locked
    def remove_notify_target(self: HasConnection, target: str) -> bool:
        """Stop notifying in this conversation."""
        return bool(
            self.db.execute("delete from notify_targets where target = ?", [target]).rowcount
        )

    @locked
    def notify_targets(self: HasConnection) -> list[tuple[str, str]]:
        """(target, channel) of every registered notification conversation."""
        rows = self.db.execute(
            "select target, channel from notify_targets order by target"
        ).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]
