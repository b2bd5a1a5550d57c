"""What the chat channels do for the advisor's workspace, before and after the engine's turn.

* An employee answers the advisor: the button under an advisor's reply, then the next message
  in that conversation goes to the triage's page, not to the engine.
* An advisor linked to their Slack or Teams id types ``beoordeel`` (``review``) for the newest
  items of the queue, with buttons that open the workspace, or ``meldingen hier``
  (``notifications here``) / ``meldingen uit`` in the channel where advisors want notifications.
* After a turn: a logged outcome or a hand-over that meets a trigger is notified.

Nothing here decides about ethics; it routes messages and keeps the bot's promises about the
human behind it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.notify import answer_trigger, enqueue_notifications, trigger_kind, triggers_of
from bot.review import ANSWER_CHOICE
from bot.storage import Store
from bot.storage.review import EMPLOYEE
from dialogs.engine import contact_left_out, is_command
from dialogs.models import Choice, Inbound, Outcome, Reply
from dialogs.texts import t
from knowledge.schema import Lang
from knowledge.text import clean

_REVIEW_WORDS = {"beoordeel", "review", "wachtrij", "queue"}
_NOTIFY_ON = {"meldingen hier", "notifications here"}
_NOTIFY_OFF = {"meldingen uit", "notifications off"}
QUEUE_ITEMS = 5


@dataclass(frozen=True)
class AdvisorChatConfig:
    """What the chat side needs from the configuration."""

    base_url: str
    notify_on: tuple[str, ...]
    slack_advisor_channel: str | None = None


def _norm(text: str | None) -> str:
    return " ".join(clean(text or "").text.lower().strip(" .!?/").split())


class AdvisorChat:
    """The advisor's side of the chat channels (runs on the service's worker thread)."""

    def __init__(self, store: Store, config: AdvisorChatConfig) -> None:
        self.store = store
        self.config = config
        self.on_enqueue: Callable[[], None] | None = None
        self._held = threading.local()  # .wakes: counted while a turn is in progress

    # -- before the engine ---------------------------------------------------------------------

    def intercept(self, msg: Inbound, lang: Lang) -> list[Reply] | None:
        """Replies when this message is for the advisor's side; None to let the engine run."""
        if msg.choice and msg.choice.startswith(ANSWER_CHOICE):
            return self._start_answer(msg, msg.choice.removeprefix(ANSWER_CHOICE), lang)
        if msg.text is not None:
            outcome_id = self.store.take_expected_answer(msg.key)
            # A command ("hulp", "stop", "opnieuw") is a command, not the answer.
            if outcome_id is not None and not is_command(msg.text):
                return self._record_answer(msg, outcome_id, lang)
        word = _norm(msg.text)
        if msg.channel in ("slack", "teams") and (
            word in _REVIEW_WORDS or word in _NOTIFY_ON or word in _NOTIFY_OFF
        ):
            return self._advisor_command(msg, word, lang)
        return None

    def _start_answer(self, msg: Inbound, outcome_id: str, lang: Lang) -> list[Reply]:
        row = self.store.review_row(outcome_id)
        # Only in the conversation the triage came from: nobody answers for someone else.
        if row is None or row["conversation"] != msg.key:
            return [Reply(text=t("stale_choice", lang), content={"kind": "stale"})]
        self.store.expect_answer(msg.key, outcome_id)
        return [Reply(text=t("answer_advisor_prompt", lang, id=outcome_id))]

    def _record_answer(self, msg: Inbound, outcome_id: str, lang: Lang) -> list[Reply]:
        text = clean(msg.text or "").text.strip()
        if not text:
            return [Reply(text=t("answer_advisor_empty", lang))]
        if self.store.review_row(outcome_id) is None:
            # Erased meanwhile (on request, or by retention): nothing left to answer about.
            return [Reply(text=t("stale_choice", lang), content={"kind": "stale"})]
        entry = self.store.add_entry(
            outcome_id, "bericht", EMPLOYEE, {"sender": "medewerker", "text": text}
        )
        self._notify(outcome_id, [answer_trigger(entry)])
        replies = [Reply(text=t("answer_advisor_sent", lang))]
        if contact_left_out(text):
            # Contact details were left out before this message was stored: say that the
            # advisor does not see them either, and how the answer comes.
            replies.append(Reply(text=t("answer_advisor_no_contact", lang)))
        return replies

    def _advisor_command(self, msg: Inbound, word: str, lang: Lang) -> list[Reply]:
        channel_user = msg.user.split(":", 1)[-1]
        advisor = self.store.advisor_by_channel_id(msg.channel, channel_user)
        if advisor is None:
            return [Reply(text=t("advisors_only", lang))]
        if word in _NOTIFY_ON:
            self.store.add_notify_target(msg.key, msg.channel)
            return [Reply(text=t("notify_here_on", lang))]
        if word in _NOTIFY_OFF:
            self.store.remove_notify_target(msg.key)
            return [Reply(text=t("notify_here_off", lang))]
        return [self.queue_reply(lang)]

    def queue_reply(self, lang: Lang) -> Reply:
        """The newest items of the queue: kenmerk, date, risk, status, signals, with buttons
        that open each in the workspace. No description: a channel may be read by others."""
        rows = self.store.queue(limit=QUEUE_ITEMS)
        base = self.config.base_url
        nl = lang == "nl"
        lines = ["**Nieuwste triages**" if nl else "**Newest triages**", ""]
        for r in rows:
            signals = ", ".join(r.signals) or "-"
            handed = (" · overgedragen" if nl else " · handed over") if r.handed_over else ""
            if r.waiting_since:
                handed += " · bericht wacht op antwoord" if nl else " · a message awaits an answer"
            lines.append(
                f"- `{r.id}` · {r.created_at[:10]} · {t('risk_' + r.risk_in_force, lang)} · "
                f"{r.status}{handed} · {signals}"
            )
        if not rows:
            lines.append("- " + ("nog geen triages" if nl else "no triages yet"))
        choices = [
            Choice(id=f"open:{r.id}", label=r.id, url=f"{base}/advisor/outcomes/{r.id}")
            for r in rows
        ]
        choices.append(
            Choice(
                id="open:queue",
                label="Open de werkplek" if nl else "Open the workspace",
                url=f"{base}/advisor/",
            )
        )
        return Reply(text="\n".join(lines), choices=choices, content={"kind": "advisor-queue"})

    # -- after the engine ----------------------------------------------------------------------

    def outcome_logged(self, outcome: Outcome, handed_over: bool) -> None:
        """Notify the advisors of an outcome that meets a configured trigger."""
        self._notify(outcome, triggers_of(outcome, handed_over))

    def _notify(self, about: Outcome | str, triggers: list[str]) -> None:
        """Notify the advisors' channels of the configured ``triggers`` about a triage (an
        outcome, or the id of a logged one)."""
        triggers = [x for x in triggers if trigger_kind(x) in self.config.notify_on]
        if not triggers:
            return
        if isinstance(about, str):
            record = self.store.get_outcome(about)
            if record is None:  # erased meanwhile
                return
            about = record.outcome
        targets = list(self.store.notify_targets())
        if self.config.slack_advisor_channel:
            targets.append((f"slack:-:{self.config.slack_advisor_channel}:-", "slack"))
        if targets and enqueue_notifications(
            self.store, about, triggers, targets, self.config.base_url
        ):
            self.wake()

    def wake(self) -> None:
        """Tell the dispatcher there is something to send (after the turn, inside one)."""
        if getattr(self._held, "wakes", None) is not None:
            self._held.wakes += 1
        elif self.on_enqueue is not None:
            self.on_enqueue()

    @contextlib.contextmanager
    def wakes_after(self) -> Iterator[None]:
        """Hold this thread's wakes until the block (a turn, committed at its end) is done:
        woken earlier, a dispatcher on PostgreSQL would look before the message is visible
        and wait for its next round."""
        self._held.wakes = 0
        try:
            yield
        finally:
            wakes, self._held.wakes = self._held.wakes, None
        if wakes:
            self.wake()
