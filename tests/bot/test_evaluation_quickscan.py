"""The quick-scan probe scorer: counting per signal family, and the CLI on a real probe file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.evaluation_quickscan import overall, score_probes

PROBES: list[dict[str, Any]] = [
    {
        "id": "p1",
        "text": "a",
        "expect": {
            "personal_data": True,
            "dpia": "likely",
            "dpia_criteria": ["monitoring"],
            "ai_act": ["high-risk"],
            "children": False,
            "outside_eea": "ask",
        },
    },
    {
        "id": "p2",
        "text": "b",
        "expect": {
            "personal_data": False,
            "dpia": "none",
            "dpia_criteria": [],
            "ai_act": [],
            "children": False,
            "outside_eea": False,
        },
    },
]


def scan_of(answers: dict[str, dict[str, Any]]) -> Any:
    return lambda text: answers[text]


def test_counts_hits_misses_and_false_alarms() -> None:
    answers = {
        "a": {
            "personal_data": {"signal": True},
            "dpia": {"likely_required": False, "criteria": [{"id": "monitoring"}]},
            "ai_act": {"findings": []},
            "children": {"signal": False},
            "outside_eea": {"signal": True},
        },
        "b": {
            "personal_data": {"signal": True},
            "dpia": {"likely_required": False, "criteria": []},
            "ai_act": {"findings": [{"id": "transparency"}]},
            "children": {"signal": False},
            "outside_eea": {"signal": False},
        },
    }
    fam = score_probes(PROBES, scan_of(answers))
    assert (fam["personal_data"].tp, fam["personal_data"].fp) == (1, 1)
    assert fam["personal_data"].misses == ["p2+"]
    assert (fam["dpia"].fn, fam["dpia"].misses) == (1, ["p1-"])
    assert fam["dpia:monitoring"].recall == 1.0
    assert fam["ai:high-risk"].recall == 0.0 and fam["ai:transparency"].precision == 0.0
    assert fam["outside_eea"].fp == 0 and fam["outside_eea"].tp == 0  # 'ask' has its own family
    assert (fam["outside_eea:ask"].fn, fam["outside_eea:ask"].misses) == (1, ["p1-"])
    total = overall(fam)
    assert (total.tp, total.fp, total.fn) == (2, 2, 3)


def test_cli_scores_the_held_out_probes(
    repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    probes = repo_root / "tests" / "data" / "heldout" / "quickscan-probes.yaml"
    assert main(["eval", str(probes), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["probes"] >= 50
    assert {"personal_data", "dpia", "children", "outside_eea"} <= set(out["families"])
    for family in out["families"].values():
        for key in ("recall", "precision"):
            assert family[key] is None or 0.0 <= family[key] <= 1.0
