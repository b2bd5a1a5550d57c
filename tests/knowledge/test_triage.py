"""Triage behaviour by the guide's rules, and the shape of its JSON.

The questions are written for these tests (not taken from the eval sets), each aimed at one rule
of the guide's need-to-instrument overview or one Mag-het signal.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import pytest
import yaml

from knowledge.loader import Knowledge
from knowledge.schema import Text
from knowledge.triage import Advisor, Triage
from tests.conftest import PARAPHRASE_EVAL, REPO_ROOT, SHARED_EVAL, TRIAGE_KEYS

FRAUD_WITH_ALGORITHM = (
    "De afdeling Werk en Inkomen wil met een algoritme voorspellen welke mensen in de bijstand "
    "een verhoogd risico op fraude hebben, zodat handhavers die huishoudens eerst controleren."
)
FRAUD_WITHOUT_ALGORITHM = (
    "De afdeling Werk en Inkomen wil bij mensen in de bijstand vaker op huisbezoek gaan om "
    "fraude op te sporen."
)
DRONES_FARMLAND = (
    "Kunnen we met een drone over landbouwpercelen vliegen om te zien of boeren zich aan de "
    "subsidievoorwaarden houden?"
)
AMMONIA = (
    "Kunnen we in de stallen van melkveehouders sensoren hangen die de ammoniakuitstoot meten?"
)

QUESTIONS = [
    FRAUD_WITH_ALGORITHM,
    FRAUD_WITHOUT_ALGORITHM,
    DRONES_FARMLAND,
    AMMONIA,
    "Waar staat onze provincie qua volwassenheid als het gaat om verantwoord werken met data?",
    "Onze afdeling wil werkafspraken maken over goed digitaal bestuur.",
    "We willen een chatbot waarmee inwoners 's avonds vragen over hun afvalpas kunnen stellen.",
    "Can we use cameras with facial recognition at the train station to find missing persons?",
    "Een app waarmee basisschoolleerlingen hun leesvorderingen bijhouden.",
    "Hallo",
    "???",
]


def triage(advisor: Advisor, text: str) -> Triage:
    return advisor.triage(text)


def case_ids(t: Triage) -> list[str]:
    return [m.id for m in t.cases]


def instrument_ids(t: Triage) -> list[str]:
    return [a.id for a in t.instruments]


def ai_act_keys(t: Triage) -> set[str]:
    return {f.key for f in t.mag_het.ai_act}


# --- the guide's rules ----------------------------------------------------------------------


def test_welfare_fraud_prediction_algorithm(advisor: Advisor) -> None:
    t = triage(advisor, FRAUD_WITH_ALGORITHM)
    assert instrument_ids(t)[0] == "iama"
    assert "syri-fraudedetectie" in case_ids(t)[:3]
    assert t.risk == "hoog"
    assert t.mag_het.dpia_likely
    assert {"evaluation", "vulnerable"} <= {f.key for f in t.mag_het.dpia}
    assert "high-risk" in ai_act_keys(t)
    assert t.mag_het.ai_act_level == "high-risk"
    assert t.mag_het.iama, "an algorithm that judges people should raise the IAMA signal"
    assert {"gelijkwaardigheid", "privacy"} <= {v.id for v in t.values[:5]}


def test_high_risk_only_when_an_algorithm_is_involved(advisor: Advisor) -> None:
    """The same group and purpose without an algorithm: no AI Act high-risk finding."""
    t = triage(advisor, FRAUD_WITHOUT_ALGORITHM)
    assert "uitkering-toeslag" in t.signals  # the Annex III group is still recognised
    assert "high-risk" not in ai_act_keys(t)
    assert t.mag_het.ai_act_level == "none"
    assert not t.mag_het.iama
    assert "syri-fraudedetectie" in case_ids(t)[:3]


def test_drones_over_farmland(advisor: Advisor) -> None:
    t = triage(advisor, DRONES_FARMLAND)
    assert case_ids(t)[0] == "drones-subsidiecontrole"
    assert instrument_ids(t)[0] == "begeleidingsethiek"
    assert {"privacy", "effectiviteit"} <= {v.id for v in t.values[:5]}


def test_maturity_question_gets_demm(advisor: Advisor) -> None:
    t = triage(
        advisor,
        "Waar staat onze provincie qua volwassenheid als het gaat om verantwoord werken met data?",
    )
    assert instrument_ids(t)[0] == "demm"


def test_team_agreements_get_the_workshop_then_codio(advisor: Advisor) -> None:
    t = triage(advisor, "Onze afdeling wil werkafspraken maken over goed digitaal bestuur.")
    assert instrument_ids(t)[:2] == ["workshop-goed-digitaal-bestuur", "codio"]


def test_agreements_beyond_one_team_get_codio_first(advisor: Advisor) -> None:
    """The guide: agreements on good digital governance -> CODIO; its workshop is for a team's
    own agreements (heldout11, read as a tuning set)."""
    t = triage(
        advisor,
        "Met drie buurgemeenten bouwen we een gedeeld dataplatform. We willen vooraf afspraken "
        "maken over eigenaarschap, openheid en wie waarvoor verantwoordelijk is.",
    )
    assert instrument_ids(t)[0] == "codio"


def test_shared_principles_for_digital_work_get_codio_or_its_workshop(advisor: Advisor) -> None:
    """Principles for good digital work, laid down together, are CODIO's agreements in other
    words (heldout12, read as a tuning set)."""
    shared = triage(
        advisor,
        "Drie waterschappen werken samen in één ICT-dienst en willen gemeenschappelijke "
        "uitgangspunten vastleggen voor hoe ze digitaal werken.",
    )
    assert instrument_ids(shared)[0] == "codio"
    team = triage(
        advisor,
        "Ons team wil samen vastleggen hoe we in ons dagelijkse digitale werk met openheid omgaan.",
    )
    assert instrument_ids(team)[:2] == ["workshop-goed-digitaal-bestuur", "codio"]


def test_a_model_that_decides_which_farmers_go_first_gets_the_iama(advisor: Advisor) -> None:
    """Farmers are people: a model that decides about them is an algorithm about people."""
    t = triage(
        advisor,
        "Our model ranks farmers for a subsidy scheme and decides who gets an offer first.",
    )
    assert instrument_ids(t)[0] == "iama"


def test_a_department_head_on_ethics_in_everyday_work_gets_the_organisation_route(
    advisor: Advisor,
) -> None:
    t = triage(
        advisor,
        "Ik ben afdelingshoofd. Mijn mensen moeten digitale ethiek meenemen in het gewone werk "
        "en niet als los project. Hoe zorg ik dat het in het team gaat leven?",
    )
    assert instrument_ids(t)[0] in {"demm", "codio", "workshop-goed-digitaal-bestuur"}


def test_what_feels_like_meddling_is_a_dilemma(advisor: Advisor) -> None:
    t = triage(
        advisor,
        "mag ik als teamleider vragen dat mensen bepaalde apps van hun eigen telefoon halen? "
        "voelt als bemoeienis met hun privéleven",
    )
    assert instrument_ids(t)[0] == "moreel-beraad"


def test_explicit_moral_dilemma_without_technology_gets_moreel_beraad(advisor: Advisor) -> None:
    t = triage(
        advisor,
        "We zitten met een moreel dilemma over wie we uitnodigen als spreker op ons congres; "
        "het team is verdeeld.",
    )
    assert instrument_ids(t)[0] == "moreel-beraad"
    assert not any(h.signal.kind == "technology" for h in t.signals.values())


def test_data_analysts_project_gets_deda(advisor: Advisor) -> None:
    t = triage(
        advisor,
        "Ons team van data-analisten begint aan een nieuw dataproject en wil de ethische "
        "kwesties vooraf in kaart brengen.",
    )
    assert instrument_ids(t)[0] == "deda"


def test_a_system_that_decides_on_applications_gets_iama_without_the_word_algorithm(
    advisor: Advisor,
) -> None:
    # The instrument rules read the law's facts too ("decides about people", automation).
    t = triage(
        advisor,
        "Aanvragen voor de bijzondere bijstand laten we automatisch afhandelen: het systeem "
        "keurt goed of af. Kan dat zomaar?",
    )
    assert instrument_ids(t)[0] == "iama"
    assert "iama-automated-judgement" not in {
        r.id for r in advisor.rules if r.holds(set(t.mag_het.facts) - {"decides-about-people"})
    }, "the rule rests on the law's reading, not on the words alone"


def test_asking_the_bot_to_think_along_is_not_a_project(advisor: Advisor) -> None:
    # "meedenken" asked of the bot is not citizen participation: the question names nothing.
    t = triage(advisor, "We zitten met een lastig dingetje in het team, kun je even meedenken?")
    assert t.needs_more


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # "signaleren" is not early warning about people; wolves are not residents.
        (
            "De boswachters willen wildcamera's met beeldherkenning om wolven te signaleren.",
            "iama",
        ),
        # Words inside words and everyday verbs: "afwijken" holds "wijken", "toetsen" is
        # checking, not a school test.
        ("De consulent mag afwijken van het advies van het systeem.", "wijk-buurt"),
        ("We toetsen elke aanvraag aan de vergunningvoorwaarden.", "onderwijs"),
        # "ten onrechte" is about fairness, not fraud (no AP-lijst nr. 3).
        (
            "Hoe voorkomen we dat wijken met veel meldingen ten onrechte als probleemwijk "
            "te boek komen te staan?",
            "fraude",
        ),
    ],
)
def test_a_common_word_is_not_a_legal_or_instrument_trigger(
    advisor: Advisor, text: str, absent: str
) -> None:
    t = triage(advisor, text)
    assert absent not in t.signals
    assert not t.instruments or instrument_ids(t)[0] != absent


@pytest.mark.parametrize(
    "text",
    [
        "De gemeente wil inwoners een gedragsscore geven op basis van hoe ze zich gedragen.",
        "Our municipality is considering a social scoring system for citizens.",
        "Een leverancier biedt software aan die met emotieherkenning meet hoe gestrest "
        "medewerkers op kantoor zijn.",
    ],
)
def test_prohibited_practices(advisor: Advisor, text: str) -> None:
    t = triage(advisor, text)
    assert "prohibited" in ai_act_keys(t)
    assert t.mag_het.ai_act_level == "prohibited"
    assert t.risk == "hoog"


def test_chatbot_for_residents_has_a_transparency_duty(advisor: Advisor) -> None:
    t = triage(
        advisor,
        "We willen een chatbot waarmee inwoners 's avonds vragen over hun afvalpas kunnen stellen.",
    )
    assert "transparency" in ai_act_keys(t)
    assert "ai-klantcontact" in case_ids(t)[:2]


def test_chatgpt_asks_whether_personal_data_go_abroad(advisor: Advisor) -> None:
    """A US provider without personal data is no AVG transfer yet: the scan asks."""
    t = triage(advisor, "Mag ik ChatGPT gebruiken om een beleidsnotitie samen te vatten?")
    assert not t.mag_het.outside_eea
    assert [q.rule for q in t.mag_het.questions] == ["ask-personal-data-abroad"]
    assert case_ids(t)[0] == "generatieve-ai"


def test_chatgpt_with_residents_data_raises_outside_eea(advisor: Advisor) -> None:
    t = triage(
        advisor, "Mag ik ChatGPT gebruiken om klachten van inwoners met hun namen samen te vatten?"
    )
    assert t.mag_het.outside_eea
    assert any("chatgpt" in w for w in t.mag_het.outside_eea)


def test_pupils_raise_the_children_signal(advisor: Advisor) -> None:
    t = triage(advisor, "Een app waarmee basisschoolleerlingen hun leesvorderingen bijhouden.")
    assert t.mag_het.children
    assert "vulnerable" in {f.key for f in t.mag_het.dpia}


def test_no_children_signal_without_children(advisor: Advisor) -> None:
    assert not triage(advisor, DRONES_FARMLAND).mag_het.children


def test_ammonia_sensors_in_stalls_raise_no_personal_data_criteria(advisor: Advisor) -> None:
    t = triage(advisor, AMMONIA)
    assert case_ids(t)[0] == "ammoniak-sensoren"
    assert instrument_ids(t)[0] == "begeleidingsethiek"
    assert {f.key for f in t.mag_het.dpia} <= {"innovative"}
    assert not t.mag_het.personal_data
    assert not t.mag_het.dpia_likely
    assert t.risk != "hoog"


@pytest.mark.parametrize(
    "text",
    [
        "Collega's willen ChatGPT gebruiken om brieven aan inwoners op te stellen.",
        "Een collega bouwt een rekenmodel dat de kans op wateroverlast per polder berekent.",
    ],
)
def test_staff_using_an_algorithm_is_not_high_risk_employment(advisor: Advisor, text: str) -> None:
    # Regression: quick_scan() once added the AI Act high-risk finding of the
    # "medewerkers" signal (Annex III point 4, employment) whenever an algorithm is involved
    # and the question mentions a colleague or a team, so risk becomes "hoog". Point 4 covers
    # AI used on workers (recruitment, evaluation, monitoring), not staff who use a tool.
    t = triage(advisor, text)
    assert "high-risk" not in ai_act_keys(t)
    assert t.risk != "hoog"


def test_ai_that_judges_job_applicants_is_high_risk(advisor: Advisor) -> None:
    t = triage(
        advisor, "Een algoritme dat de cv's van sollicitanten beoordeelt en een score geeft."
    )
    assert "high-risk" in ai_act_keys(t)


def test_english_question(advisor: Advisor, knowledge: Knowledge) -> None:
    t = triage(
        advisor,
        "We would like to fly drones over farmland to see whether farmers meet the conditions "
        "of their subsidy.",
    )
    assert t.language == "en"
    assert case_ids(t)[0] == "drones-subsidiecontrole"
    assert instrument_ids(t)[0] == "begeleidingsethiek"
    d = t.to_dict(knowledge)
    assert d["language"] == "en"
    assert d["cases"][0]["title"] == knowledge.cases["drones-subsidiecontrole"].title.en
    assert d["instruments"][0]["name"] == knowledge.instruments["begeleidingsethiek"].name.en
    assert d["mag_het"]["note"].startswith("These are signals")


def test_forced_language(advisor: Advisor) -> None:
    assert advisor.triage(DRONES_FARMLAND, lang="en").language == "en"
    assert triage(advisor, DRONES_FARMLAND).language == "nl"


@pytest.mark.parametrize(
    "text",
    [
        "Hallo",
        "we willen een nieuw systeem aanschaffen",
        "Is dit ethisch verantwoord?",
        "We're starting a digital innovation pilot next quarter. Any advice?",
        # "AI" or "an algorithm" alone does not say what the project is.
        "Ik heb een vraag over AI.",
        "We want to do something with AI. What should I watch out for?",
        "Mogen we een algoritme gebruiken?",
        # Who asks, or who sent them, is no group the project affects.
        "Mijn leidinggevende zegt dat ik iets met ethiek moet doen. Waar begin ik?",
        "Ik ben nieuw als beleidsmedewerker en zoek informatie. Kunt u mij helpen?",
    ],
)
def test_vague_input_asks_back_instead_of_judging(
    advisor: Advisor, knowledge: Knowledge, text: str
) -> None:
    t = triage(advisor, text)
    assert t.needs_more
    assert t.cases == [] and t.instruments == [] and t.values == []
    d = t.to_dict(knowledge)
    assert d["risk"] is None and d["risk_why"] == []
    assert d["needs_more"]["ask"] and d["needs_more"]["example"]
    # No guessed instrument: the guide's starting points, each saying when it fits, apart
    # from the recommendations (a batch or an export reads no advice into them).
    assert d["instruments"] == []
    starts = d["needs_more"]["start_points"]
    assert [i["id"] for i in starts] == ["deda", "begeleidingsethiek", "moreel-beraad"]
    assert all(len(i["why"]) == 1 and i["why"][0] for i in starts)


def test_the_starting_points_judge_nothing_about_the_question(advisor: Advisor) -> None:
    # "Mag dit" would make a dilemma; a vague question still gets the same neutral reasons.
    a = triage(advisor, "Mag dit van de AVG?")
    b = triage(advisor, "Ik heb een vraag over ethiek bij mijn project.")
    assert a.needs_more and b.needs_more
    assert [(x.id, x.why) for x in a.start_points] == [(x.id, x.why) for x in b.start_points]


def test_a_judged_question_has_no_starting_points(advisor: Advisor) -> None:
    t = triage(advisor, DRONES_FARMLAND)
    assert not t.needs_more and t.start_points == []
    assert t.to_dict(advisor.knowledge)["needs_more"] is None


@pytest.mark.parametrize(
    "text",
    [
        "Mogen we drones inzetten boven weilanden?",
        "Een algoritme dat bezwaarschriften sorteert op urgentie.",
        "Hoe beleggen we digitale ethiek in onze organisatie?",
        "Our team disagrees about using bodycams.",
        "Mogen we AI gebruiken om subsidieaanvragen te beoordelen?",
        # A recommender named by what it does, and a data centre's footprint.
        "Het museum wil bezoekers tentoonstellingen aanraden op basis van hun kijkgeschiedenis.",
        "Telt het waterverbruik van ons nieuwe datacentrum mee in de keuze?",
        # The same words for the people a project is about: then they describe it.
        "We willen de ziekmeldingen van leidinggevenden analyseren om verzuim te voorspellen.",
    ],
)
def test_a_described_project_is_judged(advisor: Advisor, text: str) -> None:
    t = triage(advisor, text)
    assert not t.needs_more
    assert t.instruments, "a described project gets an instrument"


def test_a_question_that_matches_no_case_well_still_gets_advice(advisor: Advisor) -> None:
    t = triage(
        advisor, "Bruggen en sluizen krijgen sensoren die voorspellen wanneer onderhoud nodig is."
    )
    assert t.instruments and t.instruments[0].why
    assert not any(m.close for m in t.cases), [(m.id, m.score) for m in t.cases]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Who can still travel, pay or log in is a question of inclusion.
        ("Een proef met een zelfrijdend busje tussen station en ziekenhuis.", "inclusie"),
        ("We schrappen buslijnen in de dorpen bij de nieuwe concessie.", "inclusie"),
        ("De vervoerder wil alleen nog betalen via een app, zonder contant geld.", "inclusie"),
        # Bridges and locks kept safe; energy use is sustainability.
        ("Bruggen en sluizen gaan we voortaan op afstand bedienen.", "veiligheid"),
        ("Met slimme-meterdata willen we huizen vinden die veel gas verstoken.", "duurzaamheid"),
    ],
)
def test_the_value_at_stake_is_among_the_first_five(
    advisor: Advisor, text: str, value: str
) -> None:
    t = triage(advisor, text)
    assert value in [v.id for v in t.values[:5]], [v.id for v in t.values]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # An app people use themselves is a concrete technology in their lives; "waar moeten we
        # op letten" asks what to consider, not which of two goods to choose.
        (
            "De bibliotheek wil een leesapp voor basisschoolkinderen met badges. Waar moeten "
            "we op letten?",
            "begeleidingsethiek",
        ),
        (
            "We piloting a digital identity wallet for residents at the swimming pool. What "
            "should we consider?",
            "begeleidingsethiek",
        ),
        # A real dilemma still goes to Moreel Beraad.
        (
            "Moeten we de namen van overlastgevers met de woningcorporatie delen, of niet?",
            "moreel-beraad",
        ),
    ],
)
def test_the_first_instrument_follows_the_guides_need(
    advisor: Advisor, text: str, first: str
) -> None:
    t = triage(advisor, text)
    assert t.instruments and t.instruments[0].id == first, [(a.id, a.points) for a in t.instruments]


# --- properties over many questions ---------------------------------------------------------


def _all_questions() -> list[str]:
    texts = list(QUESTIONS)
    for path in (SHARED_EVAL, PARAPHRASE_EVAL):
        if path.is_file():  # the quality tests fail loudly when a set is missing
            texts += [e["text"] for e in yaml.safe_load(path.read_text(encoding="utf-8"))]
    return texts


@pytest.fixture(scope="module")
def results(advisor: Advisor) -> list[Triage]:
    return [advisor.triage(t) for t in _all_questions()]


def test_case_scores_are_in_range_and_sorted(results: list[Triage]) -> None:
    assert len(results) > 40
    assert any(r.cases for r in results)
    for r in results:
        scores = [m.score for m in r.cases]
        assert all(0.0 <= s <= 1.0 for s in scores), (r.text, scores)
        # Close cases first, each group by score: a related case never outranks a close one.
        strengths = [not m.close for m in r.cases]
        assert strengths == sorted(strengths), r.text
        for group in (True, False):
            part = [m.score for m in r.cases if m.close is group]
            assert part == sorted(part, reverse=True), r.text
        assert len({m.id for m in r.cases}) == len(r.cases)


def test_instruments_and_values_are_sorted_by_points(results: list[Triage]) -> None:
    for r in results:
        points = [a.points for a in r.instruments]
        assert points == sorted(points, reverse=True), r.text
        assert r.instruments or r.needs_more, f"no instrument for {r.text!r}"
        vpoints = [v.points for v in r.values]
        assert vpoints == sorted(vpoints, reverse=True), r.text


def test_everything_recommended_says_why(results: list[Triage], knowledge: Knowledge) -> None:
    for r in results:
        for item in (*r.cases, *r.instruments, *r.values):
            assert item.why, f"{item.id} without a reason for {r.text!r}"
            for w in item.why:
                assert w.nl.strip() and w.en.strip()
        d = r.to_dict(knowledge)
        for key in ("cases", "instruments", "values"):
            for entry in d[key]:
                assert entry["why"] and all(isinstance(w, str) and w for w in entry["why"])


def test_risk_is_one_of_three_levels_and_explained(results: list[Triage]) -> None:
    for r in results:
        assert r.risk in ("laag", "midden", "hoog")
        assert r.risk_why, r.text


def test_same_input_gives_the_same_result(advisor: Advisor, knowledge: Knowledge) -> None:
    for text in QUESTIONS:
        first = advisor.triage(text).to_dict(knowledge)
        second = advisor.triage(text).to_dict(knowledge)
        assert first == second


def test_a_fresh_advisor_gives_the_same_result(advisor: Advisor, knowledge: Knowledge) -> None:
    fresh = Advisor(knowledge)
    for text in QUESTIONS[:4]:
        assert fresh.triage(text).to_dict(knowledge) == advisor.triage(text).to_dict(knowledge)


def test_result_does_not_depend_on_the_hash_seed() -> None:
    """Sets are iterated in hash order; the triage must not let that leak into its output."""
    code = (
        "import json, sys\n"
        "from knowledge.triage import Advisor\n"
        "a = Advisor.load()\n"
        "texts = json.loads(sys.stdin.read())\n"
        "print(json.dumps([a.triage(t).to_dict(a.knowledge) for t in texts]))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(QUESTIONS),
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            env=env,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(json.loads(proc.stdout))
    assert outputs[0] == outputs[1]


# --- the JSON -------------------------------------------------------------------------------


def test_to_dict_keys(advisor: Advisor, knowledge: Knowledge) -> None:
    d = advisor.triage(FRAUD_WITH_ALGORITHM).to_dict(knowledge)
    assert set(d) == TRIAGE_KEYS
    assert d["cases"] and d["instruments"] and d["values"]
    assert all(set(c) == {"id", "title", "score", "strength", "why"} for c in d["cases"])
    assert all(set(i) == {"id", "name", "why"} for i in d["instruments"])
    assert all(set(v) == {"id", "name", "question", "why"} for v in d["values"])
    assert set(d["mag_het"]) == {
        "note",
        "personal_data",
        "dpia",
        "ai_act",
        "iama",
        "children",
        "education",
        "outside_eea",
        "questions",
        "ask",
    }
    assert set(d["mag_het"]["dpia"]) == {
        "criteria",
        "count",
        "likely_required",
        "required",
        "required_by",
    }
    assert all("ref" in f for f in d["mag_het"]["ai_act"]["findings"])
    assert d["mag_het"]["dpia"]["count"] == len(d["mag_het"]["dpia"]["criteria"])
    assert d["risk"] == "hoog"
    assert d["signals"] == sorted(d["signals"])
    json.dumps(d)  # JSON-ready


def test_to_dict_content_matches_the_knowledge(advisor: Advisor, knowledge: Knowledge) -> None:
    t = advisor.triage(FRAUD_WITH_ALGORITHM)
    d = t.to_dict(knowledge, "nl")
    first = d["values"][0]
    value = knowledge.values[first["id"]]
    assert first["name"] == value.name.nl
    assert first["question"] == value.questions[0].nl
    assert d["cases"][0]["score"] == round(t.cases[0].score, 3)
    en = t.to_dict(knowledge, "en")
    assert en["values"][0]["name"] == value.name.en
    assert en["language"] == "nl"  # the question's language, whatever the output language
    # The quick scan names who to ask, and those contacts exist.
    assert "fg" in [a["id"] for a in d["mag_het"]["ask"]]


def test_long_question_gets_a_notice(advisor: Advisor, knowledge: Knowledge) -> None:
    text = (DRONES_FARMLAND + " ") * 500  # > 50,000 characters
    t = advisor.triage(text)
    assert len(t.text) <= 20_000
    assert len(t.notices) == 1
    assert case_ids(t)[0] == "drones-subsidiecontrole"
    assert "20.000" in t.notices[0].nl or "20,000" in t.notices[0].nl
    assert "20,000" in t.notices[0].en


def test_long_question_notice_states_the_limit_even_when_cut_at_a_space(advisor: Advisor) -> None:
    # Regression: the notice was once built from len(cleaned.text), which
    # is 19,999 when the cut falls on a space (clean() strips it): "longer than 19,999
    # characters". The limit (MAX_CHARS) is what the user should read.
    t = advisor.triage("word " * 10_000)  # character 20,000 is a space
    assert len(t.notices) == 1
    assert "20,000" in t.notices[0].en
    assert "20.000" in t.notices[0].nl


def test_short_question_has_no_notice(advisor: Advisor) -> None:
    assert advisor.triage(DRONES_FARMLAND).notices == []


@pytest.mark.parametrize(
    ("text", "first_theme"),
    [
        ("Ik ben raadslid. Hoe stellen wij vooraf kaders voor datagedreven werken?", "raad"),
        ("Twee collega's trekken data-ethiek, maar formeel is er niets belegd.", "rollen"),
        ("Hoe nemen we ethische eisen op in onze inkoopvoorwaarden voor leveranciers?", "inkoop"),
        ("Bij wie moet digitale ethiek bij ons liggen: de FG of een aparte adviseur?", "rollen"),
    ],
)
def test_organisation_questions_get_chapter_3_most_relevant_first(
    advisor: Advisor, text: str, first_theme: str
) -> None:
    t = triage(advisor, text)
    assert t.organisation, "an organisation question gets chapter 3's themes"
    assert t.organisation[0].id == first_theme, [th.id for th in t.organisation[:3]]
    assert instrument_ids(t)[0] in {"demm", "codio", "workshop-goed-digitaal-bestuur"}


@pytest.mark.parametrize(
    "text",
    [
        "Ons team wil samen spelregels vastleggen voor het gebruik van nieuwe digitale middelen.",
        "Our department wants to agree on ground rules for using new digital tools.",
    ],
)
def test_a_team_setting_its_own_ground_rules_is_an_organisation_question(
    advisor: Advisor, text: str
) -> None:
    t = triage(advisor, text)
    assert "cultuur" in [th.id for th in t.organisation[:2]], [th.id for th in t.organisation]
    assert instrument_ids(t)[0] in {"workshop-goed-digitaal-bestuur", "codio"}


@pytest.mark.parametrize(
    "text",
    [
        "Welke afspraken maken we met de leverancier van de drones?",
        "De gemeente wil afspraken maken met de leverancier over het algoritme voor "
        "parkeerhandhaving.",
    ],
)
def test_agreements_for_one_project_are_no_organisation_question(
    advisor: Advisor, text: str
) -> None:
    assert triage(advisor, text).organisation == []


def test_a_project_question_gets_no_organisation_route(advisor: Advisor) -> None:
    assert triage(advisor, DRONES_FARMLAND).organisation == []


@pytest.mark.parametrize(
    "text",
    [
        # Who owns ethics (roles), ethics resting on a few people, where the organisation
        # stands, and putting it on the executive's agenda: chapter 3, as people ask it.
        "Wie moet bij ons de digitale ethiek trekken, de FG of iemand anders? Nu hangt het "
        "aan niemand.",
        "Our data ethics work rests on two colleagues. How do we make it part of how we work?",
        "Waar staan wij als waterschap met verantwoord datagebruik, en hoe meten we dat op?",
        "Als team Burgerzaken willen we een teamcode voor digitale middelen opstellen.",
        "Hoe agenderen we digitale ethiek bij het college?",
    ],
)
def test_organisation_questions_in_other_words_get_the_organisation_route(
    advisor: Advisor, text: str
) -> None:
    t = triage(advisor, text)
    assert t.organisation, text
    assert instrument_ids(t)[0] in {"demm", "codio", "workshop-goed-digitaal-bestuur"}, text


def test_who_leads_one_camera_project_is_no_organisation_question(advisor: Advisor) -> None:
    t = triage(advisor, "Wie moet het project met camera's op het marktplein trekken?")
    assert t.organisation == []


def test_every_organisation_theme_has_its_source_check_and_advice(knowledge: Knowledge) -> None:
    assert knowledge.organisation is not None
    levels = {th.level for th in knowledge.organisation.themes}
    assert {"bestuurlijk", "ambtelijk", "stappen", "raad"} <= levels
    for th in knowledge.organisation.themes:
        assert th.source and th.check.nl.endswith("?") and th.advice


def test_cases_without_an_organisation_or_year_in_the_source_say_null(
    knowledge: Knowledge,
) -> None:
    for cid in ("drones-subsidiecontrole", "waterveiligheid-risicomodellen", "ai-klantcontact"):
        case = knowledge.cases[cid]
        assert case.organisation is None and case.year is None, cid
    assert knowledge.cases["vroegsignalering-schulden"].organisation is None
    assert knowledge.cases["algoritmeregister"].instrument is None
    assert knowledge.cases["syri-fraudedetectie"].year_source
    assert "15 januari 2021" in knowledge.cases["toeslagenaffaire"].summary.nl


def test_a_case_is_explained_by_what_it_is_about_not_by_the_laws_helper_words(
    advisor: Advisor,
) -> None:
    t = triage(
        advisor,
        "Het KCC krijgt software die per medewerker inschat hoe gestrest ze klinken.",
    )
    found = [h.signal for h in t.signals.values()]
    helpers = [s.label.nl for s in found if s.weight < 1]
    telling = [s.label.nl for s in found if s.weight >= 1]
    assert helpers and telling, "the question must find both kinds for this test to mean anything"
    checked = 0
    for match in t.cases:
        said = match.why[0].nl
        if said.startswith("Ook hier: ") and any(label in said for label in telling):
            checked += 1
            assert not any(label in said for label in helpers), said
    assert checked, [m.why[0].nl for m in t.cases]


@pytest.mark.parametrize("full", [False, True])
def test_stem_counts_count_each_stem_and_the_parts_of_compounds(
    advisor: Advisor, full: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stem table gives what stemming each word in turn gives, also when the table is full
    (then the text gets a table of its own and the shared one does not grow)."""
    from collections import Counter

    import knowledge.triage as triage_module
    from knowledge.text import NL_STOP, split_compound, stem, words

    text = (
        "De ammoniakuitstoot van boerenbedrijven wordt met sensoren gemeten; de sensoren meten "
        "ook ammoniak. Xqzwerfietsroute, cameradrones en de ammoniakuitstoot."
    )
    ws = [*words(text), f"nooitgezien{len(advisor._stems['nl'])}"]  # a word new to the table
    expected: Counter[str] = Counter()
    for w in ws:
        if len(w) > 2 and w not in NL_STOP:
            expected[stem(w, "nl")] += 1
            for part in split_compound(w, advisor._known_parts):
                expected[stem(part, "nl")] += 1
    # The premise: a compound is split, so its parts' stems count too.
    assert split_compound("cameradrones", advisor._known_parts) == ("camera", "drones")
    if full:
        monkeypatch.setattr(triage_module, "_MAX_REMEMBERED", 0)
    before = len(advisor._stems["nl"])
    assert advisor._stem_counts(ws, "nl") == expected
    assert (len(advisor._stems["nl"]) == before) is full


def _index(a: Advisor) -> tuple[object, ...]:
    return (
        a._case_signals,
        a._idf,
        a._case_norm,
        a._by_signal,
        a._by_stem,
        a._word_idf,
        a.matcher.vocabulary,
        a._known_parts,
    )


def test_a_reload_reuses_the_unchanged_cases_and_indexes_like_a_fresh_build(
    advisor: Advisor, knowledge: Knowledge
) -> None:
    """Reloading with the advisor in use gives the very index a fresh build gives; unchanged
    cases keep their profile, an edited case and a new one are read again."""
    cases = dict(knowledge.cases)
    first, second, *_ = cases
    edited = cases[first].model_copy(
        update={"summary": Text(nl="Camera's met gezichtsherkenning.", en="Face recognition.")}
    )
    added = cases[second].model_copy(update={"id": "nieuwe-casus"})
    changed = dataclasses.replace(knowledge, cases={**cases, first: edited, "nieuwe-casus": added})
    reloaded = Advisor(changed, previous=advisor)
    assert _index(reloaded) == _index(Advisor(changed))
    assert reloaded._case_signals[second] is advisor._case_signals[second]  # reused
    assert reloaded._case_signals[first] is not advisor._case_signals[first]  # read again
    assert "gezichtsherkenning" in reloaded._case_signals[first]


def test_a_reload_splits_remembered_words_by_the_parts_a_new_case_brings(
    advisor: Advisor, knowledge: Knowledge
) -> None:
    """A question's compound that no known words made up can be split once a new case
    brings its parts: the words that contain them are stemmed again after a reload, the
    others keep what the advisor in use found."""
    left, right = "blorpa", "snirkel"
    word = left + right
    advisor._stem_counts([word, "fietsenstalling"], "nl")  # a question asked before
    assert not advisor._split(word)
    cases = dict(knowledge.cases)
    some = next(iter(cases))
    added = cases[some].model_copy(
        update={"id": "nieuwe-casus", "title": Text(nl=f"{left} en {right}", en="New")}
    )
    changed = dataclasses.replace(knowledge, cases={**cases, "nieuwe-casus": added})
    reloaded = Advisor(changed, previous=advisor)
    fresh = Advisor(changed)
    assert reloaded._stem_counts([word], "nl") == fresh._stem_counts([word], "nl")
    assert reloaded._split(word) == (left, right)
    assert _index(reloaded) == _index(fresh)
    assert reloaded._read[some] is advisor._read[some]  # words lent, not read again
    table, before = reloaded._stems["nl"], advisor._stems["nl"]
    assert table["fietsenstalling"] is before["fietsenstalling"]  # untouched: lent


def test_a_reload_while_questions_are_answered(advisor: Advisor, knowledge: Knowledge) -> None:
    """The advisor in use goes on remembering stems while a reload lends its tables."""
    import random
    import threading

    from knowledge.triage import _lend_stems

    stop = threading.Event()

    def ask() -> None:
        rng = random.Random(7)
        while not stop.is_set():
            made_up = ["".join(rng.choices("aeiouklmnrst", k=9)) for _ in range(20)]
            advisor._stem_counts(made_up, "nl")

    asker = threading.Thread(target=ask)
    asker.start()
    try:
        for _ in range(20):
            lent = _lend_stems(advisor, advisor._known_parts | {"blorpa"})
            assert set(lent) == {"nl", "en"}
    finally:
        stop.set()
        asker.join()


def test_a_changed_lexicon_reads_every_case_again(advisor: Advisor, knowledge: Knowledge) -> None:
    signals = dict(knowledge.signals)
    some = next(iter(signals))
    signals[some] = signals[some].model_copy(update={"terms": [*signals[some].terms, "zzterm"]})
    changed = dataclasses.replace(knowledge, signals=signals)
    reloaded = Advisor(changed, previous=advisor)
    assert all(
        reloaded._case_signals[cid] is not advisor._case_signals[cid] for cid in knowledge.cases
    )
    assert _index(reloaded) == _index(Advisor(changed))


def test_indexing_leaves_the_garbage_collector_as_it_found_it(knowledge: Knowledge) -> None:
    import gc

    assert gc.isenabled()
    Advisor(knowledge)
    assert gc.isenabled()
    gc.disable()
    try:
        Advisor(knowledge)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # The guide: the IAMA for an algorithm that judges people or touches their rights ...
        (
            "Een algoritme bepaalt welke aanvragers van bijzondere bijstand extra gecontroleerd "
            "worden.",
            "iama",
        ),
        # ... not for every algorithm near people: a concrete technology in its setting is
        # Begeleidingsethiek's.
        (
            "Een robotmaaier met camera en beeldherkenning in het park waar kinderen spelen.",
            "begeleidingsethiek",
        ),
        # Values weighed against each other are a dilemma for the Moral Deliberation.
        (
            "Het archief wil oude bouwdossiers met namen erin online zetten. Hoe wegen we "
            "openheid en de privacy van mensen tegen elkaar af?",
            "moreel-beraad",
        ),
    ],
)
def test_the_iama_leads_where_an_algorithm_judges_people(
    advisor: Advisor, text: str, first: str
) -> None:
    assert instrument_ids(triage(advisor, text))[0] == first


@pytest.mark.parametrize(
    ("text", "case"),
    [
        # What makes a case that case, said in other words (tuning sets, read): a writing
        # assistant is generative AI, a short-video app on personal phones is the TikTok case,
        # residents' own meters are citizen science, arrears passed on are early warning.
        (
            "Veel collega's laten nota's al door een AI-schrijfhulp schrijven, soms met "
            "gegevens van inwoners erin. Moeten we daar regels voor maken?",
            "generatieve-ai",
        ),
        (
            "IT security wants everyone to remove a Chinese short-video app from their work "
            "phone and from personal phones with work mail. Is that fair?",
            "tiktok-werktelefoon",
        ),
        (
            "Een buurtvereniging hangt zelfgebouwde fijnstofmeters aan de gevels en wil dat de "
            "provincie iets met hun cijfers doet.",
            "citizen-science-luchtkwaliteit",
        ),
        (
            "We hebben zo'n zestig algoritmes in de organisatie geteld. Moeten die allemaal "
            "openbaar, en hoe leggen we ze uit aan inwoners?",
            "algoritmeregister",
        ),
        # (heldout14, read: benefits received wrongly or "cheats" are fraud; boxes that
        # register phones are wifi counting; residents' own meters; a public overview anyone
        # can consult is a register.)
        (
            "De sociale dienst wil met een model voorspellen wie onterecht geld uit de bijstand "
            "krijgt, door gegevens van verschillende instanties te combineren.",
            "syri-fraudedetectie",
        ),
        (
            "Can a model find likely cheats among people on benefits by cross-referencing the "
            "tax office and utility companies?",
            "syri-fraudedetectie",
        ),
        (
            "Residents put up their own sensors for fine dust in their gardens and want the "
            "council to use their measurements.",
            "citizen-science-luchtkwaliteit",
        ),
        (
            "Als raadslid wil ik weten wat het college moet regelen voordat het in het "
            "stadscentrum camera's ophangt en met kastjes mobiele telefoons registreert.",
            "cameratoezicht-wifitelling",
        ),
        (
            "De Staten willen een openbaar overzicht van welke rekenregels en zelflerende "
            "systemen de provincie gebruikt.",
            "algoritmeregister",
        ),
    ],
)
def test_a_case_said_in_other_words_is_close(advisor: Advisor, text: str, case: str) -> None:
    t = triage(advisor, text)
    assert t.cases and t.cases[0].case.id == case and t.cases[0].close


def test_a_home_visit_in_care_is_not_the_fraud_case(advisor: Advisor) -> None:
    t = triage(
        advisor,
        "Our Wmo team is split: should consultants look at a client's Street View images and "
        "public social media before the home visit, just to prepare?",
    )
    assert not any(m.case.id == "syri-fraudedetectie" and m.close for m in t.cases)


def test_a_possible_high_risk_ai_system_gets_the_iama_for_art_27(advisor: Advisor) -> None:
    """The quick scan's finding and the advice agree: emotion recognition on callers is a
    possible Annex III 1(c) system, so the IAMA leads, with the article as its reason (it
    used to fall back to Moreel Beraad, 'no specific reason found')."""
    t = triage(
        advisor,
        "Onze KCC wil een tool die uit de stem van bellers afleidt of ze boos zijn, zodat de "
        "medewerker de-escalerend kan reageren.",
    )
    assert "ai-27-fria" in t.mag_het.facts
    assert instrument_ids(t)[0] == "iama"
    assert any("art. 27" in w.nl for w in t.instruments[0].why)


def test_no_art_27_reason_without_a_high_risk_finding(advisor: Advisor) -> None:
    t = triage(advisor, "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?")
    assert "ai-27-fria" not in t.mag_het.facts
    assert not any("art. 27" in w.nl for i in t.instruments for w in i.why)


def test_staff_writing_with_a_text_generator_is_no_case_for_begeleidingsethiek(
    advisor: Advisor,
) -> None:
    """Begeleidingsethiek is for a technology placed in a setting with the people around it;
    colleagues writing letters with a text generator is a question of conduct (in the
    labelled sets, such questions were never labelled with it)."""
    t = triage(
        advisor,
        "Collega's zetten gegevens van inwoners in een chatbot zoals ChatGPT om brieven te "
        "laten opstellen. Moeten we daar regels voor maken?",
    )
    assert instrument_ids(t)[0] != "begeleidingsethiek", instrument_ids(t)
    sensors = triage(advisor, "We willen geluidssensoren in de uitgaansstraat ophangen.")
    assert instrument_ids(sensors)[0] == "begeleidingsethiek"
