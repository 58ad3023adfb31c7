"""When the question engine's name index sees catalog changes (bot.knowledge.linking.Linker).

Names the live-data sync writes are served from the previous index until a background rebuild swaps the new
one in (a sync never slows questions); an import or a merge is seen by the very next question, in this
process and, through the catalog generation, in another one.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.knowledge import linking
from bot.knowledge.engine import KnowledgeEngine
from bot.sources.http import PoliteClient
from bot.sources.sync import Syncer
from bot.sources.tvmaze import TVmaze
from bot.store import Store

JAN1 = int(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp())
TODAY = dt.date(2026, 1, 1)
HANG_GUARD = 30  # seconds: only stops a broken build from hanging the suite; nothing here is timed


def catalog(*dramas: tuple[str, str]) -> dict:
    return {"format": "dramabot-catalog", "version": 1, "people": [],
            "dramas": [{"slug": slug, "title": title, "year": 2024, "episodes": 12} for slug, title in dramas]}


@pytest.fixture(autouse=True)
def no_rebuild_gap(monkeypatch):
    """Background rebuilds start as soon as they are due (the gap after a build is wall-clock dependent)."""
    monkeypatch.setattr(linking, "REBUILD_GAP", 0.0)


@pytest.fixture
async def stores(catalog_target):
    """Two connections to one database: this process's and "another process's"."""
    ours, theirs = Store(catalog_target), Store(catalog_target)
    await ours.open()
    await theirs.open()
    try:
        yield ours, theirs
    finally:
        await ours.close()
        await theirs.close()


@pytest.fixture
async def syncer_for(feed):
    clients = []

    def make(store: Store) -> Syncer:
        client = PoliteClient(feed.url, rate=1000, backoff=0.01)
        clients.append(client)
        return Syncer(store, TVmaze(client), clock=lambda: JAN1, days_ahead=14)

    yield make
    for client in clients:
        await client.close()


async def ids(engine: KnowledgeEngine, typed: str) -> set[int]:
    return {m.id for m in await engine.match_dramas(typed) if m.exact}


async def test_sync_names_wait_for_the_background_rebuild_while_questions_use_the_old_index(stores, syncer_for):
    store, _ = stores
    engine = KnowledgeEngine(store)
    assert "Im Sol" in (await engine.answer("who plays Im Sol in Lovely Runner?", today=TODAY)).text
    await syncer_for(store).discover()
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    assert harbor is not None  # the sync created it (and its names) in the store

    async with engine._lock:  # the rebuild cannot finish while we hold this: it stays pending
        # the old index answers at once (a lookup that waited for the rebuild would never return here)
        assert await asyncio.wait_for(ids(engine, "Moonlit Harbor"), HANG_GUARD) == set()
        assert engine.rebuilding
        old = await asyncio.wait_for(
            engine.answer("when is the next episode of Moonlit Harbor?", today=TODAY), HANG_GUARD)
        known = await asyncio.wait_for(engine.answer("who plays Im Sol in Lovely Runner?", today=TODAY), HANG_GUARD)
        assert "Lovely Runner" in known.text
        assert engine.rebuilding  # coalesced: still the one rebuild, nothing waited for it

    await engine.refresh()  # what the sync loop does after its pass
    assert not engine.rebuilding
    assert await ids(engine, "Moonlit Harbor") == {harbor["id"]}
    assert await ids(engine, "달빛 항구") == {harbor["id"]}
    new = (await engine.answer("when is the next episode of Moonlit Harbor?", today=TODAY)).text
    assert "Moonlit Harbor" in new and new != old.text


async def test_the_background_rebuild_swaps_in_without_anyone_waiting(stores, syncer_for):
    store, _ = stores
    engine = KnowledgeEngine(store)
    await engine.index()
    await syncer_for(store).discover()
    assert await ids(engine, "Moonlit Harbor") == set()
    task = engine._background
    assert task is not None
    await task  # the background task itself, not a question, brought the new names in
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    assert await ids(engine, "Moonlit Harbor") == {harbor["id"]}


async def test_an_import_is_seen_by_the_very_next_question_even_after_sync_writes(stores, syncer_for):
    store, _ = stores
    engine = KnowledgeEngine(store)
    await engine.index()
    await syncer_for(store).discover()  # sync names: stale is fine...
    await store.catalog.apply_catalog(catalog(("paper-lantern-2024", "Paper Lantern")))  # ...an import is not
    lantern = await store.catalog.drama_by_slug("paper-lantern-2024")
    assert await ids(engine, "Paper Lantern") == {lantern["id"]}
    assert "Paper Lantern" in (await engine.answer("how many episodes does Paper Lantern have?", today=TODAY)).text
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    assert await ids(engine, "Moonlit Harbor") == {harbor["id"]}  # the rebuild took the sync's names too


async def test_an_owner_merge_is_seen_by_the_very_next_question(stores):
    store, _ = stores
    engine = KnowledgeEngine(store)
    await store.catalog.apply_catalog(catalog(("paper-lantern-2024", "Paper Lantern"),
                                              ("lantern-of-paper-2024", "Lantern of Paper")))
    keep = await store.catalog.drama_by_slug("paper-lantern-2024")
    drop = await store.catalog.drama_by_slug("lantern-of-paper-2024")
    assert await ids(engine, "Lantern of Paper") == {drop["id"]}
    await store.sources.merge(keep["id"], drop["id"], schedule=store.schedule, now=JAN1)
    assert await ids(engine, "Lantern of Paper") == {keep["id"]}


async def test_another_process_import_and_sync_reach_this_process_index(stores, syncer_for, monkeypatch):
    ours, theirs = stores
    engine = KnowledgeEngine(ours)
    await engine.index()
    monkeypatch.setattr(linking, "RECHECK_SECONDS", 0.0)  # look at the store at every question, not every 30 s

    await theirs.catalog.apply_catalog(catalog(("paper-lantern-2024", "Paper Lantern")))
    lantern = await ours.catalog.drama_by_slug("paper-lantern-2024")
    assert await ids(engine, "Paper Lantern") == {lantern["id"]}  # their import: the next question sees it

    await syncer_for(theirs).discover()
    assert await ids(engine, "Moonlit Harbor") == set()  # their sync: the old index meanwhile...
    assert engine.rebuilding
    await engine.refresh()
    harbor = await ours.catalog.drama_by_slug("moonlit-harbor-2026")
    assert await ids(engine, "Moonlit Harbor") == {harbor["id"]}  # ...then the new one


async def test_background_rebuilds_are_spaced_out_and_the_sync_loop_refresh_is_not(stores, syncer_for, monkeypatch):
    store, _ = stores
    engine = KnowledgeEngine(store)
    monkeypatch.setattr(linking, "REBUILD_GAP", 1e9)  # no background rebuild is due for ages after a build
    await engine.index()
    await syncer_for(store).discover()
    assert await ids(engine, "Moonlit Harbor") == set()
    assert not engine.rebuilding
    await engine.refresh()
    harbor = await store.catalog.drama_by_slug("moonlit-harbor-2026")
    assert await ids(engine, "Moonlit Harbor") == {harbor["id"]}
