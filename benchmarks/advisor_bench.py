"""The advisor's workspace with 100,000 triages stored: queue latency, export speed and memory.

Run from the repository root::

    .venv/bin/python benchmarks/advisor_bench.py            # 100,000 triages, about 3 minutes
    .venv/bin/python benchmarks/advisor_bench.py --rows 20000   # a quick run

1. **Fill.** The engine makes 20 real outcomes from different descriptions (some only the
   advice, some the whole drietrap walked), so risks, signals, instruments and verdicts differ.
   Copies with distinct ids, times spread over 2025, channels, a place name in each description
   (100 places: each in about 1 % of the rows) are logged through the store's own logging code
   (``Store._log_outcome``, in one transaction, so the derived columns and the search index are
   written as in production); then statuses, assignments, hand-overs, notes and corrections
   through the store's review methods. The fill time is printed.
2. **The queue over HTTP.** The real server (``bot.server.create_app`` on an aiohttp
   ``AppRunner``, 127.0.0.1) in a child process, so client and server share no event loop. The
   client signs in with an invite link (``Store.create_invite``), keeps the cookie, and sends
   one request at a time, at least 200 per kind: the first page of ``/advisor/api/outcomes``,
   a filter (``risk=hoog&signal=dpia``), a full-text search for a word in about 1 % and one in
   about 30 % of the rows, page 50 (reached by following ``next``), the last page, and the HTML
   page ``/advisor/``. p50/p95/p99 of the client's time to the whole body.
3. **Export.** ``/advisor/export.csv`` and ``.json`` (streamed), each from a fresh server
   process, for the newest tenth of the rows (a date filter) and for all rows: rows/s and the
   server's peak resident memory (``VmHWM`` in ``/proc/<pid>/status``) next to its resident
   memory just before the export.
4. **Peers in the same run**, for ratios: LIMIT/OFFSET paging against our keyset cursor at the
   same depth (the same SQL otherwise, on the same database), and ``Store.outcomes(limit=N)``
   (every row's JSON parsed into an ``Outcome``, all in memory) in a child process against the
   streamed export.

A summary table prints each figure, its aim and whether it is met. It reports; it does not gate:
the exit code is 0 whatever the figures. Deterministic input (seed 8).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

SEED = 8
DEFAULT_ROWS = 100_000
REQUESTS = 200  # per kind of request
DEEP_PAGE = 50
PAGE = 50  # the workspace's page size
START_TIMEOUT_S = 60.0
T0 = datetime(2025, 1, 1, 7, 0, tzinfo=UTC)
YEAR_S = 365 * 24 * 3600
ADVISORS = ("a.jansen@provincie.nl", "b.devries@provincie.nl", "c.bakker@provincie.nl")
BENCH_EMAIL = "bench@provincie.nl"
AIM_P95_MS = 100.0
AIM_ROWS_S = 20_000.0
AIM_PEAK_MB = 150.0

# Chosen for the spread of risks, signals and instruments they raise; "inwoners" is the word
# about a third of them share (the frequent search term). The last four are walked in full.
DESCRIPTIONS: tuple[str, ...] = (
    "Mogen we drones boven weilanden laten vliegen om ammoniak te meten?",
    "We willen een algoritme dat met een risicoscore voorspelt welke inwoners die een "
    "uitkering aanvragen mogelijk fraude plegen, zodat we hen extra controleren.",
    "We willen camera's met gezichtsherkenning in de binnenstad om inwoners in realtime te "
    "identificeren en te volgen.",
    "Een leerapp voor kinderen op de basisschool die hun gegevens opslaat in een Amerikaanse "
    "cloud.",
    "A chatbot on our website that answers residents' questions about waste collection.",
    "Sensoren in de stallen die de uitstoot van ammoniak meten en doorsturen naar de provincie.",
    "Een chatbot die inwoners helpt bij het aanvragen van een parkeervergunning.",
    "We willen met AI sollicitatiebrieven van kandidaten voor vacatures automatisch rangschikken.",
    "Een dashboard met open data over de waterkwaliteit van zwemplassen.",
    "Slimme lantaarnpalen die met wifi-tracking tellen hoeveel mensen over het plein lopen.",
    "Een model dat voorspelt welke jongeren in de wijk risico lopen om van school te gaan.",
    "We willen de bodemdaling in het veenweidegebied met satellietbeelden volgen.",
    "Een app waarin inwoners meldingen over de openbare ruimte met foto en locatie doen.",
    "Automatische kentekenherkenning bij de milieuzone om vervuilende auto's te beboeten.",
    "Een taalmodel dat ambtenaren helpt conceptbrieven aan inwoners te schrijven.",
    "We willen gegevens van de jeugdzorg koppelen aan schoolverzuim om gezinnen te helpen.",
    "Een algoritme dat bepaalt welke wegen het eerst onderhoud krijgen.",
    "Bodycams voor handhavers die beelden opslaan bij een cloudleverancier buiten de EU.",
    "Een subsidieregeling waarbij inwoners hun energielabel en inkomen online invullen.",
    "Emotieherkenning met camera's in de klantenhal om agressie vroeg te zien.",
)
WALKED = 4
FREQUENT_WORD = "inwoners"
PLACES: tuple[str, ...] = tuple(
    "Assen Emmen Hoogeveen Meppel Coevorden Zwolle Deventer Kampen Almelo Hengelo Enschede "
    "Oldenzaal Hardenberg Steenwijk Ommen Raalte Lelystad Almere Dronten Urk Zeewolde Emmeloord "
    "Arnhem Nijmegen Apeldoorn Ede Zutphen Doetinchem Winterswijk Harderwijk Tiel Culemborg "
    "Utrecht Amersfoort Veenendaal Zeist Nieuwegein Houten Woerden Haarlem Alkmaar Hoorn "
    "Zaandam Purmerend Hilversum Amstelveen Leiden Delft Gouda Dordrecht Schiedam Vlaardingen "
    "Zoetermeer Middelburg Vlissingen Goes Terneuzen Zierikzee Breda Tilburg Eindhoven Helmond "
    "Oss Roosendaal Bergen Waalwijk Oisterwijk Veghel Maastricht Heerlen Sittard Venlo Roermond "
    "Weert Kerkrade Venray Groningen Delfzijl Veendam Winschoten Stadskanaal Leeuwarden Sneek "
    "Drachten Heerenveen Harlingen Franeker Dokkum Bolsward Joure Wolvega Lemmer Workum "
    "Hindeloopen Stavoren Makkum Grou Burgum Buitenpost Kollum".split()
)
RARE_WORD = PLACES[5]  # Zwolle: in about 1 % of the rows
FILL_CHANNELS = ("web",) * 8 + ("slack",) * 7 + ("teams",) * 5
FILL_STATUSES = (
    ("nieuw",) * 10 + ("in-behandeling",) * 4 + ("doorverwezen",) * 2 + ("afgerond",) * 4
)
REFERRALS = ("fg", "ciso", "ethische-commissie")


# --- helpers ------------------------------------------------------------------------------------


def percentile(samples: Sequence[float], p: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def proc_status_kb(pid: int, key: str) -> int:
    """A field of /proc/<pid>/status in kB (VmRSS, VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def outcome_id(i: int) -> str:
    return "T-" + hashlib.blake2b(f"bench-{i}".encode(), digest_size=8).hexdigest()


@dataclass
class Figure:
    what: str
    figure: str
    aim: str
    ok: bool | None  # None: a peer, no aim


SUMMARY: list[Figure] = []


# --- 1. fill ------------------------------------------------------------------------------------


def fill(db_path: Path, n: int) -> dict[str, float]:
    """``n`` triages in a new database at ``db_path``; returns the times taken and fractions."""
    from bot.storage import Store
    from bot.storage.base import transaction
    from knowledge.triage import Advisor
    from tests.bot.triages import advice, walk

    rng = random.Random(SEED)
    t = time.perf_counter()
    advisor = Advisor.load()
    base = []
    for k, text in enumerate(DESCRIPTIONS):
        lang = "en" if text.startswith("A ") else "nl"
        make = walk if k >= len(DESCRIPTIONS) - WALKED else advice
        base.append(make(advisor, text, T0, conversation=f"c{k}", lang=lang))
    engine_s = time.perf_counter() - t
    risks = sorted({o.risk for o in base})
    instruments = sorted({o.instrument_id or "-" for o in base})
    signals = sorted({s for o in base for s in o.signal_ids()})
    print(
        f"  {len(base)} outcomes made by the engine in {engine_s:.1f} s: risks {risks}, "
        f"{len(instruments)} instruments, signals {signals}"
    )

    store = Store.open(db_path, secret=b"advisor-bench")
    step = YEAR_S / n
    frequent = 0
    rare = 0
    t = time.perf_counter()
    with transaction(store.db):
        for i in range(n):
            src = base[rng.randrange(len(base))]
            place = PLACES[rng.randrange(len(PLACES))]
            created = T0 + timedelta(seconds=int(i * step + rng.random() * step))
            description = f"{src.description} Eerst als proef in {place}."
            frequent += FREQUENT_WORD in description
            rare += place == RARE_WORD
            copy = src.model_copy(
                update={"id": outcome_id(i), "created_at": created, "description": description}
            )
            channel = FILL_CHANNELS[rng.randrange(len(FILL_CHANNELS))]
            store._log_outcome(
                copy, channel, f"user-{rng.randrange(n // 4 + 1)}", created.isoformat(), None
            )
    log_s = time.perf_counter() - t

    # The advisors' work, through the store's review methods (each its own statement).
    t = time.perf_counter()
    notes = 0
    with transaction(store.db):
        for i in range(n):
            oid = outcome_id(i)
            at = T0 + timedelta(seconds=int(i * step) + 3600 * rng.randrange(1, 200))
            if rng.random() < 0.15:
                store.hand_over(oid, f"medewerker{i}@provincie.nl", now=at)
            status = FILL_STATUSES[rng.randrange(len(FILL_STATUSES))]
            if status != "nieuw":
                store.assign(oid, ADVISORS[rng.randrange(len(ADVISORS))], now=at)
                referred = REFERRALS[rng.randrange(3)] if status == "doorverwezen" else None
                store.set_review_status(oid, status, referred, now=at)
    for i in range(0, n, 20):  # a note on every 20th, a correction on every 100th
        oid = outcome_id(i)
        at = T0 + timedelta(seconds=int(i * step) + 7200)
        store.add_entry(oid, "notitie", ADVISORS[0], {"text": "Besproken met de FG."}, now=at)
        notes += 1
        if i % 100 == 0:
            body = {"field": "risk", "original": "midden", "revised": "hoog", "reason": "bench"}
            store.add_entry(oid, "correctie", ADVISORS[1], body, now=at)
    review_s = time.perf_counter() - t
    store.close()
    return {
        "engine_s": engine_s,
        "log_s": log_s,
        "review_s": review_s,
        "notes": notes,
        "frequent": frequent / n,
        "rare": rare / n,
    }


# --- the server, in a child process -------------------------------------------------------------


def serve(db_path: Path) -> None:
    """Child process: the real app on an AppRunner at 127.0.0.1; prints its port, then serves
    until SIGTERM."""
    from aiohttp import web

    from bot.config import Settings
    from bot.server import create_app
    from bot.service import ConversationService

    async def main() -> None:
        # Retention of ten years: the bench's triages are from 2025 and must survive the purge.
        settings = Settings(db_path=db_path, port=0, retention_days=3650)
        service = ConversationService.from_settings(settings)
        runner = web.AppRunner(create_app(settings, service), handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        print(runner.addresses[0][1], flush=True)
        await stop.wait()
        await runner.cleanup()
        service.close()

    try:
        import uvloop  # the server's own loop (bot.server.serve_app)
    except ImportError:  # pragma: no cover
        asyncio.run(main())
    else:
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(main())


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    url: str

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_server(db_path: Path, workdir: Path, name: str) -> Server:
    log = workdir / f"{name}.log"
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--serve", str(db_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=log.open("wb"),
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().decode().strip()
    if not line.isdecimal():
        proc.kill()
        raise RuntimeError(f"the server did not start: {line!r}\n{log.read_text()}")
    return Server(proc, f"http://127.0.0.1:{line}")


def invite(db_path: Path) -> str:
    from bot.storage import Store

    store = Store.open(db_path)
    try:
        return store.create_invite(BENCH_EMAIL, "adviseur")
    finally:
        store.close()


async def signed_in(server: Server, db_path: Path) -> aiohttp.ClientSession:
    """A client session that opened an invite link and keeps the session cookie."""
    session = aiohttp.ClientSession(
        server.url,
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        timeout=aiohttp.ClientTimeout(total=600),
    )
    async with session.post(f"/advisor/login/{invite(db_path)}", allow_redirects=False) as r:
        if r.status != 303:
            await session.close()
            raise RuntimeError(f"sign-in with the invite link answered {r.status}")
    async with session.get("/advisor/api/me") as r:
        if r.status != 200:
            await session.close()
            raise RuntimeError(f"/advisor/api/me answered {r.status} after signing in")
    return session


# --- 2. the queue -------------------------------------------------------------------------------


@dataclass
class Latency:
    name: str
    samples_ms: list[float] = field(default_factory=list)
    items: int = 0
    errors: int = 0


async def timed(session: aiohttp.ClientSession, path: str, result: Latency) -> bytes:
    start = time.perf_counter()
    async with session.get(path) as r:
        body = await r.read()
        status = r.status
    result.samples_ms.append((time.perf_counter() - start) * 1000.0)
    if status != 200:
        result.errors += 1
    return body


async def follow(session: aiohttp.ClientSession, path: str, pages: int) -> str:
    """The ``next`` cursor after ``pages`` pages of ``path``."""
    cursor = ""
    for _ in range(pages):
        sep = "&" if "?" in path else "?"
        url = path + (f"{sep}after={cursor}" if cursor else "")
        async with session.get(url) as r:
            data = await r.json()
        cursor = data["next"]
    return str(cursor)


async def queue_latencies(server: Server, db_path: Path, last_cursor: str) -> list[Latency]:
    from urllib.parse import quote

    session = await signed_in(server, db_path)
    try:
        # Warm-up: the start-up purge, imports on first use, the page cache.
        for _ in range(5):
            await timed(session, "/advisor/api/outcomes", Latency("warm-up"))
            await timed(session, "/advisor/", Latency("warm-up"))
        deep = await follow(session, "/advisor/api/outcomes", DEEP_PAGE - 1)
        kinds = [
            ("first page", "/advisor/api/outcomes"),
            ("filter risk=hoog&signal=dpia", "/advisor/api/outcomes?risk=hoog&signal=dpia"),
            (f"search q={RARE_WORD} (~1 %)", f"/advisor/api/outcomes?q={RARE_WORD}"),
            (f"search q={FREQUENT_WORD} (~30 %)", f"/advisor/api/outcomes?q={FREQUENT_WORD}"),
            (f"page {DEEP_PAGE} (next cursor)", f"/advisor/api/outcomes?after={quote(deep)}"),
            ("last page (cursor)", f"/advisor/api/outcomes?after={quote(last_cursor)}"),
            (
                "filter status+channel, page 2",
                "/advisor/api/outcomes?status=afgerond&channel=teams&after="
                + quote(
                    await follow(session, "/advisor/api/outcomes?status=afgerond&channel=teams", 1)
                ),
            ),
            ("HTML page /advisor/", "/advisor/"),
        ]
        results = []
        for name, path in kinds:
            result = Latency(name)
            for _ in range(REQUESTS):
                body = await timed(session, path, result)
            result.items = body.count(b'"id": "T-') if path.startswith("/advisor/api") else -1
            results.append(result)
        return results
    finally:
        await session.close()


# --- 3. export ----------------------------------------------------------------------------------


@dataclass
class Export:
    fmt: str
    rows: int
    seconds: float
    bytes: int
    rss_before_mb: float
    peak_mb: float
    cpu_s: float  # the server's CPU time for the export

    @property
    def rows_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


async def export_once(db_path: Path, workdir: Path, fmt: str, query: str) -> Export:
    server = start_server(db_path, workdir, f"export-{fmt}")
    try:
        session = await signed_in(server, db_path)
        try:
            for _ in range(3):  # warm-up: the start-up purge and the code on the path
                await timed(session, "/advisor/api/outcomes", Latency("warm-up"))
            async with session.get(f"/advisor/export.{fmt}?from=2099-01-01") as r:
                await r.read()
            before = proc_status_kb(server.proc.pid, "VmRSS") / 1024
            cpu = cpu_seconds(server.proc.pid)
            out = workdir / f"export.{fmt}"
            size = 0
            start = time.perf_counter()
            async with session.get(f"/advisor/export.{fmt}{query}") as r:
                if r.status != 200:
                    raise RuntimeError(f"export answered {r.status}")
                with out.open("wb") as f:
                    async for chunk in r.content.iter_chunked(1 << 16):
                        f.write(chunk)
                        size += len(chunk)
            seconds = time.perf_counter() - start
            peak = proc_status_kb(server.proc.pid, "VmHWM") / 1024
            cpu = cpu_seconds(server.proc.pid) - cpu
        finally:
            await session.close()
    finally:
        server.stop()
    with out.open("rb") as f:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    rows = lines - 1 if fmt == "csv" else lines - 2  # a header; "[" and "]" lines
    out.unlink()
    return Export(fmt, rows, seconds, size, before, peak, cpu)


def outcomes_peer(db_path: Path, n: int) -> None:
    """Child process: ``Store.outcomes(limit=n)``; prints seconds, rows, peak kB."""
    from bot.storage import Store

    store = Store.open(db_path)
    start = time.perf_counter()
    rows = store.outcomes(limit=n)
    seconds = time.perf_counter() - start
    print(seconds, len(rows), proc_status_kb(os.getpid(), "VmHWM"), flush=True)
    store.close()


def run_outcomes_peer(db_path: Path, n: int) -> tuple[float, int, float]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--outcomes-peer", str(db_path), str(n)],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=600,
    )
    seconds, rows, peak_kb = out.stdout.decode().split()
    return float(seconds), int(rows), int(peak_kb) / 1024


# --- 4. the paging peer -------------------------------------------------------------------------


def paging_peer(db_path: Path, depth_rows: int, repeat: int = 50) -> tuple[float, float]:
    """Median ms of the queue's own page query at ``depth_rows`` rows deep: with the keyset
    cursor (``Store.queue``) and with LIMIT/OFFSET (the same SQL otherwise)."""
    from bot.storage import Store
    from bot.storage.review import _QUEUE_COLUMNS, _queue_row

    store = Store.open(db_path)
    try:
        conn = store.db.conn
        key = conn.execute(
            "select created_at, id from outcomes order by created_at desc, id limit 1 offset ?",
            [depth_rows - 1],
        ).fetchone()
        offset_sql = (
            f"select {_QUEUE_COLUMNS} from outcomes order by created_at desc, id limit ? offset ?"
        )
        keyset, offset = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            a = store.queue(limit=PAGE + 1, after=(key[0], key[1]))
            keyset.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            b = [_queue_row(r) for r in conn.execute(offset_sql, [PAGE + 1, depth_rows])]
            offset.append((time.perf_counter() - t) * 1000)
            assert [r.id for r in a] == [r.id for r in b], "the peers read different pages"
        return statistics.median(keyset), statistics.median(offset)
    finally:
        store.close()


def last_cursor(db_path: Path, n: int) -> str:
    from bot.storage import Store

    store = Store.open(db_path)
    try:
        row = store.db.conn.execute(
            "select created_at, id from outcomes order by created_at desc, id limit 1 offset ?",
            [max(n - PAGE - 1, 0)],
        ).fetchone()
        return f"{row[0]}|{row[1]}"
    finally:
        store.close()


# --- main ---------------------------------------------------------------------------------------


def main(n: int) -> int:
    print(f"Ethiekbot advisor's workspace benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {n:,} triages")
    with tempfile.TemporaryDirectory(prefix="ethiekbot-advisor-bench-") as tmp:
        workdir = Path(tmp)
        db_path = workdir / "advisor.db"

        print("\n1. Fill")
        t = time.perf_counter()
        info = fill(db_path, n)
        fill_s = time.perf_counter() - t
        size_mb = sum(p.stat().st_size for p in workdir.glob("advisor.db*")) / 1024 / 1024
        print(
            f"  {n:,} triages logged in {info['log_s']:.1f} s ({n / info['log_s']:,.0f}/s), "
            f"review work (statuses, assignments, hand-overs, {info['notes']:,.0f} notes) in "
            f"{info['review_s']:.1f} s; {fill_s:.1f} s in all; database {size_mb:.0f} MB"
        )
        print(
            f"  search words: {RARE_WORD!r} in {info['rare']:.1%} of the rows, "
            f"{FREQUENT_WORD!r} in {info['frequent']:.1%}"
        )
        SUMMARY.append(Figure("fill", f"{fill_s:.1f} s", "", None))

        print(f"\n2. The queue over HTTP ({REQUESTS} requests each, one at a time)")
        server = start_server(db_path, workdir, "queue")
        try:
            results = asyncio.run(queue_latencies(server, db_path, last_cursor(db_path, n)))
        finally:
            server.stop()
        print(f"  {'request':<36}{'items':>6}{'p50':>9}{'p95':>9}{'p99':>9}  errors")
        for r in results:
            p50, p95, p99 = (percentile(r.samples_ms, p) for p in (50, 95, 99))
            items = "" if r.items < 0 else str(r.items)
            print(f"  {r.name:<36}{items:>6}{p50:>6.1f} ms{p95:>6.1f} ms{p99:>6.1f} ms  {r.errors}")
            SUMMARY.append(
                Figure(
                    f"p95 {r.name}", f"{p95:.1f} ms", "< 100 ms", p95 < AIM_P95_MS and not r.errors
                )
            )

        print("\n3. Export (a fresh server process each; streamed to a file by the client)")
        tenth = T0 + timedelta(seconds=int(YEAR_S * 0.9))
        small_query = f"?from={(tenth + timedelta(days=1)).date().isoformat()}"
        exports = []
        print(
            f"  {'export':<28}{'rows':>9}{'seconds':>9}{'rows/s':>9}{'MB':>7}"
            f"{'RSS before':>12}{'peak':>9}{'server CPU':>12}"
        )
        for fmt in ("csv", "json"):
            for query in (small_query, ""):
                e = asyncio.run(export_once(db_path, workdir, fmt, query))
                exports.append(e)
                what = f"/advisor/export.{fmt}" + (" (newest)" if query else " (all)")
                print(
                    f"  {what:<28}{e.rows:>9,}{e.seconds:>9.2f}{e.rows_s:>9,.0f}"
                    f"{e.bytes / 1024 / 1024:>7.1f}{e.rss_before_mb:>9.1f} MB{e.peak_mb:>6.1f} MB"
                    f"{e.cpu_s:>7.2f} s ({e.rows / e.cpu_s if e.cpu_s else 0:,.0f} rows per CPU s)"
                )
        for fmt in ("csv", "json"):
            small, full = (e for e in exports if e.fmt == fmt)
            growth = full.peak_mb - small.peak_mb
            SUMMARY.append(
                Figure(
                    f"export {fmt}: rows/s ({full.rows:,} rows)",
                    f"{full.rows_s:,.0f}",
                    "> 20,000",
                    full.rows_s > AIM_ROWS_S,
                )
            )
            SUMMARY.append(
                Figure(
                    f"export {fmt}: server peak RSS",
                    f"{full.peak_mb:.0f} MB",
                    "< 150 MB",
                    full.peak_mb < AIM_PEAK_MB,
                )
            )
            SUMMARY.append(
                Figure(
                    f"export {fmt}: peak growth {small.rows:,} -> {full.rows:,}",
                    f"{growth:+.1f} MB",
                    "< 10 MB",
                    growth < 10.0,
                )
            )

        print("\n4. Peers")
        for depth in (DEEP_PAGE * PAGE, n - PAGE - 1):
            keyset_ms, offset_ms = paging_peer(db_path, depth)
            print(
                f"  page at row {depth:>7,}: keyset cursor {keyset_ms:6.2f} ms, "
                f"LIMIT/OFFSET {offset_ms:6.2f} ms (median of 50; offset / keyset "
                f"{offset_ms / keyset_ms:.1f}x)"
            )
            SUMMARY.append(
                Figure(
                    f"OFFSET / keyset at row {depth:,}", f"{offset_ms / keyset_ms:.1f}x", "", None
                )
            )
        seconds, rows, peak = run_outcomes_peer(db_path, n)
        full_csv = next(e for e in exports if e.fmt == "csv" and e.rows >= rows)
        print(
            f"  Store.outcomes(limit={n:,}): {rows:,} rows in {seconds:.1f} s "
            f"({rows / seconds:,.0f} rows/s), peak RSS {peak:.0f} MB; "
            f"streamed CSV export over HTTP {full_csv.rows_s:,.0f} rows/s, "
            f"peak {full_csv.peak_mb:.0f} MB"
        )
        SUMMARY.append(
            Figure(
                "export CSV / Store.outcomes rows/s",
                f"{full_csv.rows_s / (rows / seconds):.1f}x",
                "",
                None,
            )
        )
        SUMMARY.append(
            Figure("Store.outcomes / export CSV peak", f"{peak / full_csv.peak_mb:.1f}x", "", None)
        )

    print("\nSummary")
    print(f"  {'figure':<46}{'value':>12}  {'aim':<10}result")
    for s in SUMMARY:
        result = "(peer)" if s.ok is None and s.aim == "" else verdict(bool(s.ok))
        if s.what == "fill":
            result = ""
        print(f"  {s.what:<46}{s.figure:>12}  {s.aim:<10}{result}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="triages to store")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--outcomes-peer", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        raise SystemExit(0)
    if args.outcomes_peer:
        outcomes_peer(Path(args.outcomes_peer[0]), int(args.outcomes_peer[1]))
        raise SystemExit(0)
    raise SystemExit(main(max(args.rows, 2_000)))
