"""/poll: season-2 speculation polls, custom polls, predictions and a leaderboard.

Discord <-> domain only: rules live in ``bot.polls``, SQL and the group-commit vote writer in
``store.polls``; the buttons, embed and results message are ``cogs/_poll_views.py`` (a ``DynamicItem``
registered at load, so clicks on old poll messages keep working after a restart). The poll messages are
edited by ``cogs/_poll_edits.py`` (at most one edit per poll every 2 s, across every process; the last
state is always shown). A loop closes due polls (index ``polls_due``) and, on start, closes what fell due
while the bot was down, resolves season-2 polls whose drama's status was settled meanwhile, and edits
poll messages left stale by an edit still pending when the previous process stopped. A clean shutdown
sends the owed edits as soon as their slots allow (``cog_unload``).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from functools import partial

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import checks
from bot.catalog import seasons
from bot.catalog.names import norm
from bot.client import DramaBot
from bot.cooldowns import cooldown
from bot.errors import BadInput, NotAllowed, NotFound, StoreBusy
from bot.polls import ballot as ballots
from bot.polls import rules
from bot.polls.ballot import VoteOp
from bot.polls.model import SEASON2_POLL, NewPoll, Poll, Tally, to_iso
from bot.polls.scoring import RULE_TEXT
from bot.ui import NO_PINGS, defer_hook, reply
from cogs._drama_option import drama_autocomplete, resolve_drama
from cogs._poll_edits import PollMessages
from cogs._poll_views import (
    COLOUR,
    PollButton,
    build_view,
    choice_text,
    esc,
    native_intro,
    native_poll,
    poll_embed,
    rel,
    results_message,
    results_title,
)
from cogs._schedule_announcer import CLOCK_SLACK_SECONDS, HISTORY_LOOKBACK_MAX

log = logging.getLogger(__name__)

CLOSE_CHECK_MAX_SECONDS = 600  # the closer sleeps until the next deadline, at most this long
STATUS_WORD = {"confirmed": "confirmed", "denied": "denied"}


# ---------------------------------------------------------------------------- the cog
class Polls(commands.GroupCog, group_name="poll", group_description="Season-2 speculation polls and predictions."):
    """Polls, votes, predictions and the leaderboard."""

    feature = "Polls"
    help_note = RULE_TEXT + " Managers create polls unless /settings poll-creators opens that to everyone."

    theory = app_commands.Group(name="theory", description="Fan theories used as season-2 poll options.")

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot
        self.store = bot.store
        self.messages = PollMessages(bot, bot.store)
        self._reconciled = False
        self._deadline_hint: datetime | None = None
        self._resolving = asyncio.Lock()  # the command and the start-up reconcile must not both resolve

    async def cog_load(self) -> None:
        self.store.polls.configure_secret(self.bot.settings.vote_secret)
        self.bot.add_dynamic_items(PollButton)
        self.closer.start()

    async def cog_unload(self) -> None:
        self.closer.cancel()
        self.bot.remove_dynamic_items(PollButton)
        await self.messages.stop()

    # ------------------------------------------------------------------ helpers
    async def _guild_poll(self, interaction: discord.Interaction, typed: str) -> Poll:
        poll = await self.store.polls.get(rules.parse_poll_id(typed))
        if poll is None or interaction.guild is None or poll.guild_id != interaction.guild.id:
            raise NotFound("I can't find that poll in this server.")
        return poll

    async def _require_creator(self, interaction: discord.Interaction) -> None:
        await checks.require_guild(interaction)
        settings = await self.store.guilds.get(interaction.guild.id)  # type: ignore[union-attr]
        if settings.poll_creators == "everyone" or await checks.is_manager(interaction):
            return
        raise NotAllowed("Only server managers can create polls here (a manager can open that to everyone "
                         "with /settings poll-creators).")

    def _channel(self, channel_id: int) -> discord.abc.Messageable | None:
        return self.bot.get_channel(channel_id)  # type: ignore[return-value]

    def _target_channel(self, interaction: discord.Interaction, channel: discord.TextChannel | None):
        target = channel or interaction.channel
        member = interaction.user
        if isinstance(member, discord.Member) and hasattr(target, "permissions_for"):
            perms = target.permissions_for(member)
            if not (perms.view_channel and perms.send_messages):
                raise NotAllowed(f"You can't post in {target.mention}, so I won't post a poll there for you.")
        return target

    async def _publish(self, interaction: discord.Interaction, new: NewPoll, target) -> Poll:
        poll = await self.store.polls.create(new)
        tally = Tally(counts=(0,) * len(poll.options), voters=0)
        if poll.native:  # Discord draws the poll and holds its votes until it ends
            content = {"content": native_intro(poll), "poll": native_poll(poll)}
        else:
            content = {"embed": poll_embed(poll, tally), "view": build_view(poll)}
        try:
            if target.id == interaction.channel_id and interaction.response.is_done():  # deferred: store busy
                message = await interaction.followup.send(**content, allowed_mentions=NO_PINGS, wait=True)
            elif target.id == interaction.channel_id:
                await interaction.response.send_message(**content, allowed_mentions=NO_PINGS)
                message = await interaction.original_response()
            else:
                message = await target.send(**content, allowed_mentions=NO_PINGS)
                await reply(interaction, f"Poll #{poll.id} is up in {target.mention}.", ephemeral=True)
        except BaseException:
            await self.store.polls.delete(poll.id)
            raise
        await self.store.polls.set_message(poll.id, message.id)
        self._wake_closer_by(poll.closes_at)
        log.info("poll %d created in guild %d (%d options)", poll.id, poll.guild_id, len(poll.options))
        return poll

    async def _post(self, poll: Poll, send, what: str, **payload) -> None:
        """Post about a poll: as the reply (``send``) or in the poll's channel; a failure is only logged."""
        try:
            if send is not None:
                await send(**payload)
            else:
                channel = self._channel(poll.channel_id)
                if channel is not None:
                    await channel.send(**payload)
        except discord.HTTPException as exc:
            log.warning("could not %s poll %d: %s", what, poll.id, exc)

    # ------------------------------------------------------------------ background loop
    @tasks.loop(seconds=CLOSE_CHECK_MAX_SECONDS)
    async def closer(self) -> None:
        """Close due polls (on the first round also those that fell due while the bot was down), then
        sleep until the next deadline. New polls with an earlier deadline wake it (``_wake_closer_by``)."""
        self._deadline_hint = None
        wait = float(CLOSE_CHECK_MAX_SECONDS)
        try:
            if not self._reconciled:
                self._reconciled = True
                await self.messages.catch_up()
                await self.auto_resolve(None)
            for poll_id in await self.store.polls.due(discord.utils.utcnow(), shards=self.bot.shard_slice()):
                await self.close_poll(poll_id)
            for poll_id in await self.store.polls.results_owed(discord.utils.utcnow(), shards=self.bot.shard_slice()):
                await self.finish_results(poll_id)
            upcoming = [d for d in (await self.store.polls.next_deadline(shards=self.bot.shard_slice()), self._deadline_hint) if d is not None]
            if upcoming:
                wait = (min(upcoming) - discord.utils.utcnow()).total_seconds()
        except Exception:  # noqa: BLE001 - keep the loop alive; the next round retries
            log.exception("closing due polls failed")
            wait = 30.0
        self.closer.change_interval(seconds=min(float(CLOSE_CHECK_MAX_SECONDS), max(1.0, wait)))

    def _wake_closer_by(self, deadline: datetime) -> None:
        self._deadline_hint = min(deadline, self._deadline_hint or deadline)
        upcoming = self.closer.next_iteration
        if upcoming is None or deadline >= upcoming:
            return
        last = upcoming - timedelta(seconds=self.closer.seconds)
        self.closer.change_interval(seconds=max(1.0, (deadline - last).total_seconds()))

    @closer.before_loop
    async def _before_closer(self) -> None:
        await self.bot.wait_until_ready()

    async def close_poll(self, poll_id: int, *, send=None) -> Poll | None:
        """Close (if still open), post the results with the chart, disable the buttons. A Discord poll is
        ended on Discord and its final votes are stored with the close (then it scores like any poll)."""
        ballots = None
        current = await self.store.polls.get(poll_id)
        if current is not None and current.native and current.closed_at is None:
            ballots = await self._native_ballots(current)
        poll = await self.store.polls.close(poll_id, discord.utils.utcnow(), ballots)
        if poll is None:
            return None
        voters = await self._post_results(poll, send)
        self.messages.mark_dirty(poll.id)
        log.info("poll %d closed (%d voters)", poll.id, voters)
        return poll

    async def _post_results(self, poll: Poll, send=None) -> int:
        """Post a closed poll's results (as the reply ``send``, or in its channel) and record that they are out;
        a refusal is only logged. Returns the number of voters."""
        tally = await self.store.polls.tally(poll)
        message_id = 0  # (0: out as a command's reply, or refused)
        try:
            if send is not None:
                await send(**results_message(poll, tally, chart=True))
            elif (channel := self._channel(poll.channel_id)) is not None:
                message_id = (await channel.send(**results_message(poll, tally, chart=True))).id
        except discord.HTTPException as exc:
            log.warning("could not post the results of poll %d: %s", poll.id, exc)
        await self.store.polls.results_posted(poll.id, message_id)
        return tally.voters

    async def finish_results(self, poll_id: int) -> None:
        """Results a stopped process owed (it closed the poll, then died before recording the post): looked
        for on Discord first, posted only when they are not there. Exactly once, like the announcer's sends."""
        if not await self.store.polls.claim_results(poll_id, discord.utils.utcnow()):
            return  # posted meanwhile, or another process holds them
        poll = await self.store.polls.get(poll_id)
        if poll is None or poll.closed_at is None:
            return
        found = await self._find_results(poll)
        if found is not None:
            await self.store.polls.results_posted(poll.id, found)
            log.info("the results of poll %d had already reached Discord; not posting them again", poll.id)
            return
        log.info("posting the results of poll %d, owed by a process that stopped", poll.id)
        await self._post_results(poll)

    async def _find_results(self, poll: Poll) -> int | None:
        """The id of this bot's results message for ``poll`` in its channel since the close, else None."""
        channel = self._channel(poll.channel_id)
        if channel is None or poll.closed_at is None:
            return None
        title = results_title(poll.id)
        try:
            async for message in channel.history(limit=HISTORY_LOOKBACK_MAX, oldest_first=True,  # type: ignore[attr-defined]
                                                 after=poll.closed_at - timedelta(seconds=CLOCK_SLACK_SECONDS)):
                if message.author.id == self.bot.user.id and any(e.title == title for e in message.embeds):
                    return message.id
        except discord.HTTPException as exc:  # can't read back: post (a duplicate beats no results)
            log.warning("could not look for the results of poll %d: %s", poll.id, exc)
        return None

    async def _native_ballots(self, poll: Poll) -> dict[int, tuple[int, ...]]:
        """Who voted what in a Discord poll, read from Discord once it has ended (ended here first when it
        is closed early). A message that is gone counts as no votes; any other failure is raised, so the
        poll stays open and the closer tries again."""
        channel = self._channel(poll.channel_id)
        if channel is None or poll.message_id is None:
            return {}
        try:
            message = await channel.fetch_message(poll.message_id)  # type: ignore[attr-defined]
        except (discord.NotFound, discord.Forbidden) as exc:
            log.warning("the message of Discord poll %d is gone (%s); closing it without votes", poll.id, exc)
            return {}
        if message.poll is None:
            return {}
        if not message.poll.is_finalised():
            message = await message.end_poll()
        ballots: dict[int, list[int]] = {}
        for answer in message.poll.answers:  # type: ignore[union-attr]
            seen: set[int] = set()
            async for user in answer.voters():
                if user.id in seen:  # a server that ignores paging would repeat the first page for ever
                    break
                seen.add(user.id)
                if 1 <= answer.id <= len(poll.options):
                    ballots.setdefault(user.id, []).append(answer.id - 1)
        return {user_id: tuple(sorted(positions)) for user_id, positions in ballots.items()}

    async def resolve_poll(self, poll: Poll, correct: tuple[int, ...], by: str, *, headline: str, send=None) -> int:
        poll, scored = await self.store.polls.resolve(poll.id, correct, by, discord.utils.utcnow())
        answer = choice_text(poll, correct) or "none of the options"
        text = f"{headline}\nPoll #{poll.id} — {esc(poll.question)}\nCorrect: {answer}."
        if poll.anonymous:
            text += "\nThis poll was anonymous, so it awards no points."
        else:
            text += f"\n{scored} member{'s' if scored != 1 else ''} earned points. See `/poll leaderboard`."
        await self._post(poll, send, "announce the resolution of", content=text, allowed_mentions=NO_PINGS)
        self.messages.mark_dirty(poll.id)  # show ✅ on the poll message
        return scored

    async def auto_resolve(self, drama_id: int | None) -> int:
        """Resolve unresolved season-2 polls whose drama is now confirmed/denied (all dramas if None)."""
        async with self._resolving:
            return await self._auto_resolve(drama_id)

    async def _auto_resolve(self, drama_id: int | None) -> int:
        done = 0
        for poll_id, status in await self.store.polls.unresolved_season2(drama_id):
            poll = await self.store.polls.get(poll_id)
            if poll is None:
                continue
            if not poll.is_closed:
                poll = await self.close_poll(poll_id) or poll
            drama = await self.store.catalog.get_drama(poll.drama_id) if poll.drama_id else None
            title = esc(drama["title"]) if drama else "this drama"
            headline = f"📣 Season 2 of **{title}** is {STATUS_WORD[status]}!"
            await self.resolve_poll(poll, rules.season2_answer(poll.options, status), f"season2:{status}",
                                    headline=headline)
            done += 1
        return done

    @commands.Cog.listener()
    async def on_season2_status_changed(self, drama_id: int) -> None:
        await self.auto_resolve(drama_id)

    # ------------------------------------------------------------------ clicks
    async def on_click(self, interaction: discord.Interaction, poll_id: int, action: str) -> None:
        poll = await self.store.polls.get(poll_id)
        if poll is None:
            raise NotFound("This poll no longer exists.")
        key = self.store.polls.voter_key(poll, interaction.user.id)
        now = discord.utils.utcnow()
        if action == "mine":
            mine = await self.store.polls.ballot(poll.id, key)
            text = f"Your vote: {choice_text(poll, mine)}." if mine else "You haven't voted in this poll."
            if poll.accepts_votes(now):
                text += f" The poll closes {rel(poll.closes_at)}."
            else:
                text += " This poll is closed."
            await reply(interaction, text, ephemeral=True)
            return
        if not poll.accepts_votes(now):
            raise BadInput("This poll is closed.")
        if poll.role_id is not None:
            roles = getattr(interaction.user, "roles", [])
            if not any(r.id == poll.role_id for r in roles):
                raise NotAllowed(f"Only members with the <@&{poll.role_id}> role can vote in this poll.")
        if action == "withdraw":
            op = VoteOp(poll.id, key, None, ballots.CLEAR, None, to_iso(now))
        else:
            position = int(action)
            op = VoteOp(poll.id, key, None if poll.anonymous else interaction.user.id,
                        ballots.TOGGLE if poll.max_choices > 1 else ballots.SET, position, to_iso(now))
        # Returns after COMMIT. If another process holds the database, the click is deferred first (its
        # first answer within Discord's 3 s) and StoreBusy tells the member the vote was not stored.
        try:
            result = await self.store.polls.vote(op, on_wait=defer_hook(interaction, ephemeral=True))
        except StoreBusy:
            raise StoreBusy("Your vote was not stored: the database is busy right now. Please click again in a "
                            "moment.") from None
        if result.outcome == ballots.CLOSED:
            raise BadInput("This poll is closed.")
        if result.outcome == ballots.LIMIT:
            raise BadInput(f"You can pick up to {poll.max_choices} options. Click one of yours to drop it, "
                           "or Withdraw to start over.")
        if result.outcome == ballots.BAD_OPTION:
            raise NotFound("That option is not part of this poll.")
        if result.changed:
            self.messages.mark_dirty(poll.id)
        if action == "withdraw":
            text = "Your vote is withdrawn." if result.changed else "You had no vote to withdraw."
            text += f" You can vote again until the poll closes {rel(poll.closes_at)}."
        elif result.ballot:
            text = (f"Your vote: {choice_text(poll, result.ballot)}. You can change it until the poll closes "
                    f"{rel(poll.closes_at)}.")
        else:
            text = f"You have no options picked now. You can vote until the poll closes {rel(poll.closes_at)}."
        await reply(interaction, text, ephemeral=True)

    # ------------------------------------------------------------------ autocomplete
    async def _poll_choices(self, interaction: discord.Interaction, current: str, state: str):
        if interaction.guild is None:
            return []
        typed = (current or "").casefold().lstrip("#")
        found = await self.store.polls.list_for_guild(interaction.guild.id, state=state, limit=100)
        out = []
        for poll_id, question, is_open in found:
            name = f"#{poll_id} {question}" + ("" if is_open else " (closed)")
            if typed and typed not in name.casefold():
                continue
            out.append(app_commands.Choice(name=name[:100], value=str(poll_id)))
        return out[:25]

    async def open_polls(self, interaction: discord.Interaction, current: str):
        return await self._poll_choices(interaction, current, "open")

    async def closed_polls(self, interaction: discord.Interaction, current: str):
        return await self._poll_choices(interaction, current, "closed")

    async def any_polls(self, interaction: discord.Interaction, current: str):
        return await self._poll_choices(interaction, current, "any")

    # ------------------------------------------------------------------ commands
    @app_commands.command(name="season2", description="Start a season-2 speculation poll from a drama's fan theories.",
                          extras={"who": "manager"})
    @app_commands.describe(drama="The drama (pick from the list)", hours="How long it stays open (default 24, decimals ok)",
                           minutes="Extra minutes on top of hours", channel="Where to post it (default: here)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.check(checks.require_guild)
    @cooldown("poll", "poll_cooldown_seconds", again="create another poll")
    async def season2(self, interaction: discord.Interaction, drama: str, hours: float | None = None,
                      minutes: float | None = None, channel: discord.TextChannel | None = None) -> None:
        await self._require_creator(interaction)
        length = rules.duration(hours, minutes)
        now = discord.utils.utcnow()
        # About the season that does not exist yet: season 4 of Squid Game, whose seasons 1-3 have aired.
        chosen = await resolve_drama(self.bot, drama)
        base, _number = seasons.season_of(chosen["title"])
        siblings = [await self.store.catalog.get_drama(r["id"])
                    for r in await self.store.catalog.find_dramas(norm(base), limit=50)]
        plan = seasons.next_season(chosen, [r for r in siblings if r is not None], now.date())
        row, title = plan.latest, plan.series
        if row["season2_status"] in STATUS_WORD:
            raise BadInput(f"Season {plan.number} of {esc(title)} is already {row['season2_status']}; "
                           "nothing left to predict.")
        target = self._target_channel(interaction, channel)
        theories = await self.store.polls.theories(row["id"], interaction.guild.id)  # type: ignore[union-attr]
        new = NewPoll(
            guild_id=interaction.guild.id, channel_id=target.id, creator_id=interaction.user.id,  # type: ignore[union-attr]
            question=f"Season {plan.number} of {title}: what will happen?"[: rules.MAX_QUESTION_LEN],
            options=rules.season2_options(theories, plan.number), created_at=now,
            closes_at=rules.closes_at(now, length), kind=SEASON2_POLL, drama_id=row["id"],
        )
        await self._publish(interaction, new, target)

    @app_commands.command(name="create", description="Create a poll; options separated by |.", extras={"who": "manager"})
    @app_commands.describe(question="What you ask (up to 300 characters)", options="2 to 20 options separated by |",
                           hours="How long it stays open (default 24, decimals ok)", minutes="Extra minutes on top of hours",
                           multiple="How many options each member may pick (default 1)",
                           anonymous="Hide who voted, from everyone (no points)", hide_results="Hide counts until it closes",
                           drama="The drama it is about (optional)", channel="Where to post it (default: here)",
                           role="Only members with this role may vote (optional)",
                           native="Post a Discord poll instead of buttons (up to 10 answers, whole hours, 1 h to 32 days)")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.check(checks.require_guild)
    @cooldown("poll", "poll_cooldown_seconds", again="create another poll")
    async def create(self, interaction: discord.Interaction, question: str, options: str, hours: float | None = None,
                     minutes: float | None = None, multiple: int | None = None, anonymous: bool = False,
                     hide_results: bool = False, drama: str | None = None, channel: discord.TextChannel | None = None,
                     role: discord.Role | None = None, native: bool = False) -> None:
        await self._require_creator(interaction)
        text = rules.clean_question(question)
        choices = rules.parse_options(options)
        limit = rules.max_choices(multiple, len(choices))
        length = rules.duration(hours, minutes, rules.NATIVE_MAX_DURATION if native else rules.MAX_DURATION)
        if native:
            rules.check_native(choices, length, max_choices=limit, anonymous=anonymous, hide_results=hide_results,
                               role=role is not None)
        drama_id = (await resolve_drama(self.bot, drama))["id"] if drama else None
        target = self._target_channel(interaction, channel)
        now = discord.utils.utcnow()
        new = NewPoll(
            guild_id=interaction.guild.id, channel_id=target.id, creator_id=interaction.user.id,  # type: ignore[union-attr]
            question=text, options=choices, created_at=now, closes_at=rules.closes_at(now, length), drama_id=drama_id,
            max_choices=limit, anonymous=anonymous, hide_results=hide_results, role_id=role.id if role else None,
            native=native,
        )
        await self._publish(interaction, new, target)

    @app_commands.command(name="close", description="Close a poll now and post its results (its creator or a manager).",
                          extras={"who": "manager"})
    @app_commands.describe(poll="The poll to close (open polls in this server)")
    @app_commands.autocomplete(poll=open_polls)
    @checks.check(checks.require_guild)
    async def close(self, interaction: discord.Interaction, poll: str) -> None:
        found = await self._guild_poll(interaction, poll)
        if found.creator_id != interaction.user.id and not await checks.is_manager(interaction):
            raise NotAllowed("Only the poll's creator or a server manager can close it.")
        if found.is_closed:
            raise BadInput(f"Poll #{found.id} is already closed; see `/poll results`.")
        send = partial(reply, interaction) if found.channel_id == interaction.channel_id else None
        closed = await self.close_poll(found.id, send=send)
        if closed is None:
            raise BadInput(f"Poll #{found.id} is already closed; see `/poll results`.")
        if send is None:
            await reply(interaction, f"Poll #{found.id} is closed; results are posted in <#{found.channel_id}>.",
                        ephemeral=True)

    @app_commands.command(name="results", description="Show a poll's results (hidden ones only after it closes).")
    @app_commands.describe(poll="The poll (this server's polls)")
    @app_commands.autocomplete(poll=any_polls)
    @checks.check(checks.require_guild)
    async def results(self, interaction: discord.Interaction, poll: str) -> None:
        found = await self._guild_poll(interaction, poll)
        if found.native and not found.is_closed:
            raise BadInput(f"Poll #{found.id} is a Discord poll: its live results are on the poll itself. Its final "
                           f"results are posted when it closes {rel(found.closes_at)}.")
        if not found.results_visible():
            raise BadInput(f"The results of poll #{found.id} are hidden until it closes {rel(found.closes_at)}.")
        tally = await self.store.polls.tally(found)
        await interaction.response.send_message(**results_message(found, tally, chart=found.is_closed))

    @app_commands.command(name="resolve", description="Record a closed poll's correct answer and award points.",
                          extras={"who": "manager"})
    @app_commands.describe(poll="The closed poll", answer="Correct option number(s), e.g. 2 or 1|3, or the option's text")
    @app_commands.autocomplete(poll=closed_polls)
    @checks.manager_only()
    async def resolve(self, interaction: discord.Interaction, poll: str, answer: str) -> None:
        found = await self._guild_poll(interaction, poll)
        if not found.is_closed:
            raise BadInput(f"Poll #{found.id} is still open; close it first with `/poll close`.")
        correct = rules.parse_answer(answer, found.options)
        send = partial(reply, interaction) if found.channel_id == interaction.channel_id else None
        await self.resolve_poll(found, correct, f"member:{interaction.user.id}",
                                headline=f"🔮 Poll #{found.id} is resolved.", send=send)
        if send is None:
            await reply(interaction, f"Poll #{found.id} is resolved; announced in <#{found.channel_id}>.",
                        ephemeral=True)

    @app_commands.command(name="leaderboard", description="This server's best season-2 and poll predictors.")
    @checks.check(checks.require_guild)
    async def leaderboard(self, interaction: discord.Interaction) -> None:
        top = await self.store.polls.leaderboard(interaction.guild.id, limit=10)  # type: ignore[union-attr]
        if not top:
            text = "No resolved predictions yet. Vote in polls; points come when a poll is resolved."
        else:
            medals = {1: "🥇", 2: "🥈", 3: "🥉"}
            text = "\n".join(
                f"{medals.get(i, f'{i}.')} <@{s.user_id}> — **{s.points}** points · {s.hits}/{s.predictions} right"
                f" · {s.accuracy * 100:.0f}% accuracy"
                for i, s in enumerate(top, start=1)
            )
        embed = discord.Embed(title="Prediction leaderboard", description=text, colour=COLOUR)
        embed.set_footer(text="10 points per correct prediction (split across several picks).")
        await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS)

    @app_commands.command(name="stats", description="A member's prediction points, rank and accuracy.")
    @app_commands.describe(member="Whose stats (default: yours)")
    @checks.check(checks.require_guild)
    async def stats(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        who = member or interaction.user
        score, rank = await self.store.polls.stats(interaction.guild.id, who.id)  # type: ignore[union-attr]
        if rank is None:
            text = f"{who.mention} has no resolved predictions yet."
        else:
            text = (f"{who.mention}: **{score.points}** points, rank #{rank} · {score.hits}/{score.predictions} "
                    f"predictions right · {score.accuracy * 100:.0f}% accuracy")
        await interaction.response.send_message(text, allowed_mentions=NO_PINGS)

    @theory.command(name="add", description="Add a fan theory for a drama's season-2 polls in this server.",
                    extras={"who": "manager"})
    @app_commands.describe(drama="The drama (pick from the list)", text="The theory, up to 80 characters")
    @app_commands.autocomplete(drama=drama_autocomplete)
    @checks.manager_only()
    async def theory_add(self, interaction: discord.Interaction, drama: str, text: str) -> None:
        cleaned = rules.clean_theory(text)
        row = await resolve_drama(self.bot, drama)
        added = await self.store.polls.add_theory(row["id"], interaction.guild.id, cleaned,  # type: ignore[union-attr]
                                                  f"member:{interaction.user.id}", discord.utils.utcnow())
        if not added:
            raise BadInput(f"That theory is already listed for {esc(row['title'])}.")
        await reply(interaction, f"Added to {esc(row['title'])}'s theories: “{esc(cleaned)}”. "
                                 "New `/poll season2` polls will include it.", ephemeral=True)


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Polls(bot))
