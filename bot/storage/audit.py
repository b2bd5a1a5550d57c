"""The audit log: every advisor action, append-only, with who and when.

Reading a triage is an action too: whoever saw an employee's text can be named afterwards.
There is deliberately no method that changes or deletes an entry; only the retention purge
removes entries older than the outcomes they are about.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage.base import HasConnection, iso, locked, utc

# What is audited; the workspace and the CLI use these names.
ACTIONS = (
    "aangemeld",  # signed in
    "afgemeld",  # signed out
    "geopend",  # opened a triage
    "status",
    "toegewezen",  # assigned
    "notitie",
    "correctie",
    "antwoord",  # reply to the employee
    "opnieuw-verstuurd",  # a failed message sent again
    "export",
    "promotie",  # promoted to the case library
    "casus-bewerkt",  # an own case edited
    "casus-ingetrokken",  # an own case withdrawn from the library
    "contacten",  # edited the organisation's contacts
    "adviseur-toegevoegd",
    "adviseur-verwijderd",
    "adviseur-gekoppeld",
    "uitnodiging",
    "verwijderd-op-verzoek",  # the employee erased their data; only the id remains
)


@dataclass(frozen=True)
class AuditEntry:
    """One recorded action."""

    id: int
    at: str
    actor: str
    action: str
    outcome_id: str | None
    detail: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.id,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "outcome_id": self.outcome_id,
            "detail": self.detail,
        }


class AuditStore:
    """The audit log (a part of :class:`bot.storage.Store`)."""

    @locked
    def audit(
        self: HasConnection,
        actor: str,
        action: str,
        outcome_id: str | None = None,
        detail: dict[str, Any] | None = None,
        now: datetime | None = None,
    ) -> None:
        """Record an action. ``detail`` holds ids and field names, never an employee's text."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        self.db.execute(
            "insert into audit_log (at, actor, action, outcome_id, detail) values (?, ?, ?, ?, ?)",
            [
                iso(utc(now)),
                actor,
                action,
                outcome_id,
                json.dumps(detail or {}, sort_keys=True, ensure_ascii=False),
            ],
        )

    @locked
    def audit_entries(
        self: HasConnection,
        outcome_id: str | None = None,
        actor: str | None = None,
        limit: int = 200,
        before: int | None = None,
    ) -> list[AuditEntry]:
        """Entries newest first, optionally of one triage or one actor; ``before`` pages on."""
        where: list[str] = []
        params: list[Any] = []
        if outcome_id:
            where.append("outcome_id = ?")
            params.append(outcome_id)
        if actor:
            where.append("actor = ?")
            params.append(actor)
        if before is not None:
            where.append("id < ?")
            params.append(before)
        sql = "select id, at, actor, action, outcome_id, detail from audit_log"
        if where:
            sql += " where " + " and ".join(where)
        sql += " order by id desc limit ?"
        rows = self.db.execute(sql, [*params, limit]).fetchall()
        return [
            AuditEntry(
                id=int(r[0]),
                at=str(r[1]),
                actor=str(r[2]),
                action=str(r[3]),
                outcome_id=r[4],
                detail=json.loads(r[5] or "{}"),
            )
            for r in rows
        ]

    @locked
    def erased_on_request(
        self: HasConnection, since: datetime | None = None, outcome_id: str | None = None
    ) -> list[tuple[str, str]]:
        """Handed-over triages their employee erased, newest first: (outcome id, when).

        This is the tombstone the advisor sees; the content itself is gone."""
        sql = "select outcome_id, at from audit_log where action = 'verwijderd-op-verzoek'"
        params: list[Any] = []
        if since is not None:
            sql += " and at >= ?"
            params.append(iso(utc(since)))
        if outcome_id is not None:
            sql += " and outcome_id = ?"
            params.append(outcome_id)
        rows = self.db.execute(sql + " order by id desc limit 200", params).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]
