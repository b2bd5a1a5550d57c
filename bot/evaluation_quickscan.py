"""Score the Mag-het quick scan on labelled legal probes (``tests/data/heldout/…-probes.yaml``).

Each probe has ``text`` and ``expect``: ``personal_data`` (bool), ``dpia`` (none | likely |
required), ``dpia_criteria`` (EDPB criterion ids), ``ai_act`` (subset of prohibited, high-risk,
transparency), ``children`` (bool), ``outside_eea`` (true | false | ask). The quick scan's
answer is read from the JSON a triage gives (``mag_het``), the same the adapters show.

Per signal family we count true and false positives and false negatives, and report recall
and precision: a family with ``dpia: required`` or ``likely`` expects the DPIA signal; each
DPIA criterion and AI Act label counts on its own; ``outside_eea: ask`` is left out (the scan
has no "ask" yet).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.evaluation import EvalFileError
from knowledge.triage import Advisor

AI_LABELS = ("prohibited", "high-risk", "transparency")


@dataclass
class Family:
    """Counts for one signal family."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)  # "q07-" (missed) / "q08+" (false alarm)

    def add(self, pid: str, expected: bool, raised: bool) -> None:
        if expected and raised:
            self.tp += 1
        elif raised:
            self.fp += 1
            self.misses.append(pid + "+")
        elif expected:
            self.fn += 1
            self.misses.append(pid + "-")

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None


def is_probe_file(entries: list[dict[str, Any]]) -> bool:
    """Whether a labelled file holds quick-scan probes (entries with ``expect``)."""
    return bool(entries) and all(isinstance(e.get("expect"), dict) for e in entries)


def load_probes(path: Path) -> list[dict[str, Any]]:
    """Read and check a probe file; raise :class:`EvalFileError` with a clear reason."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvalFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise EvalFileError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, list) or not is_probe_file(raw):
        raise EvalFileError(f"{path}: expected a list of probes with 'text' and 'expect'")
    for i, probe in enumerate(raw):
        if not isinstance(probe.get("text"), str):
            raise EvalFileError(f"{path}: probe {i + 1} has no 'text'")
    return raw


def raised_signals(mag_het: Mapping[str, Any]) -> dict[str, Any]:
    """What a triage's ``mag_het`` JSON raised, in the probes' terms."""
    return {
        "personal_data": bool((mag_het.get("personal_data") or {}).get("signal")),
        "dpia": bool((mag_het.get("dpia") or {}).get("likely_required"))
        or bool((mag_het.get("dpia") or {}).get("required")),
        "dpia_criteria": {c.get("id") for c in (mag_het.get("dpia") or {}).get("criteria", [])},
        "ai_act": {f.get("id") for f in (mag_het.get("ai_act") or {}).get("findings", [])},
        "children": bool((mag_het.get("children") or {}).get("signal")),
        "outside_eea": bool((mag_het.get("outside_eea") or {}).get("signal")),
        "outside_eea_ask": bool((mag_het.get("outside_eea") or {}).get("ask")),
    }


def score_probes(
    probes: list[dict[str, Any]], scan: Callable[[str], Mapping[str, Any]]
) -> dict[str, Family]:
    """Per family (``personal_data``, ``dpia``, ``dpia:<criterion>``, ``ai:<label>``,
    ``children``, ``outside_eea``) the counts of ``scan`` against the probes."""
    families: dict[str, Family] = {}

    def fam(name: str) -> Family:
        return families.setdefault(name, Family())

    for i, probe in enumerate(probes):
        pid = str(probe.get("id", i + 1))
        want = probe["expect"]
        got = raised_signals(scan(probe["text"]))
        fam("personal_data").add(pid, bool(want.get("personal_data")), got["personal_data"])
        fam("dpia").add(pid, want.get("dpia") in ("likely", "required"), got["dpia"])
        wanted_criteria = set(want.get("dpia_criteria") or [])
        for criterion in sorted(wanted_criteria | got["dpia_criteria"]):
            fam(f"dpia:{criterion}").add(
                pid, criterion in wanted_criteria, criterion in got["dpia_criteria"]
            )
        wanted_ai = set(want.get("ai_act") or [])
        for label in AI_LABELS:
            if label in wanted_ai or label in got["ai_act"]:
                fam(f"ai:{label}").add(pid, label in wanted_ai, label in got["ai_act"])
        fam("children").add(pid, bool(want.get("children")), got["children"])
        eea = want.get("outside_eea")
        if eea in (True, False):
            fam("outside_eea").add(pid, eea is True, got["outside_eea"])
        fam("outside_eea:ask").add(pid, eea == "ask", got["outside_eea_ask"])
    return families


def triage_scan(advisor: Advisor) -> Callable[[str], Mapping[str, Any]]:
    """The real quick scan, as the triage's JSON gives it."""

    def scan(text: str) -> Mapping[str, Any]:
        data: Mapping[str, Any] = advisor.triage(text).to_dict(advisor.knowledge)["mag_het"]
        return data

    return scan


def overall(families: Mapping[str, Family]) -> Family:
    """All families together (micro-averaged)."""
    total = Family()
    for f in families.values():
        total.tp += f.tp
        total.fp += f.fp
        total.fn += f.fn
    return total
