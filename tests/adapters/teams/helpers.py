"""Test doubles for the Teams channel: a mock Bot Framework connector and our real server.

Everything listens on 127.0.0.1 only. The mock connector stands in for Teams' ``serviceUrl``: it
records every activity the bot sends (replies go to
``POST /v3/conversations/{id}/activities/{replyToId}``, proactive messages to
``POST /v3/conversations/{id}/activities``) and can be told to fail.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from aiohttp import ClientSession, ClientTimeout, web

from adapters.teams import CARD_CONTENT_TYPE, CARD_LIMIT_BYTES, CHANNEL_KEY, TeamsChannel
from bot.config import Settings
from bot.server import create_app
from bot.service import ConversationService
from knowledge.triage import Advisor

# Every activity Teams sends has an id of its own (the server drops one it has seen).
_ACTIVITY_IDS = itertools.count(1)

HERE = Path(__file__).resolve().parent
CARD_SCHEMA_PATH = HERE / "adaptive-card-subset.schema.json"
BOT_ID = "28:ethiekbot-bot-id"
BOT_NAME = "Ethiekbot"
TENANT = "tenant-a"
QUESTION = "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?"
DRONES_CASE = "Drones en AI om subsidie voor bloem- en kruidenrijke weilanden te controleren"


# --- the mock connector -------------------------------------------------------------------------


@dataclass
class Sent:
    """One activity the bot sent to the connector (only those the connector accepted)."""

    conversation_id: str
    reply_to_id: str | None
    activity: dict[str, Any]
    raw_size: int
    authorization: str | None

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.activity.get("attachments") or []
            if a.get("contentType") == CARD_CONTENT_TYPE
        ]

    @property
    def card(self) -> dict[str, Any]:
        cards = self.cards
        assert len(cards) == 1, f"expected one Adaptive Card, got {len(cards)}: {self.activity}"
        return cards[0]

    @property
    def text(self) -> str:
        """All visible text: the card's TextRuns (one line per block), or the plain text."""
        if not self.cards:
            return str(self.activity.get("text") or "")
        return "\n".join(card_text(c) for c in self.cards)

    @property
    def actions(self) -> list[dict[str, Any]]:
        return [a for c in self.cards for a in c.get("actions") or []]

    def action(self, title: str) -> dict[str, Any]:
        """The ``data`` of the Action.Submit with this title."""
        found = [a for a in self.actions if a.get("title") == title]
        assert len(found) == 1, (
            f"no single action {title!r} in {[a['title'] for a in self.actions]}"
        )
        data = found[0]["data"]
        assert isinstance(data, dict)
        return data


def card_text(card: dict[str, Any]) -> str:
    lines = []
    for element in card.get("body") or []:
        if element.get("type") == "RichTextBlock":
            lines.append("".join(run.get("text", "") for run in element.get("inlines") or []))
        elif element.get("type") == "TextBlock":
            lines.append(element.get("text", ""))
    return "\n".join(lines)


@dataclass
class MockConnector:
    """A Bot Framework connector (the channel's ``serviceUrl``) on 127.0.0.1."""

    sent: list[Sent] = field(default_factory=list)
    attempts: int = 0  # every POST of an activity, failed or not
    fail_next: int = 0  # answer this many activity POSTs with 500
    always_fail: bool = False
    delay: float = 0.0  # seconds before answering an activity POST (a slow connector)
    # Stands in for the person's OneDrive too: PUT /upload/{name} (the file consent flow).
    uploads: dict[str, bytes] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._activity)
        app.router.add_post(
            "/v3/conversations/{conversation_id}/activities/{activity_id}", self._activity
        )
        app.router.add_put("/upload/{name}", self._upload)
        app.router.add_route("*", "/{tail:.*}", self._other)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _activity(self, request: web.Request) -> web.Response:
        self.attempts += 1
        raw = await request.read()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.always_fail or self.fail_next > 0:
            self.fail_next = max(0, self.fail_next - 1)
            return web.json_response({"error": {"code": "ServiceError"}}, status=500)
        activity = json.loads(raw)
        self.sent.append(
            Sent(
                conversation_id=request.match_info["conversation_id"],
                reply_to_id=request.match_info.get("activity_id"),
                activity=activity,
                raw_size=len(raw),
                authorization=request.headers.get("Authorization"),
            )
        )
        return web.json_response({"id": f"sent-{len(self.sent)}"})

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["name"]] = await request.read()
        return web.json_response({"id": "uploaded"}, status=201)

    async def _other(self, request: web.Request) -> web.Response:
        self.unexpected.append(f"{request.method} {request.path}")
        return web.json_response({"error": "not here"}, status=404)

    def to(self, conversation_id: str) -> list[Sent]:
        return [s for s in self.sent if s.conversation_id == conversation_id]


# --- our server ---------------------------------------------------------------------------------


@dataclass
class TeamsServer:
    """The real application (``create_app``) on 127.0.0.1, in the test's event loop."""

    settings: Settings
    service: ConversationService
    runner: web.AppRunner
    port: int
    session: ClientSession

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    @property
    def channel(self) -> TeamsChannel:
        return self.runner.app[CHANNEL_KEY]

    async def post(
        self, activity: dict[str, Any], token: str | None = None, **headers: str
    ) -> tuple[int, str]:
        """POST an activity as JSON; (status, body)."""
        hdrs = {"Content-Type": "application/json; charset=utf-8", **headers}
        if token is not None:
            hdrs["Authorization"] = f"Bearer {token}"
        body = json.dumps(activity).encode()
        async with self.session.post(self.url, data=body, headers=hdrs) as resp:
            answer = resp.status, await resp.text()
        # The server acknowledges first and runs the turn after: wait for its replies.
        await self.channel.drain()
        return answer

    async def post_raw(self, body: bytes, content_type: str | None) -> tuple[int, str]:
        headers = {"Content-Type": content_type} if content_type else {}
        async with self.session.post(self.url, data=body, headers=headers) as resp:
            return resp.status, await resp.text()

    async def stop(self) -> None:
        await self.session.close()
        await self.runner.cleanup()
        # The service finishes its queued work (its worker thread) before closing the database.
        self.service.close()


async def start_server(settings: Settings, advisor: Advisor) -> TeamsServer:
    service = ConversationService.from_settings(settings, advisor=advisor)
    # A staffed deployment: an advisor is registered, so the bot offers the hand-over.
    service.store.add_advisor("adviseur@provincie.test", "adviseur")
    runner = web.AppRunner(create_app(settings, service))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    # skip_auto_headers: aiohttp would add a Content-Type of its own to a raw body.
    session = ClientSession(timeout=ClientTimeout(total=60), skip_auto_headers={"Content-Type"})
    return TeamsServer(settings, service, runner, int(runner.addresses[0][1]), session)


# --- activities ---------------------------------------------------------------------------------


def message(
    service_url: str,
    text: str | None = None,
    *,
    value: dict[str, Any] | None = None,
    conversation: str = "a:personal-1",
    tenant: str = TENANT,
    user: str = "29:user-1",
    aad: str = "aad-user-1",
    activity_id: str | None = None,
    conversation_type: str = "personal",
    entities: list[dict[str, Any]] | None = None,
    channel_id: str = "msteams",
    locale: str = "nl-NL",
) -> dict[str, Any]:
    """A Teams message activity as the connector posts it."""
    activity: dict[str, Any] = {
        "type": "message",
        "id": activity_id or f"act-{next(_ACTIVITY_IDS)}",
        "timestamp": "2026-11-22T10:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": channel_id,
        "from": {"id": user, "name": "Sanne", "aadObjectId": aad},
        "conversation": {
            "id": conversation,
            "conversationType": conversation_type,
            "tenantId": tenant,
        },
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "locale": locale,
        "channelData": {"tenant": {"id": tenant}},
    }
    if text is not None:
        activity["text"] = text
        activity["textFormat"] = "plain"
    if value is not None:
        activity["value"] = value
    if entities is not None:
        activity["entities"] = entities
    return activity


def members_added(
    service_url: str,
    member_ids: list[str],
    *,
    conversation: str = "a:personal-1",
    tenant: str = TENANT,
) -> dict[str, Any]:
    return {
        "type": "conversationUpdate",
        "id": f"cu-{next(_ACTIVITY_IDS)}",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": "29:user-1", "aadObjectId": "aad-user-1"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": tenant},
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "membersAdded": [{"id": m} for m in member_ids],
        "channelData": {"tenant": {"id": tenant}, "eventType": "teamMemberAdded"},
    }


def bot_mention(text: str = f"<at>{BOT_NAME}</at>") -> dict[str, Any]:
    return {"type": "mention", "text": text, "mentioned": {"id": BOT_ID, "name": BOT_NAME}}


# --- cards --------------------------------------------------------------------------------------

_VALIDATOR: jsonschema.protocols.Validator | None = None


def card_validator() -> jsonschema.protocols.Validator:
    global _VALIDATOR
    if _VALIDATOR is None:
        schema = json.loads(CARD_SCHEMA_PATH.read_text(encoding="utf-8"))
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        _VALIDATOR = cls(schema)
    return _VALIDATOR


def card_problems(card: dict[str, Any]) -> Iterator[str]:
    """Why a card is not a valid Adaptive Card 1.5 Teams accepts (nothing when it is)."""
    for error in card_validator().iter_errors(card):
        path = "/".join(str(p) for p in error.absolute_path)
        yield f"{path or '(card)'}: {error.message[:300]}"
    size = len(json.dumps(card).encode())
    if size > CARD_LIMIT_BYTES:
        yield f"card is {size} bytes, over {CARD_LIMIT_BYTES}"


def assert_valid_cards(sent: list[Sent]) -> None:
    """Every card sent validates against the schema; every message is at most 28 KB."""
    assert sent, "nothing was sent"
    for i, s in enumerate(sent):
        assert s.raw_size <= CARD_LIMIT_BYTES, f"message {i} is {s.raw_size} bytes"
        for card in s.cards:
            problems = list(card_problems(card))
            assert not problems, f"message {i}: {problems}"
