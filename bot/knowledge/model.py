"""What the question engine hands back: an :class:`Answer`, and :class:`Match` for autocomplete."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Answer:
    """An answer: the sentence(s), what it was about, and whether the catalog knew."""

    text: str
    intent: str = "none"
    found: bool = True
    drama_id: int | None = None
    person_id: int | None = None
    suggestions: list[str] = field(default_factory=list)
    query: Any = None          # the typed query behind a composed answer (a list's other pages re-run it)
    pages: int = 1             # a list answer's page count (buttons when more than one)
    asked: str = ""            # a follow-up as understood ("who directed it?" -> "who directed Goblin?")
    context: Any = None        # what a follow-up to this answer refers to (set by the /ask cog)
    score: float = 0.0         # how well a stored fact matched the question's words


@dataclass
class Match:
    """A drama (or person) the matcher thinks was meant, with how sure it is."""

    id: int
    score: float
    exact: bool
    key: str = ""
