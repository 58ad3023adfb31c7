"""A throwaway PostgreSQL server for tests and benchmarks: ``initdb`` + ``pg_ctl`` in a temp directory.

It listens only on a Unix socket inside that directory and is removed on :meth:`PgServer.stop`. initdb
refuses to run as root, so as root the server runs as the ``postgres`` system user (created by the
operating system's package). ``.ci/run`` installs the package where it is missing.
"""

from __future__ import annotations

import asyncio
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

SUPERUSER = "postgres"


class Unavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says why (tests skip with it)."""


def find_bin(name: str) -> str | None:
    """A PostgreSQL server program: on PATH, else in Debian's versioned folder (newest first)."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    return None


class PgServer:
    def __init__(self, *, durable: bool = False) -> None:
        self.durable = durable
        self.root: Path | None = None
        self._as: list[str] = []

    @property
    def socket_dir(self) -> Path:
        assert self.root is not None
        return self.root

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def start(self) -> PgServer:
        initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise Unavailable("PostgreSQL server programs (initdb, pg_ctl) are not installed; "
                              "install them with: apt-get install postgresql")
        self.root = Path(tempfile.mkdtemp(prefix="dramabot-pg-"))
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise Unavailable("running as root and there is no 'postgres' user to run the server as") from None
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        data = self.root / "data"
        self._run([initdb, "-D", str(data), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--locale=C",
                   *([] if self.durable else ["--no-sync"])])
        options = [f"-k {self.root}", "-c listen_addresses=''", "-c max_connections=300"]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._run([pg_ctl, "-D", str(data), "-l", str(self.root / "server.log"), "-w", "-t", "60",
                   "-o", " ".join(options), "start"])
        return self

    def stop(self) -> None:
        if self.root is None:
            return
        pg_ctl = find_bin("pg_ctl")
        if pg_ctl and (self.root / "data" / "postmaster.pid").exists():
            subprocess.run([*self._as, pg_ctl, "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop"],
                           capture_output=True, check=False)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def _run(self, argv: list[str]) -> None:
        proc = subprocess.run([*self._as, *argv], capture_output=True, text=True, check=False, cwd=self.root)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            self.stop()
            raise Unavailable(f"{Path(argv[0]).name} failed: {' / '.join(tail)}")

    # ------------------------------------------------------------ databases
    def sql(self, *statements: str, database: str = "postgres") -> None:
        """Run statements outside any transaction (CREATE/DROP DATABASE), from any thread or loop."""
        import asyncpg

        async def go() -> None:
            conn = await asyncpg.connect(self.url(database))
            try:
                for statement in statements:
                    await conn.execute(statement)
            finally:
                await conn.close()

        run_sync(go())


def run_sync(coro) -> None:
    """Run ``coro`` to completion on a private loop in a helper thread (safe inside a running loop)."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
