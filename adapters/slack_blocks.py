"""Block Kit for the bot's messages in Slack, written as the JSON Slack reads.

Every turn renders its replies, so this path is built from plain dicts: slack_sdk's block
models validate every object on every ``to_dict()``, which cost about a fifth of a Slack turn.
What the validators checked is kept by construction here (a section's text at most
``SECTION_LIMIT`` characters, a button's label at most 75, at most 25 buttons and 50 blocks),
and the tests parse every kind of message back through slack_sdk's models and validators
(``tests/adapters/slack``). Rare views (App Home, the modal) stay on the models in
``adapters/slack.py``.
"""

from __future__ import annotations

import re
from typing import Any

from dialogs.markdown import to_plain, to_slack
from dialogs.models import Reply
from dialogs.render import folded_outcome
from knowledge.schema import Lang

Block = dict[str, Any]

# The outcome's "More details" button: its value is the outcome's id.
MORE_ACTION = "ethiek_more"
MORE_BLOCK = "ethiek_more"
MORE_LABEL: dict[Lang, str] = {"nl": "Meer details", "en": "More details"}
SECTION_LIMIT = 3000  # Block Kit's limit for a section's text
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
MAX_BUTTONS = 25
MAX_BLOCKS = 50
PRIVACY_LINE = (
    "🔒 Alleen je beschrijving en antwoorden worden bewaard; typ `privacy` voor details. · "
    "Only your description and answers are kept; type `privacy` for details."
)

# The verdict marks of dialogs.render as Slack emoji of the verdict's colour (mrkdwn has no
# colours); the verdict's word stays beside each, so the colour is never the only cue.
_SLACK_MARK = {"●": "🟢", "▲": "🔶", "■": "🟥", "○": "⚪"}
_VERDICT_LINE = re.compile(r"^• ([●▲■○]) (?=\*)", re.MULTILINE)


def section(mrkdwn: str) -> Block:
    """A section block with mrkdwn text (the caller keeps it within ``SECTION_LIMIT``)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def context(mrkdwn: str) -> Block:
    """A context block: one line of small mrkdwn text."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}


def header(text: str) -> Block:
    """A header block (plain text)."""
    return {"type": "header", "text": {"type": "plain_text", "text": text}}


def button(label: str, action_id: str, value: str, url: str | None = None) -> Block:
    """A button element; its label and value cut to Block Kit's 75 and 2,000 characters."""
    out: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": label[:BUTTON_LABEL_LIMIT], "emoji": True},
        "action_id": action_id,
        "value": value[:BUTTON_VALUE_LIMIT],
    }
    if url:
        out["url"] = url
    return out


def actions(block_id: str, buttons: list[Block]) -> Block:
    """An actions block with at most 25 buttons."""
    return {"type": "actions", "block_id": block_id, "elements": buttons[:MAX_BUTTONS]}


def chunks(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split mrkdwn into pieces under the section limit, at paragraph or line breaks."""
    out: list[str] = []
    current = ""
    for para in text.split("\n"):
        while len(para) > limit:  # a single enormous line: cut it
            out.append(para[:limit])
            para = para[limit:]
        candidate = f"{current}\n{para}" if current else para
        if len(candidate) > limit:
            out.append(current)
            current = para
        else:
            current = candidate
    if current.strip():
        out.append(current)
    return out or [" "]


def _card_mrkdwn(card: str) -> str:
    """The outcome's verdict card as mrkdwn, its verdict marks coloured."""
    return _VERDICT_LINE.sub(lambda m: f"• {_SLACK_MARK[m.group(1)]} ", to_slack(card))


def outcome_lang(content: dict[str, Any]) -> Lang:
    """The language an outcome reply was written in."""
    return "en" if (content.get("outcome") or {}).get("lang") == "en" else "nl"


def _folded(content: dict[str, Any]) -> bool:
    """Whether a reply is an outcome to fold, with the id "Meer details" names."""
    return folded_outcome(content) and bool((content.get("outcome") or {}).get("id"))


def _text_blocks(reply: Reply) -> list[Block]:
    """The reply's text as sections; an outcome as its verdict card, the "More details" button
    (which posts the sections, see :func:`details_blocks`) and the offer."""
    content = reply.content or {}
    if not _folded(content):
        return [section(chunk) for chunk in chunks(to_slack(reply.text))]
    blocks = [section(chunk) for chunk in chunks(_card_mrkdwn(content["card"]))]
    if content["sections"]:
        label = MORE_LABEL[outcome_lang(content)]
        value = str(content["outcome"]["id"])[:200]
        blocks.append(actions(MORE_BLOCK, [button(label, MORE_ACTION, value)]))
    offer = content.get("offer")
    if isinstance(offer, str) and offer:
        blocks.append(section(to_slack(offer)[:SECTION_LIMIT]))
    return blocks


def details_blocks(sections: list[dict[str, str]], lang: Lang) -> list[Block]:
    """The outcome's sections (the "More details"), each under its title, within Block Kit's
    limits (50 blocks; a section's text split at 3,000 characters)."""
    head = "Details van de uitkomst" if lang == "nl" else "Details of the outcome"
    blocks = [header(head)]
    for part in sections:
        text = f"*{to_slack(part['title'])}*\n{to_slack(part['markdown'])}"
        blocks.extend(section(c) for c in chunks(text))
    if len(blocks) > MAX_BLOCKS:
        cut = (
            "_… (ingekort; het rapport heeft alles)_"
            if lang == "nl"
            else "_… (shortened; the report has everything)_"
        )
        blocks = [*blocks[: MAX_BLOCKS - 1], section(cut)]
    return blocks


def blocks_for(reply: Reply) -> list[Block]:
    """A reply as Block Kit: sections, buttons for choices, a context line where useful.

    An outcome reads top-down: its verdict card, a "Meer details / More details" button that
    posts the details as a follow-up in the same conversation, the offer, then the choices."""
    blocks = _text_blocks(reply)
    if reply.choices:
        buttons = [
            button(c.label, f"ethiek_link_{i}" if c.url else f"ethiek_choice_{i}", c.id, c.url)
            for i, c in enumerate(reply.choices[:MAX_BUTTONS])
        ]
        blocks.append(actions("ethiek_choices", buttons))
    if (reply.content or {}).get("kind") in ("welcome", "outcome"):
        blocks.append(context(PRIVACY_LINE))
    return blocks


def fallback_text(reply: Reply) -> str:
    """The notification text Slack shows where blocks cannot be shown (escaped): the reply's
    first line with text, without markup."""
    first = next((line for line in reply.text.split("\n") if to_plain(line).strip()), "")
    plain = to_plain(first).strip()[:150]
    return plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") or "Ethiekbot"
