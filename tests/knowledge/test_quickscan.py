"""The "Mag het?" quick scan and the risk level, rule by rule."""

from __future__ import annotations

import pytest

from knowledge.loader import Knowledge
from knowledge.quickscan import DPIA_LABELS, Finding, MagHet, assess_risk, quick_scan
from knowledge.schema import Text
from knowledge.triage import Advisor


def scan(advisor: Advisor, text: str) -> MagHet:
    return quick_scan(advisor.matcher.find(text))


def _finding(key: str) -> Finding:
    return Finding(key, Text(nl=key, en=key), [key])


@pytest.mark.parametrize(("n", "likely"), [(0, False), (1, False), (2, True), (3, True)])
def test_dpia_likely_from_two_criteria(n: int, likely: bool) -> None:
    keys = list(DPIA_LABELS)[:n]
    assert MagHet(dpia=[_finding(k) for k in keys]).dpia_likely is likely


def test_ai_act_level_takes_the_most_serious_finding() -> None:
    assert MagHet().ai_act_level == "none"
    assert MagHet(ai_involved=["ai"]).ai_act_level == "ai"
    assert MagHet(ai_act=[_finding("transparency")]).ai_act_level == "transparency"
    both = [_finding("transparency"), _finding("high-risk")]
    assert MagHet(ai_act=both).ai_act_level == "high-risk"
    worst = [_finding("high-risk"), _finding("prohibited"), _finding("transparency")]
    assert MagHet(ai_act=worst).ai_act_level == "prohibited"


def test_ask_names_each_contact_once_most_relevant_first() -> None:
    assert MagHet().ask() == []
    assert MagHet(personal_data=["naam"]).ask() == ["fg", "privacy-officer"]
    everything = MagHet(
        personal_data=["naam"],
        ai_act=[_finding("high-risk")],
        iama=["algoritme"],
        children=["leerlingen"],
        outside_eea=["chatgpt"],
    ).ask()
    assert everything[:2] == ["fg", "privacy-officer"]
    assert len(everything) == len(set(everything))
    assert {"jurist", "ethiek-adviseur", "ciso"} <= set(everything)


def test_risk_levels() -> None:
    assert assess_risk({}, MagHet())[0] == "laag"
    assert assess_risk({}, MagHet())[1], "even 'laag' says why"
    assert assess_risk({}, MagHet(personal_data=["naam"]))[0] == "midden"
    assert assess_risk({}, MagHet(ai_act=[_finding("prohibited")]))[0] == "hoog"
    assert assess_risk({}, MagHet(ai_act=[_finding("high-risk")]))[0] == "hoog"
    two_mild = MagHet(dpia=[_finding("monitoring"), _finding("innovative")])
    assert assess_risk({}, two_mild)[0] == "midden"
    two_serious = MagHet(dpia=[_finding("monitoring"), _finding("sensitive")])
    assert assess_risk({}, two_serious)[0] == "hoog"
    three = MagHet(dpia=[_finding(k) for k in ("monitoring", "innovative", "large-scale")])
    assert assess_risk({}, three)[0] == "hoog"


def test_employees_are_vulnerable_only_when_watched_or_judged(advisor: Advisor) -> None:
    using = scan(advisor, "Medewerkers krijgen een nieuwe laptop.")
    assert "vulnerable" not in {f.key for f in using.dpia}
    watched = scan(advisor, "Camera's die medewerkers op de werkvloer volgen.")
    assert "vulnerable" in {f.key for f in watched.dpia}


def test_automated_decisions_about_people(advisor: Advisor) -> None:
    s = scan(
        advisor,
        "Een algoritme dat automatisch besluit over de aanvraag van een uitkering.",
    )
    assert "automated-decision" in {f.key for f in s.dpia}
    plain = scan(advisor, "Een algoritme dat de planning van het onderhoud van wegen maakt.")
    assert "automated-decision" not in {f.key for f in plain.dpia}


def test_without_people_in_view_most_criteria_drop(advisor: Advisor) -> None:
    s = scan(advisor, "Een rekenmodel voor de kans op overstroming langs de dijken.")
    assert s.dpia == []
    assert not s.personal_data
    assert s.ai_involved  # a model is still an algorithm


def test_findings_name_the_words_that_raised_them(advisor: Advisor) -> None:
    s = scan(advisor, "Camera's met gezichtsherkenning op het marktplein.")
    monitoring = next(f for f in s.dpia if f.key == "monitoring")
    assert "camera's" in monitoring.because or "gezichtsherkenning" in monitoring.because
    assert s.personal_data


def test_dpia_findings_follow_the_edpb_order(advisor: Advisor) -> None:
    s = scan(
        advisor,
        "Een algoritme dat met camerabeelden en gezichtsherkenning bijstandsfraude voorspelt.",
    )
    order = list(DPIA_LABELS)
    keys = [f.key for f in s.dpia]
    assert len(keys) >= 2
    assert keys == sorted(keys, key=order.index)


def test_register_raises_the_iama_signal(advisor: Advisor) -> None:
    assert scan(advisor, "We maken een algoritmeregister voor de provincie.").iama


def test_mag_het_to_dict_in_both_languages(advisor: Advisor, knowledge: Knowledge) -> None:
    s = scan(advisor, "Kinderen in een app met ChatGPT.")
    nl = s.to_dict(knowledge, "nl")
    en = s.to_dict(knowledge, "en")
    assert nl["note"] != en["note"]
    assert nl["children"]["signal"] is True and nl["outside_eea"]["signal"] is True
    ask_en = {a["id"]: a["name"] for a in en["ask"]}
    assert ask_en["fg"] == knowledge.contacts["fg"].name.en
