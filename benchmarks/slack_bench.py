"""Slack benchmark: how fast our server acknowledges Events API deliveries, next to bare bolt.

Run from the repository root::

    .venv/bin/python benchmarks/slack_bench.py

Three processes on loopback, so load generation shares no event loop with what it measures:

* the mock Slack Web API (``tests/adapters/slack/mock_slack.py``), which the servers post to;
* our real server, ``python -m bot serve`` with ``SLACK_BOT_TOKEN``, ``SLACK_SIGNING_SECRET``,
  ``SLACK_API_URL`` (the mock) and ``ETHIEKBOT_DB`` in a temporary directory;
* then, the same way, a bare bolt echo app (``AsyncApp`` with the same settings, whose message
  listener only calls ``chat.postMessage`` with the text), mounted on aiohttp like ours
  (``to_bolt_request`` → ``async_dispatch`` → ``to_aiohttp_response``); this script runs it
  when started with ``--echo-server``.

Load: rounds of 100 concurrent, correctly signed DM message events (a unique description each,
unique event ids, 100 conversations), up to ``MAX_ROUNDS`` rounds or ``PHASE_SECONDS`` per server.
Measured: the acknowledgement latency of every request (p50, p99), events acknowledged per
second, and, for reference, how long until every event's reply had reached the mock.

Aims: p99 acknowledgement < 100 ms and events/s at least 0.8 of the echo app's. PASS/MISS is
printed; when an aim is missed, one round is profiled in-process with cProfile and the top
functions printed. The exit code is 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from slack_sdk.signature import SignatureVerifier  # noqa: E402

from bot.throttle import ENV_OFF  # noqa: E402

CONCURRENCY = 100
MAX_ROUNDS = 40
PHASE_SECONDS = 10.0  # per server: about 20 s of load in all
WARMUP_EVENTS = 20
START_TIMEOUT_S = 30.0
DRAIN_TIMEOUT_S = 60.0
AIM_P99_MS = 100.0
AIM_RATIO = 0.8
SIGNING_SECRET = "bench-signing-secret-0123456789"
BOT_TOKEN = "xoxb-bench"

DESCRIPTIONS = [
    "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?",
    "We willen camera's op het marktplein die de drukte meten en bezoekers tellen.",
    "Een algoritme dat voorspelt welke aanvragen voor bijstand extra gecontroleerd worden.",
    "Sensoren in de stallen die ammoniakuitstoot real-time meten en doorsturen.",
    "Een chatbot op de website die vragen van inwoners over afval beantwoordt.",
]


# --- helpers ------------------------------------------------------------------------------------


def percentile(samples: Sequence[float], p: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def signed_headers(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    sig = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
    assert sig is not None
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sig,
    }


_event_seq = iter(range(1, 10**9))


def dm_event(conversation: int) -> str:
    n = next(_event_seq)
    ts = f"{1700000000 + n}.{n:06d}"
    return json.dumps(
        {
            "token": "unused",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": f"EvBENCH{os.getpid()}x{n:09d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T1", "user_id": "U0BOT", "is_bot": True}],
            "event": {
                "type": "message",
                "channel": f"D{conversation:05d}",
                "user": f"U{conversation:05d}",
                # unique, as people's descriptions are (no cache hit makes the triage free)
                "text": f"{DESCRIPTIONS[n % len(DESCRIPTIONS)]} Project {n}, team {n % 97}.",
                "ts": ts,
                "event_ts": ts,
                "channel_type": "im",
            },
        }
    )


def slack_env(api_url: str, workdir: Path, name: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for var in ("ETHIEKBOT_PORT", "PORT", "SLACK_APP_TOKEN"):
        env.pop(var, None)
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        ETHIEKBOT_DB=str(workdir / f"{name}.db"),
        # The server refuses to start Slack without a pseudonym key (issue 11).
        ETHIEKBOT_SECRET="benchmark-pseudonym-key",
        **ENV_OFF,
    )
    return env


# --- processes ----------------------------------------------------------------------------------


@dataclass
class Proc:
    proc: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_mock(workdir: Path) -> Proc:
    log = workdir / "mock.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.adapters.slack.mock_slack"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=log.open("wb"),
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().decode().strip()
    if not line.startswith("http://"):
        proc.kill()
        raise RuntimeError(f"the mock did not start: {line!r} {log.read_text()}")
    return Proc(proc, line, log)


def start_server(argv: list[str], env: dict[str, str], workdir: Path, name: str) -> Proc:
    port = free_port()
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*argv, "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as r:
                if r.status == 200:
                    return Proc(proc, url, log)
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{name} did not answer /healthz within {START_TIMEOUT_S} s")


def posts_at(mock_url: str) -> int:
    base = mock_url.removesuffix("/api/")
    with urllib.request.urlopen(base + "/_counts", timeout=5) as r:
        return int(json.load(r).get("chat.postMessage", 0))


# --- load ---------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    drained_s: float = float("nan")  # until every reply reached the mock

    @property
    def events(self) -> int:
        return len(self.latencies_ms)

    @property
    def per_s(self) -> float:
        return self.events / self.elapsed_s if self.elapsed_s else 0.0


async def send(session: aiohttp.ClientSession, url: str, body: str, result: Result) -> None:
    start = time.perf_counter()
    try:
        async with session.post(url, data=body, headers=signed_headers(body)) as r:
            await r.read()
            if r.status != 200:
                result.errors.append(f"HTTP {r.status}")
                return
    except (aiohttp.ClientError, TimeoutError) as exc:
        result.errors.append(repr(exc))
        return
    result.latencies_ms.append((time.perf_counter() - start) * 1000.0)


async def load(url: str, name: str, rounds: int, seconds: float) -> Result:
    result = Result(name)
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start = time.perf_counter()
        for _ in range(rounds):
            bodies = [dm_event(i) for i in range(CONCURRENCY)]
            await asyncio.gather(*(send(session, url, b, result) for b in bodies))
            if time.perf_counter() - start >= seconds:
                break
        result.elapsed_s = time.perf_counter() - start
    return result


def measure(server: Proc, mock: Proc, name: str) -> Result:
    url = server.url + "/slack/events"
    asyncio.run(load(url, name, 1, 0.0))  # warm-up: auth.test, first triages, connections
    wait_posts(mock.url, posts_at(mock.url), 10.0)
    before = posts_at(mock.url)
    start = time.perf_counter()
    result = asyncio.run(load(url, name, MAX_ROUNDS, PHASE_SECONDS))
    done = wait_posts(mock.url, before + result.events, DRAIN_TIMEOUT_S)
    if done:
        result.drained_s = time.perf_counter() - start
    return result


def wait_posts(mock_url: str, expected: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    last, still = -1, time.monotonic()
    while time.monotonic() < deadline:
        n = posts_at(mock_url)
        if n >= expected:
            return True
        if n != last:
            last, still = n, time.monotonic()
        elif time.monotonic() - still > 5:
            return False  # no progress: some replies are not coming
        time.sleep(0.05)
    return False


def print_result(r: Result) -> None:
    p50, p99 = percentile(r.latencies_ms, 50), percentile(r.latencies_ms, 99)
    drained = (
        f"{r.events / r.drained_s:.0f} events/s replied"
        if r.drained_s == r.drained_s
        else "not all replies arrived"
    )
    print(
        f"  {r.name:<34} {r.events:>5} events in {r.elapsed_s:5.1f} s = {r.per_s:6.0f} events/s; "
        f"ack p50 {p50:6.1f} ms, p99 {p99:6.1f} ms; {drained}; errors {len(r.errors)}"
    )
    for e in r.errors[:3]:
        print(f"    error: {e[:200]}")


# --- the bare bolt echo app ---------------------------------------------------------------------


def echo_server(port: int) -> None:
    """A bolt app with our settings whose message listener only echoes the text."""
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(
        token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]
    )
    bolt = AsyncApp(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=False,
    )

    @bolt.event("message")
    async def echo(event: dict[str, Any]) -> None:
        await client.chat_postMessage(channel=event["channel"], text=event.get("text") or "")

    async def events(request: web.Request) -> web.Response:
        response = await bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", healthz)
    from bot.server import serve_app

    # Served like `ethiekbot serve` (same event loop), so the ratio compares the apps only.
    serve_app(app, "127.0.0.1", port)


# --- profile ------------------------------------------------------------------------------------


def profile_ours(mock_url: str, workdir: Path, events: int = 300) -> str:
    """cProfile of our Slack app in-process: signed requests through ``async_dispatch`` (the
    acknowledgement) and the listeners that run after it, until every reply is posted."""
    from slack_bolt.request.async_request import AsyncBoltRequest

    from adapters.slack import SlackChannel
    from bot.config import Settings
    from bot.service import ConversationService

    settings = Settings.from_env(slack_env(mock_url, workdir, "profile"))
    service = ConversationService.from_settings(settings)
    channel = SlackChannel(settings, service)

    async def run() -> None:
        bodies = [dm_event(i % CONCURRENCY) for i in range(events)]
        requests = []
        for b in bodies:
            headers: dict[str, str | Sequence[str]] = {**signed_headers(b)}
            requests.append(AsyncBoltRequest(body=b, headers=headers))
        async with aiohttp.ClientSession() as session:  # as mount() sets it up in the server
            channel.client.session = session
            await channel.app.async_dispatch(requests[0])  # auth.test
            before = posts_at(mock_url)
            await asyncio.gather(*(channel.app.async_dispatch(r) for r in requests[1:]))
            deadline = time.monotonic() + DRAIN_TIMEOUT_S
            while posts_at(mock_url) < before + events - 1 and time.monotonic() < deadline:
                await asyncio.sleep(0.05)

    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(run())
    profiler.disable()
    service.store.close()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    # Where one event's time on the server's event loop goes (cumulative, per event).
    parts = [
        ("bolt async_dispatch: the ack path", "slack_bolt/app/async_app.py", "async_dispatch"),
        ("  dedupe by event_id (SQLite insert)", "adapters/slack.py", "_dedupe"),
        ("ConversationService.handle", "bot/service.py", "handle"),
        ("  the triage", "knowledge/triage.py", "triage"),
        ("  save_state (sqlite-utils upsert)", "bot/storage.py", "save_state"),
        ("blocks_for (Block Kit models)", "adapters/slack.py", "blocks_for"),
        (
            "slack_sdk to_dict/validation of blocks",
            "slack_sdk/web/internal_utils.py",
            "_parse_web_class_objects",
        ),
        (
            "Web API HTTP client (aiohttp)",
            "slack_sdk/web/async_internal_utils.py",
            "_request_with_session",
        ),
    ]
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    print(f"  per event, in-process, {events} events (cProfile inflates the figures):", file=out)
    for label, path, func in parts:
        cum = sum(v[3] for (f, _, fn), v in raw.items() if f.endswith(path) and fn == func)
        print(f"    {label:<44}{cum / events * 1000:7.2f} ms", file=out)
    print(file=out)
    stats.sort_stats("tottime").print_stats(15)
    return out.getvalue()


# --- main ---------------------------------------------------------------------------------------


def main() -> int:
    print(f"Ethiekbot Slack benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(
        f"Load: rounds of {CONCURRENCY} concurrent signed DM message events, up to {MAX_ROUNDS} "
        f"rounds or {PHASE_SECONDS:.0f} s per server"
    )
    with tempfile.TemporaryDirectory(prefix="ethiekbot-slack-bench-") as tmp:
        workdir = Path(tmp)
        mock = start_mock(workdir)
        try:
            print(f"  mock Slack Web API: pid {mock.proc.pid} at {mock.url}")
            env = slack_env(mock.url, workdir, "ours")
            ours_cmd = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1"]
            ours_proc = start_server(ours_cmd, env, workdir, "ours")
            try:
                ours = measure(ours_proc, mock, "ours (python -m bot serve)")
            finally:
                ours_proc.stop()
            echo_cmd = [sys.executable, str(Path(__file__).resolve()), "--echo-server"]
            echo_proc = start_server(
                echo_cmd, slack_env(mock.url, workdir, "echo"), workdir, "echo"
            )
            try:
                echo = measure(echo_proc, mock, "bare bolt echo app")
            finally:
                echo_proc.stop()

            print()
            print_result(ours)
            print_result(echo)
            p99 = percentile(ours.latencies_ms, 99)
            ratio = ours.per_s / echo.per_s if echo.per_s else 0.0
            ok_p99 = p99 < AIM_P99_MS and not ours.errors
            ok_ratio = ratio >= AIM_RATIO and not ours.errors
            print("\nSummary")
            print(f"  {'measure':<44}{'figure':>12}  {'aim':<10}result")
            print(
                f"  {'ack latency p99 (ours)':<44}{p99:>9.1f} ms  {'< 100 ms':<10}{verdict(ok_p99)}"
            )
            print(
                f"  {'events/s ours / echo':<44}{ratio:>12.2f}  {'>= 0.8':<10}{verdict(ok_ratio)}"
            )
            if not (ok_p99 and ok_ratio):
                print(
                    "\nAn aim was missed: cProfile of our Slack app, in-process (top by own time)"
                )
                print(profile_ours(mock.url, workdir))
        finally:
            mock.stop()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--echo-server", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.echo_server:
        echo_server(args.port)
        raise SystemExit(0)
    raise SystemExit(main())
