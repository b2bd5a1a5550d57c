"""Schema changes as recorded migrations (table ``migrations``), applied in order at open.

Append only: a shipped migration never changes, a new one is added at the end.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from bot.storage.base import iso, transaction, utc


def _m1_initial(db: Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("conversations").create(
        {"key": str, "state": str, "updated_at": str, "channel": str}, pk="key"
    )
    db.table("conversations").create_index(["updated_at"])
    db.table("outcomes").create(
        {
            "id": str,
            "created_at": str,
            "updated_at": str,
            "channel": str,
            "user_ref": str,
            "contact": str,
            "status": str,
            "handed_over": int,
            "lang": str,
            "risk": str,
            "description": str,
            "data": str,
        },
        pk="id",
        not_null={"created_at", "channel", "user_ref", "status"},
        defaults={"status": "nieuw", "handed_over": 0},
    )
    db.table("outcomes").create_index(["user_ref", "created_at"])
    db.table("outcomes").create_index(["status"])


def _m2_channel_events(db: Database) -> None:
    # Channels retry deliveries (Slack: X-Slack-Retry-Num); an event id seen once is never
    # processed again, also after a restart.
    db.table("channel_events").create({"id": str, "seen_at": str}, pk="id")
    db.table("channel_events").create_index(["seen_at"])


def _m3_conversation_references(db: Database) -> None:
    # Where a channel lets the bot write later (Teams' ConversationReference), kept durably so
    # reminders survive a restart. Only what is needed to address the conversation.
    db.table("conversation_refs").create(
        {"key": str, "channel": str, "reference": str, "updated_at": str}, pk="key"
    )


# Append only: a shipped migration never changes, a new one is added at the end.
MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = [
    ("0001_initial", _m1_initial),
    ("0002_channel_events", _m2_channel_events),
    ("0003_conversation_references", _m3_conversation_references),
]


def migrate(db: Database) -> list[str]:
    """Apply the migrations not applied yet; return their names."""
    if "migrations" not in db.table_names():
        db.table("migrations").create({"name": str, "applied_at": str}, pk="name")
    done = {r["name"] for r in db.table("migrations").rows}
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        with transaction(db):
            step(db)
            db.table("migrations").insert({"name": name, "applied_at": iso(utc())})
        applied.append(name)
    return applied
