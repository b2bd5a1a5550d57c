"""The checkpoint conversations, beside the drietrap: registering checkpoints, the reminder's
buttons (re-check, new date, done, stop), and the comparison after a re-check.

Runs on the service's worker thread, before the engine: a message that belongs to one of these
flows is answered here; anything else goes to the engine as before. A flow's progress is kept
in storage (``Store.set_flow``), so a restart in the middle loses nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from bot.checkpoints import CHOICE, plan, project_name, proposals, when
from bot.schedule import (
    AMSTERDAM,
    DateQuestion,
    format_date,
    next_working_day,
    parse_due,
    send_time,
)
from bot.storage import Store
from dialogs.compare import compare_outcomes, recheck_state, render_changes
from dialogs.engine import Engine, command_of, is_command, typed_choice
from dialogs.markdown import escape
from dialogs.models import Choice, Inbound, Outcome, Reply
from dialogs.texts import pick as _t
from knowledge.schema import Lang
from knowledge.text import clean

REGISTER = "ijkreg:"
_COMMAND = {"ijkmomenten", "ijkmoment", "checkpoints", "checkpoint", "herinneringen", "reminders"}
_SKIP = {"overslaan", "skip", "sla over", "geen", "none", "-"}
_CANCEL = {"annuleren", "annuleer", "cancel", "stop", "stoppen"}
_YES = {"ja", "yes", "ok", "oke", "okay", "prima", "goed", "sla op", "opslaan", "save"}
# A reminder's buttons, typed: they act on the last reminder this conversation received.
_REMINDER_WORDS = {
    "opnieuw toetsen": "opnieuw",
    "check again": "opnieuw",
    "verzetten": "verzet",
    "postpone": "verzet",
    "afgerond": "klaar",
    "stop herinneringen": "stop",
    "stop reminders": "stop",
}

_WHERE = {
    "web": (
        "deze web chat (bovenaan als je de pagina weer opent)",
        "this web chat (at the top when you open the page again)",
    ),
    "slack": ("dit Slack-gesprek", "this Slack conversation"),
    "teams": ("dit Teams-gesprek", "this Teams conversation"),
}


def _cancelled(lang: Lang) -> list[Reply]:
    return [
        Reply(
            text=_t(lang, "Geannuleerd; er is niets opgeslagen.", "Cancelled; nothing was saved.")
        )
    ]


def _norm(text: str | None) -> str:
    return " ".join(clean(text or "").text.lower().strip(" .!?").split())


class CheckpointChat:
    """Checkpoint flows for one service."""

    def __init__(self, store: Store, engine: Callable[[], Engine]) -> None:
        self.store = store
        self._engine = engine

    @property
    def engine(self) -> Engine:
        return self._engine()

    # -- routing -----------------------------------------------------------------------------

    def intercept(self, msg: Inbound, lang: Lang, now: datetime) -> list[Reply] | None:
        """Replies when the message belongs to a checkpoint flow; None for the engine."""
        flow = self.store.get_flow(msg.key)
        replies = self._route(msg, flow, lang, now)
        if (
            replies
            and flow is not None
            and flow.get("kind") == "register"
            and not replies[-1].choices
            and self.store.get_flow(msg.key) is None
            and (state := self.store.load_state(msg.key)) is not None
        ):
            # The checkpoints are planned (or not): what the conversation offers is shown
            # again, so a number typed next presses a button the user can see.
            replies = replies + self.engine.choices_again(state)
        return replies

    def _route(
        self, msg: Inbound, flow: dict[str, Any] | None, lang: Lang, now: datetime
    ) -> list[Reply] | None:
        """:meth:`intercept`'s work, given the flow the conversation is in (or None)."""
        if msg.choice and msg.choice.startswith(CHOICE):
            return self._reminder_button(msg, msg.choice.removeprefix(CHOICE), lang, now)
        if msg.choice and msg.choice.startswith(REGISTER):
            return self._register_button(msg, msg.choice.removeprefix(REGISTER), lang, now)
        if flow is None and _norm(msg.text) in _REMINDER_WORDS:
            reminded = self._last_reminded(msg.key)
            if reminded is not None:
                action = _REMINDER_WORDS[_norm(msg.text)]
                return self._reminder_button(msg, f"{action}:{reminded}", lang, now)
        if (
            flow is not None
            and (command_of(msg.text) == "summary" or _norm(msg.text) in _COMMAND)
            and flow.get("kind") == "register"
        ):
            # Back in the conversation (the terminal asks for a summary on resuming), or
            # "ijkmomenten" typed again while a date is asked: show the question the flow waits
            # for, not the engine's buttons a number would then press.
            return self._reprompt(msg, flow, lang, now)
        if flow is not None and is_command(msg.text) and _norm(msg.text) not in _CANCEL | _SKIP:
            self.store.end_flow(msg.key)  # "hulp", "opnieuw", "privacy" still work here
            return None
        if flow is not None and msg.text is not None:
            offered = [(str(cid), str(label)) for cid, label in flow.get("offered") or []]
            picked = typed_choice(msg.text, offered)
            if picked is not None:
                # A number or a label typed where buttons were offered (the terminal, or
                # someone who types): the button it names.
                return self._route(
                    msg.model_copy(update={"choice": picked, "text": None}), flow, lang, now
                )
            if _norm(msg.text) in _CANCEL:
                self.store.end_flow(msg.key)
                return _cancelled(lang)
            return self._flow_text(msg, flow, lang, now)
        if msg.text is not None and _norm(msg.text) in _COMMAND:
            outcome_id = self._latest_outcome(msg)
            if outcome_id is None:
                return [
                    Reply(
                        text=_t(
                            lang,
                            "IJkmomenten horen bij een project dat je eerst met mij hebt getoetst. Beschrijf je project; aan het eind kun je kiezen voor 'Herinner ons bij ijkmomenten'.",
                            "Checkpoints belong to a project you checked with me first. Describe your project; at the end you can choose 'Remind us at checkpoints'.",
                        )
                    )
                ]
            return self.start(msg, outcome_id, lang, now)
        return None

    def _last_reminded(self, key: str) -> str | None:
        """The checkpoint of the last reminder sent to this conversation that is still open
        (not done or stopped), or None."""
        sent: list[tuple[int, str]] = []
        for cp in self.store.checkpoints(target=key):
            if cp.status in ("afgerond", "gestopt"):
                continue
            sent += [
                (item.id, cp.id)
                for item in self.store.outbox_of(cp.outcome_id)
                if item.kind == "herinnering"
                and item.sent_at is not None
                and item.payload.get("checkpoint") == cp.id
                and item.target == key
            ]
        return max(sent)[1] if sent else None

    def _latest_outcome(self, msg: Inbound) -> str | None:
        state = self.store.load_state(msg.key)
        if state is not None and state.outcome_id and self.store.get_outcome(state.outcome_id):
            return state.outcome_id
        return self.store.latest_outcome_in(msg.key)

    # -- registering -------------------------------------------------------------------------

    def start(self, msg: Inbound, outcome_id: str, lang: Lang, now: datetime) -> list[Reply]:
        """Propose checkpoints for the project of ``outcome_id`` (and list those planned)."""
        k = self.engine.advisor.knowledge
        today = now.astimezone(AMSTERDAM).date()
        items = [
            {"kind": p.kind, "label": p.label, "due": p.due.isoformat() if p.due else None}
            for p in proposals(k, lang, today)
        ]
        choices = [
            Choice(id=f"{REGISTER}accept", label=_t(lang, "Deze data", "These dates")),
            Choice(id=f"{REGISTER}own", label=_t(lang, "Zelf de data geven", "Give my own dates")),
            Choice(id=f"{REGISTER}cancel", label=_t(lang, "Annuleren", "Cancel")),
        ]
        flow = {"kind": "register", "outcome_id": outcome_id, "items": items, "index": 0}
        self._offer(msg.key, flow, choices)
        lines = []
        project = self.store.project_of(outcome_id) or outcome_id
        planned = [
            c
            for c in self.store.checkpoints(project_id=project)
            if c.status in ("gepland", "verzet")
        ]
        if planned:
            lines.append(
                _t(lang, "**Al gepland voor dit project**", "**Already planned for this project**")
            )
            lines += [f"- {escape(c.label)}: {when(c, lang)}" for c in planned]
            lines.append("")
        lines.append(
            _t(
                lang,
                "**IJkmomenten**: op deze momenten kijkt het team opnieuw naar de ethiek van het project. Mijn voorstel:",
                "**Checkpoints**: at these moments the team looks at the project's ethics again. My proposal:",
            )
        )
        lines.append("")
        for n, (p, item) in enumerate(zip(proposals(k, lang, today), items, strict=True), start=1):
            due = (
                format_date(date.fromisoformat(item["due"]), lang)
                if item["due"]
                else _t(
                    lang,
                    "geen vaste datum: typ `ijkmomenten` als het zover is",
                    "no fixed date: type `checkpoints` when it happens",
                )
            )
            lines.append(f"{n}. **{p.label}** ({p.moment}): {due}")
        lines += [
            "",
            _t(
                lang,
                "Herinneringen komen om 09:00 op werkdagen; valt een datum in het weekend of op een feestdag, dan de werkdag erna.",
                "Reminders come at 09:00 on working days; a date on a weekend or public holiday moves to the next working day.",
            ),
        ]
        return [
            Reply(text="\n".join(lines), choices=choices, content={"kind": "checkpoints-offer"})
        ]

    def _register_button(self, msg: Inbound, action: str, lang: Lang, now: datetime) -> list[Reply]:
        flow = self.store.get_flow(msg.key)
        if flow is None or flow.get("kind") != "register":
            return [
                Reply(
                    text=_t(
                        lang,
                        "Die knop hoort bij een eerder voorstel. Typ `ijkmomenten` voor een nieuw.",
                        "That button belongs to an earlier proposal. Type `checkpoints` for a new one.",
                    ),
                    content={"kind": "stale"},
                )
            ]
        if action == "cancel":
            self.store.end_flow(msg.key)
            return _cancelled(lang)
        if action == "accept":
            return self._confirm(msg, flow, lang)
        if action == "own":
            flow["index"] = 0
            flow.pop("step", None)
            self._offer(msg.key, flow, [])  # now a typed number is a date, not a button
            return [self._ask_date(flow, lang)]
        if action == "save":
            return self._save(msg, flow, lang, now)
        if action == "where":
            channels = self.store.team_channels(msg.key, self.store.user_ref(msg.channel, msg.user))
            flow["channels"] = channels
            choices = [
                Choice(id=f"{REGISTER}to:{n}", label=c.split(":")[2])
                for n, c in enumerate(channels[:10])
            ]
            choices.append(
                Choice(
                    id=f"{REGISTER}to:here",
                    label=_t(lang, "Hier, in dit gesprek", "Here, in this conversation"),
                )
            )
            self._offer(msg.key, flow, choices)
            return [
                Reply(
                    text=_t(
                        lang,
                        "In welk kanaal? Ik kan alleen herinneren waar ik aanwezig ben.",
                        "Which channel? I can only remind where I am present.",
                    ),
                    choices=choices,
                )
            ]
        if action.startswith("to:"):
            pick = action.removeprefix("to:")
            channels = list(flow.get("channels") or [])
            if pick == "here":
                flow.pop("target", None)
            elif pick.isdecimal() and int(pick) < len(channels):
                flow["target"] = channels[int(pick)]
            return self._confirm(msg, flow, lang)
        return [
            Reply(text=_t(lang, "Onbekende keuze.", "Unknown choice."), content={"kind": "stale"})
        ]

    def _reprompt(
        self, msg: Inbound, flow: dict[str, Any], lang: Lang, now: datetime
    ) -> list[Reply]:
        """The question a registering flow waits for, asked again."""
        if flow.get("step") == "confirm":
            return self._confirm(msg, flow, lang)
        if flow.get("offered") == []:
            return [self._ask_date(flow, lang)]
        return self.start(msg, str(flow["outcome_id"]), lang, now)

    def _in_order(self) -> set[str]:
        """The checkpoint kinds that follow each other (those with a proposed date)."""
        kinds = self.engine.advisor.knowledge.checkpoints.values()
        return {k.id for k in kinds if k.default_weeks}

    def _offer(self, key: str, flow: dict[str, Any], choices: list[Choice]) -> None:
        """Store the flow with the buttons it now offers, so that a typed number or label
        picks one (the terminal numbers them)."""
        flow["offered"] = [[c.id, c.label] for c in choices]
        self.store.set_flow(key, flow)

    def _ask_date(self, flow: dict[str, Any], lang: Lang, question: str | None = None) -> Reply:
        item = flow["items"][flow["index"]]
        kind = self.engine.advisor.knowledge.checkpoints.get(item["kind"])
        ask = kind.ask.get(lang) if kind else item["label"]
        # (The working day the reminder goes, as the confirmation shows: never a Sunday.)
        proposed = (
            format_date(next_working_day(date.fromisoformat(item["due"])), lang)
            if item["due"]
            else None
        )
        lines = [question] if question else []
        lines.append(f"**{escape(item['label'])}**: {ask}")
        lines.append(
            _t(
                lang,
                "Typ een datum zoals je hem zegt ('over 3 maanden', '1 maart', '15-03-2027'), of 'overslaan'."
                + (f" Voorstel: {proposed}." if proposed else ""),
                "Type a date as you would say it ('in 3 months', '1 March', '2027-03-15'), or 'skip'."
                + (f" Proposal: {proposed}." if proposed else ""),
            )
        )
        return Reply(text="\n\n".join(lines), content={"kind": "checkpoint-date"})

    def _confirm(self, msg: Inbound, flow: dict[str, Any], lang: Lang) -> list[Reply]:
        chosen = [i for i in flow["items"] if i["due"]]
        if not chosen:
            self.store.end_flow(msg.key)
            return [
                Reply(
                    text=_t(
                        lang,
                        "Geen ijkmomenten met een datum; er is niets opgeslagen.",
                        "No checkpoints with a date; nothing was saved.",
                    )
                )
            ]
        flow["step"] = "confirm"
        target = flow.get("target") or msg.key
        nl_where, en_where = _WHERE.get(msg.channel, ("dit gesprek", "this conversation"))
        if target != msg.key:
            nl_where, en_where = (
                f"het teamkanaal {target.split(':')[2]}",
                f"the team channel {target.split(':')[2]}",
            )
        lines = [
            _t(
                lang,
                f"Ik stuur de herinneringen in **{nl_where}**, om 09:00 op:",
                f"I will send the reminders in **{en_where}**, at 09:00 on:",
            ),
            "",
        ]
        lines += [
            f"- {escape(i['label'])}: {format_date(next_working_day(date.fromisoformat(i['due'])), lang)}"
            for i in chosen
        ]
        # Checkpoints follow each other (design, procurement, go-live, evaluation): a date before
        # the one of an earlier checkpoint is probably a slip.
        # (Those with a proposed date follow each other; a scope change comes at any time.)
        ordered = [i for i in chosen if i["kind"] in self._in_order()]
        for before, after in itertools.pairwise(ordered):
            if after["due"] < before["due"]:
                lines += [
                    "",
                    _t(
                        lang,
                        f"Let op: **{escape(after['label'])}** valt vóór "
                        f"**{escape(before['label'])}**. Klopt dat? Kies anders 'Data aanpassen'.",
                        f"Note: **{escape(after['label'])}** falls before "
                        f"**{escape(before['label'])}**. Is that right? If not, choose 'Change "
                        "dates'.",
                    ),
                ]
        lines += ["", _t(lang, "Opslaan?", "Save?")]
        choices = [
            Choice(id=f"{REGISTER}save", label=_t(lang, "Opslaan", "Save")),
            Choice(id=f"{REGISTER}own", label=_t(lang, "Data aanpassen", "Change dates")),
        ]
        if self.store.team_channels(msg.key, self.store.user_ref(msg.channel, msg.user)):
            choices.append(
                Choice(
                    id=f"{REGISTER}where", label=_t(lang, "In een teamkanaal", "In a team channel")
                )
            )
        choices.append(Choice(id=f"{REGISTER}cancel", label=_t(lang, "Annuleren", "Cancel")))
        self._offer(msg.key, flow, choices)
        return [
            Reply(text="\n".join(lines), choices=choices, content={"kind": "checkpoints-confirm"})
        ]

    def _save(self, msg: Inbound, flow: dict[str, Any], lang: Lang, now: datetime) -> list[Reply]:
        outcome_id = str(flow["outcome_id"])
        saved = []
        for item in flow["items"]:
            if item["due"]:
                plan(
                    self.store,
                    outcome_id,
                    item["kind"],
                    item["label"],
                    date.fromisoformat(item["due"]),
                    str(flow.get("target") or msg.key),
                    now,
                    again=True,
                )
                saved.append(item)
        self.store.end_flow(msg.key)
        where = _t(lang, "hier", "here")
        if flow.get("target"):
            where = str(flow["target"]).split(":")[2]
        lines = [
            _t(
                lang,
                f"**Opgeslagen.** Ik herinner jullie ({where}) op:",
                f"**Saved.** I will remind you ({where}) on:",
            ),
            "",
        ]
        lines += [
            f"- {escape(i['label'])}: {format_date(next_working_day(date.fromisoformat(i['due'])), lang)}"
            for i in saved
        ]
        lines += [
            "",
            _t(
                lang,
                "Typ `ijkmomenten` om ze te zien of nieuwe te plannen. Bij elke herinnering kun je opnieuw toetsen, verzetten, afronden of stoppen.",
                "Type `checkpoints` to see them or plan new ones. With each reminder you can check again, postpone, close or stop.",
            ),
        ]
        return [
            Reply(text="\n".join(lines), content={"kind": "checkpoints", "outcome_id": outcome_id})
        ]

    # -- text inside a flow ------------------------------------------------------------------

    def _flow_text(
        self, msg: Inbound, flow: dict[str, Any], lang: Lang, now: datetime
    ) -> list[Reply]:
        kind = flow.get("kind")
        text = clean(msg.text or "").text.strip()
        today = now.astimezone(AMSTERDAM).date()
        if kind == "register":
            if flow.get("step") == "confirm" and _norm(text) in _YES:
                return self._save(msg, flow, lang, now)  # "ja" to "Opslaan?"
            if flow.get("step") == "confirm" or "index" not in flow:
                # Anything else: the question again, saying what it expects.
                return [
                    Reply(
                        text=_t(
                            lang,
                            "Kies Opslaan, Data aanpassen of Annuleren (of typ `ja`).",
                            "Choose Save, Change dates or Cancel (or type `yes`).",
                        )
                    ),
                    *self._confirm(msg, flow, lang),
                ]
            i = int(flow["index"])
            if _norm(text) in _SKIP:
                flow["items"][i]["due"] = None
            else:
                due = parse_due(text, lang, today)
                if isinstance(due, DateQuestion):
                    return [self._ask_date(flow, lang, due.text(lang))]
                flow["items"][i]["due"] = due.date.isoformat()
            flow["index"] = i + 1
            if flow["index"] >= len(flow["items"]):
                return self._confirm(msg, flow, lang)
            self.store.set_flow(msg.key, flow)
            return [self._ask_date(flow, lang)]
        if kind == "verzet":
            cp = self.store.get_checkpoint(str(flow["checkpoint"]))
            if cp is None:
                self.store.end_flow(msg.key)
                return [
                    Reply(
                        text=_t(
                            lang,
                            "Dat ijkmoment bestaat niet meer.",
                            "That checkpoint no longer exists.",
                        )
                    )
                ]
            due = parse_due(text, lang, today)
            if isinstance(due, DateQuestion):
                return [Reply(text=due.text(lang))]
            self.store.reschedule(cp.id, due.date, send_time(due.date), now)
            self.store.end_flow(msg.key)
            day = format_date(next_working_day(due.date), lang)
            return [
                Reply(
                    text=_t(
                        lang,
                        f"Verzet: **{escape(cp.label)}** op {day}, om 09:00.",
                        f"Postponed: **{escape(cp.label)}** to {day}, at 09:00.",
                    )
                )
            ]
        if kind == "recheck":
            return self._start_recheck(msg, flow, text, lang, now)
        self.store.end_flow(msg.key)
        return []

    # -- the reminder's buttons --------------------------------------------------------------

    def _reminder_button(self, msg: Inbound, rest: str, lang: Lang, now: datetime) -> list[Reply]:
        action, _, cid = rest.partition(":")
        cp = self.store.get_checkpoint(cid)
        # Only in the conversation the reminder went to: nobody acts for another team.
        if cp is None or cp.target != msg.key:
            return [
                Reply(
                    text=_t(
                        lang,
                        "Die knop hoort niet (meer) bij dit gesprek.",
                        "That button does not (or no longer) belong to this conversation.",
                    ),
                    content={"kind": "stale"},
                )
            ]
        record = self.store.get_outcome(cp.outcome_id)
        lang = record.outcome.lang if record else lang
        if cp.status in ("afgerond", "gestopt") and action in ("klaar", "verzet"):
            # An old button does not bring a closed or stopped checkpoint back.
            state = _t(lang, cp.status, "done" if cp.status == "afgerond" else "stopped")
            return [
                Reply(
                    text=_t(
                        lang,
                        f"Dit ijkmoment (**{escape(cp.label)}**) is al {state}. Typ `ijkmomenten` om nieuwe te plannen.",
                        f"This checkpoint (**{escape(cp.label)}**) is {state} already. Type `checkpoints` to plan new ones.",
                    )
                )
            ]
        if action == "klaar":
            self.store.set_checkpoint_status(cp.id, "afgerond", now=now)
            return [
                Reply(
                    text=_t(
                        lang,
                        f"Genoteerd: **{escape(cp.label)}** is afgerond.",
                        f"Noted: **{escape(cp.label)}** is done.",
                    )
                )
            ]
        if action == "stop":
            n = self.store.stop_project(cp.project_id, now)  # the waiting ones
            if cp.status == "verstuurd":
                self.store.set_checkpoint_status(cp.id, "gestopt", now=now)
                n += 1  # and this one, already sent
            return [
                Reply(
                    text=_t(
                        lang,
                        f"Gestopt: geen herinneringen meer voor dit project "
                        f"({n} {'ijkmoment' if n == 1 else 'ijkmomenten'}).",
                        f"Stopped: no more reminders for this project "
                        f"({n} {'checkpoint' if n == 1 else 'checkpoints'}).",
                    )
                )
            ]
        if action == "verzet":
            self.store.set_flow(msg.key, {"kind": "verzet", "checkpoint": cp.id})
            return [
                Reply(
                    text=_t(
                        lang,
                        f"Naar welke datum verzetten we **{escape(cp.label)}**? ('over 2 weken', '1 april', ...)",
                        f"To which date shall we move **{escape(cp.label)}**? ('in 2 weeks', '1 April', ...)",
                    )
                )
            ]
        if action == "opnieuw":
            if record is None:
                return [
                    Reply(
                        text=_t(
                            lang,
                            "De eerdere uitkomst is niet meer bewaard; beschrijf het project opnieuw.",
                            "The earlier outcome is no longer kept; describe the project again.",
                        )
                    )
                ]
            self.store.set_flow(
                msg.key, {"kind": "recheck", "checkpoint": cp.id, "outcome_id": cp.outcome_id}
            )
            return [
                Reply(
                    text=_t(
                        lang,
                        "Wat is er veranderd sinds de vorige toets? Denk aan het doel, de data, de techniek en de partners.",
                        "What changed since the last check? Think of the purpose, the data, the technology and the partners.",
                    )
                )
            ]
        return [
            Reply(text=_t(lang, "Onbekende keuze.", "Unknown choice."), content={"kind": "stale"})
        ]

    # -- re-checking -------------------------------------------------------------------------

    def _start_recheck(
        self, msg: Inbound, flow: dict[str, Any], text: str, lang: Lang, now: datetime
    ) -> list[Reply]:
        record = self.store.get_outcome(str(flow["outcome_id"]))
        self.store.end_flow(msg.key)
        if record is None:
            return [
                Reply(
                    text=_t(
                        lang,
                        "De eerdere uitkomst is niet meer bewaard.",
                        "The earlier outcome is no longer kept.",
                    )
                )
            ]
        state = recheck_state(record.outcome, text, record.outcome.lang, now)
        self.store.save_state(msg.key, state, now)
        turn = self.engine.resume(state)
        if turn.state is not None:
            self.store.save_state(msg.key, turn.state, now)
        intro = Reply(
            text=_t(
                record.outcome.lang,
                "Ik toets het project opnieuw, met de eerdere antwoorden al ingevuld: verander wat veranderd is.",
                "I will check the project again with the earlier answers filled in: change what changed.",
            )
        )
        return [intro, *turn.replies]

    def outcome_logged(self, outcome: Outcome) -> list[Reply]:
        """After a re-check: link it to the project and say what changed."""
        previous = outcome.previous_outcome_id
        if not previous:
            return []
        self.store.link_recheck(outcome.id, previous)
        old = self.store.get_outcome(previous)
        if old is None:
            return []
        changes = compare_outcomes(
            old.outcome, outcome, self.engine.advisor.knowledge, outcome.lang
        )
        return [
            Reply(
                text=render_changes(changes, outcome.lang),
                content={"kind": "recheck-changes", "outcome_id": outcome.id, "previous": previous},
            )
        ]


__all__ = ["CheckpointChat", "project_name"]
