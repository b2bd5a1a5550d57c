"""The server's edge: what every request passes before a handler sees it, and after.

* :func:`error_boundary`: a fault while reading or validating a request becomes a JSON 400
  (413 too large, 415 wrong media type) in the caller's language; anything else unexpected
  becomes a JSON 500 without a traceback. One log line each, naming the route and the error's
  class, never the text people typed (which may hold personal data).
* :func:`read_json`: the one way a handler reads a JSON body: a declared charset that is not
  UTF-8 is refused, nesting is bounded, and strings with lone surrogates are refused (they
  cannot be stored or sent on).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.logs import where

log = logging.getLogger("ethiekbot.edge")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

MAX_JSON_DEPTH = 32
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_UTF8 = {"utf-8", "utf8"}
_JSONISH = {"application/json", "text/plain", "application/octet-stream"}


class BadRequest(Exception):
    """A request that cannot be served as sent: answered with ``status`` and a message in
    Dutch and English. Raised by readers and validators; the boundary turns it into JSON."""

    def __init__(self, status: int, nl: str, en: str) -> None:
        super().__init__(en)
        self.status = status
        self.nl = nl
        self.en = en


def preferred_lang(request: web.BaseRequest) -> str:
    """ "en" when the caller's Accept-Language puts English first, else "nl"."""
    header = request.headers.get("Accept-Language", "")
    return "en" if header.strip().lower().startswith("en") else "nl"


def json_error(status: int, nl: str, en: str, message: str | None = None) -> web.Response:
    """The one shape of a JSON error: ``{"error": {"nl", "en"}}``, and ``message`` when the
    caller's language is known."""
    body: dict[str, Any] = {"error": {"nl": nl, "en": en}}
    if message is not None:
        body["message"] = message
    return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})


def error_response(request: web.BaseRequest, status: int, nl: str, en: str) -> web.Response:
    """A JSON error: both languages, and ``message`` in the caller's."""
    return json_error(status, nl, en, en if preferred_lang(request) == "en" else nl)


async def read_json(request: web.Request, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The request's JSON body, or :class:`BadRequest` saying what is wrong with it."""
    content_type = request.content_type
    # A missing Content-Type reads as application/octet-stream; forms and files are refused.
    if content_type not in _JSONISH and not content_type.endswith("+json"):
        raise BadRequest(
            415,
            "Stuur JSON (Content-Type: application/json).",
            "Send JSON (Content-Type: application/json).",
        )
    charset = (request.charset or "utf-8").lower()
    if charset not in _UTF8:
        raise BadRequest(415, "Alleen UTF-8 wordt ondersteund.", "Only UTF-8 is supported.")
    raw = await request.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(
            400, "Ongeldige tekens (geen UTF-8).", "Invalid characters (not UTF-8)."
        ) from None
    if _too_deep(text, max_depth):
        raise BadRequest(400, "De aanvraag is te diep genest.", "The request is nested too deeply.")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise BadRequest(
            400, "Ongeldige aanvraag (geen JSON).", "Invalid request (not JSON)."
        ) from None
    if _has_surrogate(value):
        raise BadRequest(400, "Ongeldige tekens in de aanvraag.", "Invalid characters in request.")
    return value


def _too_deep(text: str, max_depth: int) -> bool:
    # Counted on the text before parsing, so a thousand-deep array never reaches the parser's
    # recursion. Brackets inside strings are removed first (escaped quotes included).
    if text.count("[") + text.count("{") <= max_depth:
        return False
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    depth = 0
    for m in re.finditer(r"[\[\]{}]", bare):
        depth += 1 if m.group() in "[{" else -1
        if depth > max_depth:
            return True
    return False


def _has_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


@web.middleware
async def error_boundary(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every fault a clear JSON answer; a traceback never leaves the server or enters the log."""
    route = request.match_info.route.resource
    name = route.canonical if route is not None else "-"
    try:
        return await handler(request)
    except BadRequest as exc:
        log.info("%s %s: %d %s", request.method, name, exc.status, exc.en)
        return error_response(request, exc.status, exc.nl, exc.en)
    except web.HTTPRequestEntityTooLarge:
        log.info("%s %s: 413 body too large", request.method, name)
        return error_response(
            request, 413, "Het bericht is te groot.", "The request body is too large."
        )
    except web.HTTPException as exc:
        if exc.status < 400 or exc.text not in (None, "", f"{exc.status}: {exc.reason}"):
            raise  # redirects, and errors a handler wrote itself
        response = error_response(
            request, exc.status, _NL_REASONS.get(exc.status, exc.reason), exc.reason
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in exc.headers:
                response.headers[header] = exc.headers[header]
        return response
    except (UnicodeError, ValueError, RecursionError) as exc:
        # Parsing faults (a header, a form, a number): the request is bad. Logged as a warning
        # with the place, since it may also be a check our own code is missing.
        log.warning("%s %s: 400 %s at %s", request.method, name, type(exc).__name__, where(exc))
        return error_response(request, 400, "Ongeldige aanvraag.", "Invalid request.")
    except Exception as exc:
        log.error("%s %s: 500 %s at %s", request.method, name, type(exc).__name__, where(exc))
        return error_response(
            request,
            500,
            "Er ging iets mis aan onze kant; probeer het nog eens.",
            "Something went wrong on our side; please try again.",
        )


_NL_REASONS = {
    400: "Ongeldige aanvraag.",
    401: "Niet aangemeld of handtekening ongeldig.",
    403: "Geen toegang.",
    404: "Niet gevonden.",
    405: "Deze methode is hier niet toegestaan.",
    406: "Dit formaat kan ik niet leveren.",
    409: "Conflict met de huidige toestand.",
    410: "Verwijderd.",
    413: "Het bericht is te groot.",
    415: "Dit soort inhoud wordt niet ondersteund.",
    429: "Te veel verzoeken; probeer het zo nog eens.",
}


# -- headers on every response -----------------------------------------------------------------

HTML_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
# What may be kept in a cache: the page's own script and style, and nothing else.
_CACHEABLE = ("/static/", "/advisor/static/")


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: nosniff and no-referrer everywhere, a CSP on HTML that has none
    of its own, and ``Cache-Control: no-store`` unless the response is a static asset (a chat,
    a report or an error may hold someone's text, and must not stay in a shared cache)."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if response.content_type == "text/html":
        headers.setdefault("Content-Security-Policy", HTML_CSP)
    if not request.path.startswith(_CACHEABLE):
        headers["Cache-Control"] = "no-store"


# -- where requests may come from ---------------------------------------------------------------

# The web chat's own API: a browser on another site must not drive it with someone's session.
_WEB_CHAT_POSTS = "/api/"
_PROBES = ("/healthz", "/readyz")


def origin_guard(public_url: str | None) -> Callable[..., Awaitable[web.StreamResponse]]:
    """A middleware: with a public URL configured, a request for another host gets 421; a
    browser POST to the web chat's API from another origin gets 403 (requests without an
    Origin, such as curl's, are not from a page and pass)."""
    from urllib.parse import urlsplit

    public = urlsplit(public_url) if public_url else None
    public_host = public.netloc.lower() if public else None

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.host.lower()
        if public_host and host != public_host and request.path not in _PROBES:
            return error_response(
                request, 421, "Onbekende host voor deze server.", "Unknown host for this server."
            )
        origin = request.headers.get("Origin")
        if (
            origin is not None
            and request.method == "POST"
            and request.path.startswith(_WEB_CHAT_POSTS)
            and request.path != "/api/messages"  # Teams: authenticated by its token instead
        ):
            allowed = {f"{request.scheme}://{host}"}
            if public:
                allowed.add(f"{public.scheme}://{public_host}")
            if origin.lower().rstrip("/") not in allowed:
                return error_response(
                    request,
                    403,
                    "Deze aanvraag komt van een andere website en is geweigerd.",
                    "This request comes from another website and was refused.",
                )
        return await handler(request)

    return guard


# -- request bodies bounded per route ----------------------------------------------------------

KIB = 1024
# The first matching prefix decides. A chat turn holds at most 20,000 characters (as JSON up to
# six bytes each); Slack's interaction payloads carry the whole message they came from.
BODY_LIMITS: tuple[tuple[str, int], ...] = (
    ("/api/chat", 256 * KIB),
    ("/api/messages", 256 * KIB),
    ("/slack/events", 512 * KIB),
    ("/api/", 8 * KIB),
    ("/advisor/", 1024 * KIB),
)
DEFAULT_BODY_LIMIT = 64 * KIB


def body_limit(path: str) -> int:
    """The largest request body a route accepts, in bytes."""
    return next((n for prefix, n in BODY_LIMITS if path.startswith(prefix)), DEFAULT_BODY_LIMIT)


@web.middleware
async def bounded_bodies(request: web.Request, handler: Handler) -> web.StreamResponse:
    """413 before reading when the declared length is over the route's limit; a body sent
    without a length is cut off at the same limit while it is read."""
    limit = body_limit(request.path)
    declared = request.content_length
    if declared is not None and declared > limit:
        raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=declared)
    # (The address is passed on: a clone would otherwise read it from the socket again,
    # undoing forwarded_client.)
    if request.remote is None:
        return await handler(request.clone(client_max_size=limit))
    return await handler(request.clone(client_max_size=limit, remote=request.remote))


# -- the client's address behind a reverse proxy ------------------------------------------------


@web.middleware
async def forwarded_client(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Behind a reverse proxy (``ETHIEKBOT_BEHIND_PROXY=1``) the client's address is the last
    one in ``X-Forwarded-For``: the one our proxy saw (earlier entries are what the client
    claimed). Without it every web user would share the proxy's address, and its limits."""
    forwarded = request.headers.get("X-Forwarded-For", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    try:
        ipaddress.ip_address(last)
    except ValueError:
        return await handler(request)
    return await handler(request.clone(remote=last))
