"""The conversation service: load state, run the engine, carry out its effects, save state.

Every channel adapter calls :meth:`ConversationService.handle`; it is the only place where the
pure engine meets storage.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import Settings
from bot.storage import Store
from dialogs.engine import Engine, HandOver, LogOutcome, Policy
from dialogs.models import Inbound, Reply
from knowledge.triage import Advisor


class ConversationService:
    """Runs one turn of a conversation against storage."""

    def __init__(self, engine: Engine, store: Store) -> None:
        self.engine = engine
        self.store = store

    @classmethod
    def from_settings(
        cls, settings: Settings, advisor: Advisor | None = None
    ) -> ConversationService:
        """Build the service from the configuration (loads the knowledge when not given)."""
        advisor = advisor or Advisor.load(local_dir=settings.knowledge_local)
        policy = Policy(state_days=settings.state_days, outcome_days=settings.retention_days)
        store = Store.open(settings.db_path, secret=settings.secret_bytes)
        return cls(Engine(advisor, policy), store)

    def handle(self, msg: Inbound, now: datetime | None = None) -> list[Reply]:
        """Handle one inbound message and return the replies to send."""
        now = now or datetime.now(UTC)
        state = self.store.load_state(msg.key)
        turn = self.engine.handle(msg, state, now)
        for effect in turn.effects:
            if isinstance(effect, LogOutcome):
                self.store.log_outcome(effect.outcome, msg.channel, msg.user, now)
            elif isinstance(effect, HandOver):
                self.store.hand_over(effect.outcome_id, f"{msg.channel}:{effect.user}", now)
        if turn.state is None:
            self.store.delete_state(msg.key)
        else:
            self.store.save_state(msg.key, turn.state, now)
        return turn.replies
