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
import dataclasses
import io
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import aiohttp
import oidc_provider_mock
import pytest
import werkzeug.serving
from aiohttp import web
from aiohttp.test_utils import TestServer
from authlib.oauth2.rfc7636 import create_s256_code_challenge

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


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    """The mock provider on 127.0.0.1 for this module; stopped (and its thread joined) after."""
    recorder = _TokenRecorder(oidc_provider_mock.app())
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
    provider: Provider, client: OidcClient, browser: aiohttp.ClientSession
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
        # And an `iss` in the callback that is not the issuer is refused before the exchange.
        start = await oidc.begin()
        params = await _sign_in(browser, start, {"sub": "issuer@gemeente.example"})
        with pytest.raises(OidcError) as caught_iss:
            await oidc.finish({**params, "iss": provider.url}, start)
    finally:
        await oidc.close()
        await server.close()
    assert caught.value.reason == "issuer"
    assert caught_iss.value.reason == "issuer"


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
