"""Catalog and provider text is escaped wherever it is shown: mention syntax never renders as a pill.

A drama and a person whose titles, names, synopsis, facts and characters hold user, role, channel and
command mentions, @everyone and markdown are imported; /ask, /drama info|cast, /actor info and
/catalog season2 show them as plain text.
"""

from __future__ import annotations

import re
from dataclasses import replace

PILL = re.compile(r"<(@[!&]?\d+|#\d+|/[^>]+:\d+)>|@(everyone|here)(?!\u200b)")


def hostile(world) -> str:
    return (f"<@{world.fan.id}> <@&{world.watchers.id}> <#{world.general.id}> </ask:123456789012345678> "
            "@everyone @here **bold**")


def catalog(world) -> dict:
    bad = hostile(world)
    return {
        "format": "dramabot-catalog", "version": 1,
        "people": [{"slug": "pill-person", "name": f"Pill Person {bad}", "aliases": ["Pill Person"]}],
        "dramas": [{
            "slug": "pill-drama-2024", "title": f"Pill Drama {bad}", "aliases": ["Pill Drama"], "year": 2024,
            "network": f"tvN {bad}", "episodes": 12, "genres": ["Romance"],
            "synopsis": f"A story about {bad}.", "facts": [{"text": f"Fact {bad}."}],
            "credits": [{"person": "pill-person", "character": f"Hero {bad}", "role": "main", "billing": 1}],
        }],
    }


def texts(message) -> list[str]:
    out = [message.content or ""]
    for embed in message.embeds:
        out += [embed.description or ""] + [f"{f.name} {f.value}" for f in embed.fields]
    return out


async def test_catalog_text_never_renders_a_mention_pill(world, bot_factory):
    env = world.env
    await env.bot.store.catalog.apply_catalog(catalog(world))
    await env.restart_bot(bot_factory())  # a fresh question engine sees the new names
    owner = world.manager
    env.bot.settings = replace(env.bot.settings, owner_ids=frozenset({owner.id}))
    results = [
        await world.fan.slash(world.general, "ask", question="Who stars in Pill Drama?"),
        await world.fan.slash(world.general, "ask", question="What is Pill Drama about?"),
        await world.fan.slash(world.general, "drama info", title="pill-drama-2024"),
        await world.fan.slash(world.general, "drama cast", title="pill-drama-2024"),
        await world.fan.slash(world.general, "actor info", name="Pill Person"),
        await owner.slash(world.general, "catalog season2", drama="pill-drama-2024", status="confirmed"),
    ]
    shown = []
    for result in results:
        for message in [result.response, *result.followups]:
            if message is not None:
                shown += texts(message)
    assert any("Pill Drama" in t for t in shown)
    assert sum("Pill Person" in t for t in shown) >= 2  # the names really were shown...
    leaks = [t[:160] for t in shown if PILL.search(t)]
    assert leaks == []  # ...and never as pills
    assert not any("**bold**" in t for t in shown)  # markdown shows as typed, escaped
