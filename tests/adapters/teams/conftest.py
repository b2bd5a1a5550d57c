"""Fixtures: loopback only (any other host fails the test), a mock connector, our real server."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from knowledge.triage import Advisor
from tests.adapters.teams.helpers import MockConnector, TeamsServer, start_server

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse to resolve any host but loopback, and fail the test if anything tried.

    Everything the bot and botbuilder connect to (aiohttp, requests, msal) resolves the host
    first, so this catches any attempt to reach Microsoft's servers (login, OpenID metadata).
    """
    attempts: list[str] = []
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and name not in LOOPBACK:
            attempts.append(str(name))
            raise socket.gaierror(socket.EAI_NONAME, f"tests are offline: {name}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    yield attempts
    assert not attempts, f"something tried to leave the machine: {attempts}"


@pytest.fixture
async def connector() -> AsyncIterator[MockConnector]:
    mock = MockConnector()
    await mock.start()
    yield mock
    await mock.stop()
    assert not mock.unexpected, f"unexpected connector calls: {mock.unexpected}"


@pytest.fixture
async def teams(tmp_path: Path, advisor: Advisor) -> AsyncIterator[TeamsServer]:
    """Our server with authentication off (no app id): what local development runs."""
    server = await start_server(Settings(db_path=tmp_path / "teams.db", teams_local=True), advisor)
    server.channel.retry_delay = 0.01
    yield server
    await server.stop()
