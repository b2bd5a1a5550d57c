"""OpenID Connect sign-in for the advisor's workspace: the relying-party side, nothing else.

The authorization code flow with PKCE (S256), state and nonce, for Microsoft Entra ID and any
standard OpenID Connect provider. Authlib does the protocol (PKCE challenge, authorization URL,
token request, client authentication, ID token claims), joserfc (authlib's JOSE library) checks
the ID token's signature against the provider's JWKS, aiohttp talks to the provider.

Usage, from the session middleware::

    client = OidcClient(OidcConfig(issuer=..., client_id=..., client_secret=...,
                                   redirect_uri="https://host/advisor/oidc/callback"))
    start = await client.begin()         # keep `start` server-side (session), then
    raise web.HTTPFound(start.authorize_url)
    ...                                  # in the callback handler:
    identity = await client.finish(request.query, start)   # OidcError: show str(error)
    ...
    await client.close()                 # on shutdown

Every failure is an :class:`OidcError` whose ``str()`` is a short bilingual message for the
person signing in and whose ``reason`` is a stable code for logs and the audit trail. Tokens,
codes and secrets never appear in either, nor in this module's log lines.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from authlib.common.security import generate_token
from authlib.common.urls import url_decode
from authlib.oauth2.auth import ClientAuth
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    InvalidKeyIdError,
    JoseError,
)
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

_log = logging.getLogger(__name__)

_DISCOVERY_PATH = "/.well-known/openid-configuration"
# A discovery document or JWKS is a few kilobytes; refuse anything absurd rather than hold it.
_MAX_BODY = 1_000_000
# What a provider's `error` parameter may look like before we repeat it to the user (RFC 6749
# error codes are lower-case words with underscores); anything else is reported as "unknown".
_ERROR_CODE = re.compile(r"^[a-z_]{1,64}$")
# Entra ID puts this in place of `groups` when someone is in too many groups to list.
_OVERAGE_MARKER = "_claim_names"


@dataclass(frozen=True)
class OidcConfig:
    """How to reach the identity provider and who counts as an advisor.

    ``issuer`` is the provider's issuer URL exactly as its discovery document states it (for
    Entra ID ``https://login.microsoftonline.com/<tenant-id>/v2.0``); a trailing slash either way
    is tolerated. ``advisor_group`` is a value of one of ``group_claims`` (an Entra group object
    id in ``groups`` or an app role in ``roles``); a dotted name such as ``realm_access.roles``
    reads a nested claim (Keycloak). ``token_endpoint_auth_method`` is ``client_secret_basic`` or
    ``client_secret_post``; ``None`` picks what the provider's discovery document offers.
    ``discovery_url`` is only for providers whose discovery document is not at
    ``<issuer>/.well-known/openid-configuration`` (Azure AD B2C user flows); the document must
    still name ``issuer``.
    """

    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    advisor_group: str | None = None
    group_claims: tuple[str, ...] = ("groups", "roles")
    scopes: str = "openid email profile"
    token_endpoint_auth_method: str | None = None
    discovery_url: str | None = None
    # A sign-in that takes longer than this between begin() and finish() is refused.
    login_timeout_s: float = 600.0
    # How long the discovery document is trusted before it is fetched again.
    metadata_ttl_s: float = 3600.0
    # Per request to the provider.
    http_timeout_s: float = 10.0
    # Clock skew allowed on the ID token's exp / iat / nbf.
    leeway_s: int = 120


@dataclass(frozen=True)
class LoginStart:
    """What the caller must keep server-side (in the session) until the callback.

    Plain strings and a float, so ``dataclasses.asdict(start)`` and ``LoginStart(**stored)``
    round-trip through any session store.
    """

    authorize_url: str
    state: str
    nonce: str
    code_verifier: str
    # Seconds since the epoch when the sign-in began (for ``OidcConfig.login_timeout_s``).
    issued_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class OidcIdentity:
    """Who signed in, as the provider vouched for it in a validated ID token.

    ``subject`` is unique per ``issuer`` (key accounts on both). ``email`` comes from ``email``
    (None when the provider marks it unverified), else from ``preferred_username`` or ``upn``
    when those look like an address (Entra ID often has no ``email``). ``groups`` is every value of
    the configured group claims, in order, without duplicates. ``groups_overage`` is True when
    Entra ID left the groups out because there were too many: the caller should then fall back
    on the advisor list in storage (or configure an app role instead of a group).
    """

    subject: str
    email: str | None
    name: str | None
    groups: tuple[str, ...]
    in_advisor_group: bool
    issuer: str = ""
    groups_overage: bool = False
    # The provider vouched for the address (``email_verified`` true). Only then may it be
    # matched against the advisor list: an unverified ``email`` or ``preferred_username`` can
    # be set by the user in some tenants ("nOAuth").
    email_verified: bool = False


class OidcError(Exception):
    """A sign-in that did not succeed.

    ``str(error)`` is a short message in Dutch and English, safe to show to the person signing
    in; ``error.reason`` is a stable code (``state``, ``expired``, ``replay``, ``access_denied``,
    ``provider_error``, ``exchange``, ``id_token``, ``nonce``, ``issuer``, ``audience``,
    ``signature``, ``discovery``, ``unreachable``) for logs and tests. Neither holds a token.
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


_MESSAGES: dict[str, tuple[str, str]] = {
    "state": (
        "Deze aanmelding is ongeldig of al gebruikt. Meld je opnieuw aan.",
        "This sign-in is not valid or was already used. Please sign in again.",
    ),
    "expired": (
        "Het aanmelden duurde te lang. Meld je opnieuw aan.",
        "Signing in took too long. Please sign in again.",
    ),
    "access_denied": (
        "Aanmelden is geannuleerd of de toegang is geweigerd.",
        "Signing in was cancelled or access was denied.",
    ),
    "provider_error": (
        "De identiteitsprovider meldt een fout ({code}). Meld je opnieuw aan of vraag de "
        "beheerder om hulp.",
        "The identity provider reported an error ({code}). Please sign in again or ask the "
        "administrator for help.",
    ),
    "exchange": (
        "De aanmelding kon niet worden afgerond. Meld je opnieuw aan.",
        "The sign-in could not be completed. Please sign in again.",
    ),
    "id_token": (
        "De identiteitsprovider gaf geen geldig bewijs van aanmelding. Meld je opnieuw aan.",
        "The identity provider did not return a valid proof of sign-in. Please sign in again.",
    ),
    "discovery": (
        "Aanmelden via de identiteitsprovider is niet goed ingesteld. Neem contact op met de "
        "beheerder.",
        "Sign-in through the identity provider is not set up correctly. Please contact the "
        "administrator.",
    ),
    "unreachable": (
        "De identiteitsprovider is niet bereikbaar. Probeer het later opnieuw.",
        "The identity provider cannot be reached. Please try again later.",
    ),
}

# ID token claims whose failure gets its own reason code (the message stays "id_token").
_CLAIM_REASONS = {"nonce": "nonce", "iss": "issuer", "aud": "audience", "azp": "audience"}


def _error(reason: str, message_key: str | None = None, **values: str) -> OidcError:
    nl, en = _MESSAGES[message_key or reason]
    return OidcError(f"{nl.format(**values)} / {en.format(**values)}", reason)


def _same_issuer(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


class OidcClient:
    """The relying party for one provider; one instance per process, safe for concurrent logins.

    It caches the provider's discovery document and keys, and remembers the states of finished
    sign-ins for ``login_timeout_s`` so a replayed callback is refused even before the provider
    would refuse its used code. Call :meth:`close` on shutdown.
    """

    def __init__(self, config: OidcConfig) -> None:
        self._config = config
        self._session: aiohttp.ClientSession | None = None
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: KeySet | None = None
        self._consumed: dict[str, float] = {}
        self._discovery_lock = asyncio.Lock()

    async def begin(self) -> LoginStart:
        """Start a sign-in: a fresh state, nonce and PKCE verifier, and the URL to send the user to.

        Raises :class:`OidcError` when the provider cannot be reached or its discovery document
        does not belong to the configured issuer.
        """
        metadata = await self._discover()
        state = secrets.token_urlsafe(32)
        nonce = secrets.token_urlsafe(32)
        # RFC 7636: 43-128 unreserved characters; 64 letters and digits is ~380 bits.
        code_verifier = generate_token(64)
        url = prepare_grant_uri(
            metadata["authorization_endpoint"],
            client_id=self._config.client_id,
            response_type="code",
            redirect_uri=self._config.redirect_uri,
            scope=self._config.scopes,
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(code_verifier),
            code_challenge_method="S256",
        )
        return LoginStart(
            authorize_url=str(url), state=state, nonce=nonce, code_verifier=code_verifier
        )

    async def finish(self, params: Mapping[str, str], pending: LoginStart) -> OidcIdentity:
        """Complete a sign-in from the callback's query parameters and the kept :class:`LoginStart`.

        Checks the state (constant time), the age of the sign-in, that it was not finished
        before, the provider's ``error`` and ``iss`` parameters; exchanges the code with the PKCE
        verifier; validates the ID token (signature against the JWKS, iss, aud, exp, nonce).
        Raises :class:`OidcError` on any failure.
        """
        now = time.time()
        self._forget_old(now)
        state = params.get("state", "")
        error = params.get("error")
        if error is not None and not state:
            # RFC 6749 §4.1.2.1 wants the state echoed on errors too, but not every provider
            # does (oidc-provider-mock's "deny" does not). An error grants nothing, so say what
            # it was; the pending sign-in is left as it is.
            raise self._provider_error(error)
        if not state or not hmac.compare_digest(state.encode(), pending.state.encode()):
            _log.warning("oidc: callback refused: state missing or not the pending one")
            raise _error("state")
        if pending.state in self._consumed:
            _log.warning("oidc: callback refused: this sign-in was already finished")
            raise _error("replay", "state")
        # One attempt per sign-in, successful or not: marked before the first await so two
        # concurrent callbacks with the same state cannot both get through.
        self._consumed[pending.state] = now
        if now - pending.issued_at > self._config.login_timeout_s:
            _log.warning("oidc: callback refused: sign-in older than the login timeout")
            raise _error("expired")

        if error is not None:
            raise self._provider_error(error)

        metadata = await self._discover()
        # RFC 9207: a provider that names itself in the response must be the one we asked.
        returned_iss = params.get("iss")
        if returned_iss is not None and returned_iss != metadata["issuer"]:
            _log.warning("oidc: callback refused: iss parameter is not the configured issuer")
            raise _error("issuer", "id_token")

        code = params.get("code", "")
        if not code:
            _log.warning("oidc: callback without a code")
            raise _error("exchange")
        token = await self._exchange(metadata, code, pending.code_verifier)
        claims = await self._validate_id_token(metadata, token, pending.nonce)
        return self._identity(claims, metadata["issuer"])

    @staticmethod
    def _provider_error(error: str) -> OidcError:
        code = error if _ERROR_CODE.match(error) else "unknown"
        _log.warning("oidc: provider returned error=%s", code)
        if code == "access_denied":
            return _error("access_denied")
        return _error("provider_error", code=code)

    async def close(self) -> None:
        """Close the HTTP session to the provider (idempotent)."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    # --- the provider -------------------------------------------------------------------

    def _http(self) -> aiohttp.ClientSession:
        # Created lazily: an aiohttp session belongs to the running event loop.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._config.http_timeout_s),
                headers={"Accept": "application/json"},
            )
        return self._session

    async def _get_json(self, url: str, what: str) -> dict[str, Any]:
        try:
            async with self._http().get(url) as resp:
                body = await resp.content.read(_MAX_BODY + 1)
                status = resp.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            _log.warning("oidc: %s not reachable: %s", what, type(exc).__name__)
            raise _error("unreachable") from exc
        if status != 200 or len(body) > _MAX_BODY:
            _log.warning("oidc: %s answered HTTP %s (%d bytes)", what, status, len(body))
            raise _error("discovery")
        try:
            data = json.loads(body)
        except ValueError as exc:
            _log.warning("oidc: %s is not JSON", what)
            raise _error("discovery") from exc
        if not isinstance(data, dict):
            _log.warning("oidc: %s is not a JSON object", what)
            raise _error("discovery")
        return data

    async def _discover(self) -> dict[str, Any]:
        async with self._discovery_lock:
            fresh = time.monotonic() - self._metadata_at < self._config.metadata_ttl_s
            if self._metadata is not None and fresh:
                return self._metadata
            url = self._config.discovery_url or self._config.issuer.rstrip("/") + _DISCOVERY_PATH
            metadata = await self._get_json(url, "discovery document")
            # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer we asked
            # for, or a look-alike provider could hand out tokens in its name.
            issuer = metadata.get("issuer")
            if not isinstance(issuer, str) or not _same_issuer(issuer, self._config.issuer):
                _log.warning("oidc: discovery document names another issuer")
                raise _error("issuer", "discovery")
            for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not isinstance(metadata.get(key), str):
                    _log.warning("oidc: discovery document lacks %s", key)
                    raise _error("discovery")
            self._metadata = metadata
            self._metadata_at = time.monotonic()
            self._keys = None
            return metadata

    async def _key_set(self, metadata: dict[str, Any], *, refresh: bool) -> KeySet:
        if self._keys is None or refresh:
            jwks = await self._get_json(metadata["jwks_uri"], "JWKS")
            try:
                self._keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
            except (JoseError, ValueError, KeyError, TypeError) as exc:
                _log.warning("oidc: JWKS not usable: %s", type(exc).__name__)
                raise _error("discovery") from exc
        return self._keys

    def _auth_method(self, metadata: dict[str, Any]) -> str:
        if self._config.token_endpoint_auth_method:
            return self._config.token_endpoint_auth_method
        # Discovery 1.0 §3: when the provider lists nothing, client_secret_basic is the default.
        offered = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        return "client_secret_basic" if "client_secret_basic" in offered else "client_secret_post"

    async def _exchange(
        self, metadata: dict[str, Any], code: str, code_verifier: str
    ) -> dict[str, Any]:
        body = prepare_token_request(
            "authorization_code",
            code=code,
            redirect_uri=self._config.redirect_uri,
            code_verifier=code_verifier,
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        auth = ClientAuth(
            self._config.client_id, self._config.client_secret, self._auth_method(metadata)
        )
        url, headers, body = auth.prepare("POST", metadata["token_endpoint"], headers, body)
        try:
            async with self._http().post(url, data=dict(url_decode(body)), headers=headers) as resp:
                raw = await resp.content.read(_MAX_BODY + 1)
                status = resp.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            _log.warning("oidc: token endpoint not reachable: %s", type(exc).__name__)
            raise _error("unreachable") from exc
        try:
            token = json.loads(raw)
        except ValueError:
            token = None
        if not isinstance(token, dict):
            _log.warning("oidc: token endpoint answered HTTP %s without a JSON object", status)
            raise _error("exchange")
        if status != 200 or "error" in token:
            error = token.get("error")
            code_seen = error if isinstance(error, str) and _ERROR_CODE.match(error) else "unknown"
            # invalid_grant is what a reused, expired or stolen code gets.
            _log.warning("oidc: token endpoint refused the code: HTTP %s %s", status, code_seen)
            raise _error("exchange")
        if not isinstance(token.get("id_token"), str):
            _log.warning("oidc: token response has no id_token (is 'openid' in the scopes?)")
            raise _error("id_token")
        return token

    async def _validate_id_token(
        self, metadata: dict[str, Any], token: dict[str, Any], nonce: str
    ) -> dict[str, Any]:
        algorithms = [
            alg
            for alg in metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
            if isinstance(alg, str) and alg != "none"
        ]
        # Entra ID and others put headers such as x5t in the ID token: not strict on those.
        registry = JWSRegistry(algorithms=algorithms, strict_check_header=False)
        fetched_now = self._keys is None
        keys = await self._key_set(metadata, refresh=False)
        try:
            try:
                decoded = jwt.decode(token["id_token"], keys, registry=registry)
            except (InvalidKeyIdError, BadSignatureError):
                if fetched_now:
                    raise
                # The provider may have rotated its keys since we fetched them (a token without
                # a key id shows that only as a bad signature): fetch them once more.
                keys = await self._key_set(metadata, refresh=True)
                decoded = jwt.decode(token["id_token"], keys, registry=registry)
            claims = CodeIDToken(
                decoded.claims,
                decoded.header,
                {
                    "iss": {"essential": True, "value": metadata["issuer"]},
                    "aud": {"essential": True, "value": self._config.client_id},
                    "sub": {"essential": True},
                    "exp": {"essential": True},
                },
                {
                    "nonce": nonce,
                    "client_id": self._config.client_id,
                    "access_token": token.get("access_token"),
                },
            )
            claims.validate(leeway=self._config.leeway_s)
        except ExpiredTokenError as exc:
            _log.warning("oidc: ID token expired")
            raise _error("id_token") from exc
        except ClaimError as exc:
            reason = _CLAIM_REASONS.get(exc.claim, "id_token")
            _log.warning("oidc: ID token refused: %s (%s)", exc.error, exc.claim)
            raise _error(reason, "id_token") from exc
        except JoseError as exc:
            no_key = isinstance(exc, BadSignatureError | InvalidKeyIdError)
            reason = "signature" if no_key else "id_token"
            _log.warning("oidc: ID token refused: %s", exc.error or type(exc).__name__)
            raise _error(reason, "id_token") from exc
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            _log.warning("oidc: ID token without a usable sub")
            raise _error("id_token")
        return dict(claims)

    def _forget_old(self, now: float) -> None:
        horizon = now - self._config.login_timeout_s
        for state in [s for s, at in self._consumed.items() if at < horizon]:
            del self._consumed[state]

    # --- claims to identity -------------------------------------------------------------

    def _identity(self, claims: dict[str, Any], issuer: str) -> OidcIdentity:
        groups: list[str] = []
        for name in self._config.group_claims:
            for value in _claim_values(claims, name):
                if value not in groups:
                    groups.append(value)
        overage = "groups" in (claims.get(_OVERAGE_MARKER) or {})
        advisor_group = self._config.advisor_group
        return OidcIdentity(
            subject=str(claims["sub"]),
            email=_email(claims),
            name=_name(claims),
            groups=tuple(groups),
            in_advisor_group=advisor_group is not None and advisor_group in groups,
            issuer=issuer,
            groups_overage=overage,
            email_verified=claims.get("email_verified") in (True, "true")
            and isinstance(claims.get("email"), str),
        )


def _claim_values(claims: Mapping[str, Any], name: str) -> list[str]:
    """The string values of a claim: a list, a single string, or a dotted path into objects."""
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, Mapping):
            return []
        value = value.get(part)
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str) and item]
    return []


def _email(claims: Mapping[str, Any]) -> str | None:
    email = claims.get("email")
    if isinstance(email, str) and "@" in email:
        # An address the provider itself says it did not verify must not match an advisor's,
        # and neither may a look-alike user name in its place.
        if claims.get("email_verified") in (False, "false"):
            return None
        return email.strip()
    for key in ("preferred_username", "upn"):
        value = claims.get(key)
        if isinstance(value, str) and "@" in value:
            return value.strip()
    return None


def _name(claims: Mapping[str, Any]) -> str | None:
    name = claims.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    parts = [claims.get("given_name"), claims.get("family_name")]
    joined = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return joined or None
