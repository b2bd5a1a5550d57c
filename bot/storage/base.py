"""What every storage module shares: time stamps, the store's lock, transactions."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from bot.storage.sql import SqlDb

P = ParamSpec("P")
R = TypeVar("R")


class StoreClosed(RuntimeError):
    """A call on a store that was closed (during shutdown)."""


@dataclass
class TurnCache:
    """What the store read at the start of a turn of conversation ``key``, in one query: its
    state, and whether anything waits in ``pending_answers``. Most turns then ask nothing
    more of the database until they save the state (on PostgreSQL each question is a round
    trip). Writes within the turn update or forget it."""

    key: str
    state: str | None  # the state's JSON, or None when there is none
    pending: bool | None  # None: unknown (written during the turn)


class HasConnection(Protocol):
    """What the store's parts rely on: the database, its lock, its secret, whether it is
    closed, and the turn in progress on this thread."""

    db: SqlDb
    _lock: contextlib.AbstractContextManager[Any]
    _secret: bytes
    _closed: bool
    _turns: threading.local


def turn_cache(store: HasConnection, key: str) -> TurnCache | None:
    """The cache of the turn of ``key`` in progress on this thread, if any."""
    cache: TurnCache | None = getattr(store._turns, "cache", None)
    return cache if cache is not None and cache.key == key else None


def nothing_pending(store: HasConnection, key: str) -> bool:
    """Known, in this turn, that ``pending_answers`` holds nothing for ``key``."""
    cache = turn_cache(store, key)
    return cache is not None and cache.pending is False


def pending_changed(store: HasConnection, key: str) -> None:
    """``pending_answers`` of ``key`` was written: the turn no longer knows what it holds."""
    cache = turn_cache(store, key)
    if cache is not None:
        cache.pending = None


S = TypeVar("S", bound=HasConnection)


def utc(now: datetime | None = None) -> datetime:
    return now or datetime.now(UTC)


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def locked(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Serialise a Store method: one statement sequence on the connection at a time."""

    def wrapper(store: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with store._lock:
            if store._closed:
                raise StoreClosed("the store is closed")
            return method(store, *args, **kwargs)

    wrapper.__doc__ = method.__doc__
    wrapper.__name__ = method.__name__
    return wrapper


def transaction(db: SqlDb) -> contextlib.AbstractContextManager[None]:
    """A transaction on the autocommit connection: all or nothing (nested: part of the outer
    one)."""
    return db.transaction()
