"""Localised command names and descriptions: a discord.py ``Translator`` fed by ``bot/locale/<code>.json``.

A locale file maps the English command tree to the locale::

    {"commands": {"settings": {"name": "설정", "description": "..."},          # groups too
                  "settings timezone": {"name": "시간대", "description": "..."}},
     "options":  {"settings timezone zone": {"name": "시간대", "description": "..."}},
     "choices":  {"managers only": "관리자만"}}

Keys are qualified command names (``group sub``) and, for options, the command's qualified name plus
the option's Discord name. A missing entry falls back to English. ``python -m bot.i18n ko`` prints the
entries still missing for a locale (a skeleton to fill in); tests fail while any is missing.
"""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import resources
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Loc

NAME_MAX, DESCRIPTION_MAX, CHOICE_MAX = 32, 100, 100


def load_catalogs() -> dict[discord.Locale, dict[str, Any]]:
    catalogs = {}
    for entry in resources.files("bot").joinpath("locale").iterdir():
        if entry.name.endswith(".json"):
            catalogs[discord.Locale(entry.name.removesuffix(".json"))] = json.loads(entry.read_text("utf-8"))
    return catalogs


def fingerprint() -> str:
    """Changes whenever a translation changes (so the client re-syncs commands)."""
    blob = json.dumps({str(k): v for k, v in load_catalogs().items()}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


class CatalogTranslator(app_commands.Translator):
    def __init__(self, catalogs: dict[discord.Locale, dict[str, Any]] | None = None) -> None:
        self.catalogs = catalogs if catalogs is not None else load_catalogs()

    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContextTypes) -> str | None:
        table = self.catalogs.get(locale)
        if table is None:
            return None
        return lookup(table, context.location, context.data, string.message)


def lookup(table: dict[str, Any], location: Loc, data: Any, message: str) -> str | None:
    if location in (Loc.command_name, Loc.group_name, Loc.command_description, Loc.group_description):
        entry = table.get("commands", {}).get(data.qualified_name, {})
        field = "name" if location in (Loc.command_name, Loc.group_name) else "description"
        return entry.get(field)
    if location in (Loc.parameter_name, Loc.parameter_description):
        key = f"{data.command.qualified_name} {data.display_name}"
        entry = table.get("options", {}).get(key, {})
        return entry.get("name" if location is Loc.parameter_name else "description")
    if location is Loc.choice_name:
        return table.get("choices", {}).get(message)
    return None


def walk(tree: app_commands.CommandTree):
    """Every (command or group, is_group) in the tree, depth first."""
    stack = list(tree.get_commands())
    while stack:
        node = stack.pop()
        if isinstance(node, app_commands.Group):
            yield node, True
            stack.extend(node.commands)
        elif isinstance(node, app_commands.Command):
            yield node, False


def valid_name(name: Any) -> bool:
    """Discord's rule for chat-input names: 1-32 lower-case letters/digits (any script), '-' or '_'."""
    return (isinstance(name, str) and 1 <= len(name) <= NAME_MAX and name == name.lower()
            and all(ch.isalnum() or ch in "-_" for ch in name))


def problems(tree: app_commands.CommandTree, table: dict[str, Any]) -> list[str]:
    """What is missing or invalid in one locale's table for this tree (empty: complete)."""
    out = []
    commands, options, choices = table.get("commands", {}), table.get("options", {}), table.get("choices", {})
    for node, _is_group in walk(tree):
        entry = commands.get(node.qualified_name)
        if not entry:
            out.append(f"command {node.qualified_name!r}: missing")
        else:
            if not valid_name(entry.get("name")):
                out.append(f"command {node.qualified_name!r}: invalid name {entry.get('name')!r}")
            if not 1 <= len(entry.get("description") or "") <= DESCRIPTION_MAX:
                out.append(f"command {node.qualified_name!r}: description missing or over 100 characters")
        siblings = [commands.get(c.qualified_name, {}).get("name") for c in getattr(node, "commands", [])]
        if len([s for s in siblings if s]) != len({s for s in siblings if s}):
            out.append(f"group {node.qualified_name!r}: two sub-commands share a Korean name")
        for param in getattr(node, "parameters", []):
            key = f"{node.qualified_name} {param.display_name}"
            opt = options.get(key)
            if not opt:
                out.append(f"option {key!r}: missing")
                continue
            if not valid_name(opt.get("name")):
                out.append(f"option {key!r}: invalid name {opt.get('name')!r}")
            if not 1 <= len(opt.get("description") or "") <= DESCRIPTION_MAX:
                out.append(f"option {key!r}: description missing or over 100 characters")
            for choice in param.choices:
                translated = choices.get(choice.name)
                if not translated or len(translated) > CHOICE_MAX:
                    out.append(f"choice {choice.name!r} of {key!r}: missing")
        names = [options.get(f"{node.qualified_name} {p.display_name}", {}).get("name")
                 for p in getattr(node, "parameters", [])]
        if len([n for n in names if n]) != len({n for n in names if n}):
            out.append(f"command {node.qualified_name!r}: two options share a Korean name")
    top = [commands.get(c.qualified_name, {}).get("name") for c in tree.get_commands()]
    if len([t for t in top if t]) != len({t for t in top if t}):
        out.append("two top-level commands share a Korean name")
    return out


def skeleton(tree: app_commands.CommandTree, table: dict[str, Any]) -> dict[str, Any]:
    """The entries ``table`` lacks, with the English text as a placeholder to translate."""
    out: dict[str, Any] = {"commands": {}, "options": {}, "choices": {}}
    for node, _ in walk(tree):
        if node.qualified_name not in table.get("commands", {}):
            out["commands"][node.qualified_name] = {"name": node.name, "description": str(node.description)}
        for param in getattr(node, "parameters", []):
            key = f"{node.qualified_name} {param.display_name}"
            if key not in table.get("options", {}):
                out["options"][key] = {"name": param.display_name, "description": param.description}
            for choice in param.choices:
                if choice.name not in table.get("choices", {}):
                    out["choices"][choice.name] = choice.name
    return out


async def _skeleton(code: str) -> dict[str, Any]:
    from bot.offline import loaded_bot

    async with loaded_bot() as bot:
        return skeleton(bot.tree, load_catalogs().get(discord.Locale(code), {}))


if __name__ == "__main__":
    import asyncio

    code = sys.argv[1] if len(sys.argv) > 1 else "ko"
    print(json.dumps(asyncio.run(_skeleton(code)), ensure_ascii=False, indent=2))
