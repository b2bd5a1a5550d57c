"""Limits under load: turns and new conversations per person and per address (429 with
Retry-After in the web chat, one polite word in Slack), and request bodies bounded per route."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.web import SERVICE_KEY, conversation_id
from bot.config import Settings
from bot.edge import body_limit
from bot.server import create_app
from bot.service import ConversationService
from bot.throttle import Limits, Throttle
from knowledge.triage import Advisor
from tests.adapters.slack.helpers import SlackServer, slack_settings, start_server
from tests.adapters.slack.mock_slack import MockSlack

Client = TestClient[web.Request, web.Application]
DRONES = "Mogen we drones inzetten boven weilanden?"


async def _client(advisor: Advisor, tmp_path: Path, **limits: int) -> AsyncIterator[Client]:
    settings = Settings(db_path=tmp_path / "limits.db", **limits)  # type: ignore[arg-type]
    service = ConversationService.from_settings(settings, advisor=advisor)
    async with TestClient(TestServer(create_app(settings, service), host="127.0.0.1")) as c:
        yield c
    service.close()


async def _turn(client: Client, token: str, text: str) -> Any:
    return await client.post("/api/chat", json={"session": token, "text": text})


async def _token(client: Client) -> str:
    token = (await (await client.post("/api/session")).json())["session"]
    assert isinstance(token, str)
    return token


@pytest.fixture
async def strict(advisor: Advisor, tmp_path: Path) -> AsyncIterator[Client]:
    async for c in _client(advisor, tmp_path, limit_turns_per_user=3, limit_new_per_address=2):
        yield c


async def test_turns_over_the_limit_get_429_with_retry_after_and_nothing_is_stored(
    strict: Client,
) -> None:
    token = await _token(strict)
    for text in (DRONES, "1", "1"):
        assert (await _turn(strict, token, text)).status == 200
    service = strict.server.app[SERVICE_KEY]
    before = service.store.load_state(f"web:{conversation_id(token)}")
    resp = await _turn(strict, token, "Dit is de vierde beurt binnen een minuut")
    assert resp.status == 429
    wait = int(resp.headers["Retry-After"])
    assert 1 <= wait <= 60
    body = await resp.json()
    assert body["retry_after"] == wait
    assert "Wacht ongeveer" in body["replies"][0]["text"]
    after = service.store.load_state(f"web:{conversation_id(token)}")
    assert after == before  # the refused turn changed nothing


async def test_new_conversations_per_address_are_limited(strict: Client) -> None:
    for _ in range(2):
        assert (await _turn(strict, await _token(strict), DRONES)).status == 200
    resp = await _turn(strict, await _token(strict), DRONES)
    assert resp.status == 429
    assert int(resp.headers["Retry-After"]) >= 1


async def test_an_english_conversation_is_refused_in_english(
    advisor: Advisor, tmp_path: Path
) -> None:
    async for c in _client(advisor, tmp_path, limit_turns_per_user=1):
        token = await _token(c)
        english = "May we use drones to inspect the meadows?"
        first = await c.post("/api/chat", json={"session": token, "text": english, "locale": "en"})
        assert first.status == 200
        resp = await _turn(c, token, "Another question about cameras in the town square")
        assert resp.status == 429
        assert "Wait about" in (await resp.json())["replies"][0]["text"]


def test_a_refused_turn_is_not_counted_and_zero_means_no_limit() -> None:
    throttle = Throttle(Limits(turns_per_user=2, turns_per_address=0, new_per_user=0))
    assert throttle.admit("u", "1.2.3.4", new=True) is None
    assert throttle.admit("u", "1.2.3.4", new=False) is None
    for _ in range(5):
        wait = throttle.admit("u", "1.2.3.4", new=False)
        assert wait is not None and 1 <= wait <= 60
    assert throttle.admit("someone else", "1.2.3.4", new=False) is None
    unlimited = Throttle(Limits(0, 0, 0, 0))
    assert all(unlimited.admit("u", "a", new=True) is None for _ in range(1000))


def test_limits_are_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {"ETHIEKBOT_LIMIT_TURNS": "5", "ETHIEKBOT_LIMIT_NEW_CONVERSATIONS": "0"}
    )
    assert settings.limit_turns_per_user == 5 and settings.limit_new_per_user == 0
    with pytest.raises(ValueError):
        Settings.from_env({"ETHIEKBOT_LIMIT_TURNS": "veel"})


async def test_in_slack_a_flood_gets_one_polite_answer(tmp_path: Path, advisor: Advisor) -> None:
    mock = MockSlack()
    await mock.start()
    settings = slack_settings(tmp_path / "slack.db", mock).model_copy(
        update={"limit_turns_per_user": 2}
    )
    server: SlackServer = await start_server(settings, advisor, mock)
    try:
        for text in (DRONES, "1", "1", "1", "1"):
            assert (await server.dm(text, user="U3", channel="D3")).status == 200
        await asyncio.sleep(0.5)
        texts = [str(p.get("text") or "") for p in server.posts("D3")]
        assert sum("veel berichten" in t for t in texts) == 1
    finally:
        await server.stop()
        await mock.stop()


@pytest.mark.parametrize(
    ("path", "size", "status"),
    [
        ("/api/session", 9 * 1024, 413),
        ("/api/inbox", 9 * 1024, 413),
        ("/api/chat", 300 * 1024, 413),
        ("/api/chat", 200 * 1024, 200),
    ],
)
async def test_request_bodies_are_bounded_per_route(
    advisor: Advisor, tmp_path: Path, path: str, size: int, status: int
) -> None:
    async for c in _client(advisor, tmp_path):
        token = await _token(c)
        filler = "drones " * (size // 7)
        resp = await c.post(path, json={"session": token, "text": filler[:size]})
        assert resp.status == status, await resp.text()
        if status == 413:
            assert (await resp.json())["error"]["nl"]


async def test_a_body_without_a_length_is_cut_at_the_limit(
    advisor: Advisor, tmp_path: Path
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"session": "x", "pad": "'
        for _ in range(20):
            yield b"a" * 1024
        yield b'"}'

    async for c in _client(advisor, tmp_path):
        resp = await c.post(
            "/api/session", data=chunks(), headers={"Content-Type": "application/json"}
        )
        # /api/session does not read its body, so a stream there is harmless; /api/inbox does.
        assert resp.status == 200
        resp = await c.post(
            "/api/inbox", data=chunks(), headers={"Content-Type": "application/json"}
        )
        assert resp.status == 413
    assert body_limit("/api/inbox") == 8 * 1024


async def test_behind_a_proxy_each_client_has_its_own_limit(
    advisor: Advisor, tmp_path: Path
) -> None:
    # Found by a cold review: behind a proxy everyone shared the proxy's address.
    settings = Settings(db_path=tmp_path / "proxy.db", behind_proxy=True, limit_new_per_address=1)
    service = ConversationService.from_settings(settings, advisor=advisor)
    async with TestClient(TestServer(create_app(settings, service), host="127.0.0.1")) as c:
        for client in ("203.0.113.7", "203.0.113.8"):
            token = await _token(c)
            headers = {"X-Forwarded-For": f"198.51.100.1, {client}"}
            resp = await c.post(
                "/api/chat", json={"session": token, "text": DRONES}, headers=headers
            )
            assert resp.status == 200, client
        token = await _token(c)
        headers = {"X-Forwarded-For": "203.0.113.7"}
        resp = await c.post("/api/chat", json={"session": token, "text": DRONES}, headers=headers)
        assert resp.status == 429  # the same client again
    service.close()
    assert Settings.from_env({"ETHIEKBOT_BEHIND_PROXY": "1"}).behind_proxy
