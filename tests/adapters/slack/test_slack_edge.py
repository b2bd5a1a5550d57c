"""Slack's endpoint against bad input: the signature is checked before anything is parsed, a
signed request we cannot read is acknowledged and ignored, a replayed request is processed once."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

import pytest

from tests.adapters.slack.helpers import SIGNING_SECRET, SlackServer, buttons, sign, texts_of
from tests.adapters.slack.mock_slack import TEAM_ID

FORM = "application/x-www-form-urlencoded"
DRONES = "Mogen we drones inzetten om weilanden te controleren?"


@pytest.mark.parametrize(
    "timestamp",
    ["", "abc", "1e9", "١٧٠٠٠٠٠٠٠٠", "9" * 5000, "-1", " 1700000000", "0x10", "17000000000000"],
)
async def test_malformed_timestamps_are_refused_before_parsing(
    slack: SlackServer, timestamp: str
) -> None:
    body = "payload=%7Bnot-json"
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=abc"}
    ack = await slack.post(body, FORM, signed=False, headers=headers)
    assert ack.status == 401


async def test_unsigned_garbage_is_refused_before_it_is_read(slack: SlackServer) -> None:
    for content_type in ("application/json; charset=bogus", "multipart/form-data", "text/plain"):
        ack = await slack.post("\u00ff{{{", content_type, signed=False)
        assert ack.status == 401, content_type
    assert slack.mock.log == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        ("payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
        ("payload=%22just+a+string%22", "application/x-www-form-urlencoded"),
        ('{"type": "event_callback", "event": ', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('{"type": "event_callback", "event": "not an object"}', "application/json"),
        ('{"type": 7}', "application/json"),
        ("command=%2Fethiek", "application/x-www-form-urlencoded"),
        ("", "application/x-www-form-urlencoded"),
        ("%%%%=%%", "application/x-www-form-urlencoded"),
    ],
)
async def test_a_signed_request_we_cannot_read_gets_200_and_nothing_is_done(
    slack: SlackServer, body: str, content_type: str
) -> None:
    ack = await slack.post(body, content_type)
    assert ack.status == 200, ack.body
    assert "Traceback" not in ack.body
    await asyncio.sleep(0.2)
    assert slack.mock.count("chat.postMessage") == 0


async def test_a_signed_body_that_is_not_utf8_gets_200(slack: SlackServer) -> None:
    raw = b'{"type": "event_callback", "x": "\xff\xfe"}'
    ts = str(int(time.time()))
    mac = hmac.new(SIGNING_SECRET.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256)
    signature = "v0=" + mac.hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }
    async with slack.http.post(slack.url + "/slack/events", data=raw, headers=headers) as r:
        assert r.status == 200


async def test_a_replayed_slash_command_is_processed_once(slack: SlackServer) -> None:
    form = urlencode(
        {
            "team_id": TEAM_ID,
            "channel_id": "C1",
            "user_id": "U9",
            "command": "/ethiek",
            "text": DRONES,
            "api_app_id": "A1",
            "response_url": "http://127.0.0.1:9/unused",
            "trigger_id": "trigger.replay",
        }
    )
    headers = sign(form)
    first = await slack.post(
        form, "application/x-www-form-urlencoded", signed=False, headers=headers
    )
    again = await slack.post(
        form, "application/x-www-form-urlencoded", signed=False, headers=headers
    )
    assert first.status == again.status == 200
    assert "direct bericht" in first.body and again.body == ""
    await slack.mock.wait_for("conversations.open")
    await asyncio.sleep(0.5)
    assert slack.mock.count("conversations.open") == 1


async def test_a_replayed_button_click_is_processed_once(slack: SlackServer) -> None:
    await slack.dm(DRONES, user="U5", channel="D5")
    [quick] = await slack.wait_posts("D5", 1)
    button = buttons(quick)[0]
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "mock"},
        "api_app_id": "A1",
        "user": {"id": "U5", "team_id": TEAM_ID},
        "container": {"type": "message", "message_ts": quick["_ts"], "channel_id": "D5"},
        "channel": {"id": "D5", "name": "x"},
        "message": {"type": "message", "ts": quick["_ts"], "text": quick.get("text")},
        "trigger_id": "trigger.click",
        "response_url": "http://127.0.0.1:9/unused",
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "ethiek_choices",
                "text": button["text"],
                "value": button["value"],
                "action_ts": "1.1",
            }
        ],
    }
    body = urlencode({"payload": json.dumps(payload)})
    headers = sign(body)
    for _ in range(3):
        ack = await slack.post(
            body, "application/x-www-form-urlencoded", signed=False, headers=headers
        )
        assert ack.status == 200
    await slack.wait_posts("D5", 2)
    await asyncio.sleep(0.5)
    # One click answered; a replay processed would have been told "already answered".
    assert slack.mock.count("chat.postEphemeral") == 0
    assert len([p for p in slack.posts("D5") if "Eerste indruk" in texts_of(p)]) == 1


def _click(**overrides: object) -> str:
    payload: dict[str, object] = {
        "type": "block_actions",
        "team": {"id": TEAM_ID},
        "user": {"id": "U6", "team_id": TEAM_ID},
        "channel": {"id": "D6"},
        "container": {"type": "message", "message_ts": "1.1", "channel_id": "D6"},
        "actions": [{"type": "button", "action_id": "ethiek_choice", "value": "a.1.ja"}],
    }
    payload.update(overrides)
    return urlencode({"payload": json.dumps(payload)})


@pytest.mark.parametrize(
    "body",
    [
        _click(actions=[{"type": "button", "action_id": "ethiek_choice", "value": 7}]),
        _click(actions=[{"type": "button", "action_id": "ethiek_choice", "value": "v" * 300}]),
        _click(channel="D6"),
        _click(user="U6"),
        _click(actions=None),
        _click(team_id="1" * 400),
        urlencode({"command": "/ethiek", "text": DRONES, "team_id": TEAM_ID, "channel_id": "C1"}),
        urlencode({"command": "/ethiek", "text": DRONES, "team_id": "9" * 400, "user_id": "U1"}),
    ],
)
async def test_signed_payloads_of_the_wrong_shape_are_acknowledged_at_once(
    slack: SlackServer, body: str
) -> None:
    # Found by benchmarks/fuzz_bench.py: these failed inside bolt after the ack, some only
    # acknowledged after three seconds (which Slack counts as a timeout).
    ack = await slack.post(body, FORM)
    assert ack.status == 200 and ack.elapsed < 1.0
    await asyncio.sleep(0.2)
    assert slack.mock.count("chat.postMessage") == 0
    assert slack.mock.count("chat.postEphemeral") == 0


async def test_a_replayed_event_is_processed_once_by_its_event_id(slack: SlackServer) -> None:
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": TEAM_ID,
            "event_id": "EvREPLAY01",
            "event": {
                "type": "message",
                "channel": "D4",
                "user": "U4",
                "text": DRONES,
                "ts": "1.000004",
                "channel_type": "im",
            },
        }
    )
    headers = sign(body)
    for _ in range(3):
        ack = await slack.post(body, "application/json", signed=False, headers=headers)
        assert ack.status == 200
    await slack.wait_posts("D4", 1)
    await asyncio.sleep(0.5)
    assert len(slack.posts("D4")) == 1
