"""Poll text: percentage bars and the result lines shown in the poll message and the results post.

Returns plain strings; the cog escapes nothing here because labels are escaped by the caller via
``escape`` (passed in, so this module stays Discord-free).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.polls.model import Poll, Tally

BAR_WIDTH = 12


def bar(share: float, width: int = BAR_WIDTH) -> str:
    filled = int(round(max(0.0, min(1.0, share)) * width))
    return "█" * filled + "░" * (width - filled)


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def result_lines(poll: Poll, tally: Tally, escape: Callable[[str], str], *, show_counts: bool) -> list[str]:
    lines = []
    for option in poll.options:
        mark = " ✅" if option.correct else ""
        head = f"**{option.position + 1}.** {escape(option.label)}{mark}"
        if show_counts:
            share = tally.share(option.position)
            count = tally.counts[option.position]
            lines.append(f"{head}\n`{bar(share)}` {percent(share)} · {count} vote{'s' if count != 1 else ''}")
        else:
            lines.append(head)
    return lines


def voters_text(tally: Tally) -> str:
    return f"{tally.voters} voter{'s' if tally.voters != 1 else ''}"
