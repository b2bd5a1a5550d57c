"""Token validation, offline: our own OpenID metadata and signing key on 127.0.0.1.

botbuilder checks a channel token like this (``_ParameterizedBotFrameworkAuthentication``, used
as soon as ``TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL`` / ``..._TOKEN_ISSUER`` are set, and
``JwtTokenExtractor``): the scheme is ``Bearer``; the ``iss`` claim is the configured issuer;
the signing key is found by ``kid`` in the JWKS that the OpenID metadata's ``jwks_uri`` names;
when that key lists ``endorsements``, the activity's ``channelId`` must be one of them; ``alg``
is RS256/384/512 and the signature checks out (decoded as RS256); ``exp``/``nbf`` hold within
five minutes; ``aud`` is our app id; the ``serviceurl`` claim equals the activity's
``serviceUrl``. Every failure is answered 401 with nothing processed.

botbuilder fetches the metadata with blocking ``requests`` inside the event loop, so the OpenID
server runs in a thread of its own. For its replies the bot needs an outgoing token, which
``MicrosoftAppCredentials`` would get from Microsoft's login through MSAL (which insists on
https and asks login.microsoftonline.com about unknown authorities, so it cannot be pointed at
a local server): the test replaces ``get_access_token`` with a static token and records which
authority and scope were asked for. The ``loopback_only`` fixture fails any test in which
something tried to resolve a host other than loopback.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from base64 import urlsafe_b64encode
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
import pytest
from aiohttp import web
from botframework.connector.auth import MicrosoftAppCredentials
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.config import Settings
from knowledge.triage import Advisor
from tests.adapters.teams.helpers import (
    QUESTION,
    TENANT,
    MockConnector,
    TeamsServer,
    assert_valid_cards,
    message,
    start_server,
)
from tests.threaded_app import ThreadedApp

APP_ID = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b"
OTHER_APP_ID = "0a1b2c3d-0000-4000-8000-000000000001"
ISSUER = "https://api.botframework.test"
KID = "ethiekbot-test-key-1"
OUTGOING_TOKEN = "outgoing-static-token"
OK = (200, 201, 202)


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIdServer(ThreadedApp):
    """OpenID metadata and a JWKS on 127.0.0.1, in a background thread."""

    def __init__(self, jwks: list[dict[str, Any]]) -> None:
        self.jwks = jwks
        self.hits: list[str] = []
        super().__init__(self._app, name="openid")

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/v1/.well-known/openidconfiguration"

    def _app(self) -> web.Application:
        async def metadata(request: web.Request) -> web.Response:
            self.hits.append(request.path)
            return web.json_response(
                {
                    "issuer": ISSUER,
                    "jwks_uri": f"{self.url}/v1/.well-known/keys",
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                }
            )

        async def keys(request: web.Request) -> web.Response:
            self.hits.append(request.path)
            return web.json_response({"keys": self.jwks})

        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", metadata)
        app.router.add_get("/v1/.well-known/keys", keys)
        return app


@dataclass(frozen=True)
class Keys:
    signing: rsa.RSAPrivateKey
    other: rsa.RSAPrivateKey


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys(_rsa_key(), _rsa_key())


@pytest.fixture(scope="module")
def openid(keys: Keys) -> Iterator[OpenIdServer]:
    jwk = RSAAlgorithm.to_jwk(keys.signing.public_key(), as_dict=True)
    jwk.update({"kid": KID, "use": "sig", "alg": "RS256", "endorsements": ["msteams"]})
    server = OpenIdServer(jwks=[jwk])
    server.start()
    yield server
    server.stop()


@dataclass
class Outgoing:
    """What the bot asked for when it needed a token to call the connector."""

    asked: list[tuple[str, str, str]] = field(default_factory=list)


@pytest.fixture
def outgoing(monkeypatch: pytest.MonkeyPatch) -> Outgoing:
    record = Outgoing()

    def get_access_token(self: MicrosoftAppCredentials, force_refresh: bool = False) -> str:
        record.asked.append((self.microsoft_app_id, self.oauth_endpoint, self.oauth_scope))
        return OUTGOING_TOKEN

    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", get_access_token)
    return record


@pytest.fixture
async def secured(
    tmp_path: Path,
    advisor: Advisor,
    openid: OpenIdServer,
    outgoing: Outgoing,
    connector: MockConnector,
) -> AsyncIterator[TeamsServer]:
    settings = Settings(
        db_path=tmp_path / "teams.db",
        # The connector under test is on loopback: allowed as a whole origin, instead of
        # Bot Framework's https hosts.
        teams_service_hosts=(connector.url,),
        microsoft_app_id=APP_ID,
        microsoft_app_password="not-a-real-secret",
        microsoft_openid_metadata_url=openid.metadata_url,
        microsoft_token_issuer=ISSUER,
    )
    server = await start_server(settings, advisor)
    server.channel.retry_delay = 0.01
    assert server.channel.auth_enabled
    yield server
    await server.stop()


def token(
    key: rsa.RSAPrivateKey,
    service_url: str,
    *,
    kid: str | None = KID,
    algorithm: str = "RS256",
    **claims: Any,
) -> str:
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": ISSUER,
        "aud": APP_ID,
        "serviceurl": service_url,
        "nbf": now - 60,
        "iat": now - 60,
        "exp": now + 3600,
    }
    for name, value in claims.items():
        if value is None:
            payload.pop(name, None)
        else:
            payload[name] = value
    headers = {"kid": kid} if kid else {}
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return jwt.encode(payload, pem, algorithm=algorithm, headers=headers)


def _unsigned(service_url: str) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "exp": now + 3600}
    return jwt.encode(claims, None, algorithm="none", headers={"kid": KID})


def _hmac_with_public_key(keys: Keys, service_url: str) -> str:
    # The classic confusion: an HMAC "signed" with the published public key.
    public = keys.signing.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": APP_ID, "serviceurl": service_url, "exp": now + 3600}

    def b64(data: bytes) -> str:
        return urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": KID}).encode())
    body = b64(json.dumps(claims).encode())
    sig = hmac.new(public, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


# Each makes the Authorization header (or None for none) from the keys and the serviceUrl.
BAD: dict[str, Callable[[Keys, str], str | None]] = {
    "no-token": lambda k, url: None,
    "empty-bearer": lambda k, url: "Bearer ",
    "not-bearer": lambda k, url: "Basic " + token(k.signing, url),
    "three-parts": lambda k, url: "Bearer a b",
    "malformed": lambda k, url: "Bearer not.a.jwt",
    "garbage": lambda k, url: "Bearer " + "x" * 500,
    "expired": lambda k, url: (
        "Bearer " + token(k.signing, url, exp=int(time.time()) - 3600, nbf=int(time.time()) - 7200)
    ),
    "not-yet-valid": lambda k, url: "Bearer " + token(k.signing, url, nbf=int(time.time()) + 3600),
    "wrong-audience": lambda k, url: "Bearer " + token(k.signing, url, aud=OTHER_APP_ID),
    "no-audience": lambda k, url: "Bearer " + token(k.signing, url, aud=None),
    "other-service-url": lambda k, url: (
        "Bearer " + token(k.signing, "https://smba.trafficmanager.net/emea/")
    ),
    "no-service-url": lambda k, url: "Bearer " + token(k.signing, url, serviceurl=None),
    "bad-signature": lambda k, url: "Bearer " + token(k.other, url),
    "unknown-kid": lambda k, url: "Bearer " + token(k.other, url, kid="someone-elses-key"),
    "no-kid": lambda k, url: "Bearer " + token(k.signing, url, kid=None),
    "unknown-issuer": lambda k, url: "Bearer " + token(k.signing, url, iss="https://evil.test"),
    "no-issuer": lambda k, url: "Bearer " + token(k.signing, url, iss=None),
    "alg-none": lambda k, url: "Bearer " + _unsigned(url),
    "hmac-with-public-key": lambda k, url: "Bearer " + _hmac_with_public_key(k, url),
}


async def _post(
    server: TeamsServer, activity: dict[str, Any], authorization: str | None
) -> tuple[int, str]:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return await server.post(activity, **headers)


def _nothing_processed(server: TeamsServer, connector: MockConnector) -> None:
    key = f"teams:{TENANT}:a:personal-1"
    assert connector.attempts == 0, "the bot called the connector"
    assert server.service.store.load_state(key) is None, "conversation state was saved"
    assert server.service.store.load_reference(key) is None, "a reference was saved"


async def test_a_valid_token_is_accepted_and_the_bot_replies(
    secured: TeamsServer,
    connector: MockConnector,
    keys: Keys,
    outgoing: Outgoing,
    openid: OpenIdServer,
) -> None:
    activity = message(connector.url, QUESTION)
    status, body = await _post(secured, activity, "Bearer " + token(keys.signing, connector.url))
    assert status in OK, f"{status}: {body}"
    [reply] = connector.sent
    assert "Eerste indruk" in reply.text
    assert reply.reply_to_id == activity["id"]
    assert reply.authorization == f"Bearer {OUTGOING_TOKEN}"
    assert_valid_cards(connector.sent)
    assert openid.hits, "the keys were not fetched from the configured metadata URL"
    # The outgoing token is asked for our app, from the Bot Framework tenant, for the
    # Bot Framework's scope: what botbuilder's public cloud does without the overrides.
    assert set(outgoing.asked) == {
        (
            APP_ID,
            "https://login.microsoftonline.com/botframework.com",
            "https://api.botframework.com",
        )
    }

    # The conversation goes on with the button's value.
    value = reply.action("Alleen het advies")
    status, _ = await _post(
        secured,
        message(connector.url, None, value=value, activity_id="act-2"),
        "Bearer " + token(keys.signing, connector.url),
    )
    assert status in OK
    assert connector.sent[1].text.startswith("Uitkomst")


@pytest.mark.parametrize("case", list(BAD))
async def test_a_bad_token_gets_401_and_nothing_happens(
    secured: TeamsServer, connector: MockConnector, keys: Keys, case: str
) -> None:
    authorization = BAD[case](keys, connector.url)
    status, body = await _post(secured, message(connector.url, QUESTION), authorization)
    assert status == 401, f"{case}: {status} {body}"
    _nothing_processed(secured, connector)


async def test_a_channel_the_key_does_not_endorse_gets_401(
    secured: TeamsServer, connector: MockConnector, keys: Keys
) -> None:
    activity = message(connector.url, QUESTION, channel_id="webchat")
    status, _ = await _post(secured, activity, "Bearer " + token(keys.signing, connector.url))
    assert status == 401
    _nothing_processed(secured, connector)


async def test_with_auth_on_a_loopback_service_url_needs_a_token_too(
    secured: TeamsServer, connector: MockConnector
) -> None:
    status, _ = await _post(secured, message(connector.url, QUESTION), None)
    assert status == 401
    _nothing_processed(secured, connector)


async def test_every_request_is_checked_also_in_a_running_conversation(
    secured: TeamsServer, connector: MockConnector, keys: Keys
) -> None:
    good = "Bearer " + token(keys.signing, connector.url)
    assert (await _post(secured, message(connector.url, QUESTION), good))[0] in OK
    # The same conversation, next message, expired token: refused, nothing sent or stored.
    before = (connector.attempts, secured.service.store.load_state(f"teams:{TENANT}:a:personal-1"))
    expired = BAD["expired"](keys, connector.url)
    status, _ = await _post(secured, message(connector.url, "Alleen het advies"), expired)
    assert status == 401
    after = (connector.attempts, secured.service.store.load_state(f"teams:{TENANT}:a:personal-1"))
    assert after == before


# --- malformed requests: 400, before any token is looked at -------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"type": "message"}', None),
        (b'{"type": "message"}', "text/plain"),
        (b"{not json", "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b'{"text": "no type"}', "application/json"),
        (b'["type", "message"]', "application/json"),
        (b'{"type": 7}', "application/json"),
        (b"", "application/json"),
    ],
    ids=[
        "no-content-type",
        "text-plain",
        "malformed-json",
        "not-utf8",
        "no-type",
        "array",
        "type-not-a-string",
        "empty",
    ],
)
async def test_malformed_requests_get_400(
    secured: TeamsServer, connector: MockConnector, body: bytes, content_type: str | None
) -> None:
    status, text = await secured.post_raw(body, content_type)
    assert status == 400, f"{status}: {text}"
    _nothing_processed(secured, connector)


async def test_nothing_reaches_for_microsoft_with_auth_on(
    secured: TeamsServer, connector: MockConnector, keys: Keys, loopback_only: list[str]
) -> None:
    """A full exchange with authentication on resolves no host but loopback."""
    good = "Bearer " + token(keys.signing, connector.url, jti=str(uuid.uuid4()))
    assert (await _post(secured, message(connector.url, QUESTION), good))[0] in OK
    assert loopback_only == []


async def test_overrides_without_an_app_id_leave_authentication_off(
    tmp_path: Path, advisor: Advisor, connector: MockConnector, openid: OpenIdServer
) -> None:
    """An OpenID override alone must not switch botbuilder to a path that refuses every
    request without an Authorization header (it answered 400 to local development)."""
    settings = Settings(
        db_path=tmp_path / "teams.db",
        teams_local=True,
        microsoft_openid_metadata_url=openid.metadata_url,
        microsoft_token_issuer=ISSUER,
    )
    server = await start_server(settings, advisor)
    try:
        assert not server.channel.auth_enabled
        status, body = await _post(server, message(connector.url, QUESTION), None)
        assert status in OK, f"{status}: {body}"
        assert connector.sent and connector.sent[0].authorization is None
    finally:
        await server.stop()
