"""The advisor's reply and the advisors' notification reach Slack through the outbox: the
real server's dispatcher posts to the mock Slack Web API, once."""

from __future__ import annotations

from pathlib import Path

from bot.review import ReviewDesk
from bot.server import DISPATCHER_KEY
from knowledge.triage import Advisor
from tests.adapters.slack.helpers import buttons, slack_settings, start_server, texts_of
from tests.adapters.slack.mock_slack import DM_CHANNEL, MockSlack
from tests.advice import ask_advice

CAMERAS = "We willen met camera's en gezichtsherkenning mensen op het station identificeren."


async def test_reply_and_notification_reach_slack_once(
    tmp_path: Path, advisor: Advisor, mock_slack: MockSlack
) -> None:
    settings = slack_settings(tmp_path / "s.db", mock_slack, slack_advisor_channel="CADVISORS")
    server = await start_server(settings, advisor, mock_slack)
    try:
        service = server.service
        oid = await service.call(ask_advice, service, CAMERAS, "T1:D77:-", "T1:U7", "slack")
        # High risk / AI Act signal: one notification in the advisors' channel, no description.
        (note,) = await server.wait_posts("CADVISORS", 1)
        assert oid in texts_of(note) and "gezichtsherkenning" not in texts_of(note)
        desk = ReviewDesk(service.store, lambda: advisor.knowledge)
        await service.call(service.store.add_advisor, "ad@prov.nl")
        await service.call(desk.reply, oid, "Mag ik je bellen over de camera's?", "ad@prov.nl")
        # The workspace wakes the server's dispatcher after a reply; so does this test.
        server.runner.app[DISPATCHER_KEY].wake()
        (reply,) = await server.wait_posts("D77", 1)
        assert "Mag ik je bellen" in texts_of(reply)
        assert "Antwoord de adviseur" in texts_of(reply)
        items = await service.call(service.store.outbox_of, oid)
        assert {i.status for i in items} == {"verstuurd"}
        # Another round sends nothing again.
        await server.runner.app[DISPATCHER_KEY].run_once()
        assert len(server.posts("D77")) == 1 and len(server.posts("CADVISORS")) == 1
    finally:
        await server.stop()


async def test_a_failed_delivery_is_retried_and_shown(
    tmp_path: Path, advisor: Advisor, mock_slack: MockSlack
) -> None:
    from datetime import UTC, datetime, timedelta

    settings = slack_settings(tmp_path / "f.db", mock_slack)
    server = await start_server(settings, advisor, mock_slack)
    try:
        service = server.service
        oid = await service.call(ask_advice, service, CAMERAS, "T1:DBAD:-", "T1:U8", "slack")
        desk = ReviewDesk(service.store, lambda: advisor.knowledge)
        mock_slack.errors["chat.postMessage"] = "internal_error"
        await service.call(desk.reply, oid, "Hallo", "ad@prov.nl")
        dispatcher = server.runner.app[DISPATCHER_KEY]
        await dispatcher.run_once()
        (item,) = await service.call(service.store.outbox_of, oid)
        assert item.status == "wachtend" and item.attempts == 1
        assert item.last_error == "slack: internal_error"
        mock_slack.errors.clear()
        # Not before the backoff; after it, delivered once.
        assert await dispatcher.run_once() == 0
        later = datetime.now(UTC) + timedelta(minutes=5)
        assert await dispatcher.run_once(now=later) == 1
        (item,) = await service.call(service.store.outbox_of, oid)
        assert item.status == "verstuurd"
        # A conversation the bot can never post to again: failed at once, no retry storm.
        mock_slack.errors["chat.postMessage"] = "not_in_channel"
        await service.call(desk.reply, oid, "Nog iets", "ad@prov.nl")
        await dispatcher.run_once(now=later)
        failed = (await service.call(service.store.outbox_of, oid))[-1]
        assert (failed.status, failed.attempts) == ("mislukt", 1)
        assert failed.last_error == "slack: not_in_channel"
        assert await dispatcher.run_once(now=later + timedelta(hours=2)) == 0
        assert len(mock_slack.rate_limited["chat.postMessage"]) == 2  # two refused calls only
    finally:
        await server.stop()


async def test_employee_answers_by_button_and_advisor_reviews_by_command(
    tmp_path: Path, advisor: Advisor, mock_slack: MockSlack
) -> None:
    settings = slack_settings(tmp_path / "b.db", mock_slack)
    server = await start_server(settings, advisor, mock_slack)
    try:
        service = server.service
        oid = await service.call(ask_advice, service, CAMERAS, "T1:D5:-", "T1:U5", "slack")
        desk = ReviewDesk(service.store, lambda: advisor.knowledge)
        await service.call(desk.reply, oid, "Hoeveel camera's?", "ad@prov.nl")
        server.runner.app[DISPATCHER_KEY].wake()
        (reply,) = await server.wait_posts("D5", 1)
        (answer,) = [b for b in buttons(reply) if b["text"]["text"] == "Antwoord de adviseur"]
        await server.click(reply, answer, user="U5")
        await server.wait_posts("D5", 2)
        await server.dm("Twee, bij de ingang.", user="U5", channel="D5")
        posts = await server.wait_posts("D5", 3)
        assert "Doorgestuurd" in texts_of(posts[-1])
        view = await service.call(desk.open, oid, "ad@prov.nl")
        assert [m.text for m in view.review.messages] == [
            "Hoeveel camera's?",
            "Twee, bij de ingang.",
        ]

        # A linked advisor: /ethiek beoordeel answers in their DM with link buttons.
        await server.command("beoordeel", user="UADV")
        refused = await server.wait_posts(DM_CHANNEL, 1)
        assert "alleen een ethiekadviseur" in texts_of(refused[-1]).lower()
        await service.call(service.store.add_advisor, "ad@prov.nl")
        await service.call(service.store.link_advisor, "ad@prov.nl", "UADV")
        await server.command("beoordeel", user="UADV")
        queue = (await server.wait_posts(DM_CHANNEL, 2))[-1]
        urls = [b.get("url") for b in buttons(queue)]
        assert f"http://127.0.0.1:3978/advisor/outcomes/{oid}" in urls
        assert "gezichtsherkenning" not in texts_of(queue)
    finally:
        await server.stop()


async def test_a_reminder_reaches_slack_once_and_its_buttons_work(
    tmp_path: Path, advisor: Advisor, mock_slack: MockSlack
) -> None:
    from datetime import UTC, date, datetime

    from bot.checkpoints import enqueue_due, plan

    settings = slack_settings(tmp_path / "r.db", mock_slack)
    server = await start_server(settings, advisor, mock_slack)
    try:
        service = server.service
        oid = await service.call(ask_advice, service, CAMERAS, "T1:D9:-", "T1:U9", "slack")
        cid = await service.call(
            plan, service.store, oid, "livegang", "Livegang", date(2027, 2, 1), "slack:T1:D9:-"
        )
        at = datetime(2027, 2, 1, 8, 0, tzinfo=UTC)
        dispatcher = server.runner.app[DISPATCHER_KEY]
        before = len(server.posts("D9"))
        assert await service.call(enqueue_due, service.store, advisor.knowledge, at) == 1
        await dispatcher.run_once(at)
        posts = await server.wait_posts("D9", before + 1)
        reminder = posts[-1]
        assert "IJkmoment: Livegang" in texts_of(reminder) and "DPIA" in texts_of(reminder)
        labels = [b["text"]["text"] for b in buttons(reminder)]
        assert labels == ["Opnieuw toetsen", "Verzetten", "Afgerond", "Stop herinneringen"]
        cp = await service.call(service.store.get_checkpoint, cid)
        assert cp is not None and cp.status == "verstuurd"
        # Another round: nothing again.
        assert await service.call(enqueue_due, service.store, advisor.knowledge, at) == 0
        await dispatcher.run_once(at)
        assert len(server.posts("D9")) == before + 1
        (done,) = [b for b in buttons(reminder) if b["text"]["text"] == "Afgerond"]
        await server.click(reminder, done, user="U9")
        await server.wait_posts("D9", before + 2)
        cp = await service.call(service.store.get_checkpoint, cid)
        assert cp is not None and cp.status == "afgerond"
    finally:
        await server.stop()
