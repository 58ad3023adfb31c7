"""Benchmark: a burst of concurrent vote clicks on ONE poll, bot-side.

Each simulated click runs what ``cogs.polls.Polls.on_click`` does minus the Discord I/O: read the
poll (cached), check it is open, build the ``VoteOp`` (voter key), ``await store.polls.vote(op)``
(group commit: returns only after the COMMIT that holds the vote) and mark the poll dirty in the
real :class:`EditThrottle`. A flusher coroutine, like ``cogs/_poll_edits.py``'s 1-second ``tasks.loop``, asks
the throttle which polls may try, re-renders the tally from SQL and claims the poll's stored edit slot
(``store.polls.claim_edit``) before each message edit, as the bot does.

Open loop: clicks arrive at a fixed rate regardless of how fast earlier ones finish, so latency
includes queueing. Durable: WAL + synchronous=FULL, as the bot runs (the WAL is fsynced at each
commit, so a committed vote survives a power cut; group commit pays one fsync per batch; see
tests/unit/test_polls_store.py for the kill -9 test).

    python bench/bench_polls.py [--rate 6000] [--seconds 5] [--voters 50000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._machine import machine  # noqa: E402
from bot.clock import utcnow  # noqa: E402
from bot.polls import ballot as ballots  # noqa: E402
from bot.polls import rules  # noqa: E402
from bot.polls.ballot import VoteOp  # noqa: E402
from bot.polls.model import NewPoll, to_iso  # noqa: E402
from bot.polls.render import result_lines  # noqa: E402
from bot.polls.throttle import EDIT_INTERVAL, EditThrottle  # noqa: E402
from bot.store import Store  # noqa: E402


def wall() -> datetime:
    # Outside SimCord the project's one clock (discord.utils.utcnow) is the real wall clock.
    return utcnow()


async def run(rate: int, seconds: float, voters: int, options: int, *, target: str | None = None,
              poll_id: int | None = None, voter_offset: int = 0) -> dict:
    """``target``: a PostgreSQL URL (bench/bench_cluster.py) instead of a fresh SQLite file; ``poll_id``: vote
    into that existing poll (several processes into one poll), voters numbered from ``voter_offset``."""
    if target is None:
        target = str(Path(tempfile.mkdtemp(prefix="bench-polls-")) / "bench.sqlite3")
    store = Store(target)
    await store.open()
    store.polls.configure_secret("bench")
    start = wall()
    if poll_id is None:
        poll = await store.polls.create(NewPoll(
            guild_id=1, channel_id=2, creator_id=3, question="Season 2?",
            options=rules.parse_options(" | ".join(f"theory {i}" for i in range(options))),
            created_at=start, closes_at=start + timedelta(hours=1),
        ))
        await store.polls.set_message(poll.id, 99)
    else:
        poll = await store.polls.get(poll_id)
    synchronous = (await store.scalar("SHOW synchronous_commit") if store.postgres else
                   {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[await store.scalar("PRAGMA synchronous")])
    throttle = EditThrottle()
    latencies: list[float] = []
    edits: list[float] = []
    outcomes: dict[str, int] = {}
    stop = asyncio.Event()

    async def click(n: int) -> None:
        t0 = time.perf_counter()
        p = await store.polls.get(poll.id)
        now = wall()
        if p is None or not p.accepts_votes(now):
            raise RuntimeError("poll closed during the bench")
        voter = voter_offset + n % voters
        op = VoteOp(p.id, store.polls.voter_key(p, voter), voter, ballots.SET, (n // voters + voter) % options, to_iso(now))
        result = await store.polls.vote(op)
        if result.changed:
            throttle.mark(p.id)
        latencies.append(time.perf_counter() - t0)
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1

    async def flusher() -> None:
        while not stop.is_set() or throttle.pending:
            for poll_id in throttle.due(wall()):
                p = await store.polls.get(poll_id, fresh=True)
                tally = await store.polls.tally(p)
                "\n".join(result_lines(p, tally, str, show_counts=True))  # what the edit would send
                now = wall()
                busy_until = await store.polls.claim_edit(poll_id, now, EDIT_INTERVAL)
                if busy_until is not None:  # another process edits it now
                    throttle.retry(poll_id, busy_until)
                    continue
                throttle.hold(poll_id, now + EDIT_INTERVAL)
                edits.append(time.perf_counter())
            try:
                await asyncio.wait_for(stop.wait(), timeout=1.0)
            except TimeoutError:
                pass
            if stop.is_set() and throttle.pending:
                await asyncio.sleep(1.0)

    flush_task = asyncio.create_task(flusher())
    tasks: list[asyncio.Task] = []
    tick = 0.005
    per_tick = rate * tick
    t_start = time.perf_counter()
    sent = 0
    while True:
        elapsed = time.perf_counter() - t_start
        if elapsed >= seconds:
            break
        due = int(elapsed * rate) - sent + int(per_tick > 0)
        for _ in range(max(0, due)):
            tasks.append(asyncio.create_task(click(sent)))
            sent += 1
        await asyncio.sleep(tick)
    await asyncio.gather(*tasks)
    t_end = time.perf_counter()
    stop.set()
    await flush_task
    stored = await store.scalar("SELECT count(*) FROM poll_votes WHERE poll_id = ?", (poll.id,))
    await store.close()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    gaps = [b - a for a, b in zip(edits, edits[1:], strict=False)]
    return {
        "clicks": sent, "seconds": t_end - t_start, "throughput": sent / (t_end - t_start),
        "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99), "max": latencies[-1] * 1000,
        "mean": statistics.fmean(latencies) * 1000, "batches": store.polls.batches,
        "edits": len(edits), "min_edit_gap": min(gaps) if gaps else None, "stored_rows": stored,
        "edit_times": edits,  # time.perf_counter(): CLOCK_MONOTONIC, comparable between processes on one machine
        "outcomes": outcomes, "synchronous": synchronous, "latencies": latencies,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=6000, help="clicks per second offered (open loop)")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--voters", type=int, default=50_000, help="distinct members clicking")
    parser.add_argument("--options", type=int, default=4)
    args = parser.parse_args()
    r = asyncio.run(run(args.rate, args.seconds, args.voters, args.options))
    print(f"machine: {machine()}")
    print(f"SQLite WAL, synchronous={r['synchronous']}")
    print(f"offered {args.rate}/s for {args.seconds:.0f} s on one poll, {args.voters} voters, {args.options} options")
    print(f"clicks {r['clicks']}, done in {r['seconds']:.2f} s -> {r['throughput']:.0f} durable votes/s")
    print(f"ack latency ms: p50 {r['p50']:.1f}  p95 {r['p95']:.1f}  p99 {r['p99']:.1f}  max {r['max']:.1f}"
          f"  mean {r['mean']:.1f}")
    print(f"commits (batches): {r['batches']}  (~{r['clicks'] / max(1, r['batches']):.0f} votes per commit)")
    gap = f"{r['min_edit_gap']:.2f} s" if r["min_edit_gap"] is not None else "n/a"
    print(f"message edits: {r['edits']} in {r['seconds']:.1f} s, smallest gap {gap}")
    print(f"outcomes: {r['outcomes']}; rows stored: {r['stored_rows']}")


if __name__ == "__main__":
    main()
