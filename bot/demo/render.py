"""Render Discord messages (content, embeds, buttons, files) as plain text for the demo transcript."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import discord

WIDTH = 100


def _indent(text: str, prefix: str = "    ") -> str:
    out = []
    for line in text.splitlines() or [""]:
        wrapped = textwrap.wrap(line, WIDTH - len(prefix)) or [""]
        out.extend(prefix + w for w in wrapped)
    return "\n".join(out)


_MENTION = re.compile(r"<(#|@&|@!?)(\d+)>")
_STAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")


def _relative(seconds: float) -> str:
    span = abs(seconds)
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if span >= size:
            n = round(span / size)
            text = f"{n} {unit}{'s' if n != 1 else ''}"
            break
    else:
        text = "a few seconds"
    return f"in {text}" if seconds > 0 else f"{text} ago"


def humanize(text: str, names: Callable[[str, int], str | None], now: datetime) -> str:
    """Show mentions and Discord timestamps the way a member's client would (times in UTC)."""

    def mention(match: re.Match[str]) -> str:
        kind, ident = match.group(1), int(match.group(2))
        name = names(kind, ident)
        prefix = "#" if kind == "#" else "@"
        return f"{prefix}{name}" if name else match.group(0)

    def stamp(match: re.Match[str]) -> str:
        when = datetime.fromtimestamp(int(match.group(1)), UTC)
        style = match.group(2) or "f"
        if style == "R":
            return _relative((when - now).total_seconds())
        if style in "tT":
            return when.strftime("%H:%M UTC")
        if style in "dD":
            return when.strftime("%d %b %Y")
        return when.strftime("%a %d %b %Y %H:%M UTC")

    return _STAMP.sub(stamp, _MENTION.sub(mention, text))


def render_embed(embed: discord.Embed) -> str:
    lines = []
    if embed.author and embed.author.name:
        lines.append(embed.author.name)
    if embed.title:
        lines.append(f"[ {embed.title} ]")
    if embed.description:
        lines.append(embed.description)
    for field in embed.fields:
        lines.append(f"{field.name}: {field.value}" if field.inline else f"{field.name}:\n{_indent(str(field.value), '  ')}")
    if embed.image and embed.image.url:
        lines.append(f"(image: {embed.image.url})")
    if embed.footer and embed.footer.text:
        lines.append(f"— {embed.footer.text}")
    return "\n".join(lines)


def _buttons(components: list[Any]) -> list[str]:
    labels: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == 2:
                label = node.get("label") or node.get("emoji", {}).get("name") or "button"
                labels.append(f"[{label}]" + (" (disabled)" if node.get("disabled") else ""))
            elif node.get("type") == 3:
                labels.append(f"[select: {node.get('placeholder') or 'choose'}]")
            for child in node.get("components", []) or []:
                walk(child)
        elif hasattr(node, "to_dict"):
            walk(node.to_dict())

    for component in components or []:
        walk(component)
    return labels


def _poll_of(message: Any) -> Any:
    """A Discord poll on a message (SimCord's interaction replies hold the message one level down)."""
    if isinstance(message, discord.Message):
        return message.poll
    try:
        return getattr(message.message, "poll", None)
    except Exception:  # noqa: BLE001 - an ephemeral reply has no channel message to look at
        return None


def render_message(message: Any, *, prefix: str = "    ") -> str:
    """A message or ResponseMessage as indented text."""
    parts = []
    if message.content:
        parts.append(message.content)
    for embed in message.embeds:
        parts.append(render_embed(embed))
    poll = _poll_of(message)
    if poll is not None:
        state = "ended" if poll.is_finalised() else "Discord poll"
        answers = "  ".join(f"[{a.id}. {a.text}: {a.vote_count}]" for a in poll.answers)
        parts.append(f"({state}) {poll.question}\n{answers}")
    for attachment in getattr(message, "attachments", []) or []:
        parts.append(f"(file: {attachment.filename})")
    buttons = _buttons(message.components)
    if buttons:
        parts.append(" ".join(buttons))
    if not parts:
        parts.append("(empty message)")
    flags = getattr(message, "flags", None)
    hidden = " (only you can see this)" if flags is not None and flags.ephemeral else ""
    return _indent("\n".join(parts), prefix) + hidden
