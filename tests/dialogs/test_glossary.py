"""Abbreviations are explained once, where they first appear, in the conversation's language."""

from __future__ import annotations

from dialogs.engine import Engine
from dialogs.glossary import explain, used
from knowledge.triage import Advisor
from tests.dialogs.test_engine_bad_input import Chat


def test_explained_at_first_use_only() -> None:
    seen: set[str] = set()
    first = explain("Vraag de FG of een DPIA nodig is. Een DPIA kost tijd.", "nl", seen)
    assert first.count("(") == 2 and first.count("DPIA (") == 1
    assert "FG (functionaris gegevensbescherming" in first
    again = explain("De DPIA en de FG.", "nl", seen)
    assert again == "De DPIA en de FG."


def test_not_inside_code_links_or_what_is_already_explained() -> None:
    text = "Zie `DPIA` en https://example.org/DPIA en DPIA (al uitgelegd) en KIA."
    out = explain(text, "nl", set())
    assert "`DPIA`" in out and "https://example.org/DPIA " in out
    assert "DPIA (al uitgelegd)" in out and "KIA (Kinderrechten" in out
    assert used("geen afkortingen hier, ook niet FGX of xAVG") == []


def test_in_english_the_meaning_is_english() -> None:
    assert "data protection impact assessment" in explain("A DPIA.", "en", set())


def test_a_conversation_explains_each_abbreviation_once(advisor: Advisor) -> None:
    chat = Chat(Engine(advisor))
    chat.send("Camera's met gezichtsherkenning bij de ingang van een basisschool")
    texts = [r.text for r in chat.last.replies] if chat.last else []
    chat.send(choice=chat.button("Alleen het advies"))
    texts += [r.text for r in chat.last.replies] if chat.last else []
    joined = "\n".join(texts)
    for word in ("DPIA", "KIA"):
        if word in joined:
            assert joined.count(f"{word} (") == 1, word
    assert chat.state is not None and "DPIA" in chat.state.explained
    chat.send("waarom?")
    assert chat.last is not None


def test_the_first_signals_say_in_words_what_an_abbreviation_is_for(advisor: Advisor) -> None:
    """A product trial read a bare "; EER" in the first impression."""
    chat = Chat(Engine(advisor))
    chat.send(
        "De school-app voor kinderen van 8 tot 12 slaat hun foto's en namen op bij een "
        "leverancier met servers in de VS."
    )
    assert chat.last is not None
    text = "\n".join(r.text for r in chat.last.replies)
    assert "want het gaat om kinderen" in text
    assert "gegevens buiten de EER" in text
    assert "; EER" not in text and "; KIA" not in text
