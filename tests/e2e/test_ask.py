"""/ask and mentions, as fans use them: the dev question set, typos, Hangul, refusals, bad input."""

from __future__ import annotations

import json

import pytest
import simcord

from bot.checks import Refused
from tests.conftest import QA_DIR, qa_passes


async def ask(world, question: str, member=None) -> str:
    result = await (member or world.fan).slash(world.general, "ask", question=question)
    assert not result.ephemeral, "answers are public"
    return result.response.content


@pytest.mark.parametrize(("name", "threshold"), [("dev.jsonl", 1.0), ("dev2.jsonl", 0.9)])
async def test_dev_question_sets_through_the_real_ask(world, name, threshold):
    """The single-fact set stays fully right; the combined set (two people, chains, lists, comparisons,
    recommendations, Korean) scores at least 90 %."""
    if not (QA_DIR / name).is_file():
        pytest.skip(f"question set not found at {QA_DIR}")
    passes = qa_passes()
    items = [json.loads(line) for line in (QA_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    misses = []
    for item in items:
        answer = await ask(world, item["q"])
        assert len(answer) <= 2000
        if not passes(item, answer):
            misses.append((item["q"], answer[:200]))
    rate = 1 - len(misses) / len(items)
    assert rate >= threshold, f"{rate:.1%} correct; misses: {misses}"


async def test_typo_alias_and_hangul_titles(world):
    assert "16" in await ask(world, "how many episodes in lovely runer")
    assert "Netflix" in await ask(world, "무브투헤븐 network?")
    assert "Kim Hye Yoon" in await ask(world, "who plays im sol in sunjae eopgo tweeeo")


async def test_who_plays_a_character_without_the_drama(world):
    assert "Kim Hye Yoon" in await ask(world, "Who plays Im Sol?")


async def test_season_two_is_phrased_as_unconfirmed(world):
    text = await ask(world, "lovely runner s2 when??")
    assert "has not been confirmed" in text


async def test_unknown_drama_is_refused_plainly_with_suggestions(world):
    text = await ask(world, "When did Flying Pineapple Detectives premiere?")
    assert text.startswith("I couldn't find")
    text = await ask(world, "how many episodes does Lovely Runnnner Extra Special Edition Deluxe have")
    assert "couldn't find" in text or "16" in text


async def test_unknown_character_in_a_known_drama(world):
    text = await ask(world, "who played Frodo in Vincenzo")
    assert "No one called “Frodo”" in text


@pytest.mark.parametrize("question", [
    "", " ", "?", "x" * 2000, "@everyone who plays Im Sol", "<@&123> <@456> cast of Goblin",
    '"Lovely" AND "Runner" NEAR * OR', "'; DROP TABLE dramas; --", "**bold** __under__ `code` ||spoiler||",
    "🎬🍿💕 lovely runner 💕", "\u202erennuR ylevoL\u202c who directed", "מי משחק ב-Goblin?", "사랑",
])
async def test_odd_input_gets_an_answer_or_a_plain_refusal_never_a_ping(world, question):
    result = await world.fan.slash(world.general, "ask", question=question or "?")
    message = result.response.message
    assert result.response.content
    assert not message.mention_everyone and not message.mentions and not message.role_mentions
    assert "@everyone" not in result.response.content


async def test_mention_in_a_channel_is_answered_as_a_reply_without_pings(world):
    bot_user = world.env.bot.user
    sent = await world.fan.send(world.general, f"<@{bot_user.id}> how many episodes does Goblin have? @everyone")
    reply = world.general.last_message
    assert reply.author.id == bot_user.id
    assert reply.reference is not None and reply.reference.message_id == sent.id
    assert "16" in reply.content
    assert not reply.mentions and not reply.mention_everyone


async def test_mentioning_the_bots_own_role_gets_a_hint(world):
    # Without the message-content intent, a role mention's text is hidden from the bot.
    me = world.env.bot.get_guild(world.guild.id).me
    role = next(r for r in me.roles if r.managed)
    await world.fan.send(world.general, f"<@&{role.id}> who directed Vincenzo?")
    reply = world.general.last_message
    assert reply.author.id == world.env.bot.user.id
    assert "Mention me (the bot, not the role)" in reply.content and not reply.role_mentions


async def test_plain_messages_are_ignored(world):
    before = len(world.general.history())
    await world.fan.send(world.general, "who plays Im Sol in Lovely Runner?")
    assert len(world.general.history()) == before + 1


async def test_dm_question_is_answered(world):
    await world.fan.send_dm("Who directed Lovely Runner?")
    last = world.fan.user.dm_channel.last_message
    assert last.author.id == world.env.bot.user.id
    assert "Yoon Jong" in last.content


@pytest.mark.parametrize("settings_overrides", [{"ask_cooldown_seconds": 30}])
async def test_cooldown_tells_the_member_when_to_ask_again(world, settings_overrides):
    await ask(world, "Who directed Goblin?")
    result = await world.fan.slash(world.general, "ask", question="Who directed Vincenzo?")
    assert result.ephemeral and "ask again in" in result.response.content
    simcord.assert_error(world.env, Refused)
    await world.env.advance_time(31)
    assert "Vincenzo" in await ask(world, "Who directed Vincenzo?")
