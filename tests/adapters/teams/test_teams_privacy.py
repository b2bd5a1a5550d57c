"""Privacy through the real Teams path (botbuilder's CloudAdapter, the mock connector):
personal data in a message are left out before anything is stored, and 'mijn gegevens' /
'wis mijn gegevens' work in a personal chat."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.teams.helpers import MockConnector, TeamsServer
from tests.adapters.teams.test_protocol import Conversation

SECRET_BITS = ("06-12345678", "111222333", "jan.devries@example.nl", "Jan de Vries")


def _db_bytes(teams: TeamsServer) -> bytes:
    db = Path(teams.settings.db_path)
    return b"".join(f.read_bytes() for f in db.parent.iterdir() if f.name.startswith(db.name))


async def test_personal_data_are_left_out_and_the_user_is_told(
    teams: TeamsServer, connector: MockConnector
) -> None:
    conv = Conversation(teams, connector)
    sent = await conv.say(
        "Mijn collega Jan de Vries (06-12345678, jan.devries@example.nl) wil camera's op het "
        "marktplein; BSN 111222333 staat in de melding."
    )
    text = "\n".join(s.text for s in sent)
    assert "weggelaten" in text and "Eerste indruk" in text
    for bit in SECRET_BITS:
        assert bit not in text, bit
        assert bit.encode() not in _db_bytes(teams), bit


async def test_my_data_and_its_erasure(teams: TeamsServer, connector: MockConnector) -> None:
    conv = Conversation(teams, connector)
    quick = await conv.say(
        "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?"
    )
    await conv.click(quick, "Alleen het advies")
    assert len(teams.service.store.outcomes()) == 1
    shown = "\n".join(s.text for s in await conv.say("mijn gegevens"))
    assert "Wat ik over jou bewaar" in shown and "Uitkomsten (1)" in shown
    assert "Weet je het zeker?" in "\n".join(s.text for s in await conv.say("wis mijn gegevens"))
    done = "\n".join(s.text for s in await conv.say("ja"))
    assert "Gewist" in done
    assert teams.service.store.outcomes() == []
    assert teams.service.store.load_state(conv.key) is None
