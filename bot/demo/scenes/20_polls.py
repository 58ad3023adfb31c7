"""Season-2 speculation: a poll from the catalog's fan theories, votes, close, resolve, leaderboard."""

import re

from bot.demo.render import render_message

TITLE = "Season-2 speculation poll, predictions and the leaderboard"


async def play(demo) -> None:
    fans = demo.fans
    demo.narrate("A manager opens a season-2 poll; the options are the catalog's fan theories + 'No season 2'.")
    await demo.slash(demo.manager, demo.polls, "poll season2", drama="lovely-runner-2024", hours=0.5)
    poll = demo.polls.last_message
    poll_id = int(re.search(r"#(\d+)", poll.embeds[0].title).group(1))

    demo.narrate("Fans vote with the buttons; each gets a private confirmation with the closing time.")
    for name, option in (("minji", 0), ("jae", 0), ("sora", 3), ("dohyun", 2)):
        await demo.click(fans[name], poll, custom_id=f"poll:{poll_id}:{option}")
    demo.narrate("jae changes his mind, then checks his vote.")
    await demo.click(fans["jae"], poll, custom_id=f"poll:{poll_id}:1")
    await demo.click(fans["jae"], poll, label="My vote")
    await demo.advance(2, "2 seconds pass: the poll message is edited (at most once every 2 s)")
    current = next(m for m in demo.polls.history() if m.id == poll.id)
    demo.say(render_message(current))

    await demo.advance(31 * 60, "half an hour passes: the poll closes and the results come with a bar chart")
    demo.narrate("The results post carries a PNG bar chart; the poll's buttons are now disabled.")

    demo.narrate("The manager records which prediction came true; voters for it earn 10 points.")
    await demo.slash(demo.manager, demo.polls, "poll resolve", poll=str(poll_id), answer="1")
    await demo.slash(fans["minji"], demo.general, "poll leaderboard")
    await demo.slash(fans["sora"], demo.general, "poll stats")
