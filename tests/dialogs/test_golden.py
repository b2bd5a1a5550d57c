"""Golden conversations: YAML transcripts replayed through the real ConversationService.

Each ``tests/dialogs/golden/*.yaml`` is one conversation (or several interleaved), replayed
against the real :class:`~bot.service.ConversationService` with a :class:`~bot.storage.Store`
on a SQLite *file* in ``tmp_path``, so ``restart`` is a real process restart. The clock starts
at a fixed moment and moves one minute per message, so every run is the same.

The format::

    title: what the transcript shows                 # required
    channel: test                                    # default "test"
    user: ana                                        # the first speaker, default "ana"
    conversation: ana-1                              # default: the user id
    steps:                                           # required, a list of steps

Every step has exactly one *action*:

``user: "text"``
    the current speaker types ``text``.
``choose: "Label"``
    the speaker presses the button with this label on the newest reply with buttons that
    their conversation received (a label that is not there fails the test).
``choose_stale: n``  or  ``choose_stale: {back: n, label: "Label"}``
    the speaker presses a button they received ``n`` turns before the latest one (``1`` = the
    turn before the latest): the first button of that turn's last reply with buttons, or the
    one with ``label``.
``as: bob`` (optionally with ``conversation: bob-1``, default the user id)
    switch the speaker; the same channel, their own conversation.
``restart: true``
    close the store and build a new Store, Engine and ConversationService from the same
    database file, as a restarted process does. Buttons received before stay pressable.

A step that sends something (``user``, ``choose``, ``choose_stale``) may also have:

``repeat: n``
    send the same thing ``n`` times (``choose`` takes the button from each newest reply);
    the checks apply to the last turn.
``locale: nl|en``
    the channel's idea of the speaker's language.
``expect: [..]``
    substrings that must all appear in the plain text (:func:`dialogs.markdown.to_plain`)
    of the turn's replies, in any order.
``absent: [..]``
    substrings that must not appear in it.
``choices: [..]``
    the exact labels of the buttons on the turn's last reply (``[]``: no buttons).

Any step may check what is stored after it:

``state: {dotted.path: value}``
    the stored state of the speaker's conversation: ``step``, ``current``, ``lang``,
    ``description``, ``value_answers.privacy.note``, ... (``null``: absent or None;
    ``state: null``: no stored state at all).
``logged: {count: n, handed_over: bool, contact: bool}``
    the speaker's logged outcomes (``Store.outcomes_of``): how many, and whether the newest
    was handed over and has a contact stored.
``report: [..]``
    substrings of the plain text of :func:`dialogs.render.render_report` of the speaker's
    newest logged outcome.

Unknown keys are an error, so a misspelt check cannot pass silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.service import ConversationService
from bot.storage import Store
from dialogs.engine import Engine
from dialogs.markdown import to_plain
from dialogs.models import Inbound, Reply
from dialogs.render import render_report
from knowledge.triage import Advisor

GOLDEN = Path(__file__).parent / "golden"
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

_ACTIONS = {"user", "choose", "choose_stale", "as", "restart"}
_SEND_KEYS = {"repeat", "locale", "expect", "absent", "choices"}
_CHECK_KEYS = {"state", "logged", "report"}
_TOP_KEYS = {"title", "channel", "user", "conversation", "steps"}


class TranscriptError(ValueError):
    """The transcript itself is malformed (not a failed expectation)."""


@dataclass
class Speaker:
    user: str
    conversation: str
    turns: list[list[Reply]] = field(default_factory=list)


class Replayer:
    """Plays one transcript against a service on ``db_path``."""

    def __init__(self, advisor: Advisor, db_path: Path, spec: dict[str, Any]) -> None:
        self.advisor = advisor
        self.db_path = db_path
        self.channel = str(spec.get("channel", "test"))
        self.now = START
        self.service = self._build()
        user = str(spec.get("user", "ana"))
        self.speakers: dict[tuple[str, str], Speaker] = {}
        self.speaker = self._speaker(user, str(spec.get("conversation", user)))

    def _build(self) -> ConversationService:
        return ConversationService(Engine(self.advisor), Store.open(self.db_path))

    def close(self) -> None:
        self.service.close()

    def _speaker(self, user: str, conversation: str) -> Speaker:
        key = (user, conversation)
        if key not in self.speakers:
            self.speakers[key] = Speaker(user, conversation)
        return self.speakers[key]

    # -- actions -------------------------------------------------------------------------------

    def send(self, text: str | None, choice: str | None, locale: str | None) -> list[Reply]:
        self.now += timedelta(minutes=1)
        msg = Inbound(
            channel=self.channel,
            conversation=self.speaker.conversation,
            user=self.speaker.user,
            text=text,
            choice=choice,
            locale=locale,  # validated by pydantic
        )
        replies = self.service.handle(msg, self.now)
        assert replies, f"no replies to {text or choice!r}"
        self.speaker.turns.append(replies)
        return replies

    def button(self, turn: list[Reply], label: str | None, where: str) -> str:
        with_choices = [r for r in turn if r.choices]
        if not with_choices:
            raise AssertionError(f"{where}: that turn had no buttons")
        choices = with_choices[-1].choices
        if label is None:
            return choices[0].id
        for c in choices:
            if c.label == label:
                return c.id
        raise AssertionError(
            f"{where}: no button {label!r}; there are {[c.label for c in choices]}"
        )

    def latest_button(self, label: str) -> str:
        for turn in reversed(self.speaker.turns):
            if any(r.choices for r in turn):
                return self.button(turn, label, "choose")
        raise AssertionError(f"choose {label!r}: no reply with buttons yet")

    def stale_button(self, spec: Any) -> str:
        if isinstance(spec, int):
            back, label = spec, None
        elif isinstance(spec, dict) and set(spec) <= {"back", "label"} and "back" in spec:
            back, label = int(spec["back"]), spec.get("label")
        else:
            raise TranscriptError(f"choose_stale: expected n or {{back, label}}, got {spec!r}")
        if back < 1 or back >= len(self.speaker.turns):
            raise TranscriptError(f"choose_stale: only {len(self.speaker.turns)} turns so far")
        return self.button(self.speaker.turns[-1 - back], label, f"choose_stale {spec!r}")

    # -- checks --------------------------------------------------------------------------------

    def check_replies(self, step: dict[str, Any], replies: list[Reply], where: str) -> None:
        plain = "\n\n".join(to_plain(r.text) for r in replies)
        for s in step.get("expect", []):
            assert str(s) in plain, f"{where}: expected {s!r} in:\n{plain}"
        for s in step.get("absent", []):
            assert str(s) not in plain, f"{where}: {s!r} should not be in:\n{plain}"
        if "choices" in step:
            labels = [c.label for c in replies[-1].choices]
            assert labels == step["choices"], f"{where}: buttons {labels} != {step['choices']}"

    def check_stored(self, step: dict[str, Any], where: str) -> None:
        store = self.service.store
        if "state" in step:
            state = store.load_state(f"{self.channel}:{self.speaker.conversation}")
            if step["state"] is None:
                assert state is None, f"{where}: expected no stored state, got {state}"
            else:
                assert state is not None, f"{where}: no stored state"
                for path, want in step["state"].items():
                    got = _resolve(state, path)
                    assert got == want, f"{where}: state.{path} is {got!r}, expected {want!r}"
        records = store.outcomes_of(self.channel, self.speaker.user, limit=100)
        if "logged" in step:
            spec = step["logged"]
            if set(spec) - {"count", "handed_over", "contact"}:
                raise TranscriptError(f"{where}: unknown logged keys {set(spec)}")
            if "count" in spec:
                assert len(records) == spec["count"], (
                    f"{where}: {len(records)} outcomes logged, expected {spec['count']}"
                )
            if "handed_over" in spec:
                assert records, f"{where}: no outcome logged"
                assert records[0].handed_over is spec["handed_over"], f"{where}: handed_over"
            if "contact" in spec:
                assert records, f"{where}: no outcome logged"
                has_contact = records[0].contact is not None
                assert has_contact is spec["contact"], f"{where}: contact {records[0].contact!r}"
        if "report" in step:
            assert records, f"{where}: no outcome logged to report on"
            report = to_plain(render_report(records[0].outcome))
            for s in step["report"]:
                assert str(s) in report, f"{where}: expected {s!r} in the report:\n{report}"

    # -- the loop ------------------------------------------------------------------------------

    def play(self, steps: list[dict[str, Any]]) -> None:
        for n, step in enumerate(steps, start=1):
            if not isinstance(step, dict):
                raise TranscriptError(f"step {n}: not a mapping: {step!r}")
            actions = _ACTIONS & set(step)
            if len(actions) != 1:
                raise TranscriptError(f"step {n}: needs exactly one of {sorted(_ACTIONS)}")
            action = actions.pop()
            allowed = {action} | _CHECK_KEYS
            if action in ("user", "choose", "choose_stale"):
                allowed |= _SEND_KEYS
            if action == "as":
                allowed.add("conversation")
            if set(step) - allowed:
                raise TranscriptError(f"step {n}: unknown keys {sorted(set(step) - allowed)}")
            where = f"step {n} ({action}: {step[action]!r})"
            if action == "as":
                user = str(step["as"])
                self.speaker = self._speaker(user, str(step.get("conversation", user)))
            elif action == "restart":
                self.close()
                self.service = self._build()
            else:
                replies: list[Reply] = []
                for _ in range(int(step.get("repeat", 1))):
                    text = choice = None
                    if action == "user":
                        text = str(step["user"])
                    elif action == "choose":
                        choice = self.latest_button(str(step["choose"]))
                    else:
                        choice = self.stale_button(step["choose_stale"])
                    replies = self.send(text, choice, step.get("locale"))
                self.check_replies(step, replies, where)
            self.check_stored(step, where)


def _resolve(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if obj is None:
            return None
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part)
    return obj


def replay(advisor: Advisor, db_path: Path, spec: dict[str, Any]) -> None:
    """Replay a parsed transcript; raises AssertionError when an expectation fails."""
    if not isinstance(spec, dict) or set(spec) - _TOP_KEYS or "steps" not in spec:
        raise TranscriptError(f"a transcript is a mapping with {sorted(_TOP_KEYS)}")
    if not spec.get("title"):
        raise TranscriptError("a transcript needs a title")
    r = Replayer(advisor, db_path, spec)
    try:
        r.play(spec["steps"])
    finally:
        r.close()


def _files() -> Iterator[Path]:
    return iter(sorted(GOLDEN.glob("*.yaml")))


@pytest.mark.parametrize("path", list(_files()), ids=lambda p: p.stem)
def test_golden(path: Path, advisor: Advisor, tmp_path: Path) -> None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    replay(advisor, tmp_path / "golden.db", spec)


def test_all_transcripts_are_there() -> None:
    names = {p.stem for p in _files()}
    assert {
        "full_walk_nl",
        "terug",
        "overslaan",
        "opnieuw",
        "samenvatting",
        "language_switch",
        "english",
        "two_users",
        "resume_after_restart",
        "waarom",
        "typed_answers",
    } <= names


# -- the harness itself must be able to fail -------------------------------------------------


def _mini(**step: Any) -> dict[str, Any]:
    return {"title": "mini", "steps": [{"user": "hoi", **step}]}


def test_harness_fails_on_a_missing_expectation(advisor: Advisor, tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="expected 'Uitkomst'"):
        replay(advisor, tmp_path / "a.db", _mini(expect=["Uitkomst"]))


def test_harness_fails_on_present_absent_text(advisor: Advisor, tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="should not be in"):
        replay(advisor, tmp_path / "b.db", _mini(absent=["Ethiekbot"]))


def test_harness_fails_on_wrong_buttons_and_state(advisor: Advisor, tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="buttons"):
        replay(advisor, tmp_path / "c.db", _mini(choices=["Ja"]))
    with pytest.raises(AssertionError, match=r"state\.step"):
        replay(advisor, tmp_path / "d.db", _mini(state={"step": "walk"}))
    with pytest.raises(AssertionError, match="outcomes logged"):
        replay(advisor, tmp_path / "e.db", _mini(logged={"count": 1}))


def test_harness_fails_on_a_label_that_is_not_offered(advisor: Advisor, tmp_path: Path) -> None:
    spec = {
        "title": "mini",
        "steps": [{"user": "Mogen we drones inzetten boven weilanden?"}, {"choose": "Nee"}],
    }
    with pytest.raises(AssertionError, match="no button 'Nee'"):
        replay(advisor, tmp_path / "f.db", spec)


def test_harness_rejects_unknown_keys(advisor: Advisor, tmp_path: Path) -> None:
    with pytest.raises(TranscriptError, match="unknown keys"):
        replay(advisor, tmp_path / "g.db", _mini(expcet=["typo"]))
    with pytest.raises(TranscriptError, match="exactly one"):
        replay(advisor, tmp_path / "h.db", {"title": "x", "steps": [{"expect": ["x"]}]})
