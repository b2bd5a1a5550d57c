"""Limits on how fast one person or one address may use the bot.

Per person (the channel's user, or a web session) and per client address (web chat): turns per
minute and new conversations per minute. A turn over a limit is refused before anything is
stored; the caller learns how many seconds to wait. The limits are configurable
(``ETHIEKBOT_LIMIT_*``; 0 switches one off).

One instance (SQLite) counts in its memory, in a moving window, with the ``limits`` library.
Several instances on PostgreSQL count in the database they share (``bot/storage/rates.py``,
fixed one-minute windows): otherwise each instance would let a person through once more.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class Limits:
    """Per minute; 0 means no limit."""

    turns_per_user: int = 60
    turns_per_address: int = 600
    new_per_user: int = 10
    new_per_address: int = 60


class SharedCounters(Protocol):
    """The store's shared rate counters (:class:`bot.storage.rates.RateStore`)."""

    def admit_rates(self, checks: list[tuple[str, int]], now: float) -> float | None: ...

    def first_in_window(self, key: str, now: float) -> bool: ...


class Throttle:
    """Counts turns and new conversations; thread-safe (the storage locks). With ``shared``,
    the counts live in the database every instance uses."""

    def __init__(self, limits: Limits, shared: SharedCounters | None = None) -> None:
        self.limits = limits
        self.shared = shared
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._turn_user = _per_minute(limits.turns_per_user)
        self._turn_address = _per_minute(limits.turns_per_address)
        self._new_user = _per_minute(limits.new_per_user)
        self._new_address = _per_minute(limits.new_per_address)
        self._told = RateLimitItemPerMinute(1)

    def admit(self, user: str, address: str | None, new: bool) -> float | None:
        """Count one turn (a new conversation when ``new``): None when it may go ahead, else
        the seconds to wait. A refused turn is not counted, so waiting always helps."""
        checks: list[tuple[RateLimitItem | None, str]] = [(self._turn_user, f"turn:u:{user}")]
        if address:
            checks.append((self._turn_address, f"turn:a:{address}"))
        if new:
            checks.append((self._new_user, f"new:u:{user}"))
            if address:
                checks.append((self._new_address, f"new:a:{address}"))
        active = [(item, key) for item, key in checks if item is not None]
        if self.shared is not None:
            return self.shared.admit_rates([(k, i.amount) for i, k in active], time.time())
        for item, key in active:
            if not self._limiter.test(item, key):
                reset = self._limiter.get_window_stats(item, key).reset_time
                return float(max(1, math.ceil(reset - time.time())))
        for item, key in active:
            self._limiter.hit(item, key)
        return None

    def first_refusal(self, user: str) -> bool:
        """True once a minute per person: whether to tell them they were refused (in Slack or
        Teams a flood must not be answered with a flood of refusals)."""
        if self.shared is not None:
            return self.shared.first_in_window(f"told:{user}", time.time())
        return self._limiter.hit(self._told, f"told:{user}")


def _per_minute(n: int) -> RateLimitItem | None:
    return RateLimitItemPerMinute(n) if n > 0 else None


# The environment that switches every limit off: for load tests and benchmarks, which measure
# the server's capacity rather than its protection.
ENV_OFF = {
    "ETHIEKBOT_LIMIT_TURNS": "0",
    "ETHIEKBOT_LIMIT_TURNS_PER_ADDRESS": "0",
    "ETHIEKBOT_LIMIT_NEW_CONVERSATIONS": "0",
    "ETHIEKBOT_LIMIT_NEW_CONVERSATIONS_PER_ADDRESS": "0",
}
