"""The workspace's pages for the organisation's own cases: ``/advisor/cases`` (the list),
``/advisor/cases/{id}`` (the case form, to check and save a correction) and
``/advisor/cases/{id}/withdraw`` (take a case out of the library, with a reason).

Saving or withdrawing reloads the knowledge at once, as a promotion does: the next triage
uses the corrected case, or no longer shows the withdrawn one.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from aiohttp import web

from adapters.advisor import pages
from adapters.advisor.auth import current, form_of
from adapters.advisor.case_form import parse_case_form, render_case_form
from bot.case_library import CaseLibrary, OwnCase, shipped
from bot.config import Settings
from bot.review import ReviewError
from knowledge.promote import PromotionError

FLASH = {
    "saved": "Casus opgeslagen; latere triages gebruiken de nieuwe tekst.",
    "withdrawn": "Casus ingetrokken; latere triages tonen hem niet meer.",
    "withdrawn-shipped": "Casus ingetrokken; de meegeleverde casus met hetzelfde kenmerk geldt "
    "weer.",
}


def cases_page(
    cases: Sequence[OwnCase],
    folder_set: bool,
    flash: str | None,
    error: str | None,
    csrf: str,
    who: str,
    status: int = 200,
    beheerder: bool = False,
) -> web.Response:
    """The organisation's own cases, each with a link to correct it and, for whoever published
    it and a beheerder, a form to withdraw it."""
    e = pages.e
    parts: list[str] = []
    if flash:
        parts.append(f'<p role="status" class="flash">{e(flash)}</p>')
    if error:
        parts.append(f'<p role="alert" class="error">{e(error)}</p>')
    parts.append(
        "<p>De casussen die jullie organisatie zelf publiceerde. Wat hier staat ziet iedere "
        "medewerker die iets vergelijkbaars vraagt. Verbeter een casus als een les niet meer "
        "klopt; trek hem in als hij niet getoond mag worden. Beide komen in de auditlog.</p>"
    )
    if not folder_set:
        parts.append(
            '<p role="alert" class="error">ETHIEKBOT_KNOWLEDGE_LOCAL is niet ingesteld: er is '
            "geen map met eigen casussen.</p>"
        )
    if not cases:
        parts.append("<p>Nog geen eigen casussen. Maak er een vanuit een triage.</p>")
        return pages.layout("Eigen casussen", "".join(parts), csrf, who, status)
    rows = []
    for c in cases:
        origin = (
            f'<a href="/advisor/outcomes/{e(c.outcome_id)}">{e(c.outcome_id)}</a>'
            if c.outcome_id
            else "met de hand"
        )
        fid = f"reason-{e(c.id)}"
        withdraw = (
            f'<form method="post" action="/advisor/cases/{e(c.id)}/withdraw">'
            f'<input type="hidden" name="csrf" value="{e(csrf)}">'
            f'<label for="{fid}">Reden van intrekken</label>'
            f'<textarea id="{fid}" name="reason" rows="2" required maxlength="2000"></textarea>'
            f'<button type="submit">Intrekken</button></form>'
            if c.withdrawable_by(who, beheerder)
            else "<small>Intrekken kan wie de casus publiceerde, of een beheerder.</small>"
        )
        rows.append(
            f'<tr><th scope="row"><a href="/advisor/cases/{e(c.id)}">{e(c.title or c.id)}</a>'
            f"<br><code>{e(c.id)}</code>{_REPLACES if c.replaces_shipped else ''}</th>"
            f"<td>{e(c.organisation or '–')}</td>"
            f"<td>{e(c.year or '–')}</td><td>{origin}</td>"
            f"<td>{withdraw}</td></tr>"
        )
    parts.append(
        '<table><caption>Eigen casussen</caption><thead><tr><th scope="col">Casus</th>'
        '<th scope="col">Organisatie</th><th scope="col">Jaar</th>'
        '<th scope="col">Van triage</th><th scope="col">Intrekken</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return pages.layout("Eigen casussen", "".join(parts), csrf, who, status)


_REPLACES = (
    "<br><small>Vervangt de meegeleverde casus met dit kenmerk; na intrekken geldt die "
    "weer.</small>"
)
_EDIT_INTRO = (
    "<p>Verbeter de casus en sla hem op: latere triages gebruiken dan de nieuwe tekst. "
    "Het id blijft hetzelfde; waar de casus vandaan kwam ook. "
    '<a href="/advisor/cases">Terug naar de eigen casussen</a>.</p>'
)
# A case form's page, given the draft, its problems, the status and a notice.
CasePage = Callable[..., web.Response]


def case_page(
    title: str,
    intro: str,
    action: str,
    csrf: str,
    who: str,
    draft: dict[str, Any],
    problems: list[str],
    status: int = 200,
    notice: str | None = None,
    *,
    submit: str | None = None,
) -> web.Response:
    """A page with the case form (a promotion or a correction), a notice above it if any."""
    flash = f'<p role="status" class="flash">{pages.e(notice)}</p>' if notice else ""
    form = render_case_form(draft, problems, csrf, action, "nl", submit=submit)
    return pages.layout(title, flash + intro + form, csrf, who, status)


async def submit_case(
    form: Mapping[str, str],
    *,
    check: Callable[[dict[str, Any]], Awaitable[list[str]]],
    publish: Callable[[dict[str, Any]], Awaitable[Any]],
    reload: Callable[[], Awaitable[bool]],
    page: CasePage,
    done: str,
    checked: str,
) -> web.StreamResponse:
    """A posted case form: button ``intent`` "check" shows the problems (or ``checked``), any
    other publishes; a refusal shows the form again with the problems (400), success goes to
    ``done``. The same for a promotion and for correcting an own case."""
    draft = parse_case_form(form)
    if form.get("intent") != "publish":
        problems = await check(draft)
        return page(draft, problems, 200, None if problems else checked)
    try:
        await publish(draft)
    except PromotionError as err:
        return page(draft, err.problems, 400, None)
    except ReviewError as err:
        return pages.message_page(err.nl, err.en, err.status)
    await reload()  # the next triage uses what was just published
    raise web.HTTPSeeOther(done)


class LibraryRoutes:
    """The routes for own cases, bound to the workspace's service and reload."""

    def __init__(
        self,
        settings: Settings,
        library: CaseLibrary,
        call: Callable[..., Awaitable[Any]],
        reload_knowledge: Callable[[], Awaitable[bool]],
    ) -> None:
        self.settings = settings
        self.library = library
        self.call = call
        self.reload_knowledge = reload_knowledge

    def mount(self, app: web.Application) -> None:
        """Add the routes to the workspace's application."""
        r = app.router
        r.add_get("/advisor/cases", self.index)
        r.add_get("/advisor/cases/{case_id}", self.form)
        r.add_post("/advisor/cases/{case_id}", self.save)
        r.add_post("/advisor/cases/{case_id}/withdraw", self.withdraw)

    async def _list_page(
        self, request: web.Request, error: str | None = None, status: int = 200
    ) -> web.Response:
        me = current(request)
        local = self.settings.knowledge_local
        cases = await self.call(self.library.own, local)
        flash = FLASH.get(request.query.get("ok", ""))
        return cases_page(
            cases,
            local is not None,
            flash,
            error,
            me.csrf,
            me.email,
            status,
            me.role == "beheerder",
        )

    async def index(self, request: web.Request) -> web.StreamResponse:
        return await self._list_page(request)

    def _form_page(self, case_id: str, version: str, csrf: str, who: str) -> CasePage:
        """The case form of an own case, for :func:`submit_case` and the GET. The version of
        the file it was opened from travels in the action, so a save notices a change."""
        return functools.partial(
            case_page,
            "Casus verbeteren",
            _EDIT_INTRO,
            f"/advisor/cases/{case_id}?version={version}",
            csrf,
            who,
            submit="Opslaan",
        )

    async def form(self, request: web.Request) -> web.StreamResponse:
        me = current(request)
        case_id = request.match_info["case_id"]
        try:
            draft, version = await self.call(
                self.library.draft, case_id, self.settings.knowledge_local
            )
        except ReviewError as err:
            return pages.message_page(err.nl, err.en, err.status)
        return self._form_page(case_id, version, me.csrf, me.email)(draft, [])

    async def save(self, request: web.Request) -> web.StreamResponse:
        """Check or save the edited case (button ``intent``)."""
        me = current(request)
        case_id = request.match_info["case_id"]
        local = self.settings.knowledge_local
        version = request.query.get("version", "")[:16] or None
        return await submit_case(
            await form_of(request),
            check=lambda draft: self.call(self.library.check, case_id, draft, local),
            publish=lambda draft: self.call(
                self.library.save, case_id, draft, local, me.email, version
            ),
            reload=self.reload_knowledge,
            page=self._form_page(case_id, version or "", me.csrf, me.email),
            done="/advisor/cases?ok=saved",
            checked="Geen problemen gevonden; je kunt opslaan.",
        )

    async def withdraw(self, request: web.Request) -> web.StreamResponse:
        me = current(request)
        case_id = request.match_info["case_id"]
        form = await form_of(request)
        try:
            await self.call(
                self.library.withdraw,
                case_id,
                form.get("reason", ""),
                self.settings.knowledge_local,
                me.email,
                any_case=me.role == "beheerder",
            )
        except PromotionError as err:
            return await self._list_page(request, " ".join(err.problems), 400)
        except ReviewError as err:
            if err.not_found:
                return pages.message_page(err.nl, err.en, 404)
            return await self._list_page(request, err.nl, err.status)
        await self.reload_knowledge()
        raise web.HTTPSeeOther(
            "/advisor/cases?ok=" + ("withdrawn-shipped" if shipped(case_id) else "withdrawn")
        )
