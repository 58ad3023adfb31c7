"""The PostgreSQL backend (asyncpg): a pool, migrations tracked in ``schema_version``, and a connection adapter.

The feature query modules were written against aiosqlite. :class:`PgConnection` gives them the same calls
(``execute`` returning an awaitable cursor with ``fetchone/fetchall/fetchmany/rowcount``, ``executemany``,
``execute_fetchall``) over an asyncpg connection, rewriting ``?`` placeholders to ``$1, $2, ...``. asyncpg's
``Record`` is addressable by column name and by index, like ``sqlite3.Row``. Statements that differ between
the dialects are chosen explicitly by the store modules (``db.dialect``); migrations have a PostgreSQL twin
per number in ``migrations/postgres/``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.errors import StoreError

log = logging.getLogger(__name__)

URL_SCHEMES = ("postgresql://", "postgres://")
# pg_advisory_xact_lock key that serialises migrations of one database by several starting processes.
_MIGRATE_LOCK = 0x64726D61  # "drma"
_TRANSLATED: dict[str, tuple[str, bool]] = {}
_ROWS_FIRST = re.compile(r"^\s*(SELECT|WITH|VALUES|SHOW|TABLE)\b", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


def is_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(URL_SCHEMES)


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[-1]}"))


def translate(sql: str) -> tuple[str, bool]:
    """``?`` placeholders to ``$n`` (outside quotes and comments), and whether the statement returns rows."""
    cached = _TRANSLATED.get(sql)
    if cached is not None:
        return cached
    out: list[str] = []
    n = 0
    i, size = 0, len(sql)
    while i < size:
        ch = sql[i]
        if ch in ("'", '"'):
            end = sql.find(ch, i + 1)
            while end != -1 and end + 1 < size and sql[end + 1] == ch:  # doubled quote inside
                end = sql.find(ch, end + 2)
            end = size - 1 if end == -1 else end
            out.append(sql[i:end + 1])
            i = end + 1
            continue
        if ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = size if end == -1 else end
            out.append(sql[i:end])
            i = end
            continue
        if ch == "?":
            n += 1
            out.append(f"${n}")
        else:
            out.append(ch)
        i += 1
    result = ("".join(out), bool(_ROWS_FIRST.match(sql) or _RETURNING.search(sql)))
    if len(_TRANSLATED) < 4096:
        _TRANSLATED[sql] = result
    return result


def args(params: Sequence[Any]) -> Sequence[Any]:
    """PostgreSQL text cannot hold NUL characters (SQLite's can): member-typed text loses them here rather
    than failing the query."""
    for value in params:
        if isinstance(value, str) and "\x00" in value:
            return [v.replace("\x00", "") if isinstance(v, str) else v for v in params]
    return params


def _rowcount(status: str) -> int:
    """'UPDATE 3' / 'INSERT 0 1' / 'DELETE 0' -> the row count (-1 when the status carries none)."""
    tail = status.rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else -1


def _numeric(text: str) -> int | float:
    """sum()/avg() of integers are NUMERIC in PostgreSQL; SQLite gives int (or float): so do we."""
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("numeric", encoder=str, decoder=_numeric, schema="pg_catalog", format="text")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Returning a connection to the pool: nothing to undo. asyncpg's default reset sends one more query
    (``RESET ALL; UNLISTEN *; CLOSE ALL; pg_advisory_unlock_all()``) after EVERY pool call, doubling the
    round trips of each read and of each vote batch; the store never SETs, LISTENs, holds a cursor or a
    session-level lock outside a transaction. asyncpg still rolls back a transaction left open."""


class PgCursor:
    """What aiosqlite's cursor offers the store modules, over rows already fetched."""

    __slots__ = ("_rows", "_pos", "rowcount", "lastrowid", "row_factory")

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = rows
        self._pos = 0
        self.rowcount = rowcount
        self.lastrowid = None  # PostgreSQL has no rowid: write `INSERT ... RETURNING id` instead
        self.row_factory = None  # records are already addressable by name and index

    async def fetchone(self) -> Any:
        if self._pos >= len(self._rows):
            return None
        self._pos += 1
        return self._rows[self._pos - 1]

    async def fetchall(self) -> list[Any]:
        rows, self._pos = self._rows[self._pos:], len(self._rows)
        return rows

    async def fetchmany(self, size: int) -> list[Any]:
        rows = self._rows[self._pos:self._pos + size]
        self._pos += len(rows)
        return rows

    async def close(self) -> None:
        return None


class _Pending:
    """``await conn.execute(...)`` and ``async with conn.execute(...) as cur`` both work, as in aiosqlite."""

    __slots__ = ("_coro",)

    def __init__(self, coro: Any) -> None:
        self._coro = coro

    def __await__(self):
        return self._coro.__await__()

    async def __aenter__(self) -> PgCursor:
        return await self._coro

    async def __aexit__(self, *exc: object) -> None:
        return None


class PgConnection:
    """An asyncpg connection with aiosqlite's calls (the ``conn`` of ``store.transaction()``)."""

    __slots__ = ("raw",)

    def __init__(self, raw: asyncpg.Connection) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _Pending:
        return _Pending(self._execute(sql, params))

    async def _execute(self, sql: str, params: Sequence[Any]) -> PgCursor:
        query, returns_rows = translate(sql)
        if returns_rows:
            rows = await self.raw.fetch(query, *args(params))
            return PgCursor(rows, len(rows))
        return PgCursor([], _rowcount(await self.raw.execute(query, *args(params))))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            await self.raw.executemany(translate(sql)[0], [args(r) for r in rows])

    async def execute_fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return await self.raw.fetch(translate(sql)[0], *args(params))


class PgBackend:
    """A pool of connections to one PostgreSQL database with our schema applied."""

    dialect = "postgres"

    def __init__(self, url: str, *, pool_size: int = 8) -> None:
        self.url = url
        self.pool_size = pool_size
        self._pool: asyncpg.Pool | None = None
        self._lock = asyncio.Lock()
        self.total_changes = 0  # committed write transactions (the name index's "did I write?" check)

    @property
    def name(self) -> str:
        return redact(self.url)

    async def open(self, *, migrate: bool, migrations: list[tuple[int, str, str]]) -> None:
        try:
            pool = await asyncpg.create_pool(
                self.url, min_size=1, max_size=self.pool_size, init=_init_connection, reset=_keep_session,
                max_inactive_connection_lifetime=0)  # keep connections: no reconnect churn (and no timers)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
            raise StoreError(f"Cannot connect to PostgreSQL at {self.name}: {exc}.") from None
        try:
            latest = migrations[-1][0] if migrations else 0
            async with pool.acquire() as conn:
                version = await _version(conn)
                if version > latest:
                    raise StoreError(
                        f"{self.name} was written by a newer dramabot (schema {version}, this one knows {latest}); "
                        "upgrade dramabot or restore a backup.")
                if migrate and version < latest:
                    await _migrate(conn, migrations)
        except asyncpg.PostgresError as exc:
            await pool.close()
            raise StoreError(f"Cannot use the database at {self.name}: {exc}.") from None
        except BaseException:
            await pool.close()
            raise
        self._pool = pool

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise StoreError("The database is not open.")
        return self._pool

    @property
    def is_open(self) -> bool:
        return self._pool is not None

    async def schema_version(self) -> int:
        async with self.pool.acquire() as conn:
            return await _version(conn)

    async def integrity(self) -> str:
        async with self.pool.acquire() as conn:
            await conn.fetchval("SELECT count(*) FROM meta")
        return "ok"

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return await self.pool.fetchrow(translate(sql)[0], *args(params))

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return await self.pool.fetch(translate(sql)[0], *args(params))

    async def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return await self.pool.fetchval(translate(sql)[0], *args(params))

    async def iterate(self, sql: str, params: Sequence[Any], size: int) -> AsyncIterator[list[Any]]:
        async with self.pool.acquire() as conn, conn.transaction():
            batch: list[Any] = []
            async for row in conn.cursor(translate(sql)[0], *args(params), prefetch=size):
                batch.append(row)
                if len(batch) >= size:
                    yield batch
                    batch = []
            if batch:
                yield batch

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgConnection]:
        async with self._lock, self.pool.acquire() as raw, raw.transaction():
            yield PgConnection(raw)
        self.total_changes += 1

    async def backup(self, target: Path) -> None:
        """``pg_dump --format=custom`` (restore with ``pg_restore``), when the client tools are installed."""
        tool = shutil.which("pg_dump")
        if tool is None:
            raise StoreError("pg_dump was not found: install the PostgreSQL client tools (Debian: postgresql-client), "
                             "or use your database provider's backups.")
        proc = await asyncio.create_subprocess_exec(
            tool, "--format=custom", f"--file={target}", f"--dbname={self.url}",
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _out, err = await proc.communicate()
        if proc.returncode != 0:
            with contextlib.suppress(FileNotFoundError):
                os.remove(target)
            reason = err.decode(errors="replace").strip().splitlines()[-1:] or ["unknown error"]
            raise StoreError(f"pg_dump failed: {reason[0]}")


async def _version(conn: asyncpg.Connection) -> int:
    exists = await conn.fetchval("SELECT to_regclass('schema_version') IS NOT NULL")
    if not exists:
        return 0
    return int(await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_version"))


async def _migrate(conn: asyncpg.Connection, migrations: list[tuple[int, str, str]]) -> None:
    """Apply every pending migration in one transaction (DDL is transactional in PostgreSQL). An advisory
    lock makes processes that start together take turns: the second finds the work done."""
    try:
        async with conn.transaction():
            await conn.execute(f"SELECT pg_advisory_xact_lock({_MIGRATE_LOCK})")
            await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = await _version(conn)
            pending = [m for m in migrations if m[0] > current]
            for _number, _name, sql in pending:
                await conn.execute(sql)
            if pending:
                await conn.execute("DELETE FROM schema_version")
                await conn.execute("INSERT INTO schema_version (version) VALUES ($1)", pending[-1][0])
                log.info("database migrated from schema %d to %d", current, pending[-1][0])
    except asyncpg.PostgresError as exc:
        raise StoreError(f"Migrating the database failed ({exc}); nothing was changed.") from None
