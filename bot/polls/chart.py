"""The results bar chart as a PNG (Pillow), posted when a poll closes."""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from bot.polls.model import Poll, Tally

WIDTH = 800
ROW = 54
TOP = 70
BG = (30, 31, 34)
FG = (235, 235, 240)
MUTED = (160, 160, 170)
BAR = (236, 72, 153)
BAR_CORRECT = (67, 181, 129)
TRACK = (60, 62, 68)


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for name in ("DejaVuSans.ttf", "NotoSansCJK-Regular.ttc", "Arial.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has no sized default font
        return ImageFont.load_default()


def render_png(poll: Poll, tally: Tally) -> bytes:
    """A horizontal bar per option, its share and count; correct options (once resolved) in green."""
    height = TOP + ROW * len(poll.options) + 30
    image = Image.new("RGB", (WIDTH, height), BG)
    draw = ImageDraw.Draw(image)
    title = textwrap.shorten(poll.question, width=70, placeholder="…")
    draw.text((20, 16), title, fill=FG, font=_font(22))
    draw.text((20, 44), f"{tally.voters} voters · poll #{poll.id}", fill=MUTED, font=_font(14))
    bar_left, bar_right = 20, WIDTH - 120
    for i, option in enumerate(poll.options):
        y = TOP + i * ROW
        label = textwrap.shorten(f"{i + 1}. {option.label}", width=80, placeholder="…")
        draw.text((bar_left, y), label, fill=FG, font=_font(15))
        share = tally.share(option.position)
        top, bottom = y + 22, y + 42
        draw.rectangle((bar_left, top, bar_right, bottom), fill=TRACK)
        if share > 0:
            right = bar_left + max(2, int((bar_right - bar_left) * share))
            draw.rectangle((bar_left, top, right, bottom), fill=BAR_CORRECT if option.correct else BAR)
        count = tally.counts[option.position]
        draw.text((bar_right + 10, top), f"{share * 100:.0f}% ({count})", fill=FG, font=_font(15))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
