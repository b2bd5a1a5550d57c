"""Score the triage on a labelled YAML set (the format of ``shared/eval/dev-cases.yaml``).

Metrics, each over the entries that carry that label:

* ``case@1`` / ``case@3``: an acceptable case is the first / among the first three matches;
* ``instrument@1``: the first recommended instrument is acceptable;
* ``values@5``: every labelled value is among the first five values flagged;
* honesty, for entries with a ``kind`` (the held-out sets): ``close@1``, a fitting question's
  first *close* case is acceptable; ``novel-no-close``, a project no case covers gets no close
  case; ``asks-back``, a vague question (``expect_question``) gets a question back instead of
  a judgement; ``org-themes``, an organisation question gets the guide's chapter 3 themes.

Beside the triage we score a naive baseline (rapidfuzz's token-set ratio of the question against
each case's summary), so a figure always has something to be compared with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from knowledge.text import fold
from knowledge.triage import Advisor

# shared/ sits beside the repository: relative to the working directory (the repo root, as in
# `make eval`) or, failing that, to where this package lives.
DEFAULT_EVAL_FILE = Path("../shared/eval/dev-cases.yaml")
_BESIDE_REPO = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev-cases.yaml"


def default_eval_file() -> Path:
    """The default labelled set: ``../shared/eval/dev-cases.yaml``."""
    return DEFAULT_EVAL_FILE if DEFAULT_EVAL_FILE.exists() else _BESIDE_REPO


class EvalFileError(Exception):
    """The labelled file cannot be used; the message says why."""


@dataclass
class Prediction:
    cases: list[str]
    instruments: list[str]
    values: list[str]
    close: list[str] = field(default_factory=list)  # the cases judged close, in order
    asks_back: bool = False
    organisation: bool = False


@dataclass
class Scores:
    """Hits and totals per metric, and the entries that missed."""

    hits: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)

    def add(self, metric: str, entry_id: str, ok: bool) -> None:
        self.totals[metric] = self.totals.get(metric, 0) + 1
        self.hits[metric] = self.hits.get(metric, 0) + int(ok)
        if not ok:
            self.misses.setdefault(metric, []).append(entry_id)

    def rate(self, metric: str) -> float | None:
        total = self.totals.get(metric, 0)
        return self.hits.get(metric, 0) / total if total else None


METRICS = (
    "case@1",
    "case@3",
    "instrument@1",
    "values@5",
    "close@1",
    "novel-no-close",
    "asks-back",
    "org-themes",
)


def load_entries(path: Path) -> list[dict[str, Any]]:
    """Read and check a labelled file; raise :class:`EvalFileError` with a clear reason."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvalFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise EvalFileError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, list):
        raise EvalFileError(f"{path}: expected a list of labelled questions")
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            raise EvalFileError(f"{path}: entry {i + 1} has no 'text'")
        for key in ("cases", "instruments", "values"):
            if not isinstance(entry.get(key, []), list):
                raise EvalFileError(f"{path}: entry {i + 1}: '{key}' must be a list")
    return raw


def score(entries: list[dict[str, Any]], predict: Callable[[str], Prediction]) -> Scores:
    """Score ``predict`` on the labelled entries."""
    scores = Scores()
    for i, entry in enumerate(entries):
        eid = str(entry.get("id", i + 1))
        p = predict(entry["text"])
        want_cases = entry.get("cases") or []
        if want_cases:
            scores.add("case@1", eid, bool(p.cases[:1]) and p.cases[0] in want_cases)
            scores.add("case@3", eid, any(c in want_cases for c in p.cases[:3]))
        want_instruments = entry.get("instruments") or []
        if want_instruments:
            scores.add(
                "instrument@1", eid, bool(p.instruments) and p.instruments[0] in want_instruments
            )
        want_values = entry.get("values") or []
        if want_values:
            scores.add("values@5", eid, all(v in p.values[:5] for v in want_values))
        kind = entry.get("kind")
        if kind == "fitting" and want_cases:
            scores.add("close@1", eid, bool(p.close) and p.close[0] in want_cases)
        elif kind == "novel":
            scores.add("novel-no-close", eid, not p.close)
        elif kind == "organisation":
            scores.add("org-themes", eid, p.organisation)
        if entry.get("expect_question"):
            scores.add("asks-back", eid, p.asks_back)
    return scores


def triage_predictor(advisor: Advisor) -> Callable[[str], Prediction]:
    """The real triage as a predictor."""

    def predict(text: str) -> Prediction:
        t = advisor.triage(text)
        return Prediction(
            [m.id for m in t.cases],
            # (For a question asked back, the starting points it offers.)
            [a.id for a in t.instruments or t.start_points],
            [v.id for v in t.values],
            close=[m.id for m in t.cases if m.close],
            asks_back=t.needs_more,
            organisation=bool(t.organisation),
        )

    return predict


def baseline_predictor(advisor: Advisor) -> Callable[[str], Prediction]:
    """Naive baseline: fuzzy match of the text against case summaries; the best case's
    instrument (or none) and its values in the order the case lists them."""
    k = advisor.knowledge
    docs = {cid: fold(c.summary.nl + " " + c.summary.en) for cid, c in k.cases.items()}

    def predict(text: str) -> Prediction:
        q = fold(text)
        ranked = sorted(docs, key=lambda cid: -fuzz.token_set_ratio(q, docs[cid]))
        best = k.cases[ranked[0]]
        values = [j.value for j in (*best.values_against, *best.values_for)]
        return Prediction(
            ranked,
            [best.instrument] if best.instrument else [],
            list(dict.fromkeys(values)),
        )

    return predict
