"""The quality floor on the labelled sets, and the scoring itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.evaluation import (
    METRICS,
    EvalFileError,
    Prediction,
    Scores,
    baseline_predictor,
    load_entries,
    score,
    triage_predictor,
)
from knowledge.triage import Advisor
from tests.conftest import PARAPHRASE_EVAL, SHARED_EVAL

DEV_FLOOR = {"case@1": 0.85, "case@3": 0.95, "instrument@1": 0.85, "values@5": 0.85}
PARAPHRASE_FLOOR = {"case@1": 0.85, "instrument@1": 0.85, "values@5": 0.85}


def _entries(path: Path) -> list[dict[str, Any]]:
    assert path.is_file(), (
        f"{path} is missing: the shared folder must sit beside the repository "
        "(shared/eval/dev-cases.yaml)"
    )
    return load_entries(path)


@pytest.fixture(scope="module")
def dev(advisor: Advisor) -> tuple[Scores, Scores]:
    entries = _entries(SHARED_EVAL)
    return score(entries, triage_predictor(advisor)), score(entries, baseline_predictor(advisor))


@pytest.fixture(scope="module")
def paraphrase(advisor: Advisor) -> tuple[Scores, Scores]:
    entries = _entries(PARAPHRASE_EVAL)
    return score(entries, triage_predictor(advisor)), score(entries, baseline_predictor(advisor))


@pytest.mark.parametrize(("metric", "floor"), sorted(DEV_FLOOR.items()))
def test_dev_set_quality_floor(dev: tuple[Scores, Scores], metric: str, floor: float) -> None:
    ours, _ = dev
    rate = ours.rate(metric)
    assert rate is not None, f"no entry in the dev set is labelled for {metric}"
    assert rate >= floor, f"{metric} = {rate:.2f} < {floor}; missed: {ours.misses.get(metric)}"


@pytest.mark.parametrize(("metric", "floor"), sorted(PARAPHRASE_FLOOR.items()))
def test_paraphrase_set_quality_floor(
    paraphrase: tuple[Scores, Scores], metric: str, floor: float
) -> None:
    ours, _ = paraphrase
    rate = ours.rate(metric)
    assert rate is not None
    assert rate >= floor, f"{metric} = {rate:.2f} < {floor}; missed: {ours.misses.get(metric)}"


# The honesty metrics need entries with a kind, which the dev and paraphrase sets do not have.
@pytest.mark.parametrize("metric", ["case@1", "case@3", "instrument@1", "values@5"])
@pytest.mark.parametrize("which", ["dev", "paraphrase"])
def test_triage_beats_the_baseline(request: pytest.FixtureRequest, which: str, metric: str) -> None:
    ours, base = request.getfixturevalue(which)
    ours_rate, base_rate = ours.rate(metric), base.rate(metric)
    assert ours_rate is not None and base_rate is not None
    assert ours_rate > base_rate, f"{which} {metric}: triage {ours_rate:.2f} <= {base_rate:.2f}"


def test_the_sets_are_big_enough_to_mean_something(
    dev: tuple[Scores, Scores], paraphrase: tuple[Scores, Scores]
) -> None:
    assert dev[0].totals["case@1"] >= 15
    assert paraphrase[0].totals["case@1"] >= 25
    assert paraphrase[0].totals["instrument@1"] >= 30


# --- the scoring itself ---------------------------------------------------------------------

ENTRIES: list[dict[str, Any]] = [
    {"id": "a", "text": "A", "cases": ["x"], "instruments": ["iama"], "values": ["privacy"]},
    {"id": "b", "text": "B", "cases": ["y"], "instruments": ["deda", "codio"], "values": []},
    {"id": "c", "text": "C", "cases": [], "instruments": ["demm"]},
]

PREDICTIONS = {
    "A": Prediction(["x", "y"], ["iama"], ["privacy", "autonomie"]),
    "B": Prediction(["z", "q", "y"], ["codio"], ["privacy"]),
    "C": Prediction(["x"], [], []),
}


def test_score_counts_hits_only_for_labelled_entries() -> None:
    s = score(ENTRIES, lambda text: PREDICTIONS[text])
    assert s.totals == {"case@1": 2, "case@3": 2, "instrument@1": 3, "values@5": 1}
    assert s.rate("case@1") == 0.5  # a hit, b missed (y is third)
    assert s.rate("case@3") == 1.0
    assert s.rate("instrument@1") == pytest.approx(2 / 3)  # c gets no instrument at all
    assert s.rate("values@5") == 1.0
    assert s.misses == {"case@1": ["b"], "instrument@1": ["c"]}


def test_values_at_5_needs_every_labelled_value_in_the_first_five() -> None:
    entries = [{"id": "v", "text": "V", "values": ["privacy", "inclusie"]}]
    six = ["autonomie", "privacy", "a", "b", "c", "inclusie"]
    assert score(entries, lambda _: Prediction([], [], six)).rate("values@5") == 0.0
    five = [*six[:2], "inclusie"]
    assert score(entries, lambda _: Prediction([], [], five)).rate("values@5") == 1.0


def test_rate_of_an_unlabelled_metric_is_none() -> None:
    assert Scores().rate("case@1") is None


def test_entries_without_id_are_named_by_position() -> None:
    s = score([{"text": "A", "cases": ["nope"]}], lambda t: PREDICTIONS[t])
    assert s.misses["case@1"] == ["1"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("just: a mapping\n", "expected a list"),
        ("- text: fine\n- cases: [x]\n", "entry 2 has no 'text'"),
        ("- text: fine\n  cases: x\n", "'cases' must be a list"),
        ("- text: [unclosed\n", "not valid YAML"),
    ],
)
def test_load_entries_rejects_bad_files(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(content)
    with pytest.raises(EvalFileError, match=reason.replace("(", r"\(")) as exc:
        load_entries(path)
    assert str(path) in str(exc.value)


def test_load_entries_on_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EvalFileError, match="cannot be read"):
        load_entries(tmp_path / "nope.yaml")


def test_predictors_return_ids_the_knowledge_knows(advisor: Advisor) -> None:
    k = advisor.knowledge
    for predictor in (triage_predictor(advisor), baseline_predictor(advisor)):
        p = predictor("Mogen we drones boven weilanden inzetten?")
        assert set(p.cases) <= set(k.cases)
        assert set(p.instruments) <= set(k.instruments)
        assert set(p.values) <= set(k.values)


def test_every_metric_is_reported() -> None:
    assert {"case@1", "case@3", "instrument@1", "values@5"} < set(METRICS)


def test_honesty_metrics_count_by_kind() -> None:
    entries = [
        {"id": "f", "kind": "fitting", "text": "x", "cases": ["a"]},
        {"id": "n", "kind": "novel", "text": "y"},
        {"id": "o", "kind": "organisation", "text": "z"},
        {"id": "v", "kind": "vague", "text": "w", "expect_question": True},
    ]
    predictions = {
        "x": Prediction(["b", "a"], [], [], close=["a"]),
        "y": Prediction(["a"], [], [], close=["a"]),
        "z": Prediction([], [], [], organisation=True),
        "w": Prediction([], [], [], asks_back=True),
    }
    s = score(entries, lambda text: predictions[text])
    assert s.rate("close@1") == 1.0  # the first close case is right, though not the first case
    assert s.rate("case@1") == 0.0
    assert (s.rate("novel-no-close"), s.misses["novel-no-close"]) == (0.0, ["n"])
    assert s.rate("org-themes") == 1.0 and s.rate("asks-back") == 1.0
