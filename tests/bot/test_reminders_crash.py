"""Exactly once when it goes wrong: ``ethiekbot reminders run-due`` killed with SIGKILL in the
middle of its sends, and two of them started together on one database: a SQLite file, and
PostgreSQL (as several instances would share it).

Each run is a real child process (``python -m bot reminders run-due --now …``, the real
application with Slack configured) posting to the mock Slack Web API in this process on
loopback. The mock answers ``chat.postMessage`` only after a delay, so at the kill there are
messages Slack has (the mock records a call once it answers it, also when the client is gone)
whose sending the bot never recorded: the window the outbox cannot close. After the lease
(two minutes) the next run sends those again: at most one duplicate each, none for the rest,
none lost. The measured figures are printed (``pytest -s``).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.checkpoints import plan
from bot.service import ConversationService
from bot.storage import Store
from knowledge.triage import Advisor
from tests.adapters.slack.mock_slack import MockSlack
from tests.advice import ask_advice
from tests.stores import database_variable, settings_for

ROOT = Path(__file__).resolve().parents[2]
PLANNED = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
DUE = date(2027, 3, 1)  # a Monday: sent from 09:00 Amsterdam, 08:00 UTC
NOW = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)
CAMERAS = "We willen met camera's en gezichtsherkenning mensen op het station identificeren."
CHILD_TIMEOUT_S = 30.0


def plan_reminders(db: str, advisor: Advisor, n: int) -> list[str]:
    """``n`` checkpoints due at NOW for one real outcome, each to its own Slack channel."""
    service = ConversationService.from_settings(settings_for(db, secret="crash"), advisor)
    try:
        oid = ask_advice(service, CAMERAS, "T1:D9:-", "T1:U9", "slack", now=PLANNED)
        return [
            plan(service.store, oid, "livegang", f"Livegang {i}", DUE, f"slack:T1:C{i:03d}:-")
            for i in range(n)
        ]
    finally:
        service.close()


def env(db: str, mock: MockSlack) -> dict[str, str]:
    values = dict(os.environ)
    values.pop("ETHIEKBOT_DATABASE_URL", None)
    values[database_variable(db)] = db
    values.update(
        ETHIEKBOT_SECRET="crash",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="test-signing-secret",
        SLACK_API_URL=mock.base_url,
    )
    return values


async def run_due(db: str, mock: MockSlack, now: datetime) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "reminders",
        "run-due",
        "--now",
        now.isoformat(),
        cwd=ROOT,
        env=env(db, mock),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finished(proc: asyncio.subprocess.Process) -> dict[str, Any]:
    out, err = await asyncio.wait_for(proc.communicate(), CHILD_TIMEOUT_S)
    assert proc.returncode == 0, err.decode()[-2000:]
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result


def posted(mock: MockSlack) -> Counter[str]:
    """chat.postMessage calls per checkpoint id (the buttons carry ``ijk:<action>:<id>``)."""
    counts: Counter[str] = Counter()
    for call in mock.calls["chat.postMessage"]:
        ids = {
            str(el["value"]).rsplit(":", 1)[1]
            for block in call.get("blocks") or []
            for el in block.get("elements", [])
            if str(el.get("value", "")).startswith("ijk:")
        }
        assert len(ids) == 1, "a reminder names exactly one checkpoint"
        counts.update(ids)
    return counts


def recorded_sent(db: str) -> set[str]:
    """The checkpoints whose message the database records as sent."""
    store = Store.open(db, secret=b"crash")
    try:
        rows = store.db.execute(
            "select c.id from checkpoints c join outbox o on o.id = c.outbox_id "
            "where o.status = 'verstuurd'"
        ).fetchall()
    finally:
        store.close()
    return {str(r[0]) for r in rows}


async def test_kill_9_between_send_and_record(
    database: str, advisor: Advisor, mock_slack: MockSlack
) -> None:
    db = database
    ids = plan_reminders(db, advisor, 60)
    mock_slack.delay("chat.postMessage", 0.3)
    proc = await run_due(db, mock_slack, NOW)
    try:
        # Kill once some messages are through, while others are in flight.
        await mock_slack.wait_for("chat.postMessage", 20, timeout=CHILD_TIMEOUT_S)
        proc.send_signal(signal.SIGKILL)
        await asyncio.wait_for(proc.wait(), 10)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == -signal.SIGKILL
    await asyncio.sleep(0.6)  # the mock answers (records) what it had received at the kill
    before = posted(mock_slack)
    sent = recorded_sent(db)
    in_flight = {i for i in before if i not in sent}  # Slack has it, the bot did not record it
    assert sent <= set(before), "recorded as sent but never posted"
    assert in_flight, "the kill came outside the window between a send and its record"
    assert set(before) < set(ids), "the kill came after the last send"

    # Before the lease ran out, the claimed messages stay with the dead process.
    mock_slack.delay("chat.postMessage", 0.0)
    early = await finished(await run_due(db, mock_slack, NOW + timedelta(minutes=1)))
    assert early["enqueued"] == 0
    assert all(posted(mock_slack)[i] == 1 for i in in_flight)
    # After the lease: everything is sent; the in-flight ones once more, the rest once.
    late = await finished(await run_due(db, mock_slack, NOW + timedelta(minutes=3)))
    after = posted(mock_slack)
    duplicates = {i for i in ids if after[i] > 1}
    print(
        f"\nkill -9: {len(ids)} reminders; posted before the kill {len(before)}, recorded as "
        f"sent {len(sent)}, in flight (posted, not recorded) {len(in_flight)}; sent by the run "
        f"before the lease ran out {early['sent']}, after it {late['sent']}; duplicates "
        f"{len(duplicates)}, lost {sum(1 for i in ids if after[i] == 0)}"
    )
    assert all(after[i] >= 1 for i in ids), "a reminder was lost"
    assert max(after.values()) <= 2, "more than one duplicate"
    assert duplicates == in_flight, "a duplicate outside the window of the kill"
    assert set(after) == set(ids)
    assert recorded_sent(db) == set(ids)
    assert early["sent"] + late["sent"] == len(ids) - len(sent)


async def test_two_schedulers_at_once_send_each_reminder_once(
    database: str, advisor: Advisor, mock_slack: MockSlack
) -> None:
    db = database
    ids = plan_reminders(db, advisor, 120)
    # Slow enough that one alone needs about two seconds: the two overlap, and both send.
    mock_slack.delay("chat.postMessage", 0.25)
    procs = [await run_due(db, mock_slack, NOW) for _ in range(2)]
    try:
        results = [await finished(p) for p in procs]
    finally:
        for p in procs:
            if p.returncode is None:
                p.kill()
                await p.wait()
    counts = posted(mock_slack)
    print(
        f"\ntwo schedulers: enqueued {[r['enqueued'] for r in results]}, "
        f"sent {[r['sent'] for r in results]}"
    )
    assert sum(r["enqueued"] for r in results) == len(ids)
    assert sum(r["sent"] for r in results) == len(ids)
    assert all(r["sent"] > 0 for r in results), "the two did not run at once"
    assert counts == Counter({i: 1 for i in ids})
    assert recorded_sent(db) == set(ids)
