"""Dutch and English word dictionaries (simplemma's), opened in milliseconds.

simplemma unpacks a language's whole dictionary into a Python dict on first use: 0.4 to 0.8 s
for Dutch and again for English, paid by the first question with a word the lexicon does not
know (a cold ``ethiekbot triage`` took 2 s instead of 0.8 s). Its trie-backed dictionaries
(marisa-trie) give the same answers from a compact file read as it is, not unpacked; it is
made once per machine (about 1.5 s) in the cache folder (:mod:`knowledge.cache`) and reused
by every process after. With caching off, simplemma's own dictionaries are used.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import simplemma
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries import (
    DEFAULT_DICTIONARY_FACTORY,
    TrieDictionaryFactory,
)
from simplemma.utils import normalize_token

from knowledge.cache import cache_root, whole_file

LANGS = ("nl", "en")


class _SharedTrieFactory(TrieDictionaryFactory):
    """simplemma's trie factory, writing its file whole or not at all: servers and commands
    started together may make the same file, and none may read half of one."""

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        try:
            found: Mapping[str, str] = super()._get_dictionary_uncached(lang)
        except OSError:
            # A damaged file in a folder this process may not write (a container's image):
            # simplemma's own dictionary gives the same answers, only slower to open.
            return DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)
        return found

    def _write_trie_to_disk(self, lang: str, trie: Any) -> None:
        folder: Path = self._cache_dir
        folder.mkdir(parents=True, exist_ok=True)
        with whole_file(folder / f"{lang}.dic") as partial:
            trie.save(str(partial))


@cache
def _lookups() -> tuple[simplemma.Lemmatizer, DictionaryLookupStrategy] | None:
    root = cache_root()
    if root is None:
        return None
    folder = root / "lemmas" / simplemma.__version__
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # nowhere to keep the files: unpacking is faster than making them each time
    if not os.access(folder, os.W_OK) and not all((folder / f"{g}.dic").exists() for g in LANGS):
        return None
    factory = _SharedTrieFactory(disk_cache_dir=str(folder))
    lemmatizer = simplemma.Lemmatizer(
        lemmatization_strategy=DefaultStrategy(dictionary_factory=factory)
    )
    return lemmatizer, DictionaryLookupStrategy(factory)


def lemmatize(word: str, lang: str) -> str:
    """simplemma's lemma of ``word`` in ``lang`` (the word itself when it knows none)."""
    found = _lookups()
    if found is None:
        return str(simplemma.lemmatize(word, lang=lang))
    return str(found[0].lemmatize(word, lang=lang))


def is_known(word: str, lang: str) -> bool:
    """Whether ``word`` is in simplemma's dictionary for ``lang``."""
    found = _lookups()
    if found is None:
        return bool(simplemma.is_known(word, lang=lang))
    return found[1].get_lemma(normalize_token(word), lang) is not None


def prepare() -> None:
    """Make the dictionary files now (a container image, or a server before its first
    question), so no question waits for them."""
    for lang in LANGS:
        is_known("huis", lang)


if __name__ == "__main__":
    prepare()
