"""/poll end to end on SimCord: season-2 polls, votes, closing, restarts, predictions, bad input."""

from __future__ import annotations

import re
from dataclasses import replace

import simcord

from bot.checks import Refused
from bot.errors import BadInput, NotAllowed, NotFound
from bot.polls.rules import NO_SEASON2_LABEL

LR = "lovely-runner-2024"


# ---------------------------------------------------------------------------- helpers
def poll_id(message) -> int:
    return int(re.search(r"#(\d+)", message.embeds[0].title).group(1))


async def vote(actor, message, action) -> str:
    """Click option ``action`` (0-based) or 'mine' / 'withdraw'; returns the ephemeral answer."""
    result = await actor.click(message, custom_id=f"poll:{poll_id(message)}:{action}")
    assert result.ephemeral
    return result.response.content


def counts(message) -> list[int]:
    return [int(n) for n in re.findall(r"· (\d+) votes?$", message.embeds[0].description, re.M)]


def buttons(message) -> list[dict]:
    rows = [row if isinstance(row, dict) else row.to_dict() for row in message.components]
    return [c for row in rows for c in row["components"]]


def fresh(channel, message):
    """The current state of a message (SimCord handles are snapshots)."""
    return next(m for m in channel.history() if m.id == message.id)


def cog(env):
    return env.bot.get_cog("Polls")


async def season2_poll(world, **options):
    result = await world.manager.slash(world.polls, "poll season2", drama=LR, **options)
    assert not result.ephemeral, result.response.content
    return world.polls.last_message


async def custom_poll(world, actor=None, **options):
    options.setdefault("question", "Best OST of 2024?")
    options.setdefault("options", "Sonaki | Star | Run Run")
    result = await (actor or world.manager).slash(world.polls, "poll create", **options)
    assert not result.ephemeral, result.response.content
    return world.polls.last_message


async def error_text(actor, channel, name, **options) -> str:
    result = await actor.slash(channel, name, **options)
    assert result.ephemeral
    return result.response.content


async def poll_count(env) -> int:
    return await env.bot.store.scalar("SELECT count(*) FROM polls")


# ---------------------------------------------------------------------------- season-2 polls and voting
async def test_season2_poll_from_stored_theories_vote_change_withdraw_and_coalesced_edits(world):
    env = world.env
    drama = await env.bot.store.catalog.drama_by_slug(LR)
    theories = await env.bot.store.polls.theories(drama["id"], world.guild.id)
    assert len(theories) == 3
    msg = await season2_poll(world, hours=2)
    labels = [b["label"] for b in buttons(msg)]
    assert len(labels) == 6 and labels[3] == f"4. {NO_SEASON2_LABEL}" and labels[4:] == ["My vote", "Withdraw"]
    assert theories[1][1][:40] in msg.embeds[0].description
    minji, jae, sora = world.fans
    edits_before = cog(env).messages.edits

    assert "Your vote: **1." in await vote(minji, msg, 0)  # first vote: shown at once (leading edit)
    assert counts(fresh(world.polls, msg)) == [1, 0, 0, 0]
    answer = await vote(jae, msg, 0)
    assert "Your vote: **1." in answer and "<t:" in answer and ":R>" in answer
    await vote(sora, msg, 3)
    assert "Your vote: **2." in await vote(jae, msg, 1)  # change
    # Burst within 2 s: still the leading edit only; the final state comes after 2 s.
    assert cog(env).messages.edits == edits_before + 1
    assert counts(fresh(world.polls, msg)) == [1, 0, 0, 0]
    await env.advance_time(2)
    assert counts(fresh(world.polls, msg)) == [1, 1, 0, 1]
    assert cog(env).messages.edits == edits_before + 2

    assert "withdrawn" in await vote(minji, msg, "withdraw")
    assert "haven't voted" in await vote(minji, msg, "mine")
    assert "**2." in await vote(jae, msg, "mine")
    await env.advance_time(2)
    assert counts(fresh(world.polls, msg)) == [0, 1, 0, 1]
    assert "2 voters" in fresh(world.polls, msg).embeds[0].description

    # A steady stream of clicks: never more than one edit of the poll message per 2 s.
    patches = [r for r in env.http_requests if r.method == "PATCH" and str(msg.id) in r.path]
    for i in range(6):  # t = 0, 0.5, ... 2.5 s
        await vote(world.fans[i % 3], msg, i % 4)
        await env.advance_time(0.5)
    await env.advance_time(2)
    new = [r for r in env.http_requests if r.method == "PATCH" and str(msg.id) in r.path][len(patches):]
    assert 2 <= len(new) <= 3  # 4.5 s of activity
    assert counts(fresh(world.polls, msg)) == [1, 1, 0, 1]  # the final state is shown

    # A server theory joins the next season-2 poll; a member may not add one.
    text = await error_text(minji, world.general, "poll theory add", drama=LR, text="Sol becomes an idol")
    assert "Only server managers" in text
    simcord.assert_error(env, Refused)
    result = await world.manager.slash(world.general, "poll theory add", drama=LR, text="Sol becomes an idol")
    assert "Added" in result.response.content
    msg2 = await season2_poll(world)
    assert [b["label"] for b in buttons(msg2)][3:5] == ["4. Sol becomes an idol", f"5. {NO_SEASON2_LABEL}"]

    # Autocomplete offers this server's open polls.
    choices = await world.manager.autocomplete(world.polls, "poll close", "poll", "")
    assert {c["value"] for c in choices} == {str(poll_id(msg)), str(poll_id(msg2))}


async def test_multiple_choice_role_restricted_and_mentions_never_ping(world):
    env = world.env
    yuna = world.guild.add_member(env.create_user("yuna"), roles=[world.watchers])
    msg = await custom_poll(world, question=f"Who is @everyone's <@&{world.mods.id}> favourite? **bold**",
                            options="Sol | Sun-jae | Tae-sung | In-hyuk", multiple=2, role=world.watchers)
    description = msg.embeds[0].description
    assert "@everyone" not in description.replace("@\u200beveryone", "") and "\\*\\*bold\\*\\*" in description
    assert f"<@&{world.mods.id}>" not in description and "pick up to 2" in description
    create = [r for r in env.http_requests if r.method == "POST" and "callback" in r.path][-1]
    assert create.json["data"]["allowed_mentions"] == {"parse": []}

    assert "Only members with the" in await vote(world.fan, msg, 0)  # not a Watcher
    assert "**1. Sol**" in await vote(yuna, msg, 0)
    assert "**1. Sol**, **3. Tae-sung**" in await vote(yuna, msg, 2)
    assert "up to 2" in await vote(yuna, msg, 3)  # limit reached
    assert "**3. Tae-sung**" in await vote(yuna, msg, 0) and "Sol" not in await vote(yuna, msg, "mine")
    await env.advance_time(2)
    assert counts(fresh(world.polls, msg)) == [0, 0, 1, 0]


async def test_anonymous_poll_keeps_only_keyed_hashes(world):
    env = world.env
    msg = await custom_poll(world, anonymous=True)
    minji, jae, _ = world.fans
    await vote(minji, msg, 0)
    await vote(jae, msg, 1)
    assert "**2. Star**" in await vote(jae, msg, "mine")
    assert "**1. Sonaki**" in await vote(jae, msg, 0)
    assert "withdrawn" in await vote(minji, msg, "withdraw")
    rows = await env.bot.store.fetchall("SELECT voter_key, voter_id FROM poll_votes")
    assert len(rows) == 1 and rows[0]["voter_id"] is None
    for member in world.fans:
        assert str(member.id) not in rows[0]["voter_key"]
    assert len(rows[0]["voter_key"]) == 64  # HMAC-SHA256 hex
    await env.advance_time(2)
    description = fresh(world.polls, msg).embeds[0].description
    assert "anonymous" in description and "jae" not in description and "minji" not in description
    # Closed and resolved: no points from anonymous polls.
    await world.manager.slash(world.polls, "poll close", poll=str(poll_id(msg)))
    result = await world.manager.slash(world.polls, "poll resolve", poll=str(poll_id(msg)), answer="1")
    assert "awards no points" in result.response.content
    assert await env.bot.store.scalar("SELECT count(*) FROM poll_points") == 0


async def test_hidden_results_until_close_then_chart_at_deadline(world):
    env = world.env
    msg = await custom_poll(world, hide_results=True, minutes=5)
    await vote(world.fans[0], msg, 1)
    await vote(world.fans[1], msg, 1)
    await env.advance_time(2)
    current = fresh(world.polls, msg)
    assert counts(current) == [] and "2 voters" in current.embeds[0].description
    assert "hidden until it closes" in await error_text(world.fan, world.polls, "poll results", poll=str(poll_id(msg)))
    simcord.assert_error(env, BadInput)

    await env.advance_time(5 * 60)  # the closer wakes up at the deadline
    results = world.polls.last_message
    assert results.id != msg.id and results.embeds[0].title == f"Results of poll #{poll_id(msg)}"
    assert results.attachments[0].filename.endswith(".png")
    assert results.embeds[0].image.url == f"attachment://{results.attachments[0].filename}"
    assert "2 votes" in results.embeds[0].description
    await env.advance_time(2)
    closed = fresh(world.polls, msg)
    assert counts(closed) == [0, 2, 0]
    assert all(b["disabled"] for b in buttons(closed) if b["label"] != "My vote")
    assert "This poll is closed" in await vote(world.fans[1], closed, "mine")
    result = await world.fan.slash(world.polls, "poll results", poll=str(poll_id(msg)))
    assert not result.ephemeral and "2 votes" in result.response.embeds[0].description


async def test_click_after_deadline_before_the_closer_ran_is_refused(world):
    env = world.env
    msg = await custom_poll(world, minutes=1)
    cog(env).closer.cancel()  # the closer is late (busy, or the bot is shutting down)
    await env.advance_time(62)
    assert await env.bot.store.scalar("SELECT closed_at FROM polls") is None
    assert "This poll is closed" in await vote(world.fan, msg, 0)
    assert await env.bot.store.scalar("SELECT count(*) FROM poll_votes") == 0


async def test_restart_keeps_votes_and_buttons_then_closes_overdue_poll_on_start(world, bot_factory):
    env = world.env
    msg = await custom_poll(world, hours=1)
    minji, jae, sora = world.fans
    await vote(minji, msg, 0)
    await vote(jae, msg, 2)
    await env.restart_bot(bot_factory())
    assert "**1. Sonaki**" in await vote(minji, msg, "mine")
    await vote(sora, msg, 2)
    await env.advance_time(2)
    assert counts(fresh(world.polls, msg)) == [1, 0, 2]

    # The bot is "down" (its closer stops) while the deadline passes; it closes the poll on start.
    cog(env).closer.cancel()
    await env.advance_time(3601)
    assert await env.bot.store.scalar("SELECT closed_at FROM polls") is None
    await env.restart_bot(bot_factory())
    assert await env.bot.store.scalar("SELECT closed_at FROM polls") is not None
    results = world.polls.last_message
    assert results.embeds[0].title == f"Results of poll #{poll_id(msg)}" and results.attachments


# ---------------------------------------------------------------------------- predictions
async def test_resolve_awards_points_leaderboard_and_stats(world):
    env = world.env
    minji, jae, sora = world.fans
    msg = await custom_poll(world, question="Who wins Baeksang best actor?", options="Byeon Woo-seok | Kim Soo-hyun")
    await vote(minji, msg, 0)
    await vote(jae, msg, 0)
    await vote(sora, msg, 1)
    pid = str(poll_id(msg))
    assert "still open" in await error_text(world.manager, world.polls, "poll resolve", poll=pid, answer="1")
    assert "Only the poll's creator" in await error_text(minji, world.polls, "poll close", poll=pid)
    result = await world.manager.slash(world.polls, "poll close", poll=pid)
    assert result.response.attachments  # the results with the chart answer the command here
    assert "Only server managers" in await error_text(minji, world.polls, "poll resolve", poll=pid, answer="1")
    assert "no option 3" in await error_text(world.manager, world.polls, "poll resolve", poll=pid, answer="3")
    simcord.assert_error(env, BadInput)
    result = await world.manager.slash(world.polls, "poll resolve", poll=pid, answer="Byeon Woo-seok")
    assert "2 members earned points" in result.response.content

    msg2 = await custom_poll(world, question="Episode 17 special?", options="yes | no")
    await vote(sora, msg2, 0)
    await vote(minji, msg2, 1)
    await world.manager.slash(world.polls, "poll close", poll=str(poll_id(msg2)))
    await world.manager.slash(world.polls, "poll resolve", poll=str(poll_id(msg2)), answer="1")

    board = (await world.fan.slash(world.general, "poll leaderboard")).response.embeds[0].description
    lines = board.splitlines()
    assert minji.mention in lines[0] or jae.mention in lines[0]
    assert "**10** points" in lines[0] and "**10** points" in lines[2] and len(lines) == 3
    stats = (await jae.slash(world.general, "poll stats", member=minji)).response.content
    assert "**10** points" in stats and "1/2" in stats and "50% accuracy" in stats
    stats = (await world.manager.slash(world.general, "poll stats")).response.content
    assert "no resolved predictions" in stats


async def test_owner_season2_status_change_resolves_open_and_closed_polls(world):
    env = world.env
    owner = world.guild.add_member(env.create_user("owner"))
    env.bot.settings = replace(env.bot.settings, owner_ids=frozenset({owner.id}))
    open_poll = await season2_poll(world)
    closed_poll = await season2_poll(world)
    minji, jae, sora = world.fans
    await vote(minji, open_poll, 0)  # a theory
    await vote(jae, open_poll, 3)  # no season 2
    await vote(sora, closed_poll, 2)
    await world.manager.slash(world.polls, "poll close", poll=str(poll_id(closed_poll)))

    text = await error_text(minji, world.general, "catalog season2", drama=LR, status="confirmed")
    assert "owners" in text
    simcord.assert_error(env, Refused)
    result = await owner.slash(world.general, "catalog season2", drama=LR, status="confirmed", note="tvN, 2026")
    assert "Resolved 2 season-2 polls" in result.response.content
    announcements = [m.content for m in world.polls.history() if "is confirmed" in (m.content or "")]
    assert len(announcements) == 2
    scores = dict(await env.bot.store.fetchall("SELECT user_id, points FROM poll_points"))
    assert scores == {minji.id: 10, jae.id: 0, sora.id: 10}
    assert "already confirmed" in await error_text(world.manager, world.polls, "poll season2", drama=LR)
    simcord.assert_error(env, BadInput)


async def test_status_changed_while_bot_down_resolves_on_start(world, bot_factory):
    env = world.env
    msg = await season2_poll(world)
    await vote(world.fans[0], msg, 3)
    drama = await env.bot.store.catalog.drama_by_slug(LR)
    await env.bot.store.catalog.set_season2(drama["id"], "denied", "the writer said no", "2026-01-01")  # CLI path
    await env.restart_bot(bot_factory())
    assert "is denied" in world.polls.last_message.content
    assert dict(await env.bot.store.fetchall("SELECT user_id, points FROM poll_points")) == {world.fans[0].id: 10}


# ---------------------------------------------------------------------------- rules and bad input
async def test_bad_input_is_refused_clearly_and_creates_nothing(world):
    env = world.env
    m, ch = world.manager, world.polls
    cases = [
        ({"question": "x" * 301, "options": "a | b"}, "limit is 300"),
        ({"question": "Q?", "options": "only one"}, "at least 2 options"),
        ({"question": "Q?", "options": " | ".join(f"o{i}" for i in range(21))}, "at most 20"),
        ({"question": "Q?", "options": "a | " + "b" * 81}, "limit is 80"),
        ({"question": "Q?", "options": "Yes | no | YES"}, "appears twice"),
        ({"question": "Q?", "options": "a | | b"}, "empty"),
        ({"question": "Q?", "options": "a | b", "minutes": 0.5}, "at least 1 minute"),
        ({"question": "Q?", "options": "a | b", "hours": 721}, "at most 30 days"),
        ({"question": "Q?", "options": "a | b", "hours": -1}, "negative"),
        ({"question": "Q?", "options": "a | b", "multiple": 3}, "only 2 options"),
        ({"question": "Q?", "options": "a | b", "drama": "no such drama zzz"}, "couldn't find"),
    ]
    for options, expected in cases:
        text = await error_text(m, ch, "poll create", **options)
        assert expected in text, (options, text)
    assert await poll_count(env) == 0
    assert "couldn't find" in await error_text(m, ch, "poll season2", drama="no such drama zzz")
    assert "can't find that poll" in await error_text(m, ch, "poll close", poll="999")
    assert "Pick a poll" in await error_text(m, ch, "poll results", poll="latest")
    assert await poll_count(env) == 0
    simcord.assert_error(env, NotFound)


async def test_permissions_for_create_close_and_everyone_mode(world):
    env = world.env
    minji, jae, _ = world.fans
    assert "Only server managers can create polls" in await error_text(
        minji, world.polls, "poll create", question="Q?", options="a | b")
    assert "Only server managers" in await error_text(minji, world.polls, "poll season2", drama=LR)
    simcord.assert_error(env, NotAllowed)
    assert await poll_count(env) == 0

    await env.bot.store.guilds.update(world.guild.id, poll_creators="everyone")
    msg = await custom_poll(world, actor=minji)
    pid = str(poll_id(msg))
    assert "Only the poll's creator" in await error_text(jae, world.polls, "poll close", poll=pid)
    assert "Only server managers" in await error_text(minji, world.polls, "poll resolve", poll=pid, answer="1")
    simcord.assert_error(env, Refused)
    result = await minji.slash(world.polls, "poll close", poll=pid)  # the creator may close her own poll
    assert not result.ephemeral and result.response.embeds[0].title.startswith("Results")
    assert "is up in" in (await jae.slash(world.polls, "poll create", question="Again?", options="a | b",
                                          channel=world.general)).response.content
    msg3 = world.general.last_message
    result = await world.manager.slash(world.polls, "poll close", poll=str(poll_id(msg3)))  # a manager may
    assert result.ephemeral and "results are posted" in result.response.content
    assert world.general.last_message.embeds[0].title.startswith("Results")
