"""A throwaway PostgreSQL cluster for the tests: Debian's server binaries, a temporary data
folder, a free loopback port, stopped and removed afterwards.

PostgreSQL refuses to run as root, and CI runs as root: then the cluster belongs to the
``postgres`` user and every server command runs through ``runuser``. `make test` installs
Debian's ``postgresql`` when it is missing (the Makefile's ``postgresql`` target).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

USER = "ethiekbot"


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(
            f"PostgreSQL's {name} is missing: run `make postgresql` (apt-get install -y postgresql)"
        )
    return found[-1]  # the newest version installed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """Start with :meth:`start`, stop (and remove) with :meth:`stop`; ``url`` once started."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="ethiekbot-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.started = False

    @property
    def url(self) -> str:
        """A libpq URL for the cluster's ``postgres`` database, over TCP on loopback."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def _run(self, *argv: str) -> None:
        command = ["runuser", "-u", "postgres", "--", *argv] if self.as_root else list(argv)
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> Cluster:
        """initdb (trust on loopback only, a superuser of our own) and start on the port."""
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            _bin("initdb"),
            "-D",
            str(self.data),
            "-U",
            USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            _bin("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        self.started = True
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder."""
        try:
            if self.started:
                self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            self.started = False
            shutil.rmtree(self.root, ignore_errors=True)
