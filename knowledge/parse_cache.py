"""A cache of validated knowledge files, so a start does not parse the same YAML again.

Parsing the shipped YAML is about a quarter of a cold start (``ethiekbot triage`` as a whole
process); reading the same models back from their JSON takes a few milliseconds. An entry is
found by the file's name and a hash of its text together with the schema's source, so an
edited file or a changed model is simply a miss: nothing is ever stale. Only the shipped
knowledge is kept (knowledge/loader.py): an organisation's local files name its people (its
contacts, the advisor who promoted a case) and are read afresh each time.

Where: the ``knowledge`` folder of :func:`knowledge.cache.cache_root`. A folder that cannot
be written costs nothing but the time saved.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from functools import cache
from pathlib import Path
from typing import TypeVar

import pydantic
from pydantic import BaseModel

from knowledge import schema
from knowledge.cache import cache_root, whole_file

M = TypeVar("M", bound=BaseModel)


def cache_dir() -> Path | None:
    """The folder for cached knowledge, or None when caching is turned off."""
    root = cache_root()
    return root / "knowledge" if root is not None else None


@cache
def _schema_fingerprint() -> bytes:
    """What the meaning of a cached model depends on besides the file: the models' source
    (fields, defaults, validators) and the pydantic that serialised them."""
    source = Path(schema.__file__).read_bytes()
    return hashlib.sha256(source + pydantic.VERSION.encode()).digest()


def _entry(folder: Path, name: str, text: str, model: type[BaseModel]) -> tuple[Path, str]:
    digest = hashlib.sha256(_schema_fingerprint())
    digest.update(model.__name__.encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    prefix = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") + "-"
    return folder / f"{prefix}{digest.hexdigest()[:32]}.json", prefix


def cached(name: str, text: str, model: type[M]) -> M | None:
    """The model cached for the file ``name`` with exactly this ``text``, else None."""
    folder = cache_dir()
    if folder is None:
        return None
    path, _ = _entry(folder, name, text, model)
    try:
        return model.model_validate_json(path.read_bytes())
    except (OSError, ValueError):  # absent, unreadable or damaged: parse the YAML instead
        return None


def remember(name: str, text: str, item: BaseModel) -> None:
    """Keep ``item``, validated from the file ``name`` with ``text``, for the next start;
    the entries of earlier versions of the same file are removed once it is written."""
    folder = cache_dir()
    if folder is None:
        return
    path, prefix = _entry(folder, name, text, type(item))
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        with whole_file(path) as partial:
            partial.write_text(item.model_dump_json(by_alias=True), encoding="utf-8")
        for old in folder.glob(f"{prefix}*.json"):  # (a prefix has no glob characters)
            if old != path and len(old.name) == len(path.name):
                old.unlink(missing_ok=True)
