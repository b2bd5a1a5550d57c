"""Conversation performance benchmark: one engine turn with storage, and the web chat under load.

Run from the repository root::

    .venv/bin/python benchmarks/dialog_bench.py

Two measurements, then a summary against the aims:

1. **Engine turn with storage.** :meth:`ConversationService.handle` on a file-backed SQLite
   database in a temporary directory (WAL, as the server runs it), over many whole conversations:
   describe → first impression → walk the drietrap (typed and clicked answers, notes) → outcome
   → report. Every ``handle()`` call is timed. Aim: p95 < 10 ms.
2. **The web chat under load.** The real server (``python -m bot serve``) in a separate process,
   so client and server do not share an event loop, with a fresh database; 200 simulated users
   with ``aiohttp.ClientSession``, each doing ``POST /api/session`` and then a scripted
   conversation of 15 turns of ``POST /api/chat``, again and again until the phase's time is up.
   Two phases:

   * *capacity*: no think time, so the server is saturated (its turns/second is the capacity;
     latency here is mostly queueing: by Little's law mean latency ≈ users / throughput);
   * *at the aim rate*: each user sends its turns at random moments (exponential gaps, 2.5
     turns/s on average, never two at once) so that the 200 together offer 500 turns/s, the load
     the aim names; latency here is what a user would see at that load. When the server cannot
     keep up, users fall behind their schedule and the achieved rate drops below 500.

   Aim: >= 500 turns/s with p99 < 100 ms (both judged on the aim-rate phase; the capacity phase
   says how much headroom there is).

When an aim is missed, the engine turn is profiled with cProfile and the top functions printed.
It reports; it does not gate: the exit code is 0 whatever the figures.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import os
import pstats
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.service import ConversationService  # noqa: E402
from bot.throttle import ENV_OFF  # noqa: E402
from dialogs.models import Inbound, Reply  # noqa: E402
from knowledge.triage import Advisor  # noqa: E402

SEED = 20240611

# Sizes: the whole run takes about two minutes on a 2-core machine.
ENGINE_WARMUP_CONVERSATIONS = 5
ENGINE_CONVERSATIONS = 200
ENGINE_MAX_SECONDS = 25.0
PROFILE_CONVERSATIONS = 30
USERS = 200
TURNS_PER_CONVERSATION = 15
PHASE_SECONDS = 20.0  # each load phase stops after this long ...
MAX_CONVERSATIONS_PER_USER = 40  # ... or after this many conversations per user
SERVER_START_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 30.0

# Aims.
AIM_TURN_P95_MS = 10.0
AIM_TURNS_PER_S = 500.0
AIM_SERVER_P99_MS = 100.0

QUESTIONS = [
    "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?",
    "We willen satellietbeelden gebruiken om veranderingen op bedrijventerreinen te detecteren.",
    "Sensoren in varkensstallen om ammoniak te meten voor de vergunning.",
    "Kunnen we locatiegegevens van telefoonapps inkopen om drukte in natuurgebieden te volgen?",
    "Ons team wil met een algoritme voorspellen welke huishoudens schulden krijgen, met data "
    "van energiebedrijven en woningcorporaties.",
    "Camera's met gezichtsherkenning op het marktplein, 's nachts, tegen overlast.",
    "Een chatbot op onze website die vragen over subsidies beantwoordt.",
    "Can we use drones to check whether farmers keep to their subsidy conditions?",
    "Is it OK to use ChatGPT to draft answers to letters from citizens?",
    "Should an algorithm decide automatically who gets a permit for an event?",
]
OPEN_ANSWERS = [
    "Meer biodiversiteit en eerlijke controle van subsidies.",
    "Boeren, omwonenden, toezichthouders en de eigen medewerkers.",
    "Met versleuteling en alleen toegang voor twee medewerkers van het team.",
    "Dat weten we nog niet precies; we willen eerst een proef.",
]


# --- helpers ------------------------------------------------------------------------------------


def percentiles(samples_ms: Sequence[float]) -> tuple[float, float, float]:
    """p50, p95, p99 (inclusive method; linear interpolation between ranks)."""
    if len(samples_ms) < 2:
        v = samples_ms[0] if samples_ms else float("nan")
        return v, v, v
    q = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return q[49], q[94], q[98]


def fmt_pct(samples_ms: Sequence[float]) -> str:
    p50, p95, p99 = percentiles(samples_ms)
    return f"p50 {p50:7.2f}  p95 {p95:7.2f}  p99 {p99:7.2f} ms  (n={len(samples_ms)})"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def option_of(choice_id: str) -> str:
    """The option part of a choice id ``nonce.seq.option``."""
    return choice_id.rsplit(".", 1)[-1]


# --- 1. the engine turn, with storage -----------------------------------------------------------


@dataclass
class Scripted:
    """What a user does next, decided from the bot's last replies (as a person would)."""

    rng: random.Random
    question: str
    step: int = 0

    def next(self, replies: Sequence[Reply]) -> tuple[str, str | None, str | None]:
        """(label, text, choice) for the next message; label says what kind of turn it is."""
        self.step += 1
        if self.step == 1:
            return "open", "", None
        if self.step == 2:
            return "describe", self.question, None
        last = replies[-1] if replies else None
        choices = {option_of(c.id): c.id for c in (last.choices if last else [])}
        kind = (last.content or {}).get("kind") if last else None
        if "walk" in choices:
            return "walk", None, choices["walk"]
        if "report" in choices:
            return "report", None, choices["report"]
        if kind == "note":
            return "note", "Omwonenden kunnen zich bekeken voelen.", None
        if kind == "value":
            pick = self.rng.random()
            if pick < 0.15:
                return "value-typed", "zorg: het raakt mensen die er niet om vroegen", None
            if pick < 0.25:
                return "value", None, choices["zorg"]  # a note is asked next
            return "value", None, choices["geen-zorg"]
        if "next" in choices:  # values-more: on to Mag het?
            return "values-more", None, choices["next"]
        if "continue" in choices:
            return "mag-result", None, choices["continue"]
        if set(choices) == {"weet-niet", "skip"}:  # an open question: type an answer
            return "open-answer", self.rng.choice(OPEN_ANSWERS), None
        if "ja" in choices:
            if self.rng.random() < 0.2:
                return "typed-answer", self.rng.choice(["ja", "nee", "weet ik niet"]), None
            return "yes-no", None, choices[self.rng.choice(["ja", "nee", "weet-niet"])]
        raise RuntimeError(f"the script does not know what to do after: {kind} {list(choices)}")


def run_conversation(
    service: ConversationService,
    conversation: str,
    script: Scripted,
    clock: Callable[[], float],
    samples: dict[str, list[float]] | None,
) -> int:
    """Play one whole conversation up to and including the report; return the turns taken."""
    replies: list[Reply] = []
    for turn in range(1, 80):
        label, text, choice = script.next(replies)
        msg = Inbound(
            channel="web", conversation=conversation, user=conversation, text=text, choice=choice
        )
        start = clock()
        replies = service.handle(msg)
        elapsed = (clock() - start) * 1000.0
        if samples is not None:
            samples[label].append(elapsed)
        if label == "report":
            return turn
    raise RuntimeError(f"conversation {conversation} did not reach the report")


def bench_engine(workdir: Path, advisor: Advisor) -> tuple[list[float], dict[str, list[float]]]:
    settings = Settings(db_path=workdir / "engine.db")
    service = ConversationService.from_settings(settings, advisor=advisor)
    rng = random.Random(SEED)
    clock = time.perf_counter
    for i in range(ENGINE_WARMUP_CONVERSATIONS):
        script = Scripted(rng, QUESTIONS[i % len(QUESTIONS)])
        run_conversation(service, f"warmup-{i:04d}-conversation", script, clock, None)
    by_kind: dict[str, list[float]] = defaultdict(list)
    deadline = clock() + ENGINE_MAX_SECONDS
    conversations = 0
    while conversations < ENGINE_CONVERSATIONS and clock() < deadline:
        script = Scripted(rng, QUESTIONS[conversations % len(QUESTIONS)])
        run_conversation(service, f"bench-{conversations:05d}-conversation", script, clock, by_kind)
        conversations += 1
    service.store.close()
    samples = [x for xs in by_kind.values() for x in xs]
    print(f"  {conversations} conversations, {len(samples)} turns (after a warm-up)")
    print(f"  every turn      {fmt_pct(samples)}")
    for kind, xs in sorted(by_kind.items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"    {kind:<14}{fmt_pct(xs)}")
    return samples, by_kind


def profile_engine(workdir: Path, advisor: Advisor) -> str:
    """cProfile over whole conversations; the top functions by own time and by cumulative."""
    settings = Settings(db_path=workdir / "profile.db")
    service = ConversationService.from_settings(settings, advisor=advisor)
    rng = random.Random(SEED + 1)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(PROFILE_CONVERSATIONS):
        script = Scripted(rng, QUESTIONS[i % len(QUESTIONS)])
        run_conversation(service, f"profile-{i:04d}-conversation", script, time.perf_counter, None)
    profiler.disable()
    service.store.close()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(where_the_time_goes(stats))
    stats.strip_dirs().sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats(25)
    return out.getvalue()


# (label, file suffix, function): the parts of a turn worth naming, as shares of handle().
TIME_PARTS = [
    ("engine (Engine.handle, pure)", "dialogs/engine.py", "handle"),
    ("  triage re-run (Advisor.triage)", "knowledge/triage.py", "triage"),
    ("  state deep copy (model_copy)", "pydantic/main.py", "model_copy"),
    ("  Markdown of outcome/report (render_*)", "dialogs/render.py", "render_report"),
    ("storage: save_state (upsert + commit)", "bot/storage.py", "save_state"),
    ("storage: load_state (select + validate)", "bot/storage.py", "load_state"),
    ("storage: log_outcome", "bot/storage.py", "log_outcome"),
]


def where_the_time_goes(stats: pstats.Stats) -> str:
    """Cumulative time of the named parts, as a share of ConversationService.handle."""
    table: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]

    def cumulative(suffix: str, name: str) -> float:
        return float(
            sum(v[3] for (f, _, fn), v in table.items() if f.endswith(suffix) and fn == name)
        )

    total = cumulative("bot/service.py", "handle")
    if not total:
        return ""
    lines = [f"Where a turn's time goes (share of ConversationService.handle, {total:.2f} s):"]
    for label, suffix, name in TIME_PARTS:
        lines.append(f"  {label:<44}{cumulative(suffix, name) / total:6.0%}")
    return "\n".join(lines) + "\n\n"


# --- 2. the web chat under load -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workdir: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = free_port()
    env = dict(os.environ, ETHIEKBOT_DB=str(workdir / "server.db"), PYTHONUNBUFFERED="1", **ENV_OFF)
    env.pop("ETHIEKBOT_PORT", None)
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc, url, log_path
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the server did not answer /healthz within {SERVER_START_TIMEOUT_S} s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def web_script(rng: random.Random, question: str) -> list[tuple[str, str]]:
    """Fifteen turns: (kind, value); a choice is named by its option, resolved against the page.

    Open questions are typed; ``value`` answers come from the buttons, one typed with a note.
    """
    return [
        ("text", ""),  # the page's opener: the welcome
        ("text", question),  # the first impression
        ("choice", "walk"),
        ("text", rng.choice(OPEN_ANSWERS)),  # what do you want to achieve
        ("choice", "ja"),  # do you really need data or technology
        ("text", rng.choice(OPEN_ANSWERS)),  # who notices this project
        ("choice", "geen-zorg"),
        ("text", "zorg: omwonenden kunnen zich bekeken voelen"),
        ("choice", "geen-zorg"),
        ("choice", "weet-niet"),  # a note is asked next
        ("text", "Dat moeten we nog uitzoeken."),
        ("choice", "skip"),
        ("choice", "next"),  # values-more: on to Mag het?
        ("choice", "nee"),
        ("text", "samenvatting"),
    ]


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    session_ms: list[float] = field(default_factory=list)
    conversations: int = 0
    errors: list[str] = field(default_factory=list)
    deviations: int = 0  # the scripted option was not offered; another one was chosen
    in_time: int = 0  # turns answered before the phase's deadline
    seconds: float = 0.0  # the phase's length
    elapsed_s: float = 0.0  # until the last user stopped (in-flight turns finish after the end)
    client_cpu_s: float = 0.0

    @property
    def turns(self) -> int:
        return len(self.latencies_ms)

    @property
    def turns_per_s(self) -> float:
        """Turns answered within the phase, per second of the phase."""
        return self.in_time / self.seconds if self.seconds else 0.0


async def web_user(
    session: aiohttp.ClientSession,
    url: str,
    user: int,
    rate: float,
    deadline: float,
    result: LoadResult,
) -> None:
    """One user: conversations of scripted turns; ``rate`` turns/s on average, 0 = flat out."""
    rng = random.Random(SEED * 1000 + user)
    clock = time.perf_counter
    next_at = clock() + (rng.uniform(0, 1.0 / rate) if rate else 0.0)  # spread the start
    for n in range(MAX_CONVERSATIONS_PER_USER):
        if clock() >= deadline:
            return
        start = clock()
        async with session.post(url + "/api/session") as r:
            token = (await r.json())["session"]
        result.session_ms.append((clock() - start) * 1000.0)
        choices: dict[str, str] = {}
        question = QUESTIONS[(user + n) % len(QUESTIONS)]
        for kind, value in web_script(rng, question):
            if rate:  # the user's own schedule, not "think after the answer"
                next_at += rng.expovariate(rate)
                delay = min(next_at, deadline) - clock()
                if delay > 0:
                    await asyncio.sleep(delay)
            if clock() >= deadline:
                return
            body: dict[str, Any] = {"session": token, "locale": "nl"}
            if kind == "text":
                body["text"] = value
            elif value in choices:
                body["choice"] = choices[value]
            elif choices:
                result.deviations += 1
                body["choice"] = next(iter(choices.values()))
            else:
                result.deviations += 1
                body["text"] = "hulp"
            start = clock()
            async with session.post(url + "/api/chat", json=body) as r:
                data = await r.json()
                status = r.status
            done = clock()
            result.latencies_ms.append((done - start) * 1000.0)
            result.in_time += done <= deadline
            if status != 200:
                result.errors.append(f"{status}: {data}")
                return
            replies = data["replies"]
            choices = {option_of(c["id"]): c["id"] for c in (replies[-1]["choices"] or [])}
        result.conversations += 1


async def load_phase(url: str, users: int, rate: float, seconds: float) -> LoadResult:
    """``users`` users at ``rate`` turns/s each (0 = as fast as the server answers)."""
    result = LoadResult(seconds=seconds)
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        cpu0, start = time.process_time(), time.perf_counter()
        deadline = start + seconds
        tasks = [web_user(session, url, u, rate, deadline, result) for u in range(users)]
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        result.elapsed_s = time.perf_counter() - start
        result.client_cpu_s = time.process_time() - cpu0
    for o in outcomes:
        if isinstance(o, BaseException):
            result.errors.append(repr(o))
    return result


def print_phase(name: str, r: LoadResult) -> None:
    p50, _, p99 = percentiles(r.latencies_ms)
    print(
        f"  {name}: {r.in_time} turns in {r.seconds:.0f} s = {r.turns_per_s:.0f} turns/s; "
        f"turn latency p50 {p50:.1f} ms, p99 {p99:.1f} ms"
    )
    print(
        f"    {r.conversations} whole conversations; POST /api/session {fmt_pct(r.session_ms)}; "
        f"client CPU {r.client_cpu_s / r.elapsed_s:.0%} of one core; "
        f"errors {len(r.errors)}; script deviations {r.deviations}"
    )
    for e in r.errors[:3]:
        print(f"    error: {e[:200]}")


def server_logged_errors(log_path: Path) -> bool:
    """Whether the server logged a traceback or an error."""
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    return "Traceback" in text or "Error" in text


def bench_server(workdir: Path) -> tuple[LoadResult, LoadResult]:
    proc, url, log_path = start_server(workdir)
    try:
        print(f"  server: pid {proc.pid} at {url} (database in {workdir})")
        asyncio.run(load_phase(url, 5, 0.0, 3.0))  # warm-up: first triages, connections
        capacity = asyncio.run(load_phase(url, USERS, 0.0, PHASE_SECONDS))
        print_phase(f"capacity, {USERS} users, no think time", capacity)
        rate = AIM_TURNS_PER_S / USERS
        paced = asyncio.run(load_phase(url, USERS, rate, PHASE_SECONDS))
        print_phase(f"aim rate, {USERS} users x {rate:.1f} turns/s offered", paced)
    finally:
        stop_server(proc)
        print(f"  server stopped (exit {proc.returncode})")
        if server_logged_errors(log_path):
            print("  server log (last lines):")
            for line in log_path.read_text(errors="replace").splitlines()[-10:]:
                print(f"    {line}")
    return capacity, paced


# --- main ---------------------------------------------------------------------------------------


def main() -> int:
    print(f"Ethiekbot dialog benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="ethiekbot-bench-") as tmp:
        workdir = Path(tmp)
        start = time.perf_counter()
        advisor = Advisor.load()
        print(f"knowledge loaded in {time.perf_counter() - start:.2f} s")

        print("\n1. One engine turn including storage (ConversationService.handle, SQLite file)")
        turns, _ = bench_engine(workdir, advisor)
        _, turn_p95, _ = percentiles(turns)

        print(f"\n2. The web chat under load ({USERS} users, server in its own process)")
        capacity, paced = bench_server(workdir)
        _, _, paced_p99 = percentiles(paced.latencies_ms)
        _, _, cap_p99 = percentiles(capacity.latencies_ms)

        ok_turn = turn_p95 < AIM_TURN_P95_MS
        # The aim-rate phase offers exactly 500 turns/s, so its own rate cannot show more: the
        # server's rate is its capacity (no think time), and it must also keep up with the 500.
        served_share = paced.turns_per_s / AIM_TURNS_PER_S
        ok_rate = (
            capacity.turns_per_s >= AIM_TURNS_PER_S
            and served_share >= 0.98
            and not (paced.errors or capacity.errors)
        )
        ok_p99 = paced_p99 < AIM_SERVER_P99_MS and not paced.errors
        print("\nSummary")
        print(f"  {'measure':<52}{'figure':>14}  {'aim':<12}result")
        rows = [
            ("engine turn with storage, p95", f"{turn_p95:.2f} ms", "< 10 ms", ok_turn),
            (
                f"web chat capacity ({USERS} users), turns/s",
                f"{capacity.turns_per_s:.0f}/s",
                ">= 500/s",
                ok_rate,
            ),
            (
                "  of the 500/s offered at the aim rate, served",
                f"{paced.turns_per_s:.0f}/s",
                ">= 98%",
                ok_rate,
            ),
            (
                f"web chat at the aim rate ({USERS} users), p99",
                f"{paced_p99:.1f} ms",
                "< 100 ms",
                ok_p99,
            ),
        ]
        for name, figure, aim, ok in rows:
            print(f"  {name:<52}{figure:>14}  {aim:<12}{verdict(ok)}")
        cap = f"{capacity.turns_per_s:.0f}/s, {cap_p99:.0f} ms"
        print(f"  {'capacity, no think time: turns/s, p99':<52}{cap:>14}  (for reference)")

        if not (ok_turn and ok_rate and ok_p99):
            print(f"\nAn aim was missed: cProfile of {PROFILE_CONVERSATIONS} whole conversations")
            print(profile_engine(workdir, advisor))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
