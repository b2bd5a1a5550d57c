"""Teams channel throughput: POST /api/messages under 100 concurrent conversations.

Two servers are measured in the same run, each in a subprocess on 127.0.0.1 with
authentication off, both answering through a mock Bot Framework connector in this process:

* ours: ``python -m bot serve --port N`` with ``ETHIEKBOT_DB`` in a temporary directory;
* a bare botbuilder echo bot: an ``ActivityHandler`` that echoes the text through a
  ``CloudAdapter``, mounted on aiohttp the same way (``python benchmarks/teams_bench.py
  --echo-server PORT``).

Each of the 100 conversations posts its next activity as soon as the previous one was answered
(ours: description → "Alleen het advies" → "opnieuw" → ...; the echo bot gets the same texts).
Bounded by count and time. Prints activities/s and latency percentiles for both, the ratio,
PASS/MISS against the aims (p99 < 100 ms, ratio >= 0.8) and, on a miss, where a turn's time
goes (an in-process profile of our turns). Always exits 0.

    .venv/bin/python benchmarks/teams_bench.py [--conversations 100] [--requests 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import os
import pstats
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from aiohttp import ClientSession, ClientTimeout, TCPConnector, web

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.throttle import ENV_OFF  # noqa: E402

AIM_P99_MS = 100.0
AIM_RATIO = 0.8
QUESTION = "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?"
SCRIPT = [QUESTION, "Alleen het advies", "opnieuw"]


# --- the echo bot (run in a subprocess) ---------------------------------------------------------


def run_echo_server(port: int) -> None:
    from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
    from botbuilder.integration.aiohttp import (
        CloudAdapter,
        ConfigurationBotFrameworkAuthentication,
    )

    class Echo(ActivityHandler):  # type: ignore[misc]
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            text = turn_context.activity.text or ""
            await turn_context.send_activity(MessageFactory.text(f"Echo: {text}"))

    config = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID=None)
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
    bot = Echo()

    async def messages(request: web.Request) -> web.Response:
        response = await adapter.process(request, bot)
        return response or web.Response(status=201)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    from bot.server import serve_app

    # Served like `ethiekbot serve` (same event loop), so the ratio compares the apps only.
    serve_app(app, "127.0.0.1", port)


# --- the mock connector -------------------------------------------------------------------------


@dataclass
class Connector:
    received: int = 0
    runner: web.AppRunner | None = None
    port: int = 0

    async def start(self) -> None:
        async def activity(request: web.Request) -> web.Response:
            await request.read()
            self.received += 1
            return web.json_response({"id": f"r{self.received}"})

        app = web.Application()
        app.router.add_post("/v3/conversations/{cid}/activities", activity)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", activity)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        self.port = int(self.runner.addresses[0][1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


# --- servers under test -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], port: int) -> None:
        self.name = name
        self.port = port
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            argv,
            env=env,
            cwd=REPO,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    async def wait_ready(self, session: ClientSession, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            with contextlib.suppress(OSError, asyncio.TimeoutError):
                async with session.get(f"http://127.0.0.1:{self.port}/healthz") as r:
                    if r.status == 200:
                        return
            await asyncio.sleep(0.1)
        self.log.seek(0)
        raise RuntimeError(f"{self.name} did not start:\n{self.log.read().decode()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)
        self.log.close()


# --- load ---------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    replies: int = 0

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, round(p / 100 * (len(data) - 1)))]

    def line(self) -> str:
        return (
            f"{self.name:<9} {self.count:>6} activities in {self.seconds:6.2f} s = "
            f"{self.rate:8.1f} activities/s; latency p50 {self.pct(50):7.1f} ms, "
            f"p95 {self.pct(95):7.1f} ms, p99 {self.pct(99):7.1f} ms, "
            f"max {max(self.latencies_ms, default=float('nan')):7.1f} ms; "
            f"{self.errors} errors; {self.replies} replies delivered"
        )


def activity(service_url: str, conv: int, seq: int, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": f"c{conv}-{seq}",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": f"29:user-{conv}", "aadObjectId": f"aad-{conv}"},
        "recipient": {"id": "28:bot", "name": "Ethiekbot"},
        "conversation": {
            "id": f"a:bench-{conv}",
            "conversationType": "personal",
            "tenantId": "bench",
        },
        "channelData": {"tenant": {"id": "bench"}},
        "locale": "nl-NL",
        "text": text,
    }


async def load(
    name: str,
    url: str,
    connector: Connector,
    session: ClientSession,
    conversations: int,
    total: int,
    seconds: float,
    run_id: str,
) -> Result:
    result = Result(name)
    issued = 0
    deadline = time.monotonic() + seconds
    before = connector.received

    async def user(conv: int) -> None:
        nonlocal issued
        seq = 0
        while issued < total and time.monotonic() < deadline:
            issued += 1
            text = SCRIPT[seq % len(SCRIPT)]
            body = json.dumps(activity(connector.url, conv, seq, text)).encode()
            seq += 1
            start = time.perf_counter()
            try:
                async with session.post(
                    url, data=body, headers={"Content-Type": "application/json"}
                ) as resp:
                    await resp.read()
                    ok = 200 <= resp.status < 300
            except (TimeoutError, OSError):
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            if ok:
                result.latencies_ms.append(elapsed)
            else:
                result.errors += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(user(int(f"{run_id}{i:03d}")) for i in range(conversations)))
    result.seconds = time.perf_counter() - t0
    result.replies = connector.received - before
    return result


async def measure(
    server: Server, connector: Connector, args: argparse.Namespace, run_id: str
) -> Result:
    timeout = ClientTimeout(total=60)
    async with ClientSession(connector=TCPConnector(limit=0), timeout=timeout) as session:
        await server.wait_ready(session)
        # Warm-up: imports, first triage, SQLite pages.
        await load("warm-up", server.url, connector, session, 10, 60, 30, run_id + "9")
        return await load(
            server.name,
            server.url,
            connector,
            session,
            args.conversations,
            args.requests,
            args.seconds,
            run_id,
        )


# --- where the time goes (on a miss) ------------------------------------------------------------


async def profile_turns(connector: Connector, turns: int = 300) -> str:
    """Our app in this process, sequential turns: split of a turn's time and the top functions."""
    from aiohttp import ClientSession

    from bot.config import Settings
    from bot.server import create_app
    from bot.service import ConversationService

    tmp = tempfile.TemporaryDirectory()
    settings = Settings(db_path=Path(tmp.name) / "profile.db", teams_local=True)
    service = ConversationService.from_settings(settings)
    spent: dict[str, float] = {"service.handle (engine + SQLite)": 0.0}
    profiler = cProfile.Profile()
    handle = service.handle

    def timed_handle(*a: Any, **kw: Any) -> Any:
        start = time.perf_counter()
        profiler.enable()  # the worker thread's share
        try:
            return handle(*a, **kw)
        finally:
            profiler.disable()
            spent["service.handle (engine + SQLite)"] += time.perf_counter() - start

    service.handle = timed_handle  # type: ignore[method-assign]
    runner = web.AppRunner(create_app(settings, service), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"
    loop_profiler = cProfile.Profile()
    try:
        async with ClientSession() as session:
            for i in range(30):  # warm-up
                body = json.dumps(activity(connector.url, 7000 + i % 3, i, SCRIPT[i % 3]))
                async with session.post(
                    url, data=body, headers={"Content-Type": "application/json"}
                ) as r:
                    await r.read()
            spent["service.handle (engine + SQLite)"] = 0.0
            profiler = cProfile.Profile()
            t0 = time.perf_counter()
            loop_profiler.enable()
            for i in range(turns):
                body = json.dumps(activity(connector.url, 8000 + i % 10, i, SCRIPT[(i // 10) % 3]))
                async with session.post(
                    url, data=body, headers={"Content-Type": "application/json"}
                ) as r:
                    await r.read()
            loop_profiler.disable()
            total = time.perf_counter() - t0
    finally:
        await runner.cleanup()
        service.close()
        tmp.cleanup()
    out = io.StringIO()
    per = total / turns * 1000
    engine = spent["service.handle (engine + SQLite)"] / turns * 1000
    out.write(
        f"profile: {turns} sequential turns of our app in-process: {per:.2f} ms per turn "
        f"(client and mock connector included); service.handle {engine:.2f} ms, the rest "
        f"(HTTP, botbuilder, cards, connector calls) {per - engine:.2f} ms\n"
    )
    for title, prof in (("event loop thread", loop_profiler), ("service.handle", profiler)):
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(14)
        lines = [ln for ln in s.getvalue().splitlines() if ln.strip()]
        start = next((i for i, ln in enumerate(lines) if "ncalls" in ln), 0)
        out.write(f"top cumulative, {title}:\n" + "\n".join(lines[start : start + 15]) + "\n")
    return out.getvalue()


# --- main ---------------------------------------------------------------------------------------


async def main_async(args: argparse.Namespace) -> None:
    connector = Connector()
    await connector.start()
    python = sys.executable
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROSOFT_", "SLACK_"))}
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="teams-bench-") as tmp:
        runs: list[tuple[str, Callable[[int], list[str]], dict[str, str]]] = [
            (
                "ethiekbot",
                lambda port: [
                    python,
                    "-m",
                    "bot",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                {
                    **base_env,
                    "ETHIEKBOT_DB": str(Path(tmp) / "ethiekbot.db"),
                    "ETHIEKBOT_TEAMS_LOCAL": "1",
                    **ENV_OFF,
                },
            ),
            (
                "echo",
                lambda port: [python, str(Path(__file__).resolve()), "--echo-server", str(port)],
                base_env,
            ),
        ]
        for i, (name, argv, env) in enumerate(runs):
            port = _free_port()
            server = Server(name, argv(port), env, port)
            try:
                results.append(await measure(server, connector, args, str(i + 1)))
            finally:
                server.stop()
    ours, echo = results
    ratio = ours.rate / echo.rate if echo.rate else float("nan")
    p99_ok = ours.pct(99) < AIM_P99_MS and ours.errors == 0
    ratio_ok = ratio >= AIM_RATIO
    print(
        f"teams bench: {args.conversations} concurrent conversations, up to {args.requests} "
        f"activities or {args.seconds:.0f} s per server, auth off, loopback, mock connector"
    )
    for r in results:
        print("  " + r.line())
    print(
        f"  p99 {ours.pct(99):.1f} ms (aim < {AIM_P99_MS:.0f} ms): {'PASS' if p99_ok else 'MISS'}"
    )
    print(
        f"  throughput ratio ethiekbot/echo {ratio:.2f} (aim >= {AIM_RATIO}): "
        f"{'PASS' if ratio_ok else 'MISS'}"
    )
    if not (p99_ok and ratio_ok) and not args.no_profile:
        print(await profile_turns(connector))
    assert connector.runner is not None
    await connector.runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--requests", type=int, default=3000, help="activities per server")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per server")
    parser.add_argument("--no-profile", action="store_true", help="skip the profile on a miss")
    parser.add_argument("--echo-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.echo_server:
        run_echo_server(args.echo_server)
        return 0
    try:
        asyncio.run(main_async(args))
    except Exception as exc:  # a benchmark reports, it does not fail the build
        print(f"teams bench: could not run: {exc!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
