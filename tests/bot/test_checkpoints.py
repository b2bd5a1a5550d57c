"""Checkpoints (ijkmomenten) on real SQLite with a controlled clock (every call gets ``now``):
registering in the conversation (Dutch and English dates), working days, the scheduler and
the outbox (once, also with two schedulers and across a restart), the reminder's buttons,
the re-check comparison, and the CLI."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.checkpoints import enqueue_due
from bot.config import Settings
from bot.service import ConversationService
from bot.storage import Store
from dialogs.models import Inbound, Reply
from knowledge.triage import Advisor
from tests.advice import ask_advice
from tests.stores import settings_for

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # a Wednesday
DRONES = "Mogen we drones inzetten om weilanden te controleren op mestfraude?"
DRONES_EN = "May we use drones to check meadows for manure fraud?"


@pytest.fixture
def db(database: str) -> str:
    return database  # a SQLite file, and a PostgreSQL schema (tests/conftest.py)


@pytest.fixture
def service(advisor: Advisor, db: str) -> Iterator[ConversationService]:
    s = ConversationService.from_settings(settings_for(db), advisor)
    yield s
    s.close()


class Chat:
    """One web conversation through the real service."""

    def __init__(self, service: ConversationService, conversation: str = "c1") -> None:
        self.service = service
        self.conversation = conversation

    @property
    def key(self) -> str:
        return f"web:{self.conversation}"

    def say(self, now: datetime = NOW, **kw: str) -> list[Reply]:
        msg = Inbound(channel="web", conversation=self.conversation, user=self.conversation, **kw)
        return self.service.handle(msg, now)

    def outcome_choice(self, option: str) -> str:
        state = self.service.store.load_state(self.key)
        assert state is not None
        return f"{state.nonce}.{state.prompt_seq}.{option}"


def register_own(chat: Chat, dates: list[str], lang_text: str = DRONES) -> list[Reply]:
    ask_advice(chat.service, lang_text, chat.conversation, chat.conversation, now=NOW)
    (offer,) = chat.say(choice=chat.outcome_choice("checkpoints"))
    assert offer.content == {"kind": "checkpoints-offer"}
    replies = chat.say(choice="ijkreg:own")
    for text in dates:
        replies = chat.say(text=text)
    return replies


def test_register_with_typed_dutch_dates_and_questions_back(service: ConversationService) -> None:
    chat = Chat(service)
    replies = register_own(chat, ["over 3 maanden", "1 maart", "overslaan", "vorige week"])
    # A date in the past is a question back, not a guess; nothing is saved yet.
    assert "Welke datum" in replies[0].text or "voorbij" in replies[0].text
    replies = chat.say(text="15-03-2027")
    replies = chat.say(text="overslaan")  # scope change: no date
    (confirm,) = replies
    assert confirm.content == {"kind": "checkpoints-confirm"}
    assert "deze web chat" in confirm.text  # says who will be reminded before it saves
    assert service.store.checkpoints() == []
    saved, *again = chat.say(choice="ijkreg:save")
    assert saved.content and saved.content["kind"] == "checkpoints"
    # The conversation's choices again, so a typed number presses one the user can see.
    assert again and again[-1].choices
    planned = {c.kind: c for c in service.store.checkpoints()}
    assert set(planned) == {"ontwerp", "inkoop", "evaluatie"}
    assert planned["ontwerp"].due == "2027-03-02"  # over 3 maanden from 2 December 2026
    assert planned["inkoop"].due == "2027-03-01"
    assert planned["evaluatie"].send_at == "2027-03-15T08:00:00+00:00"  # 09:00 Amsterdam
    assert all(c.target == "web:c1" and c.status == "gepland" for c in planned.values())


def test_register_in_english_with_an_ambiguous_date(service: ConversationService) -> None:
    chat = Chat(service, "en1")
    replies = register_own(chat, ["in 6 weeks", "03/04/2027"], DRONES_EN)
    assert "April" in replies[0].text and "March" in replies[0].text  # which one?
    chat.say(text="3 April 2027")
    chat.say(text="skip")
    chat.say(text="skip")
    (confirm,) = chat.say(text="skip")
    assert "I will send the reminders" in confirm.text
    chat.say(choice="ijkreg:save")
    planned = {c.kind: c.due for c in service.store.checkpoints()}
    assert planned == {"ontwerp": "2027-01-13", "inkoop": "2027-04-03"}


def test_accepting_the_proposal_moves_dates_to_working_days(service: ConversationService) -> None:
    chat = Chat(service)
    ask_advice(service, DRONES, "c1", "c1", now=NOW)
    chat.say(choice=chat.outcome_choice("checkpoints"))
    chat.say(choice="ijkreg:accept")
    chat.say(choice="ijkreg:save")
    items = service.store.checkpoints()
    assert len(items) == 4  # every kind with a default date
    for c in items:
        send = datetime.fromisoformat(c.send_at)
        assert send.weekday() < 5 and send.astimezone(UTC).hour in (7, 8)


def test_a_holiday_moves_the_reminder_and_it_goes_once(
    service: ConversationService, advisor: Advisor, db: str
) -> None:
    chat = Chat(service)
    oid = ask_advice(service, DRONES, "c1", "c1", now=NOW)
    from bot.checkpoints import plan

    cid = plan(
        service.store, oid, "evaluatie", "Evaluatie", datetime(2026, 12, 25).date(), "web:c1", NOW
    )
    cp = service.store.get_checkpoint(cid)
    assert cp is not None and cp.send_at == "2026-12-28T08:00:00+00:00"  # Kerst → maandag
    k = advisor.knowledge
    assert enqueue_due(service.store, k, datetime(2026, 12, 28, 7, 59, tzinfo=UTC)) == 0
    # A restart between registration and the due date loses nothing.
    service.close()
    again = ConversationService.from_settings(settings_for(db), advisor)
    try:
        at = datetime(2026, 12, 28, 8, 0, tzinfo=UTC)
        assert enqueue_due(again.store, k, at) == 1
        assert enqueue_due(again.store, k, at + timedelta(hours=1)) == 0  # once
        (item,) = again.store.outbox_of(oid)
        assert item.kind == "herinnering" and item.target == "web:c1"
        text = item.payload["replies"][0]["text"]
        assert "Evaluatie" in text and "onvoorziene effecten" in text and oid in text
        labels = [c["label"] for c in item.payload["replies"][0]["choices"]]
        assert labels == ["Opnieuw toetsen", "Verzetten", "Afgerond", "Stop herinneringen"]
        again.store.mark_sent(item.id)
        cp = again.store.get_checkpoint(cid)
        assert cp is not None and cp.status == "verstuurd"
    finally:
        again.close()
    del chat


def test_two_schedulers_at_once_enqueue_each_reminder_once(
    service: ConversationService, advisor: Advisor, db: str
) -> None:
    from bot.checkpoints import plan

    oid = ask_advice(service, DRONES, "c1", "c1", now=NOW)
    for n in range(40):
        plan(
            service.store,
            oid,
            "ontwerp",
            f"Ontwerp {n}",
            datetime(2027, 1, 4).date(),
            "web:c1",
            NOW,
        )
    stores = [Store.open(db), Store.open(db)]  # two instances on one database
    at = datetime(2027, 1, 4, 9, tzinfo=UTC)
    counts: list[int] = []
    barrier = threading.Barrier(2)

    def run(store: Store) -> None:
        barrier.wait()
        counts.append(enqueue_due(store, advisor.knowledge, at))

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    assert sum(counts) == 40
    items = service.store.outbox_of(oid)
    assert len(items) == 40 and len({i.payload["checkpoint"] for i in items}) == 40


def deliver_reminder(service: ConversationService, advisor: Advisor, chat: Chat) -> Reply:
    from bot.checkpoints import plan

    oid = ask_advice(service, DRONES, chat.conversation, chat.conversation, now=NOW)
    plan(service.store, oid, "livegang", "Livegang", datetime(2027, 2, 1).date(), chat.key, NOW)
    assert enqueue_due(service.store, advisor.knowledge, datetime(2027, 2, 1, 9, tzinfo=UTC)) == 1
    (item,) = [i for i in service.store.outbox_of(oid) if i.kind == "herinnering"]
    service.store.mark_sent(item.id)
    return Reply.model_validate(item.payload["replies"][0])


def test_reminder_buttons_done_postpone_and_stop(
    service: ConversationService, advisor: Advisor
) -> None:
    chat = Chat(service)
    reminder = deliver_reminder(service, advisor, chat)
    ids = {c.label: c.id for c in reminder.choices}
    # Another conversation cannot press them.
    other = Chat(service, "zz").say(choice=ids["Afgerond"])
    assert other[0].content == {"kind": "stale"}
    (ask,) = chat.say(choice=ids["Verzetten"])
    assert "Naar welke datum" in ask.text
    (moved,) = chat.say(text="over twee weken", now=datetime(2027, 2, 1, 9, 5, tzinfo=UTC))
    assert "Verzet" in moved.text
    (cp,) = service.store.checkpoints()
    assert (cp.status, cp.due) == ("verzet", "2027-02-15")
    # Moved: due again later, sent once more.
    assert enqueue_due(service.store, advisor.knowledge, datetime(2027, 2, 15, 9, tzinfo=UTC)) == 1
    (done,) = chat.say(choice=ids["Afgerond"])
    assert "afgerond" in done.text
    assert service.store.checkpoints()[0].status == "afgerond"
    # The moved reminder that was still waiting in the outbox is not sent any more.
    pending = [i for i in service.store.outbox_of(cp.outcome_id) if i.kind == "herinnering"]
    assert [i.status for i in pending] == ["verstuurd", "geannuleerd"]
    # An old button does not bring it back.
    (again,) = chat.say(choice=ids["Verzetten"])
    assert "al afgerond" in again.text
    assert service.store.checkpoints()[0].status == "afgerond"
    (stopped,) = chat.say(choice=ids["Stop herinneringen"])
    assert "geen herinneringen meer" in stopped.text.lower()


def test_a_reminders_buttons_can_be_typed(service: ConversationService, advisor: Advisor) -> None:
    """Found by a user trial: typing "Verzetten" under a reminder was "not understood". The
    words act on the last reminder this conversation received; without one they are left to
    the conversation."""
    chat = Chat(service)
    deliver_reminder(service, advisor, chat)
    at = datetime(2027, 2, 1, 9, 5, tzinfo=UTC)
    replies = chat.say(text="Verzetten", now=at)
    assert "Naar welke datum" in replies[0].text, [r.text for r in replies]
    (moved,) = chat.say(text="over twee weken", now=at)
    assert "Verzet" in moved.text
    (cp,) = service.store.checkpoints()
    assert (cp.status, cp.due) == ("verzet", "2027-02-15")
    # A conversation no reminder reached: the words are left to the conversation.
    other = Chat(service, "zz")
    ask_advice(service, DRONES, other.conversation, other.conversation, now=NOW)
    replies = other.say(text="stop herinneringen", now=at)
    assert service.store.checkpoints()[0].status == "verzet", [r.text for r in replies]
    # The reminder's conversation: stopped.
    (stopped,) = chat.say(text="stop herinneringen", now=at)
    assert service.store.checkpoints()[0].status == "gestopt", stopped.text


def test_recheck_compares_with_the_earlier_outcome(
    service: ConversationService, advisor: Advisor
) -> None:
    chat = Chat(service)
    reminder = deliver_reminder(service, advisor, chat)
    ids = {c.label: c.id for c in reminder.choices}
    (ask,) = chat.say(choice=ids["Opnieuw toetsen"])
    assert "Wat is er veranderd" in ask.text
    changed = (
        "De drones krijgen camera's met gezichtsherkenning die mensen op de camping herkennen."
    )
    replies = chat.say(text=changed)
    assert any(r.choices for r in replies)  # the quick take of the re-check, with its choices
    state = service.store.load_state(chat.key)
    assert state is not None and state.previous_outcome_id
    previous = state.previous_outcome_id
    replies = chat.say(choice=chat.outcome_choice("advice"))
    (changes,) = [r for r in replies if (r.content or {}).get("kind") == "recheck-changes"]
    assert "veranderd" in changes.text.lower() and "gezichts" not in changes.text  # no user text
    assert "→" in changes.text or "nieuw" in changes.text
    new_id = changes.content["outcome_id"] if changes.content else ""
    project = service.store.project_of(new_id)
    assert project == previous
    assert [oid for oid, _ in service.store.project_outcomes(previous)] == [previous, new_id]


def test_cli_add_list_cancel_and_run_due(
    tmp_path: Path,
    advisor: Advisor,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli import main

    db = tmp_path / "cli.db"
    service = ConversationService.from_settings(Settings(db_path=db), advisor)
    oid = ask_advice(service, DRONES, "c7", "c7", now=NOW)
    service.close()
    monkeypatch.setenv("ETHIEKBOT_DB", str(db))
    for argv, message in (
        (
            ["checkpoints", "add", "T-ffffffffff", "--due", "2099-01-05", "--label", "x"],
            "geen uitkomst",
        ),
        (["checkpoints", "add", oid, "--due", "2020-01-01", "--label", "x"], "toekomst"),
        # A date as the chat reads it is fine; one it cannot read gets the chat's question.
        (["checkpoints", "add", oid, "--due", "ooit eens", "--label", "x"], "--due 'ooit eens'"),
        (
            ["checkpoints", "add", oid, "--due", "2099-01-05", "--label", "x", "--kind", "eval"],
            "--kind 'eval' bestaat niet",
        ),
        (
            [
                "checkpoints",
                "add",
                oid,
                "--due",
                "2099-01-05",
                "--label",
                "x",
                "--to",
                "teams:t:19:x",
            ],
            "niet in Teams",
        ),
    ):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2 and message in capsys.readouterr().err
    assert (
        main(
            [
                "checkpoints",
                "add",
                oid,
                "--due",
                "2099-01-05",
                "--label",
                "Evaluatie",
                "--kind",
                "evaluatie",
            ]
        )
        == 0
    )
    cid = capsys.readouterr().out.strip()
    assert main(["checkpoints", "list", "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert {"id", "outcome_id", "label", "due", "status", "to"} <= set(item)
    assert (item["id"], item["due"], item["status"], item["to"]) == (
        cid,
        "2099-01-05",
        "gepland",
        "web:c7",
    )
    assert main(["reminders", "run-due", "--now", "2099-01-05T09:00+01:00"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "now": "2099-01-05T09:00:00+01:00",
        "enqueued": 1,
        "sent": 1,
    }
    assert main(["reminders", "run-due", "--now", "2099-01-05T10:00+01:00"]) == 0
    assert json.loads(capsys.readouterr().out)["enqueued"] == 0  # once
    assert main(["checkpoints", "cancel", cid]) == 0
    capsys.readouterr()
    main(["checkpoints", "list", "--json"])
    assert json.loads(capsys.readouterr().out)[0]["status"] == "gestopt"
    assert main(["checkpoints", "add", oid, "--due", "over 3 maanden", "--label", "Later"]) == 0
    capsys.readouterr()
    main(["checkpoints", "list", "--json"])
    assert "Later" in [x["label"] for x in json.loads(capsys.readouterr().out)]


def test_remind_a_team_channel_of_ones_own(service: ConversationService) -> None:
    # U5 triaged in channel C77 of workspace T1 before; someone else did in C99.
    ask_advice(service, DRONES, "T1:C77:1700000000.000100", "T1:U5", "slack", now=NOW)
    ask_advice(service, DRONES, "T1:C99:1700000000.000200", "T1:U6", "slack", now=NOW)
    ask_advice(service, CAMERAS_SLACK, "T1:D5:-", "T1:U5", "slack", now=NOW)

    def say(**kw: str) -> list[Reply]:
        return service.handle(
            Inbound(channel="slack", conversation="T1:D5:-", user="T1:U5", **kw), NOW
        )

    state = service.store.load_state("slack:T1:D5:-")
    assert state is not None
    say(choice=f"{state.nonce}.{state.prompt_seq}.checkpoints")
    (confirm,) = say(choice="ijkreg:accept")
    assert "dit Slack-gesprek" in confirm.text
    assert "ijkreg:where" in [c.id for c in confirm.choices]
    (which,) = say(choice="ijkreg:where")
    # Only U5's own channels: not C99, where U5 never used the bot.
    assert [c.label for c in which.choices] == ["C77", "Hier, in dit gesprek"]
    (confirm,) = say(choice=which.choices[0].id)
    assert "teamkanaal C77" in confirm.text  # says who will be reminded before it saves
    say(choice="ijkreg:save")
    assert {c.target for c in service.store.checkpoints()} == {"slack:T1:C77:-"}


CAMERAS_SLACK = "We willen camera's met gezichtsherkenning op het station."


def test_the_checkpoints_command_later_lists_what_is_planned(service: ConversationService) -> None:
    chat = Chat(service, "later")
    (nothing,) = chat.say(text="ijkmomenten")
    assert "eerst met mij hebt getoetst" in nothing.text  # no project yet: says what to do
    ask_advice(service, DRONES, "later", "later", now=NOW)
    chat.say(choice=chat.outcome_choice("checkpoints"))
    chat.say(choice="ijkreg:accept")
    chat.say(choice="ijkreg:save")
    chat.say(text="opnieuw")  # the conversation starts over; the project stays
    (offer,) = chat.say(text="checkpoints")
    assert "Al gepland voor dit project" in offer.text and "Ontwerp" in offer.text
    (cancelled,) = chat.say(choice="ijkreg:cancel")
    assert "niets opgeslagen" in cancelled.text
    assert len(service.store.checkpoints()) == 4  # nothing lost, nothing doubled


def test_saving_the_list_again_doubles_no_reminder(service: ConversationService) -> None:
    """A product trial typed "ijkmomenten" to see the list, then saved it again: each
    checkpoint now waits once, on the date last saved."""
    chat = Chat(service, "twice")
    ask_advice(service, DRONES, "twice", "twice", now=NOW)
    chat.say(choice=chat.outcome_choice("checkpoints"))
    chat.say(choice="ijkreg:accept")
    chat.say(choice="ijkreg:save")
    first = {cp.kind: cp.due for cp in service.store.checkpoints()}
    (offer,) = chat.say(text="ijkmomenten")
    assert "Al gepland voor dit project" in offer.text
    chat.say(choice="ijkreg:accept")
    chat.say(choice="ijkreg:save")
    again = service.store.checkpoints()
    assert len(again) == len(first) == 4
    assert {cp.kind: cp.due for cp in again} == first


def test_erasing_a_persons_outcomes_takes_their_checkpoints(
    service: ConversationService, advisor: Advisor
) -> None:
    from bot.checkpoints import plan

    mine = ask_advice(service, DRONES, "me", "me", now=NOW)
    theirs = ask_advice(service, DRONES_EN, "them", "them", now=NOW)
    for oid, key in ((mine, "web:me"), (theirs, "web:them")):
        plan(service.store, oid, "evaluatie", "Evaluatie", datetime(2027, 3, 1).date(), key, NOW)
    assert enqueue_due(service.store, advisor.knowledge, datetime(2027, 3, 1, 8, tzinfo=UTC)) == 2
    assert service.store.erase_outcomes_of("web", "me") == 1
    assert [c.outcome_id for c in service.store.checkpoints()] == [theirs]
    assert service.store.get_outcome(mine) is None
    # Its reminder waiting in the outbox is not sent any more.
    assert [i.status for i in service.store.outbox_of(mine)] == ["geannuleerd"]


def test_dates_out_of_order_are_pointed_out_and_no_proposal_falls_on_a_sunday(
    service: ConversationService,
) -> None:
    """Found by a user trial: an evaluation before the design was accepted without a word,
    and a proposal read "zondag 7 maart 2027"."""
    chat = Chat(service)
    register_own(chat, ["7-3-2027", "overslaan", "overslaan", "overslaan", "overslaan"])
    # Changing the dates again proposes what was given, as the day the reminder goes: the
    # Monday after Sunday 7 March.
    (ask,) = chat.say(choice="ijkreg:own")
    assert "Voorstel: maandag 8 maart 2027" in ask.text, ask.text
    replies = register_own(
        Chat(service, "zz"), ["15-03-2027", "1 maart", "overslaan", "overslaan", "overslaan"]
    )
    (confirm,) = replies
    assert "valt vóór" in confirm.text, confirm.text


def test_yes_typed_at_save_saves(service: ConversationService) -> None:
    """Found by a user trial: "ja" typed at "Opslaan?" showed the same prompt again without a
    word. "ja" saves; anything else says what the question expects."""
    chat = Chat(service)
    register_own(chat, ["15-03-2027", "overslaan", "overslaan", "overslaan", "overslaan"])
    (hint, _confirm) = chat.say(text="misschien")
    assert "Opslaan" in hint.text and service.store.checkpoints() == []
    replies = chat.say(text="ja")
    assert replies[0].content and replies[0].content["kind"] == "checkpoints"
    assert len(service.store.checkpoints()) == 1


def test_the_checkpoint_command_during_a_date_question_asks_it_again(
    service: ConversationService,
) -> None:
    """Found by a user trial: typing "ijkmomenten" while a date was asked gave "Die datum kan
    ik niet lezen"."""
    chat = Chat(service)
    register_own(chat, [])
    replies = chat.say(text="ijkmomenten")
    assert "Die datum kan ik niet lezen" not in replies[0].text
    assert "Typ een datum" in replies[-1].text, [r.text for r in replies]
