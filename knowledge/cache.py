"""Where the bot keeps what it can always make again: knowledge read from YAML and word
dictionaries opened for fast look-up. Nothing personal is ever kept here.

``ETHIEKBOT_CACHE_DIR``, else ``$XDG_CACHE_HOME/ethiekbot`` or ``~/.cache/ethiekbot``;
``ETHIEKBOT_CACHE_DIR=off`` turns caching off (everything is then made on each start).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_OFF = {"off", "0", "no", "false"}


def cache_root() -> Path | None:
    """The cache folder, or None when caching is turned off."""
    configured = os.environ.get("ETHIEKBOT_CACHE_DIR", "").strip()
    if configured.lower() in _OFF:
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder to be found (no HOME, no passwd entry)
            return None
    return Path(base) / "ethiekbot"


@contextmanager
def whole_file(path: Path) -> Iterator[Path]:
    """A partial file beside ``path`` for the block to write; it becomes ``path`` in one step
    when the block ends, and is removed when the block fails. Processes and threads that make
    the same file at once never let anyone read half of one."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
