"""People's rights over what the bot keeps about them, in every channel: ``mijn gegevens`` /
``my data`` shows it (and how long each part is kept), ``wis mijn gegevens`` /
``delete my data`` erases it after a ``ja`` / ``yes``.

What "about them" means is what the store ties to this person in this channel: the
conversation they are typing in, their outcomes (with the advisor's messages, notes and
corrections, which go with an outcome) and the checkpoints planned for them. Nothing of
anybody else is shown. An outcome that was handed over leaves the advisor an audit line
"verwijderd op verzoek" with its id only.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.storage import Store
from dialogs.engine import Policy
from dialogs.markdown import escape
from dialogs.models import Inbound, Reply
from dialogs.texts import pick, t
from knowledge.schema import Lang
from knowledge.text import clip, detect_language

_SHOW = {"mijn gegevens", "my data", "mijn data", "toon mijn gegevens", "show my data"}
_ERASE = {
    "wis mijn gegevens",
    "verwijder mijn gegevens",
    "delete my data",
    "erase my data",
    "wis mijn data",
}
# The same asked in one's own words ("Wat bewaar je eigenlijk over mij?", "Ik wil dat je
# alles over mij verwijdert"): a short message only; erasing still asks for "ja".
_SHOW_ASKED = re.compile(
    r"\b(?:wat|welke gegevens)\s+(?:bewaar|bewaart|weet|heb|hebt|houd|houdt|sla|slaat)\s+"
    r"(?:je|jij|jullie|u|de bot)\b.{0,30}\b(?:over|van)\s+(?:mij|me)\b"
    r"|\bwhat\s+(?:do|does)\s+(?:you|the bot)\s+(?:keep|store|know|have)\s+(?:about|on)\s+me\b"
    r"|\b(?:what|which)\s+data\s+(?:do|does)\s+(?:you|the bot)\s+(?:keep|store|have)\s+"
    r"(?:about|on|of)\s+me\b"
)
_ERASE_ASKED = re.compile(
    r"\b(?:verwijder|wis|wissen|vergeet)\b.{0,40}\b(?:alles over mij|alles van mij|mijn gegevens|"
    r"wat je over mij)"
    r"|\b(?:alles over mij|alles van mij|mijn gegevens)\b.{0,20}\b(?:verwijder\w*|wis|wissen|"
    r"vergeet|vergeten)\b"
    r"|\b(?:delete|erase|forget|remove)\b.{0,30}\b(?:everything about me|all my data|my data|"
    r"what you (?:have|keep|know) (?:about|on) me)\b"
)
# Someone else's words quoted in a question about a project ("Inwoners vragen: verwijder mijn
# gegevens. Hoe gaan we daarmee om?"), or asking how it works: no request of one's own.
_QUOTED = re.compile(
    r"\b(?:inwoners|residents|bewoners|burgers|citizens|cliënten|clienten|clients|mensen die|"
    r"people who|hoe gaan we|how do we|how should we|worden|are|zeggen|say|says|vragen|ask|"
    r"asks|uitwisselen|wisselen)\b"
)
_ASKED_WORDS = 15
# After "Weet je het zeker?", a longer message is a new question, not an answer to it.
_NO_WORDS = 4
_ENGLISH = {"my data", "show my data", "delete my data", "erase my data"}
_YES = {"ja", "yes", "j", "y"}
FLOW = "wis-mijn-gegevens"


# What each stored field of a conversation is, for the download (AVG art. 12(1): intelligible).
CONVERSATION_FIELDS: dict[str, str] = {
    "version": "versie van dit formaat / version of this format",
    "lang": "taal van het gesprek / language of the conversation",
    "step": "waar het gesprek is / where the conversation is",
    "description": "wat je beschreef (persoonsgegevens weggelaten) / what you described "
    "(personal data left out)",
    "draft": "een te korte beschrijving, wachtend op meer / a description too short, "
    "waiting for more",
    "queue": "de vragen van de drietrap, op volgorde / the questions of the walk, in order",
    "position": "de vraag die nu openstaat / the question now open",
    "history": "de vragen die al geweest zijn (voor 'terug') / questions already asked "
    "(for 'back')",
    "awaiting_note": "de vraag waarbij een toelichting gevraagd is / the question awaiting "
    "an explanation",
    "answers": "je antwoorden op de vragen / your answers to the questions",
    "value_answers": "je antwoorden bij de waarden / your answers about the values",
    "prompt_seq": "technisch: telt de vragen, zodat een oude knop niets doet / technical: "
    "counts prompts so an old button does nothing",
    "nonce": "technisch: maakt knoppen van een eerder gesprek ongeldig / technical: makes "
    "buttons of an earlier conversation invalid",
    "id_seed": "technisch: toevalsgetal waaruit het kenmerk van je uitkomst komt / technical: "
    "random number the reference of your outcome is made from",
    "lang_fixed": "of je zelf de taal koos / whether you chose the language",
    "outcome_id": "kenmerk van je uitkomst / reference of your outcome",
    "handed_over": "of je vraag naar de ethiekadviseur ging / whether your question went to "
    "the ethics advisor",
    "human_requested": "of je om een mens vroeg / whether you asked for a person",
    "started_at": "wanneer het gesprek begon / when the conversation started",
    "previous_outcome_id": "de eerdere uitkomst die je opnieuw toetst / the earlier outcome "
    "you are re-checking",
    "paused": "of je 'stop' typte / whether you typed 'stop'",
    "confirm_restart": "of de bot wacht op 'ja' om te wissen / whether the bot waits for "
    "'yes' to erase",
    "explained": "afkortingen en uitleg die je al kreeg / abbreviations and explanations "
    "already given",
    "held_note": (
        "wat je in eigen woorden op een waardevraag schreef, tot je kiest of het een zorg is / "
        "what you wrote to a value question in your own words, until you choose whether it is "
        "a concern"
    ),
    "held_for": "de vraag waarop die woorden het antwoord waren / the question they answered",
}


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().strip().rstrip(".!?").split())


class OwnData:
    """Shows and erases what is kept about the person writing."""

    def __init__(self, store: Store, policy: Policy) -> None:
        self.store = store
        self.policy = policy

    def intercept(self, msg: Inbound, lang: Lang, now: datetime) -> list[Reply] | None:
        """Replies for ``mijn gegevens`` and ``wis mijn gegevens`` (and its confirmation);
        None for anything else."""
        word = _norm(msg.text)
        flow = self.store.get_flow(msg.key)
        if flow is not None and flow.get("kind") == FLOW:
            self.store.end_flow(msg.key)
            # The answer follows the language of the question it answers ("wis mijn gegevens"
            # asked in Dutch in an English conversation is confirmed in Dutch).
            if flow.get("lang") in ("nl", "en"):
                lang = flow["lang"]
            if word in _YES:
                return self._erase(msg, lang, now)
            if len(word.split()) > _NO_WORDS:
                return None  # something else altogether: nothing is erased, and it is answered
            return [
                Reply(
                    text=pick(lang, "Goed, ik wis niets.", "Fine, I erase nothing."),
                    content={"kind": "own-data-kept"},
                )
            ]
        asked = len(word.split()) <= _ASKED_WORDS and not _QUOTED.search(word)
        show = word in _SHOW or bool(asked and _SHOW_ASKED.search(word))
        erase = word in _ERASE or bool(asked and _ERASE_ASKED.search(word))
        if show or erase:
            # Answered in the language it was asked in ("What do you keep about me?").
            lang = "en" if word in _ENGLISH else detect_language(msg.text or "", lang)
        if show:
            return [self._show(msg, lang)]
        if erase:
            self.store.set_flow(msg.key, {"kind": FLOW, "lang": lang}, now)
            return [
                Reply(
                    text=pick(
                        lang,
                        "Weet je het zeker? Ik wis dan dit gesprek, al je uitkomsten (met de "
                        "berichten van de ethiekadviseur erbij) en je geplande ijkmomenten. Dat "
                        "kan niet ongedaan worden. Typ **ja** om te wissen, of iets anders om "
                        "alles te laten staan.",
                        "Are you sure? I will then erase this conversation, all your outcomes "
                        "(with the ethics advisor's messages) and your planned checkpoints. "
                        "This cannot be undone. Type **yes** to erase, or anything else to keep "
                        "everything.",
                    ),
                    content={"kind": "own-data-confirm"},
                )
            ]
        return None

    def export(self, key: str, channel: str, user: str) -> dict[str, Any]:
        """Everything kept about this person, JSON-ready (the web chat's download)."""
        state = self.store.load_state(key)
        outcomes = self.store.outcomes_of(channel, user, limit=10_000)
        return {
            "about": {
                "nl": "Alles wat Ethiekbot over jou bewaart: dit gesprek, je uitkomsten met de "
                "berichten en correcties van de ethiekadviseur, en je ijkmomenten. 'fields' legt "
                "elk veld van het gesprek uit; 'kept_days' zegt hoe lang het bewaard blijft.",
                "en": "Everything Ethiekbot keeps about you: this conversation, your outcomes "
                "with the ethics advisor's messages and corrections, and your checkpoints. "
                "'fields' explains each field of the conversation; 'kept_days' says how long "
                "it is kept.",
            },
            "fields": CONVERSATION_FIELDS,
            "conversation": state.model_dump(mode="json") if state else None,
            "outcomes": [
                {
                    "id": r.id,
                    "created_at": r.created_at,
                    "status": r.status,
                    "handed_over": r.handed_over,
                    "outcome": r.outcome.model_dump(mode="json"),
                    "messages": [e.body for e in self.store.entries(r.id, "bericht")],
                    # The advisor's corrections, as the report shows them to the employee.
                    "corrections": [e.body for e in self.store.entries(r.id, "correctie")],
                }
                for r in outcomes
            ],
            "checkpoints": [c.as_json() for c in self.store.checkpoints(target=key)],
            "kept_days": {
                "conversation": self.policy.state_days,
                "outcomes": self.policy.outcome_days,
            },
        }

    def _show(self, msg: Inbound, lang: Lang) -> Reply:
        state = self.store.load_state(msg.key)
        outcomes = self.store.outcomes_of(msg.channel, msg.user, limit=100)
        checkpoints = self.store.checkpoints(target=msg.key)
        lines = [pick(lang, "**Wat ik over jou bewaar**", "**What I keep about you**"), ""]
        if state is not None and state.description:
            said = escape(clip(state.description, 120))
            lines.append(
                pick(
                    lang,
                    f'- **Dit gesprek**: je beschrijving ("{said}") en je antwoorden. Gewist '
                    f"{self.policy.state_days} dagen na je laatste bericht.",
                    f'- **This conversation**: your description ("{said}") and your answers. '
                    f"Erased {self.policy.state_days} days after your last message.",
                )
            )
        else:
            lines.append(
                pick(lang, "- **Dit gesprek**: niets.", "- **This conversation**: nothing.")
            )
        if outcomes:
            lines.append(
                pick(
                    lang,
                    f"- **Uitkomsten** ({len(outcomes)}), elk {self.policy.outcome_days} dagen "
                    "bewaard, met de berichten tussen jou en de ethiekadviseur:",
                    f"- **Outcomes** ({len(outcomes)}), each kept {self.policy.outcome_days} "
                    "days, with the messages between you and the ethics advisor:",
                )
            )
            for rec in outcomes:
                messages = self.store.entries(rec.id, "bericht")
                handed = pick(lang, ", doorgegeven", ", handed over") if rec.handed_over else ""
                status = t("status_" + rec.status, lang)  # in words, in the person's language
                lines.append(
                    f"  - `{rec.id}` ({rec.created_at[:10]}{handed}, {status}): "
                    f"{escape(clip(rec.outcome.description, 80))}"
                )
                # The messages themselves: what the advisor answered is theirs to read here.
                for m in messages:
                    who = t("sender_" + str(m.body.get("sender")), lang)
                    lines.append(f"    - {who}: {escape(clip(str(m.body.get('text', '')), 500))}")
        else:
            lines.append(pick(lang, "- **Uitkomsten**: geen.", "- **Outcomes**: none."))
        if checkpoints:
            lines.append(
                pick(
                    lang,
                    f"- **IJkmomenten** ({len(checkpoints)}), bewaard zolang de uitkomst bestaat:",
                    f"- **Checkpoints** ({len(checkpoints)}), kept as long as the outcome:",
                )
            )
            lines += [f"  - {escape(c.label)}: {c.due} ({c.status})" for c in checkpoints]
        lines += [
            "",
            pick(
                lang,
                "Typ `wis mijn gegevens` om dit allemaal te wissen, of `privacy` voor wat ik "
                "bewaar en waarom.",
                "Type `delete my data` to erase all of it, or `privacy` for what I keep and why.",
            ),
        ]
        return Reply(
            text="\n".join(lines),
            content={
                "kind": "own-data",
                "data": self.export(msg.key, msg.channel, msg.user),
            },
        )

    def _erase(self, msg: Inbound, lang: Lang, now: datetime) -> list[Reply]:
        handed_over = self.store.handed_over_of(msg.channel, msg.user)
        erased = self.store.erase_outcomes_of(msg.channel, msg.user)
        self.store.delete_state(msg.key)
        for outcome_id in handed_over:
            # The advisor learns the triage is gone, not what was in it.
            self.store.audit("medewerker", "verwijderd-op-verzoek", outcome_id, now=now)
        return [
            Reply(
                text=pick(
                    lang,
                    f"Gewist: dit gesprek en {erased} "
                    f"{'uitkomst' if erased == 1 else 'uitkomsten'}, met hun berichten en "
                    "ijkmomenten. Er staat niets meer van je bij mij.",
                    f"Erased: this conversation and {erased} "
                    f"{'outcome' if erased == 1 else 'outcomes'}, with their messages "
                    "and checkpoints. Nothing of yours is left with me.",
                ),
                content={"kind": "own-data-erased", "outcomes": erased},
            )
        ]
