"""The workspace's routes: HTTP in, :class:`bot.review.ReviewDesk` calls, pages or JSON out.

Pages: ``/advisor/`` (queue), ``/advisor/outcomes/{id}`` (a triage, with a form per action),
``/advisor/audit``. JSON: ``/advisor/api/me``, ``/advisor/api/outcomes`` (the queue, same
filters as the page), ``/advisor/api/outcomes/{id}``, ``/advisor/api/audit``. Sign-in:
``/advisor/signin``, ``/advisor/login/{token}``, ``/advisor/oidc/start|callback``,
``/advisor/logout``. Every action posts, is CSRF-checked by :mod:`adapters.advisor.auth` and
redirects back (303), so a reload never repeats it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import itertools
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

from aiohttp import web

from adapters.advisor import pages
from adapters.advisor.auth import COOKIE, current, form_of, safe_next, set_session_cookie
from adapters.advisor.case_form import (
    parse_contacts_form,
    render_contacts_form,
)
from adapters.advisor.library import CasePage, LibraryRoutes, case_page, submit_case
from adapters.advisor.oidc import LoginStart, OidcClient, OidcConfig, OidcError
from bot.case_library import CaseLibrary
from bot.charts import Chart, render_charts
from bot.checkpoints import project_name
from bot.config import Settings
from bot.edge import json_error
from bot.export import iter_csv, iter_json
from bot.knowledge_sync import sync
from bot.outbox import Dispatcher
from bot.overview import compute_overview
from bot.register import draft_register_entry, incomplete_fields, register_json, register_text
from bot.review import ReviewDesk, ReviewError, instrument_names, overview_rows
from bot.service import ConversationService
from bot.storage.advisors import NO_ROLE, ROLES, token_hash
from bot.storage.review import QueueFilter
from dialogs.models import OUTCOME_ID_PATTERN
from dialogs.outcome import question_texts
from dialogs.texts import t
from knowledge.promote import PromotionError, read_contacts
from knowledge.reload import KnowledgeWatcher

log = logging.getLogger("ethiekbot.advisor")

_OUTCOME_ID = re.compile(OUTCOME_ID_PATTERN)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,80}$")
_STATIC = resources.files("adapters") / "advisor" / "static"
FLASH = {
    "status": "Status opgeslagen.",
    "assign": "Toewijzing opgeslagen.",
    "note": "Notitie toegevoegd.",
    "correct": "Correctie opgeslagen; de medewerker ziet die in het rapport.",
    "reply": "Antwoord in de wachtrij voor verzending naar de medewerker.",
    "retry": "Het bericht wordt opnieuw verstuurd.",
    "promote": "Casus gepubliceerd in de eigen map; latere triages vinden hem.",
}
PAGE_SIZE = 50
STATE_COOKIE = "ethiekbot_oidc_state"
NEXT_COOKIE = "ethiekbot_oidc_next"
KNOWLEDGE_POLL_S = 5.0
EXPORT_BATCH = 1000  # text chunks (rows) per write of an export


class Workspace:
    """The routes, bound to one service and its review desk."""

    def __init__(
        self, settings: Settings, service: ConversationService, dispatcher: Dispatcher
    ) -> None:
        self.settings = settings
        self.service = service
        self.dispatcher = dispatcher
        self.desk = ReviewDesk(service.store, lambda: service.engine.advisor.knowledge)
        self.library = LibraryRoutes(
            settings,
            CaseLibrary(service.store, lambda: service.engine.advisor.knowledge),
            self.call,
            self.reload_knowledge,
        )
        self.watcher = KnowledgeWatcher(settings.knowledge_local)
        self._reloading = asyncio.Lock()  # one reload at a time (a promotion, the poll)
        self._knowledge_applied = 0  # the database's knowledge version in this folder
        self._chart_cache: tuple[tuple[int, str], list[Chart]] | None = None
        self.oidc: OidcClient | None = None
        if settings.oidc_enabled:
            assert settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret
            self.oidc = OidcClient(
                OidcConfig(
                    issuer=settings.oidc_issuer,
                    client_id=settings.oidc_client_id,
                    client_secret=settings.oidc_client_secret.get_secret_value(),
                    redirect_uri=f"{settings.base_url}/advisor/oidc/callback",
                    advisor_group=settings.oidc_advisor_group,
                )
            )

    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await self.service.call(fn, *args, **kwargs)

    def _instruments(self) -> dict[str, str]:
        return instrument_names(self.service.engine.advisor.knowledge, "nl")

    # -- sign-in ---------------------------------------------------------------------------

    async def signin(self, request: web.Request) -> web.StreamResponse:
        return pages.signin_page(self.settings.oidc_enabled, safe_next(request.query.get("next")))

    async def login_page(self, request: web.Request) -> web.StreamResponse:
        """Opening an invite link shows one button that signs in. Not the GET itself: mail
        scanners and link previews open links before the person does, and would use it up."""
        token = request.match_info["token"]
        if not _TOKEN.match(token):
            return self._invalid_link()
        return pages.layout(
            "Aanmelden",
            "<p>Je opent de werkplek van de ethiekadviseur. Deze link werkt één keer en 24 uur.</p>"
            f'<form method="post" action="/advisor/login/{pages.e(token)}">'
            '<button type="submit">Aanmelden</button></form>'
            '<p lang="en">Sign in to the ethics advisor\'s workspace (this link works once).</p>',
            None,
            None,
        )

    def _invalid_link(self) -> web.Response:
        log.info("advisor: invite link refused (unknown, used or expired)")
        return pages.layout(
            "Link ongeldig",
            '<p role="alert">Deze aanmeldlink is onbekend, al gebruikt of verlopen '
            "(een link geldt 24 uur en één keer). Vraag de beheerder om een nieuwe.</p>"
            '<p lang="en">This sign-in link is unknown, used or expired. '
            "Ask for a new one.</p>",
            None,
            None,
            403,
        )

    async def login_link(self, request: web.Request) -> web.StreamResponse:
        """The invite link's button: signs in (once, within 24 hours)."""
        token = request.match_info["token"]
        redeemed = (
            await self.call(self.service.store.redeem_invite, token)
            if _TOKEN.match(token)
            else None
        )
        if redeemed is None:
            return self._invalid_link()
        email, role = redeemed
        return await self._start_session(request, email, role)

    async def _start_session(
        self, request: web.Request, email: str, role: str, goto: str = "/advisor/"
    ) -> web.StreamResponse:
        session_id = await self.call(self.service.store.create_session, email, role)
        await self.call(self.service.store.audit, email, "aangemeld", None, {"role": role})
        response = web.HTTPSeeOther(goto)
        set_session_cookie(response, request, self.settings, session_id)
        raise response

    async def oidc_start(self, request: web.Request) -> web.StreamResponse:
        """Off to the identity provider (authorization code flow with PKCE)."""
        if self.oidc is None:
            raise web.HTTPNotFound()
        try:
            start = await self.oidc.begin()
        except OidcError as err:
            return pages.signin_page(True, "/advisor/", str(err))
        await self.call(
            self.service.store.save_oidc_pending, start.state, start.nonce, start.code_verifier
        )
        response = web.HTTPFound(start.authorize_url)
        response.set_cookie(
            NEXT_COOKIE,
            safe_next(request.query.get("next")),
            httponly=True,
            samesite="Lax",
            path="/advisor/oidc",
            max_age=900,
        )
        # The callback must come back to the browser that started it (no login CSRF, no
        # replay of a leaked callback URL in another browser).
        response.set_cookie(
            STATE_COOKIE,
            token_hash(start.state),
            httponly=True,
            samesite="Lax",
            secure=request.secure or self.settings.base_url.startswith("https://"),
            path="/advisor/oidc",
            max_age=900,
        )
        raise response

    async def oidc_callback(self, request: web.Request) -> web.StreamResponse:
        """Back from the provider: check state, nonce and token; the role from the group
        claim or the advisor list; a person who is neither gets a session that sees 403."""
        if self.oidc is None:
            raise web.HTTPNotFound()
        state = request.query.get("state", "")
        bound = hmac.compare_digest(request.cookies.get(STATE_COOKIE, ""), token_hash(state))
        pending = (
            await self.call(self.service.store.take_oidc_pending, state)
            if state and bound
            else None
        )
        if pending is None:
            log.info("advisor: OIDC callback with an unknown or used state refused")
            message = "Aanmelden is verlopen of al gebruikt; probeer opnieuw. / Sign-in expired."
            if request.query.get("error") == "access_denied":
                message = "Aanmelden geweigerd door de identity provider. / Sign-in was denied."
            return pages.signin_page(True, "/advisor/", message)
        nonce, verifier = pending
        start = LoginStart(authorize_url="", state=state, nonce=nonce, code_verifier=verifier)
        try:
            identity = await self.oidc.finish(request.query, start)
        except OidcError as err:
            log.info("advisor: OIDC sign-in refused (%s)", err.reason)
            return pages.signin_page(True, "/advisor/", str(err))
        email = (identity.email or f"{identity.subject}@{identity.issuer or 'oidc'}").lower()
        listed = (
            await self.call(self.service.store.get_advisor, email)
            if identity.email and identity.email_verified
            else None
        )
        role = listed.role if listed else ("adviseur" if identity.in_advisor_group else NO_ROLE)
        # Back where the person was going (a notification's link to a triage), not the queue.
        return await self._start_session(
            request, email, role, safe_next(request.cookies.get(NEXT_COOKIE))
        )

    async def logout(self, request: web.Request) -> web.StreamResponse:
        session_id = request.cookies.get(COOKIE, "")
        await self.call(self.service.store.end_session, session_id)
        await self.call(self.service.store.audit, current(request).email, "afgemeld")
        response = web.HTTPSeeOther("/advisor/signin")
        response.del_cookie(COOKIE, path="/advisor")
        raise response

    # -- the queue ---------------------------------------------------------------------------

    async def queue(self, request: web.Request) -> web.StreamResponse:
        me = current(request)
        try:
            f, after = parse_filter(request.query)
            rows = await self.call(self.desk.queue, f, PAGE_SIZE + 1, after)
        except ReviewError as err:
            return pages.queue_page(
                [], QueueFilter(), self._instruments(), _CHANNELS, None, me.csrf, me.email, err.nl
            )
        next_after = None
        if len(rows) > PAGE_SIZE:
            rows = rows[:PAGE_SIZE]
            next_after = f"{rows[-1].created_at}|{rows[-1].id}"
        since = datetime.now(UTC) - timedelta(days=30)
        erased = await self.call(self.service.store.erased_on_request, since)
        return pages.queue_page(
            rows, f, self._instruments(), _CHANNELS, next_after, me.csrf, me.email, erased=erased
        )

    async def api_queue(self, request: web.Request) -> web.StreamResponse:
        try:
            f, after = parse_filter(request.query)
            limit = _limit(request.query.get("limit"))
            rows = await self.call(self.desk.queue, f, limit + 1, after)
        except ReviewError as err:
            return json_error(400, err.nl, err.en)
        next_after = (
            f"{rows[limit - 1].created_at}|{rows[limit - 1].id}" if len(rows) > limit else None
        )
        return web.json_response({"items": pages.as_dict(rows[:limit]), "next": next_after})

    async def me(self, request: web.Request) -> web.StreamResponse:
        me = current(request)
        return web.json_response({"email": me.email, "role": me.role, "csrf": me.csrf})

    # -- one triage --------------------------------------------------------------------------

    def _outcome_id(self, request: web.Request) -> str:
        oid = request.match_info["outcome_id"]
        if not _OUTCOME_ID.match(oid):
            raise ReviewError("Onbekend kenmerk.", "Unknown reference.", not_found=True)
        return oid

    async def triage(self, request: web.Request) -> web.StreamResponse:
        me = current(request)
        try:
            view = await self.call(self.desk.open, self._outcome_id(request), me.email)
        except ReviewError as err:
            return pages.message_page(err.nl, err.en, err.status, signed_in=True)
        return await self._triage_page(request, view, flash=FLASH.get(request.query.get("ok", "")))

    async def _triage_page(
        self,
        request: web.Request,
        view: Any,
        flash: str | None = None,
        error: str | None = None,
        status: int = 200,
        kept: dict[str, str] | None = None,
    ) -> web.StreamResponse:
        me = current(request)
        k = self.service.engine.advisor.knowledge
        advisors = [a.email for a in await self.call(self.service.store.advisors)]
        lang = view.record.outcome.lang
        values = {vid: v.name.get(lang) for vid, v in k.values.items()}
        questions = question_texts(k, lang)
        store = self.service.store
        project_id = await self.call(store.project_of, view.record.id) or view.record.id
        project = pages.project_section(
            view.record.id,
            await self.call(store.project_outcomes, project_id),
            await self.call(store.checkpoints, project_id),
        )
        return pages.triage_page(
            view,
            self._instruments(),
            advisors,
            values,
            questions,
            me.csrf,
            me.email,
            flash,
            error,
            status,
            project,
            kept or {},
        )

    async def api_triage(self, request: web.Request) -> web.StreamResponse:
        me = current(request)
        try:
            view = await self.call(self.desk.open, self._outcome_id(request), me.email)
        except ReviewError as err:
            return json_error(err.status, err.nl, err.en)
        return web.json_response(view.as_json())

    def _action(
        self, name: str, run: Callable[[str, Any, str], Callable[[], Any]]
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """A POST on a triage: do it on the worker thread, then back to the page (303); a
        refusal shows the page again with the reason (400)."""

        async def handler(request: web.Request) -> web.StreamResponse:
            me = current(request)
            try:
                oid = self._outcome_id(request)
                form = await form_of(request)
                await self.call(run(oid, form, me.email))
            except ReviewError as err:
                if err.not_found:
                    return pages.message_page(err.nl, err.en, err.status, signed_in=True)
                try:
                    view = await self.call(self.desk._view, oid)
                except ReviewError as missing:  # a bad form for a triage that is not there
                    return pages.message_page(
                        missing.nl, missing.en, missing.status, signed_in=True
                    )
                # What was typed stays in the form: a refusal must not cost the reason.
                kept = {"action": name, **{k: str(v) for k, v in form.items()}}
                return await self._triage_page(request, view, error=err.nl, status=400, kept=kept)
            if name in ("reply", "retry"):
                self.dispatcher.wake()
            raise web.HTTPSeeOther(f"/advisor/outcomes/{oid}?ok={name}")

        return handler

    # -- growing the knowledge ---------------------------------------------------------------

    async def promote_form(self, request: web.Request) -> web.StreamResponse:
        """The case editor, prefilled from the triage."""
        me = current(request)
        try:
            oid = self._outcome_id(request)
            await self.call(self.desk.open, oid, me.email)  # reading the triage: audited
            draft = await self.call(self.desk.draft_case, oid, self.service.engine.advisor)
        except ReviewError as err:
            return pages.message_page(err.nl, err.en, 404)
        return self._promote_page(oid, me.csrf, me.email)(draft, [])

    def _promote_page(self, oid: str, csrf: str, who: str) -> CasePage:
        """The case form prefilled from a triage, for :func:`submit_case` and the GET."""
        intro = (
            '<p role="note" class="error"><strong>Let op:</strong> een casus is zichtbaar voor '
            "iedereen die Ethiekbot later een vraag stelt. Haal namen, adressen en andere "
            "gegevens van personen uit de tekst en uit de lessen voordat je publiceert.</p>"
            f'<p>Van triage <a href="/advisor/outcomes/{pages.e(oid)}">{pages.e(oid)}</a>. '
            "Vul aan, vertaal, controleer en publiceer: de casus komt in de eigen map van de "
            "organisatie en latere triages vinden hem zonder herstart.</p>"
        )
        if self.settings.knowledge_local is None:
            intro += (
                '<p role="alert" class="error">ETHIEKBOT_KNOWLEDGE_LOCAL is niet ingesteld: '
                "publiceren kan pas als er een eigen kennismap is.</p>"
            )
        action = f"/advisor/outcomes/{oid}/promote"
        return functools.partial(case_page, "Casus maken", intro, action, csrf, who)

    async def promote(self, request: web.Request) -> web.StreamResponse:
        """Check or publish the edited case (button ``intent``)."""
        me = current(request)
        try:
            oid = self._outcome_id(request)
        except ReviewError as err:
            return pages.message_page(err.nl, err.en, 404)
        local = self.settings.knowledge_local
        return await submit_case(
            await form_of(request),
            check=lambda draft: self.call(self.desk.check_case, draft),
            publish=lambda draft: self.call(self.desk.publish_case, oid, draft, local, me.email),
            reload=self.reload_knowledge,
            page=self._promote_page(oid, me.csrf, me.email),
            done=f"/advisor/outcomes/{oid}?ok=promote",
            checked="Geen problemen gevonden; je kunt publiceren.",
        )

    async def reload_knowledge(self) -> bool:
        """Use the organisation's folder as it is now (after a promotion or a contacts edit,
        or when another process changed it). True when the knowledge changed."""
        if self.settings.knowledge_local is not None:
            # Several instances on one database: first take what another one published.
            self._knowledge_applied = await self.call(
                sync, self.service.store, self.settings.knowledge_local, self._knowledge_applied
            )
        async with self._reloading:
            # Not on a storage lane: indexing a large library takes seconds, and on SQLite the
            # one lane is every conversation's. The advisor in use lends what it indexed.
            advisor = await asyncio.to_thread(self.watcher.poll, self.service.engine.advisor)
        if advisor is None:
            return False
        await self.call(self.service.engine.use_advisor, advisor)
        log.info("knowledge reloaded from the organisation's folder")
        return True

    async def contacts_form(self, request: web.Request) -> web.StreamResponse:
        me = current(request)
        if self.settings.knowledge_local is None:
            return pages.message_page(
                "ETHIEKBOT_KNOWLEDGE_LOCAL is niet ingesteld.",
                "ETHIEKBOT_KNOWLEDGE_LOCAL is not set.",
                404,
            )
        text = await self.call(read_contacts, self.settings.knowledge_local)
        flash = (
            '<p role="status" class="flash">Contacten opgeslagen.</p>'
            if request.query.get("ok")
            else ""
        )
        body = flash + render_contacts_form(text, [], me.csrf, "/advisor/contacts", "nl")
        return pages.layout("Contacten van de organisatie", body, me.csrf, me.email)

    async def contacts(self, request: web.Request) -> web.StreamResponse:
        me = current(request)
        form = await form_of(request)
        text = parse_contacts_form(form)
        try:
            await self.call(self.desk.save_contacts, text, self.settings.knowledge_local, me.email)
        except PromotionError as err:
            body = render_contacts_form(text, err.problems, me.csrf, "/advisor/contacts", "nl")
            return pages.layout("Contacten van de organisatie", body, me.csrf, me.email, 400)
        await self.reload_knowledge()
        raise web.HTTPSeeOther("/advisor/contacts?ok=1")

    # -- export and overview -----------------------------------------------------------------

    async def export(self, request: web.Request) -> web.StreamResponse:
        """The current filter as CSV or JSON, streamed: the rows are read and formatted on the
        worker thread a batch at a time, and each batch is written before the next is read,
        so memory stays one batch whatever the number of rows."""
        me = current(request)
        fmt = "csv" if request.path.endswith(".csv") else "json"
        formatter = iter_csv if fmt == "csv" else iter_json
        try:
            f, _ = parse_filter(request.query)
            chunks = await self.call(lambda: formatter(self.desk.export(f, me.email, fmt)))
        except ReviewError as err:
            return json_error(400, err.nl, err.en)
        content_type = "text/csv" if fmt == "csv" else "application/json"
        response = web.StreamResponse(
            headers={
                **pages.HEADERS,
                "Content-Type": f"{content_type}; charset=utf-8",
                "Content-Disposition": f'attachment; filename="ethiekbot-triages.{fmt}"',
            }
        )
        response.enable_chunked_encoding()
        await response.prepare(request)
        while part := await self.call(_take, chunks, EXPORT_BATCH):
            await response.write("".join(part).encode())
        await response.write_eof()
        return response

    async def _charts(self) -> list[Chart]:
        """The overview's charts, computed again only when a triage was added or reviewed."""
        key = await self.call(self.service.store.overview_key)
        if self._chart_cache is None or self._chart_cache[0] != key:
            knowledge = self.service.engine.advisor.knowledge

            def compute() -> list[Chart]:
                ov = compute_overview(overview_rows(self.service.store), "nl", knowledge)
                return render_charts(ov, "nl")

            self._chart_cache = (key, await self.call(compute))
        return self._chart_cache[1]

    async def overview(self, request: web.Request) -> web.StreamResponse:
        me = current(request)
        charts = await self._charts()
        return pages.overview_page(charts, me.csrf, me.email)

    async def chart(self, request: web.Request) -> web.StreamResponse:
        """One chart as SVG (its own style inside; no script, nothing from elsewhere)."""
        name = request.match_info["name"]
        for c in await self._charts():
            if c.id == name:
                return web.Response(
                    text=c.svg,
                    content_type="image/svg+xml",
                    headers={
                        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
                        "X-Content-Type-Options": "nosniff",
                        "Cache-Control": "no-store",
                    },
                )
        raise web.HTTPNotFound()

    async def register(self, request: web.Request) -> web.StreamResponse:
        """A draft entry for the Algoritmeregister, as a page, JSON or text."""
        me = current(request)
        fmt = request.match_info.get("fmt", "")
        try:
            view = await self.call(self.desk.open, self._outcome_id(request), me.email)
        except ReviewError as err:
            return pages.message_page(err.nl, err.en, 404)
        organisation = request.query.get("organisatie", "")[:200] or None
        entry = draft_register_entry(view.record.outcome, organisation, "nl")
        name = f"algoritmeregister-{view.record.id}"
        if fmt == "json":
            return web.Response(
                text=register_json(entry),
                content_type="application/json",
                headers={
                    **pages.HEADERS,
                    "Content-Disposition": f'attachment; filename="{name}.json"',
                },
            )
        if fmt == "txt":
            return web.Response(
                text=register_text(entry, "nl"),
                content_type="text/plain",
                headers={
                    **pages.HEADERS,
                    "Content-Disposition": f'attachment; filename="{name}.txt"',
                },
            )
        return pages.register_page(
            view.record.id, entry, incomplete_fields(entry, "nl"), me.csrf, me.email
        )

    # -- projects and their checkpoints ------------------------------------------------------

    async def projects(self, request: web.Request) -> web.StreamResponse:
        me = current(request)
        store = self.service.store
        rows = await self.call(store.checkpoints)
        names: dict[str, str] = {}
        for project in {c.project_id for c in rows}:
            record = await self.call(store.get_outcome, project)
            names[project] = project_name(record.outcome) if record else project
        now = datetime.now(UTC)
        # A reminder sent two weeks ago that nobody closed counts as late.
        late = (now - timedelta(days=14)).isoformat(timespec="seconds")
        return pages.projects_page(
            rows, names, now.isoformat(timespec="seconds"), me.csrf, me.email, late
        )

    # -- who is an advisor (beheerder) ------------------------------------------------------

    async def advisors(self, request: web.Request) -> web.StreamResponse:
        me = current(request)
        accounts = await self.call(self.service.store.advisors)
        return pages.advisors_page(accounts, me.role == "beheerder", None, None, me.csrf, me.email)

    async def advisors_change(self, request: web.Request) -> web.StreamResponse:
        """Invite, change a role or remove: only a beheerder (403 for an adviseur)."""
        me = current(request)
        if me.role != "beheerder":
            return pages.message_page(
                "Alleen een beheerder beslist wie adviseur is.",
                "Only an administrator decides who is an advisor.",
                403,
            )
        form = await form_of(request)
        action = request.match_info["action"]
        email = form.get("email", "").strip().lower()
        role = form.get("role", "adviseur")
        store = self.service.store
        link = error = None
        if "@" not in email or len(email) > 254 or role not in ROLES:
            error = "Geef een e-mailadres en een rol (adviseur of beheerder)."
        elif action == "invite":
            token = await self.call(store.create_invite, email, role)
            await self.call(
                store.audit, me.email, "uitnodiging", None, {"email": email, "role": role}
            )
            link = f"{self.settings.base_url}/advisor/login/{token}"
        elif action == "role":
            if await self.call(store.get_advisor, email) is None:
                error = f"{email} is geen adviseur."
            else:
                await self.call(store.add_advisor, email, role, me.email)
                await self.call(
                    store.audit,
                    me.email,
                    "adviseur-toegevoegd",
                    None,
                    {"email": email, "role": role},
                )
        elif action == "remove":
            if email == me.email:
                error = "Je kunt jezelf niet verwijderen."
            elif not await self.call(store.remove_advisor, email):
                error = f"{email} is geen adviseur."
            else:
                await self.call(
                    store.audit, me.email, "adviseur-verwijderd", None, {"email": email}
                )
        else:
            raise web.HTTPNotFound()
        accounts = await self.call(store.advisors)
        return pages.advisors_page(
            accounts, True, link, error, me.csrf, me.email, 400 if error else 200
        )

    # -- audit -------------------------------------------------------------------------------

    async def audit(self, request: web.Request) -> web.StreamResponse:
        me = current(request)
        before = _int(request.query.get("before"))
        entries = await self.call(self.desk.audit_log, None, 100, before)
        older = entries[-1].id if len(entries) == 100 else None
        return pages.audit_page(entries, older, me.csrf, me.email)

    async def api_audit(self, request: web.Request) -> web.StreamResponse:
        before = _int(request.query.get("before"))
        oid = request.query.get("outcome_id") or None
        entries = await self.call(
            self.desk.audit_log, oid, _limit(request.query.get("limit")), before
        )
        return web.json_response({"items": pages.as_dict(entries)})

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name != "workspace.css":
            raise web.HTTPNotFound()
        return web.Response(
            text=(_STATIC / name).read_text(encoding="utf-8"),
            content_type="text/css",
            headers=pages.HEADERS,
        )

    # -- wiring ------------------------------------------------------------------------------

    def mount(self, app: web.Application) -> None:
        desk = self.desk
        r = app.router
        r.add_get("/advisor", _to_queue)
        r.add_get("/advisor/", self.queue)
        r.add_get("/advisor/signin", self.signin)
        r.add_get("/advisor/login/{token}", self.login_page)
        r.add_post("/advisor/login/{token}", self.login_link)
        r.add_post("/advisor/logout", self.logout)
        r.add_get("/advisor/oidc/start", self.oidc_start)
        r.add_get("/advisor/oidc/callback", self.oidc_callback)
        r.add_get("/advisor/static/{name}", self.static)
        r.add_get("/advisor/audit", self.audit)
        r.add_get("/advisor/api/me", self.me)
        r.add_get("/advisor/api/outcomes", self.api_queue)
        r.add_get("/advisor/api/outcomes/{outcome_id}", self.api_triage)
        r.add_get("/advisor/api/audit", self.api_audit)
        r.add_get("/advisor/outcomes/{outcome_id}", self.triage)
        r.add_get("/advisor/outcomes/{outcome_id}/promote", self.promote_form)
        r.add_post("/advisor/outcomes/{outcome_id}/promote", self.promote)
        r.add_get("/advisor/export.csv", self.export)
        r.add_get("/advisor/export.json", self.export)
        r.add_get("/advisor/overview", self.overview)
        r.add_get("/advisor/charts/{name}.svg", self.chart)
        r.add_get("/advisor/outcomes/{outcome_id}/register", self.register)
        r.add_get("/advisor/outcomes/{outcome_id}/register.{fmt}", self.register)
        r.add_get("/advisor/projects", self.projects)
        r.add_get("/advisor/advisors", self.advisors)
        r.add_post("/advisor/advisors/{action}", self.advisors_change)
        self.library.mount(app)
        r.add_get("/advisor/contacts", self.contacts_form)
        r.add_post("/advisor/contacts", self.contacts)
        actions: dict[str, Callable[[str, Any, str], Callable[[], Any]]] = {
            "status": lambda oid, form, who: (
                lambda: desk.set_status(
                    oid, form.get("status", ""), who, form.get("referred_to", "") or None
                )
            ),
            "assign": lambda oid, form, who: lambda: desk.assign(oid, form.get("email", ""), who),
            "note": lambda oid, form, who: lambda: desk.add_note(oid, form.get("text", ""), who),
            "correct": lambda oid, form, who: (
                lambda: desk.correct(
                    oid,
                    form.get("field", ""),
                    form.get("revised", ""),
                    form.get("reason", ""),
                    who,
                )
            ),
            "reply": lambda oid, form, who: lambda: desk.reply(oid, form.get("text", ""), who),
            "retry": lambda oid, form, who: (
                lambda: desk.retry_delivery(oid, _int(form.get("item", "")) or 0, who)
            ),
        }
        for name, run in actions.items():
            r.add_post(f"/advisor/outcomes/{{outcome_id}}/{name}", self._action(name, run))
        app.on_cleanup.append(self._close)
        app.cleanup_ctx.append(self._watch_knowledge)

    async def _watch_knowledge(self, app: web.Application) -> AsyncIterator[None]:
        # A case promoted from the command line, or by another instance (through the folder
        # they share, or on PostgreSQL through the database), is used within seconds, without
        # a restart; at start, what the database holds is taken at once.
        async def loop() -> None:
            while True:
                try:
                    await self.reload_knowledge()
                except Exception:  # logged; the next round tries again
                    log.exception("knowledge reload failed")
                await asyncio.sleep(KNOWLEDGE_POLL_S)

        task = asyncio.create_task(loop()) if self.settings.knowledge_local else None
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _close(self, app: web.Application) -> None:
        if self.oidc is not None:
            await self.oidc.close()


# (The terminal too: `ethiekbot chat` and `ethiekbot triage` log triages the queue shows.)
_CHANNELS = ("web", "slack", "teams", "console")


async def _to_queue(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/advisor/")


def _take(chunks: Iterator[str], n: int) -> list[str]:
    """Up to ``n`` chunks from ``chunks`` (on the worker thread, where the store is read)."""
    return list(itertools.islice(chunks, n))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() and len(value) < 12 else None


def _limit(value: str | None) -> int:
    n = _int(value)
    return max(1, min(n, 500)) if n else PAGE_SIZE


def parse_filter(query: Any) -> tuple[QueueFilter, tuple[str, str] | None]:
    """The queue's filter and page cursor from query parameters (the page's and the API's)."""

    def get(name: str) -> str | None:
        value = str(query.get(name, "")).strip()
        return value[:200] or None

    handed = get("handed_over")
    if handed not in (None, "ja", "nee", "true", "false"):
        raise ReviewError("Overgedragen is ja of nee.", "handed_over is ja or nee.")
    waiting = get("waiting")
    if waiting not in (None, "ja", "nee", "true", "false"):
        raise ReviewError("Wacht op antwoord is ja of nee.", "waiting is ja or nee.")
    f = QueueFilter(
        status=get("status"),
        risk=get("risk"),
        channel=get("channel"),
        date_from=get("from"),
        date_to=get("to"),
        instrument=get("instrument"),
        signal=get("signal"),
        handed_over=None if handed is None else handed in ("ja", "true"),
        assigned_to=get("assigned_to"),
        q=get("q"),
        waiting=None if waiting is None else waiting in ("ja", "true"),
    )
    after = None
    cursor = get("after")
    if cursor:
        created, _, oid = cursor.partition("|")
        if not _OUTCOME_ID.match(oid) or not created:
            raise ReviewError("Onbekende pagina.", "Unknown page.")
        after = (created, oid)
    return f, after


def advisor_reply_text(lang: str) -> str:
    """Kept for adapters that label the answer button (same text as the engine's)."""
    return t("choice_answer_advisor", "en" if lang == "en" else "nl")
