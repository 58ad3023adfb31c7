"""From a linked question to a typed :class:`~bot.knowledge.query.Query`.

The linker has found the dramas and people a question names; what is left are cue words. Each cue set
below says one thing in English and Korean (together, compare, more/first, a list, a count, an order,
recommend, a remembered plot); filters come from :class:`~bot.knowledge.vocab.Vocabulary` and a few
patterns (years and ranges, episode counts, status). The planner composes them: two people and
"together" are a shared-dramas query, a person with a year a filtered list of their works, dramas
with "which is longer" a comparison, and so on. ``None`` means the question is a single fact, answered
by :mod:`bot.knowledge.answers` directly.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.catalog.names import fold, norm
from bot.knowledge.glossary import english
from bot.knowledge.parse import Parse
from bot.knowledge.query import Filters, Query
from bot.knowledge.text import has_hangul
from bot.knowledge.vocab import STATUS_CUES, Vocabulary


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# --------------------------------------------------------------------------- cue words (folded text)
TOGETHER = _rx(r"together|\bboth\b|alongside|\b(?:act|work|star|appear|film|team|co-?star)(?:ed|s|ing|red|ring)?(?: up)? with"
               r"|\bwith each other|share[sd]? (?:the|a) (?:screen|drama|show|series)"
               r"|\bshared\b|in common|same (?:drama|show|series)|worked with|acted with|starred with|appeared with"
               r"|\bco-?star(?:red|ring)? (?:with|in|together)|paired|팀|함께|같이|둘\s*다|공동|호흡|동반")
COSTARS = _rx(r"co-?stars?\b|costars|(?:worked|acted|starred|appeared) with (?:the )?most|often (?:worked|acted)"
              r"|who (?:has|did) personref (?:work|act|star)(?:ed)? with|상대\s*배우|(?:같이|함께|자주) 나온 배우"
              r"|함께한 배우|자주 (?:같이|함께)")
COMPARE = _rx(r"\bvs\b|versus|compare|\bmore\b|\bfewer\b|\bless\b|longer|shorter|older|newer|earlier|\blater\b"
              r"|\bfirst\b|\bbefore\b|\bafter\b|better|higher|lower|bigger|\bwhich one\b|\bor\b|\bthan\b"
              r"|\b더\b|먼저|비교|차이|어느 쪽|누가 더|어떤 게")
MORE = _rx(r"\bmore\b|longer|bigger|higher|better|\bmost\b|더\s*(?:많|길|높)|긴")
FEWER = _rx(r"\bfewer\b|\bless\b|shorter|lower|적|짧")
FIRST = _rx(r"\bfirst\b|earlier|older|\bbefore\b|먼저|오래된|이전")
LATER = _rx(r"\blater\b|newer|more recent|\bafter\b|\blast\b|최근|나중")
COUNT = _rx(r"how many (?!(?:[\w-]+ ){0,2}(?:episodes?|eps|parts|seasons?|followers|times|years|days|hours|minutes"
            r"|people|actors|fans|views|likes|subscribers|awards)\b)[\w-]+"
            r"|number of (?:dramas|shows)"
            r"|count of (?:dramas|shows)|몇\s*(?:편|개|작품)")
RECOMMEND = _rx(r"recommend|suggest|similar|\b(?:dramas?|shows?|series|something|anything|kdramas?|ones?) (?:like|to)\b"
                r"|\blike dramaref\b|watch (?:next|after)|what (?:should|to|can|could) i watch|what to watch"
                r"|if i (?:liked|loved|enjoyed)|i (?:loved|liked|enjoyed|finished|just finished|binged)"
                r"|in the vein|same vibe|comparable|\bafter dramaref\b|more like|what next|whats next|\brecs?\b"
                r"|fans? of|\bbinge\b|next watch|alternatives? to"
                r"|비슷한|추천|같은 드라마|볼만한|다음에 볼|재밌게 봤")
LATEST = _rx(r"latest|newest|most recent|\brecent|\bnew(?:est)? (?:drama|show|series)|last (?:drama|show|series)"
             r"|current|최근|최신|요즘|신작")
LEAD = _rx(r"\blead(?:ing)? roles?|\bmain roles?|\bleads? in|as (?:the |a )?lead|starring roles?|protagonist"
           r"|주연작|주연으로|주인공")
PLOT = _rx(r"the one (?:where|about|with|in which)|(?:drama|show|series|kdrama) (?:where|about|in which|with a plot)"
           r"|(?:a|the) (?:drama|show|series) (?:that|where)|plot (?:is|was|about)|story (?:is|was) about"
           r"|what(?:s| is| was) the (?:drama|show|name)|remember (?:a|the|this|that) (?:drama|show)"
           r"|내용(?:인|의)|줄거리가|이야기인|드라마 제목|뭐였지")
# Korean: the story comes first, the cue last ("아이돌을 구하러 과거로 가는 드라마 뭐였지")
KO_PLOT = _rx(r"(?:는|은|인) (?:드라마|작품|사극|거)|(?:드라마|작품|사극|거|것) (?:있잖아|뭐였지|뭐더라)"
              r"|그 드라마|줄거리|내용인|이야기인|뭐였지|뭐더라|제목이")
KO_NOT_PLOT = _rx(r"캐릭터|등장인물|배우|감독|작가|몇|방송사|추천|비슷한")
LISTY = _rx(r"\b(?:k-?)?dramas\b|\bshows\b|\bseries\b|\btitles\b|what (?:was|is|were) on\b|what aired|\bany\b|\bsome\b"
            r"|\blist\b|\bname\b|which (?:k-?)?dramas?|which shows?|what (?:k-?)?dramas?|what shows?|\bwhat\b"
            r"|\bwhich\b|\bgive me\b|\bshow me\b|드라마|작품|뭐|뭐가|어떤|알려|목록")
SINGULAR = _rx(r"\bthe (?:best|highest|top|most|longest|shortest|oldest|newest|latest|first|lowest|worst)\b"
               r"|\b(?:best|highest[- ]rated|top[- ]rated|longest|shortest|oldest|newest) (?:k-?)?(?:drama|show|series)\b"
               r"|가장|제일")
ORDER_CUES = (
    ("best", _rx(r"highest[- ]rated|best[- ]rated|top[- ]rated|\bbest\b|most popular|highest rating|\btop\b"
                 r"|평점.{0,6}(?:높|최고|좋)|(?:가장|제일) (?:높|좋|재밌)|최고|인기")),
    ("worst", _rx(r"lowest[- ]rated|worst|least popular|평점\s*낮")),
    ("longest", _rx(r"longest|most episodes|가장 긴|제일 긴|회차가 많")),
    ("shortest", _rx(r"shortest|fewest episodes|least episodes|가장 짧|제일 짧")),
    ("oldest", _rx(r"oldest|earliest|first ones?|가장 오래|제일 오래")),
    ("newest", _rx(r"newest|latest|most recent|recent|최신|최근")),
)
ATTRIBUTE_CUES = (
    ("episodes", _rx(r"episode|\beps?\b|longer|shorter|\blong\b|length|parts|회차|부작|몇\s*회|긴|길|짧")),
    ("rating", _rx(r"rated|rating|score|better|popular|viewership|평점|시청률|인기")),
    ("finale", _rx(r"\bend(?:ed|s)?\b|finish|finale|종영|끝")),
    ("credits", _rx(r"more (?:dramas|shows|works|roles|credits)|더 많은 (?:작품|드라마)")),
    ("premiere", _rx(r"first|older|newer|earlier|\blater\b|before|after|came out|come out|release|premiere|aired"
                     r"|\bold\b|\bnew\b|recent|먼저|오래|최근|나중|방영|방송")),
)
DRAMA_NOUN = _rx(r"\b(?:k-?)?dramas?\b|\bshows?\b|\bseries\b|\bworks\b|\btitles\b|\bin\b|드라마|작품")
# Words the cue patterns above read (orders, superlatives, list words): never left over as a title's words.
CUE_WORDS = frozenset("""shortest longest newest oldest latest earliest best top highest lowest worst rated popular
recent good great any some list lists name names exactly least most fewer more than under over between since
currently upcoming ongoing finished completed kdramas thrillers""".split())
# Words of a plot question that say nothing about the story.
PLOT_STOP = frozenset("""the one where who whose which what when that this and with about from into drama dramas show
shows series kdrama kdramas called name title remember remembered forgot forget there was were has have had its
her his their they she him them for was are is""".split())
CHARACTER = _rx(r"character|캐릭터|등장인물|나오는|나온|등장")
JOINED = frozenset(("and", "with", "&", "x", "와", "과", "랑", "이랑", "하고", "or"))
PLAY_WORDS = _rx(r"\bplays?\b|\bplayed\b|\bplaying\b|\bportray|\bas who\b|\brole\b|character|역할|맡은|역을|역으로")

YEAR_RX = r"(19[5-9]\d|20[0-4]\d)"
RANGE = _rx(rf"(?:from|between)\s+{YEAR_RX}\s*(?:to|and|until|till|-|–)\s*{YEAR_RX}|{YEAR_RX}\s*(?:-|–|to|~)\s*{YEAR_RX}"
            rf"|{YEAR_RX}\s*년?\s*(?:부터|에서)\s*{YEAR_RX}\s*년?\s*(?:까지|사이)?")
DECADE = _rx(r"\b(?:the\s+)?(19[5-9]0|20[0-4]0)s\b|(19[5-9]0|20[0-4]0)\s*년대|\b'?([5-9]0)s\b")
SINCE = _rx(rf"(?:since|after|starting(?: from| in)?|later than|newer than)\s+(?:in\s+)?{YEAR_RX}|{YEAR_RX}\s*년?\s*(?:이후|부터)"
            rf"|{YEAR_RX}\s+(?:and|or)\s+(?:later|after|newer|since)")
UNTIL = _rx(rf"(?:before|until|till|up to|older than|earlier than|prior to)\s+(?:in\s+)?{YEAR_RX}|{YEAR_RX}\s*년?\s*(?:이전|전에|까지)"
            rf"|{YEAR_RX}\s+(?:and|or)\s+(?:earlier|before|older)")
A_YEAR = _rx(rf"(?<!\d){YEAR_RX}(?!\d)")
RELATIVE_YEAR = (("this year", 0), ("last year", -1), ("올해", 0), ("작년", -1), ("지난해", -1))
EPISODES = _rx(r"(?:(more than|over|at least|at most|under|fewer than|less than|up to|no more than|longer than"
               r"|shorter than)\s+)?(\d{1,3})\s*-?\s*(?:episodes?|eps?|parts?|부작|부|회|화|편)(?![a-z])"
               r"(?:\s*(이상|이하|넘는|미만|초과|or more|or less|or fewer|plus))?")


def folded(parse: Parse) -> str:
    """The question in lower case with its mentions masked (``dramaref`` / ``personref``)."""
    return parse.masked


def years(text: str, today: dt.date | None) -> tuple[int | None, int | None]:
    """(from, to) years a question restricts to: a range, a decade, since/before, one year."""
    m = RANGE.search(text)
    if m:
        a, b = sorted(int(y) for y in m.groups() if y)
        return a, b
    m = DECADE.search(text)
    if m:
        start = int(m.group(1) or m.group(2) or (1900 + int(m.group(3)) if int(m.group(3)) >= 50 else 2000))
        return start, start + 9
    m = SINCE.search(text)
    if m:
        y = int(next(g for g in m.groups() if g))
        return y + (1 if "after" in m.group(0) or "later than" in m.group(0) or "newer" in m.group(0) else 0), None
    m = UNTIL.search(text)
    if m:
        y = int(next(g for g in m.groups() if g))
        return None, y - (0 if "까지" in m.group(0) or "up to" in m.group(0) else 1)
    m = A_YEAR.search(text)
    if m:
        y = int(m.group(1))
        return y, y
    if today is not None:
        for phrase, delta in RELATIVE_YEAR:
            if phrase in text:
                return today.year + delta, today.year + delta
    return None, None


def episodes(text: str) -> tuple[int | None, int | None]:
    for m in EPISODES.finditer(text):
        before, n, after = m.group(1), int(m.group(2)), m.group(3)
        if n == 0 or n > 500:
            continue
        if before in ("more than", "over", "longer than") or after in ("넘는", "초과"):
            return n + 1, None
        if before == "at least" or after in ("이상", "or more", "plus"):
            return n, None
        if before in ("under", "fewer than", "less than", "shorter than") or after == "미만":
            return None, n - 1
        if before in ("at most", "up to", "no more than") or after in ("이하", "or less", "or fewer"):
            return None, n
        return n, n
    return None, None


def status(text: str) -> str | None:
    for name, rx in STATUS_CUES:
        if rx.search(text):
            return name
    return None


def order(text: str) -> str | None:
    for name, rx in ORDER_CUES:
        if rx.search(text):
            return name
    return None


def joined(parse: Parse, a, b) -> bool:
    """Whether two mentions are joined by "and" / "with" / "&" / a Korean joining particle."""
    between = parse.tokens[a.j:b.i]
    if len(between) <= 3 and any(t.key in JOINED for t in between):
        return True
    if not between:
        last = parse.tokens[a.j - 1].text
        return any(last.endswith(p) for p in ("와", "과", "랑", "하고", "이랑"))
    return False


class Planner:
    """Builds queries for one catalog (its :class:`Vocabulary`)."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def filters(self, parse: Parse, text: str, today: dt.date | None, *, tags: bool = False
                ) -> tuple[Filters, list[str]]:
        """The filters a question states (over the words no mention covers) and how they read."""
        skip = {n for m in parse.mentions for n in range(m.i, m.j)}
        found = self.vocab.find(parse.tokens, skip, tags=tags)
        f = Filters(channels=tuple(t for group in found.channels for t in group), genres=found.genres,
                    tags=found.tags)
        f.broad = self.vocab.broad_terms([f.channels, *f.genres, *f.tags])
        f.year_from, f.year_to = years(text, today)
        f.episodes_min, f.episodes_max = episodes(text)
        f.status = status(text) if not (f.year_from or f.year_to) else None
        labels = list(found.labels)
        self.used = found.used
        return f, labels

    def early(self, parse: Parse, today: dt.date | None) -> Query | None:
        """Queries decided by cue words before any fuzzy guess: two people, lists, a remembered plot."""
        self._filter_words_over_titles(parse)
        text = folded(parse)
        people, dramas = parse.people, parse.dramas
        if len(people) >= 2 and not dramas:
            if COMPARE.search(text) and ATTRIBUTE_CUES[3][1].search(text):
                return Query("compare", people=[m.ids for m in people], attribute="credits")
            if TOGETHER.search(text) or (joined(parse, people[0], people[1]) and not PLAY_WORDS.search(text)):
                return Query("shared", people=[m.ids for m in people])
        if len(people) == 1 and not dramas and COSTARS.search(text):
            return Query("costars", people=[people[0].ids])
        f, labels = self.filters(parse, text, today)
        if not dramas and (people or f.catalog_filters()):
            if len(people) == 1 and self._asks_works(text, f):
                return self._works(parse, text, f, labels, today)
            groups = len(f.genres) + len(f.tags) + bool(f.channels) + bool(f.year_from or f.year_to) + bool(
                f.episodes_min or f.episodes_max) + bool(f.status)
            plural = any(label.lower().endswith("s") for label in labels)  # "12-episode thrillers"
            if not people and f.catalog_filters() and (LISTY.search(text) or COUNT.search(text) or order(text)
                                                       or groups >= 2 or plural):
                return self._list(text, f, labels)
        cue = PLOT.search(fold(parse.question))
        after = next((n for n, t in enumerate(parse.tokens) if t.start >= (cue.end() if cue else 0)), None)
        if not people and cue and not CHARACTER.search(text) and len(parse.tokens) >= 5 and after is not None \
                and not parse.covered(after) and all(parse.tokens[m.i].start >= cue.end() for m in dramas):
            # "the one where a fan travels back in time to save her *idol*": words of a story, not a title
            parse.mentions = []
            return self._plot(parse, fold(parse.question), today)
        if not people and self._korean_plot(parse):
            parse.mentions = []
            return self._plot(parse, fold(parse.question), today)
        return None

    @staticmethod
    def _korean_plot(parse: Parse) -> bool:
        """A Korean story question: a plot cue and at least two story words the glossary knows (a title
        or a name named with a cue word is another kind: "도깨비 줄거리", "공유 나오는 드라마")."""
        text = fold(parse.question)
        if not has_hangul(text) or not KO_PLOT.search(text) or KO_NOT_PLOT.search(text):
            return False
        story = sum(1 for t in parse.tokens if has_hangul(t.text) and english(t.key))
        return story >= 2 and story > len(parse.dramas)

    def _filter_words_over_titles(self, parse: Parse) -> None:
        """"youth dramas from 2017", "which dramas are airing now?": a one-word title ("Youth", "Now") read as
        a word of a list question: the word is itself a genre or channel, or it was typed in lower case
        while the question lists dramas with filters (never in "dramas like X", a recommendation)."""
        dramas = parse.dramas
        if len(dramas) != 1 or dramas[0].j - dramas[0].i != 1 or not LISTY.search(parse.masked) \
                or RECOMMEND.search(parse.masked):
            return
        m = dramas[0]
        rest = [x for x in parse.mentions if x is not m]
        probe = Parse(parse.question, parse.tokens)
        probe.mentions = rest
        key = m.key
        word = parse.tokens[m.i].key
        named = any(k in self.vocab.genres or k in self.vocab.channels
                    for k in (key, key[:-1] if key.endswith("s") else key))
        masked, _labels = self.filters(parse, parse.masked, None)
        f, _labels = self.filters(probe, parse.masked.replace("dramaref", word), None)
        lower = parse.tokens[m.i].text.islower() and masked.catalog_filters()
        if (named or lower) and (f.year_from or f.year_to or f.status or f.episodes_min or f.episodes_max
                                 or len(f.genres) + bool(f.channels) >= 2 or lower):
            parse.mentions = rest
            parse.detect()

    def late(self, parse: Parse, today: dt.date | None) -> Query | None:
        """Queries over the dramas and people finally linked (typos included): comparisons, recommendations,
        a person's works."""
        text = folded(parse)
        dramas, people = parse.dramas, parse.people
        if len(dramas) >= 2 and COMPARE.search(text):
            attribute = next((name for name, rx in ATTRIBUTE_CUES if rx.search(text) and name != "credits"),
                             "premiere")
            return Query("compare", dramas=[m.ids[0] for m in dramas], attribute=attribute)
        if dramas and RECOMMEND.search(text):
            f, labels = self.filters(parse, text, today)
            f.year_from = f.year_to = None  # "like Goblin (2016)": the year names the drama
            f.status = None
            return Query("recommend", dramas=[dramas[0].ids[0]], filters=f, described=" ".join(labels))
        if len(people) == 1 and not dramas:
            f, labels = self.filters(parse, text, today)
            if self._asks_works(text, f):
                return self._works(parse, text, f, labels, today)
        return None

    @staticmethod
    def _asks_works(text: str, f: Filters) -> bool:
        """One person and a year, "latest", "lead roles" or "how many dramas"; or other filters with a
        word for dramas ("Gong Yoo dramas on Netflix", not "Gong Yoo's instagram followers")."""
        if f.year_from or f.year_to or LATEST.search(text) or LEAD.search(text) or COUNT.search(text):
            return True
        return f.catalog_filters() and bool(DRAMA_NOUN.search(text))

    def _works(self, parse: Parse, text: str, f: Filters, labels: list[str], today) -> Query:
        person = parse.people[0]
        f.people = [person.ids]
        f.lead = bool(LEAD.search(text))
        latest = bool(LATEST.search(text))
        q = Query("works", people=[person.ids], filters=f, order="newest" if latest else (order(text) or "newest"),
                  count_only=bool(COUNT.search(text)), described=" ".join(labels))
        if latest and not f.catalog_filters() and not re.search(r"dramas|shows|series|works|작품들", text):
            q.limit = 1
        return q

    def residual_runs(self, parse: Parse) -> list[tuple[int, int]]:
        """Runs of words that neither a mention, a question word nor a filter explains (after ``filters``):
        a list question holding one may be about a misspelt title instead ("Who stars in Schol 2017?")."""
        runs, start = [], None
        used = getattr(self, "used", set())
        for n, t in enumerate(parse.tokens + [None]):
            ok = (t is not None and not parse.covered(n) and n not in used and not t.frame and not t.key.isdigit()
                  and not has_hangul(t.text) and t.key not in CUE_WORDS)
            if ok and start is None:
                start = n
            elif not ok and start is not None:
                runs.append((start, n))
                start = None
        return runs

    def _list(self, text: str, f: Filters, labels: list[str]) -> Query:
        how = order(text)
        q = Query("list", filters=f, order=how or "newest", count_only=bool(COUNT.search(text)),
                  described=" ".join(labels))
        if how and SINGULAR.search(text):
            q.limit = 3  # "the highest rated tvN drama": the top one first, two runners-up
            q.attribute = "superlative"
        return q

    def _plot(self, parse: Parse, text: str, today) -> Query | None:
        f, labels = self.filters(parse, text, today, tags=True)
        words = [t.key for n, t in enumerate(parse.tokens) if n not in self.used and t.key not in PLOT_STOP
                 and len(t.key) >= 3 and not t.key.isdigit() and not has_hangul(t.key)]
        for n, t in enumerate(parse.tokens):  # Korean story words, in the catalog's English (glossary)
            if n in self.used or not has_hangul(t.key):
                continue
            for phrase in english(t.key):
                tag = self.vocab.tags.get(norm(phrase))
                if tag and tag not in f.tags:
                    f.tags.append(tag)
                    labels.append(phrase)
                words += [w for w in phrase.split() if len(w) >= 3 and w not in words]
        if not (f.tags or f.genres or words):
            return None
        return Query("plot", filters=f, words=words, described=" ".join(labels))
