"""The two databases the store runs on, behind one small interface.

:class:`Sqlite` (the embedded default, sqlite-utils' ``Database``) and :class:`Postgres`
(psycopg 3 with a psycopg-pool connection pool, for several instances) both offer
``execute(sql, params)`` with SQLite's ``?`` placeholders, ``query`` (rows as dicts),
``transaction()``, ``table_names()`` and a ``dialect``. The store writes portable SQL (``on
conflict``, ``returning``) and asks the dialect only where the two really differ: full-text
search, SQLite's index hints, and the locks PostgreSQL gives several instances.

On PostgreSQL a thread holds one pooled connection for as long as a scope needs it
(:meth:`Postgres.bound`: a transaction, a conversation's turn); outside one, every statement
takes a connection from the pool and commits on its own, as SQLite's autocommit does.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any, Literal, Protocol

from sqlite_utils import Database

Dialect = Literal["sqlite", "postgresql"]


class Rows(Protocol):
    """What a statement gives back (sqlite3's cursor, or :class:`Result`)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class SqlDb(Protocol):
    """The interface the store's parts use; both databases implement it."""

    dialect: Dialect

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Rows: ...

    def query(self, sql: str, params: Sequence[Any] | None = None) -> Iterator[dict[str, Any]]: ...

    def transaction(self) -> contextlib.AbstractContextManager[None]: ...

    def conversation_lock(self, key: str) -> contextlib.AbstractContextManager[None]: ...

    def try_lock(self, name: str) -> contextlib.AbstractContextManager[bool]: ...

    def table_names(self) -> list[str]: ...

    def refresh(self) -> None: ...

    def apart(self) -> contextlib.AbstractContextManager[None]: ...

    def close(self) -> None: ...


class Sqlite(Database):
    """sqlite-utils' Database with the store's interface (one connection, autocommit)."""

    dialect: Dialect = "sqlite"

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; inside a transaction already, part of that one."""
        if self.conn.in_transaction:
            yield
            return
        # IMMEDIATE takes the write lock at once: two processes on one file never both read
        # and then fail to upgrade.
        self.conn.execute("begin immediate")
        try:
            yield
        except BaseException:
            self.conn.execute("rollback")
            raise
        self.conn.execute("commit")

    @contextlib.contextmanager
    def conversation_lock(self, key: str) -> Iterator[None]:
        """Nothing to take: one process uses a SQLite file, and its one worker thread runs the
        turns in order. Every statement commits on its own (autocommit), so a turn's writes
        are durable before its reply is sent. (A transaction around the turn would also keep
        an erasure's WAL checkpoint from completing.)"""
        yield

    @contextlib.contextmanager
    def try_lock(self, name: str) -> Iterator[bool]:
        """One process on one file: housekeeping is always this process's to do."""
        yield True

    def refresh(self) -> None:
        """Nothing to refresh: one connection to a file."""

    @contextlib.contextmanager
    def apart(self) -> Iterator[None]:
        """The one connection, which commits every statement on its own (no turn holds a
        transaction on SQLite)."""
        yield

    def close(self) -> None:
        self.conn.close()


class Result:
    """A statement's rows, read before its connection goes back to the pool."""

    def __init__(self, rows: list[tuple[Any, ...]], rowcount: int, names: list[str]) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.names = names

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[tuple[Any, ...]]:
        rest = self._rows[self._next :]
        self._next = len(self._rows)
        return rest

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.fetchall())


_PLACEHOLDER = re.compile(r"\?|%")


@functools.lru_cache(maxsize=2048)
def to_pyformat(sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` (and a literal ``%`` doubled).

    The store's SQL never has a ``?`` inside a string literal; values always go as
    parameters."""
    return _PLACEHOLDER.sub(lambda m: "%s" if m.group() == "?" else "%%", sql)


def lock_key(text: str) -> int:
    """A stable 64-bit key for PostgreSQL's advisory locks (the same on every instance)."""
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# How long a turn waits for the previous turn of its conversation; how long a connection may sit
# in a transaction doing nothing before the server ends it.
TURN_LOCK_WAIT = "15s"
IDLE_IN_TRANSACTION = "60s"


class TurnNotStored(RuntimeError):
    """A turn whose transaction failed: nothing of it was stored, so nothing may be sent."""


def _configure(conn: Any) -> None:
    # A connection left in a transaction by a frozen process releases its locks.
    conn.execute(f"set idle_in_transaction_session_timeout = '{IDLE_IN_TRANSACTION}'")


def _in_error() -> Any:
    from psycopg.pq import TransactionStatus

    return TransactionStatus.INERROR


class Postgres:
    """PostgreSQL through a psycopg-pool connection pool."""

    dialect: Dialect = "postgresql"

    def __init__(self, url: str, max_size: int = 8, timeout: float = 10.0) -> None:
        from psycopg_pool import ConnectionPool

        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            timeout=timeout,
            # TCP keepalives: a peer that vanished (a paused VM, a partition) is noticed in about
            # a minute, not after the system's two hours.
            kwargs={
                "autocommit": True,
                "keepalives": 1,
                "keepalives_idle": 30,
                "keepalives_interval": 10,
                "keepalives_count": 3,
            },
            configure=_configure,
            # No check on every checkout (it costs a round trip per turn): a connection the
            # server dropped fails one call and is then replaced; the readiness probe
            # (:meth:`refresh`) checks the idle ones every few seconds.
            name="ethiekbot",
            open=False,
        )
        self.pool.open(wait=True, timeout=timeout)
        self._local = threading.local()

    @contextlib.contextmanager
    def bound(self) -> Iterator[Any]:
        """This thread's connection for the scope (nested scopes share it)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self.pool.connection() as conn:
            self._local.conn = conn
            try:
                yield conn
            finally:
                self._local.conn = None

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Result:
        with self.bound() as conn:
            cur = conn.execute(to_pyformat(sql), list(parameters or ()))
            names = [d.name for d in cur.description] if cur.description else []
            rows = [tuple(r) for r in cur.fetchall()] if cur.description else []
            return Result(rows, cur.rowcount, names)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> Iterator[dict[str, Any]]:
        result = self.execute(sql, params)
        for row in result.fetchall():
            yield dict(zip(result.names, row, strict=True))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing on this thread's connection; nested ones are savepoints."""
        with self.bound() as conn, conn.transaction():
            yield

    @contextlib.contextmanager
    def conversation_lock(self, key: str) -> Iterator[None]:
        """The turn of one conversation: a transaction holding an advisory lock keyed by the
        conversation, so another instance's turn of it waits until this one is committed."""
        with self.bound() as conn:
            if conn.info.transaction_status:  # not IDLE
                # Inside a transaction already: a savepoint of it, and the lock in it.
                with conn.transaction():
                    self.execute("select pg_advisory_xact_lock(?)", [lock_key("turn:" + key)])
                    yield
                return
            # BEGIN and the lock in one round trip (one query string, the simple protocol; the
            # key is an integer we made), then the turn; COMMIT at the end, or ROLLBACK when
            # the turn fails.
            # A turn waits at most TURN_LOCK_WAIT for the one before it (an instance that froze
            # holding it): then it fails, rather than tying up a lane for ever.
            conn.execute(
                f"begin; set local lock_timeout = '{TURN_LOCK_WAIT}'; "
                f"select pg_advisory_xact_lock({int(lock_key('turn:' + key))})"
            )
            try:
                yield
            except BaseException:
                with contextlib.suppress(Exception):  # a broken connection: the pool drops it
                    conn.execute("rollback")
                raise
            if conn.info.transaction_status == _in_error():
                # A statement failed and someone caught it: COMMIT would roll back without a
                # word, and the reply would be sent for a turn that is not stored.
                conn.execute("rollback")
                raise TurnNotStored("a statement of the turn failed; nothing was stored")
            conn.execute("commit")

    @contextlib.contextmanager
    def try_lock(self, name: str) -> Iterator[bool]:
        """A transaction that holds the advisory lock ``name`` if no other instance does:
        yields whether it got it (housekeeping that one instance at a time should do)."""
        with self.transaction():
            row = self.execute("select pg_try_advisory_xact_lock(?)", [lock_key(name)]).fetchone()
            yield bool(row and row[0])

    def refresh(self) -> None:
        """Check the idle connections and replace the ones the server dropped."""
        self.pool.check()

    @contextlib.contextmanager
    def apart(self) -> Iterator[None]:
        """Statements outside this thread's turn: another pooled connection, each statement
        committed at once. For counters every instance updates (rate limits): a row updated
        inside a turn would stay locked, and other turns wait for it, until that turn ends."""
        saved, self._local.conn = getattr(self._local, "conn", None), None
        try:
            yield
        finally:
            self._local.conn = saved

    def table_names(self) -> list[str]:
        rows = self.execute(
            "select table_name from information_schema.tables where table_schema = "
            "current_schema() order by table_name"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def close(self) -> None:
        self.pool.close()
