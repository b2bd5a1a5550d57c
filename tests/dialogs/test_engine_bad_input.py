"""The engine against what people (and broken clients) actually send, and its purity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from dialogs.engine import Engine, LogOutcome, Turn
from dialogs.markdown import to_html, to_plain
from dialogs.models import MAX_INPUT_CHARS, ConversationState, Inbound, Reply
from dialogs.render import render_report
from dialogs.texts import t
from knowledge.triage import Advisor

DRONES = "Mogen we drones inzetten boven weilanden?"
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine(advisor: Advisor) -> Engine:
    return Engine(advisor)


def msg(text: str | None = None, choice: str | None = None, **kw: Any) -> Inbound:
    return Inbound(channel="test", conversation="c1", user="u1", text=text, choice=choice, **kw)


def plain(turn: Turn) -> str:
    return "\n\n".join(to_plain(r.text) for r in turn.replies)


class Chat:
    """Drives the engine turn by turn, as the service would (without storage)."""

    def __init__(self, engine: Engine, **inbound: Any) -> None:
        self.engine = engine
        self.state: ConversationState | None = None
        self.now = T0
        self.inbound = inbound
        self.last: Turn | None = None

    def send(self, text: str | None = None, choice: str | None = None) -> Turn:
        self.now += timedelta(minutes=1)
        turn = self.engine.handle(msg(text, choice, **self.inbound), self.state, self.now)
        self.state = turn.state
        self.last = turn
        return turn

    def button(self, label: str, turn: Turn | None = None) -> str:
        turn = turn or self.last
        assert turn is not None
        choices = [c for r in turn.replies for c in r.choices]
        return next(c.id for c in choices if c.label == label)

    def press(self, label: str) -> Turn:
        return self.send(choice=self.button(label))


def skip_to(chat: Chat, prompt: str) -> None:
    """Answer `overslaan` until the walk waits at ``prompt`` (at most 30 times)."""
    for _ in range(30):
        assert chat.state is not None and chat.state.step == "walk"
        if chat.state.current == prompt:
            return
        chat.send("overslaan")
    raise AssertionError(f"never reached {prompt}")


def at_quick(engine: Engine) -> Chat:
    chat = Chat(engine)
    chat.send(DRONES)
    assert chat.state is not None and chat.state.step == "quick"
    return chat


# -- empty and whitespace ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n", "\x00\x1b", "\u200b\ufeff"])
def test_empty_message_keeps_the_state(engine: Engine, text: str) -> None:
    chat = at_quick(engine)
    before = chat.state
    assert before is not None
    turn = chat.send(text)
    assert turn.replies[0].text == t("empty", "nl")
    assert "Ik zie geen tekst" in plain(turn)
    assert "Eerste indruk" in plain(turn)  # the question we were at, again
    assert turn.state is not None
    assert turn.state.step == "quick"
    assert turn.state.description == DRONES
    assert turn.effects == []
    # Only the prompt counter moves (the prompt was shown again, with fresh buttons).
    assert turn.state.model_copy(update={"prompt_seq": before.prompt_seq}) == before


def test_empty_first_message_gives_the_welcome(engine: Engine) -> None:
    turn = engine.handle(msg(""), None, T0)
    assert turn.replies[0].content == {"kind": "welcome"}
    assert turn.state is not None and turn.state.step == "describe"
    # The welcome is in Dutch before anyone has written; it says English works too.
    assert "English" in turn.replies[0].text


# -- very long --------------------------------------------------------------------------------


def test_very_long_message_is_cut_with_a_notice(engine: Engine) -> None:
    text = ("Mogen we drones inzetten boven weilanden van boeren in de provincie? " * 800)[:50_000]
    assert len(text) == 50_000
    chat = Chat(engine)
    turn = chat.send(text)
    notice = turn.replies[0].text
    assert notice == t("truncated", "nl", max=f"{MAX_INPUT_CHARS:,}".replace(",", "."))
    assert "20.000" in notice  # Dutch groups thousands with a point
    assert "Eerste indruk" in plain(turn)  # and the description was still handled
    assert chat.state is not None and chat.state.description is not None
    assert MAX_INPUT_CHARS - 20 <= len(chat.state.description) <= MAX_INPUT_CHARS
    assert chat.state.description.startswith("Mogen we drones")


def test_very_long_open_answer_is_cut_too(engine: Engine) -> None:
    chat = at_quick(engine)
    chat.press("Drietrap doorlopen")
    turn = chat.send("biodiversiteit " * 5_000)
    assert "20.000" in turn.replies[0].text
    assert chat.state is not None
    note = chat.state.answers["doel"].note
    assert note is not None and len(note) <= MAX_INPUT_CHARS


# -- control characters -----------------------------------------------------------------------


def test_control_characters_are_removed(engine: Engine) -> None:
    raw = "Mogen we\x00 drones \x1b[31minzetten\x1b[0m boven\u202e weilanden\u2066 van boeren?"
    chat = Chat(engine)
    turn = chat.send(raw)
    assert chat.state is not None
    desc = chat.state.description
    assert desc is not None
    for bad in ("\x00", "\x1b", "\u202e", "\u2066"):
        assert bad not in desc
        assert all(bad not in r.text for r in turn.replies)
    assert "drones" in desc and "weilanden" in desc
    assert "Drones en AI om subsidie" in plain(turn)  # still recognised


def test_control_characters_are_removed_from_notes(engine: Engine) -> None:
    chat = at_quick(engine)
    chat.press("Drietrap doorlopen")
    chat.send("overslaan")
    chat.send("overslaan")
    chat.send("overslaan")  # now at the first value
    chat.send("zorg: filmt\x00 ook \u202eerven\x07")
    assert chat.state is not None
    (vid,) = chat.state.value_answers
    assert chat.state.value_answers[vid].note == "filmt ook erven"


# -- choices that do not fit ------------------------------------------------------------------


def test_unknown_option_for_the_current_prompt(engine: Engine) -> None:
    chat = at_quick(engine)
    state = chat.state
    assert state is not None
    turn = chat.send(choice=f"{state.nonce}.{state.prompt_seq}.ontplof")
    assert turn.replies[0].text == t("not_understood", "nl")
    assert [c.label for c in turn.replies[-1].choices] == [
        "Drietrap doorlopen",
        "Korte route",
        "Alleen het advies",
        "Stoppen",
    ]
    assert turn.state is not None and turn.state.step == "quick"
    assert turn.effects == []


def test_an_unknown_slash_command_is_said_to_be_one(engine: Engine) -> None:
    """A typed "/foo" is no description and no answer (a new user got "Vertel iets meer" for
    it); "/reset" and "/hulp" work as the commands they name, as in Slack."""
    chat = Chat(engine)
    first = chat.send("/foo")
    assert plain(first).startswith("Die opdracht ken ik niet.")
    assert chat.state is not None and chat.state.description is None
    chat = at_quick(engine)
    turn = chat.send("/ontplof")
    assert plain(turn).startswith("Die opdracht ken ik niet.")
    assert turn.state is not None and turn.state.step == "quick"
    assert "Opdrachten:" in plain(chat.send("/hulp"))
    reset = chat.send("/reset")
    assert reset.state is not None and reset.state.confirm_restart
    assert "Weet je het zeker?" in plain(reset)


@pytest.mark.parametrize("choice", ["", "zomaar", "...", "x" * 200, "a.b.c.d"])
def test_malformed_choice_ids(engine: Engine, choice: str) -> None:
    chat = at_quick(engine)
    turn = chat.send(choice=choice)
    assert turn.replies[0].text == t("stale_choice", "nl")
    assert turn.state is not None and turn.state.step == "quick"


def test_stale_button_from_an_earlier_prompt(engine: Engine) -> None:
    chat = at_quick(engine)
    quick = chat.last
    chat.press("Drietrap doorlopen")
    assert chat.state is not None and chat.state.current == "q:doel"
    walk_state = chat.state
    turn = chat.send(choice=chat.button("Alleen het advies", quick))
    assert turn.replies[0].text == t("stale_choice", "nl")
    assert "Wat wil je bereiken" in plain(turn)  # where we are now
    assert turn.effects == []  # the old "advice" button did not finish anything
    assert turn.state is not None and turn.state.step == "walk"
    assert turn.state.current == "q:doel"
    assert turn.state.answers == walk_state.answers


def test_button_from_an_old_conversation_after_opnieuw(engine: Engine) -> None:
    chat = at_quick(engine)
    old_quick = chat.last
    old_nonce = chat.state.nonce if chat.state else None
    chat.send("opnieuw")
    assert chat.state is not None and chat.state.confirm_restart  # asked first
    chat.send("ja")
    assert chat.state is not None and chat.state.step == "describe"
    assert chat.state.nonce != old_nonce
    chat.send(DRONES)  # the same question again: the same prompt number as before
    new = chat.state
    assert new is not None and new.step == "quick"
    old_id = chat.button("Drietrap doorlopen", old_quick)
    new_id = chat.button("Drietrap doorlopen")
    assert old_id.split(".")[1:] == new_id.split(".")[1:]  # only the conversation differs
    turn = chat.send(choice=old_id)
    assert turn.replies[0].text == t("stale_choice", "nl")
    assert turn.state is not None and turn.state.step == "quick"
    walked = chat.send(choice=chat.button("Drietrap doorlopen"))  # the new button works
    assert walked.state is not None and walked.state.step == "walk"


def test_choice_with_no_state_gives_the_welcome(engine: Engine) -> None:
    turn = engine.handle(msg(choice="abcdef.1.walk"), None, T0)
    assert len(turn.replies) == 1
    assert turn.replies[0].content == {"kind": "welcome"}
    assert turn.state is not None
    assert turn.state.step == "describe"
    assert turn.effects == []


# -- markup in user text ----------------------------------------------------------------------

EVIL = "**x** <b>vet</b> <script>alert(1)</script> _y_ `z` [a](http://e.vil) #kop |pipe|"


def _check_rendered(text: str) -> None:
    html = to_html(text)
    assert "<script>" not in html and "<b>" not in html
    assert "<strong>x</strong>" not in html
    assert "<em>y</em>" not in html and "<code>z</code>" not in html
    assert "&lt;script&gt;" in html
    assert "**x** <b>vet</b> <script>alert(1)</script> _y_ `z` [a](http://e.vil)" in to_plain(text)


def test_user_markup_is_escaped_in_every_rendering(engine: Engine) -> None:
    chat = Chat(engine)
    chat.send(f"Mogen we drones inzetten boven weilanden? {EVIL}")
    shown: list[Reply] = []
    shown += chat.send("samenvatting").replies  # the description
    chat.press("Drietrap doorlopen")
    chat.send(f"doel {EVIL}")  # the purpose
    chat.send(f"nee, want {EVIL}")  # a note on a yes/no question
    chat.send("boeren")
    chat.send(f"zorg: {EVIL}")  # a value note
    skip_to(chat, "q:haalbaarheid")
    chat.send("nee")  # a concern, with no note
    skip_to(chat, "q:beveiliging")
    outcome_turn = chat.send(f"{EVIL}")  # beveiliging, the last (open) question
    assert outcome_turn.replies[0].content is not None
    assert outcome_turn.replies[0].content["kind"] == "outcome"
    shown += outcome_turn.replies
    shown += chat.send("samenvatting").replies
    shown += chat.press("Rapport").replies
    user_text = [r.text for r in shown if EVIL.split()[0] in to_plain(r.text)]
    assert len(user_text) >= 4  # summary, outcome, summary, report all show the user's text
    for text in user_text:
        _check_rendered(text)
    # The report Markdown itself escapes it.
    (effect,) = [e for e in outcome_turn.effects if isinstance(e, LogOutcome)]
    report = render_report(effect.outcome)
    assert r"\*\*x\*\* \<b\>vet\</b\>" in report
    assert "**x**" not in report
    assert report.count(r"\<script\>") >= 3  # description, purpose, value note
    _check_rendered(report)


# -- language, greetings, too short -----------------------------------------------------------


def test_english_is_detected(engine: Engine) -> None:
    chat = Chat(engine)
    turn = chat.send("Can we use cameras in the town square to detect crowds and count visitors?")
    assert chat.state is not None and chat.state.lang == "en"
    assert "First impression" in plain(turn)
    assert [c.label for c in turn.replies[-1].choices] == [
        "Go through the three steps",
        "Short route",
        "Just the advice",
        "Stop",
    ]


def test_dutch_is_kept_for_dutch(engine: Engine) -> None:
    chat = Chat(engine, locale="en")
    chat.send(DRONES)
    assert chat.state is not None and chat.state.lang == "nl"


@pytest.mark.parametrize("greeting", ["hoi", "Hoi!", "hallo", "goedemorgen"])
def test_greeting_gives_the_welcome(engine: Engine, greeting: str) -> None:
    first = engine.handle(msg(greeting), None, T0)
    assert first.replies[0].content == {"kind": "welcome"}
    assert "Hoi! Ik ben **Ethiekbot**" in first.replies[0].text
    assert first.state is not None and first.state.description is None
    again = engine.handle(msg(greeting), first.state, T0 + timedelta(minutes=1))
    assert again.replies[0].content == {"kind": "welcome"}


@pytest.mark.parametrize("text", ["drones weilanden", "AI?", "camera markt"])
def test_two_words_ask_for_more(engine: Engine, text: str) -> None:
    chat = Chat(engine)
    turn = chat.send(text)
    assert turn.replies[0].text == t("too_short", "nl")
    assert chat.state is not None
    assert chat.state.step == "describe" and chat.state.description is None
    turn = chat.send(DRONES)
    assert "Eerste indruk" in plain(turn)


# -- purity -----------------------------------------------------------------------------------


def _dump(turn: Turn) -> dict[str, Any]:
    return {
        "replies": [r.model_dump(mode="json") for r in turn.replies],
        "state": turn.state.model_dump(mode="json") if turn.state else None,
        "effects": [repr(e) for e in turn.effects],
    }


def _states(engine: Engine) -> list[ConversationState | None]:
    """States along a conversation: none, quick, walk (with Mag answers), outcome."""
    chat = Chat(engine)
    out: list[ConversationState | None] = [None]
    chat.send(DRONES)
    out.append(chat.state)
    chat.press("Drietrap doorlopen")
    for answer in ["doel", "ja", "boeren", "zorg: x", "2", "note", "1", "1", "1"]:
        chat.send(answer)
    chat.send("Door naar Mag het?")
    chat.send("ja")  # persoonsgegevens: adds to the scan
    chat.send("ja")  # bijzondere gegevens
    out.append(chat.state)
    skip_to(chat, "q:beveiliging")
    chat.send("versleuteld")
    assert chat.state is not None and chat.state.step == "outcome"
    out.append(chat.state)
    return out


@pytest.mark.parametrize("text", [DRONES, "samenvatting", "terug", "ja", "english", "1", ""])
def test_same_inputs_same_outputs_and_no_mutation(engine: Engine, text: str) -> None:
    now = T0 + timedelta(days=1)
    for state in _states(engine):
        before = state.model_dump(mode="json") if state else None
        first = engine.handle(msg(text), state, now)
        second = engine.handle(msg(text), state, now)
        assert _dump(first) == _dump(second)
        assert (state.model_dump(mode="json") if state else None) == before
        if state is not None:
            assert first.state is not state


def test_same_choice_same_outcome(engine: Engine) -> None:
    states = _states(engine)
    outcome = states[-1]
    assert outcome is not None
    before = outcome.model_dump(mode="json")
    choice = f"{outcome.nonce}.{outcome.prompt_seq}.report"
    now = T0 + timedelta(days=2)
    a = engine.handle(msg(choice=choice), outcome, now)
    b = engine.handle(msg(choice=choice), outcome, now)
    assert _dump(a) == _dump(b)
    assert outcome.model_dump(mode="json") == before
    # the quick take's "advice" finishes: the logged outcome is the same both times
    quick = states[1]
    assert quick is not None
    advice = f"{quick.nonce}.{quick.prompt_seq}.advice"
    x = engine.handle(msg(choice=advice), quick, now)
    y = engine.handle(msg(choice=advice), quick, now)
    assert [type(e) for e in x.effects] == [LogOutcome]
    assert _dump(x) == _dump(y)
    assert quick.step == "quick" and quick.outcome_id is None


def test_opnieuw_mid_walk_asks_first_and_nee_keeps_everything(engine: Engine) -> None:
    chat = at_quick(engine)
    chat.send(choice=chat.button("Drietrap doorlopen"))
    chat.send("Weilanden controleren op bloemen")
    before = chat.state
    assert before is not None and before.answers
    turn = chat.send("opnieuw")
    assert "Weet je het zeker?" in turn.replies[0].text
    assert [c.label for c in turn.replies[0].choices] == ["Ja, alles wissen", "Nee, verder"]
    turn = chat.send("nee")
    assert "we gaan verder" in turn.replies[0].text
    assert chat.state is not None and chat.state.answers == before.answers
    assert chat.state.position == before.position
    chat.send("opnieuw")
    turn = chat.send(choice=chat.button("Ja, alles wissen"))
    assert "Het gesprek is gewist" in turn.replies[0].text
    assert chat.state is not None and chat.state.answers == {} and chat.state.step == "describe"


def test_after_stop_any_text_asks_the_pending_question_again(engine: Engine) -> None:
    chat = at_quick(engine)
    chat.send(choice=chat.button("Drietrap doorlopen"))
    chat.send("Weilanden controleren op bloemen")  # the purpose
    chat.send("ja")
    chat.send("boeren")
    turn = chat.send("zorg")  # a value: the bot asks for a note
    assert chat.state is not None and chat.state.awaiting_note is not None
    pending = chat.state.awaiting_note
    chat.send("stop")
    turn = chat.send("hallo")
    assert turn.replies[0].text.startswith("Welkom terug")
    state = chat.state
    assert state is not None and state.awaiting_note == pending
    value = pending.removeprefix("v:")
    assert state.value_answers[value].note is None  # "hallo" was not taken as the note


def test_while_erasing_is_asked_every_prompt_is_that_question(engine: Engine) -> None:
    # Found by a cold review: a stale click showed the walk's question with the erase buttons
    # under it, so "ja" meant for the question erased everything.
    chat = at_quick(engine)
    chat.send(choice=chat.button("Drietrap doorlopen"))
    chat.send("Weilanden controleren op bloemen")
    old = chat.last
    chat.send("ja")
    chat.send("opnieuw")
    assert old is not None
    turn = chat.send(choice=old.replies[-1].choices[0].id)  # a stale button
    assert "Weet je het zeker?" in turn.replies[-1].text
    turn = chat.send("   ")
    assert "Weet je het zeker?" in turn.replies[-1].text
    chat.send("nee")
    assert chat.state is not None and chat.state.answers  # nothing erased


def test_a_command_after_stop_resumes_so_the_next_answer_counts(engine: Engine) -> None:
    chat = at_quick(engine)
    chat.send(choice=chat.button("Drietrap doorlopen"))
    chat.send("stop")
    chat.send("terug")
    chat.send(choice=chat.button("Drietrap doorlopen"))
    chat.send("Weilanden controleren op bloemen")
    assert chat.state is not None and chat.state.answers["doel"].note == (
        "Weilanden controleren op bloemen"
    )


def _waiting_for_a_note(engine: Engine) -> tuple[Chat, str]:
    """A walk that answered "zorg" to a value: the bot asks for a note. Returns the chat and
    the value's id."""
    chat = at_quick(engine)
    chat.send(choice=chat.button("Drietrap doorlopen"))
    chat.send("Weilanden controleren op bloemen")
    chat.send("ja")
    chat.send("boeren")
    chat.send("zorg")
    assert chat.state is not None and chat.state.awaiting_note is not None
    return chat, chat.state.awaiting_note.removeprefix("v:")


@pytest.mark.parametrize("typed", ["2", "klopt niet", "weet ik niet"])
def test_a_number_or_a_button_word_is_not_taken_as_the_note(engine: Engine, typed: str) -> None:
    """A new user typed "2" or "klopt niet" after "zorg"; it ended up in the shareable note as
    the explanation. Such a text moves on without becoming the note."""
    chat, value = _waiting_for_a_note(engine)
    chat.send(typed)
    assert chat.state is not None and chat.state.awaiting_note is None
    assert chat.state.value_answers[value].note is None


def test_a_real_explanation_is_kept_as_the_note(engine: Engine) -> None:
    chat, value = _waiting_for_a_note(engine)
    chat.send("Boeren weten niet dat er gefilmd wordt.")
    assert chat.state is not None
    assert chat.state.value_answers[value].note == "Boeren weten niet dat er gefilmd wordt."


def test_the_drietrap_introduction_is_given_once(engine: Engine) -> None:
    """The introduction before the first question is not printed again with the question
    after `waarom?` or an unclear answer (a new user read it five times)."""
    intro = to_plain(engine.k.drietrap.advice.get("nl"))[:60]
    chat = at_quick(engine)
    first = plain(chat.press("Drietrap doorlopen"))
    assert intro in first
    assert intro not in plain(chat.send("waarom?"))
    assert intro not in plain(chat.send("blauw"))


def test_an_unclear_answer_to_the_quick_take_asks_only_its_question_again(
    engine: Engine,
) -> None:
    chat = at_quick(engine)
    turn = chat.send("hm")
    text = plain(turn)
    assert text.startswith(to_plain(t("not_understood", "nl")))
    assert "Eerste indruk" not in text and "Hoe wil je verder?" in text
    assert [c.label for c in turn.replies[-1].choices][:2] == ["Drietrap doorlopen", "Korte route"]


@pytest.mark.parametrize("typed", ["ja", "ok", "yes"])
def test_a_yes_typed_where_the_only_way_on_is_verder_goes_on(engine: Engine, typed: str) -> None:
    """A product trial typed "ja" at "Verder" and was told the answer was not recognised."""
    chat = at_quick(engine)
    chat.send(choice=chat.button("Drietrap doorlopen"))
    for _ in range(40):
        last = chat.last
        assert last is not None
        labels = [c.label for r in last.replies for c in r.choices]
        if labels == ["Verder"]:
            break
        chat.send("overslaan")
    else:
        raise AssertionError("no step with only 'Verder' was reached")
    before = chat.state
    turn = chat.send(typed)
    assert "herken ik niet" not in plain(turn)
    assert chat.state is not None and before is not None
    assert (chat.state.step, chat.state.current) != (before.step, before.current)
