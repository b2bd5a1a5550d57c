"""Using new knowledge without a restart: notice that the local folder changed, load it again.

An :class:`~knowledge.triage.Advisor` is immutable, so reloading means building a fresh one and
handing it to whoever triages (``Engine.use_advisor``). :func:`knowledge_version` is cheap (one
``stat`` per file), so a server can call :meth:`KnowledgeWatcher.poll` before a turn and pick up
a case the command line published a moment ago::

    >>> from knowledge.reload import knowledge_version
    >>> knowledge_version(None)
    'none'
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from knowledge.loader import KnowledgeError, Problem
from knowledge.triage import Advisor


def _knowledge_files(local_dir: Path) -> list[Path]:
    # Exactly what the loader reads from the local folder.
    files = [local_dir / "contacts.yaml", *sorted((local_dir / "cases").glob("*.yaml"))]
    return [p for p in files if p.is_file()]


def knowledge_version(local_dir: Path | None) -> str:
    """A fingerprint of the local knowledge folder: changes when a file is added, removed,
    replaced or edited.

    Built from each file's name, size, modification time and inode: an atomic replace gives
    a new inode even within one tick of a coarse file-system clock.
    """
    if local_dir is None:
        return "none"
    digest = hashlib.sha256()
    if not local_dir.is_dir():
        digest.update(b"missing")
    else:
        for path in _knowledge_files(local_dir):
            try:
                st = path.stat()
            except FileNotFoundError:  # removed between listing and stat: it is a change anyway
                continue
            rel = path.relative_to(local_dir).as_posix()
            digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode())
    return digest.hexdigest()[:16]


def fresh_advisor(
    local_dir: Path | None, data_dir: Path | None = None, previous: Advisor | None = None
) -> Advisor:
    """The knowledge loaded and indexed again, with the local folder as it is now; the cases
    ``previous`` (the advisor in use) indexed already are not read again.

    Raises :class:`~knowledge.loader.KnowledgeError` when the knowledge has problems.
    """
    return Advisor.load(data_dir, local_dir, previous)


class KnowledgeWatcher:
    """Tells when the local folder changed and gives the advisor to use then.

    Keep one per process beside the engine; ``version`` is the folder's fingerprint when the
    advisor in use was loaded.
    """

    def __init__(
        self, local_dir: Path | None, data_dir: Path | None = None, version: str | None = None
    ) -> None:
        self.local_dir = local_dir
        self.data_dir = data_dir
        self.version = version if version is not None else knowledge_version(local_dir)
        self.problems: list[Problem] = []  # of the last reload that failed

    def changed(self) -> bool:
        """The folder differs from the one the advisor in use was loaded from."""
        return knowledge_version(self.local_dir) != self.version

    def poll(self, previous: Advisor | None = None) -> Advisor | None:
        """A fresh advisor when the folder changed and loads cleanly, else ``None``.
        ``previous``, the advisor in use, saves indexing the cases it has already.

        A folder that does not load (someone saved a broken file by hand) keeps the advisor in
        use; its problems are in :attr:`problems`, and it is tried again only after the next
        change.
        """
        version = knowledge_version(self.local_dir)
        if version == self.version:
            return None
        self.version = version
        try:
            advisor = fresh_advisor(self.local_dir, self.data_dir, previous)
        except KnowledgeError as exc:
            self.problems = exc.problems
            return None
        self.problems = []
        return advisor
