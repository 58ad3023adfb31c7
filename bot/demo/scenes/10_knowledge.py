"""Fans look things up: /drama info and cast, autocomplete, /ask in their own words, a mention."""

TITLE = "Ask the bot: dramas, casts and typos"


async def play(demo) -> None:
    minji, jae, sora = demo.fans["minji"], demo.fans["jae"], demo.fans["sora"]
    demo.narrate("Autocomplete forgives typos, aliases and Korean titles.")
    await demo.autocomplete(minji, demo.general, "drama info", "title", "lovely runer")
    await demo.autocomplete(minji, demo.general, "drama info", "title", "무브 투")
    await demo.slash(minji, demo.general, "drama info", title="lovely-runner-2024")
    await demo.slash(jae, demo.general, "drama cast", title="Hwarag")
    await demo.slash(sora, demo.general, "actor info", name="Kim Hye-yoon")

    demo.narrate("Questions in plain words, spelled however fans spell them.")
    for fan, question in (
        (minji, "Who plays Im Sol in Lovely Runner?"),
        (jae, "Who does Park Byung Eun play in Beause This Is My First Life?"),
        (sora, "무브 투 헤븐은 몇 부작이야?"),
        (minji, "Who directed Amantes da Lua?"),
        (jae, "Is there going to be a Lovely Runner season 2?"),
        (sora, "When did Lovely Runner end?"),
        (minji, "How many episodes does Flying Pineapple Detectives have?"),
        (jae, "Who plays Harry Potter in Goblin?"),
    ):
        await demo.env.advance_time(demo.bot.settings.ask_cooldown_seconds)  # fans take turns; no cooldowns
        await demo.slash(fan, demo.general, "ask", question=question)

    demo.narrate("Mentioning the bot works too; it replies without pinging anyone.")
    await demo.env.advance_time(demo.bot.settings.ask_cooldown_seconds)
    await demo.mention(sora, demo.general, "what dramas has Kim Da Mi been in?")
