"""Which database a setting names, without importing the storage (the CLI's cold start)."""

from __future__ import annotations


def is_postgres_url(target: object) -> bool:
    """Whether a database setting names a PostgreSQL server rather than a SQLite file."""
    return str(target).lower().startswith(("postgresql://", "postgres://"))
