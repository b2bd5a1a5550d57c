"""The draft Algoritmeregister entry, prefilled from real triages."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.register import (
    FIELDS,
    PUBLICATION_CATEGORIES,
    STANDARD_VERSION,
    TO_COMPLETE,
    draft_register_entry,
    incomplete_fields,
    register_json,
    register_text,
)
from dialogs.models import Outcome
from knowledge.triage import Advisor
from tests.bot.triages import DESCRIPTIONS, advice, walk

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def fraud(advisor: Advisor) -> Outcome:
    """The whole drietrap walked for a fraud-risk algorithm, with purpose and legal basis."""
    return walk(
        advisor,
        DESCRIPTIONS["fraude"],
        T0,
        answers={
            "privacy": "zorg",
            "gelijkwaardigheid": "zorg",
            "mens-in-de-lus": "nee",
            "alternatief": "nee",
            "kinderen": "nee",
            "buiten-eer": "nee",
        },
        notes={"doel": "Fraude met uitkeringen eerder opsporen", "grondslag": "Participatiewet"},
    )


def test_fields_follow_the_standard_and_what_the_triage_says(fraud: Outcome) -> None:
    entry = draft_register_entry(fraud, "Gemeente Noorderhaaks", "nl")
    assert list(entry) == list(FIELDS)
    assert entry["organization"] == "Gemeente Noorderhaaks"
    assert entry["standard_version"] == STANDARD_VERSION == "1.0.0"
    assert entry["lang"] == "nld"
    assert entry["name"].startswith(TO_COMPLETE["nl"])  # a name is the team's to choose ...
    assert "‘We willen een algoritme" in entry["name"]  # ... starting from the question
    assert fraud.description.startswith(entry["description_short"].rstrip("…"))
    # AI in a high-risk area (Annex III: access to public benefits) → category A.
    assert entry["publication_category"] == "Hoog-risico AI-systeem"
    assert entry["goal"].startswith("Fraude met uitkeringen eerder opsporen")
    assert "Participatiewet" in entry["lawful_basis"]
    assert "geen mens" in entry["human_intervention"]
    assert "geen minder ingrijpend alternatief" in entry["proportionality"]
    assert "Gelijkwaardigheid" in entry["proportionality"]
    assert "DPIA: waarschijnlijk verplicht" in entry["impacttoetsen"]
    assert "IAMA: aanbevolen" in entry["impacttoetsen"]
    assert "(IAMA)" in entry["impacttoetsen_grouping"]
    assert "Risico volgens de ethiektriage: hoog" in entry["risks"]
    assert entry["end_date"] == ""
    for key, value in entry.items():
        # Prefilled text keeps to the standard's lengths; a bare to-do is replaced anyway.
        assert value.startswith(TO_COMPLETE["nl"]) or len(value) <= FIELDS[key][2], key


def test_what_the_bot_cannot_know_is_marked(fraud: Outcome) -> None:
    entry = draft_register_entry(fraud, None, "nl")
    todo = TO_COMPLETE["nl"]
    for key in ("organization", "category", "status", "contact_email", "provider", "source_id"):
        assert entry[key].startswith(todo), key
    assert fraud.id in entry["source_id"]
    # Prefilled fields still ask the team for the part only they can write.
    for key in ("goal", "proportionality", "risks", "human_intervention"):
        assert not entry[key].startswith(todo) and todo in entry[key], key
    missing = incomplete_fields(entry, "nl")
    assert "organization" in missing and "publication_category" not in missing
    assert "standard_version" not in missing and "description_short" not in missing


def test_categories_for_lighter_triages(advisor: Advisor) -> None:
    drones = advice(advisor, DESCRIPTIONS["drones"], T0)
    entry = draft_register_entry(drones, "Provincie Gelderland", "nl")
    assert entry["publication_category"] in PUBLICATION_CATEGORIES
    assert entry["publication_category"] == "Overige algoritmes"  # no IAMA or AI Act signal
    # No answers were given: the human intervention and legal basis are left to the team.
    assert entry["human_intervention"].startswith(TO_COMPLETE["nl"])
    assert entry["lawful_basis"].startswith(TO_COMPLETE["nl"])


def test_english_draft_and_long_descriptions(advisor: Advisor) -> None:
    chatbot = advice(advisor, DESCRIPTIONS["chatbot"], T0, lang="en")
    long = chatbot.model_copy(update={"description": "A chatbot " + "that answers " * 60})
    entry = draft_register_entry(long, "Gemeente Utrecht", "en")
    assert entry["lang"].startswith(TO_COMPLETE["en"])  # the register publishes Dutch only
    assert len(entry["description_short"]) <= 350 and entry["description_short"].endswith("…")
    assert "‘A chatbot that answers" in entry["name"]
    text = register_text(entry, "en")
    assert "Goal and impact (goal)" in text and "Draft for the Algoritmeregister" in text


def test_json_and_text_downloads(fraud: Outcome) -> None:
    entry = draft_register_entry(fraud, 'Gemeente "Noord" <Haaks>', "nl")
    data = register_json(entry)
    assert json.loads(data) == entry
    assert list(json.loads(data)) == list(FIELDS)
    assert '"Gemeente \\"Noord\\" <Haaks>"' in data  # JSON-escaped, otherwise kept as typed
    text = register_text(entry, "nl")
    for nl_title, _en, _max in FIELDS.values():
        assert nl_title in text
    assert "publicatiestandaard 1.0.0" in text and fraud.description in text
