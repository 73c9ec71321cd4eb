"""A throwaway PostgreSQL server for the tests, as the Rust harness
(crates/rasd-store/tests/pg/mod.rs) runs one: ``initdb`` in a temporary
folder, ``pg_ctl start`` on a free loopback port, ``pg_ctl stop -m
immediate`` at the end. The Debian packages' binaries are found in
/usr/lib/postgresql/*/bin or on PATH. As root (CI) the server runs as the
``postgres`` user the package creates, since ``initdb`` refuses root."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional


def find_bin() -> Optional[Path]:
    def version(path: str) -> int:
        name = Path(path).parent.name
        return int(name) if name.isdigit() else 0

    found = [p for p in glob.glob("/usr/lib/postgresql/*/bin") if os.path.isfile(os.path.join(p, "initdb"))]
    if found:
        return Path(max(found, key=version))
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempPostgres:
    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="rasd-pg-"))
        self.run_as = "postgres" if os.getuid() == 0 else None
        if self.run_as:
            subprocess.run(["chown", "-R", self.run_as, str(self.dir)], check=True)
        self.port = free_port()
        self.databases = 0
        self._pg("initdb", "-D", str(self.dir / "data"), "-U", "postgres", "--auth=trust",
                 "--no-locale", "-E", "UTF8", "--no-sync")
        self._pg("pg_ctl", "start", "-w", "-D", str(self.dir / "data"), "-l", str(self.dir / "server.log"),
                 "-o", f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1 "
                       "-c fsync=off -c full_page_writes=off")
        self._wait_ready()

    def _pg(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        # Never pipes: the server pg_ctl forks must not hold them open.
        with open(self.dir / "commands.log", "ab") as log:
            done = subprocess.run(command, cwd=self.dir, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed (exit {done.returncode}); see {self.dir}/commands.log")

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(self.url("postgres")).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def url(self, db: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def create_database(self) -> str:
        import psycopg

        self.databases += 1
        name = f"rasd_test_{self.databases}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._pg("pg_ctl", "stop", "-m", "immediate", "-D", str(self.dir / "data"))
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
