"""``dramabot sources sync|status|link|unlink|review|release``: the owner's tools for live data (docs/sources.md).

Provider trouble is reported in one line per problem, never as a traceback; the exit code is 1 when a sync
finished with errors, 2 for bad input (an unknown slug, SOURCES=none for a sync).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from bot.catalog.cli import ProgressBar
from bot.errors import ConfigError

# The providers whose show ids an owner can link, as the review names them.
PROVIDER_NAMES = {"tvmaze": "TVmaze", "tmdb": "TMDB"}


def _settings():
    from bot.settings import load_settings

    return load_settings()


def _now() -> int:
    import discord

    return int(discord.utils.utcnow().timestamp())


def _iso() -> str:
    import discord

    return discord.utils.utcnow().isoformat(timespec="seconds")


async def _open(args):
    from bot.store import Store

    settings = _settings()
    store = Store(args.database or settings.database)
    await store.open()
    return settings, store


async def _drama(store, slug: str):
    row = await store.catalog.drama_by_slug(slug)
    if row is None:
        raise ConfigError(f"No drama with the slug {slug!r}; `dramabot ask` or /drama search shows slugs.")
    return row


@contextlib.asynccontextmanager
async def _syncer(args, purpose: str):
    """The store and a Syncer over the configured providers, all closed afterwards; SOURCES=none refuses."""
    from bot.sources.providers import enricher_for, provider_for
    from bot.sources.sync import Syncer

    settings, store = await _open(args)
    provider = provider_for(settings)
    enricher = enricher_for(settings, store)
    try:
        if provider is None:
            raise ConfigError(f"SOURCES=none: live data is off. Set SOURCES=tvmaze to {purpose}.")
        yield store, Syncer(store, provider, clock=_now, days_ahead=settings.sync_days_ahead, enricher=enricher)
    finally:
        if provider is not None:
            await provider.client.close()
        if enricher is not None:
            await enricher.tmdb.client.close()
        await store.close()


async def _sync(args) -> int:
    async with _syncer(args, "sync") as (store, syncer):
        bar = ProgressBar("sync")
        if args.drama:
            drama = await _drama(store, args.drama)
            show = await store.sources.show_of_slug(syncer.name, drama["slug"])
            if show is None:
                raise ConfigError(f"{drama['slug']} is not linked to {syncer.name}; `dramabot sources link` first.")
            report = await syncer.refresh_many([show])
        else:
            report = await syncer.discover(days=args.days, progress=lambda done, total, _label: bar(done, total))
            updates = await syncer.updates()
            report.errors += updates.errors
            report.add({k: getattr(updates, k) for k in ("shows", "episodes_added", "episodes_changed", "cancelled")})
        print(f"{report.shows} shows refreshed: {report.created} new dramas, {report.linked} linked, "
              f"{report.merged} duplicates merged, {report.ambiguous} ambiguous (see `dramabot sources review`); "
              f"episodes +{report.episodes_added} added, {report.episodes_changed} changed, {report.cancelled} cancelled.")
        for error in report.errors[:20]:
            print(f"  problem: {error}", file=sys.stderr)
        return 1 if report.errors else 0


async def _status(args) -> int:
    from bot.sources.report import status_lines

    settings, store = await _open(args)
    try:
        print("\n".join(await status_lines(store, settings)))
        return 0
    finally:
        await store.close()


async def _link(args) -> int:
    if args.all:
        return await _link_all(args)
    if not (args.slug and args.show_id):
        raise ConfigError("Usage: dramabot sources link SLUG SHOW_ID, or dramabot sources link --all")
    settings, store = await _open(args)
    try:
        drama = await _drama(store, args.slug)
        name = PROVIDER_NAMES[args.provider]
        if not args.show_id.isdigit():
            raise ConfigError(f"The {name} show id is a number (the digits in its page's address).")
        await store.sources.set_link(args.provider, args.show_id, drama["id"], method="owner", confidence=1.0,
                                     now=_iso())
        print(f"{drama['slug']} is linked to {name} show {args.show_id}; the next sync refreshes it.")
        return 0
    finally:
        await store.close()


async def _link_all(args) -> int:
    """The bulk linking pass over the whole catalog (resumable: a second run goes on where the first stopped)."""
    from bot.sources.bulk import BulkLinker

    async with _syncer(args, "link the catalog") as (_store, syncer):
        if args.limit is not None and args.limit < 1:
            raise ConfigError("--limit is a number of dramas, 1 or more.")
        linker = BulkLinker(syncer)
        bar = ProgressBar("link")
        report = await linker.run(limit=args.limit, progress=bar)
        print(f"{report.looked} dramas looked up ({report.calls} calls): {report.linked} linked, "
              f"{report.ambiguous} ambiguous (see `dramabot sources review`), {report.none} not found, "
              f"{len(report.errors)} failed; {report.left} left to look up.")
        for error in report.errors[:20]:
            print(f"  problem: {error}", file=sys.stderr)
        return 1 if report.errors else 0


async def _unlink(args) -> int:
    settings, store = await _open(args)
    try:
        drama = await _drama(store, args.slug)
        n = await store.sources.unlink(args.provider, drama["id"], _iso())
        print(f"{drama['slug']}: {'unlinked; the sync will not link that show to it again' if n else 'was not linked'}.")
        return 0
    finally:
        await store.close()


async def _review(args) -> int:
    settings, store = await _open(args)
    try:
        waiting = 0
        for provider, name in PROVIDER_NAMES.items():  # TMDB's discovery can leave shows waiting too
            rows = await store.sources.ambiguous(provider)
            waiting += len(rows)
            current = None
            for r in rows:
                if r["show_id"] != current:
                    current = r["show_id"]
                    print(f"{name} show {current} ({r['show_title'] or '?'}) could be:")
                print(f"  {r['slug']}  ({r['title']}, {r['year'] or '?'}, {r['network'] or '?'};"
                      f" score {r['confidence']:.2f})")
            if rows:
                flag = "" if provider == "tvmaze" else f" --provider {provider}"
                print(f"Pick one with `dramabot sources link SLUG SHOW_ID{flag}`.")
        if not waiting:
            print("No ambiguous show is waiting.")
        return 0
    finally:
        await store.close()


async def _release(args) -> int:
    settings, store = await _open(args)
    try:
        drama = await _drama(store, args.slug)
        done = await store.sources.release(drama["id"])
        print(f"{drama['slug']}: " + ("schedule handed back to the sync." if done else "its schedule was not held."))
        return 0
    finally:
        await store.close()


def _runner(fn):
    def run(args: argparse.Namespace) -> int:
        try:
            return asyncio.run(fn(args))
        except KeyboardInterrupt:  # Ctrl-C: every drama or show written so far is committed
            print("\nStopped; what was done so far is saved. Run it again to go on.", file=sys.stderr)
            return 1
    return run


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sources", help="live drama data from TVmaze: sync, status, links")
    s = p.add_subparsers(dest="sources_command", required=True)
    c = s.add_parser("sync", help="discover this week's Korean dramas and refresh linked ones now")
    c.add_argument("--days", type=int, help="days ahead to look (default: SYNC_DAYS_AHEAD)")
    c.add_argument("--drama", help="refresh only this drama (its slug)")
    c.set_defaults(func=_runner(_sync))
    c = s.add_parser("status", help="last successful syncs, calls, errors, linked/unlinked/ambiguous counts")
    c.set_defaults(func=_runner(_status))
    c = s.add_parser("link", help="link a catalog drama to a TVmaze show id, or (--all) look up every unlinked one")
    c.add_argument("slug", nargs="?", help="the drama's slug")
    c.add_argument("show_id", nargs="?", help="the TVmaze show id")
    c.add_argument("--all", action="store_true",
                   help="look up every unlinked catalog drama (resumable; followed and recent ones first)")
    c.add_argument("--limit", type=int, help="with --all: look up at most this many dramas this run")
    c.add_argument("--provider", choices=tuple(PROVIDER_NAMES), default="tvmaze",
                   help="whose show id it is (default: tvmaze)")
    c.set_defaults(func=_runner(_link))
    c = s.add_parser("unlink", help="remove a drama's link to a show (the sync will not relink it)")
    c.add_argument("slug", help="the drama's slug")
    c.add_argument("--provider", choices=tuple(PROVIDER_NAMES), default="tvmaze",
                   help="which provider's link (default: tvmaze)")
    c.set_defaults(func=_runner(_unlink))
    c = s.add_parser("review", help="list the shows waiting for an owner's pick")
    c.set_defaults(func=_runner(_review))
    c = s.add_parser("release", help="hand a drama's hand-edited schedule back to the sync")
    c.add_argument("slug", help="the drama's slug")
    c.set_defaults(func=_runner(_release))
    for parser in s.choices.values():
        parser.add_argument("--database", help="database file (default: DATABASE_PATH)")
