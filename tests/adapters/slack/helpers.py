"""Helpers: our real server with Slack mounted, and a client that signs requests like Slack.

Nothing here talks to Slack's servers: the bot's Web API client points at :class:`MockSlack`
on loopback, and requests come from :class:`SlackServer`, which signs them exactly as Slack does
(``v0=`` HMAC-SHA256 of ``v0:{timestamp}:{body}`` with the signing secret).

Work happens after the acknowledgement, so tests wait for the Web API calls they expect with
:meth:`MockSlack.wait_for` (polling, bounded by a timeout).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.server import create_app
from bot.service import ConversationService
from knowledge.triage import Advisor
from tests.adapters.slack.mock_slack import TEAM_ID, MockSlack

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
ACK_LIMIT_S = 3.0  # Slack gives up on an acknowledgement after three seconds

_ids = itertools.count(1)


def sign(body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    """The two headers Slack sends with every request."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    assert signature is not None
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


def next_ts() -> str:
    n = next(_ids)
    return f"{1600000000 + n}.{n:06d}"


def buttons(post: dict[str, Any]) -> list[dict[str, Any]]:
    """The choice buttons of a recorded chat.postMessage (not an outcome's "More details")."""
    return [
        el
        for block in post.get("blocks") or []
        if block.get("type") == "actions" and block.get("block_id") != "ethiek_more"
        for el in block.get("elements", [])
        if el.get("type") == "button"
    ]


def more_button(post: dict[str, Any]) -> dict[str, Any] | None:
    """An outcome's "Meer details / More details" button, if the message has one."""
    found = [
        el
        for block in post.get("blocks") or []
        if block.get("block_id") == "ethiek_more"
        for el in block.get("elements", [])
    ]
    assert len(found) <= 1, found
    return found[0] if found else None


def option(button: dict[str, Any]) -> str:
    """The option a choice button stands for (its value is ``nonce.seq.option``)."""
    return str(button["value"]).rsplit(".", 1)[-1]


def texts_of(call: dict[str, Any]) -> str:
    """Everything a user could see of a recorded call: its text and every text in its blocks."""
    parts = [str(call.get("text") or "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    parts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(call.get("blocks"))
    walk(call.get("view"))
    return "\n".join(parts)


@dataclass
class Ack:
    """What our server answered, and how long it took."""

    status: int
    body: str
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class SlackServer:
    """Our real aiohttp server on loopback, and a client that talks to it as Slack does."""

    url: str
    runner: web.AppRunner
    service: ConversationService
    settings: Settings
    mock: MockSlack
    http: aiohttp.ClientSession
    acks: list[Ack] = field(default_factory=list)
    stopped: bool = False

    async def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        await self.http.close()
        await self.runner.cleanup()
        self.service.store.close()

    # -- raw requests --------------------------------------------------------------------------

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        signed: bool = True,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> Ack:
        hdrs = {"Content-Type": content_type, **(sign(body, timestamp) if signed else {})}
        hdrs.update(headers or {})
        start = time.perf_counter()
        async with self.http.post(self.url + "/slack/events", data=body, headers=hdrs) as r:
            text = await r.text()
            ack = Ack(r.status, text, time.perf_counter() - start)
        self.acks.append(ack)
        # Slack gives up after 3 s and retries: every acknowledgement must be faster.
        assert ack.elapsed < ACK_LIMIT_S, f"acknowledged after {ack.elapsed:.2f} s"
        return ack

    # -- Events API ----------------------------------------------------------------------------

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        **kwargs: Any,
    ) -> Ack:
        body = json.dumps(
            {
                "token": "unused-verification-token",
                "team_id": TEAM_ID,
                "api_app_id": "A1",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(_ids):08d}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": TEAM_ID, "user_id": "U0BOT", "is_bot": True}],
            }
        )
        headers = dict(kwargs.pop("headers", None) or {})
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        return await self.post(body, "application/json", headers=headers, **kwargs)

    async def dm(self, text: str, user: str = "U1", channel: str = "D1", **kwargs: Any) -> Ack:
        ts = next_ts()
        event = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "im",
        }
        event.update(kwargs.pop("extra", None) or {})
        return await self.event(event, **kwargs)

    async def channel_message(
        self, text: str, channel: str, thread_ts: str | None = None, user: str = "U1"
    ) -> Ack:
        ts = next_ts()
        event = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "channel",
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return await self.event(event)

    async def mention(self, text: str, channel: str, user: str = "U1") -> tuple[Ack, str]:
        """A mention in a channel: Slack sends an app_mention and a message event for it."""
        ts = next_ts()
        common = {"channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts}
        ack = await self.event({"type": "app_mention", **common})
        await self.event({"type": "message", "channel_type": "channel", **common})
        return ack, ts

    # -- slash commands and interactivity -----------------------------------------------------

    async def command(self, text: str, user: str = "U1", channel: str = "C1") -> Ack:
        form = {
            "token": "unused-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "mock",
            "channel_id": channel,
            "channel_name": "algemeen",
            "user_id": user,
            "user_name": "someone",
            "command": "/ethiek",
            "text": text,
            "api_app_id": "A1",
            "response_url": "http://127.0.0.1:9/unused",
            "trigger_id": f"trigger.{next(_ids)}",
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")

    async def interact(self, payload: dict[str, Any]) -> Ack:
        payload = {
            "team": {"id": TEAM_ID, "domain": "mock"},
            "api_app_id": "A1",
            "token": "unused-verification-token",
            "trigger_id": f"trigger.{next(_ids)}",
            **payload,
        }
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def click(self, post: dict[str, Any], button: dict[str, Any], user: str = "U1") -> Ack:
        """Click ``button`` on the message recorded as ``post`` (a chat.postMessage call)."""
        channel = post["channel"]
        block_id = next(
            (
                b.get("block_id", "")
                for b in post.get("blocks") or []
                if button in (b.get("elements") or [])
            ),
            "ethiek_choices",
        )
        message = {
            "type": "message",
            "user": "U0BOT",
            "bot_id": "B0BOT",
            "ts": post["_ts"],
            "text": post.get("text"),
            "blocks": post.get("blocks"),
        }
        if post.get("thread_ts"):
            message["thread_ts"] = post["thread_ts"]
        return await self.interact(
            {
                "type": "block_actions",
                "user": {"id": user, "team_id": TEAM_ID},
                "container": {
                    "type": "message",
                    "message_ts": post["_ts"],
                    "channel_id": channel,
                    "is_ephemeral": False,
                },
                "channel": {"id": channel, "name": "x"},
                "message": message,
                "response_url": "http://127.0.0.1:9/unused",
                "actions": [
                    {
                        "type": "button",
                        "action_id": button["action_id"],
                        "block_id": block_id,
                        "text": button["text"],
                        "value": button["value"],
                        "action_ts": next_ts(),
                    }
                ],
            }
        )

    async def submit_description(self, text: str, user: str = "U1") -> Ack:
        return await self.interact(
            {
                "type": "view_submission",
                "user": {"id": user, "team_id": TEAM_ID},
                "view": {
                    "id": "V1",
                    "type": "modal",
                    "callback_id": "ethiek_describe",
                    "state": {
                        "values": {
                            "describe": {"text": {"type": "plain_text_input", "value": text}}
                        }
                    },
                },
            }
        )

    # -- reading the conversation back ---------------------------------------------------------

    def posts(self, channel: str, thread_ts: str | None = None) -> list[dict[str, Any]]:
        """The chat.postMessage calls to one channel (and thread), in order."""
        return [
            p
            for p in self.mock.calls["chat.postMessage"]
            if p.get("channel") == channel and p.get("thread_ts") == thread_ts
        ]

    async def wait_posts(
        self, channel: str, count: int, thread_ts: str | None = None, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        await self.mock.wait_for(
            "chat.postMessage", count, timeout=timeout, channel=channel, thread_ts=thread_ts
        )
        return self.posts(channel, thread_ts)

    async def wait_prompt(
        self, channel: str, after: int, thread_ts: str | None = None, timeout: float = 5.0
    ) -> tuple[dict[str, Any], int]:
        """Wait for the next message with buttons posted after the first ``after`` posts;
        return it and the number of posts so far."""
        deadline = time.monotonic() + timeout
        while True:
            posts = self.posts(channel, thread_ts)
            for p in posts[after:]:
                if buttons(p):
                    return p, len(posts)
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no message with buttons after post {after} in {channel}/{thread_ts}: "
                    f"{[texts_of(p)[:80] for p in posts[after:]]}"
                )
            await asyncio.sleep(0.01)


async def start_server(settings: Settings, advisor: Advisor, mock: MockSlack) -> SlackServer:
    """Start the real application (``create_app``) on an ephemeral loopback port."""
    service = ConversationService.from_settings(settings, advisor)
    # A staffed deployment: an advisor is registered, so the bot offers the hand-over.
    service.store.add_advisor("adviseur@provincie.test", "adviseur")
    app = create_app(settings, service)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = int(runner.addresses[0][1])
    http = aiohttp.ClientSession()
    return SlackServer(f"http://127.0.0.1:{port}", runner, service, settings, mock, http)


def slack_settings(db_path: Path, mock: MockSlack, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": "xoxb-test",
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": mock.base_url,
        "db_path": db_path,
        "secret": "pseudonym-key",
    }
    values.update(overrides)
    return Settings.model_validate(values)
