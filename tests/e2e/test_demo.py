"""`dramabot demo` plays every scene against SimCord; `--interactive` hands the server to the person at the
keyboard. Driven here as a new user would: the real command, lines piped to its stdin."""

from __future__ import annotations

import asyncio
import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import discord
import pytest

from bot.demo import tryout
from bot.demo.runner import Demo, discover_scenes

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_tryout_lines() -> list[str]:
    block = README.split("<!-- tryout:start -->", 1)[1].split("<!-- tryout:end -->", 1)[0]
    return [line for line in block.strip().strip("`").removeprefix("text").strip().splitlines() if line.strip()]


def run_demo_cli(*args: str, lines: list[str] | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    stdin = "".join(f"{line}\n" for line in lines) if lines is not None else None
    return subprocess.run([sys.executable, "-m", "bot", "demo", *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.fixture(scope="module")
def readme_session() -> subprocess.CompletedProcess:
    """The whole script, then the README's try-out lines typed one by one (one run serves several tests)."""
    return run_demo_cli("--interactive", lines=readme_tryout_lines())


def test_the_script_plays_every_scene_and_shows_what_the_bot_answered(readme_session):
    text = readme_session.stdout
    assert readme_session.returncode == 0, readme_session.stderr
    for scene in discover_scenes():
        assert f"=== {scene.TITLE} ===" in text
    assert "Traceback" not in text + readme_session.stderr
    assert "[ About dramabot ]" in text
    assert "Kim Hye Yoon plays Im Sol" in text
    assert "[ Results of poll #1 ]" in text and "Prediction leaderboard" in text
    assert "time zone is now Asia/Seoul" in text
    live = text.split("=== Live data", 1)[1].split("\n=== ", 1)[0]  # the live-data scene
    assert "found by the live sync" in live and "Korean title:" in live and "is airing now" in live
    # mentions and timestamps are rendered the way a client shows them
    assert "<@" not in text and "<#" not in text and "<t:" not in text
    assert text.rstrip().endswith("The demo is over.")


def test_the_transcript_says_the_simulated_date_and_the_episode_really_airs_then(readme_session):
    text = readme_session.stdout
    assert "It is Thu 01 Jan 2026 00:00 UTC in the simulation" in text
    assert re.search(r"=== Episode night.* \(simulated time: Thu 01 Jan 2026 \d\d:\d\d UTC\)", text)
    # Our Golden Days ran from 9 August 2025 to 25 January 2026 (the catalog, as /drama info shows it):
    # episode 43 of its 50 airs on Saturday 3 January 2026 at 20:00 in Seoul
    assert "Episode 43 — Sat 03 Jan 2026 11:00 UTC" in text and "Sat 3 Jan 20:00 KST" in text
    assert "Our Golden Days** — Episode 43 is airing now!" in text
    assert "DM to minji  dramabot:\n    ⏰ **Our Golden Days** — Episode 43 starts in 10 minutes" in text


def test_everything_the_readme_lists_works_as_written(readme_session):
    lines = readme_tryout_lines()
    assert lines[0].startswith("/ask") and lines[-1] == "/quit" and len(lines) >= 15
    out = readme_session.stdout.split("Your turn.", 1)[1]
    assert "✗" not in out, out[out.index("✗") - 300: out.index("✗") + 200]
    expected = [
        "In Lovely Runner (2024), Kim Hye Yoon plays Im Sol.",        # /ask with free text
        "[ Guardian: The Lonely and Great God (2016) ]",              # a value holding a colon
        "[ All dramas · year: 2016 ]",                                # an integer option
        "Episode 44 — Sun 04 Jan 2026 11:00 UTC",                     # /schedule upcoming
        "I'll DM you 30 minutes before each episode",                 # /remind add with a number
        "hana_mod: server manager (Manage Server) and the bot's owner",  # /who
        "(you are now hana_mod",                                      # /as
        "is up in #season2-polls",                                    # channel, role, number options
        "minji clicks [2. Sun-jae]",                                  # /in and /click
        "[ Results of poll #",                                        # /wait: the poll deadline passes
        "Episode 44 is airing now!",                                  # ... the next episode is announced
        "DM to minji  dramabot:\n    ⏰ **Our Golden Days** — Episode 44 starts in 30 minutes",  # ... the DM
        "(simulated time: Sun 04 Jan 2026 11:",                       # ... and the date moved on
        "(Discord poll) Which OST is the best?",                      # native: true, a boolean option
        "minji votes for answer 1 in the Discord poll",               # /vote
        "Sonaki\n    `████████████` 100% · 1 vote",                   # ... recorded when it ends
        "Season 4 of Squid Game",                                     # /poll season2 for a series with 3 seasons
        "@jae:",                                                      # a member option
        "**Characters:** Ryu Sun-jae, played by Byeon Woo Seok",      # /menu Which drama is this?
        "[ dramabot commands ]", "Try-out commands",                  # /help: the bot's and the try-out's
    ]
    for snippet in expected:
        assert snippet in out, snippet


def test_refusals_typos_and_the_end_of_input_leave_cleanly_with_every_option_type():
    lines = [
        "/settings grace minutes: 30",                     # a refusal from the bot (minji is no manager)
        "/drama info titel: x", "/wait banana", "/nosuch", "/as nobody", "/click 7",   # try-out refusals
        "/as hana_mod",
        "/poll create question: Q: with a colon? options: yes | no hours: 0.5 anonymous: true "
        "hide_results: false multiple: 1 channel: #season2-polls role: @Watchers",
        "/settings grace minutes: 45",
        "/poll stats member: @sora",
        "/poll create question: Q options: a | b anonymous: perhaps",
        "/schedule upcoming days: many",
    ]  # no /quit: the input simply ends
    done = run_demo_cli("--interactive", "--scene", "00", lines=lines, timeout=120)
    out = done.stdout
    assert done.returncode == 0 and "Traceback" not in out + done.stderr, done.stderr
    assert "Only server managers can do that" in out
    assert "✗ /drama info has no option 'titel' (its options: title)." in out
    assert "✗ Say how long" in out and "✗ There is no command /nosuch" in out
    assert "✗ There is no member nobody" in out and "✗ I see no button “7” here." in out
    assert "Poll #1 is up in #season2-polls." in out and "**Q: with a colon?**" in out
    assert "anonymous" in out.lower() and "voters: @Watchers" in out
    assert "Late announcements are posted up to 45 minutes" in out or "45 minutes" in out
    assert "@sora has no resolved predictions yet." in out
    assert "✗ anonymous is true or false." in out and "✗ days needs a number, not “many”." in out
    assert out.rstrip().endswith("The demo is over.")


def test_ctrl_c_at_the_prompt_ends_the_demo_normally():
    proc = subprocess.Popen([sys.executable, "-m", "bot", "demo", "--interactive", "--scene", "00"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        proc.stdin.write("/who\n")
        proc.stdin.flush()
        seen = ""
        while "Switch with /as NAME." not in seen:  # blocks until the demo answered (no sleeping)
            line = proc.stdout.readline()
            assert line, seen
            seen += line
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "Traceback" not in rest + err, err
    assert rest.rstrip().endswith("The demo is over.")


async def test_the_simulated_clock_follows_real_time_between_commands(simcord_env, db_path):
    demo = Demo(simcord_env, db_path, out=io.StringIO())
    lines: asyncio.Queue = asyncio.Queue()
    session = tryout.Tryout(demo, lines)
    before = discord.utils.utcnow()
    session._last = time.monotonic() - 2 * 3600  # as if the person had stepped away for two hours
    for line in ("/about", tryout.QUIT):
        lines.put_nowait(line)
    await session.run()
    moved = (discord.utils.utcnow() - before).total_seconds()
    assert 2 * 3600 <= moved < 2 * 3600 + 60
    assert "Uptime: 2h 0m" in demo.out.getvalue()


async def test_lines_are_parsed_against_the_commands_real_options(simcord_env):
    tree = simcord_env.bot.tree
    command, rest = tryout.find_command(tree, "/drama info title: Guardian: The Lonely and Great God")
    assert command.qualified_name == "drama info"
    assert tryout.split_options(command, rest) == {"title": "Guardian: The Lonely and Great God"}
    command, rest = tryout.find_command(tree, "/ask who plays Im Sol? in: this")
    assert tryout.split_options(command, rest) == {"question": "who plays Im Sol? in: this"}
    command, rest = tryout.find_command(tree, "/schedule edit delay drama: x episode: 3 new_time: 2026-01-03 20:00")
    assert command.qualified_name == "schedule edit delay"
    assert tryout.split_options(command, rest) == {"drama": "x", "episode": "3", "new_time": "2026-01-03 20:00"}
    assert tryout.parse_duration("1d 2h") == 93600 and tryout.parse_duration("90m") == 5400
    with pytest.raises(tryout.TryoutError, match="needs one of"):
        tryout.find_command(tree, "/poll")
