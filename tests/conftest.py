"""Shared fixtures: a bot factory over a temp database (every store closed at teardown) and a fan server.

SimCord never calls ``bot.close()``, so the factory closes each bot's store itself; otherwise
pytest would hang on aiosqlite's thread.

The backend: SQLite by default; ``DRAMABOT_TEST_BACKEND=postgres`` (or ``--backend postgres``) runs every
test that uses ``db_path`` / ``bot_factory`` on a throwaway PostgreSQL server (tests/pgserver.py), started
once per session, with a fresh database per test copied from a migrated, catalog-loaded template.
Store tests that take ``store_target`` run on both backends in every run.
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import discord
import pytest
import pytest_asyncio

from bot import create_bot
from bot.settings import Settings
from bot.sources.feed import RECORDED, FeedServer
from bot.store.postgres import is_url
from tests.pgserver import PgServer, Unavailable, run_sync

OWNER_ID = 4242
_DATABASES = itertools.count(1)


def pytest_addoption(parser) -> None:
    parser.addoption("--backend", choices=("sqlite", "postgres"), default=None,
                     help="the store backend for bot tests (default: $DRAMABOT_TEST_BACKEND or sqlite)")


def backend(config) -> str:
    return config.getoption("--backend") or os.environ.get("DRAMABOT_TEST_BACKEND", "sqlite") or "sqlite"


def make_settings(db_path: Path | str, **overrides) -> Settings:
    target = {"database_url": db_path} if is_url(db_path) else {"database_path": db_path}
    base = Settings(
        **target,
        owner_ids=frozenset(),
        vote_secret="test-secret",
        ask_cooldown_seconds=0,
        poll_cooldown_seconds=0,
        sources="none",  # tests never reach the internet; a sources test points TVMAZE_URL at a local feed
    )
    return replace(base, **overrides)


@pytest.fixture(scope="session")
def pg_server(request):
    """One throwaway PostgreSQL server per session (skips, with the reason, where none can run)."""
    server = PgServer()
    try:
        server.start()
    except Unavailable as exc:
        if backend(request.config) == "postgres":
            pytest.fail(f"the PostgreSQL backend was asked for, but: {exc}")
        pytest.skip(f"PostgreSQL is not available: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    """A migrated PostgreSQL database with the starter catalog, built once; tests get copies of it."""
    pg_server.sql("CREATE DATABASE catalog_template")
    run_sync(_build_template(pg_server.url("catalog_template")))
    return "catalog_template"


def fresh_database(server: PgServer, template: str | None = None) -> str:
    name = f"test_{next(_DATABASES)}"
    copy = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
    server.sql(f"CREATE DATABASE {name}{copy}")
    return name


@pytest.fixture
def db_path(tmp_path: Path, request):
    """The bot's database: a SQLite file path (the catalog is copied in by ``bot_factory``), or the URL of a
    fresh PostgreSQL database that already holds the catalog."""
    if backend(request.config) != "postgres":
        yield tmp_path / "dramabot.sqlite3"
        return
    server = request.getfixturevalue("pg_server")
    name = fresh_database(server, request.getfixturevalue("pg_template"))
    yield server.url(name)
    server.sql(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgres"])
def catalog_target(request, tmp_path: Path, catalog_template: Path):
    """A database holding the starter catalog on each backend in turn (a copy of the session's template)."""
    if request.param == "sqlite":
        path = tmp_path / "catalog.sqlite3"
        shutil.copyfile(catalog_template, path)
        yield path
        return
    server = request.getfixturevalue("pg_server")
    name = fresh_database(server, request.getfixturevalue("pg_template"))
    yield server.url(name)
    server.sql(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgres"])
def store_target(request, tmp_path: Path):
    """An empty database on each backend in turn: store tests take this to run on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        yield tmp_path / "store.sqlite3"
        return
    server = request.getfixturevalue("pg_server")
    name = fresh_database(server)
    yield server.url(name)
    server.sql(f"DROP DATABASE {name} WITH (FORCE)")


async def _build_template(path: Path | str) -> None:
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
        if path is None and isinstance(db_path, Path) and not db_path.exists():
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
async def engine(catalog_template, db_path):
    """The Discord-free question engine over a private copy of the catalog database."""
    from bot.knowledge.engine import KnowledgeEngine
    from bot.store import Store

    path = db_path
    if isinstance(path, Path):
        shutil.copyfile(catalog_template, path)
    store = Store(path)
    await store.open()
    try:
        yield KnowledgeEngine(store)
    finally:
        await store.close()


@pytest_asyncio.fixture
async def feed(tmp_path: Path):
    """The recorded TVmaze/TMDB feed (a copy a test may edit) served on 127.0.0.1."""
    root = tmp_path / "feed"
    shutil.copytree(RECORDED, root)
    server = FeedServer(root)
    await server.start()
    try:
        yield server
    finally:
        await server.close()
