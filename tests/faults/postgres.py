"""A PostgreSQL server of the test's own (Debian's binaries, a data directory in a temp dir), so a test can
restart it and cut its connections for real without touching the machine's shared server."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import List


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL's server binaries are missing: apt-get install postgresql")
    return Path(found[-1]).parent


class PrivateCluster:
    def __init__(self, port: int) -> None:
        self.bin = _binaries()
        # Not under pytest's temp dirs: those are private to root, and the server runs as postgres.
        self.root = Path(tempfile.mkdtemp(prefix="shopassist-pg-"))
        self.root.chmod(0o711)
        root = self.root
        self.data = root / "pgdata"
        self.socket_dir = root / "pgsocket"
        self.log = root / "pgsocket" / "postgres.log"  # a place the server's user may write
        self.port = port
        # The server refuses to run as root; it then runs as Debian's postgres user.
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *argv: str) -> None:
        subprocess.run([*self._as, *argv], check=True, capture_output=True, text=True, timeout=60)

    def init(self) -> None:
        for path in (self.data, self.socket_dir):
            path.mkdir(mode=0o700)
            if self._as:
                shutil.chown(path, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """fast: clients are disconnected and the server shuts down cleanly; immediate: as if it crashed."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def psql(self, sql: str, database: str = "postgres") -> List[str]:
        out = subprocess.run(
            [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
             "-At", "-c", sql],
            check=True, capture_output=True, text=True, timeout=30,
        )
        return out.stdout.split()

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"
