"""An aiohttp application on 127.0.0.1 in a background thread with its own event loop.

For tests whose other side is synchronous (Playwright's sync API, botbuilder's blocking key
fetch): the app keeps serving while the test thread blocks. ``build`` runs inside the thread,
so whatever it creates belongs to that thread's loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from aiohttp import web

SHUTDOWN_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 30.0  # longer than SHUTDOWN_TIMEOUT_S: the app's cleanup hooks run after it


class ThreadedApp:
    """Start with :meth:`start`, stop with :meth:`stop`; ``port`` and ``url`` once started."""

    def __init__(self, build: Callable[[], web.Application], name: str = "test-app") -> None:
        self._build = build
        self.name = name
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        loop = self._loop
        asyncio.set_event_loop(loop)
        runner: web.AppRunner | None = None
        try:
            # Requests still in flight at stop() get 10 s (aiohttp's default is 60 s, longer than
            # stop() waits; a fuzzed Teams activity can keep a handler retrying its sends).
            runner = web.AppRunner(self._build(), shutdown_timeout=SHUTDOWN_TIMEOUT_S)
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", 0).start())
            self.port = int(runner.addresses[0][1])
        except BaseException as exc:  # reported to the test thread by start()
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner.cleanup())
            loop.close()

    def start(self) -> ThreadedApp:
        """Start serving; raises what building or binding the app raised."""
        self._thread.start()
        assert self._ready.wait(30), f"{self.name} did not start"
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread (cleanup hooks of the app run first)."""
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=STOP_TIMEOUT_S)
        assert not self._thread.is_alive(), f"{self.name} did not stop"
