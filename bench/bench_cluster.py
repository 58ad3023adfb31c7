"""Benchmark: the PostgreSQL backend and a cluster of processes on it.

1. Durable votes on PostgreSQL (fsync on, synchronous_commit on): the polls bench's open-loop burst of clicks
   on ONE poll, from 1 process and from 2 processes voting into the same poll (each its own pool and group
   commit; batches lock the poll row, so counts stay exact).
2. Due-selection per announcer tick at 100k episodes x 10k follows on PostgreSQL (the schedule bench's data).

A throwaway PostgreSQL server is started in a temp directory (tests/pgserver.py) and removed afterwards.

    python bench/bench_cluster.py [--rate 6000] [--seconds 5] [--runs 3] [--skip-due]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_memory, bench_polls, bench_schedule  # noqa: E402
from bench._machine import machine  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.pgserver import PgServer  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "cluster.md"
VOTERS = 5_000  # distinct members per process: each clicks several times, changing their vote


def _vote_process(url: str, rate: int, seconds: float, voters: int, poll_id: int, offset: int, queue) -> None:
    queue.put(asyncio.run(bench_polls.run(rate, seconds, voters, 4, target=url, poll_id=poll_id,
                                          voter_offset=offset)))


async def server_settings(url: str, names: tuple[str, ...]) -> dict[str, str]:
    """What the server really runs with (the durability the figures were measured under)."""
    conn = await asyncpg.connect(url)
    try:
        return {name: await conn.fetchval(f"SHOW {name}") for name in names}
    finally:
        await conn.close()


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


def votes(server: PgServer, rate: int, seconds: float, processes: int, run: int) -> dict:
    """One run: ``processes`` processes voting into one new poll, ``rate`` clicks/s offered in all."""
    name = f"votes_{processes}_{run}"
    server.sql(f"CREATE DATABASE {name}")
    url = server.url(name)
    poll_id = asyncio.run(make_poll(url))
    queue: multiprocessing.Queue = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_vote_process,
                                     args=(url, rate // processes, seconds, VOTERS, poll_id, i * 1_000_000, queue))
             for i in range(processes)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    server.sql(f"DROP DATABASE {name}")
    clicks = sum(r["clicks"] for r in results)
    # Voters of different processes are numbered apart: every distinct voter must hold exactly one row.
    voters = sum(min(r["clicks"], VOTERS) for r in results)
    if results[0]["stored_rows"] != voters:
        raise SystemExit(f"votes lost or counted twice: {results[0]['stored_rows']} rows for {voters} voters")
    latencies = sorted(x for r in results for x in r["latencies"])  # every click of every process

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    batches = sum(r["batches"] for r in results)
    return {"processes": processes, "run": run + 1, "clicks": clicks, "throughput": clicks / max(r["seconds"] for r in results),
            "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99), "max": latencies[-1] * 1000,
            "batches": batches, "per_batch": clicks / batches, "stored": results[0]["stored_rows"],
            "sync": results[0]["synchronous"], "load": os.getloadavg()[0], "edits": sum(r["edits"] for r in results),
            "edit_gap": _smallest_gap(sorted(t for r in results for t in r["edit_times"]))}  # between all processes


def _smallest_gap(times: list[float]) -> float | None:
    return min((b - a for a, b in zip(times, times[1:], strict=False)), default=None)


async def due_selection(url: str, rounds: int) -> tuple[str, list[tuple[float, ...]]]:
    """Build the schedule bench's outbox once, then ``rounds`` rounds of 2,000 ticks of each kind."""
    async with Store(url) as store:
        t = time.perf_counter()
        await bench_schedule.build(store)
        build_s = time.perf_counter() - t
        counts = await store.fetchone("SELECT (SELECT count(*) FROM episodes) e, (SELECT count(*) FROM follows) f,"
                                      " (SELECT count(*) FROM deliveries) d")
        await store.write("UPDATE deliveries SET state = 'sent' WHERE due_at < ?", (bench_schedule.NOW + 150 * 86400,))
        await store.scalar("ANALYZE deliveries")
        rng = random.Random(1)
        timings, found = [], []
        for _ in range(rounds):
            instants = [bench_schedule.NOW + 150 * 86400 + rng.randrange(0, 6 * 3600) for _ in range(2000)]

            async def due_random(instants=instants):
                found.append(len(await store.schedule.due(instants.pop(), 50)))

            due = await bench_schedule.time_calls(due_random, 2000)
            idle = await bench_schedule.time_calls(lambda: store.schedule.due(bench_schedule.NOW + 150 * 86400 - 10, 50), 2000)
            upcoming = await bench_schedule.time_calls(store.schedule.next_due_at, 2000)
            timings.append((*due, *idle, *upcoming, os.getloadavg()[0]))
        data = (f"{counts['e']:,} episodes, {counts['f']:,} follows, {counts['d']:,} delivery rows "
                f"(built in {build_s:.0f} s); rows due per tick: {statistics.fmean(found):.1f} on average")
        return data, timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=6000, help="clicks per second offered in all (open loop)")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3, help="runs of each figure (the machine may be shared)")
    parser.add_argument("--skip-due", action="store_true", help="only the vote figures")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    server = PgServer(durable=True).start()
    try:
        settings = asyncio.run(server_settings(server.url("postgres"), ("fsync", "synchronous_commit", "full_page_writes")))
        runs = [votes(server, args.rate, args.seconds, processes, run)
                for run in range(args.runs) for processes in (1, 2)]
        lines = [
            "# PostgreSQL and clusters (bench/bench_cluster.py)\n",
            f"Machine: {machine()}; PostgreSQL 15 on the same machine (Unix socket), fsync = {settings['fsync']}, "
            f"synchronous_commit = {settings['synchronous_commit']}, full_page_writes = "
            f"{settings['full_page_writes']}: a vote is acknowledged after its batch's commit is on disk. Load "
            f"average {load:.1f} at the start; the machine is shared with other sessions' test runs, so each "
            f"figure is measured {args.runs} times (load average after each run shown).\n",
            "## Durable votes into one poll (open loop)\n",
            f"Each run: a new poll, {args.rate:,} clicks/s offered in all for {args.seconds:.0f} s (split evenly over "
            f"the processes), {VOTERS:,} voters per process who keep changing their vote (every click after a "
            "voter's first moves their vote: a real DELETE + INSERT); latency = one click's "
            "bot-side path until its batch's COMMIT returned, percentiles over the clicks of all processes.\n",
            "| processes | run | clicks | votes/s | p50 | p95 | p99 | max | votes per commit | rows = voters | "
            "message edits | smallest edit gap | load |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in sorted(runs, key=lambda r: r["processes"]):
            lines.append(f"| {r['processes']} | {r['run']} | {r['clicks']:,} | {r['throughput']:,.0f} | "
                         f"{r['p50']:.1f} ms | {r['p95']:.1f} ms | {r['p99']:.1f} ms | {r['max']:.0f} ms | "
                         f"{r['per_batch']:.0f} | {r['stored']:,} | {r['edits']} | "
                         f"{'-' if r['edit_gap'] is None else format(r['edit_gap'], '.2f') + ' s'} | {r['load']:.1f} |")
        for processes in (1, 2):
            best = min((r for r in runs if r["processes"] == processes), key=lambda r: r["p99"])
            lines.append(f"\nBest of {args.runs} with {processes} process{'es' if processes > 1 else ''}: "
                         f"{best['throughput']:,.0f} votes/s, p99 {best['p99']:.1f} ms.")
        lines.append("\nTargets: >= 5,000 votes/s with 2 processes, p99 <= 50 ms; <= 1 message edit per 2 s per poll "
                     "between all processes (each edit claims the poll's stored edit slot; the gap is measured "
                     "between the edits of all processes). Each process group-commits its clicks; the two "
                     "processes' batches take turns on the poll's row lock.\n")
        if not args.skip_due:
            server.sql("CREATE DATABASE schedule")
            data, timings = asyncio.run(due_selection(server.url("schedule"), args.runs))
            lines += ["## Due-selection per announcer tick\n", f"Data: {data}.\n",
                      "2,000 ticks of each kind per run; ms as mean / median / p99.\n",
                      "| run | due(now, limit 50), rows due | due(now), nothing due | next_due_at() | load |",
                      "|---|---|---|---|---|"]
            for n, t in enumerate(timings, start=1):
                lines.append(f"| {n} | {t[0]:.3f} / {t[1]:.3f} / {t[2]:.3f} | {t[3]:.3f} / {t[4]:.3f} / {t[5]:.3f} | "
                             f"{t[6]:.3f} / {t[7]:.3f} / {t[8]:.3f} | {t[9]:.1f} |")
            lines.append("\nTarget: <= 1 ms per tick (asyncpg round trips through the pool included).\n")
    finally:
        server.stop()
    text = "\n".join(lines)
    previous = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    memory = previous.partition("\n" + bench_memory.HEADING)  # bench_memory.py's section stays
    OUT.write_text(text + "\n" + (memory[1] + memory[2] if memory[1] else ""))
    print(text)


if __name__ == "__main__":
    main()
