"""Benchmark: the PostgreSQL backend and a cluster of processes on it.

1. Durable votes on PostgreSQL (fsync on, synchronous_commit on): the polls bench's open-loop burst of clicks
   on ONE poll, from 1 process and from 2 processes voting into the same poll (each its own pool and group
   commit; batches lock the poll row, so counts stay exact).
2. Due-selection per announcer tick at 100k episodes x 10k follows on PostgreSQL (the schedule bench's data).

A throwaway PostgreSQL server is started in a temp directory (tests/pgserver.py) and removed afterwards.

    python bench/bench_cluster.py [--rate 6000] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_memory, bench_polls, bench_schedule  # noqa: E402
from bench._machine import machine  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.pgserver import PgServer  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "cluster.md"


def _vote_process(url: str, rate: int, seconds: float, voters: int, poll_id: int, offset: int, queue) -> None:
    queue.put(asyncio.run(bench_polls.run(rate, seconds, voters, 4, target=url, poll_id=poll_id,
                                          voter_offset=offset)))


async def make_poll(url: str) -> int:
    from datetime import timedelta

    from bot.polls import rules
    from bot.polls.model import NewPoll

    async with Store(url) as store:
        start = bench_polls.wall()
        poll = await store.polls.create(NewPoll(
            guild_id=1, channel_id=2, creator_id=3, question="Season 2?",
            options=rules.parse_options("a | b | c | d"), created_at=start, closes_at=start + timedelta(hours=1)))
        await store.polls.set_message(poll.id, 99)
        return poll.id


def votes(server: PgServer, rate: int, seconds: float, processes: int) -> dict:
    server.sql(f"CREATE DATABASE votes_{processes}")
    url = server.url(f"votes_{processes}")
    poll_id = asyncio.run(make_poll(url))
    queue: multiprocessing.Queue = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_vote_process,
                                     args=(url, rate // processes, seconds, 25_000, poll_id, i * 1_000_000, queue))
             for i in range(processes)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    clicks = sum(r["clicks"] for r in results)
    wall_s = max(r["seconds"] for r in results)
    return {"processes": processes, "clicks": clicks, "throughput": clicks / wall_s,
            "p50": max(r["p50"] for r in results), "p99": max(r["p99"] for r in results),
            "batches": sum(r["batches"] for r in results), "stored": results[0]["stored_rows"],
            "edit_gap": min((r["min_edit_gap"] for r in results if r["min_edit_gap"]), default=None),
            "sync": results[0]["synchronous"]}


async def due_selection(url: str) -> tuple[str, float, float, float, float]:
    async with Store(url) as store:
        t = time.perf_counter()
        await bench_schedule.build(store)
        build_s = time.perf_counter() - t
        counts = await store.fetchone("SELECT (SELECT count(*) FROM episodes) e, (SELECT count(*) FROM follows) f,"
                                      " (SELECT count(*) FROM deliveries) d")
        await store.write("UPDATE deliveries SET state = 'sent' WHERE due_at < ?", (bench_schedule.NOW + 150 * 86400,))
        await store.scalar("ANALYZE deliveries")
        rng = random.Random(1)
        instants = [bench_schedule.NOW + 150 * 86400 + rng.randrange(0, 6 * 3600) for _ in range(2000)]

        async def due_random():
            await store.schedule.due(instants.pop(), 50)

        due_mean, due_p99 = await bench_schedule.time_calls(due_random, 2000)
        idle_mean, idle_p99 = await bench_schedule.time_calls(
            lambda: store.schedule.due(bench_schedule.NOW + 150 * 86400 - 10, 50), 2000)
        data = (f"{counts['e']:,} episodes, {counts['f']:,} follows, {counts['d']:,} delivery rows "
                f"(built in {build_s:.0f} s)")
        return data, due_mean, due_p99, idle_mean, idle_p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=6000, help="clicks per second offered in all (open loop)")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--skip-due", action="store_true", help="only the vote figures")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    server = PgServer(durable=True).start()
    try:
        one = votes(server, args.rate, args.seconds, 1)
        two = votes(server, args.rate, args.seconds, 2)
        lines = [
            "# PostgreSQL and clusters (bench/bench_cluster.py)\n",
            f"Machine: {machine()}; PostgreSQL 15 on the same machine (Unix socket), fsync on, synchronous_commit "
            f"= {one['sync']}: a vote is acknowledged after its batch's commit is on disk. Load average "
            f"{load:.1f} at the start (the machine is shared with other work).\n",
            "## Durable votes into one poll (open loop)\n",
            "| processes | offered | clicks | votes/s | p50 | p99 | batches | rows stored |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in (one, two):
            lines.append(f"| {r['processes']} | {args.rate}/s | {r['clicks']:,} | {r['throughput']:,.0f} | "
                         f"{r['p50']:.1f} ms | {r['p99']:.1f} ms | {r['batches']:,} | {r['stored']:,} |")
        lines.append("\nTargets: >= 5,000 votes/s with 2 processes, p99 <= 50 ms. Each process group-commits its "
                     "clicks; the two processes' batches take turns on the poll's row lock.\n")
        if not args.skip_due:
            server.sql("CREATE DATABASE schedule")
            data, dm, dp, im, ip = asyncio.run(due_selection(server.url("schedule")))
            lines += ["## Due-selection per announcer tick\n", f"Data: {data}.\n",
                      "| query | mean | p99 |", "|---|---|---|",
                      f"| due(now, limit 50), rows due | {dm:.3f} ms | {dp:.3f} ms |",
                      f"| due(now), nothing due | {im:.3f} ms | {ip:.3f} ms |",
                      "\nTarget: <= 1 ms per tick (the partial index deliveries_due; asyncpg round trip included).\n"]
    finally:
        server.stop()
    text = "\n".join(lines)
    previous = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    memory = previous.partition("\n" + bench_memory.HEADING)  # bench_memory.py's section stays
    OUT.write_text(text + "\n" + (memory[1] + memory[2] if memory[1] else ""))
    print(text)


if __name__ == "__main__":
    main()
