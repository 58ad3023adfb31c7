"""Benchmark: memory per 1,000 servers and start-up time to ready with 10,000 servers, in one process.

The real bot (``bot.create_bot`` with real settings on a temp SQLite store) is set up as at start-up
(``setup_hook``: store open, cogs loaded; command sync off, no network), then its discord.py connection state
is fed what the gateway would send: READY (shard 0 of 1, every server unavailable) and one Discord-shaped
GUILD_CREATE per server (20 channels, 15 roles, a few members) through ``parse_guild_create``, the gateway's
dispatch path. Ready is discord.py's ``ready`` event: it fires ``guild_ready_timeout`` (2 s) after the last
GUILD_CREATE, once every ``on_guild_available`` listener has run. ``bot.start``/``login`` are never called.

Memory: VmRSS of the process (after ``gc.collect()``) at 1,000 / 5,000 / 10,000 servers; then tracemalloc
counts the Python objects retained by 1,000 more servers.

    python bench/bench_memory.py [--servers 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._machine import machine  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "cluster.md"
BASE = 1_100_000_000_000_000_000  # a 2023-era snowflake
CHANNELS, ROLES, MEMBERS = 20, 15, 5
HEADING = "## Memory per server and start-up"  # this bench's section of cluster.md (bench_cluster.py keeps it)
BOT_ID = BASE - 1


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def snowflake(n: int) -> str:
    return str(BASE + (n << 22))


def user(uid: str, name: str) -> dict:
    return {"id": uid, "username": name, "discriminator": "0", "global_name": name.title(), "avatar": None}


def guild_payload(i: int) -> dict:
    """A GUILD_CREATE as Discord sends it to a bot without the members/presences intents."""
    gid = snowflake(i * 1000)
    roles = [{"id": gid, "name": "@everyone", "color": 0, "hoist": False, "position": 0,
              "permissions": "1071698660929", "managed": False, "mentionable": False, "flags": 0}]
    roles += [{"id": snowflake(i * 1000 + 100 + r), "name": f"role {r}", "color": 0x3498DB, "hoist": r < 3,
               "position": r + 1, "permissions": "1071698660929", "managed": False, "mentionable": False,
               "flags": 0} for r in range(ROLES - 1)]
    channels = [{"id": snowflake(i * 1000 + 1), "type": 4, "name": "Dramas", "position": 0,
                 "permission_overwrites": []}]
    channels += [{"id": snowflake(i * 1000 + 2 + c), "type": 0 if c % 5 else 2, "name": f"channel-{c}",
                  "position": c + 1, "parent_id": snowflake(i * 1000 + 1), "topic": "Episode talk, no spoilers",
                  "nsfw": False, "rate_limit_per_user": 0, "last_message_id": None, "bitrate": 64000,
                  "user_limit": 0, "permission_overwrites": [
                      {"id": gid, "type": 0, "allow": "0", "deny": "2048"},
                      {"id": roles[1 + c % (ROLES - 1)]["id"], "type": 0, "allow": "2048", "deny": "0"}]}
                 for c in range(CHANNELS - 1)]
    members = [{"user": user(str(BOT_ID), "dramabot") | {"bot": True}, "roles": [roles[1]["id"]],
                "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False, "mute": False, "flags": 0}]
    members += [{"user": user(snowflake(i * 1000 + 500 + m), f"fan{i}_{m}"), "roles": [roles[2]["id"]],
                 "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False, "mute": False, "flags": 0}
                for m in range(MEMBERS - 1)]
    return {
        "id": gid, "name": f"K-drama club {i}", "icon": None, "splash": None, "discovery_splash": None,
        "owner_id": members[1]["user"]["id"], "afk_channel_id": None, "afk_timeout": 300,
        "verification_level": 1, "default_message_notifications": 1, "explicit_content_filter": 2,
        "roles": roles, "emojis": [], "stickers": [], "features": ["COMMUNITY"], "mfa_level": 0,
        "application_id": None, "system_channel_id": channels[1]["id"], "system_channel_flags": 0,
        "rules_channel_id": None, "max_members": 500000, "vanity_url_code": None, "description": None,
        "banner": None, "premium_tier": 0, "premium_subscription_count": 0, "preferred_locale": "en-US",
        "public_updates_channel_id": None, "nsfw_level": 0, "premium_progress_bar_enabled": False,
        "joined_at": "2026-01-01T00:00:00+00:00", "large": False, "unavailable": False,
        "member_count": 120, "voice_states": [], "members": members, "channels": channels, "threads": [],
        "presences": [], "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
    }


async def run(servers: int, checkpoints: tuple[int, ...]) -> dict:
    from bot import create_bot
    from bot.settings import load_settings

    os.environ.setdefault("SOURCES", "none")  # no live provider: this bench never reaches the network
    tmp = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    gc.collect()
    out: dict = {"rss_start": rss_mb()}
    t0 = time.perf_counter()
    bot = create_bot(tmp / "bench.db", settings=load_settings(dotenv=False))
    bot.auto_sync = False  # syncing commands is an HTTP call; everything else in setup_hook runs
    await bot._async_setup_hook()  # what login() does before setup_hook: the loop and the ready event
    await bot.setup_hook()
    t_setup = time.perf_counter()
    state = bot._connection
    state.shard_count, state.shard_ids = 1, [0]
    gc.collect()
    out["rss_setup"] = rss_mb()
    state.parse_ready({"v": 10, "user": user(str(BOT_ID), "dramabot") | {"bot": True},
                       "guilds": [{"id": snowflake(i * 1000), "unavailable": True} for i in range(servers)],
                       "session_id": "bench", "shard": [0, 1],
                       "application": {"id": str(BOT_ID), "flags": 0}})
    out["rss"] = {}
    for i in range(servers):
        state.parse_guild_create(guild_payload(i))
        if i % 50 == 49:
            await asyncio.sleep(0)  # the gateway reads one frame at a time; let listeners run
        if i + 1 in checkpoints:
            gc.collect()
            out["rss"][i + 1] = rss_mb()
    t_ingested = time.perf_counter()
    await asyncio.wait_for(bot.wait_until_ready(), timeout=600)
    t_ready = time.perf_counter()
    gc.collect()
    out["rss_ready"] = rss_mb()
    out["guilds"] = len(bot.guilds)
    out["cached_members"] = sum(len(g.members) for g in bot.guilds)
    out["channels"] = sum(len(g.channels) for g in bot.guilds)
    out["roles"] = sum(len(g.roles) for g in bot.guilds)
    out["stored_at_ready"] = len(await bot.store.guilds.present_ids())
    # The listeners (on_guild_available, on_ready) run as tasks: wait until every server is in the store.
    for _ in range(6000):  # polls the store (no event to wait on), at most 5 minutes
        if len(await bot.store.guilds.present_ids()) >= servers:
            break
        await asyncio.sleep(0.05)
    t_settled = time.perf_counter()
    out["stored_guilds"] = len(await bot.store.guilds.present_ids())
    out["t_settled"] = t_settled - t0
    out["t_setup"] = t_setup - t0
    out["t_ingest"] = t_ingested - t_setup
    out["t_ready"] = t_ready - t0
    out["ready_timeout"] = state.guild_ready_timeout

    # Python objects retained by 1,000 more servers (they arrive after ready, as joins).
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for i in range(servers, servers + 1000):
        state.parse_guild_create(guild_payload(i))
        if i % 50 == 49:
            await asyncio.sleep(0)
    for _ in range(20):
        await asyncio.sleep(0.05)  # let the joins' listeners finish
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    stats = after.compare_to(before, "filename")
    out["traced_1000"] = sum(s.size_diff for s in stats) / 1024 / 1024
    out["top"] = [(Path(s.traceback[0].filename).name, s.size_diff / 1024 / 1024) for s in stats[:6]]
    await bot.close()
    return out


def report(r: dict, servers: int) -> str:
    load = os.getloadavg()
    ks = sorted(r["rss"])
    rows = "\n".join(f"| {k:,} | {r['rss'][k]:.0f} MB | {r['rss'][k] - r['rss_setup']:.0f} MB | "
                     f"{(r['rss'][k] - r['rss_setup']) / k * 1000:.1f} MB |" for k in ks)
    top = ", ".join(f"{name} {mb:.1f} MB" for name, mb in r["top"])
    per_1000 = (r["rss"][ks[-1]] - r["rss_setup"]) / ks[-1] * 1000
    verdict = "met" if per_1000 <= 50 else "NOT met"
    return f"""
{HEADING} with {servers:,} servers (bench/bench_memory.py)

Machine: {machine()}; shared with other sessions' work, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}
(1 / 5 / 15 min) when the run ended. One process: the real bot (SQLite store, every cog loaded; command sync
and the live sources off, no network), fed READY and {servers:,} Discord-shaped GUILD_CREATEs through discord.py's
`parse_guild_create`, each server with {CHANNELS} channels, {ROLES} roles and {MEMBERS} members in the payload.
No member cache and no chunking (bot/client.py): {r['cached_members']:,} members cached over {r['guilds']:,}
servers (the bot's own member in each), {r['channels']:,} channels and {r['roles']:,} roles cached.

| servers | RSS | growth since start-up | per 1,000 servers |
|---|---|---|---|
{rows}

RSS after setup_hook (store open, cogs loaded): {r['rss_setup']:.0f} MB (interpreter + discord.py + bot: {r['rss_start']:.0f} MB
before the bot was built). Python objects retained by 1,000 more servers (tracemalloc): {r['traced_1000']:.1f} MB;
largest by file: {top}.
Target: <= 50 MB per 1,000 servers: **{verdict}** ({per_1000:.1f} MB).

Start-up to ready with {servers:,} servers: **{r['t_ready']:.1f} s** = setup_hook {r['t_setup']:.2f} s + ingesting
the GUILD_CREATEs {r['t_ingest']:.2f} s + the rest until discord.py's `ready` ({r['t_ready'] - r['t_setup'] - r['t_ingest']:.2f} s,
of which {r['ready_timeout']:.0f} s is discord.py's `guild_ready_timeout` after the last GUILD_CREATE; this wait also runs
the listeners' first steps). The `on_guild_available` / `on_ready` listeners run as tasks: {r['stored_at_ready']:,} servers were
recorded in the store at ready, all {r['stored_guilds']:,} at {r['t_settled']:.1f} s from start.
Not included: the network (login, gateway connect, Discord's pace of sending GUILD_CREATEs, command sync).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="print only; do not append to cluster.md")
    args = parser.parse_args()
    checkpoints = tuple(k for k in (1_000, 5_000, 10_000) if k < args.servers) + (args.servers,)
    result = asyncio.run(run(args.servers, checkpoints))
    text = report(result, args.servers)
    print(text)
    if not args.no_write:  # replace this bench's previous section, keep the rest of cluster.md
        previous = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        OUT.write_text(previous.split("\n" + HEADING)[0].rstrip("\n") + "\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
