"""What a poll looks like on Discord: its buttons, its embed and the results message.

``PollButton`` is a ``DynamicItem`` (custom ids ``poll:<id>:<n|mine|withdraw>``) registered by the
polls cog at load, so clicks on old poll messages keep working after a restart; a click is handed to
``Polls.on_click`` (``cogs/polls.py``). The result lines themselves come from ``bot.polls.render``.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import NotFound
from bot.polls.chart import render_png
from bot.polls.model import SEASON2_POLL, Poll, Tally
from bot.polls.render import result_lines, voters_text
from bot.ui import NO_PINGS, BaseView, escape, handle_error

if TYPE_CHECKING:
    from cogs.polls import Polls

OPTION_ROWS, PER_ROW = 4, 5  # 20 option buttons, then a 5th row: My vote / Withdraw
BUTTON_LABEL = 40
COLOUR = discord.Colour.from_rgb(236, 72, 153)


esc = escape  # member text shown back in a message


def rel(moment) -> str:
    return f"<t:{int(moment.timestamp())}:R>"


def choice_text(poll: Poll, ballot: tuple[int, ...]) -> str:
    return ", ".join(f"**{p + 1}. {esc(poll.label(p))}**" for p in ballot)


# ---------------------------------------------------------------------------- native Discord polls
def native_poll(poll: Poll) -> discord.Poll:
    """A Discord poll for ``poll`` (checked against Discord's limits by ``rules.check_native``)."""
    hours = round((poll.closes_at - poll.created_at).total_seconds() / 3600)
    native = discord.Poll(question=poll.question, duration=timedelta(hours=hours), multiple=poll.max_choices > 1)
    for option in poll.options:
        native.add_answer(text=option.label)
    return native


def native_intro(poll: Poll) -> str:
    return (f"📊 Poll #{poll.id}: vote in the Discord poll below. When it ends I post the results; a manager can "
            "then `/poll resolve` it for prediction points.")


# ---------------------------------------------------------------------------- components
class PollButton(discord.ui.DynamicItem[discord.ui.Button], template=r"poll:(?P<poll>\d+):(?P<action>\d{1,2}|mine|withdraw)"):
    """One button of a poll message; rebuilt from its custom id on every click (survives restarts)."""

    def __init__(self, poll_id: int, action: str, *, label: str = "…", style=discord.ButtonStyle.secondary,
                 row: int | None = None, disabled: bool = False) -> None:
        super().__init__(discord.ui.Button(label=label, style=style, row=row, disabled=disabled,
                                           custom_id=f"poll:{poll_id}:{action}"))
        self.poll_id = poll_id
        self.action = action

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str]) -> PollButton:
        return cls(int(match["poll"]), match["action"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            cog: Polls | None = interaction.client.get_cog("Polls")  # type: ignore[union-attr]
            if cog is None:
                raise NotFound("Polls are switched off right now.")
            await cog.on_click(interaction, self.poll_id, self.action)
        except Exception as exc:  # noqa: BLE001 - every failure goes through the central handler
            await handle_error(interaction, exc)


def build_view(poll: Poll, *, disabled: bool = False) -> BaseView:
    view = BaseView(timeout=None)
    for option in poll.options:
        label = f"{option.position + 1}. {option.label}"
        if len(label) > BUTTON_LABEL:  # the full text is in the embed; long buttons are unreadable
            label = label[: BUTTON_LABEL - 1].rstrip() + "…"
        style = discord.ButtonStyle.success if (disabled and option.correct) else discord.ButtonStyle.primary
        view.add_item(PollButton(poll.id, str(option.position), label=label[:80], style=style,
                                 row=option.position // PER_ROW, disabled=disabled))
    view.add_item(PollButton(poll.id, "mine", label="My vote", row=OPTION_ROWS))
    view.add_item(PollButton(poll.id, "withdraw", label="Withdraw", style=discord.ButtonStyle.danger,
                             row=OPTION_ROWS, disabled=disabled))
    return view


def poll_embed(poll: Poll, tally: Tally) -> discord.Embed:
    show = poll.results_visible()
    lines = [f"**{esc(poll.question)}**", ""]
    lines += result_lines(poll, tally, esc, show_counts=show)
    facts = [voters_text(tally)]
    if poll.is_closed:
        facts.insert(0, f"Closed {rel(poll.closed_at)}")
    else:
        facts.insert(0, f"Closes {rel(poll.closes_at)}")
    if poll.max_choices > 1:
        facts.append(f"pick up to {poll.max_choices}")
    if poll.anonymous:
        facts.append("anonymous")
    if poll.hide_results and not poll.is_closed:
        facts.append("results hidden until it closes")
    if poll.role_id:
        facts.append(f"voters: <@&{poll.role_id}>")
    lines += ["", " · ".join(facts)]
    title = "Season-2 speculation poll" if poll.kind == SEASON2_POLL else "Poll"
    embed = discord.Embed(title=f"{title} #{poll.id}", description="\n".join(lines)[:4096], colour=COLOUR)
    if poll.resolved_at is not None:
        embed.set_footer(text="Resolved: ✅ marks the correct answer.")
    elif not poll.is_closed:
        embed.set_footer(text="Click an option to vote; click again or another to change. My vote shows yours.")
    return embed


def results_title(poll_id: int) -> str:
    """The results embed's title (a closer that finishes another process's close looks for it on Discord)."""
    return f"Results of poll #{poll_id}"


def results_message(poll: Poll, tally: Tally, *, chart: bool) -> dict[str, Any]:
    embed = discord.Embed(title=results_title(poll.id), colour=COLOUR,
                          description="\n".join([f"**{esc(poll.question)}**", "", *result_lines(poll, tally, esc, show_counts=True),
                                                 "", voters_text(tally)])[:4096])
    out: dict[str, Any] = {"embed": embed, "allowed_mentions": NO_PINGS}
    if chart:
        name = f"poll-{poll.id}.png"
        out["file"] = discord.File(io.BytesIO(render_png(poll, tally)), filename=name)
        embed.set_image(url=f"attachment://{name}")
    return out
