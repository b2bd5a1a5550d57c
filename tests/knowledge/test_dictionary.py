"""The word dictionaries opened from files: the answers of simplemma's own dictionaries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import simplemma
from simplemma.strategies.dictionaries import TrieDictionaryFactory

from knowledge import dictionary
from knowledge.triage import Advisor


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder, and the dictionaries opened anew from it."""
    monkeypatch.setenv("ETHIEKBOT_CACHE_DIR", str(tmp_path / "cache"))
    dictionary._lookups.cache_clear()
    yield tmp_path / "cache"
    dictionary._lookups.cache_clear()


def test_the_files_answer_as_simplemma_does(fresh: Path, advisor: Advisor) -> None:
    words = sorted(advisor.matcher.vocabulary)
    # Inflected and unknown forms too: plurals, verb forms, typos, English.
    words += [w + "en" for w in words[::7]] + [w[:-1] for w in words[::11] if len(w) > 4]
    words += ["straten", "huizen", "gemeenten", "controleerden", "houses", "ran", "xqzvbn"]
    assert len(words) > 3000
    for lang in dictionary.LANGS:
        for w in words:
            assert dictionary.lemmatize(w, lang) == simplemma.lemmatize(w, lang=lang), (w, lang)
            assert dictionary.is_known(w, lang) == simplemma.is_known(w, lang=lang), (w, lang)
    made = sorted(p.name for p in (fresh / "lemmas" / simplemma.__version__).iterdir())
    assert made == ["en.dic", "nl.dic"]  # whole files only, nothing half-written left


@pytest.mark.usefixtures("unwritable_cache")
def test_a_folder_that_cannot_be_written_falls_back_to_simplemma() -> None:
    dictionary._lookups.cache_clear()
    try:
        assert dictionary._lookups() is None
        assert dictionary.lemmatize("straten", "nl") == "straat"
        assert dictionary.is_known("huis", "nl")
    finally:
        dictionary._lookups.cache_clear()


def test_prepare_makes_the_files_before_any_question(fresh: Path) -> None:
    dictionary.prepare()
    folder = fresh / "lemmas" / simplemma.__version__
    assert (folder / "nl.dic").stat().st_size > 1_000_000
    assert (folder / "en.dic").stat().st_size > 500_000


def test_a_damaged_file_that_cannot_be_replaced_falls_back(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A container's read-only cache with a damaged file: simplemma's own dictionary."""

    def cannot_replace(self: object, lang: str) -> object:
        raise PermissionError("read-only cache folder")

    monkeypatch.setattr(TrieDictionaryFactory, "_get_dictionary_uncached", cannot_replace)
    assert dictionary.lemmatize("straten", "nl") == "straat"
    assert dictionary.is_known("huis", "nl")
