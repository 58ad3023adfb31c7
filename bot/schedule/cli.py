"""``dramabot schedule import FILE``: load airing schedules from the documented JSON format.

All or nothing: the file is validated whole (every problem printed with its place, exit 2), the
dramas are looked up, then every schedule is written in one transaction. A running bot notices the
change within 10 minutes (its announcer re-reads the outbox at least that often).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.errors import ConfigError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("schedule", help="airing schedules (import)")
    sub = p.add_subparsers(dest="schedule_command", required=True)
    imp = sub.add_parser("import", help="import schedules from a JSON file (see docs/schedule.md)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--database", help="database file (default: DATABASE_PATH)")
    imp.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    imp.set_defaults(func=cmd_import)


def _wall_clock_now() -> int:
    from bot.clock import timestamp  # the project's one clock, read at the entry point

    return timestamp()


def cmd_import(args: argparse.Namespace) -> int:
    from bot.schedule.importer import MAX_FILE_BYTES

    try:
        with args.file.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)  # bounded: a huge file is refused, never read whole
        if len(raw) > MAX_FILE_BYTES:
            raise ConfigError(f"{args.file} is larger than {MAX_FILE_BYTES // 1_000_000} MB, the limit for a "
                              "schedule file; split it. Nothing was imported.")
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"Cannot read {args.file}: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{args.file} is not UTF-8 text; save it as UTF-8 JSON. Nothing was imported.") from None
    return asyncio.run(run_import(text, database=args.database, dry_run=args.dry_run, now=_wall_clock_now()))


async def run_import(text: str, *, database: str | None, now: int, dry_run: bool = False, out=None) -> int:
    from bot.schedule.importer import ImportProblems, parse_file
    from bot.settings import load_settings
    from bot.store import Store

    out = out or sys.stdout
    try:
        plans = parse_file(text, now=now)
    except ImportProblems as exc:
        print(f"dramabot: the schedule file has {len(exc.problems)} problem(s); nothing was imported:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    store = Store(database or load_settings().database)
    await store.open()
    try:
        missing, ids = [], {}
        for plan in plans:
            row = await store.catalog.drama_by_slug(plan.slug)
            if row is None:
                missing.append(f"  {plan.place}.drama: no drama with slug {plan.slug!r} in the catalog")
            else:
                ids[plan.slug] = row["id"]
        if missing:
            print(f"dramabot: the schedule file has {len(missing)} problem(s); nothing was imported:", file=sys.stderr)
            for line in missing:
                print(line, file=sys.stderr)
            return 2
        if dry_run:
            print(f"{len(plans)} schedule(s) valid; nothing written (--dry-run).", file=out)
            return 0
        async with store.transaction() as conn:
            for plan in plans:
                counts = await store.schedule.replace_episodes_in(conn, ids[plan.slug], plan.episodes, now, by_hand=True)
                print(f"{plan.slug}: {len(plan.episodes)} episodes ({counts['added']} added, "
                      f"{counts['changed']} changed, {counts['removed']} removed)", file=out)
    finally:
        await store.close()
    return 0
