"""The PostgreSQL backend: dialect twins of every migration, the schema version, the connection adapter."""

from __future__ import annotations

import asyncio
import shutil

import asyncpg
import pytest

from bot.errors import StoreError
from bot.store import Store, latest_version, migrations
from bot.store.postgres import redact, translate
from tests.conftest import fresh_database


def test_every_migration_has_a_postgres_twin_with_the_same_number_and_name():
    sqlite = [(n, name) for n, name, _sql in migrations("sqlite")]
    postgres = [(n, name) for n, name, _sql in migrations("postgres")]
    assert sqlite == postgres, "add bot/store/migrations/postgres/<same name>.sql for every new migration"


def test_placeholders_are_rewritten_outside_quotes_and_comments():
    sql, rows = translate("SELECT '?', \"a?\", x FROM t WHERE a = ? AND b = ? -- why?\n AND c = 'it''s ?' AND d = ?")
    assert sql == "SELECT '?', \"a?\", x FROM t WHERE a = $1 AND b = $2 -- why?\n AND c = 'it''s ?' AND d = $3"
    assert rows
    assert translate("UPDATE t SET a = ? WHERE id = ?") == ("UPDATE t SET a = $1 WHERE id = $2", False)
    assert translate("INSERT INTO t (a) VALUES (?) RETURNING id")[1]


def test_passwords_never_reach_messages():
    assert redact("postgresql://bot:s3cret@db.example:5432/dramabot") == "postgresql://bot:***@db.example:5432/dramabot"
    assert redact("postgresql://bot@/dramabot?host=/tmp") == "postgresql://bot@/dramabot?host=/tmp"


@pytest.fixture
def pg_url(pg_server):
    name = fresh_database(pg_server)
    yield pg_server.url(name)
    pg_server.sql(f"DROP DATABASE {name} WITH (FORCE)")


async def test_migrates_an_empty_database_and_tracks_the_version(pg_url):
    async with Store(pg_url) as store:
        assert store.dialect == "postgres"
        assert await store.schema_version() == latest_version()
        assert await store.scalar("SELECT count(*) FROM schema_version") == 1
        assert await store.integrity() == "ok"
    async with Store(pg_url) as store:  # nothing new to apply
        assert await store.schema_version() == latest_version()


async def test_refuses_a_database_from_a_newer_version_and_leaves_it_untouched(pg_url):
    async with Store(pg_url) as store:
        await store.write("UPDATE schema_version SET version = ?", (latest_version() + 1,))
    with pytest.raises(StoreError, match="newer dramabot"):
        await Store(pg_url).open()


async def test_a_failed_migration_changes_nothing(pg_url, monkeypatch):
    from bot.store import database

    real = database.migrations("postgres")
    broken = [*real[:1], (2, "0002_broken.sql", "CREATE TABLE ok_table (x int); THIS IS NOT SQL;")]
    monkeypatch.setattr(database, "migrations", lambda dialect="sqlite": broken)
    with pytest.raises(StoreError, match="nothing was changed"):
        await Store(pg_url).open()
    conn = await asyncpg.connect(pg_url)
    try:
        assert await conn.fetchval("SELECT to_regclass('meta') IS NULL AND to_regclass('ok_table') IS NULL")
    finally:
        await conn.close()


async def test_processes_starting_together_migrate_once(pg_url):
    stores = [Store(pg_url) for _ in range(3)]
    await asyncio.gather(*(s.open() for s in stores))
    try:
        assert {await s.schema_version() for s in stores} == {latest_version()}
    finally:
        for s in stores:
            await s.close()


async def test_a_schema_4_database_upgrades_keeping_its_deliveries_and_polls(pg_url):
    """The PostgreSQL twin of 0005 changes the delivery key in place without losing a row."""
    conn = await asyncpg.connect(pg_url)
    try:
        await conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (4);")
        for number, _name, sql in migrations("postgres"):
            if number <= 4:
                await conn.execute(sql)
        await conn.execute("""
            INSERT INTO dramas (id, slug, title) VALUES (1, 'd-2024', 'D');
            INSERT INTO episodes (id, drama_id, number, air_at) VALUES (7, 1, 1, 100000);
            INSERT INTO follows (id, guild_id, drama_id, channel_id, remind_minutes, created_at)
                VALUES (3, 50, 1, 60, 30, 0);
            INSERT INTO deliveries (id, target_id, episode_id, kind, follow_id, offset_s, due_at, state, message_id)
                VALUES (11, 50, 7, 'announce', 3, 0, 100000, 'sent', 900),
                       (12, 50, 7, 'remind', 3, 1800, 98200, 'sent', 901);
            SELECT setval(pg_get_serial_sequence('deliveries', 'id'), 12);
            INSERT INTO polls (id, guild_id, channel_id, creator_id, question, created_at, closes_at)
                VALUES (5, 50, 60, 70, 'Season 2?', '2026-01-01', '2026-02-01');
        """)
    finally:
        await conn.close()
    async with Store(pg_url) as store:
        assert await store.schema_version() == latest_version()
        rows = await store.fetchall("SELECT id, kind, state, message_id, revision, slot_at FROM deliveries ORDER BY id")
        assert [tuple(r) for r in rows] == [(11, "announce", "sent", 900, 0, None),
                                            (12, "remind", "sent", 901, 0, 100000)]
        assert await store.scalar("SELECT content_version - shown_version FROM polls WHERE id = 5") == 0
        with pytest.raises(asyncpg.UniqueViolationError):
            await store.write("INSERT INTO deliveries (target_id, episode_id, kind, due_at) VALUES (50, 7, 'remind', 1)")
        new_id = await store.write("INSERT INTO deliveries (target_id, episode_id, kind, due_at, revision) "
                                   "VALUES (50, 7, 'remind', 1, 1) RETURNING id")
        assert new_id > 12  # identity values are never reused (a failed insert may consume one)


async def test_adapter_gives_rows_counts_and_sums_like_sqlite(store_target):
    async with Store(store_target) as store:
        async with store.transaction() as conn:
            await conn.executemany("INSERT INTO guild_settings (guild_id, grace_minutes) VALUES (?, ?)",
                                   [(10**18 + 1, 5), (10**18 + 2, 7)])
            cur = await conn.execute("UPDATE guild_settings SET timezone = 'Asia/Seoul' WHERE grace_minutes > ?", (4,))
            assert cur.rowcount == 2
            async with conn.execute("SELECT guild_id, grace_minutes FROM guild_settings ORDER BY guild_id") as cur:
                first = await cur.fetchone()
                assert first["guild_id"] == first[0] == 10**18 + 1
                guild_id, minutes = first
                assert minutes == 5
        total = await store.scalar("SELECT sum(grace_minutes) FROM guild_settings")
        assert total == 12 and type(total) is int
        # Member text with a NUL byte (PostgreSQL text cannot hold one) is stored without it, not refused.
        await store.meta.set("note", "a\x00b")
        assert await store.meta.get("note") in ("ab", "a\x00b")


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump (PostgreSQL client tools) is not installed")
async def test_backup_uses_pg_dump(pg_url, tmp_path):
    async with Store(pg_url) as store:
        await store.meta.set("hello", "world")
        await store.backup(tmp_path / "dump.pgc")
        with pytest.raises(StoreError, match="already exists"):
            await store.backup(tmp_path / "dump.pgc")
    assert (tmp_path / "dump.pgc").read_bytes().startswith(b"PGDMP")
