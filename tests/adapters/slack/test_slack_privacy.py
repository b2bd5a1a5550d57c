"""Privacy through the real Slack path (signed requests, the mock Web API): personal data in a
DM are left out before anything is stored, the person is told, and 'mijn gegevens' /
'wis mijn gegevens' work in a DM."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.adapters.slack.helpers import SlackServer, texts_of

SECRET_BITS = ("06-12345678", "111222333", "jan.devries@example.nl", "Jan de Vries")


def _db_bytes(slack: SlackServer) -> bytes:
    db = Path(slack.settings.db_path)
    return b"".join(f.read_bytes() for f in db.parent.iterdir() if f.name.startswith(db.name))


async def test_personal_data_in_a_dm_are_left_out_and_the_user_is_told(slack: SlackServer) -> None:
    text = (
        "Mijn collega Jan de Vries (06-12345678, jan.devries@example.nl) wil camera's op het "
        "marktplein; BSN 111222333 staat in de melding."
    )
    assert (await slack.dm(text)).status == 200
    first, _ = await slack.wait_prompt("D1", 0)
    told = "\n".join(texts_of(p) for p in slack.posts("D1"))
    assert "weggelaten" in told and "niet nodig" in told
    assert "Eerste indruk" in texts_of(first) or "Eerste indruk" in told
    for bit in SECRET_BITS:
        assert bit not in told, bit
        assert bit.encode() not in _db_bytes(slack), bit


async def test_my_data_and_its_erasure_in_a_dm(slack: SlackServer) -> None:
    await slack.dm("Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?")
    await slack.wait_prompt("D1", 0)
    await slack.dm("mijn gegevens")
    assert "weilanden" in await _next_text(slack, "Wat ik over jou bewaar")
    # ... and as a file, like the web chat's download (only in a direct message).
    [done] = await slack.mock.wait_for("files.completeUploadExternal", 1)
    assert done["channel_id"] == "D1"
    [data] = slack.mock.uploads.values()
    kept = json.loads(data)
    assert "weilanden" in json.dumps(kept, ensure_ascii=False)
    assert kept["conversation"]["description"].startswith("Mogen we drones")
    await slack.dm("wis mijn gegevens")
    await _next_text(slack, "Weet je het zeker?")
    await slack.dm("ja")
    assert "Gewist" in await _next_text(slack, "Gewist")
    assert slack.service.store.outcomes() == []


async def _next_text(slack: SlackServer, needle: str, timeout: float = 5.0) -> str:
    """The newest post in the DM that contains ``needle``, waiting for it."""
    for _ in range(int(timeout / 0.02)):
        hit = next((t for t in map(texts_of, reversed(slack.posts("D1"))) if needle in t), None)
        if hit is not None:
            return hit
        await asyncio.sleep(0.02)
    raise AssertionError(
        f"no post with {needle!r}: {[texts_of(p)[:60] for p in slack.posts('D1')]}"
    )
