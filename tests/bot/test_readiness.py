"""Operations: /readyz says whether the database answers and its schema is current;
`ethiekbot db status` and `db migrate` show and apply the migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.cli import main
from bot.config import Settings
from bot.server import create_app
from bot.service import ConversationService
from bot.storage import MIGRATIONS
from knowledge.triage import Advisor


async def test_readyz_is_200_when_current_and_503_with_a_pending_migration(
    advisor: Advisor, tmp_path: Path
) -> None:
    db = tmp_path / "ready.db"
    settings = Settings(db_path=db)
    service = ConversationService.from_settings(settings, advisor=advisor)
    async with TestClient(TestServer(create_app(settings, service), host="127.0.0.1")) as c:
        resp = await c.get("/readyz")
        assert resp.status == 200
        assert await resp.json() == {"status": "ok", "database": "ok", "pending": []}
        last = MIGRATIONS[-1][0]
        await service.call(
            service.store.db.execute, "delete from migrations where name = ?", [last]
        )
        resp = await c.get("/readyz")
        assert resp.status == 503
        assert (await resp.json())["pending"] == [last]
        assert (await c.get("/healthz")).status == 200  # alive, only not ready
    service.close()


def test_db_status_and_migrate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("ETHIEKBOT_DB", str(db))
    with pytest.raises(SystemExit) as missing:  # no database: said, nothing created
        main(["db", "status"])
    assert missing.value.code == 2 and not db.exists()
    assert main(["db", "migrate"]) == 0
    assert "0001" in capsys.readouterr().out
    assert main(["db", "status"]) == 0
    assert f"{len(MIGRATIONS)} van/of {len(MIGRATIONS)}" in capsys.readouterr().out
    with sqlite3.connect(db) as conn:
        conn.execute("delete from migrations where name = ?", [MIGRATIONS[-1][0]])
    assert main(["db", "status"]) == 1
    assert MIGRATIONS[-1][0] in capsys.readouterr().out
    assert main(["db", "migrate"]) == 0
    assert MIGRATIONS[-1][0] in capsys.readouterr().out
