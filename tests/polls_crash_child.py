"""Child process for the poll crash test: votes in a burst and prints each vote only after its commit.

Usage: python tests/polls_crash_child.py DB POLL_ID VOTERS. Each voter votes twice (option v % 3, then
(v + 1) % 3); every acknowledged vote is printed as ``ack <voter> <position>`` and flushed. The parent
kills this process with SIGKILL mid-burst and checks the database.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.polls.ballot import SET, VoteOp  # noqa: E402
from bot.store import Store  # noqa: E402

NOW = "2026-01-01T00:00:00+00:00"


async def main(db: str, poll_id: int, voters: int) -> None:
    store = Store(db)
    await store.open()
    out = sys.stdout

    async def voter(v: int) -> None:
        for position in (v % 3, (v + 1) % 3):
            result = await store.polls.vote(VoteOp(poll_id, str(v), v, SET, position, NOW))
            assert result.outcome == "ok", result
            out.write(f"ack {v} {position}\n")
            out.flush()

    print("ready", flush=True)
    for start in range(0, voters, 400):  # waves of 400 concurrent voters
        await asyncio.gather(*(voter(v) for v in range(start, min(voters, start + 400))))
    print("done", flush=True)
    await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
