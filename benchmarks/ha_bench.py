"""Several instances on PostgreSQL: what they cost and what they gain, next to SQLite.

Run from the repository root::

    .venv/bin/python benchmarks/ha_bench.py            # about 10 s of load per phase
    .venv/bin/python benchmarks/ha_bench.py --quick    # a short smoke run
    .venv/bin/python benchmarks/ha_bench.py --seconds 20

Everything runs on loopback: a throwaway PostgreSQL cluster (``tests/postgres.py``, fsync off,
a fresh database per set-up), real ``python -m bot serve`` processes with the rate limits off
(``bot.throttle.ENV_OFF``), and the load generator in this process. Every set-up is started
fresh and stopped before the next; everything is stopped at the end, also on an error or ^C.

1. **The web chat's capacity**, measured as ``benchmarks/dialog_bench.py`` measures its capacity
   figure: a closed loop of 200 simulated users without think time (``web_user``: a session,
   then the 15-turn scripted conversation, again and again), so the servers are saturated;
   turns/s answered within the phase and the turn latency (p50, p99). Three set-ups:

   a. one instance on SQLite (a file in a temporary folder);
   b. one instance on PostgreSQL;
   c. two instances on one PostgreSQL database. Each user's successive requests go to the
      instances in turn (a round-robin load balancer without sticky sessions), so every turn
      reads the state the other instance committed.

   Aims: b/a >= 0.7 (PostgreSQL costs at most 30 % of SQLite's capacity) and c/b >= 1.0 (a
   second instance does not lower the capacity).
2. **Slack replies delivered per second.** A mock Slack Web API (``tests/adapters/slack/
   mock_slack.py``) counts ``chat.postMessage``; correctly signed DM message events (as
   ``benchmarks/slack_bench.py`` makes them: rounds of 100 concurrent events, 100 conversations)
   go to the bare bolt echo app (``slack_bench.py --echo-server``, one post per event), to one
   instance of ours on SQLite, and to two instances of ours on PostgreSQL (each conversation's
   successive events alternate between them). A warm-up round says how many posts one event
   produces for the app; after each round the sender waits until no more than 200 events are
   unreplied (a bounded backlog, so the figure is a sustained rate, not an acknowledgement rate).
   Measured from the first event sent until the last expected post reached the mock: posts/s
   and events fully replied/s. Aim: ours/echo >= 0.8 in events replied per second.
3. **Where the time goes.** Around every measured phase: the CPU seconds of each server
   process and of the mock (``/proc/<pid>/stat`` utime+stime), of PostgreSQL (the postmaster
   with its reaped children, plus its live backends), of this process (the load generator), and
   of the whole machine (``/proc/stat``), as shares of the cores. For Slack also the CPU each
   app (with its database) spends per event replied: the apps are CPU-bound, so that figure
   says what more cores, or a second machine, could give them.

The servers' logs (and PostgreSQL's) are searched for ERROR lines and tracebacks afterwards.
It reports; it does not gate: the exit code is 0 whatever the figures, 2 when a set-up cannot be
started (PostgreSQL's binaries missing, a server that does not come up).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import psycopg  # noqa: E402

from benchmarks.dialog_bench import (  # noqa: E402
    REQUEST_TIMEOUT_S,
    LoadResult,
    percentiles,
    print_phase,
    verdict,
    web_user,
)
from benchmarks.slack_bench import (  # noqa: E402
    CONCURRENCY,
    MAX_ROUNDS,
    Proc,
    Result,
    dm_event,
    posts_at,
    send,
    slack_env,
    start_mock,
    start_server,
)
from bot.throttle import ENV_OFF  # noqa: E402
from tests.postgres import Cluster  # noqa: E402

USERS = 200  # as dialog_bench's capacity phase
PHASE_SECONDS = 10.0
WARMUP_SECONDS = 3.0
BACKLOG = 2 * CONCURRENCY  # Slack: events sent but not yet replied, at most, before a new round
DRAIN_TIMEOUT_S = 120.0
STALL_S = 5.0  # no new post for this long: the missing replies are not coming
QUIET_S = 1.0  # after the expected posts: how long to watch for more
SERVE = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1"]
ECHO = [sys.executable, str(ROOT / "benchmarks" / "slack_bench.py"), "--echo-server"]
TICK = os.sysconf("SC_CLK_TCK")
SECRET = "ha-bench-pseudonym-key-0123456789"
# How the CPU table names the apps' processes (the per-event figures add up these rows).
INSTANCE = "instance"
ECHO_APP = "echo app"

AIM_PG_VS_SQLITE = 0.7
AIM_TWO_VS_ONE = 1.0
AIM_SLACK_VS_ECHO = 0.8


class SetupError(Exception):
    """Something the benchmark needs could not be started."""


@dataclass(frozen=True)
class Config:
    seconds: float
    users: int
    warmup_s: float
    slack_rounds: int
    web_only: bool = False
    slack_only: bool = False


# --- processes ----------------------------------------------------------------------------------


def start_cluster(stack: ExitStack) -> Cluster:
    """A throwaway PostgreSQL cluster, stopped when ``stack`` closes."""
    cluster = Cluster()
    stack.callback(stop_cluster, cluster)
    try:
        return cluster.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        raise SetupError(
            f"PostgreSQL did not start: {exc} {detail.decode(errors='replace')}"
        ) from None


def stop_cluster(cluster: Cluster) -> None:
    if (cluster.data / "postmaster.pid").exists():
        cluster.started = True  # also when ^C came between pg_ctl start and its return
    cluster.stop()


def new_database(cluster: Cluster, name: str) -> str:
    """A fresh database on the cluster; its URL."""
    with psycopg.connect(cluster.url, autocommit=True) as conn:
        conn.execute(f"create database {name}")
    return cluster.url.rsplit("/", 1)[0] + "/" + name


def base_env(database: str | Path) -> dict[str, str]:
    """The server's environment: rate limits off; SQLite file or PostgreSQL URL; no Slack."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", **ENV_OFF)
    for var in ("ETHIEKBOT_PORT", "PORT"):
        env.pop(var, None)
    for var in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "MICROSOFT_APP_ID"):
        env.pop(var, None)
    return with_database(env, database)


def with_database(env: dict[str, str], database: str | Path) -> dict[str, str]:
    """``env`` on the SQLite file or the PostgreSQL URL (the URL wins when both are set)."""
    env = {k: v for k, v in env.items() if k not in ("ETHIEKBOT_DB", "ETHIEKBOT_DATABASE_URL")}
    if isinstance(database, Path):
        return {**env, "ETHIEKBOT_DB": str(database)}
    return {**env, "ETHIEKBOT_DATABASE_URL": database}


def start_instances(
    stack: ExitStack, argv: list[str], env: dict[str, str], workdir: Path, name: str, count: int
) -> list[Proc]:
    """``count`` servers, one after the other (the first migrates the database)."""
    procs: list[Proc] = []
    for i in range(1, count + 1):
        label = f"{name}-{i}" if count > 1 else name
        try:
            proc = start_server(argv, env, workdir, label)
        except RuntimeError as exc:
            raise SetupError(str(exc)[-2000:]) from None
        stack.callback(proc.stop)
        procs.append(proc)
    return procs


def log_problems(log: Path, offset: int = 0) -> list[str]:
    """ERROR/CRITICAL/FATAL/PANIC lines and tracebacks in a log, from ``offset`` bytes on."""
    if not log.exists():
        return []
    with log.open("rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
    marks = (" ERROR ", " CRITICAL ", "Traceback", "ERROR:", "FATAL:", "PANIC:")
    return [line for line in text.splitlines() if any(m in line for m in marks)]


def print_problems(what: str, problems: list[str]) -> bool:
    """Print what a log had; True when it had nothing."""
    if not problems:
        print(f"    {what}: no ERROR lines or tracebacks")
        return True
    print(f"    {what}: {len(problems)} ERROR lines/tracebacks, the first:")
    for line in problems[:5]:
        print(f"      {line[:240]}")
    return False


def instance_pids(procs: list[Proc]) -> dict[str, int]:
    return {f"{INSTANCE} {i} (pid {p.proc.pid})": p.proc.pid for i, p in enumerate(procs, 1)}


def mock_pids(mock: Proc) -> dict[str, int]:
    return {f"mock Slack API (pid {mock.proc.pid})": mock.proc.pid}


# --- CPU accounting -----------------------------------------------------------------------------


def stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name: [state, ppid, ...] (fields 3 onwards)."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def own_ticks(pid: int) -> int:
    """utime + stime of a process (all its threads)."""
    fields = stat_fields(pid)
    return int(fields[11]) + int(fields[12])


def postgres_ticks(cluster: Cluster) -> int:
    """The whole cluster: the postmaster, the children it reaped (cutime + cstime: backends of
    connections already closed) and the children still running."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    fields = stat_fields(postmaster)
    total = sum(int(x) for x in fields[11:15])
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            child = stat_fields(int(entry.name))
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(child[1]) == postmaster:
            total += int(child[11]) + int(child[12])
    return total


def machine_ticks() -> tuple[int, int]:
    """(busy, all) ticks of every core together since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(x) for x in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


@dataclass
class CpuSample:
    wall: float
    own: float  # this process: the load generator
    ticks: dict[str, int]
    machine: tuple[int, int]


POSTGRES_ROW = "PostgreSQL (all processes)"
SERVER_PROCESSES = (INSTANCE, ECHO_APP)  # how the names Meter is given for the apps begin


@dataclass
class Meter:
    """Named processes (and the cluster) whose CPU time is sampled around a phase."""

    pids: dict[str, int]
    cluster: Cluster | None = None

    def sample(self) -> CpuSample:
        ticks = {name: own_ticks(pid) for name, pid in self.pids.items()}
        if self.cluster is not None:
            ticks[POSTGRES_ROW] = postgres_ticks(self.cluster)
        return CpuSample(time.perf_counter(), time.process_time(), ticks, machine_ticks())


def print_cpu(before: CpuSample, after: CpuSample) -> None:
    wall = after.wall - before.wall
    cores = os.cpu_count() or 1
    rows = [("load generator (this process)", after.own - before.own)]
    rows += [(n, (after.ticks[n] - before.ticks[n]) / TICK) for n in after.ticks]
    busy = (after.machine[0] - before.machine[0]) / TICK
    every = (after.machine[1] - before.machine[1]) / TICK
    print(f"    where the time goes: CPU seconds over {wall:.1f} s ({cores} cores):")
    for name, seconds in rows:
        print(f"      {name:<34}{seconds:6.1f} s  {seconds / wall:5.0%} of a core")
    rest = busy - sum(s for _, s in rows)
    print(
        f"      {'anything else (other processes)':<34}{rest:6.1f} s  {rest / wall:5.0%} of a core"
    )
    print(f"      {'idle':<34}{every - busy:6.1f} s  ({busy / every:.0%} of the machine busy)")


# --- 1. the web chat ----------------------------------------------------------------------------


class RoundRobin:
    """Stands in for one simulated user's ``aiohttp.ClientSession``: every request goes to the
    next instance in turn, as through a load balancer without sticky sessions."""

    def __init__(self, session: aiohttp.ClientSession, bases: list[str], first: int) -> None:
        self._session = session
        self._bases = bases
        self._next = first % len(bases)

    def post(self, path: str, **kwargs: Any) -> AbstractAsyncContextManager[aiohttp.ClientResponse]:
        base = self._bases[self._next]
        self._next = (self._next + 1) % len(self._bases)
        return self._session.post(base + path, **kwargs)


async def balanced_phase(bases: list[str], users: int, seconds: float) -> LoadResult:
    """dialog_bench's ``load_phase`` without think time, each user's requests in turn to
    ``bases`` (``web_user`` is handed a :class:`RoundRobin` and an empty URL)."""
    result = LoadResult(seconds=seconds)
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        cpu0, start = time.process_time(), time.perf_counter()
        deadline = start + seconds
        tasks = [
            web_user(
                cast(aiohttp.ClientSession, RoundRobin(session, bases, u)),
                "",
                u,
                0.0,
                deadline,
                result,
            )
            for u in range(users)
        ]
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        result.elapsed_s = time.perf_counter() - start
        result.client_cpu_s = time.process_time() - cpu0
    result.errors += [repr(o) for o in outcomes if isinstance(o, BaseException)]
    return result


@dataclass(frozen=True)
class Setup:
    key: str
    name: str
    instances: int
    postgres: bool


WEB_SETUPS = [
    Setup("a", "1 instance, SQLite", 1, False),
    Setup("b", "1 instance, PostgreSQL", 1, True),
    Setup("c", "2 instances, one PostgreSQL db, round robin", 2, True),
]


@dataclass
class Outcome:
    """What a set-up ended with: its figure and whether anything was logged as an error."""

    figure: float
    clean: bool
    extra: dict[str, float] = field(default_factory=dict)


def database_for(setup_key: str, postgres: bool, cluster: Cluster, workdir: Path) -> str | Path:
    return new_database(cluster, f"bench_{setup_key}") if postgres else workdir / f"{setup_key}.db"


def web_setup(setup: Setup, cluster: Cluster, workdir: Path, config: Config) -> Outcome:
    print(f"\n  {setup.key}. {setup.name}")
    database = database_for(f"web_{setup.key}", setup.postgres, cluster, workdir)
    pg_log = cluster.root / "log"
    pg_offset = pg_log.stat().st_size if pg_log.exists() else 0
    with ExitStack() as stack:
        env = base_env(database)
        procs = start_instances(stack, SERVE, env, workdir, f"web-{setup.key}", setup.instances)
        bases = [p.url for p in procs]
        meter = Meter(instance_pids(procs), cluster if setup.postgres else None)
        asyncio.run(balanced_phase(bases, 5, config.warmup_s))  # first triages, connections
        before = meter.sample()
        result = asyncio.run(balanced_phase(bases, config.users, config.seconds))
        after = meter.sample()
    print_phase(f"{config.users} users, no think time", result)
    print_cpu(before, after)
    problems = [line for p in procs for line in log_problems(p.log)]
    print_problems("server logs", problems)
    pg_problems = log_problems(pg_log, pg_offset) if setup.postgres else []
    if setup.postgres:
        print_problems("PostgreSQL log", pg_problems)
    p50, _, p99 = percentiles(result.latencies_ms)
    clean = not (problems or pg_problems or result.errors)
    return Outcome(result.turns_per_s, clean, {"p50": p50, "p99": p99})


# --- 2. Slack -----------------------------------------------------------------------------------


@dataclass
class Delivery:
    """One Slack set-up: events sent, posts that reached the mock, and when."""

    name: str
    per_event: int  # posts one event produces (from the warm-up round)
    acks: Result
    posts: int = 0  # by the time the expected ones had arrived (or the drain gave up)
    posts_after: int = 0  # after a quiet moment: posts per event in the measured phase
    seconds: float = float("nan")  # first event sent .. last expected post at the mock
    complete: bool = False
    clean: bool = True  # no errors in the acknowledgements or the logs
    server_cpu_s: float = float("nan")  # the app's processes, over the measured phase
    database_cpu_s: float = 0.0  # PostgreSQL's, when the app uses it

    @property
    def cpu_ms_per_event(self) -> float:
        """CPU of the app and its database per event replied, in ms."""
        return (self.server_cpu_s + self.database_cpu_s) * 1000.0 / max(self.replied, 1)

    @property
    def posts_per_s(self) -> float:
        return self.posts / self.seconds

    @property
    def replied(self) -> int:
        return self.acks.events if self.complete else self.posts // self.per_event

    @property
    def replied_per_s(self) -> float:
        return self.replied / self.seconds


def wait_for_posts(mock_url: str, expected: int, timeout: float) -> tuple[int, float, bool]:
    """Poll the mock until ``expected`` posts: (posts, when the last one came, all came)."""
    deadline = time.monotonic() + timeout
    last, changed = posts_at(mock_url), time.perf_counter()
    while last < expected and time.monotonic() < deadline:
        if time.perf_counter() - changed > STALL_S:
            break
        time.sleep(0.02)
        n = posts_at(mock_url)
        if n != last:
            last, changed = n, time.perf_counter()
    return last, changed, last >= expected


def settle(mock_url: str) -> int:
    """The mock's posts once no new one has come for ``QUIET_S``."""
    last, changed = posts_at(mock_url), time.monotonic()
    deadline = changed + DRAIN_TIMEOUT_S
    while time.monotonic() - changed < QUIET_S and time.monotonic() < deadline:
        time.sleep(0.05)
        n = posts_at(mock_url)
        if n != last:
            last, changed = n, time.monotonic()
    return last


async def slack_rounds(
    urls: list[str],
    rounds: int,
    seconds: float,
    wait_below: Callable[[int], None],
    result: Result,
    first: int = 0,
) -> None:
    """Rounds of ``CONCURRENCY`` signed DM events (one per conversation); a conversation's
    successive events go to the instances in turn (round ``first`` on). After a round,
    ``wait_below(events sent)``."""
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start = time.perf_counter()
        for r in range(rounds):
            sends = [
                send(
                    session,
                    urls[(i + r + first) % len(urls)] + "/slack/events",
                    dm_event(i),
                    result,
                )
                for i in range(CONCURRENCY)
            ]
            await asyncio.gather(*sends)
            if time.perf_counter() - start >= seconds:
                break
            await asyncio.to_thread(wait_below, (r + 1) * CONCURRENCY)
        result.elapsed_s = time.perf_counter() - start


def slack_setup(
    name: str, procs: list[Proc], mock: Proc, meter: Meter, config: Config, per_event: int | None
) -> Delivery:
    """Warm up (and learn the posts per event unless given), then the measured rounds."""
    urls = [p.url for p in procs]
    before = posts_at(mock.url)
    warm = Result(name)
    asyncio.run(slack_rounds(urls, 1, 0.0, lambda _: None, warm))
    warm_posts = settle(mock.url) - before
    measured = round(warm_posts / warm.events) if warm.events else 0
    print(f"    warm-up: {warm.events} events, {warm_posts} posts: {measured} per event")
    delivery = Delivery(name, per_event or max(1, measured), Result(name))
    base = posts_at(mock.url)

    def wait_below(sent: int) -> None:  # at most BACKLOG events unreplied
        goal = base + (sent - BACKLOG) * delivery.per_event
        if goal > base:
            wait_for_posts(mock.url, goal, DRAIN_TIMEOUT_S)

    cpu0 = meter.sample()
    start = time.perf_counter()
    rounds = slack_rounds(urls, config.slack_rounds, config.seconds, wait_below, delivery.acks, 1)
    asyncio.run(rounds)
    expected = base + delivery.acks.events * delivery.per_event
    posts, last, delivery.complete = wait_for_posts(mock.url, expected, DRAIN_TIMEOUT_S)
    cpu1 = meter.sample()
    delivery.posts, delivery.seconds = posts - base, last - start
    delivery.posts_after = settle(mock.url) - base
    delivery.clean = not delivery.acks.errors
    spent = {n: (cpu1.ticks[n] - cpu0.ticks[n]) / TICK for n in cpu1.ticks}
    delivery.server_cpu_s = sum(v for n, v in spent.items() if n.startswith(SERVER_PROCESSES))
    if not any(n.startswith(SERVER_PROCESSES) for n in spent):
        raise SetupError("no app process among the measured ones (see SERVER_PROCESSES)")
    delivery.database_cpu_s = spent.get(POSTGRES_ROW, 0.0)
    print_delivery(delivery)
    print_cpu(cpu0, cpu1)
    return delivery


def print_delivery(d: Delivery) -> None:
    a = d.acks
    p50, _, p99 = percentiles(a.latencies_ms)
    per_event = d.posts_after / a.events if a.events else float("nan")
    print(
        f"    {a.events} events sent in {a.elapsed_s:.1f} s (ack p50 {p50:.1f} ms, p99 "
        f"{p99:.1f} ms, errors {len(a.errors)}); {d.posts} posts in {d.seconds:.1f} s = "
        f"{d.posts_per_s:.0f} posts/s, {d.replied_per_s:.0f} events replied/s"
    )
    state = "every event fully replied" if d.complete else "NOT every event was replied to"
    print(f"    {state}; posts per event in the phase {per_event:.2f} (expected {d.per_event})")
    for e in a.errors[:3]:
        print(f"    error: {e[:200]}")


def slack_echo(mock: Proc, workdir: Path, config: Config) -> Delivery:
    print("\n  bare bolt echo app")
    with ExitStack() as stack:
        env = slack_env(mock.url, workdir, "echo")
        procs = start_instances(stack, ECHO, env, workdir, "slack-echo", 1)
        pids = {f"{ECHO_APP} (pid {procs[0].proc.pid})": procs[0].proc.pid, **mock_pids(mock)}
        echo = slack_setup("bare bolt echo app", procs, mock, Meter(pids), config, per_event=1)
    echo.clean = print_problems("echo app log", log_problems(procs[0].log)) and echo.clean
    return echo


def slack_ours(
    key: str,
    count: int,
    postgres: bool,
    mock: Proc,
    cluster: Cluster,
    workdir: Path,
    config: Config,
) -> Delivery:
    where = "PostgreSQL, events alternating" if postgres else "SQLite"
    print(f"\n  ours, {count} instance{'s' if count > 1 else ''}, {where}")
    database = database_for(f"slack_{key}", postgres, cluster, workdir)
    pg_log = cluster.root / "log"
    pg_offset = pg_log.stat().st_size if pg_log.exists() else 0
    with ExitStack() as stack:
        # `bot serve` refuses Slack without a pseudonym key (slack_bench's slack_env sets none).
        env = with_database(slack_env(mock.url, workdir, "unused"), database)
        env["ETHIEKBOT_SECRET"] = SECRET
        procs = start_instances(stack, SERVE, env, workdir, f"slack-{key}", count)
        meter = Meter({**instance_pids(procs), **mock_pids(mock)}, cluster if postgres else None)
        name = f"ours, {count} on {'PostgreSQL' if postgres else 'SQLite'}"
        ours = slack_setup(name, procs, mock, meter, config, per_event=None)
    clean = print_problems("server logs", [x for p in procs for x in log_problems(p.log)])
    if postgres:
        clean = print_problems("PostgreSQL log", log_problems(pg_log, pg_offset)) and clean
    ours.clean = clean and ours.clean
    return ours


def slack_part(cluster: Cluster, workdir: Path, config: Config) -> list[Delivery]:
    """The echo app, ours on SQLite, two of ours on PostgreSQL: one mock for all three."""
    with ExitStack() as stack:
        mock = start_mock(workdir)
        stack.callback(mock.stop)
        print(f"  mock Slack Web API at {mock.url}")
        return [
            slack_echo(mock, workdir, config),
            slack_ours("sqlite", 1, False, mock, cluster, workdir, config),
            slack_ours("pg", 2, True, mock, cluster, workdir, config),
        ]


# --- main ---------------------------------------------------------------------------------------


def print_summary(web: dict[str, Outcome], slack: list[Delivery]) -> None:
    echo, ours = (slack[0], slack[1:]) if slack else (None, [])
    print("\nSummary")
    print(f"  {'measure':<62}{'figure':>10}  {'aim':<8}result")
    rows: list[tuple[str, float, float]] = []
    if web:
        for s in WEB_SETUPS:
            o = web[s.key]
            figure = f"{o.figure:.0f}/s"
            note = f"p50 {o.extra['p50']:.0f} ms, p99 {o.extra['p99']:.0f} ms"
            print(f"  {f'web turns/s, {s.key}. {s.name}':<62}{figure:>10}  {note}")
        a, b, c = web["a"].figure, web["b"].figure, web["c"].figure
        rows += [
            ("web b/a: PostgreSQL / SQLite", b / a if a else 0.0, AIM_PG_VS_SQLITE),
            ("web c/b: two instances / one (PostgreSQL)", c / b if b else 0.0, AIM_TWO_VS_ONE),
        ]
    for d in ours:
        assert echo is not None
        ratio = d.replied_per_s / echo.replied_per_s if echo.replied_per_s else 0.0
        rows.append((f"Slack events replied/s, {d.name} / echo app", ratio, AIM_SLACK_VS_ECHO))
    for name, ratio, aim in rows:
        print(f"  {name:<62}{ratio:>10.2f}  {'>= ' + str(aim):<8}{verdict(ratio >= aim)}")
    for d in slack:
        figure = f"{d.replied_per_s:.0f}/s"
        print(
            f"  {f'Slack events replied/s, {d.name}':<62}{figure:>10}  "
            f"({d.posts_per_s:.0f} posts/s)"
        )
    if echo is not None:
        print_cost_per_event(echo, ours)
    unclean = [f"web {k}" for k, o in web.items() if not o.clean]
    unclean += [f"Slack {d.name}" for d in slack if not d.clean]
    print(f"  errors in logs or responses: {', '.join(unclean) if unclean else 'none'}")


def print_cost_per_event(echo: Delivery, ours: list[Delivery]) -> None:
    """Where the Slack time goes, per event: the apps are CPU-bound, so the CPU they spend per
    event replied says what more cores (a second machine) could give them."""
    cores = os.cpu_count() or 1
    print("  Slack, CPU per event replied (the app's processes and its database):")
    for d in [echo, *ours]:
        per_core = 1000.0 / d.cpu_ms_per_event if d.cpu_ms_per_event else 0.0
        print(
            f"    {d.name:<44}{d.cpu_ms_per_event:6.2f} ms = {per_core:4.0f}/s per core kept busy"
        )
    if echo.replied_per_s:
        goal = AIM_SLACK_VS_ECHO * echo.replied_per_s
        print(
            f"    {AIM_SLACK_VS_ECHO} x the echo app ({goal:.0f}/s) needs at most "
            f"{1000.0 / goal:.2f} ms per event on one core, {cores * 1000.0 / goal:.2f} ms "
            f"with all {cores} cores to the app alone"
        )


def interrupted(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM: stop the children on the way out, as for ^C


def run(config: Config) -> int:
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ethiekbot-ha-")))
        cluster = start_cluster(stack)
        print(f"PostgreSQL cluster at {cluster.url} (fsync off)")
        web: dict[str, Outcome] = {}
        if not config.slack_only:
            print(
                f"\n1. The web chat's capacity ({config.users} users, no think time, "
                f"{config.seconds:.0f} s per set-up)"
            )
            web = {s.key: web_setup(s, cluster, workdir, config) for s in WEB_SETUPS}
        if config.web_only:
            print_summary(web, [])
            return 0
        print(
            f"\n2. Slack replies delivered (rounds of {CONCURRENCY} DM events, up to "
            f"{config.slack_rounds} rounds or {config.seconds:.0f} s, backlog <= {BACKLOG})"
        )
        slack = slack_part(cluster, workdir, config)
        print_summary(web, slack)
    return 0


@contextmanager
def stopped_on_sigterm() -> Iterator[None]:
    previous = signal.signal(signal.SIGTERM, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=PHASE_SECONDS, help="per phase")
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--web-only", action="store_true", help="only part 1, the web chat")
    only.add_argument("--slack-only", action="store_true", help="only part 2, Slack")
    args = parser.parse_args()
    if args.quick:
        config = Config(2.0, 50, 1.0, 3, args.web_only, args.slack_only)
    else:
        config = Config(
            args.seconds, USERS, WARMUP_SECONDS, MAX_ROUNDS, args.web_only, args.slack_only
        )
    print(f"Ethiekbot several-instances benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with stopped_on_sigterm():
        try:
            return run(config)
        except SetupError as exc:
            print(f"\nSet-up failed: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("\nInterrupted; every server and the cluster were stopped.", file=sys.stderr)
            return 130


if __name__ == "__main__":
    raise SystemExit(main())
