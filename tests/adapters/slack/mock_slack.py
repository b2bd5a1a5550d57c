"""A mock Slack Web API and Socket Mode server on loopback, in bolt-python's own test style.

It answers the Web API methods the Slack adapter uses and records every call it answered as
``(method, params)``, where ``params`` merges the query string, a form body and a JSON body
(``blocks``/``view`` sent as JSON strings inside a form are parsed too), plus ``_token`` (the
bearer token), ``_client_port`` (which client connection) and, for a posted message, ``_ts``
(the ts it was given)::

    mock = MockSlack()
    url = await mock.start()              # http://127.0.0.1:<port>/api/
    ...
    posts = await mock.wait_for("chat.postMessage", 2)
    await mock.stop()

``rate_limit("chat.postMessage", 1)`` answers the next call of that method with HTTP 429 and
``Retry-After: 1``; such calls are recorded in ``rate_limited``, not in ``calls``.

Socket Mode: ``apps.connections.open`` returns a ``ws://`` URL to this server's own websocket
endpoint, which greets every client with a ``hello``; ``await push(envelope)`` sends an envelope
to the connected client and ``await wait_for_ack(envelope_id)`` returns the client's ack.

Run as a module it serves until terminated and prints its base URL on the first line of stdout
(the benchmark uses that); ``GET /_counts`` then returns the calls per method.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import defaultdict
from typing import Any

from aiohttp import WSMsgType, web

BOT_ID = "B0BOT"
BOT_USER_ID = "U0BOT"
TEAM_ID = "T1"
DM_CHANNEL = "D123"

_JSON_FIELDS = ("blocks", "view", "attachments", "metadata")


class MockSlack:
    """The Web API (``POST /api/<method>``) and a Socket Mode websocket (``GET /link/``)."""

    def __init__(self) -> None:
        self.calls: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.rate_limited: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.log: list[tuple[str, dict[str, Any]]] = []  # answered calls, in order
        self.acks: list[dict[str, Any]] = []  # what Socket Mode clients sent back
        self.connections = 0
        self.uploads: dict[str, bytes] = {}  # files.uploadV2's step 2: the bytes per file id
        self._limits: dict[str, int] = defaultdict(int)
        # method -> Slack error code: answered {"ok": false, "error": code} while set.
        self.errors: dict[str, str] = {}
        self._delays: dict[str, float] = {}
        self._sockets: list[web.WebSocketResponse] = []
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What to give ``AsyncWebClient(base_url=...)`` (``SLACK_API_URL``)."""
        return f"http://127.0.0.1:{self.port}/api/"

    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_get("/link/", self._websocket)
        app.router.add_get("/_counts", self._counts)
        app.router.add_post("/upload/{file_id}", self._upload)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self.base_url

    async def stop(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- configuring answers -----------------------------------------------------------------

    def rate_limit(self, method: str, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 and ``Retry-After: 1``."""
        self._limits[method] += times

    def delay(self, method: str, seconds: float) -> None:
        """Answer every call of ``method`` only after ``seconds`` (recorded when answered)."""
        self._delays[method] = seconds

    # -- inspecting calls --------------------------------------------------------------------

    def count(self, method: str) -> int:
        return len(self.calls[method])

    async def wait_for(
        self, method: str, count: int = 1, timeout: float = 5.0, **match: Any
    ) -> list[dict[str, Any]]:
        """Poll until ``method`` was answered ``count`` times (among calls whose params equal
        ``match``); return those calls. Fails with the calls seen so far after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            found = [p for p in self.calls[method] if all(p.get(k) == v for k, v in match.items())]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                seen = [m for m, _ in self.log]
                raise AssertionError(
                    f"expected {count} {method} call(s) matching {match} within {timeout} s, "
                    f"got {len(found)}; calls so far: {seen}"
                )
            await asyncio.sleep(0.01)

    # -- Socket Mode -------------------------------------------------------------------------

    async def wait_connected(self, timeout: float = 5.0) -> web.WebSocketResponse:
        deadline = time.monotonic() + timeout
        while not any(not ws.closed for ws in self._sockets):
            if time.monotonic() > deadline:
                raise AssertionError("no Socket Mode client connected")
            await asyncio.sleep(0.01)
        return next(ws for ws in reversed(self._sockets) if not ws.closed)

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send an envelope to the connected Socket Mode client."""
        ws = await self.wait_connected()
        await ws.send_str(json.dumps(envelope))

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for ack in self.acks:
                if ack.get("envelope_id") == envelope_id:
                    return ack
            if time.monotonic() > deadline:
                raise AssertionError(f"no ack for {envelope_id}; acks: {self.acks}")
            await asyncio.sleep(0.01)

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)  # answers the client's pings with pongs
        await ws.prepare(request)
        self.connections += 1
        self._sockets.append(ws)
        await ws.send_str(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "mock", "approximate_connection_time": 3600},
                    "connection_info": {"app_id": "A1"},
                }
            )
        )
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                with contextlib.suppress(ValueError):
                    data = json.loads(msg.data)
                    if isinstance(data, dict) and "envelope_id" in data:
                        self.acks.append(data)
        return ws

    # -- the Web API -------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    params.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                params.update({k: v for k, v in (await request.post()).items()})
        for key in _JSON_FIELDS:
            value = params.get(key)
            if isinstance(value, str) and value[:1] in ("[", "{"):
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(value)
        auth = request.headers.get("Authorization")
        if auth:
            params["_token"] = auth.removeprefix("Bearer ")
        peer = request.transport.get_extra_info("peername") if request.transport else None
        params["_client_port"] = peer[1] if peer else None  # one per client connection
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        if method in self._delays:
            await asyncio.sleep(self._delays[method])
        if self._limits[method] > 0:
            self._limits[method] -= 1
            self.rate_limited[method].append(params)
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        if method in self.errors:
            self.rate_limited[method].append(params)  # refused calls are not "calls"
            return web.json_response({"ok": False, "error": self.errors[method]})
        answer = self._answer(method, params)
        if "ts" in answer:
            params["_ts"] = answer["ts"]  # the ts Slack gave the message, for clicks and updates
        self.calls[method].append(params)
        self.log.append((method, params))
        return web.json_response(answer)

    def _next_ts(self) -> str:
        n = next(self._ts)
        return f"{1700000000 + n}.{n:06d}"

    def _answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://mock.slack.test/",
                "team": "Mock",
                "user": "ethiekbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = self._next_ts()
            message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts}
            message.update({k: p[k] for k in ("text", "blocks", "thread_ts") if k in p})
            return {"ok": True, "channel": p.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "chat.update":
            return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts"), "text": ""}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": DM_CHANNEL}}
        if method in ("views.open", "views.publish"):
            view: dict[str, Any] = p["view"] if isinstance(p.get("view"), dict) else {}
            return {"ok": True, "view": {"id": "V1", **view}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):06d}"
            return {
                "ok": True,
                "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
                "file_id": file_id,
            }
        if method == "files.completeUploadExternal":
            files = p.get("files")
            listed = json.loads(files) if isinstance(files, str) else files or []
            return {
                "ok": True,
                "files": [{"id": f.get("id"), "title": f.get("title")} for f in listed],
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link/?ticket=mock"}
        return {"ok": False, "error": "unknown_method"}

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        body = await request.read()  # slack_sdk posts the file's bytes as they are
        self.uploads[file_id] = body
        return web.Response(text=f"OK - {len(body)}")

    async def _counts(self, request: web.Request) -> web.Response:
        return web.json_response({m: len(c) for m, c in self.calls.items()})


async def _serve() -> None:  # pragma: no cover - used by benchmarks/slack_bench.py
    mock = MockSlack()
    print(await mock.start(), flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await mock.stop()


if __name__ == "__main__":  # pragma: no cover
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve())
