"""Operations: /readyz says whether the database answers and its schema is current;
`ethiekbot db status` and `db migrate` show and apply the migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.cli import main
from bot.database_url import is_postgres_url
from bot.server import create_app
from bot.service import ConversationService
from bot.storage import MIGRATIONS, Store
from knowledge.triage import Advisor
from tests.stores import database_variable, settings_for


async def test_readyz_is_200_when_current_and_503_with_a_pending_migration(
    advisor: Advisor, database: str
) -> None:
    settings = settings_for(database)
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
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ETHIEKBOT_DB", raising=False)
    monkeypatch.delenv("ETHIEKBOT_DATABASE_URL", raising=False)
    monkeypatch.setenv(database_variable(database), database)
    if not is_postgres_url(database):
        with pytest.raises(SystemExit) as missing:  # no database: said, nothing created
            main(["db", "status"])
        assert missing.value.code == 2 and not Path(database).exists()
    else:  # an empty PostgreSQL database: every migration pending
        assert main(["db", "status"]) == 1
        assert f"0 van/of {len(MIGRATIONS)}" in capsys.readouterr().out
    assert main(["db", "migrate"]) == 0
    assert "0001" in capsys.readouterr().out
    assert main(["db", "status"]) == 0
    assert f"{len(MIGRATIONS)} van/of {len(MIGRATIONS)}" in capsys.readouterr().out
    store = Store.open(database)
    store.db.execute("delete from migrations where name = ?", [MIGRATIONS[-1][0]])
    store.close()
    assert main(["db", "status"]) == 1
    assert MIGRATIONS[-1][0] in capsys.readouterr().out
    assert main(["db", "migrate"]) == 0
    assert MIGRATIONS[-1][0] in capsys.readouterr().out


def test_commands_never_migrate_a_shared_database(
    pg_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """During a rolling deploy a newer `ethiekbot` must not move the shared schema ahead of
    the running instances: only `db migrate` (or an instance starting) migrates it."""
    monkeypatch.delenv("ETHIEKBOT_DB", raising=False)
    monkeypatch.setenv("ETHIEKBOT_DATABASE_URL", pg_database)
    assert main(["db", "migrate"]) == 0
    store = Store.open(pg_database)
    store.db.execute("delete from migrations where name = ?", [MIGRATIONS[-1][0]])
    store.close()
    capsys.readouterr()
    for command in (["review", "list"], ["advisor", "list"], ["report", "T-0"]):
        with pytest.raises(SystemExit):
            main(command)
        assert "ethiekbot db migrate" in capsys.readouterr().err
    assert main(["db", "status"]) == 1  # still behind: nothing migrated it
    assert main(["db", "migrate"]) == 0
    assert main(["review", "list"]) == 0
