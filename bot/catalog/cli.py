"""``dramabot catalog build|import|export``: the owner's tools for the drama catalog (docs/catalog.md).

Invalid files print every problem with its place and exit 2 with nothing changed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from bot.catalog.io import MAX_CATALOG_BYTES, CatalogInvalid, load_and_validate, write_catalog_file


class ProgressBar:
    """A plain stderr progress bar (only drawn on a terminal, at most ~10 times a second)."""

    def __init__(self, label: str, stream=None, width: int = 30) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = int(self.width * done / total)
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done >= total else ""
        self.stream.write(f"\r{self.label} [{bar}] {100 * done // total:3d}%{end}")
        self.stream.flush()


def _database(args: argparse.Namespace) -> Path | str:
    if args.database:
        return args.database if args.database.startswith(("postgresql://", "postgres://")) else Path(args.database)
    from bot.settings import load_settings

    return load_settings().database


def cmd_build(args: argparse.Namespace) -> int:
    from bot.catalog.build import DEFAULT_AS_OF, build

    catalog = build(args.sources, args.out, as_of=args.as_of or DEFAULT_AS_OF)
    people = len(catalog["people"])
    print(f"wrote {args.out}: {len(catalog['dramas'])} dramas, {people} people")
    return 0


async def _import(path: Path, database: Path, quiet: bool, max_mb: int) -> dict[str, int]:
    from bot.store import Store

    catalog = load_and_validate(path, max_bytes=max_mb * 1_000_000)  # before touching the database at all
    async with Store(database) as store:
        bar = ProgressBar("importing") if not quiet else None
        return await store.catalog.apply_catalog(catalog, progress=bar)


def cmd_import(args: argparse.Namespace) -> int:
    try:
        counts = asyncio.run(_import(Path(args.file), _database(args), args.quiet, args.max_size))
    except CatalogInvalid as exc:
        print(f"dramabot: {args.file}: nothing was imported; {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    print(f"imported {args.file}: {counts['dramas']} dramas, {counts['people']} people")
    return 0


async def _export(path: Path, database: Path) -> dict:
    from bot.store import Store

    async with Store(database) as store:
        catalog = await store.catalog.export_catalog()
    write_catalog_file(catalog, path)
    return catalog


def cmd_export(args: argparse.Namespace) -> int:
    database = _database(args)
    if not database.is_file():
        from bot.errors import ConfigError

        raise ConfigError(f"{database} does not exist; nothing to export (use --database PATH).")
    catalog = asyncio.run(_export(Path(args.file), database))
    print(f"exported {len(catalog['dramas'])} dramas, {len(catalog['people'])} people to {args.file}")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("catalog", help="build, import or export the drama catalog")
    csub = p.add_subparsers(dest="catalog_command", required=True)

    b = csub.add_parser("build", help="build the starter catalog from the source CSV files")
    b.add_argument("sources", help="folder with the four source CSV files (see docs/catalog.md)")
    b.add_argument("--out", default="data/catalog.json.gz", help="output file (.json or .json.gz)")
    b.add_argument("--as-of", help="date (YYYY-MM-DD) used to compute each drama's status")
    b.set_defaults(func=cmd_build)

    i = csub.add_parser("import", help="validate a catalog file, then add/update its dramas (all or nothing)")
    i.add_argument("file", help="a .json or .json.gz catalog file")
    i.add_argument("--database", help="database file (default: DATABASE_PATH)")
    i.add_argument("--quiet", action="store_true", help="no progress bar")
    i.add_argument("--max-size", type=int, default=MAX_CATALOG_BYTES // 1_000_000, metavar="MB",
                   help="refuse files with more JSON than this, after unpacking (default: %(default)s MB)")
    i.set_defaults(func=cmd_import)

    e = csub.add_parser("export", help="write the whole catalog to a file (.json or .json.gz)")
    e.add_argument("file", help="the file to write")
    e.add_argument("--database", help="database file (default: DATABASE_PATH)")
    e.set_defaults(func=cmd_export)

    m = csub.add_parser("merge", help="merge a duplicate drama into another (follows, polls, reminders, credits, "
                                      "aliases move to the kept one)")
    m.add_argument("keep", help="slug of the drama to keep")
    m.add_argument("drop", help="slug of the duplicate to merge into it (then deleted)")
    m.add_argument("--database", help="database file (default: DATABASE_PATH)")
    m.set_defaults(func=cmd_merge)


def cmd_merge(args: argparse.Namespace) -> int:
    return asyncio.run(_merge(args))


async def _merge(args: argparse.Namespace) -> int:
    import discord

    from bot.store import Store

    async with Store(_database(args)) as store:
        keep = await store.catalog.drama_by_slug(args.keep)
        drop = await store.catalog.drama_by_slug(args.drop)
        missing = [s for s, row in ((args.keep, keep), (args.drop, drop)) if row is None]
        if missing or args.keep == args.drop:
            print(f"error: {'no drama with the slug ' + ', '.join(missing) if missing else 'give two different slugs'}.",
                  file=sys.stderr)
            return 2
        now = int(discord.utils.utcnow().timestamp())
        await store.sources.merge(keep["id"], drop["id"], schedule=store.schedule, now=now)
    print(f"Merged {args.drop} into {args.keep}: its follows, polls, reminders, credits and names moved; "
          f"{args.drop} is gone.")
    return 0
