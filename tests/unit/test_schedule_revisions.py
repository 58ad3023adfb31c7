"""One reminder per scheduled time, without Discord: the delivery log across episode moves (store + policy)."""

from __future__ import annotations

from dataclasses import replace

import pytest_asyncio

from bot.schedule import delivery as policy
from bot.schedule.slots import Episode
from bot.store import Store

NOW = 1_767_225_600  # 2026-01-01 00:00 UTC
A, B = NOW + 3 * 3600, NOW + 4 * 3600
GUILD, FAN = 111, 222


@pytest_asyncio.fixture
async def store(store_target):
    async with Store(store_target) as s:
        yield s


async def reminder_rows(store: Store) -> dict[tuple[str, int], object]:
    rows = [*await store.schedule.deliveries_for(GUILD), *await store.schedule.deliveries_for(FAN)]
    return {(r["kind"], r["revision"]): r for r in rows if r["kind"] in ("remind", "dm")}


async def move(store: Store, drama_id: int, air_at: int) -> None:
    [ep] = await store.schedule.episodes(drama_id)
    await store.schedule.replace_episodes(drama_id, [replace(ep, air_at=air_at)], NOW)


def verdict(row) -> tuple[str, int | None]:
    return (policy.reminder_skip(row["revision"], row["episode_revision"], row["reminded_for"], row["air_at"]),
            policy.moved_from(row["reminded_for"], row["original_air_at"], row["air_at"]))


async def test_a_reminder_is_owed_once_per_scheduled_time(store):
    drama_id = await store.write("INSERT INTO dramas (slug, title) VALUES ('d-2026', 'D') RETURNING id")
    await store.schedule.replace_episodes(drama_id, [Episode(number=1, air_at=A)], NOW)
    await store.schedule.follow(GUILD, drama_id, channel_id=1, role_id=None, remind_minutes=10, threads=False,
                                events=False, created_by=1, now=NOW)
    await store.schedule.add_reminder(FAN, drama_id, 30, GUILD, NOW)
    first = await reminder_rows(store)
    assert set(first) == {("remind", 0), ("dm", 0)}

    # Moved before any reminder went out: the same rows move along (no second reminder owed).
    await move(store, drama_id, B)
    moved = await reminder_rows(store)
    assert set(moved) == {("remind", 1), ("dm", 1)}
    assert {r["id"] for r in moved.values()} == {r["id"] for r in first.values()}
    assert moved[("remind", 1)]["due_at"] == B - 600 and moved[("dm", 1)]["slot_at"] == B
    for row in moved.values():
        assert verdict(row) == ("", None)
        await store.schedule.mark_sent(row["id"], NOW + 60, channel_id=1, message_id=row["id"])

    # Moved back after the reminders for B went out: remind again, naming B.
    await move(store, drama_id, A)
    again = await reminder_rows(store)
    assert set(again) == {("remind", 1), ("dm", 1), ("remind", 2), ("dm", 2)}
    assert [again[(k, 2)]["state"] for k in ("remind", "dm")] == ["pending", "pending"]
    assert verdict(await store.schedule.delivery(again[("dm", 2)]["id"])) == ("", B)

    # ...and to B once more before that went out: members' last reminder already names B.
    await move(store, drama_id, B)
    last = await store.schedule.delivery((await reminder_rows(store))[("remind", 3)]["id"])
    assert last["slot_at"] == B and verdict(last)[0] == "already reminded of this time"
    assert len(await reminder_rows(store)) == 4


def test_reminder_policy_and_text():
    assert policy.reminder_skip(1, 2, None, A) == "the episode moved; reminded before its new time instead"
    assert policy.reminder_skip(2, 2, A, A) == "already reminded of this time"
    assert policy.reminder_skip(2, 2, B, A) == "" and policy.reminder_skip(0, 0, None, A) == ""
    assert policy.moved_from(None, B, A) == B and policy.moved_from(None, None, A) is None
    text = policy.reminder_text("X", 3, finale=False, special=False, air_at=A, now=A - 600, moved_from=B)
    assert "starts in 10 minutes" in text and f"Moved from <t:{B}:f>" in text
    assert "Moved" not in policy.reminder_text("X", 3, finale=False, special=False, air_at=A, now=A - 600)


async def test_uncancel_racing_the_event_deletion_still_owes_the_event(store):
    drama_id = await store.write("INSERT INTO dramas (slug, title) VALUES ('d-2026', 'D') RETURNING id")
    await store.schedule.replace_episodes(drama_id, [Episode(number=1, air_at=A)], NOW)
    await store.schedule.follow(GUILD, drama_id, channel_id=1, role_id=None, remind_minutes=None, threads=False,
                                events=True, created_by=1, now=NOW)

    async def event_rows():
        return [(r["id"], r["state"]) for r in await store.schedule.deliveries_for(GUILD) if r["kind"] == "event"]

    [(first_id, state)] = await event_rows()
    assert state == "pending"
    await store.schedule.record_event(GUILD, 1, 900, A)
    await store.schedule.mark_sent(first_id, NOW, channel_id=None, message_id=900)
    [ep] = await store.schedule.episodes(drama_id)
    await store.schedule.replace_episodes(drama_id, [replace(ep, status="cancelled")], NOW)
    assert [(r["want"], r["dirty"]) for r in await store.schedule.dirty_events()] == [(0, 1)]
    # The announcer is deleting event 900 on Discord when the episode is un-cancelled: the mirror is
    # revived (no second event owed while it exists)...
    await store.schedule.replace_episodes(drama_id, [ep], NOW)
    assert [(r["want"], r["dirty"]) for r in await store.schedule.dirty_events()] == [(1, 1)]
    assert await event_rows() == [(first_id, "sent")]
    # ...then the deletion lands: the event is owed afresh, under a new id (a new marker).
    await store.schedule.event_deleted(GUILD, 1, 900, NOW)
    assert await store.schedule.events_of(GUILD) == []
    [(new_id, state)] = await event_rows()
    assert state == "pending" and new_id > first_id
