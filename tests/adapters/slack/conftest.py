"""Fixtures: a mock Slack Web API on loopback, and our real server pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from knowledge.triage import Advisor
from tests.adapters.slack.helpers import SlackServer, slack_settings, start_server
from tests.adapters.slack.mock_slack import MockSlack


@pytest.fixture
async def slack(
    tmp_path: Path, mock_slack: MockSlack, advisor: Advisor
) -> AsyncIterator[SlackServer]:
    server = await start_server(
        slack_settings(tmp_path / "slack.db", mock_slack), advisor, mock_slack
    )
    yield server
    await server.stop()
