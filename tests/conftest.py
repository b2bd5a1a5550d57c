"""Shared fixtures: the knowledge and the advisor are loaded once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.loader import Knowledge
from knowledge.triage import Advisor

REPO_ROOT = Path(__file__).resolve().parent.parent
# The shared folder is a sibling of the repository, here and in a fresh clone in CI.
SHARED_EVAL = REPO_ROOT.parent / "shared" / "eval" / "dev-cases.yaml"
PARAPHRASE_EVAL = REPO_ROOT / "tests" / "data" / "paraphrase-cases.yaml"


@pytest.fixture(scope="session")
def advisor() -> Advisor:
    """The shipped knowledge, indexed once (triage itself is cheap)."""
    return Advisor.load()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free loopback port for the whole session, started
    only when a test asks for it, stopped and removed at the end (tests/postgres.py)."""
    from tests.postgres import Cluster

    cluster = Cluster().start()
    try:
        yield cluster.url
    finally:
        cluster.stop()


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
