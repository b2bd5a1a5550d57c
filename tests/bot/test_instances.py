"""Several instances on one PostgreSQL database, as a province runs them behind a load balancer.

Real ``python -m bot serve`` processes on loopback share one database (a schema of the test
session's throwaway cluster): one web conversation alternates between them turn by turn; one
of them is killed with SIGKILL while conversations run through both, and a client whose
request fails sends it to the other, as a load balancer does; one is stopped with SIGTERM
while turns are in flight. Slack sends the same event to two instances (two real
applications in this process, each with its own store and pool): it is answered once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.web import conversation_id
from bot.storage import Store
from knowledge.triage import Advisor
from tests.adapters.slack.helpers import SlackServer, slack_settings, start_server
from tests.adapters.slack.mock_slack import MockSlack

ROOT = Path(__file__).resolve().parents[2]
SECRET = "instances-pseudonym-key"
DRONES = "Mogen we drones inzetten om weilanden te controleren op mestfraude?"
START_TIMEOUT_S = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Instance:
    """One ``python -m bot serve`` child process on a free loopback port."""

    database: str
    log: Path
    port: int = field(default_factory=_free_port)
    proc: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, http: aiohttp.ClientSession) -> Instance:
        env = dict(os.environ)
        env.pop("ETHIEKBOT_DB", None)
        env.update(
            ETHIEKBOT_DATABASE_URL=self.database,
            ETHIEKBOT_SECRET=SECRET,
            # The load here is the test's own: no limit per address stands in its way.
            ETHIEKBOT_LIMIT_TURNS="0",
            ETHIEKBOT_LIMIT_TURNS_PER_ADDRESS="0",
            ETHIEKBOT_LIMIT_NEW_CONVERSATIONS="0",
            ETHIEKBOT_LIMIT_NEW_CONVERSATIONS_PER_ADDRESS="0",
        )
        out = self.log.open("ab")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )
        out.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self.proc.returncode is None, self.log.read_text()[-2000:]
            try:
                async with http.get(self.url + "/readyz") as r:
                    if r.status == 200:
                        return self
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.2)
        raise AssertionError(f"instance on {self.port} not ready: {self.log.read_text()[-2000:]}")

    async def stop(self, sig: int = signal.SIGTERM) -> int | None:
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        try:
            await asyncio.wait_for(self.proc.wait(), 30)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
        return self.proc.returncode


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        yield session


@pytest.fixture
async def two(
    pg_database: str, tmp_path: Path, http: aiohttp.ClientSession
) -> AsyncIterator[list[Instance]]:
    """Two instances on one database (the first migrates it, the second finds it current)."""
    instances = [Instance(pg_database, tmp_path / f"instance-{i}.log") for i in range(2)]
    try:
        for instance in instances:
            await instance.start(http)
        yield instances
    finally:
        for instance in instances:
            await instance.stop(signal.SIGKILL)


async def session_at(http: aiohttp.ClientSession, instance: Instance) -> str:
    async with http.post(instance.url + "/api/session") as r:
        assert r.status == 200
        return str((await r.json())["session"])


async def say(
    http: aiohttp.ClientSession, instance: Instance, token: str, **body: Any
) -> list[dict[str, Any]]:
    async with http.post(instance.url + "/api/chat", json={"session": token, **body}) as r:
        assert r.status == 200, await r.text()
        replies: list[dict[str, Any]] = (await r.json())["replies"]
        return replies


def button(replies: list[dict[str, Any]], label: str) -> str:
    for r in reversed(replies):
        for c in r.get("choices") or []:
            if c["label"] == label:
                return str(c["id"])
    raise AssertionError(f"no button {label!r} in {[r.get('text') for r in replies]}")


def kind(replies: list[dict[str, Any]]) -> str | None:
    content = replies[-1].get("content") or {}
    return content.get("kind")


def read(database: str, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    store = Store.open(database, secret=SECRET.encode())
    try:
        return list(store.db.execute(sql, params or []).fetchall())
    finally:
        store.close()


async def test_one_conversation_alternates_between_two_instances(
    two: list[Instance], http: aiohttp.ClientSession, pg_database: str
) -> None:
    a, b = two
    token = await session_at(http, a)
    quick = await say(http, a, token, text=DRONES)
    assert kind(quick) == "quick-take"
    # The button A offered works on B: B reads the state A committed.
    walk = await say(http, b, token, choice=button(quick, "Drietrap doorlopen"))
    assert "Die knop hoort bij een eerder moment" not in str(walk)
    replies = await say(http, a, token, text="doel: bloemrijke weilanden")
    turns = 3
    instances = [b, a]
    while kind(replies) != "outcome":
        assert turns < 60, "no outcome after 60 turns"
        replies = await say(http, instances[turns % 2], token, text="overslaan")
        turns += 1
    outcome_id = replies[-1]["content"]["outcome_id"]
    rows = read(pg_database, "select id, description, data from outcomes")
    assert [r[:2] for r in rows] == [(outcome_id, DRONES)]
    assert "doel: bloemrijke weilanden" in rows[0][2]  # the answer given at A, in B's outcome


@dataclass
class Load:
    """Conversations driven through both instances; what was acknowledged and where."""

    acknowledged: int = 0
    after_kill: dict[int, int] = field(default_factory=lambda: {0: 0, 1: 0})
    failovers: int = 0
    killed: bool = False
    outcomes: dict[int, str] = field(default_factory=dict)


async def converse(
    http: aiohttp.ClientSession, instances: list[Instance], n: int, load: Load
) -> None:
    """One conversation: description, the walk, its goal, then "overslaan" to the outcome.
    Each turn goes to the next instance; a request the instance does not answer (it was
    killed) goes to the other, as a load balancer retries it."""
    turn = n

    async def send(**body: Any) -> list[dict[str, Any]]:
        nonlocal turn
        for attempt in range(2):
            index = (turn + attempt) % 2
            sent_after_kill = load.killed  # by when it was sent, not when its reply was read
            try:
                replies = await say(http, instances[index], token, **body)
            except aiohttp.ClientError:
                load.failovers += 1
                continue
            turn += 1
            load.acknowledged += 1
            if sent_after_kill:
                load.after_kill[index] += 1
            return replies
        raise AssertionError("neither instance answered")

    token = await session_at(http, instances[n % 2])
    quick = await send(text=DRONES)
    await send(choice=button(quick, "Drietrap doorlopen"))
    await send(text=f"doel van gesprek {n}")
    replies = await send(text="overslaan")
    while kind(replies) != "outcome":
        replies = await send(text="overslaan")
    load.outcomes[n] = replies[-1]["content"]["outcome_id"]


async def test_kill_9_of_one_instance_under_load_loses_no_acknowledged_turn(
    two: list[Instance], http: aiohttp.ClientSession, pg_database: str
) -> None:
    load = Load()
    conversations = 12
    tasks = [asyncio.create_task(converse(http, two, n, load)) for n in range(conversations)]
    while load.acknowledged < 40:
        await asyncio.sleep(0.01)
    assert two[0].proc is not None
    two[0].proc.send_signal(signal.SIGKILL)
    load.killed = True
    await asyncio.wait_for(asyncio.gather(*tasks), 240)
    print(
        f"\nkill -9 under load: {conversations} conversations, {load.acknowledged} turns "
        f"acknowledged, {load.failovers} requests failed over, after the kill "
        f"{load.after_kill[1]} turns on the survivor"
    )
    assert await two[0].stop() == -signal.SIGKILL
    assert load.after_kill[0] == 0 and load.after_kill[1] > 0  # the other carries on
    # Every conversation reached its outcome, logged exactly once, with the goal it was given
    # in an acknowledged turn.
    rows = read(pg_database, "select id, data from outcomes order by id")
    assert sorted(load.outcomes.values()) == [r[0] for r in rows]
    assert len(rows) == conversations
    for n, outcome_id in load.outcomes.items():
        (data,) = [r[1] for r in rows if r[0] == outcome_id]
        assert f"doel van gesprek {n}" in data


async def test_the_same_slack_event_at_two_instances_is_answered_once(
    pg_database: str, mock_slack: MockSlack, advisor: Advisor
) -> None:
    settings = slack_settings(Path("unused.db"), mock_slack, database_url=pg_database)
    servers: list[SlackServer] = [
        await start_server(settings, advisor, mock_slack) for _ in range(2)
    ]
    try:
        # Slack retries an event it thinks was not acknowledged; behind a load balancer the
        # retry reaches the other instance, here at the same moment as the first.
        acks = await asyncio.gather(
            *(s.dm(DRONES, user="U7", channel="D7", event_id="EvTWICE0001") for s in servers)
        )
        assert [a.status for a in acks] == [200, 200]
        # One delivery for comparison, at one instance, in a conversation of its own.
        await servers[0].dm(DRONES, user="U8", channel="D8", event_id="EvONCE0001")
        await servers[0].wait_posts("D8", 1)
        await servers[0].wait_posts("D7", 1)
        await asyncio.sleep(1.0)  # time for a second answer to D7, if there were one
        assert len(servers[0].posts("D7")) == len(servers[0].posts("D8")) >= 1
        seen = "select count(*) from channel_events where id like '%EvTWICE0001%'"
        assert read(pg_database, seen) == [(1,)]
    finally:
        for s in servers:
            await s.stop()


async def test_sigterm_finishes_the_turns_in_flight_and_exits(
    two: list[Instance], http: aiohttp.ClientSession, pg_database: str
) -> None:
    """A rolling deploy stops an instance with SIGTERM: it stops taking requests, answers
    those it took, commits them, and exits cleanly; what it acknowledged is in the database."""
    a, b = two
    tokens = [await session_at(http, b) for _ in range(60)]
    acknowledged: list[str] = []
    refused = 0

    async def first_turn(token: str) -> None:
        nonlocal refused
        try:
            replies = await say(http, a, token, text=DRONES)
        except aiohttp.ClientError:  # arrived after the listener closed: never acknowledged
            refused += 1
            return
        assert kind(replies) == "quick-take"
        acknowledged.append(token)

    tasks = [asyncio.create_task(first_turn(t)) for t in tokens]
    while not acknowledged:
        await asyncio.sleep(0.005)
    assert a.proc is not None
    a.proc.send_signal(signal.SIGTERM)
    await asyncio.gather(*tasks)
    assert await asyncio.wait_for(a.proc.wait(), 30) == 0
    print(f"\nSIGTERM: {len(acknowledged)} turns answered, {refused} refused after it")
    stored = {
        str(r[0]) for r in read(pg_database, "select key from conversations where key like 'web:%'")
    }
    assert {f"web:{conversation_id(t)}" for t in acknowledged} <= stored
    # The other instance carries on with a conversation the stopped one began.
    replies = await say(http, b, acknowledged[0], text="samenvatting")
    assert DRONES in str(replies)
