"""Where the bot keeps what it can always make again: knowledge read from YAML and word
dictionaries opened for fast look-up. Nothing personal is ever kept here.

``ETHIEKBOT_CACHE_DIR``, else ``$XDG_CACHE_HOME/ethiekbot`` or ``~/.cache/ethiekbot``;
``ETHIEKBOT_CACHE_DIR=off`` turns caching off (everything is then made on each start).
"""

from __future__ import annotations

import os
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
