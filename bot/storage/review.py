"""The advisor's review of logged triages: the queue, statuses, notes, corrections, messages.

The queue reads only indexed columns that are derived from the outcome when it is logged
(risk, instrument, signals, ...), never the outcome's JSON, and pages by key (created_at, id),
so the first page and every next one stay fast however many triages are stored.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, get_args

from bot.storage.base import (
    HasConnection,
    iso,
    locked,
    nothing_pending,
    pending_changed,
    transaction,
    utc,
)
from bot.storage.sql import Dialect, SqlDb
from bot.workspace_terms import RISKS as RISKS
from bot.workspace_terms import STATUSES as STATUSES
from knowledge.schema import ScanSignal

# The queue's signal filter: the Mag-het signal ids of Outcome.signal_ids (one list, defined
# beside the knowledge schema that also uses them).
SIGNALS: tuple[str, ...] = get_args(ScanSignal)
ENTRY_KINDS = ("notitie", "correctie", "bericht")
EMPLOYEE = "medewerker"  # the author of an employee's message about their own triage
SHORT = 140
ANSWER_WAIT = timedelta(minutes=30)


@dataclass(frozen=True)
class QueueFilter:
    """What the advisor narrows the queue to; every field optional."""

    status: str | None = None
    risk: str | None = None
    channel: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None  # YYYY-MM-DD, inclusive
    instrument: str | None = None
    signal: str | None = None
    handed_over: bool | None = None
    assigned_to: str | None = None
    q: str | None = None  # full-text search in the description
    waiting: bool | None = None  # an employee's message waits for an advisor's answer


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue."""

    id: str
    created_at: str
    channel: str
    risk: str
    short: str
    instrument: str | None
    signals: list[str]
    status: str
    handed_over: bool
    assigned_to: str | None
    referred_to: str | None
    updated_at: str = ""
    lang: str = "nl"
    verdicts: dict[str, str] = field(default_factory=dict)
    complete: bool = False
    revised_risk: str | None = None
    revised_instrument: str | None = None
    waiting_since: str | None = None

    @property
    def risk_in_force(self) -> str:
        """The advisor's risk when corrected, else the bot's."""
        return self.revised_risk or self.risk

    @property
    def instrument_in_force(self) -> str | None:
        """The advisor's instrument when corrected, else the bot's."""
        return self.revised_instrument or self.instrument

    def as_json(self) -> dict[str, Any]:
        """JSON-ready (the API's and the export's field names)."""
        return {
            "id": self.id,
            "created": self.created_at,
            "channel": self.channel,
            "risk": self.risk,
            "short": self.short,
            "instrument": self.instrument,
            "signals": self.signals,
            "status": self.status,
            "handed_over": self.handed_over,
            "assigned_to": self.assigned_to,
            "referred_to": self.referred_to,
            "revised_risk": self.revised_risk,
            "revised_instrument": self.revised_instrument,
            "waiting_since": self.waiting_since,
        }


@dataclass(frozen=True)
class ReviewEntry:
    """A note, a correction or a message about one triage."""

    id: int
    outcome_id: str
    kind: str
    at: str
    author: str
    body: dict[str, Any] = field(default_factory=dict)


def _search_words(text: str) -> list[str]:
    words = ["".join(ch for ch in w if ch.isalnum()) for w in text.split()]
    return [w for w in words if w][:12]


def fts_query(text: str) -> str | None:
    """A safe FTS5 query from what the advisor typed: every word must occur (prefix match).

    Quoting each word makes FTS5's operators (AND, NEAR, ``*``, ``:``, quotes) plain text, so
    no input can be a syntax error.
    """
    words = _search_words(text)
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def tsquery(text: str) -> str | None:
    """The same search for PostgreSQL's ``to_tsquery``: every word, as a prefix. Only letters
    and digits reach it, so no input can be a syntax error."""
    words = _search_words(text)
    if not words:
        return None
    return " & ".join(f"{w.lower()}:*" for w in words)


# PostgreSQL's search: the description's words, lowercased, without stemming (names and
# jargon are searched as typed), from an expression index (migration 0006 for PostgreSQL).
PG_SEARCH = "to_tsvector('simple', coalesce(description, ''))"


def _where(f: QueueFilter, dialect: Dialect = "sqlite") -> tuple[list[str], list[Any]]:
    # The unary + keeps SQLite off the one-column indexes (status, risk): with one, it reads
    # every row of that status and sorts them (60 ms at 100,000 triages); without, it walks
    # idx_outcomes_queue newest first, tests the filter in the index itself and stops at the
    # page's last row. PostgreSQL's planner weighs the indexes itself (and has no such hint).
    hint = "+" if dialect == "sqlite" else ""
    where: list[str] = []
    params: list[Any] = []
    for column, value in (
        ("status", f.status),
        ("channel", f.channel),
        ("assigned_to", f.assigned_to),
    ):
        if value:
            where.append(f"{hint}{column} = ?")
            params.append(value)
    # Risk and instrument as in force: the advisor's correction, else the bot's (both columns
    # are in the queue index, so this too is tested in the index).
    for column, value in (("risk", f.risk), ("instrument", f.instrument)):
        if value:
            where.append(f"coalesce(revised_{column}, {column}) = ?")
            params.append(value)
    if f.waiting is not None:
        where.append(f"waiting_since is {'not ' if f.waiting else ''}null")
    if f.date_from:
        where.append("created_at >= ?")
        params.append(f.date_from)
    if f.date_to:
        where.append("created_at < ?")
        params.append(f.date_to + "T99")  # inclusive: every time on that day sorts below
    if f.signal:
        where.append("signals like ?")
        params.append(f"% {f.signal} %")
    if f.handed_over is not None:
        where.append(f"{hint}handed_over = ?")
        params.append(1 if f.handed_over else 0)
    if dialect != "sqlite":
        if f.q and (ts := tsquery(f.q)):
            where.append(f"{PG_SEARCH} @@ to_tsquery('simple', ?)")
            params.append(ts)
    elif f.q and (match := fts_query(f.q)):
        # Also a walk of the queue index, testing each rowid against the matches: sorting
        # every match instead cost 200 ms for a word in a third of 100,000 triages.
        where.append("+rowid in (select rowid from outcomes_fts where outcomes_fts match ?)")
        params.append(match)
    return where, params


_QUEUE_COLUMNS = (
    "id, created_at, channel, risk, description, instrument, signals, status, handed_over, "
    "assigned_to, referred_to, updated_at, lang, verdicts, complete, revised_risk, "
    "revised_instrument, waiting_since"
)


def queue_sql(
    f: QueueFilter, limit: int, after: tuple[str, str] | None = None, dialect: Dialect = "sqlite"
) -> tuple[str, list[Any]]:
    """The SQL and parameters of a page of the queue (newest first, after the cursor)."""
    where, params = _where(f, dialect)
    if after is not None:
        # "created_at <= ?" on its own, so the cursor is a range on the index: the next page
        # starts where the last one ended instead of scanning from the newest row.
        where.append("created_at <= ? and (created_at < ? or id > ?)")
        params += [after[0], after[0], after[1]]
    sql = f"select {_QUEUE_COLUMNS} from outcomes"
    if where:
        sql += " where " + " and ".join(where)
    return sql + " order by created_at desc, id limit ?", [*params, limit]


@functools.lru_cache(maxsize=1024)
def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@functools.lru_cache(maxsize=1024)
def _verdict_pairs(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, sep, v in (x.partition("=") for x in text.split()) if sep)


def _queue_row(r: tuple[Any, ...]) -> QueueRow:
    # Runs for every row of an export: the signals and verdicts columns take few distinct
    # values, so their parsing is cached (a fresh list and dict per row all the same).
    description = r[4] or ""
    short = description if len(description) <= SHORT else description[: SHORT - 1] + "…"
    return QueueRow(
        r[0],
        r[1],
        r[2],
        r[3] or "",
        short,
        r[5],
        list(_split(r[6] or "")),
        r[7],
        bool(r[8]),
        r[9],
        r[10],
        r[11] or "",
        r[12] or "nl",
        dict(_verdict_pairs(r[13] or "")),
        bool(r[14]),
        r[15],
        r[16],
        r[17],
    )


def _follow_entry(
    db: SqlDb, outcome_id: str, kind: str, author: str, body: dict[str, Any], at: str
) -> None:
    """Keep the outcome's judgement columns (migration 0017) in step with a new entry: a
    correction of the risk or instrument is in force; an employee's message waits (from the
    first one unanswered) until an advisor's message answers it."""
    if kind == "correctie" and body.get("field") in ("risk", "instrument"):
        db.execute(
            f"update outcomes set revised_{body['field']} = ? where id = ?",
            [body["revised"], outcome_id],
        )
    elif kind == "bericht" and author == EMPLOYEE:
        db.execute(
            "update outcomes set waiting_since = coalesce(waiting_since, ?) where id = ?",
            [at, outcome_id],
        )
    elif kind == "bericht":
        db.execute("update outcomes set waiting_since = null where id = ?", [outcome_id])


class ReviewStore:
    """The review queue and what advisors add (a part of :class:`bot.storage.Store`)."""

    @locked
    def queue(
        self: HasConnection,
        f: QueueFilter | None = None,
        limit: int = 50,
        after: tuple[str, str] | None = None,
    ) -> list[QueueRow]:
        """A page of the queue, newest first. ``after`` is the (created_at, id) of the last row
        of the previous page."""
        sql, params = queue_sql(f or QueueFilter(), limit, after, self.db.dialect)
        return [_queue_row(r) for r in self.db.execute(sql, params).fetchall()]

    def iter_queue(self, f: QueueFilter | None = None, batch: int = 1000) -> Iterator[QueueRow]:
        """Every row of the filter, in pages: the lock is held per page, never across a yield,
        and memory stays one page whatever the number of rows."""
        after: tuple[str, str] | None = None
        while True:
            page = self.queue(f, limit=batch, after=after)  # type: ignore[misc]
            yield from page
            if len(page) < batch:
                return
            after = (page[-1].created_at, page[-1].id)

    @locked
    def set_review_status(
        self: HasConnection,
        outcome_id: str,
        status: str,
        referred_to: str | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Change the review status; the first change away from ``nieuw`` is the review time."""
        ts = iso(utc(now))
        # Closing a triage also ends the wait for an answer: the advisor decided it needs none.
        cur = self.db.execute(
            "update outcomes set status = ?, referred_to = ?, updated_at = ?, "
            "reviewed_at = coalesce(reviewed_at, case when ? = 'nieuw' then null else ? end), "
            "waiting_since = case when ? = 'afgerond' then null else waiting_since end "
            "where id = ?",
            [
                status,
                referred_to if status == "doorverwezen" else None,
                ts,
                status,
                ts,
                status,
                outcome_id,
            ],
        )
        return bool(cur.rowcount)

    @locked
    def assign(
        self: HasConnection, outcome_id: str, email: str | None, now: datetime | None = None
    ) -> bool:
        """Put an advisor on a triage (None: nobody)."""
        cur = self.db.execute(
            "update outcomes set assigned_to = ?, updated_at = ? where id = ?",
            [email, iso(utc(now)), outcome_id],
        )
        return bool(cur.rowcount)

    @locked
    def add_entry(
        self: HasConnection,
        outcome_id: str,
        kind: str,
        author: str,
        body: dict[str, Any],
        now: datetime | None = None,
    ) -> int:
        """Add a note, correction or message; returns its id."""
        if kind not in ENTRY_KINDS:
            raise ValueError(f"unknown review entry kind {kind!r}")
        at = iso(utc(now))
        with transaction(self.db):
            # The outcome's row first: on PostgreSQL this locks it, so two instances adding
            # entries to one triage take their ids in the order they update its judgement
            # columns (else an advisor's reply could clear a later employee message's wait).
            self.db.execute("update outcomes set updated_at = ? where id = ?", [at, outcome_id])
            cur = self.db.execute(
                "insert into review_entries (outcome_id, kind, at, author, body) "
                "values (?, ?, ?, ?, ?) returning id",
                [outcome_id, kind, at, author, json.dumps(body, ensure_ascii=False)],
            ).fetchone()
            _follow_entry(self.db, outcome_id, kind, author, body, at)
        return int(cur[0])

    @locked
    def entries(self: HasConnection, outcome_id: str, kind: str | None = None) -> list[ReviewEntry]:
        """The notes, corrections and messages of a triage, oldest first."""
        sql = (
            "select id, outcome_id, kind, at, author, body from review_entries where outcome_id = ?"
        )
        params: list[Any] = [outcome_id]
        if kind:
            sql += " and kind = ?"
            params.append(kind)
        rows = self.db.execute(sql + " order by id", params).fetchall()
        return [
            ReviewEntry(
                id=int(r[0]),
                outcome_id=r[1],
                kind=r[2],
                at=r[3],
                author=r[4],
                body=json.loads(r[5]),
            )
            for r in rows
        ]

    @locked
    def review_row(self: HasConnection, outcome_id: str) -> dict[str, Any] | None:
        """The review columns of one triage (assigned_to, referred_to, reviewed_at,
        conversation), or None."""
        row = self.db.execute(
            "select assigned_to, referred_to, reviewed_at, conversation from outcomes where id = ?",
            [outcome_id],
        ).fetchone()
        if row is None:
            return None
        return {
            "assigned_to": row[0],
            "referred_to": row[1],
            "reviewed_at": row[2],
            "conversation": row[3],
        }

    @locked
    def overview_page(
        self: HasConnection, after: tuple[str, str] | None, limit: int
    ) -> list[tuple[Any, ...]]:
        """A page of (created_at, risk, status, handed_over, reviewed_at, data, id) in created
        order, for the overview (which reads every triage once)."""
        sql = "select created_at, risk, status, handed_over, reviewed_at, data, id from outcomes"
        params: list[Any] = []
        if after is not None:
            # The first term alone makes the cursor a range on the index (see queue()).
            sql += " where created_at >= ? and (created_at > ? or id > ?)"
            params += [after[0], after[0], after[1]]
        sql += " order by created_at, id limit ?"
        return list(self.db.execute(sql, [*params, limit]).fetchall())

    @locked
    def overview_key(self: HasConnection) -> tuple[int, str]:
        """Changes whenever a triage is added or reviewed: (count, newest update)."""
        row = self.db.execute("select count(*), max(updated_at) from outcomes").fetchone()
        return int(row[0]), str(row[1] or "")

    @locked
    def corrections_in_force(self: HasConnection) -> dict[str, dict[str, str]]:
        """Per triage, the advisor's revised value per field (the newest correction), for an
        export of many rows at once."""
        out: dict[str, dict[str, str]] = {}
        rows = self.db.execute(
            "select outcome_id, body from review_entries where kind = 'correctie' order by id"
        )
        for oid, body in rows:
            data = json.loads(body)
            out.setdefault(oid, {})[data["field"]] = data["revised"]
        return out

    # -- an employee's answer to the advisor ---------------------------------------------------

    @locked
    def expect_answer(
        self: HasConnection, key: str, outcome_id: str, now: datetime | None = None
    ) -> None:
        """The next message in conversation ``key`` is the employee's answer about the triage."""
        pending_changed(self, key)
        self.db.execute(
            "insert into pending_answers (key, outcome_id, created_at, flow) "
            "values (?, ?, ?, null) on conflict (key) do update set "
            "outcome_id = excluded.outcome_id, created_at = excluded.created_at, flow = null",
            [key, outcome_id, iso(utc(now))],
        )

    @locked
    def take_expected_answer(
        self: HasConnection, key: str, now: datetime | None = None
    ) -> str | None:
        """The triage the employee is answering about in ``key``, once; None when not, or when
        the button was pressed more than 30 minutes ago (the next message is then a new one)."""
        if nothing_pending(self, key):
            return None
        row = self.db.execute(
            "delete from pending_answers where key = ? and flow is null "
            "returning outcome_id, created_at",
            [key],
        ).fetchone()
        if row is None or str(row[1]) < iso(utc(now) - ANSWER_WAIT):
            return None
        return str(row[0])
