"""The question engine: parse a fan's question, link the dramas and people it names, answer in sentences.

Pipeline (see docs/knowledge.md):

1. tokenise; every window of up to 12 tokens is a candidate mention. Drama windows are looked up
   in the in-memory :class:`NameIndex` (exact keys), person windows in SQLite (one ``IN`` query);
   the longest non-overlapping mentions win (:mod:`bot.knowledge.linking`, :mod:`bot.knowledge.parse`).
2. detect the intent with keyword rules over the question with the mentions masked out;
3. when the intent needs a drama (or person) that no exact key named, the left-over words are
   matched fuzzily (rapidfuzz over a small candidate block), so typos still land;
4. answer from indexed SQL (cast, filmography, facts via FTS) in sentences this project writes
   (:mod:`bot.knowledge.answers`, one module per question family).

This module is the thin orchestrator: :meth:`KnowledgeEngine.answer` routes a parsed question to an
answer. Nothing here imports Discord; the cogs and the CLI call it through :func:`engine_for`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
import weakref
from typing import TYPE_CHECKING, Any

from bot.knowledge import followup
from bot.knowledge import intents as _intents
from bot.knowledge.answers import FIELD_ANSWERS
from bot.knowledge.answers.about import answer_about, fact_text, facts_for, theories_for
from bot.knowledge.answers.airing import whats_airing
from bot.knowledge.answers.dates import answer_dates
from bot.knowledge.answers.people import (
    ACTOR_SCORE,
    answer_cast,
    cast_member,
    character_anywhere,
    filmography,
    role_by_character,
    role_in,
    who_plays,
)
from bot.knowledge.executor import Executor
from bot.knowledge.followup import Context
from bot.knowledge.index import NameIndex
from bot.knowledge.labels import dedupe_cast, describe, drama_label
from bot.knowledge.linking import Linker, reads_as_title
from bot.knowledge.model import Answer, Match
from bot.knowledge.parse import JOINERS, YEAR, Mention, Parse, correct_cues, select_mentions
from bot.knowledge.planner import Planner
from bot.knowledge.query import Query
from bot.knowledge.text import FRAME, QUESTION_WORDS, echo, has_hangul, join_names, norm, span_text, tokenize
from bot.store.database import DB_ERRORS

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger(__name__)

# Re-exported: cogs/drama.py and cogs/_drama_option.py import these names from here.
__all__ = ["Answer", "KnowledgeEngine", "Match", "NameIndex", "dedupe_cast", "describe", "drama_label",
           "engine_for"]

MAX_QUESTION = 500
MAX_TOKENS = 60
ROLE_WORDS = frozenset("male female lead leads main protagonist heroine hero villain second antagonist".split())
FIELD_INTENTS = ("season2", "korean_title", "source", "director", "writer", "premiere", "finale",
                 "schedule",
                 "episodes", "air_time", "air_days", "platforms", "network", "year", "rating", "genre", "status")
# Words that may sit inside a character's name: "Oh *In* Kyung", "Jang *Do* Jin".
GAP_SYLLABLES = frozenset(("in", "do", "so", "an", "i", "a", "ran", "s"))  # and "Ye Chan*'s* Mom"
# Fields only a drama has: asked about a lone name word, the question names an unknown title.
TITLE_FIELDS = frozenset(("korean_title", "source", "director", "writer", "premiere", "finale", "episodes", "air_time",
                          "air_days", "platforms", "network", "season2"))
FANS = re.compile(r"\bfans?\b|theor|think|could be about|would be about|what happens|predict|speculat|팬|예상")
CHARACTER_CUE = re.compile(r"character|캐릭터|등장인물|나오는|나온|등장")
EXAMPLES = ("Who plays Im Sol in Lovely Runner?", "How many episodes does Goblin have?",
            "What dramas has Kim Da Mi been in?", "Is there going to be a Lovely Runner season 2?")


class KnowledgeEngine(Linker):
    """Answers questions about the catalog held in ``store`` (linking and the name index: :class:`Linker`)."""

    # ------------------------------------------------------------------ answering
    async def answer(self, question: str, *, today: dt.date | None = None, context: Context | None = None
                     ) -> Answer:
        """Answer one question. Never raises for bad input: odd text gets a plain refusal. With ``context``
        (what the member's previous answer was about) a follow-up ("who directed it?") is understood."""
        question = (question or "").strip()[:MAX_QUESTION]
        if context is not None:
            try:
                follow = await followup.rewrite(self, question, context)
            except sqlite3.Error:
                follow = None
            if follow is not None:
                whole, meant = follow
                answer = await self._answer(whole, today)
                answer.asked = whole
                if answer.found and meant and meant not in answer.text:
                    answer.text = f"({meant}) {answer.text}"
                return answer
        return await self._answer(question, today)

    async def _answer(self, question: str, today: dt.date | None) -> Answer:
        question = (question or "").strip()
        if len(question) > MAX_QUESTION:
            question = question[:MAX_QUESTION]
        tokens = correct_cues(tokenize(question)[:MAX_TOKENS])
        if not tokens or all(t.key in QUESTION_WORDS for t in tokens):
            return Answer(self._help_text(), intent="help", found=False)
        listing = await whats_airing(self.store, question, today)  # "what's airing today?" names no drama
        if listing is not None:
            return listing
        index = await self.index()
        parse = Parse(question, tokens)
        await self._link_exact(parse, index)
        if not parse.dramas and parse.frame_only:
            # "Who plays Oh Mi-do *in Run On*?": a title of question words closing the question after "in"
            n = len(tokens)
            tail = [m for m in parse.frame_only if m.j == n and m.j - m.i >= 2 and m.i > 0
                    and tokens[m.i - 1].key in ("in", "of", "from") and not parse.covered(m.i - 1)]
            if tail and parse.chunks():
                parse.mentions = select_mentions(parse.mentions + tail[:1], keep=parse.mentions)
        parse.detect()
        planner = await self.planner()
        try:
            query = planner.early(parse, today)
            if query is not None and query.kind == "list" and self._misspelt_title(parse, planner, index):
                query = None
            if query is not None:
                return await self.run(query)
            if not parse.dramas or parse.people:
                found = await self._through_character(parse, today)
                if found is not None:
                    return found
        except sqlite3.Error:
            log.exception("catalog query failed for a question")
            return Answer("Sorry, I couldn't look that up just now.", intent="error", found=False)
        needs_drama = any(i in _intents.DRAMA_INTENTS for i in parse.intents)
        if not parse.dramas and "actor_for_character" in parse.intents:
            # "Who plays Sun-jae?": a character named exactly (or by another spelling) beats a fuzzy title,
            # and beats an actor whose name is part of it or equal to it ("Who played Min *Jae Hee*?")
            chunk = parse.character_chunk(ignore=parse.people)
            if chunk:
                found = await character_anywhere(self.q, parse, chunk, await self.character_aliases())
                if found is not None:
                    return found
        if not parse.dramas and (needs_drama or not parse.people or parse.chunks()):
            # a misspelt title may read as a person's name, but not when the question is about them
            over_people = needs_drama and bool(parse.people) and "filmography" not in parse.intents
            await self._link_fuzzy_drama(parse, index, over_people=over_people)
        else:
            await self._relink_soft(parse, index)
        if not parse.dramas and parse.frame_only and all(
                all(YEAR.match(t.key) for t in tokens[i:j]) for i, j in parse.chunks()):
            # titles made only of question words ("My Name") count when nothing better was found; only
            # the longest one ("who are the *main* actors in *Please Find Her*": not the alias "Main" too)
            best = max(parse.frame_only, key=lambda m: (m.size, -m.i))
            parse.mentions = select_mentions(parse.mentions + [best], keep=parse.mentions)
        if not parse.dramas and not parse.people and "actor_for_character" not in parse.intents:
            await self._link_fuzzy_person(parse)
        parse.detect()
        self._titles_as_characters(parse)
        try:
            unknown = self._field_of_a_name(parse)
            if unknown is not None:
                return await self._not_found(parse, span=unknown)
            found = await self._character_over_title(parse)
            if found is not None:
                return found
            dubious = self._dubious(parse, index)
            if dubious is not None and await self._extra_is_character(parse, dubious):
                dubious = None
            if dubious is not None:
                return await self._not_found(parse, span=dubious, also=[m.ids[0] for m in parse.dramas])
            return await self._dispatch(parse, today)
        except DB_ERRORS:
            log.exception("catalog query failed for a question")
            return Answer("Sorry, I couldn't look that up just now.", intent="error", found=False)

    @staticmethod
    def _titles_as_characters(parse: Parse) -> None:
        """"Who is *Seo Young* in *Manhole*?", "Who plays *Vincenzo* in *Vincenzo*?": of two titles joined by
        "in"/"on"/"from" (or any two in a who-plays question), the last is the drama; the earlier words
        name a person or a character, so the people they hold are linked again."""
        dramas = parse.dramas
        if len(dramas) < 2:
            return
        between = parse.tokens[dramas[-2].j:dramas[-1].i]
        joined = len(between) == 1 and between[0].key in ("in", "on", "from")
        if not joined and "actor_for_character" not in parse.intents:
            return
        kept = [m for m in parse.mentions if m.kind != "drama" or m is dramas[-1]]
        parse.mentions = select_mentions(kept + parse.person_cands, keep=kept)
        parse.detect()

    async def _character_over_title(self, parse: Parse) -> Answer | None:
        """"Who played Yoon *Cheo Yong*?", "who plays *Oh* In Kyung?": a title inside a character's name (right
        next to its other words, or one short title word across "in"/"do"...) when the whole is a character
        credited by that exact name."""
        if "actor_for_character" not in parse.intents or len(parse.dramas) != 1:
            return None
        m = parse.dramas[0]
        chunk = parse.character_chunk()
        title = norm(span_text(parse.question, parse.tokens, m.i, m.j))
        if chunk is None:
            if m.j - m.i != 1:
                return None
            chunk = (m.i, m.j)  # "who plays an do *na*": the name's other words are question words
        gap = parse.tokens[chunk[1]:m.i] if chunk[1] <= m.i else parse.tokens[m.j:chunk[0]]
        if gap and not (m.j - m.i == 1 and len(gap) == 1 and gap[0].key in GAP_SYLLABLES):
            return None
        span = (min(chunk[0], m.i), max(chunk[1], m.j))
        return await character_anywhere(self.q, parse, span, await self.character_aliases(), exclude={title})

    @staticmethod
    def _field_of_a_name(parse: Parse) -> tuple[int, int] | None:
        """"How many episodes does Quantum Academy of *Thunder* have?", "Crimson Academy of *Thunder* cast":
        a drama's field asked about a lone name word, or about capitalised words only one of which is
        someone's name, is about a title the catalog does not have (returns the span to echo)."""
        people = parse.people
        tokens = parse.tokens
        if parse.dramas or not people or "filmography" in parse.intents or any(
                m.j - m.i != 1 or has_hangul(tokens[m.i].text) for m in people):  # "손예진" is a whole name
            return None
        m = people[0]

        def open_(k: int) -> bool:
            return not parse.covered(k) or any(p.i == k for p in people)

        a, b = m.i, m.j
        while a > 0 and open_(a - 1) and (not tokens[a - 1].frame or tokens[a - 1].key in JOINERS):
            a -= 1
        while b < len(tokens) and open_(b) and (not tokens[b].frame or tokens[b].key in JOINERS):
            b += 1
        while a < m.i and tokens[a].frame:
            a += 1
        while b > m.j and tokens[b - 1].frame:
            b -= 1
        if any(i in TITLE_FIELDS for i in parse.intents):
            return a, b
        if (a, b) != (m.i, m.j) and any(i in _intents.DRAMA_INTENTS or i == "actor_for_character"
                                        for i in parse.intents):
            return a, b
        return None

    def _help_text(self) -> str:
        return ("I answer questions about K-dramas and their casts, for example: "
                + "; ".join(f"“{e}”" for e in EXAMPLES) + ".")

    async def planner(self) -> Planner:
        vocab = await self.vocabulary()
        if self._planner is None or self._planner.vocab is not vocab:
            self._planner = Planner(vocab)
        return self._planner

    async def run(self, query: Query, *, offset: int = 0) -> Answer:
        """Run a composed query (also a list's other pages, from the /ask buttons)."""
        return await Executor(self.q, await self.vocabulary()).run(query, offset=offset)

    @staticmethod
    def _misspelt_title(parse: Parse, planner: Planner, index: NameIndex) -> bool:
        """Whether words a list question left unexplained read as a misspelt title ("Schol 2017")."""
        return any(reads_as_title(index, parse.tokens, i, j) for i, j in planner.residual_runs(parse))

    async def _through_character(self, parse: Parse, today: dt.date | None) -> Answer | None:
        """A drama named through a character: "which drama has a character called Y", "who directed the
        drama where X plays Y", "in the drama where X plays Y, who plays Z" (before any fuzzy guess turns
        the character's name into a title or a person). A character's name may hold someone else's name
        ("Joo *Yoo Jung*"), so the other people's words count as the character's too."""
        for actor in parse.people[:2]:
            runs = parse.name_runs(ignore=[m for m in parse.mentions if m is not actor])
            for run in runs[:2]:
                found = await role_by_character(self.q, actor.ids, span_text(parse.question, parse.tokens, *run))
                if found is not None:
                    return await self._chain(parse, found, today, [r for r in runs if r != run])
        runs = parse.name_runs()
        if runs and not parse.people and not parse.dramas and CHARACTER_CUE.search(parse.masked):
            found = await character_anywhere(self.q, parse, runs[0], await self.character_aliases())
            if found is not None:
                return await self._chain(parse, found, today, runs[1:])
        return None

    async def _chain(self, parse: Parse, found: Answer, today: dt.date | None,
                     runs: list[tuple[int, int]] | None = None) -> Answer:
        """The drama a character named, then the fact asked about it (or another of its characters)."""
        fields = [i for i in parse.intents if i in FIELD_INTENTS and i not in ("similar", "season2")]
        runs = runs if runs is not None else parse.name_runs()[1:]
        if found.drama_id is None:
            return found
        d = await self.q.drama(found.drama_id)
        if fields:
            answer = await FIELD_ANSWERS[fields[0]](self.q, d, drama_label(d), today)
        elif runs and "actor_for_character" in parse.intents:
            answer = await who_plays(self.q, parse, d, runs[-1])
        else:
            return found
        answer.text = f"{found.text} {answer.text}"
        answer.drama_id = d["id"]
        return answer

    async def _dispatch(self, parse: Parse, today: dt.date) -> Answer:
        query = (await self.planner()).late(parse, today)
        if query is not None:
            if query.dramas:  # a name several dramas share: the likeliest one (the year asked, a real title)
                picked = [(await self._pick_drama(parse, m))[0]["id"] for m in parse.dramas]
                query.dramas = picked[:len(query.dramas)]
            return await self.run(query)
        intents = parse.intents
        dramas = [m for m in parse.mentions if m.kind == "drama"]
        people = [m for m in parse.mentions if m.kind == "person"]
        fields = [i for i in intents if i in FIELD_INTENTS]
        if dramas:
            drama, others = await self._pick_drama(parse, dramas[0])
            note = ""
            if others:
                note = (f"\n(I took {drama_label(drama)}; other dramas share that name: "
                        f"{join_names(others[:5])}. Add the year to pick one.)")
            answer = await self._drama_answer(parse, drama, people, fields, today)
            answer.text += note
            answer.drama_id = drama["id"]
            return answer
        if people:
            chunk = parse.character_chunk()
            if chunk:
                found = await role_by_character(self.q, people[0].ids, span_text(parse.question, parse.tokens, *chunk))
                if found is not None:
                    return await self._chain(parse, found, today)
                words = parse.residual_words()
                rows = await self.q.search_facts(words, person_id=people[0].ids[0], limit=2) if words else []
                if rows:
                    person = await self.q.person(people[0].ids[0])
                    return Answer(f"About {person['name']}: " + " ".join(fact_text(r) for r in rows),
                                  intent="facts", person_id=person["id"])
            person = await self.q.person(people[0].ids[0])
            return await filmography(self.q, person, others=people[0].ids[1:])
        # Neither a drama nor a person: a character across the catalog, or a refusal.
        char_chunk = parse.character_chunk()
        if char_chunk and any(i in intents for i in ("actor_for_character", "character_for_actor", "who_is")):
            found = await character_anywhere(self.q, parse, char_chunk, await self.character_aliases())
            if found is not None:
                return await self._chain(parse, found, today)
        runs = parse.name_runs()
        if runs:
            # "Sun Min Shik is from what drama?": before refusing, the words may be a character's exact name
            found = await character_anywhere(self.q, parse, runs[0], await self.character_aliases())
            if found is not None:
                return await self._chain(parse, found, today, runs[1:])
        return await self._not_found(parse)

    async def _not_found(self, parse: Parse, *, span: tuple[int, int] | None = None,
                         also: list[int] | None = None) -> Answer:
        chunks = [span] if span else parse.chunks()
        shown = echo(" ".join(span_text(parse.question, parse.tokens, i, j) for i, j in chunks)) or echo(
            parse.question)
        suggestions = await self._suggest(parse, also=also)
        text = f"I couldn't find “{shown}” in my catalog of dramas and actors."
        if suggestions:
            text += f" Did you mean: {join_names(suggestions, 'or')}?"
        return Answer(text, intent="not_found", found=False, suggestions=suggestions)

    async def _drama_answer(self, parse: Parse, d: sqlite3.Row, people: list[Mention], fields: list[str],
                            today: dt.date | None) -> Answer:
        intents = parse.intents
        label = drama_label(d)
        asks_actor = "actor_for_character" in intents or ("who_is" in intents and not fields)
        if people and not (fields and fields[0] in ("director", "writer", "source")):
            cast = await self.q.cast(d["id"])
            credited = {r["person_id"] for r in cast}
            in_cast = [m for m in people if credited.intersection(m.ids)]
            if in_cast:
                return await role_in(self.q, d, [i for i in in_cast[0].ids if i in credited], in_cast[0])
            # "Which drama did Lee Jong Suk play *Kang Chul* in?": the "title" may be a character of theirs
            spans = [span_text(parse.question, parse.tokens, m.i, m.j) for m in parse.dramas]
            chunk = parse.character_chunk()
            if chunk:
                spans.append(span_text(parse.question, parse.tokens, *chunk))
            for typed in spans:
                found = await role_by_character(self.q, people[0].ids, typed)
                if found is not None:
                    return found
            if not asks_actor:
                # a misspelt actor of this drama, part of whose name is someone else's ("Coi *Jin Hyuk*")
                texts = [span_text(parse.question, parse.tokens, *parse.around(m)) for m in people]
                score, member = cast_member(cast, texts)
                if member is not None and score >= ACTOR_SCORE:
                    return await role_in(self.q, d, [member["person_id"]], None)
            if (not asks_actor and not fields) or parse.names_an_actor(people[0]):
                # "Who does Jung Il Woo play in Hyde, Jekyll, Me?": an actor who is not in that cast
                return await role_in(self.q, d, people[0].ids, people[0])
            # a character that shares its name with an actor ("Who was Seo Eun Soo in The Road?")
            parse.mentions = [m for m in parse.mentions if m.kind != "person"]
        if asks_actor or ("character_for_actor" in intents and not fields):
            chunk = parse.character_chunk()
            if chunk:
                words = {t.key for t in parse.tokens[chunk[0]:chunk[1]]}
                if words <= ROLE_WORDS | FRAME:
                    return await answer_cast(self.q, d, main_only=True)
                return await who_plays(self.q, parse, d, chunk)
        if fields:
            intent = fields[0]
            if intent in ("premiere", "finale") and "premiere" in fields and "finale" in fields:
                intent = "dates"
            handler = FIELD_ANSWERS[intent]
            answer = await handler(self.q, d, label, today)
            extra = await facts_for(self.q, parse, d)
            if extra is not None and extra.score >= 2 and intent != "season2":
                return extra  # "how long did it take to make?": a stored fact says it, not the episode count
            if extra is not None and answer.found:
                # words the intent did not use may ask something a stored fact answers ("number one on Viki?")
                answer.text += " " + extra.text
            if intent == "season2" and FANS.search(parse.masked):
                answer.text += await theories_for(self.q, d)
            return answer
        if any(i in intents for i in ("cast", "actor_for_character", "character_for_actor", "who_is")):
            return await answer_cast(self.q, d)
        if "about" in intents:
            return await answer_about(self.q, d, label, today)
        if "dates" in intents:
            return await answer_dates(self.q, d, label, today)
        facts = await facts_for(self.q, parse, d, need=0.8)
        if facts is not None:
            return facts
        return await answer_about(self.q, d, label, today)


_ENGINES: weakref.WeakKeyDictionary[Any, KnowledgeEngine] = weakref.WeakKeyDictionary()


def engine_for(store: Store) -> KnowledgeEngine:
    """The one engine (and name index) per open store."""
    engine = _ENGINES.get(store)
    if engine is None:
        engine = _ENGINES[store] = KnowledgeEngine(store)
    return engine
