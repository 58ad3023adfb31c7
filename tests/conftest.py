"""Shared fixtures: a bot factory over a temp database (every store closed at teardown) and a fan server.

SimCord never calls ``bot.close()``, so the factory closes each bot's store itself; otherwise
pytest would hang on aiosqlite's thread.
"""

from __future__ import annotations

import asyncio
import importlib.util
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import discord
import pytest
import pytest_asyncio

from bot import create_bot
from bot.settings import Settings

OWNER_ID = 4242


def make_settings(db_path: Path, **overrides) -> Settings:
    base = Settings(
        database_path=db_path,
        owner_ids=frozenset(),
        vote_secret="test-secret",
        ask_cooldown_seconds=0,
        poll_cooldown_seconds=0,
        sources="none",  # tests never reach the internet; a sources test points TVMAZE_URL at a local feed
    )
    return replace(base, **overrides)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "dramabot.sqlite3"


async def _build_template(path: Path) -> None:
    from bot.catalog.loader import load_starter_catalog
    from bot.store import Store

    store = Store(path)
    await store.open()
    try:
        await load_starter_catalog(store, Settings().catalog_path, now="2024-01-01T00:00:00+00:00")
    finally:
        await store.close()


@pytest.fixture(scope="session")
def catalog_template(tmp_path_factory) -> Path:
    """A migrated database with the starter catalog loaded, built ONCE per session.

    ``bot_factory`` copies it to ``db_path`` before the first bot starts, so a test pays a file copy
    instead of a catalog load. A test that wants a store without it passes another path.
    """
    path = tmp_path_factory.mktemp("catalog-template") / "template.sqlite3"
    asyncio.run(_build_template(path))
    return path


@pytest.fixture
def settings_overrides() -> dict:
    """Override in a test module (or with indirect parametrisation) to change the bot's settings."""
    return {}


@pytest_asyncio.fixture
async def bot_factory(db_path: Path, settings_overrides: dict, catalog_template: Path):
    """``bot_factory()`` builds a fresh bot on the same database (use it for restarts)."""
    bots = []

    def factory(path: Path | None = None, **overrides):
        merged = {**settings_overrides, **overrides}
        if path is None and not db_path.exists():
            shutil.copyfile(catalog_template, db_path)
        bot = create_bot(path or db_path, settings=make_settings(path or db_path, **merged))
        bots.append(bot)
        return bot

    yield factory
    for bot in bots:
        await bot.store.close()


@pytest.fixture
def simcord_bot(bot_factory):
    return bot_factory()


@dataclass
class World:
    """A fan server: channels, a manager (Manage Server), a role to ping, and three fans."""

    env: object
    guild: object
    general: object
    announcements: object
    polls: object
    manager: object
    fans: list = field(default_factory=list)
    watchers: object = None
    mods: object = None

    @property
    def fan(self):
        return self.fans[0]


@pytest_asyncio.fixture
async def world(simcord_env) -> World:
    env = simcord_env
    guild = env.create_guild(name="K-Drama Lounge")
    mods = guild.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
    watchers = guild.create_role("Watchers", mentionable=True)
    manager = guild.add_member(env.create_user("hana_mod"), roles=[mods])
    fans = [guild.add_member(env.create_user(name)) for name in ("minji", "jae", "sora")]
    return World(
        env=env,
        guild=guild,
        general=guild.create_text_channel("general"),
        announcements=guild.create_text_channel("announcements"),
        polls=guild.create_text_channel("polls"),
        manager=manager,
        fans=fans,
        watchers=watchers,
        mods=mods,
    )


# ---------------------------------------------------------------- the question engine and its scorer
QA_DIR = Path(__file__).resolve().parents[2] / "shared" / "qa"


def qa_passes():
    """``passes(item, answer)`` from ../shared/qa/score.py; skips the test when that folder is absent."""
    score = QA_DIR / "score.py"
    if not score.is_file():
        pytest.skip(f"{score} is absent: the shared QA folder is not next to the repo")
    spec = importlib.util.spec_from_file_location("qa_score", score)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.passes


@pytest_asyncio.fixture
async def engine(catalog_template, tmp_path):
    """The Discord-free question engine over a private copy of the catalog database."""
    from bot.knowledge.engine import KnowledgeEngine
    from bot.store import Store

    path = tmp_path / "k.sqlite3"
    shutil.copyfile(catalog_template, path)
    store = Store(path)
    await store.open()
    try:
        yield KnowledgeEngine(store)
    finally:
        await store.close()
