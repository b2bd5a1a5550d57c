"""The workspace on the real server, on an ephemeral loopback port; stopped after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from knowledge.triage import Advisor
from tests.adapters.advisor.helpers import Server, start


@pytest.fixture
async def server(tmp_path: Path, advisor: Advisor) -> AsyncIterator[Server]:
    s = await start(Settings(db_path=tmp_path / "w.db", port=0), advisor)
    yield s
    await s.runner.cleanup()
    s.service.close()
