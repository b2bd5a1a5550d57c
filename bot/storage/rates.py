"""Rate counters in the database, shared by every instance on it.

With several instances behind a load balancer, a limit counted in one process's memory lets a
person through once per instance. Here each limit counts per fixed one-minute window: a row per
key and window (``turn:u:<user>:<minute>``), incremented with one upsert. A turn reads its
counters and, when every one is under its limit, increments them all: two statements. Between
the two another instance may count as well, so a limit may be passed by a turn or two at the
moment it is reached; a limit protects the service, it is not accounting. Both statements run
apart from the turn's transaction (``SqlDb.apart``), each committed at once: a counter row of a
shared address, locked until the end of a turn, would make every turn from that address wait
for the one before it.

The keys name a person or a client address, so they are stored as keyed hashes (HMAC with the
store's secret), never as ids or addresses. Rows are removed two minutes after their window
ends: now and then by a turn, and by the retention purge.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import random
from collections.abc import Sequence

from bot.storage.base import HasConnection, locked
from bot.storage.sql import SqlDb

WINDOW_S = 60


def window(now: float) -> tuple[int, int]:
    """The current window's number and the second it ends (epoch seconds)."""
    index = int(now // WINDOW_S)
    return index, (index + 1) * WINDOW_S


def _hashed(store: HasConnection, key: str) -> str:
    return hmac.new(store._secret, key.encode(), hashlib.sha256).hexdigest()[:32]


class RateStore:
    """Shared rate counters (a part of :class:`bot.storage.Store`)."""

    @locked
    def admit_rates(
        self: HasConnection, checks: Sequence[tuple[str, int]], now: float
    ) -> float | None:
        """Count one hit on every ``(key, limit)`` when each is under its limit this minute:
        None. Otherwise count nothing and return the seconds until the window ends."""
        if not checks:
            return None
        with self.db.apart():
            return _admit(self, checks, now)

    @locked
    def first_in_window(self: HasConnection, key: str, now: float) -> bool:
        """True for the first call with ``key`` in this minute, on any instance."""
        index, end = window(now)
        with self.db.apart():
            row = self.db.execute(
                "insert into rate_limits (key, hits, window_end) values (?, 1, ?) "
                "on conflict (key) do update set hits = rate_limits.hits + 1 returning hits",
                [_hashed(self, f"{key}:{index}"), end],
            ).fetchone()
        return bool(row and int(row[0]) == 1)


def _admit(store: HasConnection, checks: Sequence[tuple[str, int]], now: float) -> float | None:
    """Count, or say how long to wait (outside any turn's transaction)."""
    index, end = window(now)
    keys = [_hashed(store, f"{key}:{index}") for key, _ in checks]
    if random.random() < 0.01:  # about once per hundred turns: drop ended windows
        purge_rates(store.db, now)
    marks = ", ".join("?" for _ in keys)
    rows = store.db.execute(
        f"select key, hits from rate_limits where key in ({marks})", keys
    ).fetchall()
    hits = {str(r[0]): int(r[1]) for r in rows}
    if any(hits.get(k, 0) >= limit for k, (_, limit) in zip(keys, checks, strict=True)):
        return float(max(1, math.ceil(end - now)))
    values = ", ".join("(?, 1, ?)" for _ in keys)
    params: list[object] = []
    for k in sorted(keys):  # one order on every instance: no deadlock between two
        params += [k, end]
    store.db.execute(
        f"insert into rate_limits (key, hits, window_end) values {values} "
        "on conflict (key) do update set hits = rate_limits.hits + 1",
        params,
    )
    return None


def purge_rates(db: SqlDb, now: float) -> int:
    """Remove the counters of windows that ended over two minutes ago; how many."""
    cutoff = int(now) - 2 * WINDOW_S
    return int(db.execute("delete from rate_limits where window_end < ?", [cutoff]).rowcount)
