"""How long each table keeps its rows: the single list the retention test holds the schema to.

Every table the store creates must appear here. A table with a time rule is emptied by
`Store.purge`; the few tables kept "until changed" hold configuration, not what employees
typed. The privacy statement states the same periods from the settings in force.
"""

from __future__ import annotations

from typing import Final

#: table -> its retention rule, in words (English: this is for developers and the README).
RETENTION: Final[dict[str, str]] = {
    "conversations": "state_days after the last message",
    "pending_answers": "state_days after the question was asked",
    "conversation_refs": "state_days after the last use, longer only while a checkpoint "
    "is planned or a message waits in the outbox",
    "outcomes": "retention_days after creation, longer only while a checkpoint is planned",
    "outcomes_fts": "with its outcome",
    "review_entries": "with its outcome (foreign key, on delete cascade)",
    "checkpoints": "with the project's outcomes",
    "outbox": "retention_days after it was queued",
    "notified": "retention_days",
    "audit_log": "retention_days",
    "channel_events": "2 days (only to drop a retried delivery)",
    "rate_limits": "2 minutes after the minute it counts (the limits per minute)",
    "advisor_sessions": "idle timeout",
    "advisor_invites": "7 days after expiry",
    "oidc_pending": "the sign-in timeout",
    # Configuration, not what employees typed: kept until an administrator changes it.
    "advisors": "until the advisor is removed",
    "notify_targets": "until the target is removed",
    "knowledge_files": "the organisation's own cases and contacts: until replaced",
    "meta": "configuration (schema version)",
    "migrations": "configuration (applied migrations)",
}

#: Tables only SQLite has: PostgreSQL searches an index on ``outcomes`` itself.
SQLITE_ONLY: Final[frozenset[str]] = frozenset({"outcomes_fts"})

#: Tables `purge` leaves alone by design (see above).
KEPT_UNTIL_CHANGED: Final[frozenset[str]] = frozenset(
    {"advisors", "notify_targets", "meta", "migrations", "knowledge_files"}
)
