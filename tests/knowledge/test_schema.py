"""The knowledge files against their pydantic models, and the ids the rest of the bot relies on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from knowledge.loader import DATA_DIR, Knowledge, load
from knowledge.quickscan import DPIA_LABELS, NOTE
from knowledge.schema import (
    Case,
    CheckpointsFile,
    Condition,
    Contact,
    ContactsFile,
    Drietrap,
    InstrumentsFile,
    LawFile,
    OrganisationFile,
    RulesFile,
    Signal,
    SignalsFile,
    Text,
    Value,
    ValuesFile,
)

STABLE_VALUES = (
    "effectiviteit",
    "autonomie",
    "gelijkwaardigheid",
    "inclusie",
    "transparantie",
    "privacy",
    "verantwoording",
    "duurzaamheid",
    "veiligheid",
    "betrokkenheid",
    "gezondheid",
    "betrouwbaarheid",
)
STABLE_INSTRUMENTS = (
    "codio",
    "deda",
    "begeleidingsethiek",
    "moreel-beraad",
    "iama",
    "demm",
    "workshop-goed-digitaal-bestuur",
)
STABLE_CASES = (
    "ammoniak-sensoren",
    "satelliet-handhaving",
    "bezoekersdrukte-locatiedata",
    "algoritmeregister",
    "citizen-science-luchtkwaliteit",
    "drones-subsidiecontrole",
    "tiktok-werktelefoon",
    "waterveiligheid-risicomodellen",
    "generatieve-ai",
    "ai-klantcontact",
    "syri-fraudedetectie",
    "toeslagenaffaire",
    "vroegsignalering-schulden",
    "cameratoezicht-wifitelling",
    "overlastmeting-handhaving",
)

TOP_LEVEL_MODELS: dict[str, type[BaseModel]] = {
    "values.yaml": ValuesFile,
    "drietrap.yaml": Drietrap,
    "instruments.yaml": InstrumentsFile,
    "contacts.yaml": ContactsFile,
    "signals.yaml": SignalsFile,
    "rules.yaml": RulesFile,
    "law.yaml": LawFile,
    "organisation.yaml": OrganisationFile,
    "checkpoints.yaml": CheckpointsFile,
}


# --- every shipped file validates -----------------------------------------------------------


def test_every_top_level_yaml_file_has_a_model() -> None:
    """A new YAML file nobody validates would silently be ignored by the loader."""
    shipped = {p.name for p in DATA_DIR.glob("*.yaml")}
    assert shipped == set(TOP_LEVEL_MODELS)


@pytest.mark.parametrize("name", sorted(TOP_LEVEL_MODELS))
def test_shipped_top_level_file_validates(name: str) -> None:
    raw = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
    TOP_LEVEL_MODELS[name].model_validate(raw)


@pytest.mark.parametrize("path", sorted((DATA_DIR / "cases").glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_case_file_validates_and_is_named_after_its_id(path: Any) -> None:
    case = Case.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert case.id == path.stem


def test_load_reads_every_shipped_file() -> None:
    k = load()
    every_yaml = set(DATA_DIR.glob("*.yaml")) | set((DATA_DIR / "cases").glob("*.yaml"))
    assert every_yaml <= set(k.sources)


# --- stable ids -----------------------------------------------------------------------------


def test_the_twelve_values_exist(knowledge: Knowledge) -> None:
    assert set(STABLE_VALUES) <= set(knowledge.values)
    assert len(knowledge.values) == 12


def test_the_seven_instruments_exist(knowledge: Knowledge) -> None:
    assert set(STABLE_INSTRUMENTS) <= set(knowledge.instruments)
    assert len(knowledge.instruments) == 7


def test_the_library_cases_exist(knowledge: Knowledge) -> None:
    assert set(STABLE_CASES) <= set(knowledge.cases)


def test_cases_only_name_known_values_and_instruments(knowledge: Knowledge) -> None:
    for case in knowledge.cases.values():
        for judgement in (*case.values_for, *case.values_against):
            assert judgement.value in knowledge.values, (case.id, judgement.value)
        if case.instrument is not None:
            assert case.instrument in knowledge.instruments, (case.id, case.instrument)
        assert case.values_for or case.values_against, f"{case.id} weighs no values"


def test_rules_point_to_instruments_and_every_instrument_can_be_recommended(
    knowledge: Knowledge,
) -> None:
    ruled = {r.instrument for r in knowledge.rules}
    assert ruled <= set(knowledge.instruments)
    # An instrument no rule can recommend would never be the answer to a need.
    assert set(STABLE_INSTRUMENTS) <= ruled


def test_contacts_the_quick_scan_points_to_exist(knowledge: Knowledge) -> None:
    for cid in ("fg", "privacy-officer", "jurist", "ethiek-adviseur", "ciso"):
        assert cid in knowledge.contacts


# --- every user-facing text is bilingual ----------------------------------------------------


def _texts(obj: Any, where: str) -> Iterator[tuple[str, Text]]:
    if isinstance(obj, Text):
        yield where, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _texts(getattr(obj, name), f"{where}.{name}")
    elif isinstance(obj, list | tuple):
        for i, item in enumerate(obj):
            yield from _texts(item, f"{where}[{i}]")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _texts(item, f"{where}.{key}")


def test_every_text_has_dutch_and_english(knowledge: Knowledge) -> None:
    roots: dict[str, Any] = {
        "values": knowledge.values,
        "drietrap": knowledge.drietrap,
        "instruments": knowledge.instruments,
        "cases": knowledge.cases,
        "contacts": knowledge.contacts,
        "signals": knowledge.signals,
        "rules": knowledge.rules,
        "dpia_labels": DPIA_LABELS,
        "note": NOTE,
    }
    found = [pair for name, root in roots.items() for pair in _texts(root, name)]
    where = {w for w, _ in found}
    # The walk really reaches nested texts (otherwise this test would prove nothing).
    assert "cases.syri-fraudedetectie.lessons[0]" in where
    assert "values.privacy.questions[0]" in where
    assert "instruments.iama.preconditions.time" in where
    assert "signals.drone.label" in where
    for w, text in found:
        assert text.nl.strip(), f"{w}: empty Dutch text"
        assert text.en.strip(), f"{w}: empty English text"


def test_text_requires_both_languages() -> None:
    with pytest.raises(ValidationError):
        Text(nl="", en="Drones")
    with pytest.raises(ValidationError):
        Text.model_validate({"nl": "Drones"})
    assert Text(nl="ja", en="yes").get("en") == "yes"
    assert Text(nl="ja", en="yes").get("nl") == "ja"


# --- the schema rejects what is wrong -------------------------------------------------------


def _error_types(exc: ValidationError) -> set[str]:
    return {e["type"] for e in exc.errors()}


def test_unknown_keys_are_rejected(knowledge: Knowledge) -> None:
    value = knowledge.values["privacy"].model_dump()
    value["colour"] = "blue"
    with pytest.raises(ValidationError) as exc:
        Value.model_validate(value)
    assert _error_types(exc.value) == {"extra_forbidden"}
    assert exc.value.errors()[0]["loc"] == ("colour",)

    case = knowledge.cases["ammoniak-sensoren"].model_dump()
    case["summary"]["de"] = "Ammoniak messen"
    with pytest.raises(ValidationError) as exc:
        Case.model_validate(case)
    assert exc.value.errors()[0]["loc"] == ("summary", "de")


def test_upper_case_signal_terms_are_rejected(knowledge: Knowledge) -> None:
    signal = knowledge.signals["drone"].model_dump()
    signal["terms"] = ["drone", "Quadcopter"]
    with pytest.raises(ValidationError) as exc:
        Signal.model_validate(signal)
    assert "lower case" in str(exc.value)
    assert "Quadcopter" in str(exc.value)

    signal = knowledge.signals["sensor"].model_dump()
    signal["exclude"] = ["Kilometer"]
    with pytest.raises(ValidationError):
        Signal.model_validate(signal)

    signal = knowledge.signals["drone"].model_dump()
    signal["terms"] = ["   "]
    with pytest.raises(ValidationError):
        Signal.model_validate(signal)


def test_the_shipped_signals_still_validate_after_model_dump(knowledge: Knowledge) -> None:
    """Control for the rejection tests above: the unmodified dumps are valid."""
    Signal.model_validate(knowledge.signals["drone"].model_dump())
    Value.model_validate(knowledge.values["privacy"].model_dump())
    Case.model_validate(knowledge.cases["ammoniak-sensoren"].model_dump())


@pytest.mark.parametrize("bad_id", ["Syri", "syri_fraude", "syri--fraude", "-syri", "syri fraude"])
def test_ids_must_be_kebab_case(knowledge: Knowledge, bad_id: str) -> None:
    case = knowledge.cases["syri-fraudedetectie"].model_dump()
    case["id"] = bad_id
    with pytest.raises(ValidationError):
        Case.model_validate(case)


def test_case_year_must_contain_a_year(knowledge: Knowledge) -> None:
    case = knowledge.cases["syri-fraudedetectie"].model_dump()
    case["year"] = "recent"
    with pytest.raises(ValidationError, match="year"):
        Case.model_validate(case)
    case["year"] = "2018-heden"
    assert Case.model_validate(case).year == "2018-heden"


def test_contact_email_must_look_like_an_address(knowledge: Knowledge) -> None:
    contact = knowledge.contacts["werkgroep-ethiek"].model_dump()
    for bad in ("contact at werkgroepethiek.nl", "a b@c.nl"):
        contact["email"] = bad
        with pytest.raises(ValidationError, match="e-mail"):
            Contact.model_validate(contact)
    contact["email"] = "fg@provincie.nl"
    assert Contact.model_validate(contact).email == "fg@provincie.nl"


def test_signal_weight_and_kind_are_bounded(knowledge: Knowledge) -> None:
    signal = knowledge.signals["drone"].model_dump()
    for field, bad in (("weight", 0), ("weight", 6), ("kind", "gadget"), ("dpia", ["nice"])):
        broken = {**signal, field: bad}
        with pytest.raises(ValidationError):
            Signal.model_validate(broken)


def test_each_organisation_check_is_answered_yes_when_it_is_in_place(knowledge: Knowledge) -> None:
    """The note reads "ja" as "op orde": a check that offers two alternatives ("hangt het af
    van een paar collega's, of is het belegd?") would turn a worrying "ja" into "in place"."""
    for theme in knowledge.organisation.themes:
        assert ", of " not in theme.check.nl and ", or " not in theme.check.en, theme.id
        assert theme.check.nl.endswith("?") and theme.check.en.endswith("?"), theme.id


def test_a_condition_holds_by_all_any_and_none() -> None:
    condition = Condition(all=["a", "b"], any=["c", "d"], none=["e"])
    assert condition.holds({"a", "b", "c"})
    assert condition.holds({"a", "b", "d", "x"})
    assert not condition.holds({"a", "c"})  # b missing
    assert not condition.holds({"a", "b"})  # none of any
    assert not condition.holds({"a", "b", "c", "e"})  # a fact it excludes
    assert Condition(all=["a"]).holds({"a": 1}.keys())  # a dict's keys, as the scan passes
    assert Condition().holds(set())


def test_a_copied_condition_is_read_by_its_own_lists() -> None:
    """The sets of a condition's lists are kept once read; a copy with other lists must not
    answer with the original's."""
    original = Condition(all=["a"])
    assert original.holds({"a"})
    changed = original.model_copy(update={"all": ["b"]})
    assert changed.holds({"b"}) and not changed.holds({"a"})
    assert original.holds({"a"}) and not original.holds({"b"})
