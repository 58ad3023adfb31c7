"""One frozen settings object, read once from the environment (and `.env` via python-dotenv).

Everything configurable lives here so the rest of the code never touches ``os.environ``.
The token is kept out of ``repr`` so it can never leak into a log line or a traceback.
"""

from __future__ import annotations

import os
import re
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import find_dotenv, load_dotenv

from bot.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A source checkout (editable install) keeps its state in its own data/; an installed copy (`pip install .`)
# must not write into site-packages, so it uses data/ under the directory it runs from.
IN_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file()
DATA_DIR = PROJECT_ROOT / "data" if IN_CHECKOUT else Path("data")
DEFAULT_DATABASE = DATA_DIR / "dramabot.sqlite3"
CATALOG_FILE = "catalog.json.gz"
# pyproject.toml's data-files puts the shipped catalog under the install scheme's data root (sys.prefix,
# or /usr/local where a distribution's Python installs there).
INSTALLED_CATALOGS = tuple(dict.fromkeys(
    Path(root) / "share" / "dramabot" / CATALOG_FILE for root in (sysconfig.get_path("data"), sys.prefix)))


def shipped_catalog() -> Path:
    """The catalog that ships with the bot: the checkout's data/, else the installed copy's."""
    checkout = PROJECT_ROOT / "data" / CATALOG_FILE
    if checkout.is_file():
        return checkout
    return next((path for path in INSTALLED_CATALOGS if path.is_file()), checkout)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SOURCES = ("tvmaze", "none")


def _int(env: dict[str, str], key: str, default: int | None) -> int | None:
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{key} must be a whole number, got {raw!r}.") from None


def cluster_shards(shard_count: int, cluster_count: int, cluster_id: int) -> list[int]:
    """Process ``cluster_id`` of ``cluster_count`` runs a contiguous slice of the shards (sizes differ by 1 at most)."""
    base, extra = divmod(shard_count, cluster_count)
    start = cluster_id * base + min(cluster_id, extra)
    return list(range(start, start + base + (1 if cluster_id < extra else 0)))


def _sharding(env: dict[str, str]) -> dict:
    """SHARD_COUNT with SHARD_IDS or CLUSTER_ID/CLUSTER_COUNT, checked against each other."""
    count = _int(env, "SHARD_COUNT", None)
    if count is not None and count < 1:
        raise ConfigError("SHARD_COUNT must be 1 or more.")
    raw_ids = env.get("SHARD_IDS", "").strip()
    cluster_id = _int(env, "CLUSTER_ID", None)
    cluster_count = _int(env, "CLUSTER_COUNT", None)
    shard_ids = None
    if raw_ids:
        try:
            shard_ids = tuple(sorted({int(part) for part in raw_ids.replace(";", ",").split(",") if part.strip()}))
        except ValueError:
            raise ConfigError(f"SHARD_IDS must be comma-separated shard numbers, got {raw_ids!r}.") from None
        if count is None:
            raise ConfigError("SHARD_IDS needs SHARD_COUNT (the number of shards in all).")
        if any(not 0 <= s < count for s in shard_ids):
            raise ConfigError(f"SHARD_IDS must be between 0 and SHARD_COUNT - 1 ({count - 1}).")
        if cluster_id is not None:
            raise ConfigError("Set either SHARD_IDS or CLUSTER_ID/CLUSTER_COUNT, not both.")
    if (cluster_id is None) != (cluster_count is None):
        raise ConfigError("CLUSTER_ID and CLUSTER_COUNT go together.")
    if cluster_count is not None and cluster_id is not None:
        if cluster_count < 1 or not 0 <= cluster_id < cluster_count:
            raise ConfigError("CLUSTER_ID must be between 0 and CLUSTER_COUNT - 1.")
        if count is None:
            raise ConfigError("CLUSTER_ID/CLUSTER_COUNT need SHARD_COUNT (the number of shards in all).")
        if count < cluster_count:
            raise ConfigError("SHARD_COUNT must be at least CLUSTER_COUNT (every process runs one shard or more).")
    return {"shard_count": count, "shard_ids": shard_ids, "cluster_id": cluster_id, "cluster_count": cluster_count}


def _database_url(env: dict[str, str], vote_secret: str | None) -> str | None:
    url = env.get("DATABASE_URL", "").strip()
    if not url:
        return None
    if not url.startswith(("postgresql://", "postgres://")):
        raise ConfigError("DATABASE_URL must be a PostgreSQL URL (postgresql://user:password@host/db); "
                          "for SQLite leave it empty and set DATABASE_PATH.")
    if not vote_secret:
        # Every process (on every machine) must hash anonymous voters alike, and the key never goes in the database.
        raise ConfigError("With DATABASE_URL, set VOTE_SECRET too (the same long random string for every process), "
                          "e.g. the output of: python -c 'import secrets; print(secrets.token_hex(32))'")
    return url


def _ids(env: dict[str, str], key: str) -> frozenset[int]:
    raw = env.get(key, "").replace(";", ",")
    out = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ConfigError(f"{key} must be a comma-separated list of Discord user ids, got {part!r}.")
        out.add(int(part))
    return frozenset(out)


@dataclass(frozen=True)
class Settings:
    """Runtime configuration. Build it with :func:`load_settings`, or directly in tests."""

    token: str | None = field(default=None, repr=False)
    database_path: Path = DEFAULT_DATABASE
    owner_ids: frozenset[int] = frozenset()
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    log_file: Path | None = None
    vote_secret: str | None = field(default=None, repr=False)
    retention_days: int = 30
    ask_cooldown_seconds: int = 3
    poll_cooldown_seconds: int = 30
    catalog_path: Path = field(default_factory=shipped_catalog)
    # How often the running bot records a heartbeat for `dramabot health` (0: never; tests and the demo).
    heartbeat_seconds: int = 0
    # Live data (bot.sources, docs/sources.md). A Settings built in code never reaches the internet: "none";
    # `dramabot run` reads SOURCES from the environment, "tvmaze" by default.
    sources: str = "none"
    tvmaze_url: str = "https://api.tvmaze.com"
    tmdb_url: str = "https://api.themoviedb.org/3"
    tmdb_api_key: str | None = field(default=None, repr=False)
    sync_days_ahead: int = 21
    # Calls a second to the provider; a mirror or a local feed may allow more, TVmaze's own host never gets more
    # than 2 (its documented limit is 20 per 10 s).
    sources_rate: float = 2.0
    # Unlinked catalog dramas the sync loop looks up at the provider each pass (the bulk linking pass, about one
    # pass a minute while any are left). 0: never (a Settings built in code); `dramabot run` defaults to 10.
    sources_link_batch: int = 0
    # PostgreSQL instead of the SQLite file (``postgresql://user:password@host/db``); never logged whole.
    database_url: str | None = field(default=None, repr=False)
    # Sharding: SHARD_COUNT shards in all (None: as many as Discord recommends, the default when read from the
    # environment; a Settings built in code runs one shard); this process runs SHARD_IDS, or its slice of the
    # cluster (CLUSTER_ID of CLUSTER_COUNT processes). shard_ids None: every shard.
    shard_count: int | None = 1
    shard_ids: tuple[int, ...] | None = None
    cluster_id: int | None = None
    cluster_count: int | None = None

    @property
    def database(self) -> Path | str:
        """What ``Store`` opens: the PostgreSQL URL when set, else the SQLite file."""
        return self.database_url or self.database_path

    @property
    def process_name(self) -> str:
        """This process in logs, leases and claims: ``cluster-<id>`` in a cluster, else ``main``."""
        return f"cluster-{self.cluster_id}" if self.cluster_id is not None else "main"

    def shards(self) -> tuple[int | None, list[int] | None]:
        """(shard_count, the shard ids this process runs) for ``AutoShardedBot`` (None: Discord decides)."""
        if self.shard_ids is not None:
            return self.shard_count, list(self.shard_ids)
        if self.cluster_id is not None and self.cluster_count and self.shard_count:
            return self.shard_count, cluster_shards(self.shard_count, self.cluster_count, self.cluster_id)
        return self.shard_count, None

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError(
                "DISCORD_TOKEN is not set. Copy .env.example to .env and put your bot token in it "
                "(or run `dramabot demo` to try the bot offline)."
            )
        if not _TOKEN_CHARS.fullmatch(self.token):  # never echo it: say what is wrong, not what it is
            raise ConfigError("DISCORD_TOKEN holds spaces, quotes or other characters a bot token never has; "
                              "copy the token again from the developer portal's Bot tab.")
        return self.token


_TOKEN_CHARS = re.compile(r"[A-Za-z0-9._\-]+")


def load_settings(env: dict[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Read settings from ``env`` (default: the process environment after loading `.env`)."""
    if env is None:
        if dotenv:
            # The .env of the directory the bot runs from (or a parent), else the checkout's.
            load_dotenv(find_dotenv(usecwd=True) or PROJECT_ROOT / ".env", override=False)
        env = dict(os.environ)
    level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}.")
    db = env.get("DATABASE_PATH", "").strip()
    log_file = env.get("LOG_FILE", "").strip()
    catalog = env.get("CATALOG_PATH", "").strip()
    retention = _int(env, "DATA_RETENTION_DAYS", 30)
    if retention is None or retention < 0:
        raise ConfigError("DATA_RETENTION_DAYS must be 0 or more.")
    sources = env.get("SOURCES", "").strip().lower() or "tvmaze"
    if sources not in SOURCES:
        raise ConfigError(f"SOURCES must be one of {', '.join(SOURCES)}, got {sources!r}.")
    days_ahead = _int(env, "SYNC_DAYS_AHEAD", 21)
    if days_ahead is None or not 0 <= days_ahead <= 60:
        raise ConfigError("SYNC_DAYS_AHEAD must be between 0 and 60.")
    urls = {}
    for key, default in (("TVMAZE_URL", "https://api.tvmaze.com"), ("TMDB_URL", "https://api.themoviedb.org/3")):
        url = env.get(key, "").strip() or default
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"{key} must be an http(s) URL, got {url!r}.")
        urls[key] = url.rstrip("/")
    rate_raw = env.get("SOURCES_RATE", "").strip()
    try:
        rate = float(rate_raw) if rate_raw else 2.0
    except ValueError:
        raise ConfigError(f"SOURCES_RATE must be a number of calls a second, got {rate_raw!r}.") from None
    if not 0 < rate <= 100:
        raise ConfigError("SOURCES_RATE must be above 0 and at most 100.")
    link_batch = _int(env, "SOURCES_LINK_BATCH", 10)
    if link_batch is None or not 0 <= link_batch <= 100:
        raise ConfigError("SOURCES_LINK_BATCH must be between 0 and 100.")
    vote_secret = env.get("VOTE_SECRET", "").strip() or None
    return Settings(
        database_url=_database_url(env, vote_secret),
        **_sharding(env),
        sources=sources,
        tvmaze_url=urls["TVMAZE_URL"],
        tmdb_url=urls["TMDB_URL"],
        tmdb_api_key=env.get("TMDB_API_KEY", "").strip() or None,
        sync_days_ahead=days_ahead,
        sources_rate=rate,
        sources_link_batch=link_batch,
        token=env.get("DISCORD_TOKEN", "").strip() or None,
        database_path=Path(db) if db else DEFAULT_DATABASE,
        owner_ids=_ids(env, "OWNER_IDS"),
        dev_guild_id=_int(env, "DEV_GUILD_ID", None),
        log_level=level,
        log_file=Path(log_file) if log_file else None,
        vote_secret=vote_secret,
        retention_days=retention,
        ask_cooldown_seconds=_int(env, "ASK_COOLDOWN_SECONDS", 3) or 0,
        poll_cooldown_seconds=_int(env, "POLL_COOLDOWN_SECONDS", 30) or 0,
        catalog_path=Path(catalog) if catalog else shipped_catalog(),
        heartbeat_seconds=max(0, _int(env, "HEARTBEAT_SECONDS", 60) or 0),
    )
