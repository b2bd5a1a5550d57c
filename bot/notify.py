"""Notifications to the advisors: which triages call for one, and what it says.

A triage with high risk, an AI Act prohibited or high-risk signal, or a hand-over notifies the
advisors, and so does an employee's answer to an advisor's message (each answer once), in their
channel(s): the advisors' Slack channel from the configuration and every conversation
registered with ``meldingen hier``. The message holds the kenmerk, the risk, the
signals and a link to the workspace; never personal data or the description. Each triage and
trigger is notified once per channel, also across restarts (the outbox's unique key).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.storage import Store
from dialogs.models import Choice, Outcome, Reply
from dialogs.texts import t

TRIGGERS = ("hoog", "ai-prohibited", "ai-high-risk", "overdracht", "antwoord")

_TRIGGER_TEXT = {
    "hoog": ("hoog risico", "high risk"),
    "ai-prohibited": ("AI-verordening: mogelijk verboden praktijk", "AI Act: possibly prohibited"),
    "ai-high-risk": ("AI-verordening: mogelijk hoog risico", "AI Act: possibly high-risk"),
    "overdracht": ("doorgegeven aan de ethiekadviseur", "handed over to the ethics advisor"),
    "antwoord": ("de medewerker antwoordde", "the employee answered"),
}


def answer_trigger(entry: int) -> str:
    """The trigger of an employee's answer: one per message, so each answer notifies once."""
    return f"antwoord:{entry}"


def trigger_kind(trigger: str) -> str:
    """The kind of a trigger ("antwoord" for "antwoord:12"), as ``ETHIEKBOT_NOTIFY_ON`` names it."""
    return trigger.partition(":")[0]


def triggers_of(outcome: Outcome, handed_over: bool) -> list[str]:
    """The triggers this outcome meets."""
    signals = outcome.signal_ids()
    out = []
    if outcome.risk == "hoog":
        out.append("hoog")
    out += [s for s in ("ai-prohibited", "ai-high-risk") if s in signals]
    if handed_over:
        out.append("overdracht")
    return out


def notification(outcome: Outcome, triggers: list[str], workspace_url: str) -> Reply:
    """The message for the advisors (in Dutch: advisors work in Dutch; English follows)."""
    nl = "; ".join(_TRIGGER_TEXT[trigger_kind(x)][0] for x in triggers)
    en = "; ".join(_TRIGGER_TEXT[trigger_kind(x)][1] for x in triggers)
    signals = ", ".join(outcome.signal_ids()) or "-"
    risk = t("risk_" + outcome.risk, "nl")
    text = (
        f"**Melding voor de ethiekadviseurs** · _Notification for the ethics advisors_\n\n"
        f"- Kenmerk: `{outcome.id}`\n"
        f"- Aanleiding / trigger: {nl} · _{en}_\n"
        f"- Risico: {risk}\n"
        f"- Signalen / signals: {signals}\n\n"
        f"Bekijk in de werkplek / open in the workspace: {workspace_url}"
    )
    return Reply(
        text=text,
        choices=[Choice(id="open:" + outcome.id, label="Bekijk / open", url=workspace_url)],
        content={"kind": "notification", "outcome_id": outcome.id, "url": workspace_url},
    )


def enqueue_notifications(
    store: Store,
    outcome: Outcome,
    triggers: Iterable[str],
    targets: Iterable[tuple[str, str]],
    base_url: str,
) -> int:
    """Put one notification per (target, channel) in the outbox for the triggers not notified
    there before (one message naming all of them); returns how many messages are new.

    Which triggers are new is decided by a unique insert per triage, trigger and target,
    in the same transaction as the message: never twice, also with several instances."""
    url = f"{base_url.rstrip('/')}/advisor/outcomes/{outcome.id}"
    known = {x for x in triggers if trigger_kind(x) in TRIGGERS}
    wanted = sorted(known, key=lambda x: TRIGGERS.index(trigger_kind(x)))
    added = 0
    for target, channel in targets:

        def payload(new: list[str]) -> dict[str, object]:
            return {"replies": [notification(outcome, new, url).model_dump(mode="json")]}

        added += store.notify_once(outcome.id, wanted, target, channel, payload)
    return added
