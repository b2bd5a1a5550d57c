"""End to end: Slack requests into our real server, Web API calls out to a mock on loopback.

Every request is signed as Slack signs it and sent over HTTP to ``create_app``'s server; every
acknowledgement is timed (``SlackServer.post`` fails any that takes 3 s or more). What the bot
does after the acknowledgement is read back from the calls the mock Web API recorded.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from adapters.slack import home_view
from adapters.slack_blocks import blocks_for
from dialogs.models import Choice, Reply
from knowledge.triage import Advisor
from tests.adapters.slack.helpers import (
    SlackServer,
    buttons,
    next_ts,
    option,
    sign,
    start_server,
    texts_of,
)
from tests.adapters.slack.mock_slack import DM_CHANNEL, MockSlack

DRONES = "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?"
CAMERAS = "Mogen we camera's op het marktplein inzetten die de drukte meten?"

# Which button to press when walking the drietrap: the first of these the prompt offers.
PREFERENCE = ["walk", "geen-zorg", "ja", "next", "continue", "weet-niet", "skip"]


def assert_valid_blocks(blocks: list[dict[str, Any]]) -> None:
    """Block Kit as Slack accepts it: slack_sdk's models parse and validate every block."""
    assert 0 < len(blocks) <= 50
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, raw
        assert block.to_dict() == raw  # to_dict() runs slack_sdk's validators
        if raw["type"] == "section":
            assert 0 < len(raw["text"]["text"]) <= 3000
        for el in raw.get("elements", []):
            if el.get("type") == "button":
                assert len(el["text"]["text"]) <= 75
                assert len(el["value"]) <= 2000


async def settle(slack: SlackServer) -> None:
    """Let every request sent so far be processed: a DM elsewhere that is answered, then a
    short pause. Listeners run in arrival order on one event loop, so an event sent before this
    one had its chance to post by the time this one's reply arrives."""
    before = len(slack.posts("DSETTLE"))
    await slack.dm("hulp", user="USETTLE", channel="DSETTLE")
    await slack.wait_posts("DSETTLE", before + 1)
    await asyncio.sleep(0.2)


def not_settle(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in calls if c.get("channel") != "DSETTLE"]


# --- (a) a DM conversation, description to outcome, by buttons ----------------------------------


async def test_dm_conversation_from_description_to_outcome_by_buttons(slack: SlackServer) -> None:
    ack = await slack.dm(DRONES)
    assert ack.status == 200
    prompt, seen = await slack.wait_prompt("D1", 0)
    assert "Eerste indruk" in texts_of(prompt)

    clicks = 0
    while {option(b) for b in buttons(prompt)} != {"handover", "report", "checkpoints", "restart"}:
        assert clicks < 60, "the walk does not end"
        offered = {option(b): b for b in buttons(prompt)}
        pick = next(o for o in PREFERENCE if o in offered)
        button = offered[pick]
        assert (await slack.click(prompt, button)).status == 200
        clicks += 1
        # The answered message loses its buttons and shows what was chosen.
        updates = await slack.mock.wait_for("chat.update", 1, ts=prompt["_ts"], channel="D1")
        assert len(updates) == 1
        updated = updates[0]["blocks"]
        assert not [b for b in updated if b["type"] == "actions"]
        assert "✔ " + button["text"]["text"] in texts_of(updates[0])
        assert_valid_blocks(updated)
        prompt, seen = await slack.wait_prompt("D1", seen)

    assert clicks >= 10  # the whole drietrap, not a shortcut
    # The outcome reads top-down: the verdict card, "Meer details", the offer, the choices;
    # the details themselves come when asked for.
    outcome_text = texts_of(prompt)
    assert "*Uitkomst*" in outcome_text and "Oordeel per stap" in outcome_text
    assert "Aanbevolen instrument" not in outcome_text
    assert [b.get("block_id") for b in prompt["blocks"] if b["type"] == "actions"] == [
        "ethiek_more",
        "ethiek_choices",
    ]
    for post in slack.posts("D1"):
        assert_valid_blocks(post["blocks"])
        assert post["unfurl_links"] is False
    assert slack.mock.count("chat.update") == clicks
    # The Web API calls shared their connections instead of opening one each.
    calls = [params for _, params in slack.mock.log]
    assert len(calls) > 20 and len({c["_client_port"] for c in calls}) <= 3
    # The outcome was logged for the ethics advisor, complete.
    [record] = slack.service.store.outcomes()
    assert record.channel == "slack" and record.outcome.complete


# --- (b) mentions and threads -------------------------------------------------------------------


async def test_mention_starts_a_thread_conversation_and_threads_keep_their_own_state(
    slack: SlackServer,
) -> None:
    _, ts1 = await slack.mention(f"<@U0BOT> {DRONES}", "C1")
    quick1, n1 = await slack.wait_prompt("C1", 0, thread_ts=ts1)
    assert "Eerste indruk" in texts_of(quick1)
    started = slack.service.store.load_state(f"slack:T1:C1:{ts1}")
    assert started is not None and started.description == DRONES  # without the mention

    # A follow-up in the thread continues the conversation: "1" is the first option (walk).
    await slack.channel_message("1", "C1", thread_ts=ts1)
    first_question, n1 = await slack.wait_prompt("C1", n1, thread_ts=ts1)
    assert "Willen we het?" in texts_of(first_question)

    # Talk in the channel outside the thread, or in somebody else's thread, is not ours.
    await slack.channel_message("Wie heeft er zin in koffie vanmiddag?", "C1")
    await slack.channel_message("Ik neem thee mee voor iedereen", "C1", thread_ts="1111.000001")

    # A second mention in the same channel is a second conversation, in its own thread.
    _, ts2 = await slack.mention(f"<@U0BOT> {CAMERAS}", "C1", user="U2")
    quick2, n2 = await slack.wait_prompt("C1", 0, thread_ts=ts2)
    assert "Eerste indruk" in texts_of(quick2)
    await slack.channel_message("3", "C1", thread_ts=ts2, user="U2")  # only the advice
    outcome2, n2 = await slack.wait_prompt("C1", n2, thread_ts=ts2)
    assert "*Uitkomst*" in texts_of(outcome2)

    await settle(slack)
    assert slack.posts("C1") == []  # nothing outside the threads
    assert slack.posts("C1", "1111.000001") == []
    # Each mention got exactly one first impression: the message event that Slack sends along
    # with each app_mention did not start the conversation twice.
    assert sum("Eerste indruk" in texts_of(p) for p in slack.posts("C1", ts1)) == 1
    assert sum("Eerste indruk" in texts_of(p) for p in slack.posts("C1", ts2)) == 1
    store = slack.service.store
    state1 = store.load_state(f"slack:T1:C1:{ts1}")
    state2 = store.load_state(f"slack:T1:C1:{ts2}")
    assert state1 is not None and state1.step == "walk" and state1.description == DRONES
    assert state2 is not None and state2.step == "outcome" and state2.description == CAMERAS
    assert not any("*Uitkomst*" in texts_of(p) for p in slack.posts("C1", ts1))


async def test_follow_up_mentioning_a_colleague_continues_the_thread(slack: SlackServer) -> None:
    _, ts = await slack.mention(f"<@U0BOT> {DRONES}", "C1")
    _, n = await slack.wait_prompt("C1", 0, thread_ts=ts)
    await slack.channel_message("1", "C1", thread_ts=ts)
    _, n = await slack.wait_prompt("C1", n, thread_ts=ts)  # the first (open) question
    # An answer that mentions someone else is still an answer to the bot's question.
    await slack.channel_message("Dat weet <@U999> beter, die vraag ik het", "C1", thread_ts=ts)
    await slack.wait_prompt("C1", n, thread_ts=ts)
    state = slack.service.store.load_state(f"slack:T1:C1:{ts}")
    assert state is not None and state.position == 1


# --- (c) the /ethiek command and its modal ------------------------------------------------------


async def test_command_with_text_opens_a_dm_conversation(slack: SlackServer) -> None:
    ack = await slack.command(f"{DRONES} (R&amp;D)", user="U7")  # Slack sends & as &amp;
    assert ack.status == 200
    assert "direct bericht" in ack.body  # shown to the user, only to them
    [opened] = await slack.mock.wait_for("conversations.open")
    assert opened["users"] == "U7"
    [quick] = await slack.wait_posts(DM_CHANNEL, 1)
    assert "Eerste indruk" in texts_of(quick) and buttons(quick)
    state = slack.service.store.load_state(f"slack:T1:{DM_CHANNEL}:-")
    assert state is not None and state.description == f"{DRONES} (R&D)"


async def test_command_without_text_opens_the_modal_and_its_submission_starts_a_dm(
    slack: SlackServer,
) -> None:
    ack = await slack.command("  ", user="U8")
    assert ack.status == 200 and ack.body == ""
    [opened] = await slack.mock.wait_for("views.open")
    view = opened["view"]
    assert opened["trigger_id"].startswith("trigger.")
    assert view["type"] == "modal" and view["callback_id"] == "ethiek_describe"
    View(**view).validate_json()
    [input_block] = [b for b in view["blocks"] if b["type"] == "input"]
    assert input_block["block_id"] == "describe"
    assert input_block["element"]["action_id"] == "text"
    assert slack.mock.count("conversations.open") == 0

    # An empty submission keeps the modal open with an error on the field.
    ack = await slack.submit_description("   ", user="U8")
    assert ack.status == 200
    body = ack.json()
    assert body["response_action"] == "errors" and body["errors"]["describe"]

    ack = await slack.submit_description(CAMERAS, user="U8")
    assert ack.status == 200 and ack.body == ""
    [opened_dm] = await slack.mock.wait_for("conversations.open")
    assert opened_dm["users"] == "U8"
    [quick] = await slack.wait_posts(DM_CHANNEL, 1)
    assert "Eerste indruk" in texts_of(quick)
    await settle(slack)
    assert slack.mock.count("conversations.open") == 1  # the empty submission opened nothing


# --- (d) retries are processed once -------------------------------------------------------------


async def test_retried_event_is_acknowledged_but_processed_once_also_after_a_restart(
    slack: SlackServer, advisor: Advisor, mock_slack: MockSlack
) -> None:
    assert (await slack.dm(DRONES, event_id="EvRETRY0001")).status == 200
    await slack.wait_posts("D1", 1)
    ack = await slack.dm(DRONES, event_id="EvRETRY0001", retry_num=1)
    assert ack.status == 200
    await settle(slack)
    assert len(slack.posts("D1")) == 1

    # A new process on the same database still knows the event.
    await slack.stop()
    again = await start_server(slack.settings, advisor, mock_slack)
    try:
        assert (await again.dm(DRONES, event_id="EvRETRY0001", retry_num=2)).status == 200
        await settle(again)
        assert len(again.posts("D1")) == 1
        # ... and carries on with the conversation it had.
        await again.dm("3", event_id="EvRETRY0002")  # only the advice
        posts = await again.wait_posts("D1", 2)
        assert "*Uitkomst*" in texts_of(posts[1])
    finally:
        await again.stop()


# --- (e) signatures -----------------------------------------------------------------------------


async def test_forged_missing_and_stale_signatures_are_refused(slack: SlackServer) -> None:
    event = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T1",
            "event_id": "EvFORGED01",
            "event": {
                "type": "message",
                "channel": "D1",
                "user": "U1",
                "text": DRONES,
                "ts": next_ts(),
                "channel_type": "im",
            },
        }
    )
    forged = sign(event, secret="not-the-signing-secret")
    stale_ts = int(time.time()) - 6 * 60
    attempts = [
        await slack.post(event, "application/json", signed=False, headers=forged),
        await slack.post(event, "application/json", signed=False),
        await slack.post(event, "application/json", timestamp=stale_ts),
        # a valid signature over another body
        await slack.post(
            event.replace("D1", "D2"), "application/json", signed=False, headers=sign(event)
        ),
        await slack.post(
            "command=%2Fethiek&text=hallo+daar+allemaal&user_id=U1&team_id=T1&trigger_id=x",
            "application/x-www-form-urlencoded",
            signed=False,
            headers=forged,
        ),
    ]
    assert [a.status for a in attempts] == [401] * len(attempts)
    await asyncio.sleep(0.3)
    assert slack.mock.log == []  # not even auth.test
    assert slack.service.store.load_state("slack:T1:D1:-") is None
    # The event id of a refused request is not burnt: the real delivery is processed.
    assert (await slack.post(event, "application/json")).status == 200
    await slack.wait_posts("D1", 1)


async def test_url_verification_answers_the_challenge(slack: SlackServer) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "x"})
    ack = await slack.post(body, "application/json")
    assert ack.status == 200 and ack.json() == {"challenge": "c-123"}


# --- (f) rate limits ----------------------------------------------------------------------------


async def test_rate_limited_post_is_retried_and_delivered_once(slack: SlackServer) -> None:
    await settle(slack)  # auth.test and the first settle reply happen before the limit
    slack.mock.rate_limit("chat.postMessage", 1)
    await slack.dm(DRONES)
    [post] = await slack.wait_posts("D1", 1, timeout=6.0)
    [refused] = slack.mock.rate_limited["chat.postMessage"]
    assert refused["channel"] == "D1"
    assert refused["text"] == post["text"] and refused["blocks"] == post["blocks"]
    await settle(slack)
    assert len(slack.posts("D1")) == 1


# --- (g) App Home -------------------------------------------------------------------------------


async def test_app_home_lists_the_users_own_triages_only(slack: SlackServer) -> None:
    async def finish(user: str, channel: str, text: str) -> str:
        await slack.dm(text, user=user, channel=channel)
        quick, n = await slack.wait_prompt(channel, 0)
        advice = next(b for b in buttons(quick) if option(b) == "advice")
        await slack.click(quick, advice, user=user)
        await slack.wait_prompt(channel, n)
        state = slack.service.store.load_state(f"slack:T1:{channel}:-")
        assert state is not None and state.outcome_id
        return state.outcome_id

    mine_id = await finish("U1", "D1", DRONES)
    theirs_id = await finish("U2", "D2", CAMERAS)
    assert {r.id for r in slack.service.store.outcomes()} == {mine_id, theirs_id}

    async def home(user: str) -> dict[str, Any]:
        event = {"type": "app_home_opened", "user": user, "channel": "D9", "tab": "home"}
        assert (await slack.event({**event, "event_ts": next_ts()})).status == 200
        [call] = await slack.mock.wait_for("views.publish", user_id=user)
        assert call["view"]["type"] == "home"
        View(**call["view"]).validate_json()
        return call

    mine = texts_of(await home("U1"))
    assert mine_id in mine and theirs_id not in mine
    theirs = texts_of(await home("U2"))
    assert theirs_id in theirs and mine_id not in theirs
    nobody = texts_of(await home("U3"))
    assert "Nog geen" in nobody and mine_id not in nobody and theirs_id not in nobody
    # The privacy statement, with the retention in force and the rights (issue 11).
    policy = slack.service.engine.policy
    assert "Wat ik bewaar en waarom" in nobody
    assert f"{policy.outcome_days} dagen" in nobody and "wis mijn gegevens" in nobody

    # The Messages tab is not the Home tab.
    await slack.event(
        {
            "type": "app_home_opened",
            "user": "U4",
            "channel": "D9",
            "tab": "messages",
            "event_ts": next_ts(),
        }
    )
    await settle(slack)
    assert slack.mock.count("views.publish") == 3


# --- (h) escaping -------------------------------------------------------------------------------


async def test_user_text_is_escaped_in_every_message(slack: SlackServer) -> None:
    # As Slack delivers it: @channel and a user mention as control sequences, & as &amp;.
    typed = "<!channel> <@U999> &amp; **x**"
    await slack.dm(f"{typed} Mogen we drones inzetten om weilanden te controleren?")
    _, n = await slack.wait_prompt("D1", 0)
    await slack.dm("samenvatting")
    _, n = await slack.wait_prompt("D1", n)
    posts = slack.posts("D1")
    summary = [p for p in posts if "&lt;!channel&gt;" in texts_of(p)]
    assert summary, "the summary repeats the description"
    assert "&lt;@U999&gt; &amp; **x**" in texts_of(summary[0])
    for post in posts:
        for text in (post["text"], texts_of(post)):
            assert "<!channel>" not in text and "<@U999>" not in text
            assert "&amp;amp;" not in text  # Slack's own escaping was not escaped twice
            assert "*x*" not in text.replace("**x**", "")  # the user's ** is not bold


# --- (i) bots, our own messages and edits are ignored -------------------------------------------


async def test_bot_messages_own_messages_and_edits_are_ignored(slack: SlackServer) -> None:
    await slack.dm(DRONES, extra={"bot_id": "B0BOT", "user": "U0BOT"})  # our own
    await slack.dm(DRONES, extra={"bot_id": "B999", "subtype": "bot_message"})  # another bot
    await slack.dm(DRONES, extra={"bot_profile": {"id": "B998"}, "bot_id": "B998"})
    await slack.dm(
        DRONES,
        extra={
            "subtype": "message_changed",
            "message": {"type": "message", "user": "U1", "text": DRONES, "ts": next_ts()},
        },
    )
    await slack.event(
        {
            "type": "app_mention",
            "channel": "C1",
            "user": "U5",
            "bot_id": "B999",
            "text": f"<@U0BOT> {DRONES}",
            "ts": next_ts(),
        }
    )
    await settle(slack)
    assert not_settle(slack.mock.calls["chat.postMessage"]) == []
    assert slack.service.store.load_state("slack:T1:D1:-") is None


# --- (j) a stale button -------------------------------------------------------------------------


async def test_stale_button_gets_an_ephemeral_reply(slack: SlackServer) -> None:
    await slack.dm(DRONES)
    quick, n = await slack.wait_prompt("D1", 0)
    await slack.dm("opnieuw")
    await slack.wait_posts("D1", n + 1)  # "are you sure?"
    await slack.dm("ja")
    await slack.wait_posts("D1", n + 3)  # restarted + welcome
    walk = next(b for b in buttons(quick) if option(b) == "walk")
    assert (await slack.click(quick, walk)).status == 200
    [ephemeral] = await slack.mock.wait_for("chat.postEphemeral")
    assert ephemeral["channel"] == "D1" and ephemeral["user"] == "U1"
    assert "eerder moment" in texts_of(ephemeral)
    await settle(slack)
    assert slack.mock.count("chat.update") == 0  # the stale message keeps what it showed
    state = slack.service.store.load_state("slack:T1:D1:-")
    assert state is not None and state.step == "describe"


# --- (k) acknowledgement within three seconds ---------------------------------------------------


async def test_every_request_is_acknowledged_within_three_seconds(slack: SlackServer) -> None:
    await slack.dm(DRONES, user="U99", channel="D99")
    quick, _ = await slack.wait_prompt("D99", 0)
    # Slow Slack: every Web API call the work needs takes longer than Slack waits for an ack.
    slow = ("chat.postMessage", "conversations.open", "views.open")
    for method in slow:
        slack.mock.delay(method, 3.1)
    start = len(slack.acks)
    events = [slack.dm(DRONES, user=f"U{i}", channel=f"D{i}") for i in range(100, 120)]
    commands = [slack.command(DRONES, user="U200"), slack.command("", user="U201")]
    click = slack.click(quick, buttons(quick)[1], user="U99")
    acks = await asyncio.gather(*events, *commands, click)
    assert [a.status for a in acks] == [200] * len(acks)
    measured = [a.elapsed for a in slack.acks[start:]]
    assert len(measured) == 23 and max(measured) < 3.0, measured
    for method in slow:  # calls made from now on are answered at once
        slack.mock.delay(method, 0.0)
    # The work still happened, after the acknowledgements.
    await slack.mock.wait_for("views.open", timeout=6.0)
    await slack.mock.wait_for("conversations.open", timeout=6.0)
    for i in range(100, 120):
        await slack.wait_posts(f"D{i}", 1, timeout=6.0)
    await slack.wait_posts(DM_CHANNEL, 1, timeout=6.0)  # the /ethiek conversation
    await slack.wait_posts("D99", 2, timeout=6.0)  # the click's outcome
    await slack.mock.wait_for("chat.update", timeout=6.0)


# --- Block Kit limits ---------------------------------------------------------------------------


def test_long_replies_stay_within_block_kit_limits() -> None:
    long_line = "Een heel lange regel zonder einde " * 200  # ~6,800 characters, one line
    paragraphs = "\n\n".join(f"**Alinea {i}** " + "tekst & <meer> " * 60 for i in range(30))
    reply = Reply(
        text=long_line + "\n\n" + paragraphs,
        choices=[Choice(id=f"n.1.opt{i}" + "x" * 150, label="Een knop " * 20) for i in range(3)],
        content={"kind": "outcome"},
    )
    blocks = blocks_for(reply)
    assert_valid_blocks(blocks)
    sections = [b for b in blocks if b["type"] == "section"]
    assert len(sections) >= 5
    joined = "".join(s["text"]["text"] for s in sections)
    assert joined.count("Alinea") == 30  # nothing was lost between the pieces
    assert "&lt;meer&gt;" in joined and "<meer>" not in joined

    home = home_view([], "nl")
    home.validate_json()


def test_block_kit_of_a_real_outcome_and_report(advisor: Advisor, tmp_path: Any) -> None:
    from bot.config import Settings
    from bot.service import ConversationService
    from dialogs.models import Inbound

    service = ConversationService.from_settings(Settings(db_path=tmp_path / "b.db"), advisor)
    try:

        def turn(text: str | None = None, choice: str | None = None) -> list[Reply]:
            msg = Inbound(
                channel="slack", conversation="T1:D1:-", user="T1:U1", text=text, choice=choice
            )
            return service.handle(msg)

        quick = turn(DRONES * 40)  # a long description
        outcome = turn(choice=next(c.id for c in quick[-1].choices if c.id.endswith("advice")))
        report = turn(choice=next(c.id for c in outcome[-1].choices if c.id.endswith("report")))
        for reply in [*quick, *outcome, *report]:
            assert_valid_blocks(blocks_for(reply))
    finally:
        service.store.close()
