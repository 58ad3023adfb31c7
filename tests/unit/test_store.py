"""The store: migrations from empty, refusal of unusable files, transactions, backup."""

from __future__ import annotations

import sqlite3

import pytest

from bot.errors import StoreError
from bot.store import Store, latest_version, migrations
from tests.schema import sqlite_at


async def test_migrates_an_empty_database_to_the_latest_schema(tmp_path):
    path = tmp_path / "new.sqlite3"
    async with Store(path) as store:
        assert await store.schema_version() == latest_version() == len(migrations())
        assert await store.scalar("PRAGMA journal_mode") == "wal"
        assert await store.scalar("PRAGMA foreign_keys") == 1
        # FULL (2): the WAL is fsynced at every commit, so an acknowledged write survives a power cut
        # (NORMAL, 1, would survive only a crash of the process).
        assert await store.scalar("PRAGMA synchronous") == 2
        tables = {r["name"] for r in await store.fetchall("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"meta", "guild_settings", "dramas", "credits"} <= tables


async def test_reopening_applies_nothing_new(store_target):
    path = store_target
    async with Store(path) as store:
        await store.meta.set("k", "v")
    async with Store(path) as store:
        assert await store.meta.get("k") == "v"
        assert await store.schema_version() == latest_version()


async def test_refuses_a_database_from_a_newer_version_and_leaves_it_untouched(tmp_path):
    path = tmp_path / "future.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute(f"PRAGMA user_version = {latest_version() + 5}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer dramabot"):
        await Store(path).open()
    assert path.read_bytes() == before


async def test_refuses_a_file_that_is_not_sqlite_and_leaves_it_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes, not a database\n")
    with pytest.raises(StoreError, match="not a SQLite database"):
        await Store(path).open()
    assert path.read_text() == "just some notes, not a database\n"


async def test_refuses_a_directory(tmp_path):
    with pytest.raises(StoreError, match="directory"):
        await Store(tmp_path).open()


async def test_a_failed_migration_changes_nothing(tmp_path, monkeypatch):
    import bot.store.database as database

    real = database.migrations()
    broken = [*real[:1], (2, "0002_broken.sql", "CREATE TABLE ok_table (x); THIS IS NOT SQL;")]
    monkeypatch.setattr(database, "migrations", lambda dialect="sqlite": broken)
    path = tmp_path / "db.sqlite3"
    with pytest.raises(StoreError, match="nothing was changed"):
        await Store(path).open()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name IN ('meta', 'ok_table')").fetchone()[0] == 0
    finally:
        conn.close()


async def test_transaction_is_all_or_nothing(store_target):
    async with Store(store_target) as store:
        with pytest.raises(RuntimeError):
            async with store.transaction() as conn:
                await conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
                raise RuntimeError("boom")
        assert await store.meta.get("a") is None
        async with store.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        assert await store.meta.get("a") == "1"


async def test_close_is_safe_twice(store_target):
    store = Store(store_target)
    await store.open()
    await store.close()
    await store.close()
    assert not store.is_open


async def test_online_backup_copies_everything(tmp_path):
    async with Store(tmp_path / "db.sqlite3") as store:
        await store.meta.set("hello", "world")
        await store.backup(tmp_path / "backup.sqlite3")
        with pytest.raises(StoreError, match="already exists"):
            await store.backup(tmp_path / "backup.sqlite3")
    async with Store(tmp_path / "backup.sqlite3") as copy:
        assert await copy.meta.get("hello") == "world"


async def test_guild_settings_defaults_and_updates(store_target):
    async with Store(store_target) as store:
        defaults = await store.guilds.get(1)
        assert defaults.poll_creators == "managers" and defaults.grace_minutes == 360
        updated = await store.guilds.update(1, timezone="America/New_York", manager_role_id=77)
        assert updated.timezone == "America/New_York" and updated.manager_role_id == 77
        with pytest.raises(ValueError):
            await store.guilds.update(1, left_at="2020-01-01")


async def test_a_schema_4_database_upgrades_keeping_its_deliveries_and_polls(tmp_path):
    """Owners upgrade in place: 0005 rebuilds the delivery log under its new key without losing a row."""
    path = sqlite_at(tmp_path / "v4.sqlite3", 4, """
        INSERT INTO dramas (id, slug, title) VALUES (1, 'd-2024', 'D');
        INSERT INTO episodes (id, drama_id, number, air_at) VALUES (7, 1, 1, 100000);
        INSERT INTO follows (id, guild_id, drama_id, channel_id, remind_minutes, created_at)
            VALUES (3, 50, 1, 60, 30, 0);
        INSERT INTO deliveries (id, target_id, episode_id, kind, follow_id, offset_s, due_at, state, message_id)
            VALUES (11, 50, 7, 'announce', 3, 0, 100000, 'sent', 900),
                   (12, 50, 7, 'remind', 3, 1800, 98200, 'sent', 901);
        INSERT INTO polls (id, guild_id, channel_id, creator_id, question, created_at, closes_at)
            VALUES (5, 50, 60, 70, 'Season 2?', '2026-01-01', '2026-02-01');
    """)
    async with Store(path) as store:
        assert await store.schema_version() == latest_version()
        rows = await store.fetchall("SELECT id, kind, state, message_id, revision, slot_at FROM deliveries ORDER BY id")
        assert [tuple(r) for r in rows] == [(11, "announce", "sent", 900, 0, None),
                                            (12, "remind", "sent", 901, 0, 100000)]
        assert await store.scalar("SELECT revision FROM episodes WHERE id = 7") == 0
        assert await store.scalar("SELECT content_version - shown_version FROM polls WHERE id = 5") == 0
        # The same reminder for the same revision is still refused; a new id never reuses an old one.
        with pytest.raises(sqlite3.IntegrityError):
            await store.write("INSERT INTO deliveries (target_id, episode_id, kind, due_at) "
                              "VALUES (50, 7, 'remind', 1)")
        await store.write("INSERT INTO deliveries (target_id, episode_id, kind, due_at, revision) "
                          "VALUES (50, 7, 'remind', 1, 1)")
        assert await store.scalar("SELECT max(id) FROM deliveries") == 13
        assert await store.scalar("PRAGMA foreign_key_check") is None


async def test_a_schema_5_database_upgrades_with_its_dramas_terms_indexed(tmp_path):
    """0006 fills ``drama_terms`` from the dramas already stored (lists with filters work at once)."""
    path = sqlite_at(tmp_path / "v5.sqlite3", 5, """
        INSERT INTO dramas (id, slug, title, network, genres, tags, platforms, directors)
            VALUES (1, 'd-2024', 'D', 'tvN', '["Romance", "Comedy"]', '["Time Travel"]', '["Netflix"]', '["Kim A"]'),
                   (2, 'e-2020', 'E', NULL, '[]', '[]', '[]', '[]');
    """)
    async with Store(path) as store:
        assert await store.schema_version() == latest_version()
        rows = await store.fetchall("SELECT kind, term, drama_id FROM drama_terms ORDER BY kind, term")
        assert [tuple(r) for r in rows] == [("director", "kim a", 1), ("genre", "comedy", 1), ("genre", "romance", 1),
                                            ("network", "tvn", 1), ("platform", "netflix", 1),
                                            ("tag", "time travel", 1)]
        assert await store.scalar("SELECT title FROM dramas WHERE id = 2") == "E"


async def test_a_schema_7_database_gets_the_synopsis_index(tmp_path):
    """0008 indexes the dramas that have a synopsis (for plots remembered in words); rows stay."""
    path = sqlite_at(tmp_path / "v7.sqlite3", 7, """
        INSERT INTO dramas (id, slug, title, synopsis) VALUES (1, 'a-2024', 'A', 'A fan goes back in time.'),
                                                              (2, 'b-2020', 'B', NULL);
    """)
    async with Store(path) as store:
        assert await store.schema_version() == latest_version()
        assert [r["id"] for r in await store.knowledge.synopses()] == [1]
        plan = " ".join(str(tuple(r)) for r in await store.fetchall(
            "EXPLAIN QUERY PLAN SELECT id FROM dramas WHERE synopsis IS NOT NULL"))
        assert "dramas_synopsis" in plan


async def test_database_wal_shm_backups_and_logs_are_private_whatever_the_umask(tmp_path):
    import logging
    import os
    import stat

    from bot.logs import configure

    def mode(path):
        return stat.S_IMODE(path.stat().st_mode)

    old = os.umask(0o022)  # the usual umask: files would be created 0644
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        path = tmp_path / "db.sqlite3"
        async with Store(path) as store:
            await store.meta.set("k", "v")
            wal, shm = path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")
            assert wal.exists() and shm.exists()
            assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
            await store.backup(tmp_path / "backup.sqlite3")
            assert mode(tmp_path / "backup.sqlite3") == 0o600
        log_file = tmp_path / "logs" / "dramabot.log"
        configure("INFO", log_file)
        logging.getLogger("test").info("member 123 voted")
        rotating = next(h for h in root.handlers if getattr(h, "baseFilename", None) == str(log_file))
        rotating.doRollover()
        logging.getLogger("test").info("after the rollover")
        assert mode(log_file) == 0o600 and mode(log_file.with_name("dramabot.log.1")) == 0o600
        # A database an older release created 0644 is made private when opened.
        legacy = tmp_path / "legacy.sqlite3"
        sqlite3.connect(legacy).close()
        os.chmod(legacy, 0o644)
        async with Store(legacy):
            assert mode(legacy) == 0o600
    finally:
        os.umask(old)
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


async def test_a_schema_9_database_gets_its_term_counts_and_imports_keep_them(tmp_path):
    """0010 counts the dramas of every genre, tag, network and platform; an import rewrites the counts."""
    path = sqlite_at(tmp_path / "v9.sqlite3", 9, """
        INSERT INTO dramas (id, slug, title) VALUES (1, 'a-2024', 'A'), (2, 'b-2020', 'B');
        INSERT INTO drama_terms (kind, term, drama_id) VALUES ('genre', 'romance', 1), ('genre', 'romance', 2),
            ('tag', 'time travel', 1), ('director', 'kim a', 1);
    """)
    async with Store(path) as store:
        assert await store.schema_version() == latest_version()
        counts = {(r["kind"], r["term"]): r["n"] for r in await store.knowledge.term_counts()}
        assert counts == {("genre", "romance"): 2}  # a tag on one drama says nothing; crews are not filters
        await store.catalog.apply_catalog({"format": "dramabot-catalog", "version": 1, "people": [], "dramas": [
            {"slug": "c-2021", "title": "C", "year": 2021, "genres": ["Thriller"], "tags": ["Time Travel"]}]})
        counts = {(r["kind"], r["term"]): r["n"] for r in await store.knowledge.term_counts()}
        assert counts == {("genre", "romance"): 2, ("genre", "thriller"): 1, ("tag", "time travel"): 2}


async def test_a_schema_11_database_gets_the_bulk_linking_progress_keeping_its_links(tmp_path):
    """0012 adds source_link_tries: a linked drama stays linked, and an unlinked one is untried."""
    path = sqlite_at(tmp_path / "v11.sqlite3", 11, """
        INSERT INTO dramas (id, slug, title, year) VALUES (1, 'a-2024', 'A', 2024), (2, 'b-2020', 'B', 2020);
        INSERT INTO source_links (provider, show_id, drama_id, state, confidence, method, created_at)
            VALUES ('tvmaze', '90001', 1, 'linked', 0.9, 'matched', '2026-01-01T00:00:00+00:00');
    """)
    async with Store(path) as store:
        assert await store.schema_version() == latest_version()
        assert (await store.sources.link_of(1, "tvmaze"))["confidence"] == 0.9
        assert [r["slug"] for r in await store.sources.unlinked_batch("tvmaze", 10, "")] == ["b-2020"]
        await store.sources.record_try("tvmaze", 2, "none", "2026-01-02T00:00:00+00:00")
        assert await store.sources.untried("tvmaze", "") == 0
