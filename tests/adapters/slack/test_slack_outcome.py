"""The outcome in Slack: the verdict card first, "Meer details" posts the sections after.

Requests go signed to our real server; what the bot posts is read back from the mock Web API
(see ``helpers.py``). Every acknowledgement is timed by ``SlackServer.post`` (under 3 s).
"""

from __future__ import annotations

from typing import Any

from adapters.slack_blocks import blocks_for, details_blocks
from dialogs.markdown import escape
from dialogs.models import Choice, Reply
from tests.adapters.slack.helpers import (
    SlackServer,
    buttons,
    more_button,
    option,
    texts_of,
)
from tests.adapters.slack.test_slack_e2e import DRONES, assert_valid_blocks, settle


async def _outcome(
    slack: SlackServer, channel: str = "D1", user: str = "U1"
) -> tuple[dict[str, Any], int]:
    """Describe the drones project in a DM and ask for only the advice: the outcome's post."""
    await slack.dm(DRONES, user=user, channel=channel)
    quick, seen = await slack.wait_prompt(channel, 0)
    advice = next(b for b in buttons(quick) if option(b) == "advice")
    await slack.click(quick, advice, user=user)
    return await slack.wait_prompt(channel, seen)


async def test_the_outcome_is_a_card_with_more_details_then_the_choices(
    slack: SlackServer,
) -> None:
    outcome, seen = await _outcome(slack)
    assert_valid_blocks(outcome["blocks"])
    kinds = [(b["type"], b.get("block_id")) for b in outcome["blocks"]]
    # Top-down: the card, "Meer details", the offer, the choices, the privacy line.
    more_at = kinds.index(("actions", "ethiek_more"))
    choices_at = kinds.index(("actions", "ethiek_choices"))
    assert all(k == "section" for k, _ in kinds[:more_at]) and more_at >= 1
    assert kinds[more_at + 1][0] == "section" and choices_at == more_at + 2
    card = "\n".join(b["text"]["text"] for b in outcome["blocks"][:more_at])
    assert card.startswith("*Uitkomst*")
    for step in ("Willen we het?", "Mag het?", "Kan het?"):
        assert f"*{step}*" in card
    # Each verdict: a coloured mark and its word.
    verdict_lines = [ln for ln in card.split("\n") if ln.startswith("• ") and "het?*" in ln]
    assert len(verdict_lines) == 3, card
    words = {"🟢": "groen", "🔶": "oranje", "🟥": "rood", "⚪": "onbekend"}
    for line in verdict_lines:
        mark = line.split(" ")[1]
        assert mark in words and words[mark] in line, line
    assert "Risico:" in card and "Eerste stap:" in card
    assert "Aanbevolen instrument" not in texts_of(outcome)  # folded away
    more = more_button(outcome)
    assert more is not None and more["text"]["text"] == "Meer details"
    record = slack.service.store.outcomes()[0]
    assert more["value"] == record.id
    assert "Wil je dit doorgeven" in outcome["blocks"][more_at + 1]["text"]["text"]

    # The click is acknowledged at once; the details follow in the same DM.
    ack = await slack.click(outcome, more)
    assert ack.status == 200
    posts = await slack.wait_posts("D1", seen + 1)
    details = posts[seen]
    assert details.get("thread_ts") is None
    assert_valid_blocks(details["blocks"])
    text = texts_of(details)
    assert details["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Details van de uitkomst"},
    }
    for title in ("*Waarom, per stap*", "*Instrument en aanspreekpunten*", "*Volgende stappen*"):
        assert title in text
    assert "Aanbevolen instrument" in text
    assert not buttons(details)
    # The button gives way to a note (no second post by a second click); the choices stay.
    [update] = await slack.mock.wait_for("chat.update", 1, ts=outcome["_ts"])
    assert more_button(update) is None
    assert "✔ Details hieronder" in texts_of(update)
    assert {option(b) for b in buttons(update)} >= {"report", "restart"}
    assert_valid_blocks(update["blocks"])


async def test_more_details_in_a_thread_go_to_that_thread(slack: SlackServer) -> None:
    _, ts = await slack.mention(f"<@U0BOT> {DRONES}", "C1")
    quick, seen = await slack.wait_prompt("C1", 0, thread_ts=ts)
    advice = next(b for b in buttons(quick) if option(b) == "advice")
    await slack.click(quick, advice)
    outcome, seen = await slack.wait_prompt("C1", seen, thread_ts=ts)
    more = more_button(outcome)
    assert more is not None
    # A colleague in the thread may open them too: they go where the card already is.
    await slack.click(outcome, more, user="U2")
    posts = await slack.wait_posts("C1", seen + 1, thread_ts=ts)
    assert "Volgende stappen" in texts_of(posts[seen])
    await settle(slack)
    assert slack.posts("C1") == []  # nothing outside the thread


async def test_choosing_on_the_outcome_keeps_more_details(slack: SlackServer) -> None:
    outcome, _ = await _outcome(slack)
    report = next(b for b in buttons(outcome) if option(b) == "report")
    await slack.click(outcome, report)
    [update] = await slack.mock.wait_for("chat.update", 1, ts=outcome["_ts"])
    assert not buttons(update)  # answered: the choices are gone
    assert more_button(update) is not None  # but the details can still be opened
    assert "✔ Rapport" in texts_of(update)


async def test_details_of_another_conversation_or_a_gone_outcome_are_not_posted(
    slack: SlackServer,
) -> None:
    outcome, _ = await _outcome(slack)
    more = more_button(outcome)
    assert more is not None
    # Someone else, elsewhere, with that outcome's id on a button of their own.
    elsewhere = {**outcome, "channel": "D2", "_ts": "1700009999.000001"}
    await slack.click(elsewhere, more, user="U9")
    [refused] = await slack.mock.wait_for("chat.postEphemeral", 1, channel="D2")
    assert refused["user"] == "U9" and "niet (meer) bewaard" in refused["text"]
    # The person's own outcome, after it was erased.
    slack.service.store.erase_outcomes_of("slack", "T1:U1")
    await slack.click(outcome, more)
    await slack.mock.wait_for("chat.postEphemeral", 1, channel="D1")
    await settle(slack)
    assert slack.posts("D2") == []
    assert not any("Details van de uitkomst" in texts_of(p) for p in slack.posts("D1"))


async def test_more_details_is_acknowledged_before_the_work(slack: SlackServer) -> None:
    outcome, seen = await _outcome(slack)
    more = more_button(outcome)
    assert more is not None
    slack.mock.delay("chat.postMessage", 3.5)  # a slow Slack: the post takes longer than 3 s
    ack = await slack.click(outcome, more)  # SlackServer.post fails an ack of 3 s or more
    assert ack.status == 200 and ack.elapsed < 1.0, ack.elapsed
    slack.mock.delay("chat.postMessage", 0.0)
    await slack.wait_posts("D1", seen + 1, timeout=8.0)


def test_outcome_blocks_escape_user_text_and_keep_within_limits() -> None:
    nasty = escape("<!channel> <@U123> **vet** & meer")
    card = (
        "**Uitkomst**\n\n**Oordeel per stap**\n"
        f"- ● **Willen we het?** groen: {nasty}\n"
        "- ○ **Mag het?** onbekend\n- ■ **Kan het?** rood\n\n"
        "_groen: geen bezwaar gezien_"
    )
    sections = [
        {"id": "values", "title": "Waarden en je antwoorden", "markdown": f"- {nasty}\n" * 400},
        *({"id": f"s{i}", "title": f"Deel {i}", "markdown": "tekst " * 100} for i in range(60)),
    ]
    reply = Reply(
        text="**Uitkomst**",
        choices=[Choice(id="n.1.report", label="Rapport")],
        content={
            "kind": "outcome",
            "outcome": {"id": "T-0123456789abcdef01234567", "lang": "nl"},
            "card": card,
            "sections": sections,
            "offer": "Wil je het rapport?",
        },
    )
    blocks = blocks_for(reply)
    assert_valid_blocks(blocks)
    shown = "\n".join(texts_of({"blocks": blocks}).split("\n")[1:])
    assert "&lt;!channel&gt; &lt;@U123&gt; **vet** &amp; meer" in shown
    assert "<!channel>" not in shown and "<@U123>" not in shown
    assert "• 🟢 *Willen we het?* groen" in shown
    assert "• ⚪ *Mag het?* onbekend" in shown and "• 🟥 *Kan het?* rood" in shown
    details = details_blocks(sections, "en")
    assert_valid_blocks(details)
    assert len(details) == 50 and "shortened" in details[-1]["text"]["text"]
    assert details[0]["text"]["text"] == "Details of the outcome"
    assert "<!channel>" not in texts_of({"blocks": details})
    # An outcome without a card (an older engine) is shown as its text, as before.
    plain = Reply(text="**Uitkomst**\n\nalles", content={"kind": "outcome"})
    assert [b["type"] for b in blocks_for(plain)] == ["section", "context"]


async def test_the_report_comes_with_the_advice_note_as_a_pdf(slack: SlackServer) -> None:
    # Issue 13: Slack uploads the PDF advice note into the conversation (files.uploadV2:
    # files.getUploadURLExternal, the bytes to the upload URL, files.completeUploadExternal).
    await slack.dm("Mogen we drones inzetten om weilanden te controleren?", user="U8", channel="D8")
    quick, seen = await slack.wait_prompt("D8", 0)
    advice = next(b for b in buttons(quick) if option(b) == "advice")
    await slack.click(quick, advice)
    outcome, seen = await slack.wait_prompt("D8", seen)
    report = next(b for b in buttons(outcome) if option(b) == "report")
    await slack.click(outcome, report)
    [done] = await slack.mock.wait_for("files.completeUploadExternal", 1)
    assert done["channel_id"] == "D8"
    [asked] = slack.mock.calls["files.getUploadURLExternal"]
    assert str(asked["filename"]).endswith(".pdf") and int(asked["length"]) > 1000
    [pdf] = slack.mock.uploads.values()
    assert pdf.startswith(b"%PDF-") and len(pdf) == int(asked["length"])
