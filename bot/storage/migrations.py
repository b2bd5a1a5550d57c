"""Schema changes as recorded migrations (table ``migrations``), applied in order at open.

One history for both databases: each migration here has its PostgreSQL form under the same
name in ``migrations_pg.py`` (a test holds the two lists equal). Append only: a shipped
migration never changes, a new one is added at the end.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Iterator

from bot.storage.base import iso, utc
from bot.storage.migrations_pg import PG_MIGRATIONS
from bot.storage.sql import SqlDb, Sqlite, lock_key


def _m1_initial(db: Sqlite) -> None:
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


def _m2_channel_events(db: Sqlite) -> None:
    # Channels retry deliveries (Slack: X-Slack-Retry-Num); an event id seen once is never
    # processed again, also after a restart.
    db.table("channel_events").create({"id": str, "seen_at": str}, pk="id")
    db.table("channel_events").create_index(["seen_at"])


def _m3_conversation_references(db: Sqlite) -> None:
    # Where a channel lets the bot write later (Teams' ConversationReference), kept durably so
    # reminders survive a restart. Only what is needed to address the conversation.
    db.table("conversation_refs").create(
        {"key": str, "channel": str, "reference": str, "updated_at": str}, pk="key"
    )


def _m4_advisors(db: Sqlite) -> None:
    # Who may use the advisor's workspace. Invite links and sessions are kept as SHA-256 hashes:
    # a copy of the database never holds a credential anyone could use.
    db.table("advisors").create(
        {
            "email": str,
            "role": str,
            "name": str,
            "slack_id": str,
            "teams_id": str,
            "created_at": str,
            "created_by": str,
        },
        pk="email",
        not_null={"role", "created_at"},
    )
    db.table("advisor_invites").create(
        {
            "token_hash": str,
            "email": str,
            "role": str,
            "created_at": str,
            "expires_at": str,
            "used_at": str,
        },
        pk="token_hash",
    )
    db.table("advisor_sessions").create(
        {
            "id_hash": str,
            "email": str,
            "role": str,
            "csrf": str,
            "created_at": str,
            "last_seen_at": str,
        },
        pk="id_hash",
    )
    db.table("advisor_sessions").create_index(["last_seen_at"])
    # An OpenID Connect sign-in in progress: state, nonce and PKCE verifier until the callback.
    db.table("oidc_pending").create(
        {"state_hash": str, "nonce": str, "verifier": str, "created_at": str}, pk="state_hash"
    )


def _m5_audit(db: Sqlite) -> None:
    # Append-only: the store has no method that updates or deletes a row of it.
    db.execute(
        "create table audit_log (id integer primary key autoincrement, at text not null, "
        "actor text not null, action text not null, outcome_id text, detail text)"
    )
    db.execute("create index idx_audit_log_outcome on audit_log (outcome_id)")
    db.execute("create index idx_audit_log_at on audit_log (at)")


def _m6_review(db: Sqlite) -> None:
    # The queue filters and sorts on these columns; they are derived from the outcome when it
    # is logged, so no query has to parse its JSON.
    outcomes = db.table("outcomes")
    for column in (
        "conversation",
        "instrument",
        "signals",
        "assigned_to",
        "referred_to",
        "reviewed_at",
    ):
        outcomes.add_column(column, str)
    db.execute("create index idx_outcomes_created on outcomes (created_at desc, id)")
    db.execute("create index idx_outcomes_risk on outcomes (risk, created_at)")
    db.execute(
        "create virtual table outcomes_fts using fts5 (id unindexed, description, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.execute("insert into outcomes_fts (id, description) select id, description from outcomes")
    # Notes, corrections and the messages between advisor and employee, in order.
    db.execute(
        "create table review_entries (id integer primary key autoincrement, "
        "outcome_id text not null references outcomes (id) on delete cascade, "
        "kind text not null, at text not null, author text not null, body text not null)"
    )
    db.execute("create index idx_review_entries_outcome on review_entries (outcome_id, id)")


def _m7_outbox(db: Sqlite) -> None:
    # Everything the bot sends unasked (advisor replies, notifications, reminders): one row per
    # message, claimed with a lease, sent once, retried with backoff. ``dedupe_key`` makes "once
    # per triage and trigger" a unique insert, also across restarts.
    db.execute(
        "create table outbox (id integer primary key autoincrement, "
        "dedupe_key text not null unique, kind text not null, channel text not null, "
        "target text not null, outcome_id text, payload text not null, "
        "status text not null default 'wachtend', attempts integer not null default 0, "
        "next_attempt_at text not null, lease_until text, last_error text, "
        "created_at text not null, sent_at text, seen_at text)"
    )
    db.execute("create index idx_outbox_due on outbox (status, next_attempt_at)")
    db.execute("create index idx_outbox_target on outbox (target, status)")
    # Where advisors want notifications (a Slack or Teams channel), registered in the channel.
    db.table("notify_targets").create(
        {"target": str, "channel": str, "created_at": str}, pk="target"
    )
    # A conversation whose next message is the employee's answer to the advisor.
    db.table("pending_answers").create({"key": str, "outcome_id": str, "created_at": str}, pk="key")


def _m8_outcome_summary(db: Sqlite) -> None:
    # The verdicts per step and whether the whole drietrap was walked, derived at log time like
    # risk and signals, so the export reads columns and never the outcome's JSON.
    db.table("outcomes").add_column("verdicts", str)
    db.table("outcomes").add_column("complete", int)
    db.execute(
        "update outcomes set complete = coalesce(json_extract(data, '$.complete'), 0), "
        "verdicts = (select group_concat(json_extract(v.value, '$.step') || '=' || "
        "json_extract(v.value, '$.verdict'), ' ') from json_each(data, '$.verdicts') v)"
    )


def _m9_checkpoints(db: Sqlite) -> None:
    # A project is the chain of outcomes from its first triage through every re-check;
    # project_id is the first outcome's id, previous_id the outcome a re-check started from.
    db.table("outcomes").add_column("project_id", str)
    db.table("outcomes").add_column("previous_id", str)
    db.execute("create index idx_outcomes_project on outcomes (project_id)")
    db.execute(
        "create table checkpoints (id text primary key, project_id text not null, "
        "outcome_id text not null, kind text not null, label text not null, "
        "due text not null, send_at text not null, target text not null, "
        "channel text not null, status text not null default 'gepland', "
        "outbox_id integer, reason text, created_at text not null, updated_at text not null)"
    )
    db.execute("create index idx_checkpoints_due on checkpoints (status, send_at)")
    db.execute("create index idx_checkpoints_project on checkpoints (project_id)")
    db.execute("create index idx_checkpoints_outbox on checkpoints (outbox_id)")
    # A conversation in the middle of a small flow outside the drietrap (registering
    # checkpoints, a new date): what it waits for, as JSON.
    db.table("pending_answers").add_column("flow", str)


def _m10_search_by_rowid(db: Sqlite) -> None:
    # The search index's rows get the rowid of their outcome, so logging a triage replaces its
    # entry by rowid (a key lookup) instead of a scan of the whole index for its id, and a
    # search joins on rowid.
    db.execute("delete from outcomes_fts")
    db.execute(
        "insert into outcomes_fts (rowid, id, description) "
        "select rowid, id, description from outcomes"
    )


def _m11_queue_index(db: Sqlite) -> None:
    # The queue walks this index newest first and tests every equality filter in the index
    # itself; only the page's rows are read from the table, whose filter columns come after
    # the outcome's JSON (overflow pages). It replaces idx_outcomes_created, its prefix: with
    # both, SQLite may take the narrower one and read every row to filter it.
    db.execute(
        "create index idx_outcomes_queue on outcomes (created_at desc, id, status, risk, "
        "channel, handed_over, instrument, assigned_to, signals)"
    )
    db.execute("drop index idx_outcomes_created")


def _m12_notified(db: Sqlite) -> None:
    # One row per triage, trigger and conversation notified: a unique insert decides which
    # triggers are new, also when two instances finish the same triage at once.
    db.execute(
        "create table notified (outcome_id text not null, trigger text not null, "
        "target text not null, at text not null, primary key (outcome_id, trigger, target))"
    )
    db.execute(
        "insert or ignore into notified (outcome_id, trigger, target, at) "
        "select o.outcome_id, t.value, o.target, o.created_at from outbox o, "
        "json_each(o.payload, '$.triggers') t where o.kind = 'melding'"
    )


def _m13_checkpoints_follow_outcomes(db: Sqlite) -> None:
    # Whatever deletes an outcome (retention, a person erasing their data) takes its
    # checkpoints and their waiting reminders with it: no reminder about a deleted triage.
    db.execute(
        "create trigger checkpoints_follow_outcomes after delete on outcomes begin "
        "update outbox set status = 'geannuleerd' where status = 'wachtend' "
        "and id in (select outbox_id from checkpoints where outcome_id = old.id); "
        "delete from checkpoints where outcome_id = old.id; end"
    )


_HASHED = re.compile(r"^[0-9a-f]{32}$")

# Where a web conversation's key ("web:<token>") is written down.
_WEB_KEY_COLUMNS = (
    ("conversations", "key"),
    ("outcomes", "contact"),
    ("outcomes", "conversation"),
    ("outbox", "target"),
    ("pending_answers", "key"),
    ("checkpoints", "target"),
    ("conversation_refs", "key"),
)


def _m14_minimal_keys(db: Sqlite) -> None:
    hash_web_keys(db)
    # A Teams conversation reference keeps what sending needs, not who the user is.
    db.execute(
        "update conversation_refs set reference = json_remove(reference, '$.user', "
        "'$.activityId', '$.conversation.name', '$.bot.name', '$.locale') "
        "where channel = 'teams' and json_valid(reference)"
    )


def hash_web_keys(db: SqlDb) -> None:
    """The web session token is the web user's only credential: keep a hash of it (as
    adapters/web.py does for new conversations), never the token. (Portable SQL: migration
    0014 on both databases.)"""
    for table, column in _WEB_KEY_COLUMNS:
        rows = db.execute(
            f"select distinct {column} from {table} where {column} like 'web:%'"
        ).fetchall()
        for (old,) in rows:
            token = old.split(":", 1)[1]
            if _HASHED.match(token):
                continue
            new = "web:" + hashlib.sha256(token.encode()).hexdigest()[:32]
            db.execute(f"update {table} set {column} = ? where {column} = ?", [new, old])


def _m15_rate_limits(db: Sqlite) -> None:
    # Rate counters shared by the instances on one database (bot/storage/rates.py).
    db.execute(
        "create table if not exists rate_limits (key text primary key, hits integer not null, "
        "window_end integer not null)"
    )
    db.execute("create index if not exists idx_rate_limits_end on rate_limits (window_end)")


def _m16_knowledge_files(db: Sqlite) -> None:
    # The organisation's promoted cases and contacts, shared by the instances on one database
    # (bot/storage/knowledge.py).
    db.execute(
        "create table if not exists knowledge_files (path text primary key, content text not null, "
        "updated_at text not null)"
    )


# The advisor's judgement beside the bot's (migration 0017, both databases): the newest
# correction of the risk and of the instrument, and since when the employee's last message
# waits for an advisor's answer. Kept up to date when a review entry is added, so the queue
# shows and filters what is in force from its own index, and never reads the entries per row.
_JUDGEMENT_QUEUE_INDEX = (
    "create index idx_outcomes_queue on outcomes (created_at desc, id, status, risk, "
    "channel, handed_over, instrument, assigned_to, signals, revised_risk, "
    "revised_instrument, waiting_since)"
)
# An employee's message that no advisor's message followed (the oldest such one).
_WAITING_SINCE = (
    "(select min(e.at) from review_entries e where e.outcome_id = outcomes.id "
    "and e.kind = 'bericht' and e.author = 'medewerker' and not exists ("
    "select 1 from review_entries r where r.outcome_id = e.outcome_id and r.kind = 'bericht' "
    "and r.author <> 'medewerker' and r.id > e.id))"
)


def revised_sql(field: str, body_field: str) -> str:
    """The statement that fills ``revised_<field>`` from the newest correction of it;
    ``body_field`` reads a field of an entry's JSON body in the database's dialect."""
    return (
        f"update outcomes set revised_{field} = (select {body_field.format('revised')} "
        "from review_entries e where e.outcome_id = outcomes.id and e.kind = 'correctie' "
        f"and {body_field.format('field')} = '{field}' order by e.id desc limit 1)"
    )


def judgement_steps(body_field: str) -> list[str]:
    """Migration 0017 after its columns are added: fill them, and index them for the queue."""
    return [
        revised_sql("risk", body_field),
        revised_sql("instrument", body_field),
        f"update outcomes set waiting_since = {_WAITING_SINCE}",
        "drop index if exists idx_outcomes_queue",
        _JUDGEMENT_QUEUE_INDEX,
    ]


def _m17_advisor_judgement(db: Sqlite) -> None:
    # Safe to run again (as every step since 0015): `ethiekbot db migrate` then repairs a
    # database whose record of it was lost.
    have = set(db.table("outcomes").columns_dict)
    for column in ("revised_risk", "revised_instrument", "waiting_since"):
        if column not in have:
            db.table("outcomes").add_column(column, str)
    for sql in judgement_steps("json_extract(e.body, '$.{}')"):
        db.execute(sql)


# Append only: a shipped migration never changes, a new one is added at the end.
MIGRATIONS: list[tuple[str, Callable[[Sqlite], None]]] = [
    ("0001_initial", _m1_initial),
    ("0002_channel_events", _m2_channel_events),
    ("0003_conversation_references", _m3_conversation_references),
    ("0004_advisors", _m4_advisors),
    ("0005_audit", _m5_audit),
    ("0006_review", _m6_review),
    ("0007_outbox", _m7_outbox),
    ("0008_outcome_summary", _m8_outcome_summary),
    ("0009_checkpoints", _m9_checkpoints),
    ("0010_search_by_rowid", _m10_search_by_rowid),
    ("0011_queue_index", _m11_queue_index),
    ("0012_notified", _m12_notified),
    ("0013_checkpoints_follow_outcomes", _m13_checkpoints_follow_outcomes),
    ("0014_minimal_keys", _m14_minimal_keys),
    ("0015_rate_limits", _m15_rate_limits),
    ("0016_knowledge_files", _m16_knowledge_files),
    ("0017_advisor_judgement", _m17_advisor_judgement),
]


def _done(db: SqlDb) -> set[str]:
    if "migrations" not in db.table_names():
        return set()
    return {str(r[0]) for r in db.execute("select name from migrations").fetchall()}


def pending(db: SqlDb) -> list[str]:
    """The migrations not applied yet to ``db`` (all of them for an empty database)."""
    done = _done(db)
    return [name for name, _ in MIGRATIONS if name not in done]


def _step(db: SqlDb, name: str, sqlite_step: Callable[[Sqlite], None]) -> None:
    if isinstance(db, Sqlite):
        sqlite_step(db)
    else:
        PG_MIGRATIONS[name](db)


def migrate(db: SqlDb) -> list[str]:
    """Apply the migrations not applied yet; return their names.

    Each migration is one transaction with its record. On PostgreSQL the whole run holds an
    advisory lock, so instances starting together migrate once: the others wait, then find
    nothing left to do."""
    applied: list[str] = []
    with db.transaction() if db.dialect == "postgresql" else _nothing():
        if db.dialect == "postgresql":
            db.execute("select pg_advisory_xact_lock(?)", [lock_key("migrate")])
        db.execute("create table if not exists migrations (name text primary key, applied_at text)")
        done = _done(db)
        for name, step in MIGRATIONS:
            if name in done:
                continue
            with db.transaction():
                _step(db, name, step)
                db.execute(
                    "insert into migrations (name, applied_at) values (?, ?)",
                    [name, iso(utc())],
                )
            applied.append(name)
    return applied


@contextlib.contextmanager
def _nothing() -> Iterator[None]:
    yield
