"""The overview's charts in headless Chromium under the workspace's strict CSP.

A small aiohttp app on 127.0.0.1 serves a page with the charts as ``<img>`` (page CSP as the
workspace's) and each SVG as ``/advisor/charts/<id>.svg`` with ``default-src 'none';
style-src 'unsafe-inline'``. Chromium must report no CSP violation, load every image at its
size, and apply the SVG's own styles (the patterns) when the SVG is opened by itself.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from playwright.sync_api import Browser

from bot.charts import Chart, render_charts
from bot.overview import OverviewRow, compute_overview
from knowledge.triage import Advisor
from tests.bot.triages import DESCRIPTIONS, advice
from tests.threaded_app import ThreadedApp

PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def charts(advisor: Advisor) -> list[Chart]:
    outcomes = [advice(advisor, d, T0, conversation=k) for k, d in DESCRIPTIONS.items()]
    rows = [
        OverviewRow(
            (T0 + timedelta(hours=31 * i)).isoformat(),
            o.risk if i % 6 else "laag",
            "nieuw",
            i % 4 == 0,
            (T0 + timedelta(hours=31 * i + 3)).isoformat() if i % 3 else None,
            o,
        )
        for i, o in enumerate(outcomes * 10)
    ]
    return render_charts(compute_overview(rows, "nl", knowledge=advisor.knowledge), "nl")


@pytest.fixture(scope="module")
def server(charts: list[Chart]) -> Iterator[ThreadedApp]:
    by_id = {c.id: c for c in charts}

    def build() -> web.Application:
        async def page(_: web.Request) -> web.Response:
            body = "".join(
                f'<h2>{html.escape(c.title)}</h2><img src="/advisor/charts/{c.id}.svg" '
                f'alt="{html.escape(c.title)}">{c.table_html}'
                for c in charts
            )
            return web.Response(
                text=f'<!doctype html><html lang="nl"><meta charset="utf-8"><title>Overzicht'
                f"</title><body>{body}</body></html>",
                content_type="text/html",
                headers={"Content-Security-Policy": PAGE_CSP},
            )

        async def svg(request: web.Request) -> web.Response:
            chart = by_id.get(request.match_info["id"])
            if chart is None:
                raise web.HTTPNotFound()
            return web.Response(
                text=chart.svg,
                content_type="image/svg+xml",
                headers={"Content-Security-Policy": SVG_CSP},
            )

        async def no_icon(_: web.Request) -> web.Response:
            return web.Response(status=204)

        app = web.Application()
        app.router.add_get("/advisor/overview", page)
        app.router.add_get("/advisor/charts/{id}.svg", svg)
        app.router.add_get("/favicon.ico", no_icon)
        return app

    app = ThreadedApp(build, name="charts")
    app.start()
    yield app
    app.stop()


def test_charts_load_as_images_under_the_strict_csp(
    browser: Browser, server: ThreadedApp, charts: list[Chart]
) -> None:
    page = browser.new_page()
    try:
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        page.goto(f"{server.url}/advisor/overview")
        page.wait_for_load_state("networkidle")
        sizes = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.complete, e.naturalWidth, e.naturalHeight])"
        )
        assert len(sizes) == len(charts)
        assert all(done and w == 860 and h > 100 for done, w, h in sizes), sizes
        assert page.locator("table caption").count() == len(charts)
        assert not [m for m in console if "Content Security Policy" in m], console
    finally:
        page.close()


def test_an_svg_opened_alone_keeps_its_styles_and_runs_nothing(
    browser: Browser, server: ThreadedApp
) -> None:
    page = browser.new_page()
    try:
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        page.goto(f"{server.url}/advisor/charts/risk-per-week.svg")
        page.wait_for_load_state("networkidle")
        fills = page.eval_on_selector_all(
            "rect.rect", "els => els.map(e => getComputedStyle(e).fill)"
        )
        # The bars are filled with the in-document patterns: the inline styles were applied.
        assert fills and all("#pat-" in f for f in fills), fills[:3]
        assert page.evaluate("typeof window.pygal") == "undefined"  # no script ran
        assert not [m for m in console if "Content Security Policy" in m], console
    finally:
        page.close()
