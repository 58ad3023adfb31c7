"""Text from outside (members, import files, providers) that we must not store or show.

A lone UTF-16 surrogate cannot be encoded (SQLite and JSON writers fail on it), a NUL byte cuts text
short in many tools, and other C0 control characters are invisible in Discord. Such text is refused
where it enters, with a message naming the option or the file place, so nothing is stored half-way.
"""

from __future__ import annotations

import re
from typing import Any

_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """Why ``text`` cannot be stored as it is (``None``: it can). Tabs and line breaks are fine."""
    match = _UNSTORABLE.search(text)
    if match is None:
        return None
    char = match.group()
    if "\ud800" <= char <= "\udfff":
        return "contains a broken character (a lone surrogate, not valid Unicode text)"
    if char == "\x00":
        return "contains a NUL character"
    return f"contains an invisible control character (U+{ord(char):04X})"



def unstorable_places(doc: Any, place: str = "") -> list[str]:
    """Every text (key or value) in a parsed JSON document that cannot be stored, with its place.

    Iterative: a deeply nested document cannot exhaust the stack here.
    """
    problems: list[str] = []
    stack: list[tuple[str, Any]] = [(place, doc)]
    while stack and len(problems) < 50:
        where, value = stack.pop()
        if isinstance(value, str):
            problem = unstorable(value)
            if problem:
                problems.append(f"{where or 'top level'}: the text {problem}")
        elif isinstance(value, dict):
            for key, item in value.items():
                inner = f"{where}.{_printable(key)}" if where else _printable(key)
                if unstorable(key):
                    problems.append(f"{inner}: the field name {unstorable(key)}")
                stack.append((inner, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    return sorted(problems)


def _printable(text: str) -> str:
    """A place name that can be printed whatever the key holds."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")[:60]
