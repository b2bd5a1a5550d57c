"""Checkpoints (ijkmomenten) of projects, and the flows a conversation is in outside the
drietrap (registering checkpoints, giving a new date).

A checkpoint waits (``gepland``, or ``verzet`` after a new date) until its send time; then it
is put in the outbox once (the outbox's unique key and ``outbox_id`` make that atomic) and
becomes ``verstuurd`` when the channel accepted it, or ``mislukt`` when the outbox gave up.
The team closes it (``afgerond``) or stops the project's reminders (``gestopt``).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.storage.base import (
    HasConnection,
    iso,
    locked,
    nothing_pending,
    pending_changed,
    transaction,
    utc,
)
from bot.storage.outbox import insert_message

STATUSES = ("gepland", "verstuurd", "afgerond", "verzet", "gestopt", "mislukt")
WAITING = ("gepland", "verzet")


@dataclass(frozen=True)
class CheckpointRecord:
    """One checkpoint of a project."""

    id: str
    project_id: str
    outcome_id: str
    kind: str
    label: str
    due: str  # YYYY-MM-DD as the team gave it
    send_at: str  # ISO UTC: 09:00 Amsterdam on the working day
    target: str  # the conversation's storage key
    channel: str
    status: str
    reason: str | None
    created_at: str
    updated_at: str

    def as_json(self) -> dict[str, Any]:
        """JSON-ready (``ethiekbot checkpoints list --json``)."""
        return {
            "id": self.id,
            "project_id": self.project_id,
            "outcome_id": self.outcome_id,
            "kind": self.kind,
            "label": self.label,
            "due": self.due,
            "send_at": self.send_at,
            "to": self.target,
            "channel": self.channel,
            "status": self.status,
            "reason": self.reason,
        }


_COLUMNS = (
    "id, project_id, outcome_id, kind, label, due, send_at, target, channel, status, reason, "
    "created_at, updated_at"
)


def _record(r: tuple[Any, ...]) -> CheckpointRecord:
    return CheckpointRecord(*r)


class CheckpointStore:
    """Checkpoints and chat flows (a part of :class:`bot.storage.Store`)."""

    @locked
    def project_of(self: HasConnection, outcome_id: str) -> str | None:
        """The project an outcome belongs to (its first outcome's id), or None if unknown."""
        row = self.db.execute(
            "select coalesce(project_id, id) from outcomes where id = ?", [outcome_id]
        ).fetchone()
        return str(row[0]) if row else None

    @locked
    def latest_outcome_in(self: HasConnection, key: str) -> str | None:
        """The newest outcome logged from conversation ``key``, or None."""
        row = self.db.execute(
            "select id from outcomes where conversation = ? "
            "order by created_at desc, rowid desc limit 1",
            [key],
        ).fetchone()
        return str(row[0]) if row else None

    @locked
    def team_channels(self: HasConnection, key: str, user_ref: str) -> list[str]:
        """Team channels this person used the bot in (a triage of theirs came from there), in
        the same Slack workspace or Teams tenant, as conversation keys for a reminder; not
        ``key`` itself. Only their own: nobody sends reminders into a channel they are not in.
        A Teams channel also needs the stored reference to write there at all."""
        channel, _, rest = key.partition(":")
        scope = rest.split(":", 1)[0]
        if channel == "slack":
            pattern = f"slack:{scope}:C%"
        elif channel == "teams":
            pattern = f"teams:{scope}:19:%"
        else:
            return []
        rows = self.db.execute(
            "select distinct conversation from outcomes where user_ref = ? and conversation like ?",
            [user_ref, pattern],
        ).fetchall()
        found: set[str] = set()
        for (conv,) in rows:
            if channel == "slack":
                found.add(":".join(str(conv).split(":")[:3]) + ":-")
            else:
                base = str(conv).split(";messageid=")[0]
                known = self.db.execute(
                    "select 1 from conversation_refs where key = ? or key like ?",
                    [base, base + ";%"],
                ).fetchone()
                if known:
                    found.add(base)
        return sorted(found - {key, ":".join(key.split(":")[:3]) + ":-"})

    @locked
    def link_recheck(self: HasConnection, outcome_id: str, previous_id: str) -> None:
        """Record that ``outcome_id`` re-checked ``previous_id``: same project."""
        row = self.db.execute(
            "select coalesce(project_id, id) from outcomes where id = ?", [previous_id]
        ).fetchone()
        if row is None:
            return
        self.db.execute(
            "update outcomes set project_id = ?, previous_id = ? where id = ?",
            [row[0], previous_id, outcome_id],
        )

    @locked
    def project_outcomes(self: HasConnection, project_id: str) -> list[tuple[str, str]]:
        """(outcome id, created) of a project's outcomes, oldest first."""
        rows = self.db.execute(
            "select id, created_at from outcomes where coalesce(project_id, id) = ? "
            "order by created_at, rowid",
            [project_id],
        ).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    @locked
    def add_checkpoint(
        self: HasConnection,
        outcome_id: str,
        kind: str,
        label: str,
        due: date,
        send_at: datetime,
        target: str,
        now: datetime | None = None,
    ) -> str:
        """Plan a checkpoint; returns its id. The outcome must exist (ValueError otherwise)."""
        row = self.db.execute(
            "select coalesce(project_id, id) from outcomes where id = ?", [outcome_id]
        ).fetchone()
        if row is None:
            raise ValueError(f"unknown outcome {outcome_id}")
        cid = "IJ-" + secrets.token_hex(5)
        ts = iso(utc(now))
        self.db.execute(
            f"insert into checkpoints ({_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "'gepland', null, ?, ?)",
            [
                cid,
                row[0],
                outcome_id,
                kind,
                label,
                due.isoformat(),
                iso(send_at),
                target,
                target.split(":", 1)[0],
                ts,
                ts,
            ],
        )
        return cid

    @locked
    def checkpoints(
        self: HasConnection,
        project_id: str | None = None,
        status: str | None = None,
        target: str | None = None,
    ) -> list[CheckpointRecord]:
        """Checkpoints by send time, optionally of one project, status or conversation."""
        where, params = [], []
        for column, value in (("project_id", project_id), ("status", status), ("target", target)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        sql = f"select {_COLUMNS} from checkpoints"
        if where:
            sql += " where " + " and ".join(where)
        rows = self.db.execute(sql + " order by send_at, id", params).fetchall()
        return [_record(r) for r in rows]

    @locked
    def get_checkpoint(self: HasConnection, checkpoint_id: str) -> CheckpointRecord | None:
        """One checkpoint, or None."""
        row = self.db.execute(
            f"select {_COLUMNS} from checkpoints where id = ?", [checkpoint_id]
        ).fetchone()
        return _record(row) if row else None

    def _cancel_pending(self: HasConnection, where: str, params: list[Any]) -> None:
        # A reminder still waiting in the outbox for a checkpoint that was closed or stopped
        # is not sent any more.
        self.db.execute(
            "update outbox set status = 'geannuleerd', lease_until = null where status = "
            f"'wachtend' and id in (select outbox_id from checkpoints where {where})",
            params,
        )

    @locked
    def set_checkpoint_status(
        self: HasConnection,
        checkpoint_id: str,
        status: str,
        reason: str | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Change a checkpoint's status (afgerond, gestopt, mislukt, ...)."""
        if status not in STATUSES:
            raise ValueError(f"unknown checkpoint status {status!r}")
        with transaction(self.db):
            if status in ("afgerond", "gestopt"):
                CheckpointStore._cancel_pending(self, "id = ?", [checkpoint_id])
            cur = self.db.execute(
                "update checkpoints set status = ?, reason = ?, updated_at = ? where id = ?",
                [status, reason, iso(utc(now)), checkpoint_id],
            )
        return bool(cur.rowcount)

    @locked
    def stop_project(self: HasConnection, project_id: str, now: datetime | None = None) -> int:
        """Stop every waiting reminder of a project; returns how many."""
        with transaction(self.db):
            CheckpointStore._cancel_pending(
                self, "project_id = ? and status in ('gepland', 'verzet')", [project_id]
            )
            cur = self.db.execute(
                "update checkpoints set status = 'gestopt', updated_at = ? "
                "where project_id = ? and status in ('gepland', 'verzet')",
                [iso(utc(now)), project_id],
            )
        return int(cur.rowcount)

    @locked
    def reschedule(
        self: HasConnection,
        checkpoint_id: str,
        due: date,
        send_at: datetime,
        now: datetime | None = None,
    ) -> bool:
        """A new date: the checkpoint waits again (``verzet``) and will be sent once more."""
        cur = self.db.execute(
            "update checkpoints set due = ?, send_at = ?, status = 'verzet', outbox_id = null, "
            "reason = null, updated_at = ? where id = ?",
            [due.isoformat(), iso(send_at), iso(utc(now)), checkpoint_id],
        )
        return bool(cur.rowcount)

    @locked
    def enqueue_due(
        self: HasConnection,
        payload: Callable[[CheckpointRecord], dict[str, Any]],
        now: datetime | None = None,
        limit: int = 500,
    ) -> int:
        """Put every waiting checkpoint whose send time has come in the outbox, once: the
        outbox row and the checkpoint's link to it are written in one transaction, and the
        outbox's unique key (checkpoint and due date) refuses a second copy, also from another
        scheduler. ``payload`` makes the message. Returns how many were enqueued."""
        now = utc(now)
        ts = iso(now)
        added = 0
        with transaction(self.db):
            rows = self.db.execute(
                f"select {_COLUMNS} from checkpoints where status in ('gepland', 'verzet') "
                "and outbox_id is null and send_at <= ? order by send_at, id limit ?",
                [ts, limit],
            ).fetchall()
            for r in rows:
                cp = _record(r)
                item = insert_message(
                    self.db,
                    # Once per checkpoint and planning: a new date (even the same one again)
                    # is a new reminder; two schedulers read the same row alike.
                    f"herinnering:{cp.id}:{cp.due}:{cp.updated_at}",
                    "herinnering",
                    cp.channel,
                    cp.target,
                    cp.outcome_id,
                    payload(cp),
                    ts,
                )
                if item is not None:
                    self.db.execute(
                        "update checkpoints set outbox_id = ?, updated_at = ? where id = ?",
                        [item, ts, cp.id],
                    )
                    added += 1
        return added

    # -- flows in a conversation -----------------------------------------------------------

    @locked
    def set_flow(
        self: HasConnection, key: str, flow: dict[str, Any], now: datetime | None = None
    ) -> None:
        """The conversation ``key`` is in a flow; its next message belongs to it."""
        pending_changed(self, key)
        self.db.execute(
            "insert into pending_answers (key, outcome_id, created_at, flow) "
            "values (?, ?, ?, ?) on conflict (key) do update set outcome_id = excluded.outcome_id, "
            "created_at = excluded.created_at, flow = excluded.flow",
            [key, str(flow.get("outcome_id", "")), iso(utc(now)), json.dumps(flow)],
        )

    @locked
    def get_flow(self: HasConnection, key: str) -> dict[str, Any] | None:
        """The flow conversation ``key`` is in, or None."""
        if nothing_pending(self, key):
            return None
        row = self.db.execute(
            "select flow from pending_answers where key = ? and flow is not null", [key]
        ).fetchone()
        return dict(json.loads(row[0])) if row else None

    @locked
    def end_flow(self: HasConnection, key: str) -> None:
        """The flow is over."""
        self.db.execute("delete from pending_answers where key = ? and flow is not null", [key])
