"""Getting the command to run: `make run` installs only what running needs and `make test` the dev
tools too, without needless reinstalls; the README's ways to call `ethiekbot` without `.venv/bin`
on PATH, and its local-knowledge example, work exactly as written."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from knowledge.loader import Knowledge
from tests.conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
VENV_BIN = Path(sys.executable).parent


def _blocks(containing: str) -> list[str]:
    return [b for b in re.findall(r"```sh\n(.*?)```", README, re.DOTALL) if containing in b]


def _path_without_venv() -> str:
    """PATH as a user has it before activating the venv."""
    keep = [
        p
        for p in os.environ.get("PATH", "").split(os.pathsep)
        if p and Path(p).resolve() != VENV_BIN.resolve()
    ]
    return os.pathsep.join(keep)


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ETHIEKBOT_") and k not in ("VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS")
    }
    env.update(extra)
    return env


# --- the Makefile's stamps ----------------------------------------------------------------------

FAKE_PYTHON = """#!/bin/sh
# Stands in for `python3 -m venv DIR`: a venv whose tools log what they are asked to do.
set -e
bin="$3/bin"
mkdir -p "$bin"
for tool in python ethiekbot ruff; do
    printf '#!/bin/sh\\necho "%s $*" >> "%s/log"\\n' "$tool" "$PWD" > "$bin/$tool"
    chmod +x "$bin/$tool"
done
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The Makefile and a pyproject.toml in a folder without .venv, and a fake python3."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    shutil.copy(REPO_ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    fake = tmp_path / "fake-python3"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    return tmp_path


def _make(project: Path, target: str) -> list[str]:
    """Run `make TARGET`; what the venv's tools were asked to do, in order."""
    log = project / "log"
    log.unlink(missing_ok=True)
    proc = subprocess.run(
        ["make", "--no-print-directory", target, f"PYTHON={project / 'fake-python3'}"],
        cwd=project,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return log.read_text().splitlines() if log.exists() else []


def _age(project: Path) -> None:
    """Make the stamps older than pyproject.toml, as after editing it."""
    past = time.time() - 3600
    for stamp in (".venv/.installed", ".venv/.installed-run"):
        if (project / stamp).exists():
            os.utime(project / stamp, (past, past))


RUN_INSTALL = ["python -m pip install --quiet --upgrade pip", "python -m pip install --quiet -e ."]
DEV_INSTALL = [
    "python -m pip install --quiet --upgrade pip",
    "python -m pip install --quiet -e .[dev]",
]
LINT = ["ruff check .", "ruff format --check ."]


def test_make_run_installs_only_what_running_needs(project: Path) -> None:
    assert _make(project, "run") == [*RUN_INSTALL, "ethiekbot serve"]
    # `make test` (lint is its first step) after that still installs the dev extras, once.
    assert _make(project, "lint") == [*DEV_INSTALL, *LINT]
    assert _make(project, "lint") == LINT
    # and `make run` after `make test` installs nothing again.
    assert _make(project, "run") == ["ethiekbot serve"]


def test_make_run_after_make_test_reinstalls_nothing(project: Path) -> None:
    assert _make(project, "lint") == [*DEV_INSTALL, *LINT]
    assert _make(project, "run") == ["ethiekbot serve"]


def test_a_changed_pyproject_reinstalls_each_kind_once(project: Path) -> None:
    _make(project, "lint")
    _age(project)
    assert _make(project, "run") == [*RUN_INSTALL, "ethiekbot serve"]
    assert _make(project, "run") == ["ethiekbot serve"]
    assert _make(project, "lint") == [*DEV_INSTALL, *LINT]


def test_a_venv_from_before_the_run_stamp_is_not_reinstalled(project: Path) -> None:
    _make(project, "lint")
    (project / ".venv" / ".installed-run").unlink()
    assert _make(project, "run") == ["ethiekbot serve"]


# --- the README ---------------------------------------------------------------------------------


def test_readme_says_how_to_run_ethiekbot_without_the_venv_on_path(tmp_path: Path) -> None:
    if not (REPO_ROOT / ".venv" / "bin" / "ethiekbot").exists():
        pytest.skip("no .venv/bin/ethiekbot in the repository")
    (block,) = _blocks(".venv/bin/ethiekbot")
    assert ". .venv/bin/activate" in block
    proc = subprocess.run(
        ["bash", "-e", "-c", block],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env=_env(PATH=_path_without_venv(), HOME=str(tmp_path)),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("ok: ") == 2  # once by its path, once after activating


def test_readme_local_knowledge_example_passes_knowledge_check(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    (block,) = _blocks("ETHIEKBOT_KNOWLEDGE_LOCAL=")
    proc = subprocess.run(
        ["bash", "-e", "-c", block],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_env(PATH=f"{VENV_BIN}{os.pathsep}{_path_without_venv()}"),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("ok: ")
    # The example's case is one more; its contact replaces the shipped `fg`.
    assert f", {len(knowledge.cases) + 1} cases, " in proc.stdout
    assert f", {len(knowledge.contacts)} contacts, " in proc.stdout
    assert (tmp_path / "eigen-kennis" / "contacts.yaml").is_file()
