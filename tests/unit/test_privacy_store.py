"""The privacy composer: sums what every participating store holds and forgets it all or nothing."""

from __future__ import annotations

import pytest

from bot.store import Store
from bot.store import privacy as privacy_store


class Notes:
    def __init__(self, db, *, fail: bool = False) -> None:
        self.db, self.fail = db, fail

    async def member_data(self, user_id: int) -> dict[str, int]:
        count = await self.db.scalar("SELECT count(*) FROM notes WHERE user_id = ?", (user_id,))
        return {"notes": count, "empty things": 0}

    async def forget_member(self, conn, user_id: int) -> None:
        await conn.execute("DELETE FROM notes WHERE user_id = ?", (user_id,))
        if self.fail:
            raise RuntimeError("disk on fire")


@pytest.fixture
async def store(store_target, monkeypatch):
    monkeypatch.setattr(privacy_store, "PARTICIPANTS", ("notes", "guilds"))
    async with Store(store_target) as s:
        await s.write("CREATE TABLE notes (user_id INTEGER)")
        await s.write_many("INSERT INTO notes VALUES (?)", [(1,), (1,), (2,)])
        yield s


async def test_describe_leaves_out_zero_counts(store):
    store.notes = Notes(store)
    assert await store.privacy.describe(1) == {"notes": 2}
    assert await store.privacy.describe(3) == {}


async def test_forget_is_all_or_nothing(store):
    store.notes = Notes(store, fail=True)
    with pytest.raises(RuntimeError):
        await store.privacy.forget(1)
    assert await store.privacy.describe(1) == {"notes": 2}  # rolled back
    store.notes = Notes(store)
    assert await store.privacy.forget(1) == {"notes": 2}
    assert await store.privacy.describe(1) == {} and await store.privacy.describe(2) == {"notes": 1}


async def test_forget_guild_removes_its_settings(store):
    await store.guilds.update(7, timezone="Asia/Seoul")
    await store.privacy.forget_guild(7)
    assert (await store.guilds.get(7)).timezone == "UTC"
