"""What every storage module shares: time stamps, the store's lock, transactions."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from bot.storage.sql import SqlDb

P = ParamSpec("P")
R = TypeVar("R")


class StoreClosed(RuntimeError):
    """A call on a store that was closed (during shutdown)."""


class HasConnection(Protocol):
    """What the store's parts rely on: the database, its lock, and whether it is closed."""

    db: SqlDb
    _lock: contextlib.AbstractContextManager[Any]
    _secret: bytes
    _closed: bool


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
