"""axe-core in the page: run it and fail on serious or critical accessibility violations.

axe-core comes from npm (``tests/webchat/package.json``, installed by ``make node``), never from
a CDN. The workspace's Content-Security-Policy (``script-src 'self'``) refuses an inline
``<script>``, so the source is not added as a script tag: Playwright evaluates it through the
DevTools protocol, which the page's CSP does not govern. The product's CSP stays as it is.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE_JS = (
    Path(__file__).resolve().parents[1] / "webchat" / "node_modules" / "axe-core" / "axe.min.js"
)
BLOCKING = ("serious", "critical")
# WCAG 2.0/2.1/2.2 A and AA, and axe's best practices; colour contrast is among them.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@cache
def axe_source() -> str:
    """axe.min.js; fails (never skips) with what to run when node_modules is missing."""
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core not found at {AXE_JS}. Run `make node` (npm ci in tests/webchat) to "
            "install the test packages from tests/webchat/package-lock.json.",
            pytrace=False,
        )
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page: Page) -> dict[str, Any]:
    """axe.run() on the whole document as it is now; axe's result object."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated as a script body, not inserted into the DOM: the page's CSP is untouched.
        page.evaluate(f"() => {{ {axe_source()}\n; return typeof window.axe; }}")
    result = page.evaluate(
        "tags => axe.run(document, { runOnly: { type: 'tag', values: tags },"
        " resultTypes: ['violations'] })",
        TAGS,
    )
    assert isinstance(result, dict)
    return result


def describe(violations: list[dict[str, Any]]) -> str:
    """The violations as lines a person can act on: rule, impact, help, where."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"    at {' '.join(node['target'])}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


def assert_accessible(page: Page, what: str) -> dict[str, Any]:
    """Fail when axe finds a serious or critical violation on ``page``; the result otherwise.

    Checks that axe ran the colour-contrast rule, so contrast is proven, not assumed."""
    result = run_axe(page)
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"axe-core on {what} ({page.url}):\n{describe(blocking)}"
    checked = {r["id"] for kind in ("passes", "violations") for r in result[kind]}
    assert "color-contrast" in checked, (
        f"axe-core did not check the colour contrast on {what}; undecided: "
        f"{[r['id'] for r in result['incomplete']]}"
    )
    return result
