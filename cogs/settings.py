"""/settings: each server's own configuration (announcement channel, manager role, who may create polls,
time zone, announcement grace period). Anyone may look; only managers may change.

The values live in ``guild_settings`` (``store.guilds``); other features read them from there
(``(await store.guilds.get(guild_id)).zone`` for the time zone, ``.grace_minutes``, ...).
"""

from __future__ import annotations

import difflib
import functools
import zoneinfo

import discord
from discord import app_commands
from discord.ext import commands

from bot import checks
from bot.client import DramaBot
from bot.errors import BadInput, NotAllowed
from bot.store.guilds import GRACE_MINUTES_MAX, GuildSettings
from bot.ui import escape, reply

NEEDED_IN_CHANNEL = ("view_channel", "send_messages", "embed_links")
CREATORS_LABEL = {"managers": "managers only", "everyone": "everyone"}


@functools.cache
def _zones() -> dict[str, str]:
    """Every IANA zone name, keyed by its lower-case form (so ``asia/seoul`` is accepted)."""
    names = {z for z in zoneinfo.available_timezones() if not z.startswith(("posix/", "right/"))}
    names.add("UTC")
    return {name.lower(): name for name in names}


def parse_timezone(typed: str) -> str:
    """The canonical IANA name for what a member typed, or :class:`BadInput` with suggestions."""
    cleaned = (typed or "").strip().replace(" ", "_")
    zones = _zones()
    found = zones.get(cleaned.lower())
    if found is not None:
        return found
    shown = escape((typed or "").strip()[:60]) or "that"
    close = difflib.get_close_matches(cleaned.lower(), list(zones), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(zones[c] for c in close)}?" if close else ""
    raise BadInput(
        f"“{shown}” is not a time zone I know. Use an IANA name such as Asia/Seoul, Europe/Paris or "
        f"America/New_York (the list appears as you type).{hint}"
    )


def _channel_text(guild: discord.Guild, channel_id: int | None) -> str:
    if channel_id is None:
        return "not set (each /schedule follow must name a channel)"
    channel = guild.get_channel(channel_id)
    return channel.mention if channel else "a deleted channel (set a new one)"


def _role_text(guild: discord.Guild, role_id: int | None) -> str:
    if role_id is None:
        return "not set (members with Manage Server are managers)"
    role = guild.get_role(role_id)
    return role.mention if role else "a deleted role (set a new one)"


def settings_embed(guild: discord.Guild, current: GuildSettings, retention_days: int) -> discord.Embed:
    now = discord.utils.utcnow().astimezone(current.zone)
    embed = discord.Embed(title=f"Settings for {guild.name}"[:256], colour=discord.Colour.from_rgb(236, 72, 153))
    embed.add_field(name="Announcement channel", value=_channel_text(guild, current.announce_channel_id), inline=False)
    embed.add_field(name="Manager role", value=_role_text(guild, current.manager_role_id), inline=False)
    embed.add_field(name="Who may create polls", value=CREATORS_LABEL.get(current.poll_creators, current.poll_creators))
    embed.add_field(name="Time zone", value=f"{current.timezone} (now {now:%a %H:%M})")
    embed.add_field(name="Announcement grace period",
                    value=f"{current.grace_minutes} minutes (later than that, a missed announcement is skipped)")
    kept = "deleted at once" if retention_days == 0 else f"kept {retention_days} days, then deleted"
    embed.add_field(name="If dramabot is removed", value=f"Announcements stop at once; this server's data is {kept} "
                                                         "(set by the bot's host).", inline=False)
    embed.set_footer(text="Managers change these with /settings announcements, manager-role, poll-creators, "
                          "timezone and grace.")
    return embed


class Settings(commands.GroupCog, group_name="settings", group_description="This server's dramabot settings."):
    """Server settings."""

    feature = "Settings"
    answers_privately = True  # a write that waits for the database defers privately (bot.client)
    help_note = "Managers: members with Manage Server, or the manager role set here."

    def __init__(self, bot: DramaBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="show", description="Show this server's dramabot settings.",
                          extras={"who": "member"})
    @checks.guild_only()
    async def show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        current = await self.bot.store.guilds.get(interaction.guild.id)
        await reply(interaction, embed=settings_embed(interaction.guild, current, self.bot.settings.retention_days), ephemeral=True)

    @app_commands.command(name="announcements",
                          description="Choose the default channel for episode announcements (/schedule follow).",
                          extras={"who": "manager"})
    @app_commands.describe(channel="The channel announcements go to; leave empty to clear the default.")
    @checks.manager_only()
    async def announcements(self, interaction: discord.Interaction, channel: discord.TextChannel | None = None) -> None:
        assert interaction.guild is not None
        if channel is None:
            await self.bot.store.guilds.update(interaction.guild.id, announce_channel_id=None)
            await reply(interaction, "Done: there is no default announcement channel any more.", ephemeral=True)
            return
        perms = channel.permissions_for(interaction.guild.me)
        missing = [p.replace("_", " ") for p in NEEDED_IN_CHANNEL if not getattr(perms, p)]
        if missing:
            raise BadInput(f"I can't post in {channel.mention}: I'm missing {', '.join(missing)} there. "
                           "Give my role those permissions in that channel, or pick another one.")
        await self.bot.store.guilds.update(interaction.guild.id, announce_channel_id=channel.id)
        await reply(interaction, f"Done: episode announcements will go to {channel.mention}.", ephemeral=True)

    @app_commands.command(name="manager-role",
                          description="Choose a role whose members may manage dramabot here (needs Manage Server).",
                          extras={"who": "manager"})
    @app_commands.describe(role="The manager role; leave empty so only members with Manage Server manage the bot.")
    @checks.manager_only()
    async def manager_role(self, interaction: discord.Interaction, role: discord.Role | None = None) -> None:
        assert interaction.guild is not None and isinstance(interaction.user, discord.Member)
        perms = interaction.user.guild_permissions
        if not (perms.manage_guild or perms.administrator):
            # The manager role itself must not be able to hand management to another role.
            raise NotAllowed("Only members with the Manage Server permission can change the manager role.")
        if role is not None and role.is_default():
            raise BadInput("@everyone can't be the manager role: that would let every member change settings.")
        if role is not None and role.managed:
            raise BadInput(f"{role.mention} is managed by an integration or bot; pick a role you can give to people.")
        await self.bot.store.guilds.update(interaction.guild.id, manager_role_id=role.id if role else None)
        text = (f"Done: members with {role.mention} are now dramabot managers." if role
                else "Done: there is no manager role; members with Manage Server manage dramabot.")
        await reply(interaction, text, ephemeral=True)

    @app_commands.command(name="poll-creators", description="Choose who may create season-2 and prediction polls.",
                          extras={"who": "manager"})
    @app_commands.describe(who="Managers only, or every member.")
    @app_commands.choices(who=[app_commands.Choice(name="managers only", value="managers"),
                               app_commands.Choice(name="everyone", value="everyone")])
    @checks.manager_only()
    async def poll_creators(self, interaction: discord.Interaction, who: app_commands.Choice[str]) -> None:
        assert interaction.guild is not None
        value = who.value if isinstance(who, app_commands.Choice) else str(who)
        if value not in CREATORS_LABEL:
            raise BadInput("Choose “managers only” or “everyone”.")
        await self.bot.store.guilds.update(interaction.guild.id, poll_creators=value)
        await reply(interaction, f"Done: {CREATORS_LABEL[value]} may create polls now.", ephemeral=True)

    @app_commands.command(name="timezone",
                          description="Set the server's time zone, used for times members type and for schedules.",
                          extras={"who": "manager"})
    @app_commands.describe(zone="An IANA time zone such as Asia/Seoul or Europe/London (suggestions as you type).")
    @checks.manager_only()
    async def timezone(self, interaction: discord.Interaction, zone: app_commands.Range[str, 1, 64]) -> None:
        assert interaction.guild is not None
        name = parse_timezone(zone)
        current = await self.bot.store.guilds.update(interaction.guild.id, timezone=name)
        now = discord.utils.utcnow().astimezone(current.zone)
        await reply(interaction, f"Done: this server's time zone is now {name} (it is {now:%a %H:%M} there).",
                    ephemeral=True)

    @timezone.autocomplete("zone")
    async def _zone_autocomplete(self, interaction: discord.Interaction,
                                 current: str) -> list[app_commands.Choice[str]]:
        typed = current.strip().lower().replace(" ", "_")
        names = sorted(_zones().values())
        starts = [n for n in names if n.lower().startswith(typed)]
        contains = [n for n in names if typed in n.lower() and n not in starts]
        return [app_commands.Choice(name=n, value=n) for n in (starts + contains)[:25]]

    @app_commands.command(name="grace",
                          description="How late an episode announcement may still be posted after a bot outage.",
                          extras={"who": "manager"})
    @app_commands.describe(minutes=f"Minutes after air time, 0 to {GRACE_MINUTES_MAX} (one week).")
    @checks.manager_only()
    async def grace(self, interaction: discord.Interaction,
                    minutes: app_commands.Range[int, 0, GRACE_MINUTES_MAX]) -> None:
        assert interaction.guild is not None
        if not 0 <= minutes <= GRACE_MINUTES_MAX:
            raise BadInput(f"The grace period must be between 0 and {GRACE_MINUTES_MAX} minutes (one week).")
        await self.bot.store.guilds.update(interaction.guild.id, grace_minutes=minutes)
        await reply(interaction, f"Done: a missed announcement is still posted up to {minutes} minutes late.",
                    ephemeral=True)


async def setup(bot: DramaBot) -> None:
    await bot.add_cog(Settings(bot))
