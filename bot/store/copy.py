"""``dramabot db copy SRC DEST``: move a store from SQLite into PostgreSQL (or back), all or nothing.

Both ends are at the same (latest) schema; DEST must hold no rows. Every table is copied in one DEST
transaction, parents before children (the foreign keys of DEST decide the order), then each table's row
count is compared with SRC's; any difference or error rolls the whole copy back. Identity counters of a
PostgreSQL DEST are moved past the copied ids. Run it with the bot stopped (SRC must not change meanwhile).
"""

from __future__ import annotations

import logging
from graphlib import TopologicalSorter

from bot.errors import StoreError
from bot.store import Store, latest_version

log = logging.getLogger(__name__)

BATCH = 2_000


async def tables(store: Store) -> dict[str, list[str]]:
    """Our tables (not SQLite's internals, not the FTS index, not the schema version) and their columns."""
    if store.postgres:
        rows = await store.fetchall(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name <> 'schema_version' ORDER BY table_name, ordinal_position")
        out: dict[str, list[str]] = {}
        for row in rows:
            out.setdefault(row[0], []).append(row[1])
        return out
    names = [r[0] for r in await store.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE 'facts_fts%' ORDER BY name")]
    return {name: [c[1] for c in await store.fetchall(f'PRAGMA table_info("{name}")')] for name in names}


async def parents(store: Store, names: list[str]) -> dict[str, set[str]]:
    """Each table's parent tables (its foreign keys), for copying parents first."""
    if store.postgres:
        rows = await store.fetchall(
            "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c"
            " WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace")
        found: dict[str, set[str]] = {n: set() for n in names}
        for child, parent in rows:
            if child in found and parent != child:
                found[child].add(parent)
        return found
    return {n: {r[2] for r in await store.fetchall(f'PRAGMA foreign_key_list("{n}")') if r[2] != n} for n in names}


async def copy_store(source: str, dest: str) -> dict[str, int]:
    """Copy every row of ``source`` into the empty ``dest`` (paths or PostgreSQL URLs); returns rows per table."""
    src, dst = Store(source), Store(dest)
    await src.open(migrate=False)
    try:
        version = await src.schema_version()
        if version != latest_version():
            raise StoreError(f"{src.name} is at schema {version}, not {latest_version()}: run `dramabot db upgrade` "
                             "on it first.")
        await dst.open()
        try:
            return await _copy(src, dst)
        finally:
            await dst.close()
    finally:
        await src.close()


async def _copy(src: Store, dst: Store) -> dict[str, int]:
    src_tables, dst_tables = await tables(src), await tables(dst)
    names = sorted(set(src_tables) & set(dst_tables))
    missing = sorted(set(src_tables) - set(dst_tables))
    if missing:
        raise StoreError(f"{dst.name} has no table for {', '.join(missing)}; nothing was copied.")
    for name in names:
        if await dst.scalar(f"SELECT count(*) FROM {name}"):
            raise StoreError(f"{dst.name} already holds data (table {name}); copy into an empty database.")
    order = list(TopologicalSorter(await parents(dst, names)).static_order())
    counts = {name: int(await src.scalar(f"SELECT count(*) FROM {name}") or 0) for name in names}
    async with dst.transaction() as conn:
        for name in (n for n in order if n in counts):
            columns = [c for c in src_tables[name] if c in dst_tables[name]]
            column_list = ", ".join(f'"{c}"' for c in columns)
            insert = f"INSERT INTO {name} ({column_list}) VALUES ({', '.join('?' * len(columns))})"
            async for batch in src.iterate(f"SELECT {column_list} FROM {name}", size=BATCH):
                await conn.executemany(insert, [tuple(row) for row in batch])
        for name in names:
            async with conn.execute(f"SELECT count(*) FROM {name}") as cur:
                copied = int((await cur.fetchone())[0])
            if copied != counts[name]:
                raise StoreError(f"{name}: {copied} rows copied of {counts[name]}; nothing was kept.")
        if dst.postgres:  # identity columns continue after the copied ids
            for name in names:
                if "id" in dst_tables[name]:
                    await conn.execute(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), coalesce(max(id), 0) + 1, false)"
                        f" FROM {name}")
    log.info("copied %d rows in %d tables from %s to %s", sum(counts.values()), len(counts), src.name, dst.name)
    return counts
