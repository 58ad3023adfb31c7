"""Follow-up questions: "who directed it?", "and her other dramas?", "what about season 2?",
"what about Vincenzo?" right after an answer.

A follow-up is rewritten into a whole question about what the previous answer was about (its drama,
its person), then answered like any other; the answer says what "it" was taken to mean. Only a
question that names nothing itself and holds no unknown words is read as a follow-up, so a new
question with a misspelt title is never bent towards the previous one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge.labels import drama_label
from bot.knowledge.linking import reads_as_title
from bot.knowledge.parse import Parse, correct_cues, korean_cue
from bot.knowledge.text import has_hangul, tokenize

# Words that stand for the drama or the person of the previous answer.
DRAMA_WORDS = re.compile(r"\b(?:it|its|this (?:drama|show|series|one)|that (?:drama|show|series|one)"
                         r"|the (?:drama|show|series))\b|그거|그 드라마|이 드라마|그 작품|거기", re.IGNORECASE)
PERSON_WORDS = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their)\b|그 배우|그녀|걔", re.IGNORECASE)
POSSESSIVE = frozenset(("his", "her", "their", "its"))
WHAT_ABOUT = re.compile(r"^\s*(?:and|what about|how about|and what about|ok and|also|then|그럼|그러면|그리고)\b",
                        re.IGNORECASE)
SEASON = re.compile(r"(?:season|시즌|part|파트)\s*(\d{1,2})", re.IGNORECASE)


@dataclass
class Context:
    """What the member's previous answer was about (kept by the cog for a few minutes)."""

    question: str
    drama_id: int | None = None
    person_id: int | None = None

    def after(self, answer, question: str) -> Context:
        """The context once ``answer`` was given: what it was about, else what the one before was about
        ("how many episodes?" keeps the actress the answer before named, for "and her other dramas?")."""
        if not answer.found and answer.drama_id is None and answer.person_id is None:
            return self
        return Context(answer.asked or question, answer.drama_id or self.drama_id,
                       answer.person_id or (self.person_id if answer.drama_id in (None, self.drama_id) else None))

    @classmethod
    def first(cls, answer, question: str) -> Context:
        return cls("", None, None).after(answer, question)


async def rewrite(engine, question: str, context: Context) -> tuple[str, str] | None:
    """(the whole question, what "it" was taken as) for a follow-up, else None."""
    tokens = correct_cues(tokenize(question))
    if not tokens:
        return None
    parse = Parse(question, tokens)
    await engine._link_exact(parse, await engine.index())
    about = WHAT_ABOUT.search(question)
    pronoun = bool(DRAMA_WORDS.search(question) or PERSON_WORDS.search(question))
    if parse.people or any(m.j - m.i > 1 or not pronoun for m in parse.dramas):
        if about and context.question and _asks_nothing(parse):
            return await _same_question(engine, context, parse)
        return None
    if parse.frame_only and not pronoun:
        return None  # "Who stars in *Run On*?": a title made of question words
    if not pronoun and any(t.text[:1].isupper() and not t.frame and n > 0 and not parse.covered(n)
                           for n, t in enumerate(tokens)):
        return None  # "How many episodes does Flying Pineapple Detectives have?": a title, if an unknown one
    # with "it"/"her" the member points back: a one-word title or a lower-case common word beside it is a word
    singles = {m.i for m in parse.dramas} | ({n for n, t in enumerate(tokens) if t.text.islower()} if pronoun else set())
    parse.mentions = []  # "where can I hear *its* soundtrack": a one-word title beside "its" is a word here
    drama = await engine.q.drama(context.drama_id) if context.drama_id else None
    person = await engine.q.person(context.person_id) if context.person_id else None
    season = SEASON.search(question)
    if season and about and drama is not None and context.question:
        found = await _season(engine, drama, int(season.group(1)))
        if found is not None:
            old = await _subject(engine, context.question)
            if old:
                return context.question.replace(old, found["title"]), drama_label(found)
    if await _names_something(engine, parse, skip=singles if pronoun else set()):
        return None  # "who directed vincnzo?": a new question with a misspelt name, not a follow-up
    text = question
    meant = ""
    if person is not None and PERSON_WORDS.search(text):
        name = person["name"]
        text = PERSON_WORDS.sub(lambda m: f"{name}'s" if m.group(0).lower() in POSSESSIVE else name, text)
        meant = name
    if drama is not None and DRAMA_WORDS.search(text):
        title = drama["title"]
        text = DRAMA_WORDS.sub(lambda m: f"{title}'s" if m.group(0).lower() == "its" else title, text)
        meant = drama_label(drama)
    if text == question:
        # "how many episodes?", "감독은?": the question asks a field and names nothing: the drama (or person)
        if drama is not None:
            text, meant = f"{question.rstrip(' ?')} {drama['title']}?", drama_label(drama)
        elif person is not None:
            text, meant = f"{question.rstrip(' ?')} {person['name']}?", person["name"]
        else:
            return None
    return text, meant


async def _names_something(engine, parse: Parse, *, skip: set[int]) -> bool:
    """Whether words no question cue explains look like a (misspelt) title or person ("who directed
    vincnzo?", "which days was Beause This Is My First Life on?"): then it is a new question."""
    index = await engine.index()
    for i, j in _unexplained(parse, skip):
        if reads_as_title(index, parse.tokens, i, j):
            return True
        key = "".join(t.key for t in parse.tokens[i:j])
        if j - i >= 2 and await engine._fuzzy_people(key, cutoff=86):
            return True
    return False


def _unexplained(parse: Parse, skip: set[int]) -> list[tuple[int, int]]:
    """Runs of words that are no question word, with the question words inside them ("Ciderella and the
    Four Knights"); runs whose own words are all in ``skip`` are passed over."""
    return [(i, j) for i, j in parse.chunks()
            if not all(n in skip for n in range(i, j) if not parse.tokens[n].frame)
            and not all(has_hangul(t.text) and korean_cue(t.key) for t in parse.tokens[i:j])]


def _asks_nothing(parse: Parse) -> bool:
    """"What about Vincenzo?" asks nothing new ("about" there is no question about the plot)."""
    parse.detect()
    return not [i for i in parse.intents if i != "about"]


async def _subject(engine, question: str) -> str | None:
    """The words naming the drama (else the person) in an earlier question."""
    parse = Parse(question, correct_cues(tokenize(question)))
    await engine._link_exact(parse, await engine.index())
    mentions = parse.dramas or parse.people
    if not mentions:
        return None
    m = mentions[0]
    return question[parse.tokens[m.i].start:parse.tokens[m.j - 1].end]


async def _same_question(engine, context: Context, parse: Parse) -> tuple[str, str] | None:
    """"What about Vincenzo?": the previous question asked again about the newly named drama or person."""
    old = await _subject(engine, context.question)
    if not old:
        return None
    m = (parse.dramas or parse.people)[0]
    new = parse.question[parse.tokens[m.i].start:parse.tokens[m.j - 1].end]
    return context.question.replace(old, new), ""


async def _season(engine, drama, number: int):
    """Season ``number`` of the drama's series ("Stranger" -> "Stranger Season 2"), if the catalog has it."""
    from bot.knowledge.answers.recommend import franchise

    series = franchise(drama["title"])
    for m in await engine.match_dramas(f"{drama['title']} Season {number}", limit=5):
        row = await engine.q.drama(m.id)
        if row is not None and franchise(row["title"]) == series and re.search(
                rf"(?:season|part)\s*{number}\b|\b{number}$", row["title"], re.IGNORECASE):
            return row
    return None
