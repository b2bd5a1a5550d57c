"""Shared fixtures: the knowledge and the advisor are loaded once per test session."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from knowledge.loader import Knowledge
from knowledge.triage import Advisor

if TYPE_CHECKING:
    from tests.adapters.slack.mock_slack import MockSlack

# The knowledge cache (knowledge/parse_cache.py) of this test session goes with it, not into
# the user's ~/.cache; the servers the tests start inherit it.
_CACHE = tempfile.TemporaryDirectory(prefix="ethiekbot-test-cache-")
os.environ["ETHIEKBOT_CACHE_DIR"] = _CACHE.name

REPO_ROOT = Path(__file__).resolve().parent.parent
# The shared folder is a sibling of the repository, here and in a fresh clone in CI.
SHARED_EVAL = REPO_ROOT.parent / "shared" / "eval" / "dev-cases.yaml"
PARAPHRASE_EVAL = REPO_ROOT / "tests" / "data" / "paraphrase-cases.yaml"


@pytest.fixture(scope="session")
def advisor() -> Advisor:
    """The shipped knowledge, indexed once (triage itself is cheap)."""
    return Advisor.load()


@pytest.fixture
def unwritable_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ETHIEKBOT_CACHE_DIR naming a file, so no cache folder can be made there."""
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ETHIEKBOT_CACHE_DIR", str(blocked))
    return blocked


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free loopback port for the whole session, started
    only when a test asks for it, stopped and removed at the end (tests/postgres.py)."""
    from tests.postgres import Cluster

    cluster = Cluster()
    try:
        yield cluster.start().url
    finally:
        cluster.stop()  # also after a failed start: whatever it left behind goes


@contextlib.contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """An empty schema of its own on the session's cluster, as a URL whose connections use it;
    dropped afterwards."""
    import secrets

    import psycopg

    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"create schema {schema}")
    try:
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"drop schema {schema} cascade")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """What Store.open opens, once per database: a new SQLite file, or an empty schema of its
    own on the session's PostgreSQL cluster. A test that takes this fixture runs on both."""
    if request.param == "sqlite":
        yield str(tmp_path / "ethiekbot.db")
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


@pytest.fixture
def pg_database(postgres_url: str) -> Iterator[str]:
    """A PostgreSQL database of the test's own (for what only PostgreSQL can do: several
    instances on one database)."""
    with postgres_schema(postgres_url) as url:
        yield url


@pytest.fixture
async def mock_slack() -> AsyncIterator[MockSlack]:
    """The mock Slack Web API on a free loopback port (tests/adapters/slack/mock_slack.py)."""
    from tests.adapters.slack.mock_slack import MockSlack

    mock = MockSlack()
    await mock.start()
    yield mock
    await mock.stop()


@pytest.fixture(scope="session")
def knowledge(advisor: Advisor) -> Knowledge:
    return advisor.knowledge


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


# The keys of `ethiekbot triage --json` (Triage.to_dict): the six plus the documented
# extras risk_why, signals and notices.
TRIAGE_KEYS = frozenset(
    {
        "cases",
        "instruments",
        "values",
        "mag_het",
        "risk",
        "language",
        "risk_why",
        "signals",
        "notices",
        "needs_more",
        "organisation",
    }
)
