"""A hand-over the employee erased shows the advisor "verwijderd op verzoek", never content
(issue 11, part 3), on the real server with a signed-in advisor."""

from __future__ import annotations

from bot.service import ConversationService
from dialogs.models import Inbound
from tests.adapters.advisor.helpers import CAMERAS, Server, sign_in
from tests.advice import ask_advice


def _erase(service: ConversationService, conversation: str, user: str) -> None:
    """The employee's own command and confirmation, as typed in the web chat."""
    for text in ("wis mijn gegevens", "ja"):
        service.handle(Inbound(channel="web", conversation=conversation, user=user, text=text))


async def test_an_erased_hand_over_leaves_a_tombstone_for_the_advisor(server: Server) -> None:
    service = server.service
    # (An advisor is registered, so the bot offers the hand-over.)
    service.store.add_advisor("andere.adviseur@provincie.test", "adviseur")
    gone = await service.call(ask_advice, service, CAMERAS, "c1", "u1", "web", None, True)
    kept = await service.call(
        ask_advice, service, "Mogen we drones inzetten boven weilanden?", "c2", "u2", "web"
    )
    await service.call(_erase, service, "c1", "u1")
    async with server.browser() as browser:
        await sign_in(server, browser)
        async with browser.get("/advisor/") as resp:
            page = await resp.text()
        assert resp.status == 200
        assert "Verwijderd op verzoek" in page and gone in page
        assert kept in page  # the other employee's triage is untouched
        assert "gezichtsherkenning" not in page  # the tombstone carries no content
        async with browser.get(f"/advisor/outcomes/{gone}") as resp:
            text = await resp.text()
        assert resp.status == 410
        assert "verwijderd op verzoek" in text and "gezichtsherkenning" not in text
        assert 'href="/advisor/">Terug naar de wachtrij' in text  # not "Aanmelden": signed in
        async with browser.get(f"/advisor/api/outcomes/{gone}") as resp:
            body = await resp.json()
        assert resp.status == 410 and "erased" in body["error"]["en"]
        # An id that never existed is still plainly unknown.
        async with browser.get("/advisor/outcomes/T-0123456789ab") as resp:
            assert resp.status == 404


async def test_an_erasure_without_a_hand_over_leaves_no_trace(server: Server) -> None:
    service = server.service
    oid = await service.call(ask_advice, service, CAMERAS, "c1", "u1", "web")
    await service.call(_erase, service, "c1", "u1")
    async with server.browser() as browser:
        await sign_in(server, browser)
        async with browser.get("/advisor/") as resp:
            page = await resp.text()
        # Never handed over, so the advisor was never promised it: no tombstone either.
        assert oid not in page and "Verwijderd op verzoek" not in page
        async with browser.get(f"/advisor/outcomes/{oid}") as resp:
            assert resp.status == 404
