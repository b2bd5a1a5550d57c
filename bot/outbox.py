"""The dispatcher: sends what the outbox holds, through each channel's ``send``.

One loop in the server claims due messages (with a lease), hands each to the adapter of its
channel (up to ``CONCURRENCY`` at once), and marks it sent, or failed with a backoff; after
eight failures it stays failed and the advisor sees it (and can send it again). A message is
marked sent only after its channel accepted it, so a crash in between sends it again rather
than losing it: at most one duplicate for each message in flight at the crash, after its lease
(two minutes) ran out; none for the others (tests/bot/test_reminders_crash.py measures it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from datetime import datetime
from typing import Protocol

from bot.service import ConversationService
from bot.storage.outbox import OutboxItem
from dialogs.models import Reply

log = logging.getLogger("ethiekbot.outbox")

BATCH = 50  # messages claimed per round
CONCURRENCY = 16  # messages in flight at once within a round


class DeliveryError(Exception):
    """A channel did not accept a message; the text is a short technical reason.

    ``permanent``: trying again cannot help (the conversation is gone, the bot was removed
    from the channel); the message fails at once instead of a storm of retries.
    """

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


class Sender(Protocol):
    """What an adapter offers the outbox: write replies into a stored conversation."""

    async def send(self, conversation: str, replies: list[Reply]) -> None:
        """Deliver, or raise :class:`DeliveryError`. ``conversation`` is the storage key
        without the channel prefix."""


class Dispatcher:
    """Delivers the outbox; one per server."""

    def __init__(
        self,
        service: ConversationService,
        interval: float = 2.0,
        batch: int = BATCH,
        concurrency: int = CONCURRENCY,
    ) -> None:
        self.service = service
        self.interval = interval
        self.batch = batch
        self.concurrency = concurrency
        self.senders: dict[str, Sender] = {}
        self._wake = asyncio.Event()

    def register(self, channel: str, sender: Sender) -> None:
        """Deliver the messages of ``channel`` with ``sender``."""
        self.senders[channel] = sender

    def wake(self) -> None:
        """Something was enqueued: look now instead of at the next interval."""
        self._wake.set()

    async def run_once(self, now: datetime | None = None) -> int:
        """Claim one batch of due messages and send it; returns how many were sent."""
        return (await self._round(now))[1]

    async def drain(self, now: datetime | None = None) -> int:
        """Send everything due at ``now`` until nothing due is left; returns how many were
        sent. At most ``concurrency`` messages are in flight; a new batch is claimed when the
        last one is handed out, so one slow message (a 429 waiting for ``Retry-After``) holds
        one slot, not a whole batch. A claimed message waits here for a free slot at most a
        batch's worth of sends, far less than its lease (two minutes). A message that fails
        waits for its backoff (after ``now``), so this ends."""
        store = self.service.store
        channels = tuple(self.senders)
        waiting: deque[OutboxItem] = deque()
        running: set[asyncio.Task[bool]] = set()
        more = bool(channels)
        sent = 0
        try:
            while True:
                if not waiting and more and len(running) < self.concurrency:
                    items = await self.service.call(store.claim_due, channels, self.batch, now)
                    waiting.extend(items)
                    more = len(items) == self.batch
                while waiting and len(running) < self.concurrency:
                    running.add(asyncio.create_task(self._deliver(waiting.popleft(), now)))
                if not running:
                    if not waiting and not more:
                        return sent
                    continue
                done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                sent += sum(task.result() for task in done)
        finally:
            for task in running:  # only after an error (the store closed) or a cancel
                task.cancel()

    async def _round(self, now: datetime | None) -> tuple[int, int]:
        """(claimed, sent) for one batch, sent concurrently (at most ``concurrency`` at a
        time): a channel's round trip, not our own work, is what a message costs."""
        store = self.service.store
        items = await self.service.call(store.claim_due, tuple(self.senders), self.batch, now)
        if not items:
            return 0, 0
        bound = asyncio.Semaphore(self.concurrency)

        async def one(item: OutboxItem) -> bool:
            async with bound:
                return await self._deliver(item, now)

        results = await asyncio.gather(*(one(item) for item in items))
        return len(items), sum(results)

    async def _deliver(self, item: OutboxItem, now: datetime | None) -> bool:
        store = self.service.store
        replies = [Reply.model_validate(r) for r in item.payload.get("replies", [])]
        conversation = item.target.split(":", 1)[1] if ":" in item.target else item.target
        try:
            await self.senders[item.channel].send(conversation, replies)
        except Exception as exc:  # any failure of a channel is a failed delivery, retried
            reason = str(exc) if isinstance(exc, DeliveryError) else exc.__class__.__name__
            if isinstance(exc, DeliveryError) and exc.permanent:
                status = await self.service.call(store.give_up, item.id, reason, now)
            else:
                status = await self.service.call(store.mark_failed, item.id, reason, now)
            log.warning(
                "outbox: %s %d to %s not delivered (%s): %s",
                item.kind,
                item.id,
                item.channel,
                status,
                reason,
            )
            return False
        await self.service.call(store.mark_sent, item.id, now)
        log.info("outbox: %s %d delivered to %s", item.kind, item.id, item.channel)
        return True

    async def run_forever(self) -> None:
        """Deliver until cancelled."""
        while True:
            self._wake.clear()  # before the round: a wake during it means look again at once
            try:
                await self.drain()
            except Exception:  # logged; the next round tries again
                log.exception("outbox round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
