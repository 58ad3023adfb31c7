"""``dramabot health``: exit 0 when the database opens at the current schema and, if the bot records a
heartbeat (``HEARTBEAT_SECONDS``), the last one is recent. Used by the Docker HEALTHCHECK.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from pathlib import Path

import discord

from bot.errors import StoreError

HEARTBEAT_KEY = "heartbeat"


async def check_health(path: Path | str, *, max_age: float | None, now: datetime) -> tuple[bool, str]:
    """(healthy, one line saying why)."""
    from bot.store import Store, latest_version

    store = Store(path)
    try:
        await store.open(migrate=False)
    except StoreError as exc:
        return False, str(exc)
    try:
        version = await store.schema_version()
        beat = await store.meta.get(HEARTBEAT_KEY)
    finally:
        await store.close()
    if version != latest_version():
        return False, f"{store.name}: schema {version}, expected {latest_version()}"
    if max_age is None:
        return True, f"{store.name}: ok (schema {version})"
    if beat is None:
        return False, f"{store.name}: the bot has not written a heartbeat yet"
    try:
        age = (now - datetime.fromisoformat(beat)).total_seconds()
    except (TypeError, ValueError):
        return False, f"{store.name}: unreadable heartbeat {beat!r}"
    if age > max_age:
        return False, f"{store.name}: last heartbeat {age:.0f} s ago (limit {max_age:.0f} s)"
    return True, f"{store.name}: ok (schema {version}, heartbeat {max(age, 0):.0f} s ago)"


def cmd_health(args: argparse.Namespace) -> int:
    from bot.settings import load_settings

    settings = load_settings()
    path = args.database or settings.database
    if not str(path).startswith(("postgresql://", "postgres://")):
        path = Path(path)
    if args.no_heartbeat or settings.heartbeat_seconds <= 0:
        max_age = None
    else:
        max_age = args.max_age or max(3 * settings.heartbeat_seconds, 60)
    if isinstance(path, Path) and not path.is_file():
        healthy, text = False, f"{path}: no database yet"
    else:
        healthy, text = asyncio.run(check_health(path, max_age=max_age, now=discord.utils.utcnow()))
    print(("healthy: " if healthy else "UNHEALTHY: ") + text)
    return 0 if healthy else 1


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("health", help="exit 0 if the database is usable and the bot's heartbeat is recent")
    p.add_argument("--database", help="database file (default: DATABASE_PATH)")
    p.add_argument("--max-age", type=float, help="oldest acceptable heartbeat, seconds (default: 3 heartbeats)")
    p.add_argument("--no-heartbeat", action="store_true", help="only check the database")
    p.set_defaults(func=cmd_health)



