"""Reminders benchmark: 10,000 due checkpoints sent to the mock Slack Web API, exactly once.

Run from the repository root::

    .venv/bin/python benchmarks/reminders_bench.py              # 10,000 reminders, ~1 minute
    .venv/bin/python benchmarks/reminders_bench.py --reminders 2000   # a quick run

1. **Fill.** The engine makes 50 real outcomes (different descriptions, each in its own Slack
   conversation, through the real service); ``bot.checkpoints.plan`` plans 10,000 checkpoints
   for them (every kind of ``knowledge/data/checkpoints.yaml``), all due on one Monday, each to
   a Slack conversation (500 channels, in a thread or not). The filled database is copied for
   each scenario, so each starts from the same state.
2. **Ours.** In this process, what ``ethiekbot reminders run-due`` does: the real application
   (``bot.server.create_app`` with ``slack_api_url`` pointing at the mock, as
   ``tests/adapters/slack/helpers.py`` ``slack_settings`` does), one scheduler round
   (``bot.checkpoints.enqueue_due``) and the dispatcher (``Dispatcher.drain``) until the outbox
   is empty: reminders/s over the whole round. The mock (``MockSlack``) runs in a child process,
   so its work is not counted in ours.
3. **Exactly once.** The mock's ``chat.postMessage`` calls are counted per checkpoint id (the
   reminder's buttons carry it: ``ijk:<action>:<checkpoint>``): every checkpoint once, none twice,
   none missing; and the database agrees (every checkpoint and outbox row ``verstuurd``).
4. **Faults.** The same with a mock that answers a fraction of calls with HTTP 429
   (``MockSlack.rate_limit``; slack_sdk waits ``Retry-After`` and retries) and a fraction with
   ``{"ok": false, "error": "internal_error"}`` (as ``MockSlack.errors`` does); failed messages
   wait for their backoff, so ``now`` is moved past it for the next round until nothing waits.
   Still exactly once, all delivered.
5. **Peers**, for ratios: the same 10,000 messages (pre-rendered Block Kit) posted with
   slack_sdk's ``AsyncWebClient.chat_postMessage`` directly, without the outbox: one at a time
   (the naive loop) and with the dispatcher's concurrency bound; and, to show what connection
   reuse would bring (our Slack client opens a connection per call), the bounded one with a
   shared aiohttp session.

A summary table prints each figure, its aim and whether it is met. It reports; it does not gate:
the exit code is 0 whatever the figures. ``--profile`` prints the top functions of our round
under cProfile. Deterministic input (seed 9).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

SEED = 9
DEFAULT_REMINDERS = 10_000
OUTCOMES = 50
CHANNELS = 500
DUE = date(2027, 3, 1)  # a Monday, no holiday: sent at 09:00 Amsterdam (08:00 UTC)
PLANNED_AT = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
SEND_AT = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
START_TIMEOUT_S = 30.0
RATE_LIMITED = 0.01  # fraction of calls answered 429 in the fault scenario
ERRORS = 0.05  # fraction answered internal_error
AIM_PER_S = 200.0
BOT_TOKEN = "xoxb-bench"
SIGNING_SECRET = "bench-signing-secret-0123456789"

DESCRIPTIONS: tuple[str, ...] = (
    "Mogen we drones boven weilanden laten vliegen om ammoniak te meten?",
    "We willen een algoritme dat met een risicoscore voorspelt welke inwoners die een "
    "uitkering aanvragen mogelijk fraude plegen, zodat we hen extra controleren.",
    "We willen camera's met gezichtsherkenning in de binnenstad om inwoners te identificeren.",
    "Een leerapp voor kinderen op de basisschool die hun gegevens in een Amerikaanse cloud "
    "opslaat.",
    "A chatbot on our website that answers residents' questions about waste collection.",
    "Sensoren in de stallen die de uitstoot van ammoniak meten en doorsturen naar de provincie.",
    "We willen met AI sollicitatiebrieven van kandidaten automatisch rangschikken.",
    "Slimme lantaarnpalen die met wifi-tracking tellen hoeveel mensen over het plein lopen.",
    "Een model dat voorspelt welke jongeren in de wijk risico lopen om van school te gaan.",
    "Automatische kentekenherkenning bij de milieuzone om vervuilende auto's te beboeten.",
)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


@dataclass
class Figure:
    what: str
    figure: str
    aim: str
    ok: bool | None  # None: no aim
    peer: bool = False


SUMMARY: list[Figure] = []


# --- the mock, in a child process ---------------------------------------------------------------


def serve_mock(rate_limited: float, errors: float) -> None:
    """Child process: ``MockSlack`` answering a seeded fraction of ``chat.postMessage`` calls
    with 429 (through ``rate_limit``) or an error; prints its Web API URL and a control URL
    (``GET /posts``: the checkpoint id of every answered post), then serves until killed."""
    from aiohttp import web

    from tests.adapters.slack.mock_slack import MockSlack

    class FaultyMock(MockSlack):
        def __init__(self) -> None:
            super().__init__()
            self.rng = random.Random(SEED)

        async def _api(self, request: web.Request) -> web.Response:
            if request.match_info["method"] == "chat.postMessage":
                draw = self.rng.random()
                if draw < rate_limited:
                    self.rate_limit("chat.postMessage", 1)
                elif draw < rate_limited + errors:
                    # What MockSlack.errors answers, for this one call (the dict holds a
                    # method's answer for every call while set).
                    self.rate_limited["chat.postMessage"].append({})
                    return web.json_response({"ok": False, "error": "internal_error"})
            return await super()._api(request)

    async def main() -> None:
        mock = FaultyMock()
        await mock.start()

        async def posts(request: web.Request) -> web.Response:
            ids = [checkpoint_of(p) for p in mock.calls["chat.postMessage"]]
            refused = {m: len(c) for m, c in mock.rate_limited.items()}
            return web.json_response({"checkpoints": ids, "refused": refused})

        control = web.Application()
        control.router.add_get("/posts", posts)
        runner = web.AppRunner(control, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        print(mock.base_url, f"http://127.0.0.1:{runner.addresses[0][1]}/posts", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


def checkpoint_of(post: dict[str, Any]) -> str | None:
    """The checkpoint a posted reminder is about: its buttons' values are ijk:<action>:<id>."""
    for block in post.get("blocks") or []:
        for el in block.get("elements", []) if isinstance(block, dict) else []:
            value = str(el.get("value", ""))
            if value.startswith("ijk:"):
                return value.rsplit(":", 1)[1]
    return None


@dataclass
class Mock:
    proc: subprocess.Popen[bytes]
    api_url: str
    posts_url: str

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def posts(self) -> tuple[Counter[str | None], dict[str, int]]:
        async def get() -> Any:
            async with aiohttp.ClientSession() as s, s.get(self.posts_url) as r:
                return await r.json()

        data = asyncio.run(get())
        return Counter(data["checkpoints"]), data["refused"]


def start_mock(rate_limited: float = 0.0, errors: float = 0.0) -> Mock:
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--mock", str(rate_limited), str(errors)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().decode().split()
    if len(line) != 2:
        proc.kill()
        raise RuntimeError(f"the mock did not start: {line!r}")
    return Mock(proc, line[0], line[1])


# --- 1. fill ------------------------------------------------------------------------------------


def fill(db_path: Path, n: int) -> tuple[list[str], float]:
    """``n`` checkpoints planned for real outcomes; returns their ids and the seconds taken."""
    from bot.checkpoints import plan
    from bot.config import Settings
    from bot.service import ConversationService
    from bot.storage.base import transaction
    from tests.advice import ask_advice

    rng = random.Random(SEED)
    t = time.perf_counter()
    service = ConversationService.from_settings(Settings(db_path=db_path, secret="bench"))
    try:
        store = service.store
        kinds = [
            (k.id, k.label.get("nl")) for k in service.engine.advisor.knowledge.checkpoints.values()
        ]
        outcomes = []
        for i in range(OUTCOMES):
            text = DESCRIPTIONS[i % len(DESCRIPTIONS)]
            conversation = f"T1:D{i:04d}:-"
            outcomes.append(
                ask_advice(service, text, conversation, f"T1:U{i}", "slack", now=PLANNED_AT)
            )
        ids = []
        with transaction(store.db):
            for i in range(n):
                kind, label = kinds[i % len(kinds)]
                channel = f"C{rng.randrange(CHANNELS):05d}"
                thread = f"1700000000.{rng.randrange(10**6):06d}" if rng.random() < 0.5 else "-"
                ids.append(
                    plan(
                        store,
                        outcomes[i % OUTCOMES],
                        kind,
                        f"{label} {i:05d}",
                        DUE,
                        f"slack:T1:{channel}:{thread}",
                        PLANNED_AT,
                    )
                )
    finally:
        service.close()
    return ids, time.perf_counter() - t


def copy_db(src: Path, dst: Path) -> Path:
    """A consistent copy of a WAL database (SQLite's backup API)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()
    return dst


# --- 2. our round -------------------------------------------------------------------------------


@dataclass
class Round:
    enqueued: int
    sent: int
    seconds: float
    rounds: int = 1
    enqueue_s: float = 0.0


def settings_for(db_path: Path, mock: Mock) -> Any:
    from bot.config import Settings

    return Settings.model_validate(
        {
            "slack_bot_token": BOT_TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_api_url": mock.api_url,
            "db_path": db_path,
            "secret": "bench",
        }
    )


async def run_due(db_path: Path, mock: Mock, now: datetime, until_empty: bool) -> Round:
    """What ``ethiekbot reminders run-due --now`` does, timed; with ``until_empty`` also the
    later rounds, each at the time the next failed message may be tried again."""
    from bot.checkpoints import enqueue_due
    from bot.server import DISPATCHER_KEY, create_app
    from bot.service import ConversationService

    settings = settings_for(db_path, mock)
    service = ConversationService.from_settings(settings)
    try:
        app = create_app(settings, service)
        dispatcher = app[DISPATCHER_KEY]
        knowledge = service.engine.advisor.knowledge
        t = time.perf_counter()
        queued = await service.call(enqueue_due, service.store, knowledge, now)
        enqueue_s = time.perf_counter() - t
        sent = await dispatcher.drain(now)
        seconds = time.perf_counter() - t
        rounds = 1
        while until_empty:
            row = service.store.db.conn.execute(
                "select min(next_attempt_at) from outbox where status = 'wachtend'"
            ).fetchone()
            if row[0] is None:
                break
            now = max(now, datetime.fromisoformat(row[0])) + timedelta(seconds=1)
            sent += await dispatcher.drain(now)
            rounds += 1
        total = time.perf_counter() - t
        return Round(queued, sent, total if until_empty else seconds, rounds, enqueue_s)
    finally:
        service.close()


def statuses(db_path: Path) -> tuple[Counter[str], Counter[str], int]:
    """Checkpoint statuses, outbox statuses, and the most attempts of one outbox row."""
    with sqlite3.connect(db_path) as conn:
        cps = Counter(r[0] for r in conn.execute("select status from checkpoints"))
        out = Counter(r[0] for r in conn.execute("select status from outbox"))
        most = conn.execute("select coalesce(max(attempts), 0) from outbox").fetchone()[0]
    conn.close()
    return cps, out, int(most)


@dataclass
class Check:
    once: int
    twice: int
    missing: int
    strays: int


def check(ids: list[str], posts: Counter[str | None]) -> Check:
    expected = set(ids)
    return Check(
        once=sum(1 for i in ids if posts[i] == 1),
        twice=sum(1 for i in ids if posts[i] > 1),
        missing=sum(1 for i in ids if posts[i] == 0),
        strays=sum(c for k, c in posts.items() if k not in expected),
    )


def scenario(
    name: str,
    template: Path,
    workdir: Path,
    ids: list[str],
    rate_limited: float = 0.0,
    errors: float = 0.0,
) -> None:
    db_path = copy_db(template, workdir / f"{name}.db")
    mock = start_mock(rate_limited, errors)
    try:
        r = asyncio.run(run_due(db_path, mock, SEND_AT, until_empty=bool(rate_limited or errors)))
        posts, refused = mock.posts()
    finally:
        mock.stop()
    c = check(ids, posts)
    cps, out, most = statuses(db_path)
    per_s = r.sent / r.seconds
    n = len(ids)
    print(
        f"  {name:<10} enqueued {r.enqueued:,}, sent {r.sent:,} in {r.seconds:.2f} s "
        f"({per_s:,.0f}/s; the scheduler's enqueue {r.enqueue_s:.2f} s), {r.rounds} "
        f"round(s); refused by the mock: {refused or 'none'}"
    )
    print(
        f"  {'':<10} posts per checkpoint: once {c.once:,}, more than once {c.twice}, "
        f"missing {c.missing}, not a checkpoint {c.strays}; checkpoints {dict(cps)}, "
        f"outbox {dict(out)}, most attempts {most}"
    )
    exact = c.once == n and not (c.twice or c.missing or c.strays)
    stored = cps == Counter({"verstuurd": n}) and out == Counter({"verstuurd": n})
    if not (rate_limited or errors):
        SUMMARY.append(
            Figure(f"{name}: reminders/s, one process", f"{per_s:,.0f}", "> 200", per_s > AIM_PER_S)
        )
    else:
        SUMMARY.append(
            Figure(f"{name}: reminders/s incl. backoff rounds", f"{per_s:,.0f}", "", None)
        )
    SUMMARY.append(Figure(f"{name}: duplicates", str(c.twice + c.strays), "0", c.twice == 0))
    SUMMARY.append(
        Figure(f"{name}: each exactly once, all sent", f"{c.once:,}/{n:,}", "all", exact and stored)
    )


# --- 5. peers -----------------------------------------------------------------------------------


def rendered(db_path: Path) -> list[tuple[str, str, list[dict[str, Any]], str | None]]:
    """The outbox's reminders as (channel, text, blocks, thread) for the peers."""
    from adapters.slack import blocks_for, fallback_text
    from dialogs.models import Reply

    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("select target, payload from outbox order by id").fetchall()
    conn.close()
    out = []
    for target, payload in rows:
        _, _team, channel, thread = target.split(":")
        reply = Reply.model_validate(json.loads(payload)["replies"][0])
        blocks = [b.to_dict() for b in blocks_for(reply)]
        out.append((channel, fallback_text(reply), blocks, None if thread == "-" else thread))
    return out


async def peer(messages: list[Any], api_url: str, concurrency: int, shared: bool) -> float:
    from slack_sdk.web.async_client import AsyncWebClient

    # slack_sdk without a session opens a connection per call, as SlackChannel's client does;
    # ``shared`` gives it one aiohttp session (kept-alive connections) to show what that costs.
    session = aiohttp.ClientSession() if shared else None
    client = AsyncWebClient(token=BOT_TOKEN, base_url=api_url, session=session)
    bound = asyncio.Semaphore(concurrency)

    async def post(m: Any) -> None:
        async with bound:
            await client.chat_postMessage(
                channel=m[0],
                text=m[1],
                blocks=m[2],
                thread_ts=m[3],
                unfurl_links=False,
                unfurl_media=False,
            )

    t = time.perf_counter()
    try:
        if concurrency == 1:
            for m in messages:
                await post(m)
        else:
            await asyncio.gather(*(post(m) for m in messages))
        return time.perf_counter() - t
    finally:
        if session is not None:
            await session.close()


def run_peer(
    name: str, messages: list[Any], ids: list[str], concurrency: int, shared: bool = False
) -> float:
    mock = start_mock()
    try:
        seconds = asyncio.run(peer(messages, mock.api_url, concurrency, shared))
        posts, _ = mock.posts()
    finally:
        mock.stop()
    c = check(ids, posts)
    per_s = len(messages) / seconds
    print(
        f"  {name:<44} {len(messages):,} in {seconds:.2f} s ({per_s:,.0f}/s), "
        f"once {c.once:,}, twice {c.twice}, missing {c.missing}"
    )
    return per_s


# --- profile ------------------------------------------------------------------------------------


def profile(template: Path, workdir: Path) -> str:
    db_path = copy_db(template, workdir / "profile.db")
    mock = start_mock()
    prof = cProfile.Profile()
    try:
        prof.enable()
        asyncio.run(run_due(db_path, mock, SEND_AT, until_empty=False))
        prof.disable()
    finally:
        mock.stop()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(25)
    return out.getvalue()


# --- main ---------------------------------------------------------------------------------------


def main(n: int, want_profile: bool) -> int:
    import logging

    from bot.outbox import BATCH, CONCURRENCY

    # Each failed delivery logs a warning; thousands of them would drown the figures.
    logging.getLogger("ethiekbot").setLevel(logging.ERROR)

    print(f"Ethiekbot reminders benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {n:,} due reminders; "
        f"dispatcher batch {BATCH}, {CONCURRENCY} in flight"
    )
    with tempfile.TemporaryDirectory(prefix="ethiekbot-reminders-bench-") as tmp:
        workdir = Path(tmp)
        template = workdir / "template.db"
        print("\n1. Fill")
        ids, fill_s = fill(template, n)
        print(
            f"  {OUTCOMES} outcomes by the engine, {len(ids):,} checkpoints planned "
            f"(due {DUE}, {CHANNELS} Slack channels) in {fill_s:.1f} s"
        )

        print("\n2-3. Our round: scheduler + dispatcher until the outbox is empty")
        scenario("clean", template, workdir, ids)
        print(f"\n4. Faults: {RATE_LIMITED:.0%} answered 429, {ERRORS:.0%} internal_error")
        scenario("faults", template, workdir, ids, RATE_LIMITED, ERRORS)

        print("\n5. Peers: chat_postMessage directly, no outbox")
        messages = rendered(workdir / "clean.db")
        naive = run_peer("naive loop, one at a time", messages, ids, 1)
        bounded = run_peer(f"{CONCURRENCY} at a time", messages, ids, CONCURRENCY)
        kept = run_peer(
            f"{CONCURRENCY} at a time, one shared aiohttp session", messages, ids, CONCURRENCY, True
        )
        ours = float(SUMMARY[0].figure.replace(",", ""))
        SUMMARY.append(Figure("ours / naive loop", f"{ours / naive:.2f}x", "", None, peer=True))
        SUMMARY.append(
            Figure(
                f"ours / direct, {CONCURRENCY} at a time", f"{ours / bounded:.2f}x", "", None, True
            )
        )
        SUMMARY.append(
            Figure(
                f"direct {CONCURRENCY} at a time: shared session / not",
                f"{kept / bounded:.2f}x",
                "",
                None,
                True,
            )
        )
        if want_profile or not SUMMARY[0].ok:
            print("\nProfile of our round (cProfile, by own time)")
            print(profile(template, workdir))

    print("\nSummary")
    print(f"  {'figure':<46}{'value':>14}  {'aim':<8}result")
    for s in SUMMARY:
        result = "(peer)" if s.peer else "(no aim)" if s.ok is None else verdict(s.ok)
        print(f"  {s.what:<46}{s.figure:>14}  {s.aim:<8}{result}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reminders", type=int, default=DEFAULT_REMINDERS)
    parser.add_argument("--profile", action="store_true", help="profile our round")
    parser.add_argument("--mock", nargs=2, type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mock:
        serve_mock(args.mock[0], args.mock[1])
        raise SystemExit(0)
    raise SystemExit(main(max(args.reminders, 100), args.profile))
