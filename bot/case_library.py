"""The organisation's own cases after publication: list them, correct one, withdraw one.

A case promoted from a triage (or written by hand) lives in the organisation's folder
(``ETHIEKBOT_KNOWLEDGE_LOCAL/cases/<id>.yaml``) and is shown to every employee whose question
resembles it. An advisor must be able to take that back: to correct a lesson that proved wrong,
or to withdraw a case that should not be shown (a detail that makes someone recognisable, a
case the organisation no longer stands behind). Both are audited with who did it; a withdrawal
also with the reason. The shipped library is not the organisation's to change here.

The knowledge in use does not change by itself: the caller reloads it (as after a promotion).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.privacy import redact
from bot.review import ReviewError, personal_data_in
from bot.storage import Store
from knowledge.loader import Knowledge
from knowledge.promote import (
    PromotionError,
    case_fields,
    own_case_path,
    publish_case,
    read_own_case,
)
from knowledge.schema import Provenance

MAX_REASON = 2_000


@dataclass(frozen=True)
class OwnCase:
    """One case in the organisation's folder, as the list shows it."""

    id: str
    title: str
    organisation: str
    year: str
    outcome_id: str  # the triage it was promoted from ("" for a case written by hand)
    promoted_by: str
    replaces_shipped: bool = False  # a shipped case has this id: it applies again if withdrawn

    def withdrawable_by(self, email: str, beheerder: bool) -> bool:
        """Whether this advisor may withdraw the case (see :meth:`CaseLibrary.withdraw`)."""
        return beheerder or published_by(self.promoted_by, email)


def published_by(by: str, actor: str) -> bool:
    """Whether ``actor`` is who a case's provenance says published it (``by``), also when
    they did it from the command line ("ad@prov.nl (via cli:root)")."""
    return bool(actor) and (by == actor or by.startswith(actor + " (via "))


def _origin(data: dict[str, Any], key: str) -> str:
    """A field of a case file's provenance ("" when there is none)."""
    origin = data.get("provenance")
    value = origin.get(key) if isinstance(origin, dict) else None
    return str(value) if value else ""


def shipped(case_id: str) -> bool:
    """Whether the shipped library has a case with this id (one file per case, named by id)."""
    from knowledge.loader import DATA_DIR

    return (DATA_DIR / "cases" / f"{case_id}.yaml").is_file()


def _no_folder() -> PromotionError:
    return PromotionError(
        [
            "ETHIEKBOT_KNOWLEDGE_LOCAL is niet ingesteld: er is geen map voor de eigen "
            "casussen. / ETHIEKBOT_KNOWLEDGE_LOCAL is not set: no folder for own cases."
        ]
    )


def _not_own(case_id: str) -> ReviewError:
    shown = case_id[:80]
    return ReviewError(
        f"Geen eigen casus met id {shown}. Alleen casussen in de map van de organisatie "
        "kun je hier bewerken of intrekken.",
        f"No own case with id {shown}. Only cases in the organisation's folder can be "
        "edited or withdrawn here.",
        not_found=True,
    )


def _unreadable() -> PromotionError:
    return PromotionError(
        [
            "Het bestand van deze casus is niet te lezen (geen geldige YAML of herkomst); "
            "herstel het in de map of trek de casus in. / The case's file cannot be read "
            "(invalid YAML or provenance); repair it in the folder or withdraw the case."
        ]
    )


def _id_kept(case_id: str, draft: dict[str, Any]) -> list[str]:
    if draft.get("id") == case_id:
        return []
    return [
        f"id: het id van een gepubliceerde casus blijft {case_id}; trek de casus in en "
        f"publiceer een nieuwe voor een ander id / the id of a published case stays "
        f"{case_id}; withdraw it and publish a new one for another id"
    ]


def _outcome_of(data: dict[str, Any]) -> str | None:
    return _origin(data, "outcome_id") or None


def version_of(text: str) -> str:
    """A short fingerprint of a case file's text, to notice that it changed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class _OwnFile:
    """An own case's file as read once: its folder, path, text and fields."""

    folder: Path
    path: Path
    text: str
    fields: dict[str, Any]


def _read(case_id: str, local_dir: Path | None) -> _OwnFile:
    """An own case's file, read once; refused when there is no folder or no such own case."""
    if local_dir is None:
        raise _no_folder()
    path = own_case_path(local_dir, case_id)
    if path is None:
        raise _not_own(case_id)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:  # withdrawn a moment ago, by another lane or instance
        raise _not_own(case_id) from None
    return _OwnFile(local_dir, path, text, case_fields(text))


def _merged(current: dict[str, Any], draft: dict[str, Any]) -> dict[str, Any]:
    """The draft over the file's fields the form does not show (``close_if``, ``key_values``,
    ...), which a correction must not lose; without the provenance, which publishing adds."""
    kept = {k: v for k, v in current.items() if k != "provenance"}
    return {**kept, **draft}


class CaseLibrary:
    """The advisor's actions on the organisation's own cases, each audited."""

    def __init__(self, store: Store, knowledge: Callable[[], Knowledge]) -> None:
        self.store = store
        self._knowledge = knowledge

    def own(self, local_dir: Path | None) -> list[OwnCase]:
        """Every case in the organisation's folder, by id."""
        if local_dir is None:
            return []
        cases: list[OwnCase] = []
        for path in sorted((local_dir / "cases").glob("*.yaml")):
            data = read_own_case(path)
            title = data.get("title")
            cases.append(
                OwnCase(
                    id=path.stem,
                    title=str(title.get("nl", "")) if isinstance(title, dict) else "",
                    organisation=str(data.get("organisation") or ""),
                    year=str(data.get("year") or ""),
                    outcome_id=_outcome_of(data) or "",
                    promoted_by=_origin(data, "by"),
                    replaces_shipped=shipped(path.stem),
                )
            )
        return cases

    def draft(self, case_id: str, local_dir: Path | None) -> tuple[dict[str, Any], str]:
        """An own case's fields for the case form (without its provenance, which stays), and
        the version of the file they come from (see :meth:`save`)."""
        own = _read(case_id, local_dir)
        return _merged(own.fields, {}), version_of(own.text)

    def check(self, case_id: str, draft: dict[str, Any], local_dir: Path | None) -> list[str]:
        """The problems of an edited case: its id, personal data, placeholders, the knowledge
        check (on the case as it would be saved, with the fields the form does not show)."""
        from knowledge.promote import validate_case

        path = own_case_path(local_dir, case_id) if local_dir is not None else None
        kept = read_own_case(path) if path is not None else {}
        return [
            *_id_kept(case_id, draft),
            *personal_data_in(draft),
            *validate_case(_merged(kept, draft), self._knowledge(), replace=True),
        ]

    def save(
        self,
        case_id: str,
        draft: dict[str, Any],
        local_dir: Path | None,
        actor: str,
        version: str | None = None,
    ) -> Path:
        """Replace an own case with the edited draft; where it came from stays. ``version``
        (from :meth:`draft`) refuses a save over a file that changed since it was opened: two
        advisors editing one case must not overwrite each other unseen. Raises
        :class:`PromotionError` with the problems, :class:`ReviewError` for an unknown case."""
        from bot.knowledge_sync import share

        own = _read(case_id, local_dir)
        before, current = own.text, own.fields
        problems = [*_id_kept(case_id, draft), *personal_data_in(draft)]
        if problems:
            raise PromotionError(problems)
        if version is not None and version != version_of(before):
            raise PromotionError(
                [
                    "De casus is veranderd sinds je hem opende (door een andere adviseur of "
                    "een andere instantie). Open hem opnieuw en breng je wijziging nog eens "
                    "aan. / The case changed since you opened it; open it again and redo "
                    "your change."
                ]
            )
        if not current:
            raise _unreadable()
        origin = current.get("provenance")
        try:
            provenance = Provenance.model_validate(origin) if origin is not None else None
        except ValidationError:
            raise _unreadable() from None
        full = _merged(current, draft)
        publish_case(full, own.folder, self._knowledge(), provenance, replace=True)
        try:
            share(self.store, own.folder, own.path)
        except BaseException:
            own.path.write_text(before, encoding="utf-8")  # not shared: changed nowhere
            raise
        self.store.audit(actor, "casus-bewerkt", _outcome_of(current), {"case": case_id})
        return own.path

    def withdraw(
        self,
        case_id: str,
        reason: str,
        local_dir: Path | None,
        actor: str,
        *,
        any_case: bool,
    ) -> None:
        """Take an own case out of the library, with the reason (audited). Without
        ``any_case`` (an adviseur, not a beheerder) only a case ``actor`` published."""
        from bot.knowledge_sync import unshare

        own = _read(case_id, local_dir)
        if not any_case and not published_by(_origin(own.fields, "by"), actor):
            raise ReviewError(
                "Alleen wie de casus publiceerde, of een beheerder, kan hem intrekken. Verbeteren "
                "kan wel.",
                "Only whoever published the case, or an administrator, can withdraw it. You can "
                "still correct it.",
                forbidden=True,
            )
        reason = reason.strip()
        if not reason:
            raise ReviewError(
                "Geef een reden: die komt in de auditlog.",
                "Give a reason: it goes into the audit log.",
            )
        if len(reason) > MAX_REASON:
            raise ReviewError(
                f"De reden is te lang (meer dan {MAX_REASON} tekens).",
                f"The reason is too long (over {MAX_REASON} characters).",
            )
        outcome = _outcome_of(own.fields)
        unshare(self.store, own.folder, own.path)  # first: a failure leaves the case in place
        own.path.unlink(missing_ok=True)  # (a sync on another lane may have removed it already)
        # The reason is the advisor's, but may name the person the case was about: the audit
        # log keeps it without personal data.
        detail = {"case": case_id, "reason": redact(reason).text}
        self.store.audit(actor, "casus-ingetrokken", outcome, detail)
