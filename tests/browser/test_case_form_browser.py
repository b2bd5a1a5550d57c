"""The case editor in headless Chromium, under the web chat's strict Content-Security-Policy.

A small aiohttp app on loopback serves :func:`render_case_form` as a page, takes the post,
parses it with :func:`parse_case_form`, validates it with the knowledge and shows the form
again with the problems, as the workspace does. The advisor edits by keyboard, finding every
field by its label; what the server parsed is compared with what was typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web
from playwright.sync_api import Browser, expect

from adapters.advisor.case_form import parse_case_form, render_case_form
from adapters.web import SECURITY_HEADERS
from dialogs.models import ConversationState, QuestionAnswer, ValueAnswer
from dialogs.outcome import build_outcome
from knowledge.promote import draft_case, validate_case
from knowledge.triage import Advisor
from tests.browser.conftest import TIMEOUT_MS
from tests.threaded_app import ThreadedApp

BINS = (
    "De gemeente wil vulgraadsensoren in ondergrondse afvalcontainers plaatsen, zodat de "
    "vuilniswagen alleen langskomt als een container bijna vol is."
)


class EditorApp(ThreadedApp):
    """GET /case shows the editor; POST /case parses, validates and shows it again."""

    def __init__(self, advisor: Advisor, draft: dict[str, Any]) -> None:
        self.posted: list[dict[str, Any]] = []

        def page(draft: dict[str, Any], problems: list[str]) -> web.Response:
            form = render_case_form(draft, problems, "csrf-1", "/case", "nl")
            body = f'<!doctype html><html lang="nl"><title>Casus</title><main>{form}</main></html>'
            return web.Response(text=body, content_type="text/html", headers=SECURITY_HEADERS)

        async def show(_: web.Request) -> web.Response:
            return page(draft, [])

        async def post(request: web.Request) -> web.Response:
            form = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
            parsed = parse_case_form(form)
            self.posted.append({"form": form, "draft": parsed})
            return page(parsed, validate_case(parsed, advisor.knowledge))

        def build() -> web.Application:
            app = web.Application()
            app.router.add_get("/case", show)
            app.router.add_post("/case", post)
            return app

        super().__init__(build, name="case-editor")


@pytest.fixture(scope="module")
def editor(advisor: Advisor) -> Iterator[EditorApp]:
    state = ConversationState(
        lang="nl",
        step="outcome",
        description=BINS,
        queue=["q:doel", "v:privacy"],
        answers={"doel": QuestionAnswer(answer="open", note="Minder ritten")},
        value_answers={"privacy": ValueAnswer(answer="zorg", note="Afvalgedrag per huishouden")},
    )
    outcome = build_outcome(advisor, state, "T-77aa01", datetime(2026, 11, 2, tzinfo=UTC))
    draft = draft_case(outcome, [], title="Vulgraadsensoren in containers", advisor=advisor)
    app = EditorApp(advisor, draft)
    app.start()
    yield app
    app.stop()


def test_editor_by_keyboard_under_a_strict_csp(browser: Browser, editor: EditorApp) -> None:
    ctx = browser.new_context(locale="nl-NL")
    ctx.set_default_timeout(TIMEOUT_MS)
    page = ctx.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{editor.url}/case")
        # The draft has no lesson yet: checking it says so, in an alert linked to the field.
        page.get_by_role("button", name="Controleren").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("lessons: List should have at least 1 item")
        lessons_nl = page.get_by_label("Lessen (Nederlands, verplicht)")
        expect(lessons_nl).to_have_attribute("aria-invalid", "true")

        # Fill in by label, with the keyboard only.
        page.get_by_label("Titel (Engels, verplicht)").fill("")
        page.get_by_label("Titel (Engels, verplicht)").focus()
        page.keyboard.type("Fill-level sensors in containers")
        lessons_nl.focus()
        page.keyboard.type("Bewaar geen gegevens per adres.")
        page.keyboard.press("Enter")
        page.keyboard.type("Vertel inwoners wat er gemeten wordt.")
        page.get_by_label("Lessen (Engels, verplicht)").focus()
        page.keyboard.type("Keep no data per address.")
        page.keyboard.press("Enter")
        page.keyboard.type("Tell residents what is measured.")
        page.get_by_label("Waarde (kenmerk, bijvoorbeeld privacy)").nth(1).focus()
        page.keyboard.type("<script>alert(1)</script>")
        page.get_by_role("button", name="Controleren").focus()
        page.keyboard.press("Enter")

        # The typed value is not an id; its empty reasons are missing too.
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("values_for[1].value: String should match pattern")
        expect(alert).to_contain_text("values_for[1].because.nl: String should have at least 1")
        last = editor.posted[-1]
        assert last["form"]["csrf"] == "csrf-1"
        assert last["form"]["intent"] == "check"
        draft = last["draft"]
        assert draft["title"]["en"] == "Fill-level sensors in containers"
        assert draft["lessons"] == [
            {"nl": "Bewaar geen gegevens per adres.", "en": "Keep no data per address."},
            {
                "nl": "Vertel inwoners wat er gemeten wordt.",
                "en": "Tell residents what is measured.",
            },
        ]
        # Typed text came back as text, not as markup.
        value = page.get_by_label("Waarde (kenmerk, bijvoorbeeld privacy)").nth(1)
        expect(value).to_have_value("<script>alert(1)</script>")
        assert page.locator("main script").count() == 0
        assert not [m for m in console if "Content Security Policy" in m], console
    finally:
        ctx.close()
