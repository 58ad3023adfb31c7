"""Sharding settings and the cluster supervisor (real child processes; no Discord)."""

from __future__ import annotations

import asyncio
import sys

import pytest

from bot.cluster import Supervisor, cluster_environ
from bot.errors import ConfigError
from bot.settings import Settings, cluster_shards, load_settings


def test_each_cluster_process_runs_a_contiguous_slice_and_together_all_shards():
    slices = [cluster_shards(10, 3, i) for i in range(3)]
    assert slices == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert cluster_shards(2, 2, 1) == [1]


def test_shard_settings_are_checked_against_each_other():
    base = {"DATABASE_URL": ""}
    s = load_settings({**base, "SHARD_COUNT": "4", "CLUSTER_ID": "1", "CLUSTER_COUNT": "2"}, dotenv=False)
    assert s.shards() == (4, [2, 3]) and s.process_name == "cluster-1"
    assert load_settings({**base, "SHARD_COUNT": "4", "SHARD_IDS": "3,1"}, dotenv=False).shards() == (4, [1, 3])
    assert load_settings(base, dotenv=False).shards() == (None, None)  # Discord's recommendation, every shard
    for bad in ({"SHARD_IDS": "1"}, {"SHARD_COUNT": "2", "SHARD_IDS": "2"}, {"CLUSTER_ID": "0"},
                {"SHARD_COUNT": "2", "CLUSTER_ID": "2", "CLUSTER_COUNT": "2"},
                {"CLUSTER_ID": "0", "CLUSTER_COUNT": "2"}, {"SHARD_COUNT": "0"}):
        with pytest.raises(ConfigError):
            load_settings({**base, **bad}, dotenv=False)


def test_postgres_needs_a_vote_secret_and_a_postgres_url():
    with pytest.raises(ConfigError, match="VOTE_SECRET"):
        load_settings({"DATABASE_URL": "postgresql://bot@db/dramabot"}, dotenv=False)
    with pytest.raises(ConfigError, match="PostgreSQL URL"):
        load_settings({"DATABASE_URL": "mysql://x", "VOTE_SECRET": "k"}, dotenv=False)
    s = load_settings({"DATABASE_URL": "postgresql://bot:pw@db/dramabot", "VOTE_SECRET": "k"}, dotenv=False)
    assert s.database == "postgresql://bot:pw@db/dramabot" and "pw" not in repr(s)


def test_cluster_environment_gives_each_process_its_id():
    env = cluster_environ(Settings(shard_count=None), 3)
    assert [(e["CLUSTER_ID"], e["CLUSTER_COUNT"], e["SHARD_COUNT"]) for e in map(env, range(3))] == \
        [("0", "3", "3"), ("1", "3", "3"), ("2", "3", "3")]
    with pytest.raises(ConfigError):
        cluster_environ(Settings(shard_count=1), 2)


async def test_a_dead_process_is_restarted_and_stop_ends_them_all(tmp_path):
    marker = tmp_path / "died-once"
    # Process 0 dies at once the first time, then runs until stopped; process 1 just runs.
    script = ("import pathlib, sys, time\n"
              f"m = pathlib.Path({str(marker)!r})\n"
              "if sys.argv[1] == '0' and not m.exists():\n"
              "    m.write_text('x'); sys.exit(1)\n"
              "time.sleep(600)\n")
    starts: list[int] = []
    both_up = asyncio.Event()

    def started(index: int, pid: int) -> None:
        starts.append(index)
        if starts.count(0) == 2 and 1 in starts:
            both_up.set()

    supervisor = Supervisor(2, lambda i: [sys.executable, "-c", script, str(i)], lambda i: {}, backoff=0.01,
                            on_start=started)
    run = asyncio.create_task(supervisor.run())
    await asyncio.wait_for(both_up.wait(), timeout=30)
    assert supervisor.restarts == [1, 0]
    supervisor.stop()
    assert await asyncio.wait_for(run, timeout=30) == 0
    assert all(p.returncode is not None for p in supervisor.children.values())


async def test_a_configuration_error_is_not_restarted(tmp_path):
    supervisor = Supervisor(1, lambda i: [sys.executable, "-c", "raise SystemExit(2)"], lambda i: {}, backoff=0.01)
    assert await asyncio.wait_for(supervisor.run(), timeout=30) == 2
    assert supervisor.restarts == [0]
