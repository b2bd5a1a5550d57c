"""Settings for a test database from the ``database`` fixture (a SQLite file or a PostgreSQL
URL), so a test written once runs on both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.config import Settings
from bot.database_url import is_postgres_url


def settings_for(database: str | Path, **values: Any) -> Settings:
    """Settings whose store opens ``database``."""
    if is_postgres_url(database):
        return Settings(database_url=SecretStr(str(database)), **values)
    return Settings(db_path=Path(database), **values)


def database_variable(database: str | Path) -> str:
    """The environment variable a child process reads ``database`` from."""
    return "ETHIEKBOT_DATABASE_URL" if is_postgres_url(database) else "ETHIEKBOT_DB"
