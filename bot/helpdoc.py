"""The command catalogue behind ``/help`` and the README permission table, read off the live tree.

Commands say who may use them with ``extras={"who": "manager"}`` (default: member); a cog may add
a ``help_note`` string that ``/help`` prints under its section.
"""

from __future__ import annotations

from dataclasses import dataclass

from discord import app_commands
from discord.ext import commands

WHO_ORDER = {"member": 0, "manager": 1, "owner": 2}


@dataclass(frozen=True)
class CommandDoc:
    feature: str
    name: str
    description: str
    who: str


def _leaves(command: app_commands.Command | app_commands.Group | app_commands.ContextMenu):
    if isinstance(command, app_commands.Group):
        for child in command.commands:
            yield from _leaves(child)
    else:
        yield command


def _who(command: app_commands.Command) -> str:
    node = command
    while node is not None:
        who = node.extras.get("who") if hasattr(node, "extras") else None
        if who:
            return who
        node = getattr(node, "parent", None)
    return "member"


def command_docs(bot: commands.Bot) -> list[CommandDoc]:
    """Slash commands as ``/name``; message menus (no description on Discord) by their name, described by
    ``extras["description"]``."""
    docs = []
    for top in bot.tree.get_commands():
        for leaf in _leaves(top):
            menu = isinstance(leaf, app_commands.ContextMenu)
            binding = getattr(leaf.callback, "__self__", None) if menu else leaf.binding
            cog = binding if isinstance(binding, commands.Cog) else None
            feature = getattr(cog, "feature", None) or (cog.qualified_name if cog else "General")
            name = leaf.name if menu else "/" + leaf.qualified_name
            description = leaf.extras.get("description", "") if menu else leaf.description
            docs.append(CommandDoc(feature, name, description, _who(leaf)))
    docs.sort(key=lambda d: (d.feature, WHO_ORDER.get(d.who, 9), d.name))
    return docs


def feature_notes(bot: commands.Bot) -> dict[str, str]:
    notes = {}
    for cog in bot.cogs.values():
        note = getattr(cog, "help_note", None)
        if note:
            notes[getattr(cog, "feature", None) or cog.qualified_name] = note
    return notes


def markdown_table(bot: commands.Bot) -> str:
    """The README's permission table."""
    lines = ["| command | who may use it | what it does |", "|---|---|---|"]
    for doc in command_docs(bot):
        description = doc.description.replace("|", "\\|")  # a bare | would split the table cell
        lines.append(f"| `{doc.name}` | {doc.who} | {description} |")
    return "\n".join(lines)


async def _print_table() -> None:
    from bot.offline import loaded_bot

    async with loaded_bot() as bot:
        print(markdown_table(bot))


if __name__ == "__main__":
    # python -m bot.helpdoc > docs/permissions.md : the README's permission table, from the live tree.
    import asyncio

    asyncio.run(_print_table())
