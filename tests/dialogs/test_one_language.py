"""One language per conversation: every text of a whole Dutch walk is Dutch, every text of a
whole English walk is English, the report included. Scanned word by word for words that only
the other language has (names of instruments, cases and laws excepted)."""

from __future__ import annotations

import re

import pytest

from dialogs.engine import Engine
from dialogs.markdown import to_plain
from knowledge.triage import Advisor
from tests.dialogs.test_engine_bad_input import Chat

# Frequent words one language has and the other does not ("is", "in", "de" are in both).
DUTCH_ONLY = set(
    """het een je jij jouw niet wat zijn voor met ook naar maar wordt geen wij ons onze deze
    dit dat welke waarom hoe wie waar hebt heeft hebben kunnen kun moet moeten mag mogen
    zorg gegevens vraag vragen antwoord antwoorden stap stappen waarde waarden nee ja
    doorlopen advies uitkomst rapport beschrijving signalen""".split()
)
ENGLISH_ONLY = set(
    """the and you your with this that what not are for which why how who where have has can
    must may concern question questions answer answers step steps value values yes no
    walk advice outcome report description signals""".split()
)
# Proper names that keep their own language in both (an instrument is called what it is).
NAMES = re.compile(
    r"Aanpak Begeleidingsethiek|Moreel Beraad|Data-ethiek Volwassenheidsmodel|"
    r"Workshop Goed Digitaal Bestuur|Interprovinciale Gids Digitale Ethiek|"
    r"De Ethische Data Assistent|Mag het\?|Willen we het\?|Kan het\?|Ethiekbot|"
    r"Impact Assessment Mensenrechten en Algoritmes|https?://\S+|`[^`]*`",
    re.IGNORECASE,
)


def _walk(engine: Engine, question: str, locale: str) -> list[str]:
    """Every text the person sees in a whole conversation: quick take, the full walk with
    a note, waarom, samenvatting, the outcome, the report."""
    chat = Chat(engine, locale=locale)
    seen: list[str] = []

    def keep() -> None:
        assert chat.last is not None
        seen.extend(r.text for r in chat.last.replies)
        seen.extend(c.label for r in chat.last.replies for c in r.choices)

    chat.send("hallo")
    keep()
    chat.send(question)
    keep()
    first = chat.last.replies[-1].choices[0].id if chat.last else ""
    chat.send(choice=first)  # walk the drietrap
    keep()
    for turn in range(60):
        state = chat.state
        assert state is not None
        if state.step == "outcome":
            break
        if turn == 3:
            chat.send("waarom?" if locale == "nl" else "why?")
            keep()
            chat.send("samenvatting" if locale == "nl" else "summary")
            keep()
        if state.awaiting_note:
            chat.send("omdat het zo is" if locale == "nl" else "because it is so")
        elif chat.last and chat.last.replies[-1].choices:
            choices = chat.last.replies[-1].choices
            chat.send(choice=choices[-2 if turn % 2 and len(choices) > 1 else 0].id)
        else:
            chat.send("bewoners en boeren" if locale == "nl" else "residents and farmers")
        keep()
    assert chat.state is not None and chat.state.step == "outcome"
    report = (
        next(c.id for r in chat.last.replies for c in r.choices if c.id.endswith(".report"))
        if chat.last
        else ""
    )
    chat.send(choice=report)
    keep()
    return seen


def _foreign(texts: list[str], words: set[str]) -> list[str]:
    found = []
    for text in texts:
        plain = NAMES.sub(" ", to_plain(text))
        for word in re.findall(r"[A-Za-zÀ-ÿ]+", plain):
            if word.lower() in words:
                start = plain.find(word)
                found.append(f"{word!r} in …{plain[max(0, start - 40) : start + 40]}…")
    return found


@pytest.fixture(scope="module")
def engine(advisor: Advisor) -> Engine:
    return Engine(advisor)


def test_a_whole_dutch_conversation_has_no_english(engine: Engine) -> None:
    texts = _walk(engine, "Mogen we drones inzetten om weilanden te controleren?", "nl")
    assert len(texts) > 40
    assert _foreign(texts, ENGLISH_ONLY) == []


def test_a_whole_english_conversation_has_no_dutch(engine: Engine) -> None:
    texts = _walk(engine, "May we use drones to check whether meadows are flower-rich?", "en")
    assert len(texts) > 40
    assert _foreign(texts, DUTCH_ONLY) == []
