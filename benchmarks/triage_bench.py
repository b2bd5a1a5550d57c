"""Triage performance benchmark: latency, scaling to 10,000 cases, batch throughput, cold start.

Run from the repository root::

    .venv/bin/python benchmarks/triage_bench.py

It prints the figures of four measurements and a summary table against the aims:

1. ``Advisor.triage`` latency with the shipped library, warm caches and cold caches (every text
   holds made-up words never seen before, so the ``lru_cache`` word lookups cannot help);
2. index build time and triage latency with 10,000 synthetic cases;
3. cold start of ``ethiekbot triage --json`` as a whole process, with the cache a machine
   that ran the bot has (knowledge/cache.py) and without it;
4. throughput of ``ethiekbot triage --batch`` on a 2,000-row CSV.

It reports; it does not gate: the exit code is 0 whatever the figures. Deterministic input
(fixed seeds); only the stdlib is used for timing (``time.perf_counter``).
"""

from __future__ import annotations

import csv
import dataclasses
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from knowledge import signals as _signals  # noqa: E402
from knowledge import text as _text  # noqa: E402
from knowledge.loader import Knowledge, load  # noqa: E402
from knowledge.schema import Case, Text  # noqa: E402
from knowledge.triage import Advisor  # noqa: E402

DEV_CASES = Path(__file__).resolve().parents[2] / "shared/eval/dev-cases.yaml"
SEED = 20240611

# Sizes, chosen to keep the whole run under about two minutes on a 2-core machine.
WARMUP_CALLS = 200
SHIPPED_CALLS = 2_000
SYNTHETIC_CASES = 10_000
SYNTHETIC_CALLS = 120  # each is ~100x slower than with the shipped library; the build ~80 s
BATCH_ROWS = 2_000
COLD_START_RUNS = 10

# Aims.
AIM_P95_SHIPPED_MS = 5.0
AIM_P95_10K_MS = 50.0
AIM_BATCH_PER_S = 500.0
AIM_COLD_START_S = 0.8
# Promoted cases grow the library: indexing 10,000 of them should not stall a reload.
AIM_INDEX_BUILD_S = 5.0

# In turn: a sentence the lexicon knows every word of, and two with words it does not know
# (those open the word dictionaries, knowledge/dictionary.py), one of them English.
COLD_QUESTIONS = (
    "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?",
    "We willen met slimme prullenbakken de vulgraad meten en de ophaalroutes plannen.",
    "Can we use facial recognition at the entrance of the town hall?",
)

ENGLISH = [
    "Can we use drones to check whether farmers keep to their subsidy conditions?",
    "We want to buy location data from phone apps to measure crowding in nature reserves.",
    "Is it OK to use ChatGPT to draft answers to letters from citizens?",
    "Our team wants to predict which households will get into debt, using data from energy "
    "companies and housing corporations.",
    "Should we put cameras with face recognition on the market square at night?",
    "Can an algorithm decide automatically who gets a permit for an event?",
    "We plan sensors in pig farms to measure ammonia emissions for permits.",
    "Employees want to use TikTok on their work phones; is that a security risk?",
    "A chatbot on our website that answers questions about taxes and benefits.",
    "Satellite images to detect illegal construction on industrial estates.",
]

FALLBACK_DUTCH = [
    "Mogen we drones inzetten om te controleren of bloemrijke weilanden echt bloemrijk zijn?",
    "We willen satellietbeelden gebruiken om veranderingen op bedrijventerreinen te detecteren.",
    "Sensoren in varkensstallen om ammoniak te meten voor de vergunning.",
    "Kunnen we locatiegegevens van telefoonapps inkopen om drukte in natuurgebieden te volgen?",
    "Ons team wil alle algoritmes van de provincie inventariseren en openbaar maken.",
]

_SYLLABLES = [
    "ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "dra", "kel", "mor", "sto", "wen",
    "gri", "bul", "fan", "hox", "jup", "qua", "xel", "yor", "tsi", "plo",
]  # fmt: skip


# --- helpers ------------------------------------------------------------------------------------


def percentiles(samples_ms: Sequence[float]) -> tuple[float, float, float]:
    """p50, p95, p99 (inclusive method; linear interpolation between ranks)."""
    q = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return q[49], q[94], q[98]


def time_calls(fn: Callable[[str], object], texts: Sequence[str]) -> list[float]:
    """Milliseconds per call of ``fn`` on each text."""
    out: list[float] = []
    clock = time.perf_counter
    for t in texts:
        start = clock()
        fn(t)
        out.append((clock() - start) * 1000.0)
    return out


def clear_caches(advisor: Advisor | None = None) -> None:
    """Empty every cache the triage uses for word lookups (with ``advisor``, also the words
    its matcher has analysed)."""
    if advisor is not None:
        advisor.matcher._analysed.clear()
        advisor.matcher._matching.clear()
        advisor.matcher._starting.clear()
    _text.fold.cache_clear()
    _text.stem.cache_clear()
    _signals._cached_word_hits.cache_clear()
    _signals._cached_phrase_starts.cache_clear()
    _signals._cached_analysis.cache_clear()
    _signals._cached_phrase_pairs.cache_clear()
    _signals._correct.cache_clear()
    _text.lemma.cache_clear()
    _text.is_real_word.cache_clear()


def made_up_word(rng: random.Random, seen: set[str]) -> str:
    """A pronounceable word of 6+ letters never produced before."""
    while True:
        w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 5)))
        if w not in seen:
            seen.add(w)
            return w


def add_typo(text: str, rng: random.Random) -> str:
    """Swap, drop or double one letter in one or two longer words."""
    ws = text.split()
    long_ones = [i for i, w in enumerate(ws) if len(w) >= 6 and w.isalpha()]
    for i in rng.sample(long_ones, min(len(long_ones), rng.randint(1, 2))):
        w = ws[i]
        p = rng.randrange(1, len(w) - 1)
        kind = rng.randrange(3)
        if kind == 0:
            w = w[:p] + w[p + 1] + w[p] + w[p + 2 :]
        elif kind == 1:
            w = w[:p] + w[p + 1 :]
        else:
            w = w[:p] + w[p] + w[p:]
        ws[i] = w
    return " ".join(ws)


def make_unique(text: str, rng: random.Random, seen: set[str]) -> str:
    """Insert two unseen made-up words and a number, so no word cache can have seen the text."""
    ws = text.split()
    for extra in (made_up_word(rng, seen), made_up_word(rng, seen), str(rng.randrange(10**6))):
        ws.insert(rng.randrange(len(ws) + 1), extra)
    return " ".join(ws)


def question_mix(knowledge: Knowledge, rng: random.Random) -> tuple[list[str], str]:
    """Realistic questions: the dev set, case questions, English ones, concatenations, typos."""
    if DEV_CASES.exists():
        entries = yaml.safe_load(DEV_CASES.read_text(encoding="utf-8")) or []
        dev = [str(e["text"]) for e in entries if isinstance(e, dict) and e.get("text")]
        origin = f"{len(dev)} from {DEV_CASES}"
    else:
        dev = list(FALLBACK_DUTCH)
        origin = f"{DEV_CASES} not found; {len(dev)} built-in Dutch questions"
    case_qs = [c.question.nl for c in knowledge.cases.values()]
    english = ENGLISH + [c.question.en for c in knowledge.cases.values()]
    base = dev + case_qs + english
    mix = list(base)
    for _ in range(40):  # concatenations: pasted project descriptions are longer
        mix.append(" ".join(rng.sample(base, rng.randint(2, 4))))
    for _ in range(40):
        mix.append(add_typo(rng.choice(base), rng))
    mix.append(" ".join(rng.sample(base, len(base))))  # one long essay
    rng.shuffle(mix)
    return mix, origin


def cycle(texts: Sequence[str], n: int) -> list[str]:
    return [texts[i % len(texts)] for i in range(n)]


# --- synthetic library --------------------------------------------------------------------------


def _mix_text(a: str, b: str) -> str:
    sa = [s for s in a.split(". ") if s]
    sb = [s for s in b.split(". ") if s]
    return ". ".join(sa[: max(1, len(sa) // 2)] + sb[len(sb) // 2 :])


def synthetic_knowledge(knowledge: Knowledge, n: int, rng: random.Random) -> Knowledge:
    """A copy of ``knowledge`` whose cases are ``n`` variations of the shipped ones.

    Each variation gets a made-up place name in its title, so the vocabulary grows with the
    library as it would with real cases (it matters for the typo correction's candidate pools).
    """
    shipped = list(knowledge.cases.values())
    seen: set[str] = set()
    cases: dict[str, Case] = {}
    for i in range(n):
        base = shipped[i % len(shipped)]
        other = rng.choice(shipped)
        technologies = list(base.technologies)
        data = list(base.data)
        stakeholders = list(base.stakeholders)
        if other.technologies and rng.random() < 0.5:
            technologies.append(rng.choice(other.technologies))
        if other.data and rng.random() < 0.5:
            data.append(rng.choice(other.data))
        for items in (technologies, data, stakeholders):
            rng.shuffle(items)
        place = made_up_word(rng, seen).capitalize()
        case = base.model_copy(
            update={
                "id": f"{base.id}-{i}",
                "title": Text(nl=f"{base.title.nl} ({place})", en=f"{base.title.en} ({place})"),
                "summary": Text(
                    nl=_mix_text(base.summary.nl, other.summary.nl),
                    en=_mix_text(base.summary.en, other.summary.en),
                ),
                "technologies": technologies,
                "data": data,
                "stakeholders": stakeholders,
                "values_for": rng.sample(base.values_for, len(base.values_for)),
            }
        )
        cases[case.id] = case
    return dataclasses.replace(knowledge, cases=cases)


# --- the four measurements ----------------------------------------------------------------------


def fmt_p(p: tuple[float, float, float]) -> str:
    return f"p50 {p[0]:7.2f} ms   p95 {p[1]:7.2f} ms   p99 {p[2]:7.2f} ms"


def bench_shipped(results: dict[str, float]) -> list[str]:
    print("== 1. triage latency, shipped library (in process) ==")
    rng = random.Random(SEED)
    t0 = time.perf_counter()
    advisor = Advisor.load()
    print(f"Advisor.load(): {time.perf_counter() - t0:.3f} s, {len(advisor.knowledge.cases)} cases")
    mix, origin = question_mix(advisor.knowledge, rng)
    print(f"question mix: {len(mix)} distinct texts ({origin}; plus case questions, English,")
    print("  concatenations and typo variants)")

    time_calls(advisor.triage, cycle(mix, WARMUP_CALLS))
    warm = time_calls(advisor.triage, cycle(mix, SHIPPED_CALLS))
    p = percentiles(warm)
    results["shipped_warm_p95"] = p[1]
    print(f"{f'warm caches, {len(warm)} calls over the mix:':<46}{fmt_p(p)}")

    seen: set[str] = set(advisor.matcher.vocabulary)
    unique = [make_unique(t, rng, seen) for t in cycle(mix, SHIPPED_CALLS)]
    cold = time_calls(advisor.triage, unique)
    p = percentiles(cold)
    results["shipped_cold_p95"] = p[1]
    print(f"{f'cold caches, {len(cold)} unique texts:':<46}{fmt_p(p)}")

    # Worst case: every lru_cache emptied before each call (first question after a restart).
    cleared: list[float] = []
    for t in cycle(mix, 300):
        clear_caches(advisor)
        cleared.extend(time_calls(advisor.triage, [t]))
    p = percentiles(cleared)
    results["shipped_cleared_p95"] = p[1]
    print(f"{f'caches emptied before each of {len(cleared)} calls:':<46}{fmt_p(p)}")
    print()
    return mix


def bench_synthetic(results: dict[str, float], mix: Sequence[str]) -> None:
    print(f"== 2. {SYNTHETIC_CASES:,} synthetic cases (in process) ==")
    rng = random.Random(SEED + 1)
    knowledge = load()
    t0 = time.perf_counter()
    big = synthetic_knowledge(knowledge, SYNTHETIC_CASES, rng)
    print(f"built {len(big.cases):,} synthetic cases in {time.perf_counter() - t0:.2f} s")
    t0, c0 = time.perf_counter(), time.process_time()
    advisor = Advisor(big)
    build = time.perf_counter() - t0
    results["big_build_s"] = build
    print(
        f"Advisor(knowledge) index build: {build:.2f} s "
        f"(CPU {time.process_time() - c0:.2f} s; the wall time varies with the machine's load)"
    )
    # A promotion adds one case; the reload lends the advisor in use what it indexed already.
    base = next(iter(big.cases.values()))
    promoted = base.model_copy(update={"id": "promoted-case", "title": Text(nl="Nieuw", en="New")})
    bigger = dataclasses.replace(big, cases={**big.cases, promoted.id: promoted})
    t0 = time.perf_counter()
    Advisor(bigger, previous=advisor)
    results["big_reload_s"] = time.perf_counter() - t0
    print(f"reload after one promotion (previous advisor lent): {results['big_reload_s']:.2f} s")
    time_calls(advisor.triage, cycle(mix, 10))
    seen: set[str] = set(advisor.matcher.vocabulary)
    unique = [make_unique(t, rng, seen) for t in cycle(mix[10:], SYNTHETIC_CALLS)]
    samples = time_calls(advisor.triage, unique)
    p = percentiles(samples)
    results["big_p50"], results["big_p95"], results["big_p99"] = p
    print(f"{f'triage, {len(samples)} unique texts:':<46}{fmt_p(p)}")
    print()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _cold_runs(env: dict[str, str]) -> list[float]:
    times: list[float] = []
    for i in range(COLD_START_RUNS):
        cmd = [sys.executable, "-m", "bot", "triage", "--json", COLD_QUESTIONS[i % 3]]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            print(f"  exit {proc.returncode}: {proc.stderr.decode(errors='replace').strip()}")
    return times


def bench_cold_start(results: dict[str, float]) -> None:
    print("== 4. cold start: `ethiekbot triage --json QUESTION` as a whole process ==")
    env = _env()
    with tempfile.TemporaryDirectory() as cache:
        # The cache (knowledge/cache.py) of a machine that ran the bot before: one untimed
        # run of each question fills it, and byte-code compilation and a cold disk cache do
        # not count either.
        env["ETHIEKBOT_CACHE_DIR"] = cache
        for q in COLD_QUESTIONS:
            cmd = [sys.executable, "-m", "bot", "triage", "--json", q]
            subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False)
        times = _cold_runs(env)
    results["cold_median_s"] = statistics.median(times)
    results["cold_max_s"] = max(times)
    print(
        f"{len(times)} runs, the {len(COLD_QUESTIONS)} questions in turn: "
        f"median {results['cold_median_s']:.3f} s, "
        f"max {results['cold_max_s']:.3f} s, min {min(times):.3f} s"
    )
    # The peer: the same runs with no cache (the YAML parsed, the dictionaries unpacked).
    env["ETHIEKBOT_CACHE_DIR"] = "off"
    off = _cold_runs(env)
    print(
        f"the same without the cache (ETHIEKBOT_CACHE_DIR=off): median "
        f"{statistics.median(off):.3f} s, max {max(off):.3f} s "
        f"(cached / uncached median: {results['cold_median_s'] / statistics.median(off):.2f})"
    )
    print()


def bench_batch(results: dict[str, float], mix: Sequence[str]) -> None:
    print(f"== 3. batch throughput: `ethiekbot triage --batch` on {BATCH_ROWS:,} CSV rows ==")
    rng = random.Random(SEED + 2)
    seen: set[str] = set()
    # Real batch files hold distinct descriptions: half verbatim from the mix, half unique.
    texts = [
        make_unique(t, rng, seen) if i % 2 else t for i, t in enumerate(cycle(mix, BATCH_ROWS))
    ]
    with tempfile.TemporaryDirectory(prefix="triage-bench-") as tmp:
        csv_path = Path(tmp) / "batch.csv"
        out_path = Path(tmp) / "out.jsonl"
        with csv_path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, quoting=csv.QUOTE_ALL)
            writer.writerow(["id", "text"])
            for i, t in enumerate(texts, start=1):
                writer.writerow([f"r{i:05d}", t])
        cmd = [sys.executable, "-m", "bot", "triage", "--batch", str(csv_path)]
        with out_path.open("w", encoding="utf-8") as out:
            t0 = time.perf_counter()
            proc = subprocess.run(
                cmd, cwd=ROOT, env=_env(), stdout=out, stderr=subprocess.PIPE, check=False
            )
            wall = time.perf_counter() - t0
        lines = sum(1 for _ in out_path.open(encoding="utf-8"))
    if proc.returncode != 0 or lines != BATCH_ROWS:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:]
        print(f"  WARNING: exit {proc.returncode}, {lines} output lines; {tail}")
    startup = results.get("cold_median_s", 0.0)
    results["batch_wall_s"] = wall
    results["batch_per_s"] = lines / wall
    results["batch_per_s_excl"] = lines / max(wall - startup, 1e-9)
    print(f"{lines:,} rows in {wall:.2f} s wall: {results['batch_per_s']:.0f} descriptions/s")
    print(
        f"excluding start-up ({startup:.3f} s, the cold-start median): "
        f"{results['batch_per_s_excl']:.0f} descriptions/s"
    )
    print()


# --- summary ------------------------------------------------------------------------------------


def summary(r: dict[str, float]) -> None:
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    rows = [
        (
            "triage p95, shipped library, warm caches",
            f"{r['shipped_warm_p95']:.2f} ms",
            f"< {AIM_P95_SHIPPED_MS:g} ms",
            verdict(r["shipped_warm_p95"] < AIM_P95_SHIPPED_MS),
        ),
        (
            "triage p95, shipped library, cold caches",
            f"{r['shipped_cold_p95']:.2f} ms",
            f"< {AIM_P95_SHIPPED_MS:g} ms",
            verdict(r["shipped_cold_p95"] < AIM_P95_SHIPPED_MS),
        ),
        (
            "triage p95, shipped, caches emptied/call",
            f"{r['shipped_cleared_p95']:.2f} ms",
            f"< {AIM_P95_SHIPPED_MS:g} ms",
            verdict(r["shipped_cleared_p95"] < AIM_P95_SHIPPED_MS),
        ),
        (
            f"triage p95, {SYNTHETIC_CASES:,} cases",
            f"{r['big_p95']:.2f} ms",
            f"< {AIM_P95_10K_MS:g} ms",
            verdict(r["big_p95"] < AIM_P95_10K_MS),
        ),
        (
            f"index build, {SYNTHETIC_CASES:,} cases",
            f"{r['big_build_s']:.2f} s",
            f"< {AIM_INDEX_BUILD_S:.0f} s",
            verdict(r["big_build_s"] < AIM_INDEX_BUILD_S),
        ),
        (
            f"reload after a promotion, {SYNTHETIC_CASES:,} cases",
            f"{r['big_reload_s']:.2f} s",
            f"< {AIM_INDEX_BUILD_S:.0f} s",
            verdict(r["big_reload_s"] < AIM_INDEX_BUILD_S),
        ),
        (
            "batch, whole process",
            f"{r['batch_per_s']:.0f} /s",
            f"> {AIM_BATCH_PER_S:g} /s",
            verdict(r["batch_per_s"] > AIM_BATCH_PER_S),
        ),
        (
            "batch, excluding start-up",
            f"{r['batch_per_s_excl']:.0f} /s",
            f"> {AIM_BATCH_PER_S:g} /s",
            verdict(r["batch_per_s_excl"] > AIM_BATCH_PER_S),
        ),
        (
            "cold start, median",
            f"{r['cold_median_s']:.3f} s",
            f"< {AIM_COLD_START_S:g} s",
            verdict(r["cold_median_s"] < AIM_COLD_START_S),
        ),
        (
            "cold start, max",
            f"{r['cold_max_s']:.3f} s",
            f"< {AIM_COLD_START_S:g} s",
            verdict(r["cold_max_s"] < AIM_COLD_START_S),
        ),
    ]
    heads = ("figure", "measured", "aim", "result")
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(heads)]
    line = "  ".join("-" * w for w in widths)
    print("== summary ==")
    print("  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def main() -> int:
    random.seed(SEED)
    started = time.perf_counter()
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} CPUs; repo {ROOT}")
    print()
    results: dict[str, float] = {}
    mix = bench_shipped(results)
    bench_synthetic(results, mix)
    bench_cold_start(results)  # before the batch: the batch figure subtracts its median
    bench_batch(results, mix)
    summary(results)
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
