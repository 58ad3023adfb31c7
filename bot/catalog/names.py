"""Name normalisation shared by the catalog builder, the store and the question engine.

``norm`` is the lookup key for titles and people: NFKC, lower case, accents stripped, every run of
punctuation or space removed. Hangul passes through unchanged, so Korean titles match exactly.
"""

from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """NFKC + lower case + accents removed, spacing kept (for fuzzy scoring)."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()  # the same result: ASCII is NFKC/NFD-stable, has no accents, casefold == lower
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def norm(text: str) -> str:
    """The exact-match key: folded, with punctuation and spaces removed."""
    return _DROP.sub("", fold(text))
