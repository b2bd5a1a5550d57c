"""Socket Mode: the real server connects to the mock's websocket and works from envelopes.

With ``SLACK_APP_TOKEN`` set, ``create_app``'s cleanup context opens the connection through
``apps.connections.open`` (on the mock Web API) and closes it when the app shuts down.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from knowledge.triage import Advisor
from tests.adapters.slack.helpers import SlackServer, slack_settings, start_server, texts_of
from tests.adapters.slack.mock_slack import TEAM_ID, MockSlack

DRONES = "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?"


@pytest.fixture
async def socket_server(
    tmp_path: Path, mock_slack: MockSlack, advisor: Advisor
) -> AsyncIterator[SlackServer]:
    settings = slack_settings(
        tmp_path / "socket.db", mock_slack, slack_app_token="xapp-test", slack_signing_secret=None
    )
    server = await start_server(settings, advisor, mock_slack)
    yield server
    await server.stop()


def dm_envelope(envelope_id: str, event_id: str, text: str, retry: int = 0) -> dict[str, Any]:
    ts = f"{int(time.time())}.000100"
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": retry,
        "retry_reason": "timeout" if retry else "",
        "payload": {
            "token": "unused",
            "team_id": TEAM_ID,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": {
                "type": "message",
                "channel": "D1",
                "user": "U1",
                "text": text,
                "ts": ts,
                "event_ts": ts,
                "channel_type": "im",
            },
        },
    }


async def test_socket_mode_acks_envelopes_and_replies_through_the_web_api(
    socket_server: SlackServer, mock_slack: MockSlack
) -> None:
    # Connected at start-up, with the app-level token.
    [opened] = mock_slack.calls["apps.connections.open"]
    assert opened["_token"] == "xapp-test"
    await mock_slack.wait_connected()

    await mock_slack.push(dm_envelope("env-1", "EvSOCKET01", DRONES))
    ack = await mock_slack.wait_for_ack("env-1")
    assert ack == {"envelope_id": "env-1"}
    [post] = await mock_slack.wait_for("chat.postMessage", channel="D1")
    assert post["_token"] == "xoxb-test"
    assert "Eerste indruk" in texts_of(post)

    # A redelivered envelope is acknowledged, not processed again.
    await mock_slack.push(dm_envelope("env-2", "EvSOCKET01", DRONES, retry=1))
    await mock_slack.wait_for_ack("env-2")

    # A slash command over the socket: the ack carries the reply shown to the user.
    await mock_slack.push(
        {
            "envelope_id": "env-3",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": {
                "team_id": TEAM_ID,
                "channel_id": "C1",
                "user_id": "U3",
                "command": "/ethiek",
                "text": DRONES,
                "api_app_id": "A1",
                "trigger_id": "trigger.socket",
                "response_url": "http://127.0.0.1:9/unused",
            },
        }
    )
    command_ack = await mock_slack.wait_for_ack("env-3")
    assert "direct bericht" in json.dumps(command_ack["payload"])
    await mock_slack.wait_for("chat.postMessage", channel="D123")
    assert len(mock_slack.calls["chat.postMessage"]) == 2  # env-2 added nothing


async def test_socket_mode_without_signing_secret_has_no_http_endpoint(
    socket_server: SlackServer, mock_slack: MockSlack
) -> None:
    # Nothing could verify an HTTP request, so none is accepted.
    envelope = dm_envelope("unused", "EvHTTP01", DRONES)
    async with (
        aiohttp.ClientSession() as http,
        http.post(socket_server.url + "/slack/events", json=envelope["payload"]) as response,
    ):
        assert response.status in (404, 405)
    await asyncio.sleep(0.2)  # time for any work the request might have started
    assert mock_slack.calls["chat.postMessage"] == []
    assert socket_server.service.store.load_state("slack:T1:D1:-") is None


async def test_socket_mode_shuts_down_cleanly(
    tmp_path: Path, mock_slack: MockSlack, advisor: Advisor
) -> None:
    settings = slack_settings(
        tmp_path / "s.db", mock_slack, slack_app_token="xapp-test", slack_signing_secret=None
    )
    server = await start_server(settings, advisor, mock_slack)
    ws = await mock_slack.wait_connected()
    await server.stop()
    deadline = time.monotonic() + 5
    while not ws.closed and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert ws.closed, "the Socket Mode connection is still open after shutdown"
    assert mock_slack.connections == 1
