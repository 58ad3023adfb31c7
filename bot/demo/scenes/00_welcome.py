"""A fan meets the bot: /about and /help."""

TITLE = "Meet dramabot"


async def play(demo) -> None:
    fan = demo.fans["minji"]
    await demo.slash(fan, demo.general, "about")
    await demo.slash(fan, demo.general, "help")
