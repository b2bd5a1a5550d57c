"""The conversation service: load state, run the engine, carry out its effects, save state.

Every channel adapter calls :meth:`ConversationService.handle` (or, in the server,
:meth:`~ConversationService.handle_async`); it is the only place where the pure engine meets
storage.

In the server, turns and storage calls run on worker threads ("lanes"), each taking its calls
in arrival order: the event loop stays free to acknowledge requests at once (Slack wants an
answer within three seconds) while the work is done. On SQLite there is one lane, so its one
connection is used by one thread at a time. On PostgreSQL there are several: while one turn
waits for the database, another conversation's turn runs. The calls for one conversation go
to one lane (:meth:`ConversationService.call_in`), so they keep their order.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from bot.advisor_chat import AdvisorChat, AdvisorChatConfig
from bot.checkpoint_chat import CheckpointChat
from bot.config import Settings
from bot.own_data import OwnData
from bot.privacy import notice, redact
from bot.review import reviewed_report
from bot.storage import Store
from bot.throttle import Limits, Throttle
from dialogs.engine import Engine, HandOver, LogOutcome, Policy, StartCheckpoints
from dialogs.models import MAX_INPUT_CHARS, ConversationState, Inbound, Reply
from dialogs.texts import pick
from knowledge import dictionary
from knowledge.schema import Lang
from knowledge.text import detect_language
from knowledge.triage import Advisor

if TYPE_CHECKING:
    from bot.advice_note import Format

P = ParamSpec("P")
R = TypeVar("R")

# Worker lanes on PostgreSQL: enough to keep a core busy while turns wait for the database
# (benchmarks/ha_bench.py), within the pool's connections (bot/storage/sql.py).
POSTGRES_LANES = 2


class ConversationService:
    """Runs one turn of a conversation against storage."""

    def __init__(
        self,
        engine: Engine,
        store: Store,
        advisor_chat: AdvisorChatConfig | None = None,
        throttle: Throttle | None = None,
    ) -> None:
        self.engine = engine
        self.store = store
        self.throttle = throttle
        self.advisor_chat = AdvisorChat(store, advisor_chat or AdvisorChatConfig("", ()))
        self.checkpoint_chat = CheckpointChat(store, lambda: self.engine)
        self.own_data = OwnData(store, engine.policy)
        # One lane for SQLite's one connection; on PostgreSQL each lane has its own.
        count = POSTGRES_LANES if store.db.dialect == "postgresql" else 1
        self._lanes = [
            ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"ethiekbot-turns-{i}")
            for i in range(count)
        ]
        self._spread = itertools.count()

    async def handle_async(self, msg: Inbound, now: datetime | None = None) -> list[Reply]:
        """:meth:`handle` on the conversation's lane, from the event loop."""
        return await self.call_in(msg.key, self.handle, msg, now)

    async def call(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run a storage (or other blocking) call on a worker thread."""
        lane = self._lanes[next(self._spread) % len(self._lanes)]
        return await asyncio.wrap_future(lane.submit(fn, *args, **kwargs))

    async def call_in(self, key: str, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run a call on the lane of ``key`` (a conversation): calls made for one key run one
        after another, in the order they were made."""
        lane = self._lanes[zlib.crc32(key.encode()) % len(self._lanes)]
        return await asyncio.wrap_future(lane.submit(fn, *args, **kwargs))

    async def call_aside(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """A short call that must not wait behind queued turns (the readiness probe, whose
        answer decides where the load balancer sends traffic): a thread of its own on
        PostgreSQL; on SQLite the one lane, which owns the connection."""
        if len(self._lanes) == 1:
            return await self.call(fn, *args, **kwargs)
        return await asyncio.to_thread(fn, *args, **kwargs)

    def close(self) -> None:
        """Finish queued work and close the database."""
        for lane in self._lanes:
            lane.shutdown(wait=True)
        self.store.close()

    @classmethod
    def from_settings(
        cls, settings: Settings, advisor: Advisor | None = None
    ) -> ConversationService:
        """Build the service from the configuration (loads the knowledge when not given)."""
        advisor = advisor or Advisor.load(local_dir=settings.knowledge_local)
        dictionary.prepare()  # the word dictionaries open now, not at the first question
        store = Store.open(settings.database, secret=settings.secret_bytes)
        # Advisors may also arrive by signing in (OIDC with an advisor group) or read a Slack
        # channel; otherwise one must be registered, and may be while the server runs.
        configured = bool(
            settings.slack_advisor_channel
            or (settings.oidc_enabled and settings.oidc_advisor_group)
        )
        policy = Policy(
            state_days=settings.state_days,
            outcome_days=settings.retention_days,
            controller=settings.controller,
            dpo_contact=settings.dpo_contact,
            staffed=lambda: configured or store.has_advisor_route(),
        )
        chat = AdvisorChatConfig(
            base_url=settings.base_url,
            notify_on=settings.notify_on,
            slack_advisor_channel=settings.slack_advisor_channel,
        )
        limits = Limits(
            turns_per_user=settings.limit_turns_per_user,
            turns_per_address=settings.limit_turns_per_address,
            new_per_user=settings.limit_new_per_user,
            new_per_address=settings.limit_new_per_address,
        )
        # Several instances share one PostgreSQL database: their limits are counted there.
        shared = store if store.db.dialect == "postgresql" else None
        return cls(Engine(advisor, policy), store, chat, Throttle(limits, shared))

    def advice_note(self, outcome_id: str, fmt: Format) -> bytes | None:
        """The advice note of a logged outcome (md, html or pdf), with the advisor's review and
        the retention in force; None for an unknown id. Blocking: call it via :meth:`call`."""
        from bot.advice_note import note_for

        return note_for(
            self.store,
            outcome_id,
            lambda: self.engine.advisor.knowledge,
            fmt,
            outcome_days=self.engine.policy.outcome_days,
        )

    def handle(self, msg: Inbound, now: datetime | None = None) -> list[Reply]:
        """Handle one inbound message and return the replies to send."""
        return self.respond(msg, now)[0]

    def respond(
        self, msg: Inbound, now: datetime | None = None, address: str | None = None
    ) -> tuple[list[Reply], Lang]:
        """Handle one inbound message: the replies, and the conversation's language after it.
        ``address`` is the client's network address where the channel knows it (web chat, which
        answers a refused turn with 429 and so is told every time)."""
        now = now or datetime.now(UTC)
        # The whole turn holds the conversation (PostgreSQL: across instances) and is
        # committed before its replies are returned for sending.
        with self.advisor_chat.wakes_after(), self.store.turn(msg.key):
            return self._turn(msg, now, address)

    def _turn(self, msg: Inbound, now: datetime, address: str | None) -> tuple[list[Reply], Lang]:
        state = self.store.load_state(msg.key)
        lang: Lang = state.lang if state else (msg.locale or "nl")
        if self.throttle is not None:
            wait = self.throttle.admit(f"{msg.channel}:{msg.user}", address, new=state is None)
            if wait is not None:
                return self._refused(msg, lang, wait, always=address is not None), lang
        # Personal data leave the message here, before the engine, storage, logs, reports or
        # notifications see it; the user is told what was left out.
        told: list[Reply] = []
        if msg.text and len(msg.text) > MAX_INPUT_CHARS + 1:
            # What the engine would cut anyway is cut first (one character over, so that it
            # still tells the user): redacting a megabyte would hold the worker for minutes.
            msg = msg.model_copy(update={"text": msg.text[: MAX_INPUT_CHARS + 1]})
        if msg.text:
            redacted = redact(msg.text)
            if redacted.changed:
                msg = msg.model_copy(update={"text": redacted.text})
                said = (
                    state.lang
                    if state and state.lang_fixed
                    else detect_language(redacted.text, lang)
                )
                told = [Reply(text=notice(redacted.kinds, said), content={"kind": "redacted"})]
        replies, lang = self._respond(msg, state, lang, now)
        return told + replies, lang

    def _refused(self, msg: Inbound, lang: Lang, wait: float, always: bool) -> list[Reply]:
        # Nothing is stored for a refused turn. In Slack or Teams the person is told once a
        # minute: a flood is not answered with a flood.
        assert self.throttle is not None
        if not always and not self.throttle.first_refusal(f"{msg.channel}:{msg.user}"):
            return []
        text = pick(
            lang,
            f"Je stuurt veel berichten kort na elkaar. Wacht ongeveer {wait:.0f} seconden en "
            "probeer het dan opnieuw; er is niets verloren gegaan.",
            f"You are sending many messages in a short time. Wait about {wait:.0f} seconds "
            "and try again; nothing was lost.",
        )
        return [Reply(text=text, content={"kind": "throttled", "retry_after": wait})]

    def _respond(
        self, msg: Inbound, state: ConversationState | None, lang: Lang, now: datetime
    ) -> tuple[list[Reply], Lang]:
        routed = self.own_data.intercept(msg, lang, now)
        if routed is not None:
            state = self.store.load_state(msg.key)  # erased, or as it was
            return routed, state.lang if state else lang
        routed = self.advisor_chat.intercept(msg, lang)
        if routed is None:
            routed = self.checkpoint_chat.intercept(msg, lang, now)
        if routed is not None:
            state = self.store.load_state(msg.key)  # a re-check may have started a new walk
            return routed, state.lang if state else lang
        # 96 random bits for a conversation this message may start (its outcome id).
        turn = self.engine.handle(
            msg.model_copy(update={"seed": secrets.token_hex(12)}), state, now
        )
        extra: list[Reply] = []
        for effect in turn.effects:
            if isinstance(effect, LogOutcome):
                self.store.log_outcome(effect.outcome, msg.channel, msg.user, now, msg.key)
                self.advisor_chat.outcome_logged(effect.outcome, handed_over=False)
                extra += self.checkpoint_chat.outcome_logged(effect.outcome)
            elif isinstance(effect, StartCheckpoints):
                lang = turn.state.lang if turn.state else lang
                extra += self.checkpoint_chat.start(msg, effect.outcome_id, lang, now)
            elif isinstance(effect, HandOver):
                # How the advisor reaches them: this conversation, never the raw user id.
                self.store.hand_over(effect.outcome_id, msg.key, now)
                record = self.store.get_outcome(effect.outcome_id)
                if record is not None:
                    self.advisor_chat.outcome_logged(record.outcome, handed_over=True)
        replies = [self._with_review(r) for r in turn.replies] + extra
        if turn.state is None:
            self.store.delete_state(msg.key)
            return replies, msg.locale or "nl"
        self.store.save_state(msg.key, turn.state, now)
        return replies, turn.state.lang

    def _with_review(self, reply: Reply) -> Reply:
        """A report shows the ethics advisor's corrections and messages, once there are any."""
        content = reply.content or {}
        outcome_id = content.get("outcome_id")
        if content.get("kind") != "report" or not outcome_id:
            return reply
        if not self.store.entries(outcome_id):
            return reply  # the engine's report, from the conversation as it is now
        report = reviewed_report(self.store, outcome_id, lambda: self.engine.advisor.knowledge)
        if report is None:
            return reply
        head = reply.text.split("\n\n", 1)[0]
        return reply.model_copy(
            update={"text": head + "\n\n" + report, "content": {**content, "markdown": report}}
        )
