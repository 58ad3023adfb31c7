"""``dramabot cluster --processes N``: run N bot processes on this machine, each with a slice of the shards.

Every process is ``dramabot run`` with ``CLUSTER_ID=i`` and ``CLUSTER_COUNT=N`` (and ``SHARD_COUNT``, by
default N), all on the one PostgreSQL database of ``DATABASE_URL``. The supervisor restarts a process that
dies (waiting longer after each quick death), stops everything on Ctrl-C or SIGTERM, and gives up on a
process that exits with 2 (a configuration error: restarting would not help). Several machines: run
``dramabot run`` on each with its own ``CLUSTER_ID`` (docs/deployment.md).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable

from bot.errors import ConfigError

log = logging.getLogger(__name__)

CONFIG_EXIT = 2
STOP_GRACE_SECONDS = 15.0
STABLE_SECONDS = 60.0  # a process that ran this long starts the next restart's backoff afresh


class Supervisor:
    """Keeps ``count`` child processes running; ``command(i)`` gives process i's argv, ``environ(i)`` its env."""

    def __init__(self, count: int, command: Callable[[int], list[str]], environ: Callable[[int], dict[str, str]],
                 *, backoff: float = 1.0, max_backoff: float = 30.0,
                 on_start: Callable[[int, int], None] | None = None) -> None:
        self.count = count
        self.on_start = on_start  # (process index, pid): tests and logs
        self.command = command
        self.environ = environ
        self.backoff, self.max_backoff = backoff, max_backoff
        self.children: dict[int, asyncio.subprocess.Process] = {}
        self.restarts = [0] * count
        self.failed: set[int] = set()
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> int:
        """Until stopped (or every process gave up): 0 after a clean stop, 2 when a process had a config error."""
        keepers = asyncio.gather(*(self._keep(i) for i in range(self.count)))
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait([keepers, stopping], return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._stopping.set()  # no keeper restarts anything from here on
            await self._stop_all()
            keepers.cancel()
            stopping.cancel()
            await asyncio.gather(keepers, stopping, return_exceptions=True)
        return CONFIG_EXIT if self.failed else 0

    async def _keep(self, index: int) -> None:
        delay = self.backoff
        loop = asyncio.get_running_loop()
        while not self._stopping.is_set():
            proc = await asyncio.create_subprocess_exec(*self.command(index), env=self.environ(index))
            self.children[index] = proc
            started = loop.time()
            log.info("process %d started (pid %d)", index, proc.pid)
            if self.on_start is not None:
                self.on_start(index, proc.pid)
            code = await proc.wait()
            if self._stopping.is_set():
                return
            if code == CONFIG_EXIT:
                log.error("process %d stopped with a configuration error; not restarting it", index)
                self.failed.add(index)
                self.stop()
                return
            if loop.time() - started >= STABLE_SECONDS:
                delay = self.backoff
            log.warning("process %d exited with %s; restarting in %.1f s", index, code, delay)
            self.restarts[index] += 1
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=delay)
                return
            except TimeoutError:
                pass
            delay = min(delay * 2, self.max_backoff)

    async def _stop_all(self) -> None:
        """SIGINT to every running child (the bot closes its store), then SIGKILL after a grace period."""
        running = [p for p in self.children.values() if p.returncode is None]
        for proc in running:
            try:
                proc.send_signal(signal.SIGINT)
            except ProcessLookupError:
                pass
        for proc in running:
            try:
                await asyncio.wait_for(proc.wait(), timeout=STOP_GRACE_SECONDS)
            except TimeoutError:
                proc.kill()
                await proc.wait()


def cluster_environ(settings, processes: int) -> Callable[[int], dict[str, str]]:
    shard_count = settings.shard_count or processes
    if shard_count < processes:
        raise ConfigError(f"SHARD_COUNT ({shard_count}) must be at least the number of processes ({processes}).")
    base = dict(os.environ)
    base.pop("SHARD_IDS", None)

    def environ(index: int) -> dict[str, str]:
        return {**base, "CLUSTER_ID": str(index), "CLUSTER_COUNT": str(processes), "SHARD_COUNT": str(shard_count)}

    return environ


def cmd_cluster(args: argparse.Namespace) -> int:
    from bot.logs import configure
    from bot.settings import load_settings

    settings = load_settings()
    settings.require_token()
    if not settings.database_url:
        raise ConfigError("A cluster shares one PostgreSQL database: set DATABASE_URL (see docs/deployment.md).")
    if args.processes < 1:
        raise ConfigError("--processes must be 1 or more.")
    configure(settings.log_level, settings.log_file)
    supervisor = Supervisor(args.processes, lambda _i: [sys.executable, "-m", "bot", "run"],
                            cluster_environ(settings, args.processes))

    async def main() -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, supervisor.stop)
        return await supervisor.run()

    print(f"dramabot cluster: {args.processes} processes, {settings.shard_count or args.processes} shards; "
          "Ctrl-C stops them all")
    return asyncio.run(main())


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cluster", help="run and supervise several bot processes sharing the shards (PostgreSQL)")
    p.add_argument("--processes", type=int, default=2, help="how many bot processes (default 2)")
    p.set_defaults(func=cmd_cluster)
