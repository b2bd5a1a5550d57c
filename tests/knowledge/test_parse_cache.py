"""The cache of validated knowledge files: the same knowledge as parsing the YAML, never
stale, and harmless when it cannot be used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge import parse_cache
from knowledge.loader import DATA_DIR, KnowledgeError, load


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    monkeypatch.setenv("ETHIEKBOT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "knowledge"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_knowledge_from_the_cache_is_the_knowledge_from_the_yaml(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load()  # parses the YAML and fills the cache
    entries = sorted(cache.glob("*.json"))
    assert len(entries) == len(list(DATA_DIR.rglob("*.yaml")))
    again = load()  # every file from the cache
    monkeypatch.setenv("ETHIEKBOT_CACHE_DIR", "off")
    assert again == first == load()
    assert sorted(cache.glob("*.json")) == entries


def test_an_edited_file_is_read_again_and_its_old_entry_goes(cache: Path, data: Path) -> None:
    load(data)
    values = data / "values.yaml"
    before = sorted(p.name for p in cache.glob("values.yaml-*.json"))
    text = values.read_text(encoding="utf-8")
    assert "Effectiviteit" in text
    values.write_text(text.replace("Effectiviteit", "Doeltreffendheid", 1), encoding="utf-8")
    edited = load(data)
    assert edited.values["effectiviteit"].name.nl == "Doeltreffendheid"
    after = sorted(p.name for p in cache.glob("values.yaml-*.json"))
    assert len(before) == len(after) == 1 and before != after


def test_a_broken_file_is_reported_though_an_earlier_version_was_cached(
    cache: Path, data: Path
) -> None:
    load(data)
    (data / "values.yaml").write_text("values: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"values\.yaml"):
        load(data)


def test_a_damaged_entry_is_ignored(cache: Path) -> None:
    expected = load()
    for entry in cache.glob("*.json"):
        entry.write_text('{"not": "a model"', encoding="utf-8")
    assert load() == expected


@pytest.mark.usefixtures("unwritable_cache")
def test_a_folder_that_cannot_be_written_costs_only_time() -> None:
    assert load().cases


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ETHIEKBOT_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert parse_cache.cache_dir() is None
    load()
    assert not any(tmp_path.iterdir())


def test_the_default_place_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ETHIEKBOT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert parse_cache.cache_dir() == tmp_path / "ethiekbot" / "knowledge"


def test_an_organisations_own_files_are_never_cached(cache: Path, tmp_path: Path) -> None:
    """Local contacts and promoted cases name people: they are read afresh, not copied."""
    local = tmp_path / "eigen-kennis"
    (local / "cases").mkdir(parents=True)
    shipped = (DATA_DIR / "contacts.yaml").read_text(encoding="utf-8")
    assert "contact@werkgroepethiek.nl" in shipped
    own = shipped.replace("contact@werkgroepethiek.nl", "jan.jansen@provincie.example")
    (local / "contacts.yaml").write_text(own, encoding="utf-8")
    knowledge = load(local_dir=local)
    assert knowledge.contacts["werkgroep-ethiek"].email == "jan.jansen@provincie.example"
    for entry in cache.glob("*.json"):
        assert "jan.jansen" not in entry.read_text(encoding="utf-8"), entry.name


def test_no_home_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory")

    monkeypatch.delenv("ETHIEKBOT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", no_home)
    assert parse_cache.cache_dir() is None
    assert load().cases
