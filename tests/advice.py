"""Helpers for tests that need logged triages: real conversations through the real service."""

from __future__ import annotations

from datetime import datetime

from bot.service import ConversationService
from dialogs.models import Inbound


def ask_advice(
    service: ConversationService,
    text: str,
    conversation: str = "c1",
    user: str = "u1",
    channel: str = "web",
    now: datetime | None = None,
    hand_over: bool = False,
) -> str:
    """Describe a project and choose "Alleen het advies" (and optionally hand it over);
    returns the logged outcome's id."""
    service.handle(Inbound(channel=channel, conversation=conversation, user=user, text=text), now)
    state = service.store.load_state(f"{channel}:{conversation}")
    assert state is not None
    choice = f"{state.nonce}.{state.prompt_seq}.advice"
    service.handle(
        Inbound(channel=channel, conversation=conversation, user=user, choice=choice), now
    )
    state = service.store.load_state(f"{channel}:{conversation}")
    assert state is not None and state.outcome_id
    if hand_over:
        choice = f"{state.nonce}.{state.prompt_seq}.handover"
        service.handle(
            Inbound(channel=channel, conversation=conversation, user=user, choice=choice), now
        )
        record = service.store.get_outcome(state.outcome_id)
        assert record is not None and record.handed_over, "the hand-over choice did not work"
    return state.outcome_id
