"""Black-box HTTP fuzzer: malformed and odd requests against the real server, on loopback.

Run from the repository root::

    .venv/bin/python benchmarks/fuzz_bench.py                  # 10,000 requests
    .venv/bin/python benchmarks/fuzz_bench.py --quick          # 500 requests
    .venv/bin/python benchmarks/fuzz_bench.py --requests 3000 --seed 7 --concurrency 8
    .venv/bin/python benchmarks/fuzz_bench.py --dump-dir /tmp/fuzz-5xx --keep-logs

What it starts, all on 127.0.0.1 (nothing contacts the internet):

* a mock of the Slack Web API (``POST /api/<method>`` answers ``{"ok": true, ...}`` with
  plausible fields, e.g. ``auth.test`` a user, bot and team id) that also plays the Bot
  Framework connector (``/v3/conversations/...``) for Teams replies;
* the real server, ``.venv/bin/ethiekbot serve`` on a free port, with ``ETHIEKBOT_DB`` in a
  temporary directory, ``ETHIEKBOT_SECRET``, ``ETHIEKBOT_TEAMS_LOCAL=1`` and Slack configured
  (``SLACK_BOT_TOKEN``, ``SLACK_SIGNING_SECRET``, ``SLACK_API_URL`` = the mock), and its rate
  limits off (``ETHIEKBOT_LIMIT_*=0``; ``--keep-limits`` leaves them on), since every request
  comes from 127.0.0.1 and 429s would keep the fuzz from the engine. Proxy variables
  are removed from its environment. Its stderr and stdout go to files; ``--keep-logs`` keeps
  them.

Before fuzzing it signs in to the advisor's workspace (an invite made with ``ethiekbot advisor
invite``), and drives a pool of web-chat sessions to different stages (fresh, described, in the
drietrap, at the outcome, planning checkpoints), so that both the HTTP layer and the engine are
fuzzed. Then it sends ``--requests`` requests, ``--concurrency`` at a time, spread over every
route: web chat (``/``, ``/privacy``, ``/static/*``, ``/api/*``), ``/slack/events`` (unsigned,
wrongly signed, correctly signed with malformed bodies, odd timestamps, odd ``payload=`` forms
and slash commands), ``/api/messages`` (malformed activities, odd ``serviceUrl`` values that all
point at loopback: the mock or a port where nothing listens), the advisor's workspace
(``/advisor/...``, signed out and signed in, with and without CSRF token) and raw, malformed
HTTP over a plain socket. Kinds of input: wrong methods, odd Content-Types, invalid, truncated,
huge or deeply nested JSON, wrong types for every field, lone surrogates, control characters,
unicode digits, 5000-digit numbers, empty and huge bodies, random bytes, bad path parameters,
unknown choice ids.

Request *i* is generated from ``random.Random(f"{seed}:{i}")`` and what setup made, so the same
``--seed`` sends the same requests in the same order, except for the ids setup got from the
server (sessions, outcomes, choice ids) and choices taken from a session's live buttons at send
time. Each 5xx is printed as ``#i METHOD path [family: kind]``; ``--dump-dir`` writes its exact
headers and body, with a curl line to send them again. ``GET /healthz`` is checked every
``--health-every`` requests. Typed text for the engine stays under ``--max-text`` characters:
a larger text is slow for the server (its redaction of personal data), which is a measurement,
not a fuzz finding.

At the end it prints: requests sent, counts per status code, the 5xx with a few reproducible
examples (method, path, kind of body), connection errors and timeouts, the slowest requests,
whether the server stayed up, the lines containing "Traceback" in its stderr and in its stdout
(some library may point logging there), with their exception lines, and its ERROR log lines
(work done after a request was acknowledged fails there, not in a status code). Exit status 1
on any 5xx, any Traceback, or the server going down; else 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web
from yarl import URL

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
ETHIEKBOT = VENV_BIN / "ethiekbot"

SIGNING_SECRET = "fuzz-signing-secret-5f0c1d2e3a4b"
BOT_TOKEN = "xoxb-test"
SECRET = "fuzz-pseudonym-secret"
ADMIN_EMAIL = "fuzz-admin@example.org"
TEAM_ID = "T0FUZZ"
BOT_USER_ID = "U0BOT"
START_TIMEOUT_S = 90.0
MAX_BODY = 1024 * 1024  # the server's client_max_size

DESCRIPTIONS = [
    "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?",
    "We willen camera's op het marktplein die de drukte meten en bezoekers tellen.",
    "Een algoritme dat voorspelt welke aanvragen voor bijstand extra gecontroleerd worden.",
    "Sensoren in de stallen die ammoniakuitstoot real-time meten en doorsturen.",
    "A chatbot on the website that answers residents' questions about waste collection.",
    "Gezichtsherkenning bij de ingang van het provinciehuis voor kinderen en bezoekers.",
]

# --- odd values ---------------------------------------------------------------------------------

FIVE_THOUSAND_DIGITS = "9" + "1234567890" * 500  # 5001 digits
UNICODE_DIGITS = "⓵ ፩ ١٢ ١ ۳ ߁ 𝟙 ১২ ๓ Ⅻ ½ ² ¹² ０ １２ 1٢ ⁹ ٣٠ 🄂".split()
COMMANDS = (
    "hulp|help|terug|back|overslaan|skip|opnieuw|restart|samenvatting|summary|stop|privacy|"
    "english|nederlands|waarom?|why?|mijn gegevens|my data|wis mijn gegevens|delete my data|ja|"
    "yes|nee|no|zorg: drones boven privéterrein|geen zorg|weet ik niet|ja, want het moet|zorg:|"
    ":|waarom"
).split("|")
DATES = [
    *(
        "over 3 maanden|1 maart|volgende week|31 februari|30 februari 2030|over 99999999 jaar|"
        "over 9999 jaar|0000-00-00|9999-12-31|1 maart 10000|gisteren|over -5 dagen|"
        "over ١٢ maanden|over ⓵ week|29 februari 2100|1-1-1|in 1e9 days|next monday at 25:61|"
        "32/13/2025|morgen, overmorgen en volgende maand"
    ).split("|"),
    f"over {FIVE_THOUSAND_DIGITS} maanden",
]
PERSONAL = [
    "BSN 111222333 en IBAN NL91ABNA0417164300",
    "mail jan@example.org of bel +31 6 12345678",
    "Kerkstraat 1, 1234 AB Amsterdam, kenteken 12-ABC-3",
    "Mevrouw Jansen, geboren 01-01-1970, IP 10.0.0.1",
    "bel 0612345678" * 50,
]
INJECTION = [
    "<script>alert(1)</script>",
    "**vet** _schuin_ `code` [klik](javascript:alert(1))",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "<@U123> <!channel> <!here> <#C123|x>",
    "&lt;&amp;&gt; &amp;amp;",
    "${jndi:ldap://127.0.0.1:1/a}",
    "'; DROP TABLE outcomes; --",
    "%s%s%n%x {0} {}",
    "{{7*7}} {% raw %}",
    "\u202egnirts desrever",
    "\ufeffmet BOM",
    "Z\u0337\u031b\u032aa\u0335l\u0334g\u0336o\u0337" * 40,
    "🤖" * 500,
    "👩\u200d👩\u200d👧\u200d👦" * 100,
    "# kop\n- punt\n  - subpunt\n\n> citaat",
    "\\" * 1000,
    "*" * 3000,
    "_" * 2000,
    "`" * 999,
]
CONTROL = [
    "\x00",
    "\x00abc\x1b[31mrood\x07",
    "\r\n\r\n",
    "\t" * 100,
    "\x7f\x80\x9f",
    "\u2028\u2029",
    "\ud800",
    "a\udfffb",
    "\ud83d",
    "\x0b\x0c\x1c\x1d\x1e",
    "\U0010ffff",
    "\ufffe\uffff",
]
NUMBERS = [
    FIVE_THOUSAND_DIGITS,
    "-" + FIVE_THOUSAND_DIGITS,
    *"1e309|-0|NaN|Infinity|0x1F|1_000|99999999999999999999|0|-1|1|2|12|99|1.5|1,2|1 2 3".split(
        "|"
    ),
    "00001",
    "+1",
]
WRONG_TYPES: list[tuple[Any, str]] = [
    (None, "null"),
    (True, "true"),
    (False, "false"),
    (0, "0"),
    (-1, "-1"),
    (3.14, "float"),
    (1e308, "1e308"),
    (10**30, "big int"),
    ("", "empty string"),
    (" ", "space"),
    ([], "empty list"),
    ({}, "empty object"),
    ([1, "a", None], "list"),
    ({"a": {"b": [1]}}, "object"),
    ("x" * 300, "300 chars"),
    ("x" * 5000, "5000 chars"),
]
# JSON text that json.dumps cannot make: put in place of a placeholder string.
RAW_TOKENS: list[tuple[str, str]] = [
    (FIVE_THOUSAND_DIGITS, "5000-digit JSON number"),
    ("-" + FIVE_THOUSAND_DIGITS, "negative 5000-digit JSON number"),
    ("1" + "0" * 4400 + ".5", "4400-digit float"),
    ("NaN", "NaN literal"),
    ("Infinity", "Infinity literal"),
    ("-Infinity", "-Infinity literal"),
    ("1e999", "1e999"),
    ('"\\ud800"', "lone surrogate \\ud800"),
    ('"a\\udfffb"', "lone surrogate \\udfff"),
    ('"\\u0000\\u001b"', "escaped NUL and ESC"),
    ("[" * 1200 + "]" * 1200, "list nested 1200 deep"),
    ('{"a":' * 1500 + "1" + "}" * 1500, "object nested 1500 deep"),
    ("[" * 100000 + "]" * 100000, "list nested 100000 deep"),
    ('"' + FIVE_THOUSAND_DIGITS + '"', "5000-digit string"),
]
CONTENT_TYPES = [
    "application/json; charset=bogus",
    "application/json; charset=utf-16",
    "application/json; charset=latin-1",
    "application/json; charset=",
    "application/json;;;charset=utf-8;charset=ascii",
    "text/plain",
    "text/plain; charset=utf-8",
    "multipart/form-data; boundary=fuzzboundary",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=bogus",
    "APPLICATION/JSON",
    "application/jsonp",
    "application/json-patch+json",
    "application/octet-stream",
    "*/*",
    "",
    "application",
    "x" * 3000,
]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "FOO"]


ADVISOR_GET = (
    "/advisor /advisor/ /advisor/signin /advisor/audit /advisor/api/me /advisor/api/outcomes "
    "/advisor/api/audit /advisor/export.csv /advisor/export.json /advisor/overview "
    "/advisor/projects /advisor/advisors /advisor/contacts /advisor/oidc/start "
    "/advisor/oidc/callback"
).split()
ACTIONS = ["status", "assign", "note", "correct", "reply", "retry", "promote"]


# --- the mock Slack Web API and Bot Framework connector ---------------------------------------


class Mock:
    """Slack's Web API (``POST /api/<method>``) and the Bot Framework connector, on loopback."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self._ts = 1_700_000_000.0
        self.runner: web.AppRunner | None = None
        self.port = 0

    def _next_ts(self) -> str:
        self._ts += 0.000100
        return f"{self._ts:.6f}"

    async def slack(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls[f"slack {method}"] += 1
        await request.read()
        ok: dict[str, Any] = {"ok": True}
        if method == "auth.test":
            ok |= {
                "url": "https://fuzz.slack.com/",
                "team": "Fuzz",
                "user": "ethiekbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": "B0BOT",
                "is_enterprise_install": False,
            }
        elif method == "conversations.open":
            ok |= {"channel": {"id": "D0FUZZ"}}
        elif method in ("chat.postMessage", "chat.update"):
            ts = self._next_ts()
            ok |= {"channel": "D0FUZZ", "ts": ts, "message": {"ts": ts, "text": "ok"}}
        elif method == "chat.postEphemeral":
            ok |= {"message_ts": self._next_ts()}
        elif method in ("views.open", "views.publish", "views.update"):
            ok |= {"view": {"id": "V0FUZZ", "type": "modal"}}
        elif method == "users.info":
            ok |= {"user": {"id": "U1", "tz": "Europe/Amsterdam", "locale": "nl-NL"}}
        return web.json_response(ok)

    async def connector(self, request: web.Request) -> web.Response:
        self.calls["botframework"] += 1
        await request.read()
        return web.json_response({"id": f"act-{uuid.uuid4().hex[:8]}"})

    async def anything(self, request: web.Request) -> web.Response:
        self.calls[f"other {request.method}"] += 1
        await request.read()
        return web.json_response({"ok": True})

    async def start(self) -> int:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_post("/api/{method}", self.slack)
        app.router.add_route("*", "/v3/{tail:.*}", self.connector)
        app.router.add_route("*", "/{tail:.*}", self.anything)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.base_events.Server)
        self.port = int(server.sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


# --- requests -----------------------------------------------------------------------------------


@dataclass
class Case:
    """One request: sent with aiohttp, or (``raw``) as bytes over a plain socket."""

    index: int
    family: str
    kind: str
    method: str = "GET"
    path: str = "/"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    raw: bytes | None = None
    # Choose one of the session's live buttons at send time: (session, position, mutation).
    live_choice: tuple[str, int, str] | None = None
    no_content_type: bool = False

    def describe(self) -> str:
        size = len(self.raw if self.raw is not None else self.body or b"")
        where = "raw socket" if self.raw is not None else f"{self.method} {self.path[:90]}"
        return f"#{self.index} {where} [{self.family}: {self.kind[:160]}] ({size} bytes)"


@dataclass
class Context:
    """What the generators may point at: ports, sessions, outcomes, the advisor's session."""

    port: int
    mock_port: int
    dead_port: int
    sessions: list[str] = field(default_factory=list)
    outcome_sessions: list[tuple[str, str]] = field(default_factory=list)  # (session, outcome)
    outcome_ids: list[str] = field(default_factory=list)
    choice_ids: list[str] = field(default_factory=list)
    live: dict[str, list[str]] = field(default_factory=dict)
    cookie: str = ""
    csrf: str = ""


def _surrogate_safe(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")


def _form(fields: dict[str, str] | list[tuple[str, str]]) -> bytes:
    items = fields.items() if isinstance(fields, dict) else fields
    return "&".join(
        f"{quote(_surrogate_safe(k), safe='')}={quote(_surrogate_safe(v), safe='')}"
        for k, v in items
    ).encode()


def _multipart(fields: dict[str, str], boundary: str = "fuzzboundary") -> bytes:
    parts = []
    for k, v in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode()
            + _surrogate_safe(v)
            + b"\r\n"
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + bytes(range(256))
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def _q(s: str) -> str:
    return quote(_surrogate_safe(s), safe="")


class Generator:
    """Makes request ``i`` from ``random.Random(f"{seed}:{i}")`` and the context."""

    def __init__(self, seed: int, ctx: Context, max_text: int) -> None:
        self.seed = seed
        self.ctx = ctx
        self.max_text = max_text
        self.families: list[tuple[str, int, Callable[[random.Random, Case], None]]] = [
            ("misc", 8, self.misc),
            ("web-json", 12, self.web_json),
            ("engine", 22, self.engine),
            ("web-api", 8, self.web_api),
            ("slack", 16, self.slack),
            ("teams", 16, self.teams),
            ("advisor-out", 5, self.advisor_signed_out),
            ("advisor-in", 12, self.advisor_signed_in),
            ("raw", 2, self.raw_http),
        ]

    def case(self, index: int) -> Case:
        rng = random.Random(f"{self.seed}:{index}")
        names = [f[0] for f in self.families]
        weights = [f[1] for f in self.families]
        name = rng.choices(names, weights)[0]
        fn = next(f[2] for f in self.families if f[0] == name)
        case = Case(index=index, family=name, kind="")
        fn(rng, case)
        return case

    # -- values ------------------------------------------------------------------------------

    def odd_text(self, rng: random.Random) -> tuple[str, str]:
        pick = rng.randrange(12)
        if pick == 0:
            return rng.choice(DESCRIPTIONS), "a description"
        if pick == 1:
            return rng.choice(COMMANDS), "a command"
        if pick == 2:
            d = rng.choice(UNICODE_DIGITS)
            return d, f"unicode digits {d!r}"
        if pick == 3:
            n = rng.choice(NUMBERS)
            return n, f"number {n[:12]!r} ({len(n)} chars)"
        if pick == 4:
            d = rng.choice(DATES)
            return d, f"date {d[:30]!r}"
        if pick == 5:
            return rng.choice(PERSONAL), "personal data"
        if pick == 6:
            s = rng.choice(INJECTION)
            return s, f"markup/injection {s[:20]!r}"
        if pick == 7:
            s = rng.choice(CONTROL) + rng.choice(["", " ja", " 1", rng.choice(DESCRIPTIONS)])
            return s, f"control characters {s[:12]!r}"
        if pick == 8:
            size = rng.choice([0, 1, 20_000, 20_001, 50_000, self.max_text])
            return ("x " * size)[:size] if size else "", f"text of {size} chars"
        if pick == 9:
            return " \t\n ", "whitespace only"
        if pick == 10:
            # several of the above together
            parts = [rng.choice(UNICODE_DIGITS), rng.choice(COMMANDS), rng.choice(CONTROL)]
            rng.shuffle(parts)
            return " ".join(parts), "mixed odd text"
        return (
            "".join(chr(rng.randrange(1, 0x2FFFF)) for _ in range(rng.randrange(1, 200))),
            "random code points",
        )

    def odd_choice(self, rng: random.Random) -> tuple[str, str]:
        ctx = self.ctx
        pick = rng.randrange(8)
        if pick < 3 and ctx.choice_ids:
            c = rng.choice(ctx.choice_ids)
            return c, "a choice id seen in setup (maybe stale)"
        if pick == 3 and ctx.choice_ids:
            c = rng.choice(ctx.choice_ids)
            prefix = c.rsplit(".", 2)[0]
            step = rng.choice(["0", "-1", "١٢", "⓵", FIVE_THOUSAND_DIGITS[:150], "x", ""])
            suffix = rng.choice(["ja", "zorg", "bogus", "", "skip", "report", "restart"])
            return f"{prefix}.{step}.{suffix}", "choice id with odd step/suffix"
        if pick == 4:
            v = rng.choice(UNICODE_DIGITS + NUMBERS[:2] + ["", " ", "0", "999999", "../.."])
            return v, f"choice {v[:12]!r} ({len(v)} chars)"
        if pick == 5:
            n = rng.choice([199, 200, 201, 5000])
            return "c" * n, f"choice of {n} chars"
        if pick == 6:
            s = rng.choice(CONTROL)
            return s, f"choice with control char {s!r}"
        return f"unknown-{rng.randrange(10**6)}", "unknown choice id"

    def json_body(
        self, rng: random.Random, obj: dict[str, Any], huge_ok: bool = True
    ) -> tuple[bytes, str]:
        """A JSON body for ``obj`` that is malformed or odd in one way."""
        pick = rng.randrange(14)
        if pick <= 3 and obj:
            key = rng.choice(list(obj))
            value, desc = rng.choice(WRONG_TYPES)
            return json.dumps({**obj, key: value}).encode(), f"{key}={desc}"
        if pick <= 5 and obj:
            key = rng.choice(list(obj))
            token, desc = rng.choice(RAW_TOKENS)
            text = json.dumps({**obj, key: "@@RAW@@"}).replace('"@@RAW@@"', token)
            return text.encode(), f"{key}={desc}"
        if pick == 6:
            top = rng.choice(["null", "true", "1", '"str"', "[]", json.dumps([obj]), "{}", "-0"])
            return top.encode(), f"non-object JSON {top[:15]}"
        if pick == 7:
            text = json.dumps(obj)
            cut = rng.randrange(0, max(1, len(text)))
            return text[:cut].encode(), f"truncated JSON at {cut}"
        if pick == 8:
            token, desc = rng.choice(RAW_TOKENS[10:13])
            return token.encode(), f"top-level {desc}"
        if pick == 9:
            bad = rng.choice(
                [
                    "{'a': 1}",
                    '{"a":}',
                    "{} x",
                    "{}{}",
                    '{"a" 1}',
                    "{,}",
                    '{"a":1,}',
                    '{"\x00": "\x01"}',
                    '{"a": "line\nbreak"}',
                    "\ufeff{}",
                    "",
                    "   ",
                ]
            )
            return bad.encode(), f"invalid JSON {bad[:12]!r}"
        if pick == 10:
            return rng.randbytes(rng.randrange(1, 2000)), "random bytes"
        if pick == 11:
            variant = rng.randrange(3)
            if variant == 0:
                return json.dumps(obj).encode("utf-16"), "UTF-16 JSON"
            if variant == 1:
                return b'{"session": "\xed\xa0\x80", "text": "\xff\xfe"}', "invalid UTF-8"
            return "\ufeff".encode() + json.dumps(obj).encode(), "UTF-8 BOM + JSON"
        if pick == 12 and huge_ok:
            size = rng.choice([MAX_BODY + 1, MAX_BODY + 100_000, 2 * MAX_BODY])
            pad = "x" * size
            return json.dumps({**obj, "pad": pad}).encode(), f"{size // 1024} KiB body"
        extra = {f"k{i}": i for i in range(rng.choice([1, 100, 5000]))}
        dup = json.dumps({**obj, **extra})
        if obj:
            k = next(iter(obj))
            dup = dup[:-1] + f", {json.dumps(k)}: null}}"
        return dup.encode(), f"{len(extra)} extra keys and a duplicate key"

    def content_type(self, rng: random.Random, case: Case, usual: str) -> str:
        """Usually ``usual``; sometimes odd or missing. Returns a description."""
        pick = rng.random()
        if pick < 0.65:
            case.headers["Content-Type"] = usual
            return usual
        if pick < 0.75:
            case.no_content_type = True
            return "no Content-Type"
        ct = rng.choice(CONTENT_TYPES)
        case.headers["Content-Type"] = ct
        return f"Content-Type {ct[:40]!r}"

    def session_token(self, rng: random.Random) -> tuple[Any, str]:
        pick = rng.randrange(6)
        if pick <= 2 and self.ctx.sessions:
            return rng.choice(self.ctx.sessions), "a live session"
        if pick == 3:
            return uuid.UUID(int=rng.getrandbits(128)).hex, "an unknown session"
        if pick == 4:
            bad = rng.choice(["", "short", "a" * 65, "../../etc/passwd", "١٢" * 10, "a b" * 8])
            return bad, f"bad session {bad[:10]!r}"
        value, desc = rng.choice(WRONG_TYPES)
        return value, f"session {desc}"

    def outcome_id(self, rng: random.Random) -> tuple[str, str]:
        pick = rng.randrange(5)
        if pick <= 1 and self.ctx.outcome_ids:
            return rng.choice(self.ctx.outcome_ids), "an existing outcome"
        if pick == 2:
            return "T-" + rng.randbytes(12).hex(), "an unknown outcome id"
        bad = rng.choice(
            [
                "T-",
                "T-zzzzzz",
                "T-" + "a" * 33,
                "..",
                "%2e%2e%2f%2e%2e",
                "T-abc%00def",
                "T-١٢٣٤٥٦",
                "x" * 3000,
                "%ff%fe",
                "T-abcdef%2Fregister",
                "%20",
            ]
        )
        return bad, f"bad outcome id {bad[:14]!r}"

    # -- families ----------------------------------------------------------------------------

    def misc(self, rng: random.Random, case: Case) -> None:
        routes = [
            "/",
            "/healthz",
            "/privacy",
            "/static/chat.js",
            "/static/chat.css",
            "/api/session",
            "/api/chat",
            "/api/inbox",
            "/api/my-data",
            "/api/messages",
            "/slack/events",
            "/advisor/",
            "/advisor/signin",
            "/advisor/api/me",
        ]
        pick = rng.randrange(6)
        if pick <= 1:
            case.method = rng.choice(METHODS)
            case.path = rng.choice(routes)
            if rng.random() < 0.5:
                case.body, desc = self.json_body(rng, {"session": "x"}, huge_ok=False)
            else:
                desc = "no body"
            case.kind = f"method {case.method}, {desc}"
        elif pick == 2:
            name = rng.choice(
                [
                    "..%2f..%2fpyproject.toml",
                    "chat.js%00.css",
                    "CHAT.JS",
                    "chat.js.map",
                    "%2e%2e",
                    "index.html",
                    "x" * 5000,
                    "%ff",
                    _q("⓵"),
                    "",
                ]
            )
            prefix = rng.choice(["/static/", "/advisor/static/"])
            case.path = prefix + name
            case.kind = f"odd static name {name[:20]!r}"
        elif pick == 3:
            lang = rng.choice(["en", "EN", "", "x" * 5000, _q("\x00"), "%ff", _q("en\u0301"), "e"])
            case.path = f"/privacy?lang={lang}"
            case.headers["Accept-Language"] = rng.choice(
                ["", "e", "en-US,en;q=0.9", "*", "x" * 4000, "nl;q=abc", ",,,"]
            )
            case.kind = f"privacy with lang {lang[:10]!r} and odd Accept-Language"
        elif pick == 4:
            case.path = rng.choice(
                [
                    "/nope",
                    "/" + "a" * 9000,
                    "/api/",
                    "//api//chat",
                    "/api/chat/",
                    "/%zz",
                    "/api/report/",
                    "/./healthz",
                    "/healthz?" + "&".join(f"k{i}=v" for i in range(3000)),
                    "/healthz?a=%ff%fe&b=%zz",
                    "/?" + "x" * 9000,
                    "/api/checkpoints/.ics",
                    "/advisor/outcomes/",
                    "/slack/events/",
                ]
            )
            case.method = rng.choice(["GET", "POST"])
            case.kind = "odd path or query"
        else:
            case.method = rng.choice(["GET", "POST", "HEAD"])
            case.path = rng.choice(routes)
            case.headers.update(
                rng.choice(
                    [
                        {"Content-Length": "0", "Transfer-Encoding": "chunked"},
                        {"Cookie": "ethiekbot_advisor=" + "a" * 4000},
                        {"Cookie": "=; ;;; a=b=c; ethiekbot_advisor"},
                        {"X-Forwarded-For": "127.0.0.1, ::1", "X-Forwarded-Proto": "javascript"},
                        {"Origin": "null", "Referer": "javascript:alert(1)"},
                        {"Accept": "x/y;q=NaN", "Accept-Encoding": "bogus, *;q=-1"},
                        {"Host": "evil.example:99999"},
                        {"Range": "bytes=99999999-0"},
                        {"Expect": "100-continue"},
                        {"Connection": "upgrade", "Upgrade": "websocket"},
                    ]
                )
            )
            case.kind = f"odd headers {sorted(case.headers)}"

    def web_json(self, rng: random.Random, case: Case) -> None:
        case.method = "POST"
        case.path = rng.choice(["/api/chat"] * 4 + ["/api/inbox", "/api/my-data", "/api/session"])
        session, _ = self.session_token(rng)
        obj: dict[str, Any] = {"session": session}
        if case.path == "/api/chat":
            obj |= rng.choice(
                [{"text": "hallo"}, {"choice": "x"}, {"text": "1", "choice": "1", "locale": "en"}]
            )
        ct = self.content_type(rng, case, "application/json")
        case.body, desc = self.json_body(rng, obj)
        case.kind = f"{desc}; {ct}"

    def engine(self, rng: random.Random, case: Case) -> None:
        """A valid session (mostly) with odd text, choice and locale: fuzz the engine itself."""
        ctx = self.ctx
        case.method = "POST"
        case.path = "/api/chat"
        case.headers["Content-Type"] = "application/json"
        session = rng.choice(ctx.sessions) if ctx.sessions else uuid.uuid4().hex
        obj: dict[str, Any] = {"session": session}
        descs = []
        pick = rng.randrange(10)
        if pick <= 4:
            obj["text"], d = self.odd_text(rng)
            descs.append(f"text: {d}")
        elif pick <= 6:
            position = rng.randrange(4)
            mutation = rng.choice(["", "", "", "x", ".", " ", "\x00", "١"])
            case.live_choice = (session, position, mutation)
            descs.append(f"live choice #{position} + {mutation!r}")
        elif pick == 7:
            obj["choice"], d = self.odd_choice(rng)
            descs.append(f"choice: {d}")
        elif pick == 8:
            obj["text"], d1 = self.odd_text(rng)
            obj["choice"], d2 = self.odd_choice(rng)
            descs.append(f"text: {d1} and choice: {d2}")
        else:
            descs.append("neither text nor choice")
        if rng.random() < 0.2:
            obj["locale"] = rng.choice(["en", "nl", "de", "", None, 1, ["en"], "EN", "en-US"])
            descs.append(f"locale {obj['locale']!r}")
        if rng.random() < 0.1:
            token, d = rng.choice(RAW_TOKENS[:10])
            key = rng.choice(["text", "choice", "locale"])
            text = json.dumps({**obj, key: "@@RAW@@"}).replace('"@@RAW@@"', token)
            case.body = text.encode()
            descs.append(f"{key}={d}")
        else:
            case.body = json.dumps(obj).encode()
        case.kind = "; ".join(descs)

    def web_api(self, rng: random.Random, case: Case) -> None:
        ctx = self.ctx
        pick = rng.randrange(4)
        owned = rng.choice(ctx.outcome_sessions) if ctx.outcome_sessions else None
        if pick <= 1:
            oid, odesc = self.outcome_id(rng)
            session: Any
            if owned is not None and rng.random() < 0.4:
                session, oid = owned
                sdesc, odesc = "its own session", "an owned outcome"
            else:
                session, sdesc = self.session_token(rng)
            tail = rng.choice(["report/{}", "checkpoints/{}.ics"])
            case.path = "/api/" + tail.format(oid)
            case.method = rng.choice(["GET", "POST", "GET", "POST", "PUT", "DELETE"])
            if case.method == "GET" or rng.random() < 0.3:
                header = session if isinstance(session, str) else json.dumps(session)
                case.headers["X-Ethiekbot-Session"] = header.encode(
                    "ascii", "backslashreplace"
                ).decode()[:8000]
                case.kind = f"{odesc}; session header: {sdesc}"
            else:
                ct = self.content_type(rng, case, "application/json")
                if rng.random() < 0.5:
                    case.body = json.dumps({"session": session}).encode()
                    case.kind = f"{odesc}; body session: {sdesc}; {ct}"
                else:
                    case.body, d = self.json_body(rng, {"session": session})
                    case.kind = f"{odesc}; {d}; {ct}"
        else:
            case.method = "POST"
            case.path = rng.choice(["/api/inbox", "/api/my-data", "/api/session"])
            session, sdesc = self.session_token(rng)
            ct = self.content_type(rng, case, "application/json")
            if rng.random() < 0.5:
                case.body = json.dumps({"session": session}).encode()
                case.kind = f"session: {sdesc}; {ct}"
            else:
                case.body, d = self.json_body(rng, {"session": session})
                case.kind = f"{d}; {ct}"

    # -- Slack -------------------------------------------------------------------------------

    def _sign(self, body: bytes, ts: str) -> str:
        base = b"v0:" + ts.encode() + b":" + body
        return "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()

    def _slack_event(self, rng: random.Random, index: int) -> tuple[dict[str, Any], str]:
        channel = rng.choice(["D0FUZZ1", "D0FUZZ2", "C0FUZZ", "G0FUZZ"])
        user = rng.choice(["U0FUZZ1", "U0FUZZ2", BOT_USER_ID])
        text, tdesc = self.odd_text(rng)
        kind = rng.choice(["dm", "dm", "mention", "thread", "home", "other"])
        event: dict[str, Any]
        if kind == "dm":
            event = {"type": "message", "channel_type": "im", "channel": channel, "user": user}
            event |= {"text": text, "ts": f"{1_700_000_000 + index}.000100"}
        elif kind == "mention":
            event = {"type": "app_mention", "channel": channel, "user": user}
            event |= {"text": f"<@{BOT_USER_ID}> {text}", "ts": f"{1_700_000_000 + index}.0002"}
        elif kind == "thread":
            event = {"type": "message", "channel_type": "channel", "channel": channel}
            event |= {"user": user, "text": text, "thread_ts": "1700000000.000100"}
        elif kind == "home":
            event = {"type": "app_home_opened", "user": user, "tab": rng.choice(["home", 1, None])}
        else:
            event = {"type": rng.choice(["reaction_added", "member_joined_channel", "", "x" * 99])}
        body = {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "A0FUZZ",
            "type": "event_callback",
            "event_id": f"Ev{self.seed}x{index}",
            "event_time": 1_700_000_000,
            "event": event,
        }
        return body, f"{kind} event, text: {tdesc}"

    def _slack_payload(self, rng: random.Random) -> tuple[str, str]:
        """An interactivity ``payload=`` value: block_actions or view_submission, often odd."""
        choice, cdesc = self.odd_choice(rng)
        action: Any = {
            "action_id": rng.choice(["ethiek_choice_0", "ethiek_choice_12", "ethiek_link_0"]),
            "value": choice,
            "text": {"type": "plain_text", "text": "Ja"},
            "block_id": "ethiek_choices",
        }
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": "U0FUZZ1", "team_id": TEAM_ID},
            "team": {"id": TEAM_ID},
            "channel": {"id": "D0FUZZ1"},
            "container": {"channel_id": "D0FUZZ1"},
            "message": {"ts": "1700000000.000100", "blocks": [], "text": "x"},
            "trigger_id": "1.2.3",
            "actions": [action],
        }
        if rng.random() < 0.3:
            payload = {
                "type": "view_submission",
                "user": {"id": "U0FUZZ1", "team_id": TEAM_ID},
                "team": {"id": TEAM_ID},
                "trigger_id": "1.2.3",
                "view": {
                    "id": "V1",
                    "type": "modal",
                    "callback_id": "ethiek_describe",
                    "state": {"values": {"describe": {"text": {"value": self.odd_text(rng)[0]}}}},
                },
            }
            cdesc = "view_submission"
        pick = rng.randrange(8)
        if pick <= 2:
            return json.dumps(payload), f"block action/view: {cdesc}"
        if pick == 3:
            key = rng.choice(list(payload))
            value, d = rng.choice(WRONG_TYPES)
            return json.dumps({**payload, key: value}), f"payload {key}={d}"
        if pick == 4 and payload["type"] == "block_actions":
            value, d = rng.choice(WRONG_TYPES)
            return json.dumps({**payload, "actions": value}), f"payload actions={d}"
        if pick == 5 and payload["type"] == "block_actions":
            key = rng.choice(["action_id", "value", "text"])
            value, d = rng.choice(WRONG_TYPES)
            return json.dumps({**payload, "actions": [{**action, key: value}]}), f"action {key}={d}"
        if pick in (4, 5):  # a view_submission with an odd view
            view = dict(payload["view"])
            key = rng.choice(list(view))
            if rng.random() < 0.5:
                del view[key]
                return json.dumps({**payload, "view": view}), f"view without {key}"
            value, d = rng.choice(WRONG_TYPES)
            return json.dumps({**payload, "view": {**view, key: value}}), f"view {key}={d}"
        bad = rng.choice(
            ["", "{", "null", "[]", "1", '"x"', "{'a':1}", "\ud800", FIVE_THOUSAND_DIGITS]
        )
        return bad, f"malformed payload {bad[:10]!r}"

    def _slash_command(self, rng: random.Random) -> tuple[list[tuple[str, str]], str]:
        text, tdesc = self.odd_text(rng)
        fields = {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "fuzz",
            "channel_id": "C0FUZZ",
            "user_id": "U0FUZZ1",
            "command": "/ethiek",
            "text": text[:4000],
            "trigger_id": "1.2.3",
            "response_url": f"http://127.0.0.1:{self.ctx.mock_port}/response",
            "api_app_id": "A0FUZZ",
        }
        pick = rng.randrange(5)
        items = list(fields.items())
        if pick == 0:
            drop = rng.choice(list(fields))
            items = [(k, v) for k, v in items if k != drop]
            return items, f"slash command without {drop}, text: {tdesc}"
        if pick == 1:
            key = rng.choice(list(fields))
            value = rng.choice(
                ["", "\x00", "١٢", FIVE_THOUSAND_DIGITS, "/foo", "x" * 3000, "\ud800"]
            )
            return [(k, value if k == key else v) for k, v in items], f"slash {key} odd"
        if pick == 2:
            return items + items, "slash command with every field twice"
        return items, f"slash command, text: {tdesc}"

    def slack(self, rng: random.Random, case: Case) -> None:
        case.method = "POST"
        case.path = "/slack/events"
        now = int(time.time())
        shape = rng.randrange(10)
        ct = "application/json"
        if shape <= 3:
            body, desc = self._slack_event(rng, case.index)
            raw = json.dumps(body).encode()
            if rng.random() < 0.35:
                raw, d = self.json_body(rng, body)
                desc = f"event body {d}"
        elif shape == 4:
            challenge, d = rng.choice([*WRONG_TYPES, ("abc", "str")])
            raw = json.dumps({"type": "url_verification", "challenge": challenge}).encode()
            desc = f"url_verification challenge={d}"
        elif shape <= 6:
            payload, desc = self._slack_payload(rng)
            raw = _form({"payload": payload})
            ct = "application/x-www-form-urlencoded"
        elif shape <= 8:
            items, desc = self._slash_command(rng)
            raw = _form(items)
            ct = "application/x-www-form-urlencoded"
        else:
            raw, desc = self.json_body(rng, {"type": "event_callback", "event": {}})
            if rng.random() < 0.5:
                raw = rng.choice([b"ssl_check=1&token=x", b"payload", b"=&=&&", b"\xff\xfe=1"])
                desc = f"form {raw[:12]!r}"
                ct = "application/x-www-form-urlencoded"
        ts = str(now)
        sign = rng.randrange(10)
        sdesc = "signed"
        if sign == 0:
            sdesc = "unsigned"
        elif sign == 1:
            sdesc = "wrongly signed"
            case.headers["X-Slack-Request-Timestamp"] = ts
            case.headers["X-Slack-Signature"] = rng.choice(
                ["v0=" + "0" * 64, "v1=" + self._sign(raw, ts)[3:], "", "v0=", "x" * 500]
            )
        elif sign == 2:
            ts = rng.choice(
                [
                    "",
                    "abc",
                    "-1",
                    "0",
                    str(now - 3600),
                    str(now + 3600),
                    "9" * 30,
                    "1.7e9",
                    "١٧٠٠٠٠٠٠٠٠",
                    FIVE_THOUSAND_DIGITS,
                    f" {now} ",
                    f"{now}.5",
                ]
            )
            sdesc = f"signed with timestamp {ts[:12]!r}"
            case.headers["X-Slack-Request-Timestamp"] = ts
            case.headers["X-Slack-Signature"] = self._sign(raw, ts)
        elif sign == 3:
            sdesc = "signature without timestamp"
            case.headers["X-Slack-Signature"] = self._sign(raw, ts)
        else:
            case.headers["X-Slack-Request-Timestamp"] = ts
            case.headers["X-Slack-Signature"] = self._sign(raw, ts)
        if rng.random() < 0.1:
            case.headers["X-Slack-Retry-Num"] = rng.choice(["1", "x", "-1", "١", ""])
            case.headers["X-Slack-Retry-Reason"] = "http_timeout"
        cdesc = self.content_type(rng, case, ct)
        case.body = raw
        case.kind = f"{sdesc}; {desc}; {cdesc}"

    # -- Teams -------------------------------------------------------------------------------

    def service_url(self, rng: random.Random) -> tuple[Any, str]:
        mock, dead = self.ctx.mock_port, self.ctx.dead_port
        options: list[Any] = [
            f"http://127.0.0.1:{mock}/",
            f"http://127.0.0.1:{mock}/",
            f"http://localhost:{mock}",
            f"http://127.0.0.1:{dead}/",
            f"http://localhost:{mock}\\@127.0.0.1/",
            f"http://localhost:{dead}\\@127.0.0.1:{dead}/",
            f"http://user:pass@127.0.0.1:{mock}/",
            f"http://127.0.0.1:{mock}@127.0.0.1:{dead}/",
            f"http://[::1]:{dead}/",
            f"http://[::ffff:127.0.0.1]:{dead}/",
            f"http://0.0.0.0:{dead}/",
            f"http://127.1:{dead}/",
            f"http://2130706433:{dead}/",
            f"http://0x7f000001:{dead}/",
            f"http://localhost.:{dead}/",
            f"http://LOCALHOST:{mock}/",
            f"http://127.0.0.2:{dead}/",
            f"https://127.0.0.1:{dead}/",
            f"ftp://127.0.0.1:{dead}/",
            "file:///etc/passwd",
            f"gopher://127.0.0.1:{dead}/_x",
            f"ws://127.0.0.1:{dead}/",
            "javascript:alert(1)",
            "data:text/plain,hi",
            "http://127.0.0.1:99999/",
            "http://127.0.0.1:-1/",
            "http://127.0.0.1:abc/",
            "http://[::1",
            "http://[127.0.0.1]/",
            f"http://127.0.0.1:{mock}/../../..",
            f"http://127.0.0.1:{mock}/%00?x=\r\nX-Injected: 1",
            f" http://127.0.0.1:{mock}/ ",
            "http://",
            "http:///",
            "localhost",
            "",
            None,
            123,
            ["http://127.0.0.1/"],
            {"url": "http://127.0.0.1/"},
        ]
        if rng.random() < 0.5:
            return options[0], "serviceUrl: the mock"
        v = rng.choice(options)
        return v, f"serviceUrl {v!r}"[:80]

    def teams(self, rng: random.Random, case: Case) -> None:
        case.method = "POST"
        case.path = "/api/messages"
        url, udesc = self.service_url(rng)
        conv = rng.choice(["a:fuzz-1", "a:fuzz-2", "19:fuzz@thread.tacv2", "a:fuzz-3"])
        activity: dict[str, Any] = {
            "type": "message",
            "id": f"act-{case.index}",
            "serviceUrl": url,
            "channelId": "msteams",
            "from": {"id": "29:fuzz-user", "aadObjectId": "aad-fuzz", "name": "Fuzz"},
            "recipient": {"id": "28:bot", "name": "Ethiekbot"},
            "conversation": {"id": conv, "conversationType": "personal", "tenantId": "fuzz"},
            "channelData": {"tenant": {"id": "fuzz"}},
            "locale": "nl-NL",
            "text": "hallo",
        }
        descs = [udesc]
        pick = rng.randrange(12)
        if pick <= 2:
            activity["text"], d = self.odd_text(rng)
            descs.append(f"text: {d}")
        elif pick == 3:
            choice, d = self.odd_choice(rng)
            activity.pop("text")
            activity["value"] = {"ethiekbot_choice": choice}
            descs.append(f"card choice: {d}")
        elif pick == 4:
            value, d = rng.choice(WRONG_TYPES)
            activity["value"] = rng.choice([value, {"ethiekbot_choice": value}])
            descs.append(f"value {d}")
        elif pick == 5:
            key = rng.choice(list(activity))
            value, d = rng.choice(WRONG_TYPES)
            activity[key] = value
            descs.append(f"{key}={d}")
        elif pick == 6:
            key = rng.choice(list(activity))
            del activity[key]
            descs.append(f"without {key}")
        elif pick == 7:
            sub = rng.choice(["from", "recipient", "conversation", "channelData"])
            inner = activity[sub]
            key = rng.choice([*list(inner), "tenant", "id"])
            value, d = rng.choice(WRONG_TYPES)
            activity[sub] = {**inner, key: value}
            descs.append(f"{sub}.{key}={d}")
        elif pick == 8:
            activity["type"] = rng.choice(
                [
                    "conversationUpdate",
                    "invoke",
                    "event",
                    "messageReaction",
                    "installationUpdate",
                    "typing",
                    "endOfConversation",
                    "",
                    "MESSAGE",
                    "x" * 500,
                ]
            )
            members: Any = rng.choice(
                [
                    [{"id": "28:bot"}],
                    [{"id": "29:someone"}],
                    ["28:bot"],
                    [{}],
                    [None],
                    "28:bot",
                    [],
                    None,
                ]
            )
            activity["membersAdded"] = members
            activity["name"] = rng.choice(["adaptiveCard/action", "", None, 5])
            descs.append(f"type {activity['type'][:20]!r}, membersAdded {members!r}")
        elif pick == 9:
            mention: Any = rng.choice(
                [
                    [{"type": "mention", "mentioned": {"id": "28:bot"}, "text": "<at>Bot</at>"}],
                    [{"type": "mention", "mentioned": "28:bot"}],
                    [{"type": "mention", "mentioned": {"id": "28:bot", "name": 5}}],
                    [{"type": "mention"}],
                    ["mention"],
                    "mention",
                    [None],
                    [{"type": None, "mentioned": None, "text": None}],
                ]
            )
            activity["entities"] = mention
            activity["text"] = "<at>Bot</at> " + self.odd_text(rng)[0]
            activity["conversation"]["conversationType"] = "channel"
            descs.append(f"entities {json.dumps(mention)[:60]}")
        elif pick == 10:
            activity["conversation"]["id"] = rng.choice(
                ["", "x" * 400, "a/b/../c", "a?b#c", "%2F", "\x00", "١٢", "a:" + "b" * 299]
            )
            descs.append(f"conversation id {activity['conversation']['id'][:12]!r}")
        else:
            activity["locale"] = rng.choice(["en", "", None, 1, "xx-" * 100, "EN-us", ["en"]])
            descs.append(f"locale {activity['locale']!r}"[:40])
        if rng.random() < 0.2:
            case.body, d = self.json_body(rng, activity)
            descs.append(d)
        else:
            case.body = json.dumps(activity).encode()
        descs.append(self.content_type(rng, case, "application/json"))
        if rng.random() < 0.1:
            case.headers["Authorization"] = rng.choice(
                ["Bearer x", "Bearer " + "a" * 5000, "Basic Og==", "", "Bearer a.b.c"]
            )
            descs.append("odd Authorization")
        case.kind = "; ".join(descs)

    # -- the advisor's workspace -------------------------------------------------------------

    def _query(self, rng: random.Random) -> tuple[str, str]:
        keys = (
            "status risk channel from to instrument signal handed_over assigned_to q after limit "
            "before outcome_id next ok organisatie state code error lang"
        ).split()
        values = [
            *(
                "|ja|nee|maybe|hoog|web|2024-02-30|9999-99-99|1970-01-01T00:00:00Z|' OR 1=1 --|%|_|"
                '"|*|NEAR(|a OR|-x|^|desc:*|١٢|⓵|-1|0|1e3|99999999999|'
                "\x00|\ud800|//evil.example|/advisor\\@evil|https://evil.example/"
            ).split("|"),
            "x|T-abc123",
            "|",
            "2024|T-000000",
            FIVE_THOUSAND_DIGITS,
            "x" * 3000,
        ]
        pairs = [(rng.choice(keys), rng.choice(values)) for _ in range(rng.randrange(1, 5))]
        q = "&".join(f"{_q(k)}={_q(v)}" for k, v in pairs)
        desc = ", ".join(f"{k}={v[:10]!r}" for k, v in pairs)
        return q, desc

    def _advisor_path(self, rng: random.Random) -> tuple[str, str, str]:
        """(method, path, description) of a workspace route, odd parameters included."""
        pick = rng.randrange(6)
        if pick <= 1:
            path = rng.choice(ADVISOR_GET)
            q, qdesc = self._query(rng)
            return "GET", f"{path}?{q}", f"query {qdesc}"
        oid, odesc = self.outcome_id(rng)
        oid = oid if "%" in oid else _q(oid)
        if pick == 2:
            tail = rng.choice(
                "|/promote|/register|/register.json|/register.txt|/register.pdf|/register."
                "|/register.%00|/register.JSON".split("|")
            )
            q = self._query(rng)[0] if rng.random() < 0.3 else ""
            return "GET", f"/advisor/outcomes/{oid}{tail}?{q}", f"{odesc}, view {tail!r}"
        if pick == 3:
            name = rng.choice(["risk", "x", "", "..", "%00", "a" * 500, "status", "⓵"])
            if rng.random() < 0.5:
                return "GET", f"/advisor/charts/{_q(name)}.svg", f"chart {name[:10]!r}"
            return "GET", f"/advisor/api/outcomes/{oid}", f"api triage {odesc}"
        if pick == 4:
            action = rng.choice([*ACTIONS, "bogus", "", "status/extra"])
            return "POST", f"/advisor/outcomes/{oid}/{action}", f"{odesc}, action {action!r}"
        action = rng.choice(["invite", "role", "remove", "bogus", "%00", "x" * 300])
        return "POST", f"/advisor/advisors/{action}", f"advisors {action[:10]!r}"

    def _advisor_form(self, rng: random.Random, path: str) -> dict[str, str]:
        text, _ = self.odd_text(rng)
        fields = {
            "status": rng.choice(["nieuw", "in behandeling", "afgerond", "doorverwezen", "x", ""]),
            "referred_to": rng.choice(["", "jurist", text[:500]]),
            "email": rng.choice(
                [
                    "other@example.org",
                    "new@example.org",
                    "no-at-sign",
                    "@",
                    "a@" + "b" * 300,
                    "ÄÖ@例え.jp",
                    "x@y\x00z",
                ]
            ),
            "role": rng.choice(["adviseur", "beheerder", "root", "", "ADVISEUR"]),
            "text": text,
            "field": rng.choice(
                ["risk", "verdict.willen", "instrument", "", "x" * 300, "__class__"]
            ),
            "revised": rng.choice(["hoog", "groen", "", text[:300]]),
            "reason": text[:1000],
            "item": rng.choice(["1", "0", "-1", "١٢", FIVE_THOUSAND_DIGITS, "", "x"]),
            "intent": rng.choice(["check", "publish", "", "x"]),
            "title": text[:300],
            "yaml": text,
            "contacts": text,
        }
        chosen = dict(rng.sample(sorted(fields.items()), rng.randrange(1, len(fields))))
        mine = chosen.get("email", "").lower() == ADMIN_EMAIL
        if mine and ("/advisors/role" in path or "/advisors/remove" in path):
            chosen["email"] = "other@example.org"  # keep our own session an administrator
        return chosen

    def advisor_signed_out(self, rng: random.Random, case: Case) -> None:
        pick = rng.randrange(4)
        if pick == 0:
            token = rng.choice(
                [
                    "a" * 20,
                    "A" * 43,
                    "short",
                    "x" * 81,
                    "..%2F..",
                    _q("⓵" * 20),
                    "%00" * 20,
                    uuid.uuid4().hex + uuid.uuid4().hex,
                ]
            )
            case.method = rng.choice(["GET", "POST", "PUT"])
            case.path = f"/advisor/login/{token}"
            case.kind = f"login token {token[:12]!r}"
            return
        case.method, case.path, case.kind = self._advisor_path(rng)
        cookie = rng.choice(["", "nope", "a" * 4000, "%ff%fe", "\\x00", "abc; ethiekbot_advisor=b"])
        if rng.random() < 0.7:
            case.headers["Cookie"] = f"ethiekbot_advisor={cookie}"
            case.kind += f"; bogus cookie {cookie[:8]!r}"
        if case.method == "POST":
            case.headers["Content-Type"] = "application/x-www-form-urlencoded"
            case.body = _form(self._advisor_form(rng, case.path))

    def advisor_signed_in(self, rng: random.Random, case: Case) -> None:
        ctx = self.ctx
        case.method, case.path, case.kind = self._advisor_path(rng)
        case.headers["Cookie"] = f"ethiekbot_advisor={ctx.cookie}"
        if rng.random() < 0.05:
            case.method = rng.choice(["PUT", "DELETE", "PATCH"])
            case.kind += f"; method {case.method}"
        if case.method == "GET":
            return
        form = self._advisor_form(rng, case.path)
        csrf = rng.randrange(10)
        if csrf <= 5:
            form["csrf"] = ctx.csrf
            cdesc = "CSRF in form"
        elif csrf == 6:
            case.headers["X-CSRF-Token"] = ctx.csrf
            cdesc = "CSRF in header"
        elif csrf == 7:
            form["csrf"] = rng.choice(["", "x", ctx.csrf + "x", ctx.csrf[:-1]])
            cdesc = "wrong CSRF"
        elif csrf == 8:
            cdesc = "no CSRF"
        else:
            form["csrf"] = ctx.csrf
            case.headers["Origin"] = rng.choice(
                ["null", "http://evil.example", f"http://127.0.0.1:{ctx.port}", "", "x" * 500]
            )
            cdesc = f"CSRF, Origin {case.headers['Origin'][:20]!r}"
        enc = rng.randrange(6)
        if enc <= 3:
            case.headers["Content-Type"] = "application/x-www-form-urlencoded"
            case.body = _form(form)
            edesc = "urlencoded"
        elif enc == 4:
            case.headers["Content-Type"] = "multipart/form-data; boundary=fuzzboundary"
            case.body = _multipart(form)
            edesc = "multipart with a file"
        else:
            ct = rng.choice(CONTENT_TYPES)
            case.headers["Content-Type"] = ct
            case.body = rng.choice([_form(form), json.dumps(form).encode(), rng.randbytes(300)])
            edesc = f"Content-Type {ct[:30]!r}"
        case.kind += f"; {cdesc}; {edesc}; fields {sorted(form)}"[:200]

    # -- raw HTTP ----------------------------------------------------------------------------

    def raw_http(self, rng: random.Random, case: Case) -> None:
        host = f"Host: 127.0.0.1:{self.ctx.port}\r\n"
        options: list[tuple[bytes, str]] = [
            (b"GARBAGE\r\n\r\n", "garbage request line"),
            (b"GET /healthz HTTP/9.9\r\n" + host.encode() + b"\r\n", "HTTP/9.9"),
            (b"GET /healthz\r\n\r\n", "HTTP/0.9 style"),
            (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "HTTP/2 preface"),
            (b"GET /healthz HTTP/1.1\r\nNoColonHeader\r\n\r\n", "header without colon"),
            (
                b"POST /api/chat HTTP/1.1\r\n" + host.encode() + b"Transfer-Encoding: chunked\r\n"
                b"Content-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
                "invalid chunk size",
            ),
            (
                b"POST /api/chat HTTP/1.1\r\n" + host.encode() + b"Content-Length: -5\r\n\r\n{}",
                "negative Content-Length",
            ),
            (
                b"POST /api/chat HTTP/1.1\r\n" + host.encode() + b"Content-Length: 99999999999\r\n"
                b"Content-Type: application/json\r\n\r\n{}",
                "huge Content-Length, short body",
            ),
            (
                b"POST /api/chat HTTP/1.1\r\n" + host.encode() + b"Content-Length: 2\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "Content-Length and Transfer-Encoding",
            ),
            (b"GET /healthz HTTP/1.1\r\nX: " + b"a" * 20000 + b"\r\n\r\n", "20 KB header"),
            (
                b"GET /healthz HTTP/1.1\r\n"
                + b"".join(b"H%d: v\r\n" % i for i in range(500))
                + b"\r\n",
                "500 headers",
            ),
            (b"G\x00T /healthz HTTP/1.1\r\n\r\n", "NUL in method"),
            (b"GET /health\x00z HTTP/1.1\r\n\r\n", "NUL in path"),
            (b"GET /\xff\xfe HTTP/1.1\r\n" + host.encode() + b"\r\n", "non-UTF-8 path"),
            (
                b"GET http://127.0.0.1:%d/healthz HTTP/1.1\r\n\r\n" % self.ctx.port,
                "absolute-form URI",
            ),
            (b"GET healthz HTTP/1.1\r\n\r\n", "path without slash"),
            (b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "two Host headers"),
            (b"GET /healthz HTTP/1.1\r\nX: a\nY: b\n\n", "bare LF line endings"),
            (b"GET /healthz HTTP/1.1\r\n X: folded\r\n\r\n", "folded header"),
            (
                b"POST /api/session HTTP/1.1\r\n" + host.encode() + b"Content-Length: 5\r\n\r\n"
                b"abcdeGET /healthz HTTP/1.1\r\n\r\n",
                "pipelined after body",
            ),
        ]
        case.raw, case.kind = rng.choice(options)
        case.method, case.path = "RAW", "-"


# --- running ------------------------------------------------------------------------------------


@dataclass
class Results:
    """What came back."""

    statuses: Counter[int] = field(default_factory=Counter)
    by_family: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    five_xx: dict[tuple[str, str, str], list[Case]] = field(default_factory=dict)
    connection_errors: Counter[str] = field(default_factory=Counter)
    connection_examples: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)
    client_errors: list[str] = field(default_factory=list)
    raw_no_response: int = 0
    slowest: list[tuple[float, str]] = field(default_factory=list)
    health_failures: list[str] = field(default_factory=list)
    died_at: int | None = None
    sent: int = 0


def _route_of(path: str) -> str:
    """The route template of a path, to group 5xx by (path parameters replaced)."""
    p = path.split("?", 1)[0]
    p = re.sub(r"^/api/(report|checkpoints)/[^/]+", r"/api/\1/{id}", p)
    p = re.sub(r"^/advisor/(outcomes|api/outcomes)/[^/]+", r"/advisor/\1/{id}", p)
    p = re.sub(r"^/advisor/(login|charts|advisors|static)/.+", r"/advisor/\1/{x}", p)
    p = re.sub(r"^/static/.+", "/static/{name}", p)
    return p[:60]


def _kind_key(kind: str) -> str:
    """The coarse shape of a kind, for grouping (digits, quotes and sizes dropped)."""
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "…", kind)[:90]


class Runner:
    def __init__(
        self,
        gen: Generator,
        ctx: Context,
        proc: subprocess.Popen[bytes],
        args: argparse.Namespace,
    ) -> None:
        self.gen = gen
        self.ctx = ctx
        self.proc = proc
        self.args = args
        self.base = f"http://127.0.0.1:{ctx.port}"
        self.results = Results()
        self.next_index = 0
        self.done = 0
        self.stop = False
        self.health_lock = asyncio.Lock()

    async def run(self) -> Results:
        connector = aiohttp.TCPConnector(limit=self.args.concurrency * 2)
        async with aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=True,
        ) as http:
            workers = [asyncio.create_task(self.worker(http)) for _ in range(self.args.concurrency)]
            await asyncio.gather(*workers)
            await self.health(http, "end")
        return self.results

    async def worker(self, http: aiohttp.ClientSession) -> None:
        while not self.stop and self.next_index < self.args.requests:
            index = self.next_index
            self.next_index += 1
            case = self.gen.case(index)
            await self.send(http, case)
            self.done += 1
            if self.done % self.args.health_every == 0:
                await self.health(http, f"after {self.done} requests")
                if self.args.progress:
                    counts = dict(sorted(self.results.statuses.items()))
                    print(f"  {self.done} requests, statuses {counts}", flush=True)

    async def health(self, http: aiohttp.ClientSession, when: str) -> None:
        async with self.health_lock:
            if self.proc.poll() is not None:
                if self.results.died_at is None:
                    self.results.died_at = self.done
                    self.results.health_failures.append(
                        f"{when}: server exited with {self.proc.returncode}"
                    )
                self.stop = True
                return
            try:
                timeout = aiohttp.ClientTimeout(total=15)
                async with http.get(f"{self.base}/healthz", timeout=timeout) as r:
                    await r.read()
                    if r.status != 200:
                        self.results.health_failures.append(f"{when}: /healthz {r.status}")
            except (aiohttp.ClientError, TimeoutError) as exc:
                self.results.health_failures.append(f"{when}: /healthz {exc.__class__.__name__}")

    def _live_body(self, case: Case) -> None:
        assert case.live_choice is not None
        session, position, mutation = case.live_choice
        choices = self.ctx.live.get(session) or ["none"]
        choice = choices[position % len(choices)] + mutation
        case.body = json.dumps({"session": session, "choice": choice}).encode()
        case.kind += f" = {choice[:40]!r}"

    def _remember(self, case: Case, status: int, body: bytes) -> None:
        """Keep each session's live buttons, for later live choices."""
        if case.path != "/api/chat" or status != 200 or case.body is None:
            return
        try:
            session = json.loads(case.body).get("session")
            replies = json.loads(body).get("replies") or []
        except (ValueError, AttributeError, RecursionError):
            return
        ids = [c["id"] for r in replies for c in r.get("choices") or [] if not c.get("url")]
        if isinstance(session, str) and ids:
            self.ctx.live[session] = ids

    async def send(self, http: aiohttp.ClientSession, case: Case) -> None:
        res = self.results
        res.sent += 1
        started = time.perf_counter()
        if case.raw is not None:
            status = await self.send_raw(case)
            if status is None:
                res.raw_no_response += 1
                res.by_family[case.family][0] += 1
                return
        else:
            if case.live_choice is not None:
                self._live_body(case)
            skip = {"Content-Type"} if case.no_content_type else set()
            url = URL(self.base + case.path, encoded=True)
            timeout = aiohttp.ClientTimeout(total=self.args.timeout)
            try:
                async with http.request(
                    case.method,
                    url,
                    headers=case.headers,
                    data=case.body,
                    skip_auto_headers=skip,
                    allow_redirects=False,
                    timeout=timeout,
                ) as r:
                    status = r.status
                    body = await r.read()
                    self._remember(case, status, body)
            except TimeoutError:
                res.timeouts.append(case.describe())
                return
            except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as exc:
                name = exc.__class__.__name__
                res.connection_errors[name] += 1
                if len(res.connection_examples) < 5:
                    res.connection_examples.append(f"{name}: {case.describe()}")
                if self.proc.poll() is not None:  # the server is gone: say so, and stop
                    await self.health(http, f"at request #{case.index}")
                return
            except (ValueError, aiohttp.ClientError) as exc:  # refused by aiohttp's client
                res.client_errors.append(f"{exc.__class__.__name__}: {case.describe()}")
                return
        elapsed = time.perf_counter() - started
        res.statuses[status] += 1
        res.by_family[case.family][status] += 1
        res.slowest.append((elapsed, case.describe()))
        res.slowest = sorted(res.slowest, reverse=True)[:5]
        if status >= 500:
            key = (case.method, _route_of(case.path), _kind_key(case.kind))
            res.five_xx.setdefault(key, []).append(case)
            if self.args.dump_dir and len(res.five_xx[key]) <= 2:
                dump(Path(self.args.dump_dir), case, status, self.base)

    async def send_raw(self, case: Case) -> int | None:
        assert case.raw is not None
        writer = None
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", self.ctx.port), 10
            )
            writer.write(case.raw)
            await writer.drain()
            line = await asyncio.wait_for(reader.readline(), 10)
        except (OSError, TimeoutError):
            return None
        finally:
            if writer is not None:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
        m = re.match(rb"HTTP/\d\.\d (\d{3})", line)
        return int(m.group(1)) if m else None


def dump(folder: Path, case: Case, status: int, base: str) -> None:
    """Write a 5xx request to ``folder``: ``case-N.txt`` (how to send it) and ``case-N.body``."""
    folder.mkdir(parents=True, exist_ok=True)
    body_file = folder / f"case-{case.index}.body"
    body_file.write_bytes(case.raw if case.raw is not None else case.body or b"")
    lines = [f"status {status}", case.describe(), ""]
    if case.raw is not None:
        lines.append(f"raw: nc 127.0.0.1 PORT < {body_file.name}")
    else:
        headers = " ".join(f"-H {json.dumps(f'{k}: {v}'[:300])}" for k, v in case.headers.items())
        if case.no_content_type:
            headers += " -H 'Content-Type:'"
        lines.append(
            f"curl -sS -X {case.method} {headers} --data-binary @{body_file.name} "
            f"'{base}{case.path[:500]}'"
        )
    (folder / f"case-{case.index}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- setup --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_env(tmp: Path, port: int, mock_port: int, limits: bool = False) -> dict[str, str]:
    """The server's environment: ours without proxies or channel settings, plus the fuzz's.
    Without ``limits`` the per-person and per-address rate limits are off: every request
    comes from 127.0.0.1, and a 429 would stop the fuzz from reaching the engine."""
    drop = ("ETHIEKBOT_", "SLACK_", "MICROSOFT_")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(drop) and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    env |= {
        "NO_PROXY": "*",
        "no_proxy": "*",
        "PORT": "",
        "ETHIEKBOT_DB": str(tmp / "fuzz.db"),
        "ETHIEKBOT_SECRET": SECRET,
        "ETHIEKBOT_TEAMS_LOCAL": "1",
        "ETHIEKBOT_HOST": "127.0.0.1",
        "ETHIEKBOT_PORT": str(port),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": f"http://127.0.0.1:{mock_port}/api/",
        "PYTHONUNBUFFERED": "1",
    }
    if not limits:
        for name in ("TURNS", "TURNS_PER_ADDRESS", "NEW_CONVERSATIONS"):
            env[f"ETHIEKBOT_LIMIT_{name}"] = "0"
        env["ETHIEKBOT_LIMIT_NEW_CONVERSATIONS_PER_ADDRESS"] = "0"
    return env


def invite(env: dict[str, str]) -> str:
    """A one-time sign-in token for an administrator, from the CLI."""
    out = subprocess.run(
        [str(ETHIEKBOT), "advisor", "invite", ADMIN_EMAIL, "--role", "beheerder"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return out.stdout.strip().splitlines()[0].rsplit("/", 1)[1]


async def wait_up(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited at start with {proc.returncode}")
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with http.get(
                    f"http://127.0.0.1:{port}/healthz", timeout=aiohttp.ClientTimeout(total=2)
                ) as r:
                    if r.status == 200:
                        return
            await asyncio.sleep(0.2)
    raise RuntimeError("server did not answer /healthz in time")


async def prepare(ctx: Context, token: str, seed: int, sessions: int) -> int:
    """Sign in to the workspace and drive web-chat sessions to different stages. Returns the
    number of setup requests."""
    base = f"http://127.0.0.1:{ctx.port}"
    rng = random.Random(f"{seed}:setup")
    count = 0
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:

        async def chat(session: str, **fields: Any) -> list[dict[str, Any]]:
            nonlocal count
            count += 1
            async with http.post(f"{base}/api/chat", json={"session": session, **fields}) as r:
                data = await r.json() if r.status == 200 else {}
            replies: list[dict[str, Any]] = data.get("replies") or []
            ids = [c["id"] for rep in replies for c in rep["choices"] if not c.get("url")]
            if ids:
                ctx.live[session] = ids
                ctx.choice_ids.extend(i for i in ids if i not in ctx.choice_ids)
            for rep in replies:
                oid = (rep.get("content") or {}).get("outcome_id")
                if oid and oid not in ctx.outcome_ids:
                    ctx.outcome_ids.append(oid)
                    ctx.outcome_sessions.append((session, oid))
            return replies

        # The advisor's session and CSRF token.
        async with http.post(f"{base}/advisor/login/{token}", allow_redirects=False) as r:
            count += 1
            morsel = r.cookies.get("ethiekbot_advisor")
            ctx.cookie = morsel.value if morsel is not None else ""
        async with http.get(
            f"{base}/advisor/api/me", headers={"Cookie": f"ethiekbot_advisor={ctx.cookie}"}
        ) as r:
            count += 1
            me = await r.json() if r.status == 200 else {}
            ctx.csrf = str(me.get("csrf", ""))

        for i in range(sessions):
            count += 1
            async with http.post(f"{base}/api/session") as r:
                session = str((await r.json())["session"])
            ctx.sessions.append(session)
            stage = i % 5
            await chat(session)  # the welcome
            if stage == 0:
                continue
            await chat(session, text=DESCRIPTIONS[i % len(DESCRIPTIONS)])
            if stage == 1:
                continue
            for _ in range(80 if stage >= 3 else 6):
                ids = ctx.live.get(session) or []
                if any(oid for s, oid in ctx.outcome_sessions if s == session):
                    break
                if not ids:
                    await chat(session, text="weet ik niet")
                    continue
                pick = ids[0] if rng.random() < 0.6 else rng.choice(ids)
                if pick.endswith((".stop", ".restart")):
                    pick = ids[0]
                await chat(session, choice=pick)
            if stage == 4:  # plan checkpoints: the date questions come next
                ids = ctx.live.get(session) or []
                plan = [c for c in ids if c.endswith(".checkpoints")]
                if plan:
                    await chat(session, choice=plan[0])
            elif stage == 3:
                ids = ctx.live.get(session) or []
                hand = [c for c in ids if c.endswith(".handover")]
                if hand:
                    await chat(session, choice=hand[0])
    return count


@dataclass
class LogScan:
    """What one of the server's output streams says about faults."""

    tracebacks: int = 0  # lines containing "Traceback"
    exceptions: Counter[str] = field(default_factory=Counter)  # the line ending each traceback
    errors: Counter[str] = field(default_factory=Counter)  # ERROR/CRITICAL log lines


def scan_log(path: Path) -> LogScan:
    """Count the Tracebacks in a log, with their exception lines, and its ERROR lines (times,
    numbers and quoted text replaced, so that lines of one kind count together)."""
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    scan = LogScan()
    in_tb = False
    for ln in text.splitlines():
        if "Traceback" in ln:
            scan.tracebacks += 1
            in_tb = True
            continue
        if re.search(r"\b(ERROR|CRITICAL)\b", ln):
            shape = re.sub(r"^[\d-]+ [\d:,.]+ ", "", ln)
            scan.errors[re.sub(r"'[^']*'|\d+", "…", shape)[:130]] += 1
        exception = re.match(r"^[\w.]+(Error|Exception|Exit|Warning|Interrupt)\b|^[\w.]+: ", ln)
        if in_tb and exception:
            scan.exceptions[ln[:130]] += 1
            in_tb = False
    return scan


def report(
    res: Results,
    args: argparse.Namespace,
    setup_requests: int,
    logs: dict[str, LogScan],
    stayed_up: bool,
    mock: Mock,
    elapsed: float,
) -> None:
    print()
    print(
        f"fuzz: seed {args.seed}, {res.sent} requests (+{setup_requests} setup) in {elapsed:.1f} s,"
        f" concurrency {args.concurrency}"
    )
    print("status counts: " + ", ".join(f"{s}: {n}" for s, n in sorted(res.statuses.items())))
    for fam, counts in sorted(res.by_family.items()):
        shown = ", ".join(f"{s or 'no-response'}: {n}" for s, n in sorted(counts.items()))
        print(f"  {fam:<12} {shown}")
    n5 = sum(n for s, n in res.statuses.items() if s >= 500)
    print(f"5xx: {n5} in {len(res.five_xx)} distinct kinds")
    for (method, route, _), cases in sorted(res.five_xx.items(), key=lambda kv: -len(kv[1]))[
        : args.examples
    ]:
        print(f"  {len(cases):>4} x {method} {route}; e.g. {cases[0].describe()}")
    print(
        f"connection errors: {sum(res.connection_errors.values())}"
        + (f" {dict(res.connection_errors)}" if res.connection_errors else "")
    )
    for example in res.connection_examples[:3]:
        print(f"  {example}")
    print(f"timeouts (>{args.timeout:g} s): {len(res.timeouts)}")
    for example in res.timeouts[:3]:
        print(f"  {example}")
    if res.client_errors:
        print(f"not sent (refused by the client library): {len(res.client_errors)}")
        for example in res.client_errors[:3]:
            print(f"  {example}")
    print(f"raw requests without a response (connection closed): {res.raw_no_response}")
    print("slowest: " + "; ".join(f"{t:.2f} s {d[:70]}" for t, d in res.slowest[:3]))
    print(f"mock calls: {dict(sorted(mock.calls.items()))}")
    print(f"server stayed up throughout: {'yes' if stayed_up else 'NO'}")
    for failure in res.health_failures[:5]:
        print(f"  {failure}")
    for name, scan in logs.items():
        print(f'lines containing "Traceback" in the server\'s {name}: {scan.tracebacks}')
        for line, n in scan.exceptions.most_common(8):
            print(f"  {n:>4} x {line}")
        if scan.errors:
            print(f"ERROR lines in the server's {name}: {sum(scan.errors.values())}")
            for line, n in scan.errors.most_common(8):
                print(f"  {n:>4} x {line}")


async def main_async(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="ethiekbot-fuzz-"))
    stderr_path = tmp / "server.stderr"
    mock = Mock()
    proc: subprocess.Popen[bytes] | None = None
    stdout_f = stderr_f = None
    try:
        mock_port = await mock.start()
        port, dead_port = free_port(), free_port()
        env = child_env(tmp, port, mock_port, args.keep_limits)
        token = invite(env)
        stdout_f = open(tmp / "server.stdout", "wb")  # noqa: SIM115 - closed in finally
        stderr_f = open(stderr_path, "wb")  # noqa: SIM115 - closed in finally
        proc = subprocess.Popen(
            [str(ETHIEKBOT), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=tmp,
            stdout=stdout_f,
            stderr=stderr_f,
            stdin=subprocess.DEVNULL,
        )
        await wait_up(port, proc)
        print(f"server up on 127.0.0.1:{port} (pid {proc.pid}); mock Slack on {mock_port}")
        ctx = Context(port=port, mock_port=mock_port, dead_port=dead_port)
        setup_requests = await prepare(ctx, token, args.seed, args.sessions)
        print(
            f"setup: {len(ctx.sessions)} web sessions, {len(ctx.outcome_ids)} outcomes, "
            f"{len(ctx.choice_ids)} choice ids, advisor signed in: {bool(ctx.csrf)}"
        )
        gen = Generator(args.seed, ctx, args.max_text)
        runner = Runner(gen, ctx, proc, args)
        res = await runner.run()
        stayed_up = not res.health_failures and res.died_at is None and proc.poll() is None
        await asyncio.sleep(1.0)  # let acknowledged Slack work finish before reading stderr
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        for f in (stdout_f, stderr_f):
            if f is not None:
                f.close()
        await mock.stop()
    logs = {"stderr": scan_log(stderr_path), "stdout": scan_log(tmp / "server.stdout")}
    report(
        res,
        args,
        setup_requests,
        logs,
        stayed_up,
        mock,
        time.perf_counter() - started,
    )
    if args.keep_logs:
        print(f"server logs kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    tracebacks = sum(scan.tracebacks for scan in logs.values())
    failed = any(s >= 500 for s in res.statuses) or tracebacks > 0 or not stayed_up
    return 1 if failed else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--requests", type=int, default=10_000, help="requests to send (10000)")
    p.add_argument("--quick", action="store_true", help="a small run: 500 requests")
    p.add_argument("--seed", type=int, default=1, help="seed of the generated requests (1)")
    p.add_argument("--concurrency", type=int, default=8, help="requests in flight (8)")
    p.add_argument("--health-every", type=int, default=500, help="GET /healthz every N (500)")
    p.add_argument("--timeout", type=float, default=60.0, help="per request, seconds (60)")
    p.add_argument("--sessions", type=int, default=30, help="web sessions prepared (30)")
    p.add_argument(
        "--max-text",
        type=int,
        default=100_000,
        help="largest typed text sent to the engine, characters (100000)",
    )
    p.add_argument(
        "--keep-limits",
        action="store_true",
        help="leave the server's rate limits on (off by default: every request is from loopback)",
    )
    p.add_argument("--examples", type=int, default=12, help="5xx kinds to print (12)")
    p.add_argument("--dump-dir", help="write the first 5xx requests of each kind here")
    p.add_argument("--keep-logs", action="store_true", help="keep the temp dir with server logs")
    p.add_argument("--progress", action="store_true", help="print counts at every health check")
    args = p.parse_args(argv)
    if args.quick:
        args.requests = min(args.requests, 500)
        args.health_every = min(args.health_every, 100)
    args.concurrency = max(1, args.concurrency)
    args.health_every = max(1, args.health_every)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # The mock's own aiohttp server would log what the server under test sends it that aiohttp
    # cannot parse (a NUL in a header, say); that is the server's business, not ours.
    logging.getLogger("aiohttp").setLevel(logging.CRITICAL)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
