"""The ethics advisor's review: what the workspace, the chat commands and the CLI can do.

Every action goes through :class:`ReviewDesk` and is written to the audit log with who did it;
opening a triage too, so whoever saw an employee's text can be named afterwards. The workspace
(``adapters/advisor``) and ``ethiekbot review`` only translate requests into these calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.storage import OutcomeRecord, Store
from bot.storage.audit import AuditEntry
from bot.storage.outbox import OutboxItem
from bot.storage.review import RISKS, STATUSES, QueueFilter, QueueRow, ReviewEntry
from dialogs.markdown import escape
from dialogs.models import AdvisorMessage, Choice, Correction, Outcome, Reply, Review
from dialogs.texts import t
from knowledge.loader import Knowledge
from knowledge.schema import Lang

if TYPE_CHECKING:
    from knowledge.triage import Advisor

VERDICTS = ("groen", "oranje", "rood", "onbekend")
CORRECTION_FIELDS = ("risk", "instrument", "verdict-willen", "verdict-mag", "verdict-kan")
# How the advisor reads each field in a message (never the internal name).
_FIELD_NAMES = {
    "risk": ("het risico", "the risk"),
    "instrument": ("het instrument", "the instrument"),
    "verdict-willen": ("het oordeel bij Willen we het?", "the verdict on Do we want it?"),
    "verdict-mag": ("het oordeel bij Mag het?", "the verdict on Is it allowed?"),
    "verdict-kan": ("het oordeel bij Kan het?", "the verdict on Can we do it?"),
}
# Whom a triage can be referred to (status doorverwezen).
REFERRALS = ("fg", "ciso", "ethische-commissie", "jurist", "anders")
MAX_NOTE = 10_000
ANSWER_CHOICE = "antwoord-adviseur:"


class ReviewError(Exception):
    """Something the advisor asked that cannot be done; ``nl`` and ``en`` say why."""

    def __init__(
        self,
        nl: str,
        en: str,
        not_found: bool = False,
        gone: bool = False,
        forbidden: bool = False,
    ) -> None:
        super().__init__(en)
        self.nl = nl
        self.en = en
        self.not_found = not_found
        self.gone = gone  # erased on request: there was a triage, its content is gone
        self.forbidden = forbidden  # this advisor's role does not allow it

    @property
    def status(self) -> int:
        """The HTTP status that says this: 410 for erased, 404 for unknown, 403 for not
        allowed, else 400."""
        return 410 if self.gone else 404 if self.not_found else 403 if self.forbidden else 400


@dataclass(frozen=True)
class TriageView:
    """Everything the advisor sees of one triage."""

    record: OutcomeRecord
    assigned_to: str | None
    referred_to: str | None
    reviewed_at: str | None
    entries: list[ReviewEntry]
    deliveries: list[OutboxItem]
    review: Review

    @property
    def notes(self) -> list[ReviewEntry]:
        return [x for x in self.entries if x.kind == "notitie"]

    def as_json(self) -> dict[str, Any]:
        """JSON-ready (``review show --json`` and ``/advisor/api/outcomes/{id}``)."""
        r = self.record
        return {
            "id": r.id,
            "created": r.created_at,
            "updated": r.updated_at,
            "channel": r.channel,
            "status": r.status,
            "handed_over": r.handed_over,
            "risk": r.outcome.risk,
            "instrument": r.outcome.instrument_id,
            "signals": r.outcome.signal_ids(),
            "assigned_to": self.assigned_to,
            "referred_to": self.referred_to,
            "reviewed_at": self.reviewed_at,
            "outcome": r.outcome.model_dump(mode="json"),
            "entries": [
                {"id": x.id, "kind": x.kind, "at": x.at, "author": x.author, **x.body}
                for x in self.entries
            ],
            "deliveries": [
                {
                    "id": d.id,
                    "kind": d.kind,
                    "status": d.status,
                    "attempts": d.attempts,
                    "error": d.last_error,
                    "created": d.created_at,
                    "sent": d.sent_at,
                }
                for d in self.deliveries
            ],
        }


def review_of(entries: list[ReviewEntry]) -> Review:
    """What the employee may see of the advisor's review: corrections and messages."""
    corrections: list[Correction] = []
    messages: list[AdvisorMessage] = []
    for x in entries:
        at = datetime.fromisoformat(x.at)
        if x.kind == "correctie":
            corrections.append(
                Correction(
                    field=x.body["field"],
                    original=x.body["original"],
                    revised=x.body["revised"],
                    reason=x.body["reason"],
                    at=at,
                )
            )
        elif x.kind == "bericht":
            messages.append(AdvisorMessage(sender=x.body["sender"], text=x.body["text"], at=at))
    return Review(corrections=corrections, messages=messages)


def instrument_names(k: Knowledge, lang: Lang = "nl") -> dict[str, str]:
    """Instrument ids to their names, for a revised instrument in a report."""
    return {iid: inst.name.get(lang) for iid, inst in k.instruments.items()}


def reviewed_report(
    store: Store, outcome_id: str, knowledge: Callable[[], Knowledge]
) -> str | None:
    """The report of a logged outcome with the advisor's corrections and messages in it (what
    the employee downloads, the chat shows and the CLI prints); None for an unknown id.
    ``knowledge`` is asked only to name a revised instrument."""
    from dialogs.render import render_report

    found = reviewed(store, outcome_id, knowledge)
    if found is None:
        return None
    outcome, review, names = found
    return render_report(outcome, review, names)


def reviewed(
    store: Store, outcome_id: str, knowledge: Callable[[], Knowledge]
) -> tuple[Outcome, Review, dict[str, str] | None] | None:
    """A logged outcome with the advisor's review and (when the instrument was revised) the
    instruments' names in its language; None for an unknown id. Only reads."""
    record = store.get_outcome(outcome_id)
    if record is None:
        return None
    review = review_of(store.entries(outcome_id))
    names = (
        instrument_names(knowledge(), record.outcome.lang)
        if "instrument" in review.current()
        else None
    )
    return record.outcome, review, names


def _original(outcome: Outcome, field: str) -> str:
    if field == "risk":
        return outcome.risk
    if field == "instrument":
        return outcome.instrument_id or ""
    step = field.removeprefix("verdict-")
    for v in outcome.verdicts:
        if v.step == step:
            return v.verdict
    return ""


def _text(value: str, what_nl: str, what_en: str, limit: int = MAX_NOTE) -> str:
    value = value.strip()
    if not value:
        raise ReviewError(f"{what_nl} is leeg.", f"{what_en} is empty.")
    if len(value) > limit:
        raise ReviewError(
            f"{what_nl} is te lang (meer dan {limit} tekens).",
            f"{what_en} is too long (over {limit} characters).",
        )
    return value


class ReviewDesk:
    """The advisor's actions on logged triages, each audited."""

    def __init__(self, store: Store, knowledge: Callable[[], Knowledge]) -> None:
        self.store = store
        self._knowledge = knowledge

    # -- reading -------------------------------------------------------------------------------

    def queue(
        self, f: QueueFilter | None = None, limit: int = 50, after: tuple[str, str] | None = None
    ) -> list[QueueRow]:
        """A page of the queue (newest first)."""
        check_filter(f or QueueFilter())
        return self.store.queue(f, limit=limit, after=after)

    def open(self, outcome_id: str, actor: str) -> TriageView:
        """One triage with everything added to it; audited as a read."""
        view = self._view(outcome_id)
        self.store.audit(actor, "geopend", outcome_id)
        return view

    def _view(self, outcome_id: str) -> TriageView:
        record = self.store.get_outcome(outcome_id)
        row = self.store.review_row(outcome_id)
        if record is None or row is None:
            erased = self.store.erased_on_request(outcome_id=outcome_id)
            if erased:
                day = erased[0][1][:10]
                raise ReviewError(
                    f"Triage {outcome_id} is op {day} verwijderd op verzoek van de medewerker; "
                    "de inhoud is er niet meer.",
                    f"Triage {outcome_id} was erased at the employee's request on {day}; "
                    "its content is gone.",
                    not_found=True,
                    gone=True,
                )
            raise ReviewError(
                f"Geen triage met kenmerk {outcome_id}.",
                f"No triage with reference {outcome_id}.",
                not_found=True,
            )
        entries = self.store.entries(outcome_id)
        return TriageView(
            record=record,
            assigned_to=row["assigned_to"],
            referred_to=row["referred_to"],
            reviewed_at=row["reviewed_at"],
            entries=entries,
            deliveries=self.store.outbox_of(outcome_id),
            review=review_of(entries),
        )

    def start_export(self, f: QueueFilter, actor: str, fmt: str) -> dict[str, dict[str, str]]:
        """Check the filter and audit the export; the corrections in force per triage."""
        check_filter(f)
        self.store.audit(actor, "export", None, {"format": fmt, **filter_detail(f)})
        return self.store.corrections_in_force()

    def export(self, f: QueueFilter | None, actor: str, fmt: str) -> Iterator[dict[str, Any]]:
        """Every row of the filter as export rows (:mod:`bot.export`), page by page; audited."""
        from bot.export import export_rows

        f = f or QueueFilter()
        revised = self.start_export(f, actor, fmt)
        return export_rows(self.store.iter_queue(f), revised)

    def audit_log(
        self, outcome_id: str | None = None, limit: int = 200, before: int | None = None
    ) -> list[AuditEntry]:
        """The audit log, newest first."""
        return self.store.audit_entries(outcome_id=outcome_id, limit=limit, before=before)

    # -- acting --------------------------------------------------------------------------------

    def set_status(
        self,
        outcome_id: str,
        status: str,
        actor: str,
        referred_to: str | None = None,
        note: str | None = None,
    ) -> None:
        """Move a triage to ``status`` (doorverwezen needs whom it was referred to)."""
        if status not in STATUSES:
            raise ReviewError(
                f"Onbekende status {status!r}; kies uit {', '.join(STATUSES)}.",
                f"Unknown status {status!r}; choose from {', '.join(STATUSES)}.",
            )
        if status == "doorverwezen":
            if referred_to not in REFERRALS:
                raise ReviewError(
                    f"Doorverwijzen naar wie? Kies uit {', '.join(REFERRALS)}.",
                    f"Referred to whom? Choose from {', '.join(REFERRALS)}.",
                )
        else:
            referred_to = None
        self._exists(outcome_id)
        if note:
            self.add_note(outcome_id, note, actor)
        self.store.set_review_status(outcome_id, status, referred_to)
        detail: dict[str, Any] = {"status": status}
        if referred_to:
            detail["referred_to"] = referred_to
        self.store.audit(actor, "status", outcome_id, detail)

    def assign(self, outcome_id: str, email: str | None, actor: str) -> None:
        """Put an advisor on the triage (None or empty: nobody)."""
        email = (email or "").strip().lower() or None
        if email is not None and self.store.get_advisor(email) is None:
            raise ReviewError(
                f"{email} is geen ethiekadviseur.", f"{email} is not an ethics advisor."
            )
        self._exists(outcome_id)
        self.store.assign(outcome_id, email)
        self.store.audit(actor, "toegewezen", outcome_id, {"assigned_to": email})

    def add_note(self, outcome_id: str, text: str, actor: str) -> int:
        """A note for the advisors (Markdown; shown escaped)."""
        text = _text(text, "De notitie", "The note")
        self._exists(outcome_id)
        entry = self.store.add_entry(outcome_id, "notitie", actor, {"text": text})
        self.store.audit(actor, "notitie", outcome_id, {"entry": entry})
        return entry

    def correct(self, outcome_id: str, field: str, revised: str, reason: str, actor: str) -> int:
        """The advisor's judgement on the risk, the instrument or a step's verdict, with a
        reason; the employee's report shows it beside the bot's."""
        if field not in CORRECTION_FIELDS:
            raise ReviewError(
                f"Onbekend onderdeel {field!r}; kies uit {', '.join(CORRECTION_FIELDS)}.",
                f"Unknown field {field!r}; choose from {', '.join(CORRECTION_FIELDS)}.",
            )
        allowed: tuple[str, ...]
        if field == "risk":
            allowed = RISKS
        elif field == "instrument":
            allowed = tuple(self._knowledge().instruments)
        else:
            allowed = VERDICTS
        if revised not in allowed:
            name_nl, name_en = _FIELD_NAMES[field]
            raise ReviewError(
                f"'{revised}' past niet bij {name_nl}; kies uit {', '.join(allowed)}.",
                f"'{revised}' does not fit {name_en}; choose from {', '.join(allowed)}.",
            )
        reason = _text(reason, "De reden", "The reason", 2_000)
        record = self._exists(outcome_id)
        original = _original(record.outcome, field)
        entry = self.store.add_entry(
            outcome_id,
            "correctie",
            actor,
            {"field": field, "original": original, "revised": revised, "reason": reason},
        )
        self.store.audit(
            actor,
            "correctie",
            outcome_id,
            {"field": field, "original": original, "revised": revised, "entry": entry},
        )
        return entry

    def reply(self, outcome_id: str, text: str, actor: str) -> int:
        """Answer the employee where they asked; the outbox delivers it (once, with retries)."""
        text = _text(text, "Het antwoord", "The reply", 4_000)
        record = self._exists(outcome_id)
        row = self.store.review_row(outcome_id) or {}
        target = row.get("conversation")
        if not target:
            raise ReviewError(
                "Van deze triage is niet bekend in welk gesprek hij begon; antwoorden kan niet.",
                "It is not known in which conversation this triage started; no reply possible.",
            )
        entry = self.store.add_entry(
            outcome_id, "bericht", actor, {"sender": "adviseur", "text": text}
        )
        lang = record.outcome.lang
        reply = Reply(
            text=t("advisor_reply", lang, id=outcome_id) + "\n\n" + escape(text),
            choices=[Choice(id=ANSWER_CHOICE + outcome_id, label=t("choice_answer_advisor", lang))],
            content={"kind": "advisor-reply", "outcome_id": outcome_id},
        )
        self.store.enqueue(
            f"antwoord:{outcome_id}:{entry}",
            "antwoord",
            target.split(":", 1)[0],
            target,
            {"replies": [reply.model_dump(mode="json")]},
            outcome_id=outcome_id,
        )
        self.store.audit(actor, "antwoord", outcome_id, {"entry": entry})
        return entry

    # -- growing the knowledge -----------------------------------------------------------------

    def draft_case(
        self,
        outcome_id: str,
        advisor: Advisor,
        case_id: str | None = None,
        title: str | None = None,
    ) -> dict[str, Any]:
        """A case draft prefilled from the triage and the advisor's corrections. The
        advisor's notes stay out of it: they are for advisors only, and a case's lessons are
        shown to every employee, so the advisor writes the lessons for publication."""
        from knowledge.promote import draft_case

        view = self._view(outcome_id)  # the caller has opened (and so audited) the triage
        return draft_case(
            view.record.outcome,
            case_id=case_id,
            title=title,
            advisor=advisor,
            review=view.review,
        )

    def check_case(self, draft: dict[str, Any]) -> list[str]:
        """The problems of a draft, in the words of ``ethiekbot knowledge check``, and any
        personal data or placeholder left in it (a case is shown to every employee)."""
        from knowledge.promote import validate_case

        return [*personal_data_in(draft), *validate_case(draft, self._knowledge())]

    def publish_case(
        self, outcome_id: str, draft: dict[str, Any], local_dir: Path | None, actor: str
    ) -> Path:
        """Write the case into the organisation's folder (provenance kept) and audit it.
        Raises :class:`knowledge.promote.PromotionError` with the problems."""
        from bot.knowledge_sync import share
        from knowledge.promote import PromotionError, publish_case
        from knowledge.schema import Provenance

        if local_dir is None:
            raise PromotionError(
                [
                    "ETHIEKBOT_KNOWLEDGE_LOCAL is niet ingesteld: er is geen map voor de eigen "
                    "casussen. / ETHIEKBOT_KNOWLEDGE_LOCAL is not set: no folder for own cases."
                ]
            )
        self._exists(outcome_id)
        found = personal_data_in(draft)
        if found:
            raise PromotionError(found)
        provenance = Provenance(outcome_id=outcome_id, by=actor, at=datetime.now(UTC))
        path = publish_case(draft, local_dir, self._knowledge(), provenance)
        try:
            share(self.store, local_dir, path)  # every instance on the database gets it
        except BaseException:
            # Not in the database, so not on the other instances: not published at all, and
            # the advisor can try again (the id is not taken by a file only this one has).
            path.unlink(missing_ok=True)
            raise
        self.store.audit(actor, "promotie", outcome_id, {"case": path.stem})
        return path

    def save_contacts(self, text: str, local_dir: Path | None, actor: str) -> None:
        """Replace the organisation's contacts.yaml (validated); audited."""
        from bot.knowledge_sync import share
        from knowledge.promote import PromotionError, save_contacts

        if local_dir is None:
            raise PromotionError(
                [
                    "ETHIEKBOT_KNOWLEDGE_LOCAL is niet ingesteld. / "
                    "ETHIEKBOT_KNOWLEDGE_LOCAL is not set."
                ]
            )
        save_contacts(local_dir, text)
        share(self.store, local_dir, local_dir / "contacts.yaml")
        self.store.audit(actor, "contacten", None, {})

    def retry_delivery(self, outcome_id: str, item_id: int, actor: str) -> bool:
        """Send a failed message again."""
        if not any(d.id == item_id for d in self.store.outbox_of(outcome_id)):
            raise ReviewError("Onbekend bericht.", "Unknown message.", not_found=True)
        retried = self.store.retry(item_id)
        self.store.audit(actor, "opnieuw-verstuurd", outcome_id, {"item": item_id})
        return retried

    def _exists(self, outcome_id: str) -> OutcomeRecord:
        record = self.store.get_outcome(outcome_id)
        if record is None:
            raise ReviewError(
                f"Geen triage met kenmerk {outcome_id}.",
                f"No triage with reference {outcome_id}.",
                not_found=True,
            )
        return record


# Fields of a case draft that are no prose to scan (ids, numbers, links, where it came from).
_NOT_PROSE = frozenset(
    {
        "id",
        "year",
        "url",
        "urls",
        "source",
        "sources",
        "provenance",
        "signals",
        "values",
        "instruments",
    }
)


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_PROSE:
                yield from _texts(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")


def personal_data_in(draft: dict[str, Any]) -> list[str]:
    """Where a case draft still holds personal data or a placeholder ("[naam]"): a published
    case is shown to every employee who asks something alike, and cannot be taken back by
    them. Nothing of the text is repeated in the problem, only where and what kind."""
    from bot.privacy import PLACEHOLDER, find_personal_data

    problems: list[str] = []
    for path, text in _texts(draft, ""):
        kinds = sorted({kind for _, _, kind in find_personal_data(text)})
        if kinds:
            problems.append(
                f"{path}: bevat persoonsgegevens ({', '.join(kinds)}); haal ze weg voor je "
                f"publiceert / contains personal data ({', '.join(kinds)}); remove it first"
            )
        left = sorted({p for p in PLACEHOLDER.values() if p in text})
        if left:
            problems.append(
                f"{path}: bevat nog {', '.join(left)}; schrijf de zin zonder / still contains "
                f"{', '.join(left)}; rewrite the sentence without it"
            )
    return problems


def check_filter(f: QueueFilter) -> None:
    """Refuse a filter value that can match nothing because it is not a known value."""
    from bot.storage.review import SIGNALS

    for value, allowed, nl, en in (
        (f.status, STATUSES, "status", "status"),
        (f.risk, RISKS, "risico", "risk"),
        (f.signal, SIGNALS, "signaal", "signal"),
    ):
        if value and value not in allowed:
            raise ReviewError(
                f"Onbekend {nl} {value!r}; kies uit {', '.join(allowed)}.",
                f"Unknown {en} {value!r}; choose from {', '.join(allowed)}.",
            )
    for value in (f.date_from, f.date_to):
        if value:
            try:
                datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
            except ValueError:
                raise ReviewError(
                    f"Datum {value!r} is niet JJJJ-MM-DD.", f"Date {value!r} is not YYYY-MM-DD."
                ) from None


def filter_detail(f: QueueFilter) -> dict[str, Any]:
    """The filter's set fields (for the audit log: no search text, it may hold a name)."""
    out = {k: v for k, v in f.__dict__.items() if v not in (None, "") and k != "q"}
    if f.q:
        out["q"] = True
    return out


def overview_rows(store: Store, batch: int = 1000) -> Iterator[Any]:
    """Every triage as the overview reads it (:class:`bot.overview.OverviewRow`), with the
    advisor's corrections in force; a page of ``batch`` rows in memory at a time."""
    from bot.overview import OverviewRow

    revised = store.corrections_in_force()
    after: tuple[str, str] | None = None
    while True:
        page = store.overview_page(after, batch)
        for created, risk, status, handed, reviewed, data, oid in page:
            fixes = revised.get(oid, {})
            yield OverviewRow(
                created_at=created,
                risk=fixes.get("risk", risk),
                status=status,
                handed_over=bool(handed),
                reviewed_at=reviewed,
                outcome=Outcome.model_validate_json(data),
                instrument=fixes.get("instrument"),
            )
        if len(page) < batch:
            return
        after = (page[-1][0], page[-1][6])
