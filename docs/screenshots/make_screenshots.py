"""Screenshots of the advisor's workspace for the README: the queue, a triage and the overview.

Run from the repository root: ``.venv/bin/python docs/screenshots/make_screenshots.py``. It
starts the real application on 127.0.0.1 with a fresh SQLite file in a temporary folder, makes
made-up demo triages through the service (no real person or organisation), signs in with an
invite link in headless Chromium (``/usr/bin/chromium`` or ``ETHIEKBOT_CHROMIUM``), takes
1280 px wide PNGs next to this script, and stops the browser and the server.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the tests' helpers (tests/advice.py, tests/browser/…)

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from knowledge.triage import Advisor  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.workspace_server import WorkspaceServer, seed  # noqa: E402

OUT = Path(__file__).resolve().parent
WIDTH = 1280
ADVISOR = "adviseur@example.org"


def _shot(page: Page, name: str, height: int) -> Path:
    """The top ``height`` px of the page (at most the whole page) as ``OUT/name``."""
    full = int(page.evaluate("() => document.documentElement.scrollHeight"))
    path = OUT / name
    page.screenshot(
        path=str(path),
        full_page=True,
        clip={"x": 0, "y": 0, "width": WIDTH, "height": min(full, height)},
    )
    return path


def main() -> int:
    if not CHROMIUM.is_file():
        print(f"Chromium not found at {CHROMIUM}; run `make chromium`.", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="ethiekbot-shots-") as tmp:
        folder = Path(tmp)
        (folder / "eigen").mkdir()
        server = WorkspaceServer(folder / "demo.db", folder / "eigen", Advisor.load())
        server.start()
        try:
            ids = seed(server, demo=True)
            # A note, so the triage's history shows an advisor's work.
            note = {"text": "Besproken met de FG: eerst een **DPIA** en een IAMA."}
            server.call(server.svc.store.add_entry, ids["high"], "notitie", ADVISOR, note)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
                )
                try:
                    ctx = browser.new_context(
                        viewport={"width": WIDTH, "height": 900}, locale="nl-NL"
                    )
                    page = ctx.new_page()
                    page.goto(server.url + server.invite(ADVISOR))
                    page.get_by_role("button", name="Aanmelden").click()
                    # Status changes through the workspace itself, as an advisor does.
                    for oid, status in (
                        (ids["handed"], "in-behandeling"),
                        (ids["demo1"], "afgerond"),
                    ):
                        page.goto(f"{server.url}/advisor/outcomes/{oid}")
                        page.get_by_label("Nieuwe status").select_option(status)
                        page.get_by_role("button", name="Status opslaan").click()
                        page.get_by_role("status").wait_for()
                    page.goto(server.url + "/advisor/")
                    written = [_shot(page, "workspace-queue.png", 900)]
                    page.goto(f"{server.url}/advisor/outcomes/{ids['high']}")
                    written.append(_shot(page, "workspace-triage.png", 1400))
                    page.goto(server.url + "/advisor/overview")
                    page.wait_for_load_state("networkidle")
                    written.append(_shot(page, "workspace-overview.png", 1600))
                    ctx.close()
                finally:
                    browser.close()
        finally:
            server.stop()
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
