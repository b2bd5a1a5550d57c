"""OpenID Connect sign-in against a real provider: oidc-provider-mock on loopback in a thread.

The provider is the package's Flask app served by werkzeug on 127.0.0.1; a small WSGI wrapper
records what reaches its token endpoint, so the tests can see the PKCE verifier and the client
authentication the relying party sent. The provider's sign-in page is a form: the tests POST a
``sub`` to it (the claims of that ``sub`` are set beforehand with the provider's ``PUT /users``),
exactly as a browser would, and follow nothing but the redirect back.

Look-alike issuers are real aiohttp servers on loopback that serve the provider's discovery
document with the issuer changed.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import io
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import aiohttp
import oidc_provider_mock
import pytest
import werkzeug.serving
from aiohttp import web
from aiohttp.test_utils import TestServer
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc.jwk import RSAKey

from adapters.advisor.oidc import LoginStart, OidcClient, OidcConfig, OidcError

CLIENT_ID = "ethiekbot-test"
CLIENT_SECRET = "s3cret~with/odd+chars"
REDIRECT_URI = "http://127.0.0.1:8080/advisor/oidc/callback"
ADVISOR_GROUP = "6f1c2d3e-0000-4000-8000-00000000a001"  # an Entra group object id

# The mock provider's own use of authlib's older server API (its business, not ours).
pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")


class _TokenRecorder:
    """WSGI middleware: keeps the form and headers of every POST to the token endpoint."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app
        self.requests: list[tuple[dict[str, str], dict[str, str]]] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/oauth2/token" and environ["REQUEST_METHOD"] == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            headers = {"Authorization": environ.get("HTTP_AUTHORIZATION", "")}
            self.requests.append((dict(parse_qsl(body.decode())), headers))
        return self._app(environ, start_response)


@dataclasses.dataclass
class Provider:
    url: str
    recorder: _TokenRecorder


@contextlib.contextmanager
def _serve_provider(**settings: Any) -> Iterator[Provider]:
    """The mock provider on 127.0.0.1 in a thread; stopped (and the thread joined) after."""
    recorder = _TokenRecorder(oidc_provider_mock.app(**settings))
    server = werkzeug.serving.make_server("127.0.0.1", 0, recorder, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="oidc-mock")
    thread.start()
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}", recorder)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        assert not thread.is_alive()


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    """One provider for the module's tests."""
    with _serve_provider() as running:
        yield running


def _config(issuer: str, **overrides: Any) -> OidcConfig:
    settings: dict[str, Any] = {"advisor_group": ADVISOR_GROUP, **overrides}
    return OidcConfig(
        issuer=issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=REDIRECT_URI,
        **settings,
    )


@pytest.fixture
async def client(provider: Provider) -> AsyncIterator[OidcClient]:
    oidc = OidcClient(_config(provider.url))
    yield oidc
    await oidc.close()


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def _set_user(browser: aiohttp.ClientSession, provider: Provider, sub: str, **claims: Any):
    async with browser.put(f"{provider.url}/users/{sub}", json=claims) as resp:
        assert resp.status == 204, await resp.text()


async def _sign_in(
    browser: aiohttp.ClientSession, start: LoginStart, form: dict[str, str]
) -> dict[str, str]:
    """Submit the provider's sign-in form; return the query of its redirect back to us."""
    async with browser.post(start.authorize_url, data=form, allow_redirects=False) as resp:
        assert resp.status == 302, await resp.text()
        location = resp.headers["Location"]
    assert location.startswith(REDIRECT_URI + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def test_code_flow_with_pkce_gives_the_identity(
    client: OidcClient, browser: aiohttp.ClientSession, provider: Provider
) -> None:
    await _set_user(
        browser,
        provider,
        "advisor-1",
        email="a.adviseur@gemeente.example",
        name="Anna Adviseur",
        groups=["0000aaaa-1111-4222-8333-444455556666", ADVISOR_GROUP],
    )
    start = await client.begin()

    query = parse_qs(urlsplit(start.authorize_url).query)
    assert start.authorize_url.startswith(provider.url + "/oauth2/authorize?")
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"] == [create_s256_code_challenge(start.code_verifier)]
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [REDIRECT_URI]
    assert query["state"] == [start.state]
    assert query["nonce"] == [start.nonce]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}

    params = await _sign_in(browser, start, {"sub": "advisor-1"})
    seen = len(provider.recorder.requests)
    identity = await client.finish(params, start)

    assert identity.subject == "advisor-1"
    assert identity.email == "a.adviseur@gemeente.example"
    assert identity.name == "Anna Adviseur"
    assert identity.groups == ("0000aaaa-1111-4222-8333-444455556666", ADVISOR_GROUP)
    assert identity.in_advisor_group is True
    assert identity.issuer == provider.url
    assert identity.groups_overage is False

    # The exchange the provider received: the code from the redirect, the verifier that
    # belongs to the challenge, our redirect URI, and client_secret_basic with our client.
    form, headers = provider.recorder.requests[seen]
    assert form["grant_type"] == "authorization_code"
    assert form["code"] == params["code"]
    assert form["redirect_uri"] == REDIRECT_URI
    assert create_s256_code_challenge(form["code_verifier"]) == query["code_challenge"][0]
    assert "client_secret" not in form
    basic = base64.b64decode(headers["Authorization"].removeprefix("Basic ")).decode()
    assert basic == f"{CLIENT_ID}:{CLIENT_SECRET}"


async def test_each_begin_is_fresh(client: OidcClient) -> None:
    first, second = await client.begin(), await client.begin()
    assert first.state != second.state
    assert first.nonce != second.nonce
    assert first.code_verifier != second.code_verifier
    assert 43 <= len(first.code_verifier) <= 128


async def test_entra_style_claims_roles_and_username(
    provider: Provider, browser: aiohttp.ClientSession
) -> None:
    """No email claim (Entra ID): preferred_username; the advisor as an app role in `roles`."""
    oidc = OidcClient(_config(provider.url, advisor_group="Ethiek.Adviseur"))
    try:
        await _set_user(
            browser,
            provider,
            "entra-oid-1",
            preferred_username="B.Beheer@provincie.example",
            given_name="Bram",
            family_name="Beheer",
            groups=[ADVISOR_GROUP],
            roles=["Ethiek.Adviseur", "Ethiek.Beheerder"],
        )
        start = await oidc.begin()
        identity = await oidc.finish(await _sign_in(browser, start, {"sub": "entra-oid-1"}), start)
    finally:
        await oidc.close()
    assert identity.email == "B.Beheer@provincie.example"
    assert identity.name == "Bram Beheer"
    assert identity.groups == (ADVISOR_GROUP, "Ethiek.Adviseur", "Ethiek.Beheerder")
    assert identity.in_advisor_group is True


async def test_not_in_the_advisor_group_and_unverified_email(
    client: OidcClient, browser: aiohttp.ClientSession, provider: Provider
) -> None:
    await _set_user(
        browser,
        provider,
        "employee-1",
        email="someone@elsewhere.example",
        email_verified=False,
        preferred_username="a.adviseur@gemeente.example",
        groups="just-one-group",
    )
    start = await client.begin()
    identity = await client.finish(await _sign_in(browser, start, {"sub": "employee-1"}), start)
    assert identity.subject == "employee-1"
    # An unverified address is no address, and the look-alike user name does not stand in.
    assert identity.email is None
    assert identity.name is None
    assert identity.groups == ("just-one-group",)
    assert identity.in_advisor_group is False


async def test_entra_groups_overage_is_reported(
    client: OidcClient, browser: aiohttp.ClientSession, provider: Provider
) -> None:
    await _set_user(
        browser,
        provider,
        "many-groups",
        email="c@gemeente.example",
        _claim_names={"groups": "src1"},
        _claim_sources={"src1": {"endpoint": "https://graph.example/getMemberObjects"}},
    )
    start = await client.begin()
    identity = await client.finish(await _sign_in(browser, start, {"sub": "many-groups"}), start)
    assert identity.groups == ()
    assert identity.in_advisor_group is False
    assert identity.groups_overage is True


async def test_client_secret_post_when_configured(
    provider: Provider, browser: aiohttp.ClientSession
) -> None:
    oidc = OidcClient(_config(provider.url, token_endpoint_auth_method="client_secret_post"))
    try:
        start = await oidc.begin()
        params = await _sign_in(browser, start, {"sub": "post-user@gemeente.example"})
        seen = len(provider.recorder.requests)
        identity = await oidc.finish(params, start)
    finally:
        await oidc.close()
    # A sub the provider does not know gets {"email": sub} from it.
    assert identity.email == "post-user@gemeente.example"
    form, headers = provider.recorder.requests[seen]
    assert (form["client_id"], form["client_secret"]) == (CLIENT_ID, CLIENT_SECRET)
    assert headers["Authorization"] == ""


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda p: {**p, "state": p["state"] + "x"}, id="wrong-state"),
        pytest.param(lambda p: {k: v for k, v in p.items() if k != "state"}, id="missing-state"),
        pytest.param(lambda p: {**p, "state": ""}, id="empty-state"),
    ],
)
async def test_wrong_or_missing_state_is_refused(
    client: OidcClient,
    browser: aiohttp.ClientSession,
    provider: Provider,
    tamper: Callable[[dict[str, str]], dict[str, str]],
) -> None:
    start = await client.begin()
    params = await _sign_in(browser, start, {"sub": "state-user@gemeente.example"})
    seen = len(provider.recorder.requests)
    with pytest.raises(OidcError) as caught:
        await client.finish(tamper(params), start)
    assert caught.value.reason == "state"
    assert "Meld je opnieuw aan" in str(caught.value)
    assert "sign in again" in str(caught.value)
    assert params["code"] not in str(caught.value)
    # Refused before the code was ever sent to the provider.
    assert len(provider.recorder.requests) == seen


async def test_a_replayed_callback_is_refused(
    provider: Provider,
    client: OidcClient,
    browser: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    start = await client.begin()
    params = await _sign_in(browser, start, {"sub": "replay@gemeente.example"})
    await client.finish(params, start)
    seen = len(provider.recorder.requests)

    with pytest.raises(OidcError) as caught:
        await client.finish(params, start)
    assert caught.value.reason == "replay"
    assert len(provider.recorder.requests) == seen  # refused here, the code not sent again

    # A second process that never saw this sign-in: the provider refuses the used code.
    other = OidcClient(_config(provider.url))
    try:
        with pytest.raises(OidcError) as caught:
            await other.finish(params, start)
    finally:
        await other.close()
    assert caught.value.reason == "exchange"
    assert len(provider.recorder.requests) == seen + 1
    # What this module logged says why, and holds neither the code nor the secrets.
    ours = [r.getMessage() for r in caplog.records if r.name == "adapters.advisor.oidc"]
    assert any("already finished" in line for line in ours)
    assert any("refused the code: HTTP 400 invalid_grant" in line for line in ours)
    for line in ours:
        for secret in (params["code"], params["state"], start.nonce, start.code_verifier):
            assert secret not in line
        assert CLIENT_SECRET not in line


async def test_a_nonce_mismatch_is_refused(
    client: OidcClient, browser: aiohttp.ClientSession
) -> None:
    start = await client.begin()
    params = await _sign_in(browser, start, {"sub": "nonce@gemeente.example"})
    tampered = dataclasses.replace(start, nonce="not-the-nonce-sent-to-the-provider")
    with pytest.raises(OidcError) as caught:
        await client.finish(params, tampered)
    assert caught.value.reason == "nonce"
    assert "geldig bewijs van aanmelding" in str(caught.value)


async def test_a_sign_in_that_took_too_long_is_refused(
    client: OidcClient, browser: aiohttp.ClientSession
) -> None:
    start = await client.begin()
    params = await _sign_in(browser, start, {"sub": "slow@gemeente.example"})
    old = dataclasses.replace(start, issued_at=time.time() - 601)
    with pytest.raises(OidcError) as caught:
        await client.finish(params, old)
    assert caught.value.reason == "expired"


async def test_access_denied_by_the_provider(
    client: OidcClient, browser: aiohttp.ClientSession
) -> None:
    start = await client.begin()
    params = await _sign_in(browser, start, {"action": "deny"})
    assert params["error"] == "access_denied"
    assert "code" not in params
    # This provider leaves the state out of its error redirect; others echo it. Both ways the
    # person is told what happened.
    for callback in (params, {**params, "state": start.state}):
        with pytest.raises(OidcError) as caught:
            await client.finish(callback, start)
        assert caught.value.reason == "access_denied"
        assert str(caught.value) == (
            "Aanmelden is geannuleerd of de toegang is geweigerd. / "
            "Signing in was cancelled or access was denied."
        )
    # An error that comes with somebody else's state is a forged callback.
    with pytest.raises(OidcError) as caught:
        await client.finish({**params, "state": "forged"}, await client.begin())
    assert caught.value.reason == "state"


async def test_another_provider_error_is_named_but_not_echoed_raw(client: OidcClient) -> None:
    start = await client.begin()
    with pytest.raises(OidcError) as caught:
        await client.finish({"state": start.state, "error": "temporarily_unavailable"}, start)
    assert caught.value.reason == "provider_error"
    assert "(temporarily_unavailable)" in str(caught.value)

    start = await client.begin()
    with pytest.raises(OidcError) as caught:
        await client.finish({"state": start.state, "error": "<script>x</script>"}, start)
    assert "(unknown)" in str(caught.value)
    assert "<script>" not in str(caught.value)


async def _lookalike(
    provider: Provider, rewrite: Callable[[dict[str, Any], str], dict[str, Any]]
) -> TestServer:
    """A real server on loopback serving the provider's discovery document, rewritten."""

    async def discovery(request: web.Request) -> web.Response:
        async with (
            aiohttp.ClientSession() as session,
            session.get(provider.url + "/.well-known/openid-configuration") as resp,
        ):
            document = await resp.json()
        own_url = f"http://127.0.0.1:{request.url.port}"
        return web.json_response(rewrite(document, own_url))

    app = web.Application()
    app.router.add_get("/.well-known/openid-configuration", discovery)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


async def test_a_discovery_document_of_another_issuer_is_refused(provider: Provider) -> None:
    server = await _lookalike(provider, lambda document, own_url: document)
    oidc = OidcClient(_config(f"http://127.0.0.1:{server.port}"))
    try:
        with pytest.raises(OidcError) as caught:
            await oidc.begin()
    finally:
        await oidc.close()
        await server.close()
    assert caught.value.reason == "issuer"
    assert "niet goed ingesteld" in str(caught.value)


async def test_an_id_token_from_another_issuer_is_refused(
    provider: Provider, browser: aiohttp.ClientSession
) -> None:
    """The look-alike claims to be the issuer but the token comes from the real provider."""
    server = await _lookalike(provider, lambda document, own_url: {**document, "issuer": own_url})
    oidc = OidcClient(_config(f"http://127.0.0.1:{server.port}"))
    try:
        start = await oidc.begin()
        params = await _sign_in(browser, start, {"sub": "issuer@gemeente.example"})
        with pytest.raises(OidcError) as caught:
            await oidc.finish(params, start)
        # And an `iss` in the callback (RFC 9207) that is not the issuer is refused before the
        # code is sent anywhere.
        start = await oidc.begin()
        params = await _sign_in(browser, start, {"sub": "issuer@gemeente.example"})
        seen = len(provider.recorder.requests)
        with pytest.raises(OidcError) as caught_iss:
            await oidc.finish({**params, "iss": provider.url}, start)
    finally:
        await oidc.close()
        await server.close()
    assert caught.value.reason == "issuer"
    assert caught_iss.value.reason == "issuer"
    assert len(provider.recorder.requests) == seen


async def test_the_issuer_named_in_the_callback_is_accepted(
    provider: Provider, client: OidcClient, browser: aiohttp.ClientSession
) -> None:
    start = await client.begin()
    params = await _sign_in(browser, start, {"sub": "rfc9207@gemeente.example"})
    identity = await client.finish({**params, "iss": provider.url}, start)
    assert identity.subject == "rfc9207@gemeente.example"


async def test_an_unreachable_provider_gives_a_clear_message() -> None:
    # A port that was just free: nothing listens there.
    probe = TestServer(web.Application(), host="127.0.0.1")
    await probe.start_server()
    port = probe.port
    await probe.close()
    oidc = OidcClient(_config(f"http://127.0.0.1:{port}"))
    try:
        with pytest.raises(OidcError) as caught:
            await oidc.begin()
    finally:
        await oidc.close()
    assert caught.value.reason == "unreachable"
    assert "niet bereikbaar" in str(caught.value)
    assert "cannot be reached" in str(caught.value)


async def test_discovery_is_cached(provider: Provider, browser: aiohttp.ClientSession) -> None:
    calls = 0

    def count(document: dict[str, Any], own_url: str) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        return {**document, "issuer": own_url}

    server = await _lookalike(provider, count)
    oidc = OidcClient(_config(f"http://127.0.0.1:{server.port}"))
    try:
        for _ in range(3):
            await oidc.begin()
    finally:
        await oidc.close()
        await server.close()
    assert calls == 1


class _KeyFront:
    """A real server on loopback with the provider's discovery document, whose jwks_uri points
    here; it answers the JWKS requests with the given key sets in turn (the last one repeats)."""

    def __init__(self, provider: Provider, answers: list[dict[str, Any] | None]) -> None:
        self._provider = provider
        self._answers = answers  # None: the provider's real keys
        self.jwks_requests = 0
        app = web.Application()
        app.router.add_get("/.well-known/openid-configuration", self._discovery)
        app.router.add_get("/jwks", self._jwks)
        self.server = TestServer(app, host="127.0.0.1")

    async def _fetch(self, path: str) -> dict[str, Any]:
        async with (
            aiohttp.ClientSession() as session,
            session.get(self._provider.url + path) as resp,
        ):
            document: dict[str, Any] = await resp.json()
            return document

    async def _discovery(self, request: web.Request) -> web.Response:
        document = await self._fetch("/.well-known/openid-configuration")
        document["jwks_uri"] = f"http://127.0.0.1:{request.url.port}/jwks"
        return web.json_response(document)

    async def _jwks(self, request: web.Request) -> web.Response:
        answer = self._answers[min(self.jwks_requests, len(self._answers) - 1)]
        self.jwks_requests += 1
        return web.json_response(answer if answer is not None else await self._fetch("/jwks"))

    def discovery_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/.well-known/openid-configuration"


async def _provider_kid(provider: Provider) -> str:
    async with aiohttp.ClientSession() as session, session.get(provider.url + "/jwks") as resp:
        kid: str = (await resp.json())["keys"][0]["kid"]
        return kid


def _other_key_set(kid: str) -> dict[str, Any]:
    key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})
    return {"keys": [key.as_dict(private=False)]}


async def test_an_id_token_not_signed_by_the_providers_key_is_refused(
    provider: Provider, browser: aiohttp.ClientSession
) -> None:
    """The keys offered carry the provider's key id but are another key: the signature fails,
    also after fetching the keys once more (the second sign-in finds them cached)."""
    front = _KeyFront(provider, [_other_key_set(await _provider_kid(provider))])
    await front.server.start_server()
    oidc = OidcClient(_config(provider.url, discovery_url=front.discovery_url()))
    reasons = []
    try:
        for _ in range(2):
            start = await oidc.begin()
            params = await _sign_in(browser, start, {"sub": "forged@gemeente.example"})
            with pytest.raises(OidcError) as caught:
                await oidc.finish(params, start)
            reasons.append(caught.value.reason)
    finally:
        await oidc.close()
        await front.server.close()
    assert reasons == ["signature", "signature"]
    assert "geldig bewijs van aanmelding" in str(caught.value)
    # Fetched for the first sign-in; fetched once more for the second, then given up.
    assert front.jwks_requests == 2


async def test_rotated_keys_are_fetched_again_once(
    provider: Provider, browser: aiohttp.ClientSession
) -> None:
    """Cached keys that no longer verify the provider's tokens: fetched once more, then the
    token is accepted, and the fresh keys are kept."""
    front = _KeyFront(provider, [_other_key_set("retired-key"), None])
    await front.server.start_server()
    oidc = OidcClient(_config(provider.url, discovery_url=front.discovery_url()))

    async def sign_in(sub: str) -> str:
        start = await oidc.begin()
        identity = await oidc.finish(await _sign_in(browser, start, {"sub": sub}), start)
        return identity.subject

    try:
        # Keys fetched just now that do not verify: refused at once, no second fetch.
        with pytest.raises(OidcError) as caught:
            await sign_in("before@gemeente.example")
        assert caught.value.reason == "signature"
        assert front.jwks_requests == 1
        # Now they are the cached (retired) keys: fetched again and the token verifies.
        assert await sign_in("rotation@gemeente.example") == "rotation@gemeente.example"
        assert front.jwks_requests == 2
        assert await sign_in("again@gemeente.example") == "again@gemeente.example"
    finally:
        await oidc.close()
        await front.server.close()
    assert front.jwks_requests == 2


def _basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


class _TokenSubstitution:
    """A token endpoint in front of the provider that answers with a token the provider issued
    to another application (same provider, same signature, same nonce, other audience)."""

    def __init__(self, provider: Provider) -> None:
        self._provider = provider
        self.nonce = ""
        app = web.Application()
        app.router.add_get("/.well-known/openid-configuration", self._discovery)
        app.router.add_post("/token", self._token)
        self.server = TestServer(app, host="127.0.0.1")

    async def _discovery(self, request: web.Request) -> web.Response:
        async with (
            aiohttp.ClientSession() as session,
            session.get(self._provider.url + "/.well-known/openid-configuration") as resp,
        ):
            document: dict[str, Any] = await resp.json()
        document["token_endpoint"] = f"http://127.0.0.1:{request.url.port}/token"
        return web.json_response(document)

    async def _token(self, request: web.Request) -> web.Response:
        other = "another-application"
        query = {
            "response_type": "code",
            "client_id": other,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid email",
            "state": "s",
            "nonce": self.nonce,
        }
        async with aiohttp.ClientSession() as session:
            async with session.post(
                self._provider.url + "/oauth2/authorize",
                params=query,
                data={"sub": "victim@gemeente.example"},
                allow_redirects=False,
            ) as resp:
                code = parse_qs(urlsplit(resp.headers["Location"]).query)["code"][0]
            async with session.post(
                self._provider.url + "/oauth2/token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": REDIRECT_URI,
                },
                # The provider takes any secret for a client it does not know.
                headers={"Authorization": f"Basic {_basic(other, 'any-secret')}"},
            ) as resp:
                token = await resp.json()
        return web.json_response(token)


async def test_an_id_token_for_another_application_is_refused(
    provider: Provider, browser: aiohttp.ClientSession
) -> None:
    front = _TokenSubstitution(provider)
    await front.server.start_server()
    discovery = f"http://127.0.0.1:{front.server.port}/.well-known/openid-configuration"
    oidc = OidcClient(_config(provider.url, discovery_url=discovery))
    try:
        start = await oidc.begin()
        front.nonce = start.nonce
        params = await _sign_in(browser, start, {"sub": "victim@gemeente.example"})
        with pytest.raises(OidcError) as caught:
            await oidc.finish(params, start)
    finally:
        await oidc.close()
        await front.server.close()
    assert caught.value.reason == "audience"


async def test_an_expired_id_token_is_refused(
    browser: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    """A provider whose tokens expired ten minutes ago (beyond the two minutes of leeway)."""
    with _serve_provider(access_token_max_age=timedelta(minutes=-10)) as stale:
        oidc = OidcClient(_config(stale.url))
        try:
            start = await oidc.begin()
            params = await _sign_in(browser, start, {"sub": "late@gemeente.example"})
            with pytest.raises(OidcError) as caught:
                await oidc.finish(params, start)
        finally:
            await oidc.close()
    assert caught.value.reason == "id_token"
    assert "geldig bewijs van aanmelding" in str(caught.value)
    assert "oidc: ID token expired" in caplog.text
