"""A manager configures the server; a fan checks what the bot keeps about them."""

TITLE = "Server settings and privacy"


async def play(demo) -> None:
    mod, fan = demo.manager, demo.fans["minji"]
    await demo.slash(fan, demo.general, "settings show")
    demo.narrate("Only managers may change settings:")
    await demo.slash(fan, demo.general, "settings timezone", zone="Asia/Seoul")
    _ = demo.env.errors  # that refusal was expected: acknowledge it so SimCord does not report it at the end
    await demo.slash(mod, demo.general, "settings timezone", zone="asia/seoul")
    await demo.slash(mod, demo.general, "settings announcements", channel=demo.announcements)
    await demo.slash(mod, demo.general, "settings poll-creators", who="everyone")
    await demo.slash(mod, demo.general, "settings grace", minutes=120)
    await demo.slash(mod, demo.general, "settings show")
    demo.narrate("A fan asks what dramabot stores about them:")
    await demo.slash(fan, demo.general, "privacy show")
    asked = await demo.slash(fan, demo.general, "privacy delete")
    if asked.response is not None and asked.response.components:
        await demo.click(fan, asked.response, label="Delete my data")
