"""`dramabot demo` plays every scene against SimCord and prints a readable transcript."""

from __future__ import annotations

import io

from bot.demo.runner import discover_scenes, parse_command, run_demo


async def test_the_demo_plays_every_scene_and_shows_what_the_bot_answered():
    out = io.StringIO()
    assert await run_demo(out=out) == 0
    text = out.getvalue()
    for scene in discover_scenes():
        assert f"=== {scene.TITLE} ===" in text
    assert "Traceback" not in text and "could not run" not in text
    # one line from each feature, as a member would read it
    assert "[ About dramabot ]" in text
    assert "Kim Hye Yoon plays Im Sol" in text
    assert "[ Results of poll #1 ]" in text and "Prediction leaderboard" in text
    assert "is airing now" in text
    assert "time zone is now Asia/Seoul" in text
    # mentions and timestamps are rendered the way a client shows them
    assert "<@" not in text and "<#" not in text and "<t:" not in text
    assert text.rstrip().endswith("The demo is over.")


def test_interactive_lines_are_parsed_like_discord_options():
    assert parse_command("/about") == ("about", {})
    assert parse_command("/poll create question: Who ends up together? options: Sol | Sun-jae") == (
        "poll create", {"question": "Who ends up together?", "options": "Sol | Sun-jae"})
    assert parse_command("/drama info title: lovely runner") == ("drama info", {"title": "lovely runner"})
