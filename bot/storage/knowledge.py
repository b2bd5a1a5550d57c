"""The organisation's own knowledge files in the database, for several instances.

A case an advisor promotes, or the contacts they edit, is written into the organisation's
folder of the instance that did it. With several instances on one PostgreSQL database the
file is also stored here and the knowledge version goes up; every instance compares the version
with the one it last applied, writes the changed files into its own folder and reloads
(``bot/knowledge_sync.py``). One SQLite instance has only its folder and needs none of this.
"""

from __future__ import annotations

from datetime import datetime

from bot.storage.base import HasConnection, iso, locked, transaction, utc


class KnowledgeStore:
    """The shared knowledge files (a part of :class:`bot.storage.Store`)."""

    @locked
    def put_knowledge_file(
        self: HasConnection, path: str, content: str, now: datetime | None = None
    ) -> int:
        """Store one file of the organisation's folder (``cases/<id>.yaml``, ``contacts.yaml``)
        and raise the knowledge version; returns the new version."""
        with transaction(self.db):
            self.db.execute(
                "insert into knowledge_files (path, content, updated_at) values (?, ?, ?) "
                "on conflict (path) do update set content = excluded.content, "
                "updated_at = excluded.updated_at",
                [path, content, iso(utc(now))],
            )
            row = self.db.execute(
                "insert into meta (key, value) values ('knowledge_version', '1') "
                "on conflict (key) do update set "
                "value = cast(cast(meta.value as integer) + 1 as text) returning value"
            ).fetchone()
        return int(row[0])

    @locked
    def knowledge_version(self: HasConnection) -> int:
        """Goes up with every stored file: 0 when none was ever stored."""
        row = self.db.execute("select value from meta where key = 'knowledge_version'").fetchone()
        return int(row[0]) if row else 0

    @locked
    def knowledge_files(self: HasConnection) -> list[tuple[str, str]]:
        """Every stored file as (path in the folder, content)."""
        rows = self.db.execute("select path, content from knowledge_files order by path")
        return [(str(r[0]), str(r[1])) for r in rows.fetchall()]
