"""Two real dramabot bots on one PostgreSQL and one simulated Discord, killed and restarted at random.

How two bots are modelled, and why. SimCord hosts one bot per ``Env`` and one live ``Env`` per event loop
(``Env.start`` refuses a second), and every ``Env`` makes its own simulated Discord. Two environments each
with its own Discord would not be faithful: a process that takes over another's claim looks on Discord
for the delivery's marker, and it must find what the dead process posted (a DM, a server message, an
event). So each bot gets its own ``Env`` on its own event loop (a process of its own, as far as asyncio,
discord.py and asyncpg can tell: its own loop, gateway connection, store and connection pool), and the
second ``Env`` is given the first one's backend: one Discord, one clock, one bot user (as in a cluster:
one token). The two loops take turns in this thread: time moves from one timer of either process to the
next (at least a second at a time); at each such instant one process (seeded order) moves the shared clock
and the other catches up, so both live through every instant and neither wakes to find its loops far behind.
The processes therefore interleave between instants, never inside one; concurrent claims of the same rows are
tested on the store (tests/unit/test_cluster_store.py). While a process runs, the simulated gateway feeds
only it: Discord delivers an interaction to one session, and what the other process's shards would have seen
meanwhile (its own messages) changes nothing it does. This leans on three SimCord internals, named where
they are used: ``Env.backend`` (shared), ``Env._gateway_feed`` (who is fed) and ``_next_virtual_timer``.

Layouts: ``split``, the real cluster: two shards, process 0 runs shard 0 and process 1 shard 1, each
server's deliveries and polls are its owner's, DMs go out from either. ``shared``: both processes run the
one shard (two gateway sessions on it, as during a rolling restart; each process keeps its own name, as
CLUSTER_ID gives it): every delivery is contended by both, and votes on one poll arrive through both bots,
each click at one of them.

A kill is seeded and placed at a Discord write (a message or scheduled event the process posts): before
it (the claim is committed, nothing reached Discord) or after it (Discord has it, the outcome is not
recorded), or between two steps. A killed process's connections to PostgreSQL are cut at once (as when
its process dies: its claims stay claimed) and it reaches Discord no more; it restarts a random number of
steps later as a new bot (``env.restart_bot(create_bot(same database))``), sometimes after its claims'
hold ran out so that the other process takes them over. The kill points, the votes and the order of the
processes come from the seed; how far a process got when a kill lands can vary with real timing (SimCord
runs some work on real-time fallbacks), so each run is a different, equally valid, schedule of failures.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections import Counter
from dataclasses import dataclass, field

import discord
import pytest
from simcord import Env
from simcord._settlement import _next_virtual_timer
from simcord.actors import MemberActor
from simcord.backend.errors import BackendError
from simcord.builders import ChannelHandle, GuildHandle, UserHandle
from simcord.http import router

from bot import create_bot
from bot.schedule.slots import Episode
from bot.store.schedule import CLAIM_SECONDS
from tests.conftest import fresh_database, make_settings
from tests.e2e.test_schedule import add_drama

H = 3600
HOP = 1.0  # seconds: timers of both processes closer than this run in one hop
SLUG = "moonlit-runner-2026"  # the drama add_drama makes
WRITES = ("POST", "PUT", "PATCH", "DELETE")
REF = re.compile(r"\bref d(\d+)\b")


class Killed(BackendError):
    """What a dead process's requests get: it is gone, nothing it asks for reaches Discord."""


@dataclass
class Process:
    index: int
    settings: dict
    url: str
    loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    env: Env | None = None
    dead: bool = False
    kill_at: tuple[int, str] | None = None  # (writes to go, "before" | "after")
    restart_in: int = 0
    bots: list = field(default_factory=list)
    kills: int = 0

    def new_bot(self):
        bot = create_bot(self.url, settings=make_settings(self.url, **self.settings))
        self.bots.append(bot)
        return bot

    def kill(self) -> None:
        """The process dies: its database connections drop (PostgreSQL rolls back what was open)."""
        self.dead = True
        self.kill_at = None
        self.kills += 1
        pool = self.env.bot.store.backend._pool
        if pool is not None:
            pool.terminate()


class Cluster:
    def __init__(self, url: str, layout: str, rng: random.Random) -> None:
        self.url, self.layout, self.rng = url, layout, rng
        if layout == "split":
            shards = [{"shard_count": 2, "cluster_id": i, "cluster_count": 2} for i in range(2)]
        else:  # both run the one shard (SHARD_IDS=0 in each), each with its own name
            shards = [{"shard_count": 1, "shard_ids": (0,), "cluster_id": i, "cluster_count": 2} for i in range(2)]
        self.procs = [Process(i, shards[i], url) for i in range(2)]
        self.current: Process | None = None
        self.backend = None

    # ------------------------------------------------------------ running one process at a time
    def run(self, proc: Process, coro):
        """Run ``coro`` on ``proc``'s loop, the simulated gateway feeding only ``proc``'s bot."""
        self.current = proc
        if self.backend is not None:  # (SimCord internal: the backend's gateway subscribers are the Envs' feeds)
            self.backend.subscribers[:] = [proc.env._gateway_feed] if proc.env and proc.env._gateway_feed else []
        try:
            return proc.loop.run_until_complete(coro)
        finally:
            self.current = None

    def start(self, build):
        """Start process 0, let ``build(env)`` make the fan servers, then start process 1 on the same Discord
        (it receives its shards' servers as a bot does when it connects)."""
        first, second = self.procs
        first.env = Env(first.new_bot())
        self.run(first, first.env.start())
        self.backend = first.env.backend

        async def building():
            return build(first.env)
        world = self.run(first, building())
        second.env = Env(second.new_bot())
        second.env.backend = self.backend  # one Discord for both bots (see the module docstring)
        self.run(second, second.env.start())
        return world

    @property
    def alive(self) -> list[Process]:
        return [p for p in self.procs if not p.dead]

    def step(self, seconds: float) -> None:
        """Both live processes live through ``seconds`` together. The clock moves from one timer of either
        process to the next (at least ``HOP`` at a time): the first process (seeded order) moves the shared
        clock there, the other catches up, so neither wakes to find its loops far behind."""
        target = self.backend.clock.elapsed + seconds
        alive = self.alive
        self.rng.shuffle(alive)
        while (left := target - self.backend.clock.elapsed) > 1e-6:
            states = [p.env._settlement_state() for p in alive]  # (SimCord internal: each Env's timers)
            timers = [t for state in states if (t := _next_virtual_timer(state)) is not None]
            hop = min(left, max(HOP, min(timers, default=target) - self.backend.clock.elapsed))
            if not alive:
                self.backend.advance_clock(hop)  # nobody is up: Discord's clock moves on anyway
            for n, proc in enumerate(alive):
                if not proc.dead:
                    self.run(proc, proc.env.advance_time(hop if n == 0 else 0))
            if any(p.dead for p in alive):
                break  # a process died: the supervisor looks at it before time moves on
        self.tend()

    def tend(self, *, restart_all: bool = False) -> None:
        """The supervisor: a process found dead is restarted a random number of steps later (sometimes only
        after its claims' hold ran out, so the other process takes them over first)."""
        for proc in self.procs:
            if not proc.dead:
                continue
            if proc.restart_in == 0:
                proc.restart_in = self.rng.choice([1, 1, 2, 3, 4, 8, 12])
            proc.restart_in -= 1
            if proc.restart_in == 0 or restart_all:
                proc.restart_in = 0
                self.restart(proc)

    def chaos(self, kill_rate: float) -> None:
        """Arm seeded kills: at a coming Discord write (before or after it), or right now (between steps)."""
        for proc in self.alive:
            roll = self.rng.random()
            if proc.kill_at is None and roll < kill_rate:
                proc.kill_at = (self.rng.randint(1, 3), self.rng.choice(["before", "after"]))
            elif roll > 1 - kill_rate / 4:
                self.run(proc, _now(proc.kill))

    def restart(self, proc: Process) -> None:
        proc.dead = False
        self.run(proc, proc.env.restart_bot(proc.new_bot()))

    def close(self) -> None:
        for proc in self.procs:
            if proc.env is not None:
                try:
                    self.run(proc, proc.env.shutdown())
                finally:
                    for bot in proc.bots:
                        self.run(proc, bot.store.close())
            proc.loop.close()

    # ------------------------------------------------------------ Discord's side of a kill
    def guard(self, handler):
        def guarded(ctx):
            proc = self.current
            if proc is None:
                return handler(ctx)
            if proc.dead:
                raise Killed(500, 0, "the process is dead")
            if proc.kill_at is None or not _delivery_write(ctx):
                return handler(ctx)
            left, when = proc.kill_at
            if left > 1:
                proc.kill_at = (left - 1, when)
                return handler(ctx)
            if when == "before":
                proc.kill()
                raise Killed(500, 0, "the process died before this reached Discord")
            result = handler(ctx)
            proc.kill()
            return result
        return guarded


async def _now(call):
    return call()


def _delivery_write(ctx) -> bool:
    return ctx.method == "POST" and (ctx.path.endswith("/messages") or ctx.path.endswith("/scheduled-events"))


@pytest.fixture
def cluster_db(pg_server, pg_template):
    """A fresh PostgreSQL database holding the catalog (skips, saying why, where PostgreSQL cannot run)."""
    name = fresh_database(pg_server, pg_template)
    yield pg_server.url(name)
    pg_server.sql(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def cluster_factory(cluster_db, monkeypatch):
    """``make(layout, seed)``: a started two-bot cluster; every write route passes through its guard (the
    server side of SimCord, as tests/e2e/test_schedule_reliability.py swaps routes; discord.py is untouched)."""
    made: list[Cluster] = []

    def make(layout: str, seed: int) -> Cluster:
        cluster = Cluster(cluster_db, layout, random.Random(seed))
        for method in WRITES:
            monkeypatch.setitem(router._ROUTES, method,
                                [(tpl, cluster.guard(handler)) for tpl, handler in router._ROUTES.get(method, ())])
        made.append(cluster)
        return cluster

    yield make
    for cluster in made:
        cluster.close()


# ------------------------------------------------------------------ the fan servers
@dataclass
class Server:
    """One fan server, kept as SimCord's models so each process's ``Env`` can have its own handles on it."""

    guild: object
    channels: dict
    manager: object
    fans: list

    def member(self, env: Env, user) -> MemberActor:
        return MemberActor(env, GuildHandle(env, self.guild), UserHandle(env, user))

    def channel(self, env: Env, name: str) -> ChannelHandle:
        return ChannelHandle(env, GuildHandle(env, self.guild), self.channels[name])


def build_servers(env: Env, layout: str, count: int) -> list[Server]:
    servers = []
    for n in range(count):
        guild = env.create_guild(name=f"Fan server {n}", shard_id=n % 2 if layout == "split" else 0)
        mods = guild.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
        channels = {name: guild.create_text_channel(name)._channel for name in ("general", "announcements", "polls")}
        manager = guild.add_member(env.create_user(f"mod{n}"), roles=[mods]).user._user
        fans = [guild.add_member(env.create_user(f"fan{n}_{i}")).user._user for i in range(3)]
        servers.append(Server(guild._guild, channels, manager, fans))
    return servers


def owner(cluster: Cluster, server: Server) -> Process:
    """The process whose shard holds the server (``split``), or either (``shared``: a random one)."""
    if cluster.layout == "split":
        return cluster.procs[(server.guild.id >> 22) % 2]
    live = [p for p in cluster.procs if not p.dead]
    return cluster.rng.choice(live)


# ------------------------------------------------------------------ the test
@dataclass
class Attempt:
    option: int
    acked: bool


async def click_vote(env: Env, server: Server, user, poll_id: int, message_id: int, option: int) -> bool:
    """A fan clicks an option; True when the bot acknowledged it (the ephemeral 'Your vote: ...')."""
    channel = server.channel(env, "polls")
    message = next(m for m in channel.history() if m.id == message_id)
    try:
        result = await server.member(env, user).click(message, custom_id=f"poll:{poll_id}:{option}")
    except Exception:  # noqa: BLE001 - the bot died under the click: no answer reached the member
        return False
    content = result.response.content if result.response is not None else ""
    return content.startswith("Your vote:")


def discord_refs(backend) -> Counter:
    """How many times each delivery's marker reached Discord: messages (channels and DMs) and events."""
    refs: Counter = Counter()
    for messages in backend.messages.values():
        for message in messages.values():
            if message.author_id == backend.bot_user.id:
                refs.update(int(n) for n in REF.findall(message.content or ""))
    for guild in backend.guilds.values():
        for event in guild.scheduled_events.values():
            refs.update(int(n) for n in REF.findall(event.description or ""))
    return refs


@pytest.mark.parametrize("layout,seed", [("split", 11), ("shared", 12)])
def test_two_bots_killed_at_random_send_everything_exactly_once_and_count_every_vote(cluster_factory, layout, seed):
    cluster = cluster_factory(layout, seed)
    rng = cluster.rng
    servers = cluster.start(lambda env: build_servers(env, layout, 4))
    first = cluster.procs[0]
    base = int(first.env.now().timestamp())
    drama = cluster.run(first, add_drama(first.env.bot))
    episodes = [Episode(number=n, air_at=base + 50 * 60 + (n - 1) * H) for n in range(1, 5)]
    cluster.run(first, first.env.bot.store.schedule.replace_episodes(drama, episodes, base))

    polls: list[tuple[Server, int, int]] = []  # (server, poll id, message id)
    for n, server in enumerate(servers):
        proc = owner(cluster, server)
        env = proc.env
        manager = server.member(env, server.manager)
        result = cluster.run(proc, manager.slash(server.channel(env, "general"), "schedule follow", drama=SLUG,
                                                 channel=server.channel(env, "announcements"), remind_minutes=10,
                                                 event=True))
        assert "following" in result.response.content.lower(), result.response.content
        for fan in server.fans[:2]:
            result = cluster.run(proc, server.member(env, fan).slash(server.channel(env, "general"), "remind add",
                                                                    drama=SLUG, minutes=20))
            assert "DM you" in result.response.content, result.response.content
        result = cluster.run(proc, manager.slash(server.channel(env, "polls"), "poll create",
                                                 question=f"Best couple {n}?", options="A | B | C",
                                                 hours=1.5 + n / 2))
        assert not result.ephemeral, result.response.content
        message = server.channel(env, "polls").history()[-1]
        polls.append((server, int(re.search(r"#(\d+)", message.embeds[0].title).group(1)), message.id))

    attempts: dict[tuple[int, int], list[Attempt]] = {}
    closes = {poll_id: base + int((1.5 + n / 2) * H) for n, (_s, poll_id, _m) in enumerate(polls)}
    end = base + 5 * H
    moved = added = False
    while (now := int(first.env.backend.clock.now().timestamp())) < end:
        cluster.chaos(kill_rate=0.08)
        for _ in range(rng.randint(0, 3)):  # fans voting, each click reaching one bot
            server, poll_id, message_id = rng.choice(polls)
            if closes[poll_id] - now < 10 * 60 or not cluster.alive:
                continue
            proc = owner(cluster, server)
            fan = rng.choice(server.fans)
            if rng.random() < 0.1:
                cluster.run(proc, _now(proc.kill))  # it dies as the click arrives: the vote cannot be stored
            option = rng.randrange(3)
            acked = cluster.run(proc, click_vote(proc.env, server, fan, poll_id, message_id, option))
            attempts.setdefault((poll_id, fan.id), []).append(Attempt(option, acked))
            cluster.tend()
        if not added and now >= base + H:  # the live sync adds an episode: its events come due mid-run
            added = True
            proc = cluster.alive[0] if cluster.alive else None
            if proc is not None:
                episodes.append(Episode(number=5, air_at=base + 50 * 60 + 4 * H))
                cluster.run(proc, proc.env.bot.store.schedule.replace_episodes(drama, episodes, now))
        if not moved and now >= base + 2 * H and cluster.alive:  # episode 4 moves 30 min later
            moved = True
            proc = cluster.alive[0]
            episodes[3] = Episode(number=4, air_at=episodes[3].air_at + 30 * 60)
            cluster.run(proc, proc.env.bot.store.schedule.replace_episodes(drama, episodes, now))
        cluster.step(rng.choice([60, 120, 180]))

    # Everyone comes back and the dust settles (longer than a claim's hold), with no more kills.
    cluster.tend(restart_all=True)
    for _ in range(2 * CLAIM_SECONDS // 60 + 2):
        cluster.step(60)
    proc = cluster.procs[0]
    store = proc.env.bot.store

    async def outcome():
        deliveries = await store.fetchall("SELECT d.id, d.kind, d.state, d.note, d.target_id, d.episode_id,"
                                          " e.number FROM deliveries d JOIN episodes e ON e.id = d.episode_id")
        ballots = {}
        for _server, poll_id, _m in polls:
            poll = await store.polls.get(poll_id)
            ballots[poll_id] = (poll, await store.polls.tally(poll),
                                {user_id: await store.polls.ballot(poll_id, store.polls.voter_key(poll, user_id))
                                 for (pid, user_id) in attempts if pid == poll_id})
        return deliveries, ballots
    deliveries, ballots = cluster.run(proc, outcome())

    # Every announcement, reminder, DM and event reached Discord exactly once (none twice, none lost).
    refs = discord_refs(cluster.backend)
    assert sum(c.kills for c in cluster.procs) >= 5, "the seed killed too few processes to test anything"
    unsettled = [dict(r) for r in deliveries if r["state"] not in ("sent", "skipped")]
    assert not unsettled, unsettled
    twice = {r["id"]: refs[r["id"]] for r in deliveries if refs[r["id"]] > 1}
    assert not twice, f"sent more than once: {twice}"
    lost = [dict(r) for r in deliveries if r["state"] == "sent" and refs[r["id"]] != 1]
    assert not lost, lost
    skipped = [dict(r) for r in deliveries if r["state"] == "skipped"]
    assert all(r["kind"] in ("remind", "dm") and r["note"] == "the episode already started" for r in skipped), skipped
    kinds = Counter(r["kind"] for r in deliveries if r["state"] == "sent")
    assert kinds["announce"] == 4 * 5 and kinds["event"] == 4 * 5, kinds
    assert set(refs) <= {r["id"] for r in deliveries}

    # Scheduled events are in step with the schedule (episode 4 moved): the process holding each server
    # moved its event, whoever noticed the change.
    air = {e.number: e.air_at for e in episodes}
    for server in servers:
        events = cluster.backend.guilds[server.guild.id].scheduled_events.values()
        starts = sorted(discord.utils.parse_time(e.scheduled_start_time).timestamp() for e in events)
        assert starts == sorted(air.values()), (server.guild.id, starts)

    # Votes: every acknowledged vote is stored; an unacknowledged later click may or may not be; counts exact;
    # each poll's results were posted once.
    for (poll_id, user_id), tries in attempts.items():
        ballot = ballots[poll_id][2][user_id]
        last_acked = max((i for i, t in enumerate(tries) if t.acked), default=None)
        allowed = {(t.option,) for t in tries[(last_acked or 0):]} | ({()} if last_acked is None else set())
        assert ballot in allowed, (poll_id, user_id, tries, ballot)
    for poll_id, (poll, tally, stored) in ballots.items():
        assert poll.closed_at is not None
        counted = Counter(p for b in stored.values() for p in b)
        assert list(tally.counts) == [counted[p] for p in range(3)] and tally.voters == sum(1 for b in stored.values() if b)
        results = [m for ms in cluster.backend.messages.values() for m in ms.values()
                   if any((e.get("title") or "") == f"Results of poll #{poll_id}" for e in (m.embeds or []))]
        assert len(results) == 1, (poll_id, len(results))
    for proc in cluster.procs:  # what a dead process failed to do is logged, never raised into discord.py
        assert proc.env.errors == []
