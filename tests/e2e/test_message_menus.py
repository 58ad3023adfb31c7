"""The message menus, used on a fan's message: "Ask dramabot" answers it, "Which drama is this?" names what
it talks about. The bot runs without the message-content intent: Discord sends the text with the command."""

from __future__ import annotations

import simcord

from bot.errors import BadInput


async def test_ask_dramabot_answers_the_message_as_a_question(world):
    assert not world.env.bot.intents.message_content
    jae, minji = world.fans[1], world.fans[0]
    asked = await jae.send(world.general, "who plays Im Sol in Lovely Runner?")
    result = await minji.context_menu(world.general, "Ask dramabot", asked)
    assert "Kim Hye Yoon" in result.response.content and not result.ephemeral
    same = await minji.slash(world.general, "ask", question="who plays Im Sol in Lovely Runner?")
    assert same.response.content == result.response.content  # the /ask answer, word for word


async def test_ask_dramabot_refuses_a_message_without_text(world):
    sent = await world.fan.send(world.general, "", attachments=[("still.png", b"\x89PNG")])
    result = await world.fans[1].context_menu(world.general, "Ask dramabot", sent)
    assert result.ephemeral and "no text" in result.response.content
    simcord.assert_error(world.env, BadInput, contains="no text")


async def test_which_drama_names_dramas_people_and_characters(world):
    chat = await world.fans[1].send(
        world.general, "omg Sun-jae in ep 9 of lovely runner 😭 and Gong Yoo in Goblin, Kim Hye-yoon is so good")
    result = await world.fan.context_menu(world.general, "Which drama is this?", chat)
    text = result.response.content
    assert result.ephemeral
    assert "Lovely Runner (2024)" in text and "Guardian: The Lonely and Great God" in text  # Goblin's title
    assert "Gong Yoo" in text and "Kim Hye Yoon" in text
    assert "Ryu Sun-jae, played by Byeon Woo Seok in Lovely Runner" in text


async def test_which_drama_says_so_when_a_message_names_nothing_known(world):
    chat = await world.fans[1].send(world.general, "see you all tomorrow at the park, it is going to rain")
    result = await world.fan.context_menu(world.general, "Which drama is this?", chat)
    assert result.ephemeral and "couldn't find" in result.response.content
