"""The store's connection: SQLite (aiosqlite, the default) or PostgreSQL (``bot/store/postgres.py``).

SQLite: one connection in autocommit mode; every write goes through :meth:`Database.transaction`, which holds
an asyncio lock so that two coroutines never interleave inside one SQLite transaction. When a
transaction's ``async with`` block returns, the data is committed and on disk (WAL, synchronous=FULL:
the WAL is fsynced at every commit, so it survives a crash of the process, of the OS, or a power cut),
so callers may acknowledge only after that. The hot path (votes) commits in groups, so the fsync is
paid once per batch, not once per vote.

Another process (``dramabot schedule import``, a backup) may hold the write lock. A write then waits up
to ``busy_timeout_ms`` and raises :class:`StoreBusy` (nothing written). Someone waiting for the answer
(a member's interaction, which Discord drops after 3 s) registers a *wait hook* (``waiting_hook`` or
``transaction(on_wait=...)``): the lock is first tried without waiting, and only when it is taken is
the hook called (it defers the interaction) before the real wait.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg

from bot.errors import StoreBusy, StoreError

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000  # how long a write waits for another process's write lock

WaitHook = Callable[[], Awaitable[None]]
# Set by whoever is waiting for this task's writes (see the module docstring); None: nobody is.
waiting_hook: ContextVar[WaitHook | None] = ContextVar("waiting_hook", default=None)


def is_busy(exc: BaseException) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED: another connection holds the lock (not a bug, not corruption)."""
    return isinstance(exc, sqlite3.OperationalError) and any(
        word in str(exc).lower() for word in ("database is locked", "database is busy", "database table is locked"))
# What a failed query raises on either backend (callers that degrade gracefully catch these).
DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, asyncpg.PostgresError)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations(dialect: str = "sqlite") -> list[tuple[int, str, str]]:
    """Every migration shipped with the code, as (number, file name, sql), in order, numbered 1..N.

    SQLite's are in ``migrations/``; PostgreSQL's twins (same numbers and names) in ``migrations/postgres/``.
    """
    folder = resources.files("bot.store").joinpath("migrations")
    if dialect == "postgres":
        folder = folder.joinpath("postgres")
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    for expected, (number, name, _sql) in enumerate(found, start=1):
        if number != expected:
            raise StoreError(f"Migration files are not numbered 1..N without gaps (at {name}).")
    return found


def latest_version() -> int:
    return len(migrations())


def check_file(path: Path) -> None:
    """Refuse, without touching anything, a path we could not or should not open as our database."""
    if path.exists():
        if path.is_dir():
            raise StoreError(f"Database path {path} is a directory, not a file.")
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreError(f"Database file {path} cannot be read and written by this user.")
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
        if header and header != SQLITE_HEADER:
            raise StoreError(f"{path} is not a SQLite database; refusing to touch it.")
    else:
        parent = path.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create the folder for the database at {parent}: {exc.strerror}.") from None
        if not os.access(parent, os.W_OK | os.X_OK):
            raise StoreError(f"Cannot create the database: the folder {parent} is not writable.")


def create_private(path: Path) -> None:
    """Create ``path`` empty and readable by this user only (0600), unless it exists.

    The database holds member ids and votes. SQLite gives its -wal and -shm files the main file's
    mode, so creating the main file 0600 keeps all three private whatever the umask.
    """
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def make_private(path: Path) -> None:
    """Take group/other access away from a database file we own (older releases created it 0644)."""
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = file.stat().st_mode & 0o777
            if mode & 0o077 and file.stat().st_uid == getattr(os, "getuid", lambda: -1)():
                os.chmod(file, mode & 0o700)
                log.info("made %s readable by its owner only (was %o)", file, mode)
        except OSError:
            continue


class SqliteBackend:
    """An open SQLite database with our schema applied: one connection, writes serialised by a lock."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self.busy_timeout_ms = BUSY_TIMEOUT_MS

    @property
    def name(self) -> str:
        return str(self.path)

    # ----------------------------------------------------------------- lifecycle
    async def open(self, *, migrate: bool, migrations: list[tuple[int, str, str]]) -> None:
        check_file(self.path)
        create_private(self.path)
        try:
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open the database at {self.path}: {exc}.") from None
        try:
            version = await _scalar(conn, "PRAGMA user_version")
            latest = migrations[-1][0] if migrations else 0
            if version > latest:
                raise StoreError(
                    f"{self.path} was written by a newer dramabot (schema {version}, this one knows {latest}); "
                    "upgrade dramabot or restore a backup."
                )
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            mode = await _scalar(conn, "PRAGMA journal_mode = WAL")
            if str(mode).lower() != "wal":
                log.warning("SQLite refused WAL mode (got %s); continuing", mode)
            await conn.execute("PRAGMA synchronous = FULL")  # durable against power loss (see above)
            if migrate and version < latest:
                await _migrate(conn, version, migrations)
        except sqlite3.DatabaseError as exc:
            await conn.close()
            raise StoreError(f"Cannot use the database at {self.path}: {exc}.") from None
        except BaseException:
            await conn.close()
            raise
        conn.row_factory = sqlite3.Row
        self._conn = conn
        make_private(self.path)  # only a file we accepted as ours is touched

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StoreError("The database is not open.")
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def total_changes(self) -> int:
        return self.conn.total_changes

    async def verify(self) -> None:
        """Refuse a damaged database (pages corrupted behind an intact header) before anything uses it.

        ``PRAGMA quick_check`` reads every page (about 0.05 s for the shipped catalog's 8 MB).
        """
        try:
            rows = await self.conn.execute_fetchall("PRAGMA quick_check(3)")
            problems = [" ".join(str(r[0]).split()) for r in rows if str(r[0]) != "ok"]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems:
            detail = "; ".join(problems)[:200]
            raise StoreError(
                f"{self.path} is damaged ({detail}). Restore your latest backup: stop dramabot, copy the file "
                f"made by `dramabot db backup FILE` to {self.path}, and start again "
                "(`dramabot db check` shows the damage)."
            )

    async def schema_version(self) -> int:
        return await _scalar(self.conn, "PRAGMA user_version")

    async def integrity(self) -> str:
        return str(await _scalar(self.conn, "PRAGMA integrity_check"))

    # ----------------------------------------------------------------- queries
    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        rows = await self.conn.execute_fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        # execute_fetchall is one trip to aiosqlite's thread; `async with execute` + fetch + close is three
        # (~0.1 ms each, most of a short query's time). Rows are sqlite3.Row: set on the connection at open.
        return list(await self.conn.execute_fetchall(sql, params))

    async def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        return await _scalar(self.conn, sql, params)

    async def iterate(self, sql: str, params: Sequence[Any], size: int) -> AsyncIterator[list[sqlite3.Row]]:
        async with self.conn.execute(sql, params) as cur:
            while True:
                rows = await cur.fetchmany(size)
                if not rows:
                    break
                yield list(rows)

    async def set_busy_timeout(self, milliseconds: int) -> None:
        """How long writes wait for another process's lock (tests shorten it)."""
        self.busy_timeout_ms = int(milliseconds)
        await self.conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")

    async def _begin(self, conn: aiosqlite.Connection, on_wait: WaitHook | None) -> None:
        """BEGIN IMMEDIATE; with a hook, try without waiting first and call it before waiting."""
        if on_wait is not None:
            await conn.execute("PRAGMA busy_timeout = 0")
            try:
                await conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    raise
            finally:
                await conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            log.info("the database is locked by another connection: waiting up to %d ms", self.busy_timeout_ms)
            await on_wait()
        try:
            await conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise StoreBusy() from None
            raise

    @asynccontextmanager
    async def transaction(self, *, on_wait: WaitHook | None = None) -> AsyncIterator[aiosqlite.Connection]:
        """``async with db.transaction() as conn:`` — all or nothing, committed on exit.

        Raises :class:`StoreBusy` (nothing written) when another process keeps the lock too long.
        """
        async with self._lock:
            conn = self.conn
            await self._begin(conn, on_wait or waiting_hook.get())
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                try:
                    await conn.execute("COMMIT")
                except sqlite3.OperationalError as exc:
                    if conn.in_transaction:
                        await conn.execute("ROLLBACK")
                    if is_busy(exc):
                        raise StoreBusy() from None
                    raise

    async def backup(self, target: Path) -> None:
        """Copy the live database with SQLite's online backup API (safe while the bot runs)."""
        create_private(target)  # a backup holds the same member data: 0600
        dest = await aiosqlite.connect(target)
        try:
            await self.conn.backup(dest)
        finally:
            await dest.close()


class Database:
    """The store's connection: SQLite (a file path, the default) or PostgreSQL (a ``postgresql://`` URL).

    Feature query modules call ``fetchone/fetchall/scalar``, ``transaction()`` (whose ``conn`` offers
    aiosqlite's calls on both backends) and ``write``; ``dialect`` names the backend where SQL must differ
    (docs/postgres.md).
    """

    def __init__(self, target: Path | str) -> None:
        from bot.store.postgres import PgBackend, is_url

        self.backend: SqliteBackend | PgBackend
        if is_url(target):
            self.backend = PgBackend(str(target))
            self.path: Path | None = None
            self.url: str | None = str(target)
        else:
            self.backend = SqliteBackend(Path(target))
            self.path = Path(target)
            self.url = None
        self.dialect: str = self.backend.dialect
        self._closed = False

    @property
    def postgres(self) -> bool:
        return self.dialect == "postgres"

    @property
    def name(self) -> str:
        """The database for messages: the file path, or the URL without its password."""
        return self.backend.name

    # ----------------------------------------------------------------- lifecycle
    async def open(self, *, migrate: bool = True) -> None:
        await self.backend.open(migrate=migrate, migrations=migrations(self.dialect))

    async def close(self) -> None:
        """Release the connection (and aiosqlite's thread / the pool). Safe to call more than once."""
        self._closed = True
        await self.backend.close()

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def conn(self) -> aiosqlite.Connection:
        """The SQLite connection (SQLite only; PostgreSQL work goes through the methods below)."""
        if not isinstance(self.backend, SqliteBackend):
            raise StoreError("store.conn is SQLite only; use store.transaction() or the query methods.")
        return self.backend.conn

    @property
    def is_open(self) -> bool:
        return self.backend.is_open

    @property
    def total_changes(self) -> int:
        """Grows with every write this process made (cheap: caches use it to know when to look again)."""
        return self.backend.total_changes

    @property
    def busy_timeout_ms(self) -> int:
        return getattr(self.backend, "busy_timeout_ms", BUSY_TIMEOUT_MS)

    async def set_busy_timeout(self, milliseconds: int) -> None:
        """How long writes wait for another process's lock (SQLite; PostgreSQL writers do not lock the file)."""
        if isinstance(self.backend, SqliteBackend):
            await self.backend.set_busy_timeout(milliseconds)

    async def schema_version(self) -> int:
        return await self.backend.schema_version()

    async def verify(self) -> None:
        """Refuse a damaged SQLite file at start (PostgreSQL checks its own pages)."""
        if isinstance(self.backend, SqliteBackend):
            await self.backend.verify()

    async def integrity(self) -> str:
        """'ok', or what the database's own check found."""
        return await self.backend.integrity()

    # ----------------------------------------------------------------- queries
    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return await self.backend.fetchone(sql, params)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return await self.backend.fetchall(sql, params)

    async def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return await self.backend.scalar(sql, params)

    async def iterate(self, sql: str, params: Sequence[Any] = (), *, size: int = 5_000) -> AsyncIterator[list[Any]]:
        """The rows of a large read, a batch at a time (never all in memory at once)."""
        async for batch in self.backend.iterate(sql, params, size):
            yield batch

    def transaction(self, *, on_wait: WaitHook | None = None) -> Any:
        """``async with db.transaction() as conn:`` — all or nothing, committed on exit.

        Raises :class:`StoreBusy` (nothing written) when another process keeps SQLite's lock too long.
        """
        if isinstance(self.backend, SqliteBackend):
            return self.backend.transaction(on_wait=on_wait)
        return self.backend.transaction()

    async def write(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """One committed statement. Returns what its ``RETURNING`` clause gives (first column of the first
        row; portable: ``INSERT ... RETURNING id``); without one, the new rowid of a SQLite INSERT, else the
        number of rows changed."""
        async with self.transaction() as conn:
            cur = await conn.execute(sql, params)
            if _RETURNING.search(sql):
                rows = await cur.fetchall()  # read to the end: SQLite cannot commit a statement still stepping
                return rows[0][0] if rows else None
            return cur.lastrowid if cur.lastrowid else cur.rowcount

    async def write_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    async def backup(self, target: Path | str) -> None:
        """A consistent copy while the bot runs: SQLite's online backup API, or pg_dump for PostgreSQL."""
        target = Path(target)
        if target.exists():
            raise StoreError(f"{target} already exists; choose a new file name for the backup.")
        target.parent.mkdir(parents=True, exist_ok=True)
        await self.backend.backup(target)


async def _scalar(conn: aiosqlite.Connection, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
    async with conn.execute(sql, params) as cur:
        row = await cur.fetchone()
    return None if row is None else row[0]


async def _migrate(conn: aiosqlite.Connection, current: int, known: list[tuple[int, str, str]]) -> None:
    """Apply every pending migration in one transaction, then set ``PRAGMA user_version``."""
    pending = [m for m in known if m[0] > current]
    target = pending[-1][0]
    script = "BEGIN IMMEDIATE;\n" + "\n".join(sql for _n, _name, sql in pending)
    script += f"\nPRAGMA user_version = {target};\nCOMMIT;\n"
    try:
        await conn.executescript(script)
    except sqlite3.Error as exc:
        if conn.in_transaction:
            await conn.execute("ROLLBACK")
        raise StoreError(f"Migrating the database failed ({exc}); nothing was changed.") from None
    log.info("database migrated from schema %d to %d", current, target)
