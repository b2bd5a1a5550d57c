"""Who is signed in to the advisor's workspace: one middleware in front of every route.

* Without a valid session, ``/advisor/api/…`` answers 401 and a page redirects to sign-in;
  a signed-in person who is not an advisor gets 403. Never data.
* Every state-changing request carries the session's CSRF token (form field ``csrf`` or header
  ``X-CSRF-Token``), and, where the browser sends one, an ``Origin`` of this server.
* Sessions: an HttpOnly, SameSite=Lax cookie on ``/advisor``, Secure behind https, ended after
  eight idle hours or by signing out. The store keeps only a hash of the session id.
* Signing in: a one-time invite link (``ethiekbot advisor invite``), or OpenID Connect (see
  :mod:`adapters.advisor.oidc`) when an issuer is configured.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from aiohttp import web

from bot.config import Settings
from bot.service import ConversationService
from bot.storage.advisors import AdvisorSession

log = logging.getLogger("ethiekbot.advisor")

COOKIE = "ethiekbot_advisor"
SESSION_KEY: web.RequestKey[AdvisorSession] = web.RequestKey("advisor_session", AdvisorSession)
# Reachable without a session: signing in, and the workspace's own style sheet.
PUBLIC_PREFIXES = ("/advisor/login/", "/advisor/signin", "/advisor/oidc/", "/advisor/static/")
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def form_of(request: web.Request) -> dict[str, str]:
    """The posted form's text fields (a file field or undecodable bytes are not text): never
    an exception for odd input, an empty form at worst."""
    try:
        posted = await request.post()
    except (UnicodeDecodeError, ValueError, LookupError):  # LookupError: charset=bogus
        return {}
    return {k: v for k, v in posted.items() if isinstance(v, str)}


def current(request: web.Request) -> AdvisorSession:
    """The signed-in advisor of a request that passed the middleware."""
    return request[SESSION_KEY]


def _is_api(path: str) -> bool:
    return path.startswith("/advisor/api/") or path.endswith((".csv", ".json"))


def _refuse(request: web.Request, status: int, csrf: str | None = None) -> web.StreamResponse:
    nl, en = {
        401: ("Niet aangemeld.", "Not signed in."),
        403: ("Geen toegang: alleen voor ethiekadviseurs.", "No access: ethics advisors only."),
        419: ("Verlopen formulier; laad de pagina opnieuw.", "Expired form; reload the page."),
    }[status]
    if status == 419:
        status = 403
    if _is_api(request.path):
        return web.json_response({"error": {"nl": nl, "en": en}}, status=status)
    if status == 401:
        target = quote(request.path_qs, safe="/?=&")
        raise web.HTTPFound(f"/advisor/signin?next={target}")
    from adapters.advisor import pages

    return pages.message_page(nl, en, status, csrf)


def _same_origin(request: web.Request, settings: Settings) -> bool:
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin is None
    allowed = {f"{request.scheme}://{request.host}", settings.base_url}
    return origin.rstrip("/") in allowed


def middleware(settings: Settings, service: ConversationService) -> web.middleware:  # type: ignore[valid-type]
    """The aiohttp middleware guarding ``/advisor``."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        if not (path == "/advisor" or path.startswith("/advisor/")):
            return await handler(request)
        if path.startswith(PUBLIC_PREFIXES):
            return await handler(request)
        session_id = request.cookies.get(COOKIE)
        session = await service.call(service.store.get_session, session_id) if session_id else None
        if session is None:
            return _refuse(request, 401)
        if not session.is_advisor and path != "/advisor/logout":
            return _refuse(request, 403, session.csrf)
        if request.method in UNSAFE_METHODS:
            token = request.headers.get("X-CSRF-Token")
            if token is None and request.content_type in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            ):
                token = (await form_of(request)).get("csrf", "")
            if not token or not hmac.compare_digest(token, session.csrf):
                log.info("advisor: request without a valid CSRF token refused")
                return _refuse(request, 419)
            if not _same_origin(request, settings):
                log.info("advisor: cross-origin request refused")
                return _refuse(request, 419)
        request[SESSION_KEY] = session
        return await handler(request)

    return guard


def set_session_cookie(
    response: web.StreamResponse, request: web.Request, settings: Settings, session_id: str
) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, on /advisor, Secure behind https."""
    secure = request.secure or settings.base_url.startswith("https://")
    response.set_cookie(
        COOKIE,
        session_id,
        httponly=True,
        samesite="Lax",
        secure=secure,
        path="/advisor",
    )  # a browser-session cookie: the server ends it (8 idle hours, 12 hours at most)


def safe_next(value: str | None) -> str:
    """Where to go after signing in: only a path of the workspace (no open redirect)."""
    if not value:
        return "/advisor/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/advisor") or "\\" in value:
        return "/advisor/"
    return value
