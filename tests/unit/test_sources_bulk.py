"""The bulk linking pass against the recorded TVmaze feed on 127.0.0.1 (real HTTP through the real client),
over the shipped catalog on each backend."""

from __future__ import annotations

import shutil

import pytest

from bot.sources.bulk import BulkLinker
from bot.sources.feed import RECORDED, Fault, FeedServer
from bot.sources.http import PoliteClient
from bot.sources.sync import Syncer
from bot.sources.tvmaze import TVmaze
from bot.store import Store
from tests.unit.test_sources_sync import JAN1, Clock

DAY = 86400
LETTERS = {"format": "dramabot-catalog", "version": 1, "people": [], "dramas": [
    {"slug": "midnight-letters-2023", "title": "Midnight Letters", "year": 2023, "network": "KBS2"},
    {"slug": "letters-at-midnight-2023", "title": "Letters at Midnight", "aliases": ["Midnight Letters"],
     "year": 2023, "network": "MBC"}]}


@pytest.fixture
async def world(tmp_path, catalog_target):
    root = tmp_path / "feed"
    shutil.copytree(RECORDED, root)
    server = FeedServer(root)
    url = await server.start()
    clock = Clock(JAN1)
    opened = []

    async def start():
        """The store and a linker as a fresh process has them (a second call is a restart)."""
        store = Store(catalog_target)
        await store.open()
        client = PoliteClient(url, rate=1000, backoff=0.01, retries=1)
        opened.append((store, client))
        return store, BulkLinker(Syncer(store, TVmaze(client), clock=clock))

    try:
        yield start, server, clock
    finally:
        for store, client in opened:
            await client.close()
            await store.close()
        await server.close()


async def _follow(store, slug: str) -> int:
    drama = await store.catalog.drama_by_slug(slug)
    await store.schedule.follow(9, drama["id"], channel_id=1, role_id=None, remind_minutes=None, threads=False,
                                events=False, created_by=2, now=JAN1)
    return drama["id"]


def _searches(server, since: int = 0) -> list[str]:
    return [r for r in server.requests[since:] if r.startswith("/search/shows")]


async def test_followed_dramas_first_a_clear_match_links_an_ambiguous_one_waits_and_a_restart_resumes(world):
    start, server, clock = world
    store, linker = await start()
    await store.catalog.apply_catalog(LETTERS)
    runner = await _follow(store, "lovely-runner-2024")
    await _follow(store, "midnight-letters-2023")
    before = await linker.left()

    report = await linker.run(limit=2)
    assert (report.looked, report.linked, report.ambiguous, report.none, report.errors) == (2, 1, 1, 0, [])
    # the clear match: linked with its source and confidence, and its episodes follow TVmaze
    link = await store.sources.link_of(runner, "tvmaze")
    assert link["show_id"] == "90021" and link["method"] == "matched" and link["confidence"] >= 0.6
    episodes = await store.schedule.episodes(runner)
    assert len(episodes) == 16 and all(e.status == "aired" for e in episodes)
    # the same-named American web series was never a candidate; the show's Korean title was not needed
    assert _searches(server) == ["/search/shows?q=Lovely+Runner", "/search/shows?q=Midnight+Letters"]
    # the ambiguous one waits for the owner with both catalog dramas, neither linked
    waiting = await store.sources.ambiguous("tvmaze")
    assert {(r["show_id"], r["slug"]) for r in waiting} == {("90022", "midnight-letters-2023"),
                                                            ("90022", "letters-at-midnight-2023")}
    assert await store.sources.link_of((await store.catalog.drama_by_slug("midnight-letters-2023"))["id"]) is None
    assert report.left == before - 3 == await linker.left()  # the other candidate waits too: not looked up

    # a restart resumes from the stored progress: nothing looked up again, the next (most recent) dramas next
    seen = len(server.requests)
    store, linker = await start()
    report = await linker.run(limit=3)
    assert report.looked == 3 and report.none == 3 and report.left == before - 6
    searched = _searches(server, seen)
    assert searched and not [r for r in searched if "Lovely" in r or "Midnight" in r]
    years = [r["year"] for r in await store.fetchall(
        "SELECT d.year FROM source_link_tries t JOIN dramas d ON d.id = t.drama_id WHERE t.outcome = 'none'")]
    assert years == [max(years)] * 3  # the most recent ones


async def test_a_failing_provider_is_tried_again_after_a_day_and_not_found_dramas_are_not(world):
    start, server, clock = world
    store, linker = await start()
    server.fail("/search/shows", *[Fault(500)] * 6)  # three dramas, a call and one retry each
    report = await linker.run(limit=5)
    assert report.looked == 3 and len(report.errors) == 3 and report.linked == 0  # down: the run stops
    left = await linker.left()
    assert (await linker.run(limit=2)).looked == 2  # the failed ones wait; others go on
    assert await linker.left() == left - 2
    clock.now = JAN1 + DAY + 60
    assert await linker.left() == left + 3 - 2  # a day later the failed ones are due again
