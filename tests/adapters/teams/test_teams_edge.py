"""Teams' endpoint against abuse: where replies may go (serviceUrl), who may post into a
conversation, an activity delivered twice, a slow connector, and when the endpoint exists."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.server import create_app
from bot.service import ConversationService
from knowledge.triage import Advisor
from tests.adapters.teams.helpers import (
    QUESTION,
    TENANT,
    MockConnector,
    TeamsServer,
    message,
    start_server,
)

OK = (200, 201, 202)
KEY = f"teams:{TENANT}:a:personal-1"


def _local_cases(port: int) -> list[tuple[str, bool]]:
    return [
        (f"http://127.0.0.1:{port}/", True),
        (f"http://localhost:{port}/", True),
        (f"http://127.0.0.1:{port}", True),
        (f"http://localhost:{port}\\@127.0.0.1/", False),  # urlsplit and the client disagree
        (f"http://localhost:{port}\\@127.0.0.1:{port}/", False),
        (f"http://user@127.0.0.1:{port}/", False),
        (f"http://127.0.0.1:{port}@evil.example/", False),
        (f"http://127.0.0.1:{port}/v3/conversations/x/", False),  # path tricks
        (f"http://127.0.0.1:{port}/..%2f..%2fadmin", False),
        (f"http://127.0.0.1:{port}/?x=1", False),
        (f"http://127.0.0.1:{port}/#x", False),
        ("http://127.0.0.1/", False),  # no port: not a connector under test
        (f"https://127.0.0.1:{port}/", False),
        (f"http://127.0.0.2:{port}/", False),
        (f"http://[::1]:{port}/", False),
        (f"http://10.0.0.1:{port}/", False),
        (f"file:///etc/passwd:{port}", False),
        (f"gopher://127.0.0.1:{port}/", False),
        (f" http://127.0.0.1:{port}/", False),
        (f"http://127.0.0.1:{port}/\n", False),
        (f"http://１２７.0.0.1:{port}/", False),
        ("", False),
        ("http://127.0.0.1:99999999999/", False),
    ]


async def test_local_mode_accepts_only_plain_loopback_service_urls(
    teams: TeamsServer,
) -> None:
    for url, allowed in _local_cases(3978):
        assert teams.channel.service_url_allowed(url) is allowed, url


async def test_with_authentication_only_bot_framework_hosts_over_https(
    tmp_path: Path, advisor: Advisor
) -> None:
    settings = Settings(db_path=tmp_path / "t.db", microsoft_app_id="app", teams_local=True)
    server = await start_server(settings, advisor)
    try:
        allowed = server.channel.service_url_allowed
        assert allowed("https://smba.trafficmanager.net/emea/")
        assert allowed("https://smba.trafficmanager.net/amer/v3/")
        assert allowed("https://webchat.botframework.com/")
        assert not allowed("http://smba.trafficmanager.net/emea/")  # not https
        assert not allowed("https://smba.trafficmanager.net.evil.example/")
        assert not allowed("https://evilbotframework.com/")
        assert not allowed("https://botframework.com@evil.example/")
        assert not allowed("https://127.0.0.1:3978/")
        assert not allowed("http://127.0.0.1:3978/")  # local URLs are for local mode only
    finally:
        await server.stop()


async def test_the_parser_trick_reaches_nothing(
    teams: TeamsServer, connector: MockConnector
) -> None:
    trick = f"http://localhost:{connector.port}\\@127.0.0.1:{connector.port}/"
    status, _ = await teams.post(message(trick, QUESTION))
    assert status == 401
    assert connector.attempts == 0
    assert teams.service.store.load_state(KEY) is None


async def test_nobody_posts_into_a_conversation_begun_elsewhere(
    teams: TeamsServer, connector: MockConnector
) -> None:
    status, _ = await teams.post(message(connector.url, QUESTION))
    assert status in OK and connector.sent
    intruder = MockConnector()
    await intruder.start()
    try:
        status, body = await teams.post(message(intruder.url, "samenvatting"))
        assert status == 403, body
        await asyncio.sleep(0.2)
        assert intruder.attempts == 0  # the summary never went to the intruder
    finally:
        await intruder.stop()


async def test_an_activity_delivered_twice_is_processed_once(
    teams: TeamsServer, connector: MockConnector
) -> None:
    activity = message(connector.url, QUESTION, activity_id="dup-1")
    first, _ = await teams.post(activity)
    sent = len(connector.sent)
    again, _ = await teams.post(activity)
    assert first == 202 and again == 200
    assert sent > 0 and len(connector.sent) == sent


async def test_a_slow_connector_does_not_hold_the_request(
    teams: TeamsServer, connector: MockConnector
) -> None:
    connector.delay = 3.0
    body = message(connector.url, QUESTION)
    start = time.perf_counter()
    async with teams.session.post(
        teams.url, json=body, headers={"Content-Type": "application/json"}
    ) as resp:
        status = resp.status
    acknowledged = time.perf_counter() - start
    assert status == 202
    assert acknowledged < 1.5, f"acknowledged after {acknowledged:.1f} s"
    assert connector.sent == []  # the replies come after the acknowledgement
    await teams.channel.drain()
    assert connector.sent


@pytest.mark.parametrize(
    ("settings", "mounted"),
    [
        ({}, False),  # no app id, no local mode
        ({"teams_local": True}, True),
        ({"teams_local": True, "host": "0.0.0.0"}, False),
        ({"teams_local": True, "host": "192.168.1.10"}, False),
        ({"microsoft_app_id": "app", "host": "0.0.0.0"}, True),
    ],
)
async def test_the_endpoint_exists_only_with_an_app_id_or_local_on_loopback(
    tmp_path: Path, advisor: Advisor, settings: dict[str, object], mounted: bool
) -> None:
    config = Settings.model_validate({"db_path": tmp_path / "m.db", **settings})
    service = ConversationService.from_settings(config, advisor=advisor)
    app = create_app(config, service)
    async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as client:
        resp = await client.post("/api/messages", json={"type": "message"})
        assert (resp.status != 404) is mounted, resp.status
    service.close()


def test_local_mode_is_read_from_the_environment() -> None:
    assert not Settings.from_env({}).teams_enabled
    assert Settings.from_env({"ETHIEKBOT_TEAMS_LOCAL": "1"}).teams_enabled
    assert not Settings.from_env(
        {"ETHIEKBOT_TEAMS_LOCAL": "1", "ETHIEKBOT_HOST": "0.0.0.0"}
    ).teams_enabled
    hosts = Settings.from_env({"ETHIEKBOT_TEAMS_SERVICE_HOSTS": "a.example, *.b.example"})
    assert hosts.teams_service_hosts == ("a.example", "*.b.example")


@pytest.mark.parametrize(
    "odd",
    [
        {"value": {"ethiekbot_choice": "x" * 5000}},
        {"from": {"id": "u" * 500}},
        {"conversation": {"id": "a:1", "tenantId": "t" * 500}},
        {"locale": 7},
        {"channelData": "not an object"},
        {"type": "conversationUpdate", "membersAdded": [None, 7, {"id": "28:bot"}]},
    ],
)
async def test_odd_activities_never_fail_inside_the_turn(
    teams: TeamsServer,
    connector: MockConnector,
    odd: dict[str, object],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Found by benchmarks/fuzz_bench.py: these failed after the acknowledgement.
    activity = {**message(connector.url, QUESTION), **odd}
    status, _ = await teams.post(activity)
    assert status in (202, 400)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_a_failed_send_is_logged_by_class_without_the_url(
    teams: TeamsServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Found by a cold review: the connector's error text names the URL, conversation id included.
    teams.channel.retry_delay = 0.0
    activity = message("http://127.0.0.1:9/", QUESTION, conversation="a:geheim-gesprek")
    status, _ = await teams.post(activity)
    assert status == 202
    failed = [r.getMessage() for r in caplog.records if "sending failed" in r.getMessage()]
    assert failed
    assert not [m for m in failed if "geheim" in m or "/v3/" in m]
