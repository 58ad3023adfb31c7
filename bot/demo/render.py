"""Render Discord messages (content, embeds, buttons, files) as plain text for the demo transcript."""

from __future__ import annotations

import textwrap
from typing import Any

import discord

WIDTH = 100


def _indent(text: str, prefix: str = "    ") -> str:
    out = []
    for line in text.splitlines() or [""]:
        wrapped = textwrap.wrap(line, WIDTH - len(prefix)) or [""]
        out.extend(prefix + w for w in wrapped)
    return "\n".join(out)


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


def render_message(message: Any, *, prefix: str = "    ") -> str:
    """A message or ResponseMessage as indented text."""
    parts = []
    if message.content:
        parts.append(message.content)
    for embed in message.embeds:
        parts.append(render_embed(embed))
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
