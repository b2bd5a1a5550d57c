"""The organisation's folder kept the same on every instance of one PostgreSQL database.

:func:`share` stores a file the advisor just published (a case, the contacts) in the database,
:func:`unshare` an empty file for a case withdrawn (so the others remove theirs too);
:func:`sync` writes what the database holds into this instance's folder when the knowledge
version moved on, after which the folder's watcher (``knowledge/reload.py``) reloads the
knowledge. On SQLite (one instance) both do nothing: the folder is the only copy, and may be
edited by hand.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from bot.storage import Store
from knowledge.promote import write_atomically

log = logging.getLogger(__name__)

# What the loader reads from the folder, and nothing else may be written there from the
# database: no other name, no path out of the folder.
_SHARED_PATH = re.compile(r"contacts\.yaml|cases/[a-z0-9][a-z0-9-]{0,80}\.yaml")


# What the database holds for a case that was withdrawn: no case file is ever empty.
WITHDRAWN = ""


def shared(store: Store) -> bool:
    """Whether this store is shared by several instances (PostgreSQL)."""
    return store.db.dialect == "postgresql"


def share(store: Store, local_dir: Path, path: Path) -> None:
    """Store ``path`` (a file in ``local_dir``) for the other instances."""
    if not shared(store):
        return
    rel = path.relative_to(local_dir).as_posix()
    if not _SHARED_PATH.fullmatch(rel):
        raise ValueError(f"not a file of the organisation's knowledge: {rel}")
    store.put_knowledge_file(rel, path.read_text(encoding="utf-8"))


def unshare(store: Store, local_dir: Path, path: Path) -> None:
    """Tell the other instances that ``path`` (a case in ``local_dir``) was withdrawn: the
    database keeps an empty file for it, and :func:`sync` removes theirs."""
    if not shared(store):
        return
    rel = path.relative_to(local_dir).as_posix()
    if not _SHARED_PATH.fullmatch(rel) or not rel.startswith("cases/"):
        raise ValueError(f"not a case of the organisation's knowledge: {rel}")
    store.put_knowledge_file(rel, WITHDRAWN)


def sync(store: Store, local_dir: Path, applied: int) -> int:
    """Write the files stored since version ``applied`` into ``local_dir``; return the version
    now applied. A file whose content is already there is left alone."""
    if not shared(store):
        return applied
    version = store.knowledge_version()
    if version == applied:
        return applied
    written = 0
    for rel, content in store.knowledge_files():
        if not _SHARED_PATH.fullmatch(rel):
            log.warning("knowledge sync: skipped a stored file with an unexpected name")
            continue
        target = local_dir / rel
        if content == WITHDRAWN:
            if target.exists():
                target.unlink(missing_ok=True)
                written += 1
                log.info("knowledge sync: removed a withdrawn case (%s)", target.stem)
            continue
        try:
            if target.read_text(encoding="utf-8") == content:
                continue
        except FileNotFoundError:
            pass
        write_atomically(target, content, replace=True)
        written += 1
    if written:
        log.info("knowledge sync: %d file(s) from the database (version %d)", written, version)
    return version
