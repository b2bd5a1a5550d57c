"""The dispatcher's rounds, on SQLite and PostgreSQL, with a recording channel: everything
due is sent in one ``drain`` (batch after batch), at most ``concurrency`` at a time, a slow
message holds one slot and not its batch, a failure waits for its backoff; the scheduler
enqueues a backlog larger than one transaction in one round."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

import bot.checkpoints as checkpoints
from bot.outbox import DeliveryError, Dispatcher
from bot.service import ConversationService
from dialogs.models import Reply
from knowledge.triage import Advisor
from tests.advice import ask_advice
from tests.stores import settings_for

NOW = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)


class Recorder:
    """A channel that records what it was given and how many sends ran at once."""

    def __init__(self, slow: str = "", fail: str = "", pause: float = 0.01) -> None:
        self.slow, self.fail, self.pause = slow, fail, pause
        self.done: list[str] = []
        self.active = 0
        self.most = 0

    async def send(self, conversation: str, replies: list[Reply]) -> None:
        self.active += 1
        self.most = max(self.most, self.active)
        try:
            await asyncio.sleep(0.4 if conversation == self.slow else self.pause)
            if conversation == self.fail:
                raise DeliveryError("fake: internal_error")
            self.done.append(conversation)
        finally:
            self.active -= 1


@pytest.fixture
def service(database: str, advisor: Advisor) -> Iterator[ConversationService]:
    s = ConversationService.from_settings(settings_for(database), advisor)
    yield s
    s.close()


def enqueue(service: ConversationService, n: int, now: datetime = NOW) -> None:
    reply = Reply(text="Hallo").model_dump(mode="json")
    for i in range(n):
        key = f"fake:c{i:03d}"
        service.store.enqueue(f"test:{i}", "melding", "fake", key, {"replies": [reply]}, now=now)


def statuses(service: ConversationService) -> list[str]:
    rows = service.store.db.execute("select status from outbox order by id").fetchall()
    return [str(r[0]) for r in rows]


async def test_drain_sends_every_batch_with_a_bound(service: ConversationService) -> None:
    enqueue(service, 23)
    dispatcher = Dispatcher(service, batch=5, concurrency=3)
    channel = Recorder()
    dispatcher.register("fake", channel)
    assert await dispatcher.drain(NOW) == 23
    assert sorted(channel.done) == [f"c{i:03d}" for i in range(23)]  # each once
    assert channel.most == 3
    assert statuses(service) == ["verstuurd"] * 23
    assert await dispatcher.drain(NOW + timedelta(hours=1)) == 0


async def test_run_once_is_one_batch(service: ConversationService) -> None:
    enqueue(service, 8)
    dispatcher = Dispatcher(service, batch=5, concurrency=2)
    dispatcher.register("fake", Recorder())
    assert await dispatcher.run_once(NOW) == 5
    assert statuses(service).count("verstuurd") == 5


async def test_a_slow_message_holds_one_slot_not_its_batch(service: ConversationService) -> None:
    enqueue(service, 12)
    dispatcher = Dispatcher(service, batch=6, concurrency=2)
    channel = Recorder(slow="c000")
    dispatcher.register("fake", channel)
    assert await dispatcher.drain(NOW) == 12
    # The other eleven went through the second slot while the first one waited.
    assert channel.done[-1] == "c000"


async def test_a_failure_waits_for_its_backoff(service: ConversationService) -> None:
    enqueue(service, 4)
    dispatcher = Dispatcher(service, batch=2, concurrency=2)
    dispatcher.register("fake", Recorder(fail="c002"))
    assert await dispatcher.drain(NOW) == 3  # ends: the failed one is not due again yet
    (item,) = [i for i in service.store.claim_due(("fake",), 10, NOW + timedelta(minutes=1))]
    assert (item.target, item.attempts, item.last_error) == ("fake:c002", 1, "fake: internal_error")


def test_claim_takes_the_oldest_due_first(service: ConversationService) -> None:
    reply = Reply(text="x").model_dump(mode="json")
    store = service.store
    store.enqueue("late", "melding", "fake", "fake:late", {"replies": [reply]}, now=NOW)
    store.enqueue(
        "early", "melding", "fake", "fake:early", {"replies": [reply]}, now=NOW - timedelta(hours=1)
    )
    assert [i.target for i in store.claim_due(("fake",), 1, NOW)] == ["fake:early"]


def test_the_scheduler_enqueues_a_backlog_in_one_round(
    service: ConversationService, advisor: Advisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoints, "ENQUEUE_BATCH", 3)  # a backlog of several transactions
    oid = ask_advice(service, "Mogen we drones inzetten boven weilanden?", "c1", "c1", now=NOW)
    for i in range(8):
        checkpoints.plan(service.store, oid, "livegang", f"L{i}", date(2027, 3, 1), "web:c1")
    assert checkpoints.enqueue_due(service.store, advisor.knowledge, NOW) == 8
    assert checkpoints.enqueue_due(service.store, advisor.knowledge, NOW) == 0
