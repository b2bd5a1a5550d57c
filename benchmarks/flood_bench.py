"""How the database grows under a flood, with the limits on and (as the peer) off.

Four clients on one address start web-chat conversations of 20,000 characters as fast as they
can for eight seconds (the flood that once added 47 MB in 8 s). The same flood runs twice in one
go against ``ethiekbot serve`` on a fresh SQLite file: with the default limits, and with every
limit switched off (``ETHIEKBOT_LIMIT_*=0``). Printed per run: requests per status code and the
database's growth (file plus WAL).

    .venv/bin/python benchmarks/flood_bench.py [--seconds 8] [--clients 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.throttle import ENV_OFF  # noqa: E402

WORDS = "drones camera data burgers gemeente algoritme wijk toezicht privacy inwoners".split()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _size(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


async def _wait_up(url: str) -> None:
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.get(url + "/healthz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("server did not start")


async def _client(url: str, until: float, counts: Counter[int], seed: int) -> None:
    rng = random.Random(seed)
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < until:
            async with http.post(url + "/api/session") as r:
                counts[r.status] += 1
                session = (await r.json())["session"]
            text = " ".join(rng.choice(WORDS) for _ in range(3000))[:20_000]
            async with http.post(url + "/api/chat", json={"session": session, "text": text}) as r:
                counts[r.status] += 1
                await r.read()


async def flood(env: dict[str, str], seconds: float, clients: int) -> tuple[Counter[int], int]:
    """Run one flood against a fresh server; (status counts, bytes the database grew)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "flood.db"
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        full_env = {**os.environ, **env, "ETHIEKBOT_DB": str(db), "ETHIEKBOT_SECRET": "bench"}
        cmd = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            await _wait_up(url)
            before = _size(db)
            counts: Counter[int] = Counter()
            until = time.monotonic() + seconds
            await asyncio.gather(*(_client(url, until, counts, i) for i in range(clients)))
            await asyncio.sleep(0.5)  # the last writes
            return counts, _size(db) - before
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    results = {}
    for name, env in (("limits on (default)", {}), ("limits off (peer)", ENV_OFF)):
        counts, grown = asyncio.run(flood(env, args.seconds, args.clients))
        results[name] = grown
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        print(f"{name:22} requests {sum(counts.values()):6}  [{statuses}]")
        print(f"{'':22} database grew {grown / 1e6:8.2f} MB")
    on, off = results["limits on (default)"], results["limits off (peer)"]
    if off:
        print(f"growth with limits / without: {on / off:.3f}")


if __name__ == "__main__":
    main()
