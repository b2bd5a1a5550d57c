"""The advice note as a PDF in Teams: a file consent card in a personal chat, the upload to
the URL Teams gives on accept, and a file card after. Only for the person's own note, and
never to a URL outside the allowed hosts."""

from __future__ import annotations

from typing import Any

from tests.adapters.teams.helpers import QUESTION, TENANT, MockConnector, TeamsServer, message
from tests.adapters.teams.test_protocol import Conversation

CONSENT = "application/vnd.microsoft.teams.card.file.consent"
INFO = "application/vnd.microsoft.teams.card.file.info"


def _attachments(sent: list[Any], kind: str) -> list[dict[str, Any]]:
    return [
        a for s in sent for a in s.activity.get("attachments") or [] if a["contentType"] == kind
    ]


def _invoke(
    connector: MockConnector, context: dict[str, Any], upload: str, **kw: Any
) -> dict[str, Any]:
    activity = message(connector.url, None, **kw)
    activity.update(
        type="invoke",
        name="fileConsent/invoke",
        value={
            "type": "fileUpload",
            "action": "accept",
            "context": context,
            "uploadInfo": {
                "name": "ethiekbot.pdf",
                "uploadUrl": upload,
                "contentUrl": "https://contoso-my.sharepoint.com/personal/x/ethiekbot.pdf",
                "uniqueId": "1234",
                "fileType": "pdf",
            },
        },
    )
    return activity


async def _offer(teams: TeamsServer, connector: MockConnector) -> dict[str, Any]:
    """A personal conversation to its report: the file consent card that comes with it."""
    conv = Conversation(teams, connector)
    quick = await conv.say(QUESTION)
    outcome = await conv.click(quick, "Alleen het advies")
    sent = await conv.click(outcome, "Rapport")
    [offer] = _attachments(sent, CONSENT)
    return offer


async def test_the_report_offers_the_pdf_and_uploads_it_on_accept(
    teams: TeamsServer, connector: MockConnector
) -> None:
    offer = await _offer(teams, connector)
    assert offer["name"].endswith(".pdf") and offer["content"]["sizeInBytes"] > 1000
    context = offer["content"]["acceptContext"]

    status, _ = await teams.post(_invoke(connector, context, f"{connector.url}upload/note.pdf"))
    assert status == 200
    assert connector.uploads["note.pdf"].startswith(b"%PDF-")
    assert len(connector.uploads["note.pdf"]) == offer["content"]["sizeInBytes"]
    [card] = _attachments(connector.sent, INFO)
    assert card["contentUrl"].endswith("ethiekbot.pdf")


async def test_a_consent_by_someone_else_or_to_another_url_uploads_nothing(
    teams: TeamsServer, connector: MockConnector
) -> None:
    offer = await _offer(teams, connector)
    context = offer["content"]["acceptContext"]
    # Someone else naming this note.
    url = f"{connector.url}upload/a.pdf"
    other = _invoke(connector, context, url, user="29:user-2", aad="aad-user-2")
    assert (await teams.post(other))[0] == 400
    # This conversation, but an upload URL that is not the allowed kind.
    for url in ("http://10.0.0.1:9/upload/b.pdf", f"http://localhost:{connector.port}\\@x/upload"):
        assert (await teams.post(_invoke(connector, context, url)))[0] == 400
    assert connector.uploads == {}
    assert TENANT  # the same tenant throughout
