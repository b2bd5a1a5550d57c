"""The dispatcher: sends what the outbox holds, through each channel's ``send``.

One loop in the server claims due messages (with a lease), hands each to the adapter of its
channel, and marks it sent, or failed with a backoff; after eight failures it stays failed and
the advisor sees it (and can send it again). A message is marked sent only after its channel
accepted it, so a crash in between sends it again rather than losing it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import Protocol

from bot.service import ConversationService
from bot.storage.outbox import OutboxItem
from dialogs.models import Reply

log = logging.getLogger("ethiekbot.outbox")

BATCH = 10  # messages claimed at once: sent well within the two-minute lease
MAX_BATCHES = 1000  # per round; the next round goes on


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

    def __init__(self, service: ConversationService, interval: float = 2.0) -> None:
        self.service = service
        self.interval = interval
        self.senders: dict[str, Sender] = {}
        self._wake = asyncio.Event()

    def register(self, channel: str, sender: Sender) -> None:
        """Deliver the messages of ``channel`` with ``sender``."""
        self.senders[channel] = sender

    def wake(self) -> None:
        """Something was enqueued: look now instead of at the next interval."""
        self._wake.set()

    async def run_once(self, now: datetime | None = None) -> int:
        """Send every due message once; returns how many were sent.

        Claims a small batch at a time, so a slow channel cannot keep claimed messages past
        their lease (when another dispatcher would take them too), and goes on while batches
        come back full."""
        store = self.service.store
        sent = 0
        for _ in range(MAX_BATCHES):
            items = await self.service.call(store.claim_due, tuple(self.senders), BATCH, now)
            for item in items:
                if await self._deliver(item, now):
                    sent += 1
            if len(items) < BATCH:
                break
        return sent

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
            try:
                await self.run_once()
            except Exception:  # logged; the next round tries again
                log.exception("outbox round failed")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
