"""The advisor's side in Teams, through botbuilder's CloudAdapter and the mock connector: the
reply arrives in the employee's conversation (continue_conversation on the stored reference)
and the employee answers; a linked advisor registers a channel for notifications with
``meldingen hier`` and sees the queue with ``beoordeel``."""

from __future__ import annotations

import asyncio

from bot.review import ReviewDesk
from bot.server import DISPATCHER_KEY
from tests.adapters.teams.helpers import TENANT, MockConnector, Sent, TeamsServer
from tests.adapters.teams.test_protocol import Conversation
from tests.advice import ask_advice

CAMERAS = "We willen met camera's en gezichtsherkenning mensen op het station identificeren."
ADVISORS = "19:advisors@thread.tacv2"


async def delivered(connector: MockConnector, conversation: str, count: int) -> list[Sent]:
    """The messages sent to ``conversation`` once there are ``count`` (the server's own
    dispatcher sends them; nudged here so the test need not wait for its interval)."""
    for _ in range(500):
        sent = [s for s in connector.sent if s.conversation_id == conversation]
        if len(sent) >= count:
            await asyncio.sleep(0.05)  # and no more than that
            return [s for s in connector.sent if s.conversation_id == conversation]
        await asyncio.sleep(0.01)
    raise AssertionError(f"{count} messages to {conversation} not delivered")


async def advice(conv: Conversation) -> str:
    """Describe the project and take "Alleen het advies"; the logged outcome's id."""
    sent = await conv.say(CAMERAS)
    await conv.click(sent, "Alleen het advies")
    store = conv.server.service.store
    state = await conv.server.service.call(store.load_state, conv.key)
    assert state is not None and state.outcome_id
    return state.outcome_id


async def test_reply_reaches_teams_and_the_employee_answers(
    teams: TeamsServer, connector: MockConnector
) -> None:
    service = teams.service
    conv = Conversation(teams, connector)
    oid = await advice(conv)
    desk = ReviewDesk(service.store, lambda: service.engine.advisor.knowledge)
    await service.call(service.store.add_advisor, "ad@prov.nl")
    await service.call(desk.reply, oid, "Welke camera's zijn het precies?", "ad@prov.nl")
    before = len([s for s in connector.sent if s.conversation_id == conv.conversation])
    teams.runner.app[DISPATCHER_KEY].wake()
    sent = (await delivered(connector, conv.conversation, before + 1))[before]
    assert "Welke camera's zijn het precies?" in sent.text
    prompt = await conv.say(value=sent.action("Antwoord de adviseur"))
    assert oid in prompt[-1].text
    done = await conv.say("Vier camera's bij de ingang.")
    assert "Doorgestuurd" in done[-1].text
    view = await service.call(desk.open, oid, "ad@prov.nl")
    assert [m.sender for m in view.review.messages] == ["adviseur", "medewerker"]
    await teams.runner.app[DISPATCHER_KEY].run_once()
    assert len([s for s in connector.sent if s.conversation_id == conv.conversation]) == before + 3


async def test_notifications_here_and_review_in_a_teams_channel(
    teams: TeamsServer, connector: MockConnector
) -> None:
    service = teams.service
    await service.call(service.store.add_advisor, "ad@prov.nl")
    await service.call(service.store.link_advisor, "ad@prov.nl", None, "AAD-ADVISOR-1")
    channel = Conversation(
        teams, connector, conversation=ADVISORS, conversation_type="channel", aad="aad-advisor-1"
    )
    (registered,) = await channel.say("meldingen hier")
    assert "Meldingen voor de ethiekadviseurs" in registered.text
    # Someone who is not a linked advisor cannot do that.
    other = Conversation(
        teams,
        connector,
        conversation="19:other@thread.tacv2",
        conversation_type="channel",
        aad="aad-someone",
    )
    (refused,) = await other.say("meldingen hier")
    assert "alleen een ethiekadviseur" in refused.text.lower()

    # The employee's triage is made through the service: its notification is sent by the
    # server's own dispatcher while a Teams request would still be in flight.
    oid = await service.call(ask_advice, service, CAMERAS, f"{TENANT}:a:personal-2", "u2", "teams")
    (_registered, note) = await delivered(connector, ADVISORS, 2)
    assert oid in note.text and "gezichtsherkenning" not in note.text

    (queue,) = await channel.say("beoordeel")
    opens = [a for a in queue.actions if a["type"] == "Action.OpenUrl"]
    assert any(a["url"].endswith(f"/advisor/outcomes/{oid}") for a in opens)
    assert "gezichtsherkenning" not in queue.text


async def test_a_reminder_reaches_teams_and_a_removed_bot_fails_without_retries(
    teams: TeamsServer, connector: MockConnector
) -> None:
    from datetime import UTC, date, datetime

    from bot.checkpoints import enqueue_due, plan

    service = teams.service
    conv = Conversation(teams, connector, conversation="a:personal-3")
    oid = await advice(conv)
    knowledge = service.engine.advisor.knowledge
    await service.call(
        plan, service.store, oid, "evaluatie", "Evaluatie", date(2027, 6, 7), conv.key
    )
    # A conversation the bot never saw (no reference): mislukt at once, with the reason.
    gone = await service.call(
        plan, service.store, oid, "ontwerp", "Ontwerp", date(2027, 6, 7), "teams:tenant-a:a:gone"
    )
    at = datetime(2027, 6, 7, 7, 0, tzinfo=UTC)
    before = len([s for s in connector.sent if s.conversation_id == conv.conversation])
    assert await service.call(enqueue_due, service.store, knowledge, at) == 2
    await teams.runner.app[DISPATCHER_KEY].run_once(at)  # the clock of the test, not the wall's
    sent = (await delivered(connector, conv.conversation, before + 1))[-1]
    assert "IJkmoment: Evaluatie" in sent.text
    assert [a["title"] for a in sent.actions][:2] == ["Opnieuw toetsen", "Verzetten"]
    cp = await service.call(service.store.get_checkpoint, gone)
    assert cp is not None and cp.status == "mislukt" and "reference" in (cp.reason or "")
    postpone = await conv.say(value=sent.action("Verzetten"))
    assert "Naar welke datum" in postpone[-1].text
