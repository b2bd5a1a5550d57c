"""Every card a real conversation produces passes Microsoft's own Adaptive Cards library.

The ``adaptivecards`` package (the renderer Web Chat uses, installed by ``make node``) parses
each card with a serialisation context targeting version 1.5 and validates its properties.
No npm package ships the 1.5 JSON schema, so this, beside our strict subset schema in
test_protocol.py, is the check against Microsoft's own reading of 1.5.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.teams import cards_for
from bot.service import ConversationService
from bot.storage import Store
from dialogs.engine import Engine
from dialogs.markdown import escape
from dialogs.models import Inbound, Reply
from knowledge.triage import Advisor
from tests.conftest import REPO_ROOT

VALIDATOR = REPO_ROOT / "tests" / "webchat" / "validate-cards.js"
LIBRARY = REPO_ROOT / "tests" / "webchat" / "node_modules" / "adaptivecards" / "dist"


def validate(cards: list[dict[str, Any]]) -> list[list[str]]:
    """Microsoft's messages per card (empty list: valid)."""
    node = shutil.which("node")
    assert node, "node is missing: `make node` installs what these tests need"
    assert LIBRARY.is_dir(), f"{LIBRARY} missing: run `make node`"
    done = subprocess.run(
        [node, str(VALIDATOR)],
        input=json.dumps(cards),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: list[list[str]] = json.loads(done.stdout)
    assert len(result) == len(cards)
    return result


def conversation_replies(advisor: Advisor, tmp_path: Path) -> list[Reply]:
    """Every reply of a whole conversation, from welcome to report, in both languages."""
    store = Store.open(tmp_path / "cards.db", secret=b"cards")
    service = ConversationService(Engine(advisor), store)
    replies: list[Reply] = []
    now = datetime(2026, 11, 22, tzinfo=UTC)

    def say(text: str | None = None, choice: str | None = None) -> list[Reply]:
        msg = Inbound(channel="teams", conversation="c1", user="u1", text=text, choice=choice)
        out = service.handle(msg, now)
        replies.extend(out)
        return out

    say(None)
    say("Mogen we drones en camera's inzetten boven weilanden? " + escape("<b>**x**</b> | a |"))
    step = say("1")
    for _ in range(40):  # answer every prompt of the walk with its first choice or text
        last = step[-1]
        if (last.content or {}).get("kind") == "outcome":
            break
        step = say(choice=last.choices[0].id) if last.choices else say("Een antwoord.")
    say("2")  # the report
    say("samenvatting")
    say("privacy")
    say("english")
    say("waarom?")
    service.close()
    return replies


def test_every_card_of_a_conversation_is_valid_1_5(advisor: Advisor, tmp_path: Path) -> None:
    replies = conversation_replies(advisor, tmp_path)
    kinds = {(r.content or {}).get("kind") for r in replies}
    assert {"welcome", "quick-take", "value", "mag-result", "outcome", "report"} <= kinds
    cards = [card for r in replies for card in cards_for(r)]
    assert len(cards) >= 20
    problems = {i: msgs for i, msgs in enumerate(validate(cards)) if msgs}
    assert problems == {}, {i: (msgs, cards[i]["body"][:1]) for i, msgs in problems.items()}


def test_the_check_can_fail() -> None:
    good = cards_for(Reply(text="**ok**"))[0]
    bad = {
        **good,
        "body": [{"type": "Nope"}, {"type": "TextBlock", "text": "t", "weight": "Heavy"}],
    }
    ok, wrong = validate([good, bad])
    assert ok == []
    assert any("Nope" in m for m in wrong) and any("weight" in m for m in wrong)


@pytest.mark.parametrize("size", [10_000, 60_000])
def test_long_replies_split_into_valid_cards(size: int) -> None:
    text = "\n".join(f"- regel {i}: " + "tekst " * 12 for i in range(size // 80))
    cards = cards_for(Reply(text=text))
    assert all(msgs == [] for msgs in validate(cards))
