"""/ask and "@dramabot <question>": free-text questions answered by the question engine.

Answers are public (everyone in the channel sees the fact) and never ping anyone: the bot's default
``allowed_mentions`` is none, and text echoed from the question is stripped of mentions and markdown.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections import OrderedDict

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import DramaBot
from bot.cooldowns import cooldown, tracker
from bot.errors import BadInput
from bot.knowledge.engine import engine_for
from bot.knowledge.executor import PAGE
from bot.knowledge.followup import Context
from bot.knowledge.model import Answer
from bot.reach import everywhere
from bot.ui import NO_PINGS, BaseView, escape, reply

log = logging.getLogger(__name__)

MAX_REPLY = 2000
ROLE_HINT = "\x00role"
ASK_MENU = "Ask dramabot"
ASK_MENU_HELP = "(message menu) Answer that message's text as a question."


def message_text(message: discord.Message) -> str:
    """The words of a message a menu was used on: its text, else its embeds' titles and descriptions."""
    parts = [message.content or ""]
    if not parts[0].strip():
        parts = [p for e in message.embeds for p in (e.title, e.description) if p]
    return " ".join(" ".join(parts).split())


# A new question by the same member in the same channel within this long may refer back ("who directed
# it?"); a reply to one of the bot's answers always may. Both are remembered in bounded maps.
FOLLOW_UP = dt.timedelta(minutes=5)
REMEMBERED = 2_000


def _fit(text: str, suffix: str = "") -> str:
    """An answer as sent: catalog and provider text escaped (no markdown, no mention pills), then cut to fit."""
    text = escape(text)
    room = MAX_REPLY - len(suffix)
    return (text if len(text) <= room else text[: room - 1] + "…") + suffix


class AnswerPages(BaseView):
    """Previous/Next under a long list answer (like /drama search); only the member who asked turns pages."""

    def __init__(self, cog: Ask, owner_id: int, answer: Answer) -> None:
        super().__init__(timeout=600)
        self.cog = cog
        self.owner_id = owner_id
        self.query = answer.query
        self.pages = answer.pages
        self.page = 0
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(
                "Only the member who asked can turn these pages; ask me yourself.", ephemeral=True)
            return False
        return True

    async def _show(self, interaction: discord.Interaction) -> None:
        self._sync()
        engine = engine_for(self.cog.bot.store)
        answer = await engine.run(self.query, offset=self.page * PAGE)
        text = _fit(answer.text, f"\n(page {self.page + 1} of {self.pages})")
        await interaction.response.edit_message(content=text, view=self, allowed_mentions=NO_PINGS)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.page = max(0, self.page - 1)
        await self._show(interaction)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.page = min(self.pages - 1, self.page + 1)
        await self._show(interaction)


class Ask(commands.Cog):
    """Ask the bot about dramas and actors."""

    feature = "Ask"
    help_note = "You can also mention me with a question, in a channel or in a DM."

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot
        self._recent: OrderedDict[tuple[int, int], tuple[dt.datetime, Context]] = OrderedDict()
        self._answers: OrderedDict[int, Context] = OrderedDict()  # the bot's answer message -> its context
        # "Ask dramabot" on any message: Discord hands us that message's text with the command, so no
        # message-content intent is needed. Same cooldown and the same answer as /ask.
        self.ask_menu = everywhere(app_commands.ContextMenu(
            name=ASK_MENU, callback=self.ask_message, extras={"who": "member", "description": ASK_MENU_HELP}))

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.ask_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.ask_menu.name, type=self.ask_menu.type)

    async def answer(self, question: str, *, channel_id: int | None = None, user_id: int | None = None,
                     replied_to: int | None = None) -> Answer:
        """The engine's answer; with a channel and member, a follow-up of their previous question (or of
        the answer they replied to) is understood, and this answer becomes what the next one refers to."""
        now = discord.utils.utcnow()
        key = (channel_id, user_id) if channel_id is not None and user_id is not None else None
        context = self._answers.get(replied_to) if replied_to is not None else None
        if context is None and key is not None and key in self._recent:
            when, previous = self._recent[key]
            context = previous if now - when <= FOLLOW_UP else None
        answer = await engine_for(self.bot.store).answer(question, today=now.date(), context=context)
        if key is not None:
            after = context.after(answer, question) if context else Context.first(answer, question)
            self._recent[key] = (now, after)
            self._recent.move_to_end(key)
            while len(self._recent) > REMEMBERED:
                self._recent.popitem(last=False)
            answer.context = after
        return answer

    def remember(self, message_id: int, context: Context | None) -> None:
        if context is None:
            return
        self._answers[message_id] = context
        while len(self._answers) > REMEMBERED:
            self._answers.popitem(last=False)

    async def send_answer(self, interaction: discord.Interaction, question: str) -> None:
        channel_id = interaction.channel_id if interaction.channel_id is not None else interaction.user.id
        answer = await self.answer(question, channel_id=channel_id, user_id=interaction.user.id)
        if answer.pages > 1:
            view = AnswerPages(self, interaction.user.id, answer)
            await reply(interaction, _fit(answer.text), view=view)
        else:
            await reply(interaction, _fit(answer.text))

    @everywhere
    @app_commands.command(name="ask", description="Ask about a K-drama or an actor, in your own words.",
                          extras={"who": "member"})
    @app_commands.describe(question="Your question, e.g. “Who plays Im Sol in Lovely Runner?”")
    @cooldown("ask", "ask_cooldown_seconds", again="ask again")
    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        await self.send_answer(interaction, question)

    @cooldown("ask", "ask_cooldown_seconds", again="ask again")
    async def ask_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        question = message_text(message)
        if not question.strip():
            raise BadInput("That message has no text I can read as a question.")
        await self.send_answer(interaction, question)

    # ------------------------------------------------------------------ mentions and DMs
    def _question_from(self, message: discord.Message) -> str | None:
        """The question in a message addressed to the bot, or None when it is not for us."""
        me = self.bot.user
        if me is None or message.author.bot:
            return None
        in_dm = message.guild is None
        mentioned = any(u.id == me.id for u in message.mentions)
        # Discord clients sometimes insert the bot's own integration (managed) role instead of the bot user.
        own = {r.id for r in getattr(message.guild.me, "roles", ()) if r.managed} if message.guild else set()
        role_mentioned = any(r.id in own for r in message.role_mentions)
        if not in_dm and not mentioned and not role_mentioned:
            return None
        text = re.sub(rf"<@!?{me.id}>", " ", message.content or "")
        for role_id in own:
            text = text.replace(f"<@&{role_id}>", " ")
        text = " ".join(text.split())
        if role_mentioned and not mentioned and not in_dm and not text:
            # Without the message-content intent Discord hides the text of a role mention.
            return ROLE_HINT
        return text

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        question = self._question_from(message)
        if question is None:
            return
        seconds = float(getattr(self.bot.settings, "ask_cooldown_seconds", 0) or 0)
        now = discord.utils.utcnow()
        cooldowns = tracker(self.bot)
        try:
            left = cooldowns.remaining("ask", message.author.id, seconds, now)
            if left > 0:
                text = f"Slow down a little: you can ask again in {math.ceil(left)} s."
            else:
                if seconds > 0:
                    cooldowns.charge("ask", message.author.id, now, seconds)
                if question == ROLE_HINT:
                    text = ("That mentioned my role, so Discord didn't show me your question. Mention me (the bot, "
                            "not the role) with your question, or use /ask.")
                else:
                    answer = await self.answer(question, channel_id=message.channel.id, user_id=message.author.id,
                                               replied_to=message.reference.message_id if message.reference else None)
                    sent = await message.reply(_fit(answer.text), mention_author=False, allowed_mentions=NO_PINGS)
                    self.remember(sent.id, answer.context)
                    return
            await message.reply(text, mention_author=False, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("could not answer a mention: %s", exc)
        except Exception:  # noqa: BLE001 - a mention must never crash the listener; logged with traceback
            log.exception("unexpected error answering a mention")

    @commands.Cog.listener()
    async def on_command_error(self, ctx: commands.Context, error: commands.CommandError) -> None:
        """The mention prefix makes discord.py look for text commands; there are none, so stay quiet."""
        if isinstance(error, commands.CommandNotFound):
            return
        log.warning("text command error: %s", error)


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Ask(bot))
