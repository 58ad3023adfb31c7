"""Build the shipped starter catalog from the public CSV files plus the hand-written seeds.

``build_catalog(sources_dir)`` returns the catalog as a plain dict in the documented format
(docs/catalog-format.md); ``write_catalog`` writes it reproducibly (sorted, gzip mtime 0), so the same
inputs always give a byte-identical file. Facts carry over, prose never does: the sources' prose
columns are not read at all, and every synopsis or fact sentence comes from ``bot.catalog.seeds``.

Merging rules (see docs/catalog.md): one drama per normalised title/alias + year (±1) across files;
one person per romanisation-folded name (Yim/Im, Uhm/Um, hyphens, spacing), never merging two people the
sources keep apart (a bare name shared by several actor ids goes to the most plausible one); within one
drama a looser phonetic match links spellings of the same actor; across dramas, spellings that differ
only by a silent "h" (Min-a/Min Ah) merge on strong evidence only (``merge_spellings``); one actor id
that Wikipedia writes as two people ('Kim Soo-hyun' / 'Kim Su-hyun') is split (``split_romanisations``).
"""

from __future__ import annotations

import csv
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.catalog import seeds
from bot.catalog.io import FORMAT, VERSION, canonical, write_catalog_file
from bot.catalog.names import fold, norm
from bot.catalog.normalize import (
    clean,
    has_hangul,
    is_missing,
    loose_key,
    name_syllables,
    network_and_platforms,
    parse_date,
    parse_date_range,
    parse_episodes,
    parse_weekdays,
    parse_year,
    person_key,
    pick_korean_title,
    same_person,
    slugify,
    split_list,
    split_networks,
    strip_title_suffix,
    surname,
    title_key,
    unescape,
    variant_key,
)

log = logging.getLogger(__name__)

# Status is computed against this date unless the caller passes another (reproducible builds).
DEFAULT_AS_OF = "2025-11-10"

FILES = {
    "facts": "EchoSingh__korean-drama-chatbot/korean_drama_facts.csv",
    "actors": "yujinc129-oss__Drama_data_project/wiki_actors.csv",
    "dramalist": "mehmoodulhaq570__Kdrama-recommendation-system/dramalist_kdramas.csv",
    "wikipedia": "mehmoodulhaq570__Kdrama-recommendation-system/wikipedia_kdramas_facts.csv",
}
# Field priority: MyDramaList-derived files first (consistent vocabulary), Wikipedia last.
PRIORITY = ("facts", "dramalist", "wikipedia")
ROLES = {"main role": "main", "main": "main", "support role": "support", "support": "support",
         "supporting": "support", "guest role": "guest", "guest": "guest", "bit part": "guest", "cameo": "guest"}
_JUNK_CAST = ("see ", "list", "below", "various", "and others", "etc")
# "Kim Ji-won (season 1)", "Koo Hye-sun (ep 1-6)": a note about the part, not part of the name
_PERSON_NOTE = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")


def _rows(path: Path) -> list[dict[str, str]]:
    """The file's rows, every text field with its HTML character references decoded ('B&amp;B')."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: unescape(v) for k, v in row.items()} for row in csv.DictReader(fh)]


@dataclass
class Record:
    """One source row, normalised."""

    source: str
    title: str
    year: int | None
    key: str = ""                      # source-specific join key (facts: drama_name)
    aliases: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    episodes: int | None = None
    first_aired: str | None = None
    last_aired: str | None = None
    air_days: list[str] = field(default_factory=list)
    directors: list[str] = field(default_factory=list)
    writers: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    rating: float | None = None
    cast: list[str] = field(default_factory=list)


@dataclass
class Drama:
    records: dict[str, Record] = field(default_factory=dict)
    extra_titles: list[str] = field(default_factory=list)  # same-source duplicates

    def best(self, attr: str):
        for source in PRIORITY:
            rec = self.records.get(source)
            if rec is not None:
                value = getattr(rec, attr)
                if value not in (None, "", []):
                    return value
        return None

    @property
    def year(self) -> int | None:
        return self.best("year")

    @property
    def title(self) -> str:
        for source in ("dramalist", "facts", "wikipedia"):
            if source in self.records:
                return self.records[source].title
        raise AssertionError("drama without records")


# ------------------------------------------------------------------ reading the sources
def _names(raw: str | None) -> list[str]:
    """A list of people's names without part notes ('(season 1)', '(ep. 1-6)')."""
    out = [_PERSON_NOTE.sub("", n) for n in split_list(raw)]
    return [n for n in dict.fromkeys(out) if n and not any(j in n.lower() for j in _JUNK_CAST)]


def read_facts(rows) -> list[Record]:
    out = []
    for r in rows:
        first = parse_date(r.get("start_dt"))
        last = parse_date(r.get("end_dt"))
        out.append(Record(
            source="facts", title=clean(r["drama_name"]), key=r["drama_name"],
            year=parse_year(r.get("year")) or (int(first[:4]) if first else None),
            channels=split_networks(r.get("org_net")), episodes=parse_episodes(r.get("tot_eps")),
            first_aired=first, last_aired=last, air_days=parse_weekdays(r.get("aired_on")),
            directors=_names(r.get("director")), writers=_names(r.get("screenwriter")),
        ))
    return out


def read_dramalist(rows) -> list[Record]:
    out = []
    for r in rows:
        first, last = parse_date_range(r.get("aired"))
        first = first or parse_date(r.get("date_published"))
        year = int(first[:4]) if first else parse_year(r.get("date_published"))
        rating = None
        try:
            rating = round(float(r["rating_value"]), 1) if not is_missing(r.get("rating_value")) else None
        except ValueError:
            rating = None
        out.append(Record(
            source="dramalist", title=clean(r["title"]), year=year,
            aliases=split_list(r.get("alternate_names")), channels=split_networks(r.get("publisher")),
            episodes=parse_episodes(r.get("episodes")), first_aired=first, last_aired=last,
            directors=_names(r.get("directors")), writers=_names(r.get("screenwriters")),
            genres=split_list(r.get("genres")), tags=split_list(r.get("keywords")), rating=rating,
            cast=_names(r.get("actors")),
        ))
    return out


def read_wikipedia(rows) -> list[Record]:
    out = []
    for r in rows:
        first, last = parse_date_range(r.get("Release Dates"))
        year = parse_year(r.get("Release Years")) or (int(first[:4]) if first else None)
        cast = [c for c in _names(r.get("Cast")) if len(c.split()) <= 6]
        out.append(Record(
            source="wikipedia", title=strip_title_suffix(r["Title"]), year=year,
            aliases=split_list(r.get("Also Known As")), channels=split_networks(r.get("Network")),
            episodes=parse_episodes(r.get("Episodes")), first_aired=first, last_aired=last,
            directors=_names(r.get("Director")), writers=_names(r.get("Written By")),
            genres=split_list(r.get("Genre")), cast=cast,
        ))
    return out


# ------------------------------------------------------------------ matching dramas
def _close(a: int | None, b: int | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1


def _far_apart(a: str | None, b: str | None, days: int = 90) -> bool:
    """Both premiere dates known and more than ``days`` apart: not the same drama (or season)."""
    if not a or not b:
        return False
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) > days


def _crew(records, role: str) -> set[str]:
    """Loose keys of the directors' (or writers') given names: spellings vary across files ("Lee Geon
    Joon" / "Lee Gun-joon", "Lim Suk Jin" / "Im Suk-jin")."""
    names = (re.sub(r"\(.*?\)", " ", n).strip() for r in records for n in getattr(r, role))  # "(Ep. 1–16)"
    return {loose_key(" ".join(n.split()[1:]) or n) for n in names if n}


def _shared_crew(drama: Drama, rec: Record) -> bool:
    """A director or writer in common: the same show even when the files date its run far apart (a
    streaming release a year after the premiere, a re-run given as the run)."""
    return any(_crew(drama.records.values(), role) & _crew([rec], role) for role in ("directors", "writers"))


def _other_crew(drama: Drama, rec: Record) -> bool:
    """Made by other people: no director or writer in common, a role both sides name with nobody shared,
    and not the same number of episodes."""
    if _shared_crew(drama, rec):
        return False
    if not any(_crew(drama.records.values(), role) and _crew([rec], role) for role in ("directors", "writers")):
        return False
    episodes = drama.best("episodes")
    return not (episodes and rec.episodes and episodes == rec.episodes)


def merge_records(records: list[Record]) -> list[Drama]:
    """Cluster records of the same drama: normalised title or alias equal, year within one, and premieres
    at most 90 days apart unless the records share a director or writer. A record that matches only
    through an alternate title must not name another crew."""
    dramas: list[Drama] = []
    by_title: dict[str, list[int]] = defaultdict(list)
    by_alias: dict[str, list[int]] = defaultdict(list)
    for rec in records:
        t = title_key(rec.title)
        alias_keys = {title_key(a) for a in rec.aliases} - {""}
        scored: list[tuple[int, int, int]] = []
        for idx in set(by_title.get(t, [])) | set(by_alias.get(t, [])) | {
            i for a in alias_keys for i in by_title.get(a, [])
        }:
            drama = dramas[idx]
            if not _close(drama.year, rec.year):
                continue
            if _far_apart(drama.best("first_aired"), rec.first_aired) and not _shared_crew(drama, rec):
                continue
            same = drama.records.get(rec.source)
            if same is not None:
                # within one file two rows are one drama only when title and year are identical
                if title_key(same.title) != t or same.year != rec.year:
                    continue
            exact_title = idx in by_title.get(t, [])
            if not exact_title and _other_crew(drama, rec):
                # linked only through an alternate title ("Mom", a fragment of "Please, Mom") and made
                # by other people: another drama
                continue
            scored.append((0 if exact_title else 1, abs((drama.year or 0) - (rec.year or 0)), idx))
        if scored:
            idx = min(scored)[2]
            drama = dramas[idx]
            if rec.source in drama.records:
                drama.extra_titles.append(rec.title)
                continue
            drama.records[rec.source] = rec
            for _exact, _gap, other in sorted(scored):
                if other != idx and _joinable(drama, dramas[other]):
                    # the row names both: one by its title, the other by an alternate title ("Guardian: The
                    # Lonely and Great God" aka "Goblin"), and the two never disagree: one drama
                    _absorb(dramas, idx, other, by_title, by_alias)
        else:
            idx = len(dramas)
            dramas.append(Drama(records={rec.source: rec}))
        by_title[t].append(idx)
        for a in alias_keys:
            by_alias[a].append(idx)
    return [d for d in dramas if d.records]


def _joinable(a: Drama, b: Drama) -> bool:
    """Two clusters one row links may become one: no file in both, years within one, premieres at most
    90 days apart (or a shared director or writer), and not made by other people."""
    if not b.records or set(a.records) & set(b.records) or not _close(a.year, b.year):
        return False
    if any(_far_apart(a.best("first_aired"), r.first_aired) and not _shared_crew(a, r) for r in b.records.values()):
        return False
    return not any(_other_crew(a, r) for r in b.records.values())


def _absorb(dramas: list[Drama], keep: int, gone: int, *indexes: dict[str, list[int]]) -> None:
    dramas[keep].records.update(dramas[gone].records)
    dramas[keep].extra_titles += dramas[gone].extra_titles
    dramas[gone] = Drama()
    for index in indexes:
        for key, ids in index.items():
            if gone in ids:
                index[key] = list(dict.fromkeys(keep if i == gone else i for i in ids))


# ------------------------------------------------------------------ people
class People:
    """The person registry: ids from wiki_actors are distinct people; other names attach by key."""

    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {}        # person id -> names, display name first
        self.by_key: dict[str, list[str]] = defaultdict(list)
        self.origin: dict[str, str] = {}
        self.id_credits: dict[str, int] = defaultdict(int)  # rows per actor id in wiki_actors.csv

    def add(self, pid: str, name: str, origin: str) -> str:
        if pid not in self.names:
            self.names[pid] = [name]
            self.origin[pid] = origin
            self.by_key[person_key(name)].append(pid)
        else:
            self.alias(pid, name)
        return pid

    def alias(self, pid: str, name: str) -> None:
        name = clean(name)
        if name and name not in self.names[pid]:
            self.names[pid].append(name)
        key = person_key(name)
        if pid not in self.by_key[key]:
            # register the spelling globally only when it cannot point at someone else
            if not self.by_key[key]:
                self.by_key[key].append(pid)

    def resolve(self, name: str) -> str:
        """The person a bare name (no id) means; a new person when unknown or ambiguous."""
        key = person_key(name)
        found = self.by_key.get(key, [])
        if len(found) == 1:
            self.alias(found[0], name)
            return found[0]
        if len(found) > 1:  # homonyms the sources keep apart: the most plausible one
            pid = self.plausible(name, found)
            if clean(name) not in self.names[pid]:
                self.names[pid].append(clean(name))
            return pid
        pid = f"name:{key}"
        return self.add(pid, clean(name), "name")

    def plausible(self, name: str, candidates: list[str]) -> str:
        """Which of several people with one key a bare name (no actor id) means: the one spelled exactly
        so ('Jung Yu-mi' -> Jung Yu Mi, not Jung Yoo Mi) when only one is, else the one with the most
        credits in the actors file (ties: the first id)."""
        exact = [p for p in candidates if norm(name) in {norm(n) for n in self.names[p]}]
        pool = exact if len(exact) == 1 else (exact or candidates)
        return min(pool, key=lambda p: (-self.id_credits.get(p, 0), p))

    def is_id(self, pid: str) -> bool:
        return self.origin.get(pid) == "actors"

    def absorb(self, winner: str, loser: str) -> None:
        """``loser`` is another spelling of ``winner``: keep its names as aliases, forget it."""
        for name in self.names.pop(loser):
            if name not in self.names[winner]:
                self.names[winner].append(name)
        for pids in self.by_key.values():
            if loser in pids:
                pids.remove(loser)
                if winner not in pids:
                    pids.append(winner)
        self.origin.pop(loser, None)


@dataclass
class Credit:
    pid: str
    character: str = ""
    role: str | None = None
    order: tuple = ()
    character_aliases: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)  # the files that credit this person in this drama
    spelled: set[str] = field(default_factory=set)  # how Wikipedia's cast list writes the name here


def merge_spellings(people: People, cast: dict[int, list[Credit]]) -> list[tuple[str, str]]:
    """Merge people who are one actor written two ways ('Go Ah Ra' / 'Go A Ra', 'Uhm Ki Joon' /
    'Um Ki-joon', 'Shin Min Ah' / 'Shin Min-a'): same ``variant_key`` AND strong evidence:

    * they are credited in the same drama by different files (and no file credits both in one drama), or
    * they are the only two people with that key and two of their spellings have the same syllables
      part by part ('Yang Jung-a' / 'Yang Jung Ah'; not 'Seo Yoon Ah' / 'Seo Yu Na').

    Two actor ids are never merged (the actors file keeps them apart). The person with an actor id
    (else the most credits) keeps its display name; every spelling stays an alias. Returns the merges
    as (winner, loser) for logging and tests.
    """
    dramas_of: dict[str, dict[int, Credit]] = defaultdict(dict)
    for i, credits in cast.items():
        for c in credits:
            dramas_of[c.pid][i] = c
    groups: dict[str, set[str]] = defaultdict(set)
    for pid, names in people.names.items():
        if pid in dramas_of:
            for name in names:
                groups[variant_key(name)].add(pid)

    def evidence(a: str, b: str, group_size: int) -> bool:
        if people.is_id(a) and people.is_id(b):
            return False
        shared = dramas_of[a].keys() & dramas_of[b].keys()
        if any(dramas_of[a][i].sources & dramas_of[b][i].sources for i in shared):
            return False  # one file lists both in one drama: two people
        if shared:
            return True
        if group_size != 2:
            return False
        syll_a = {name_syllables(n) for n in people.names[a]}
        return any(name_syllables(n) in syll_a for n in people.names[b])

    merged: list[tuple[str, str]] = []
    for key in sorted(groups):
        pids = sorted(p for p in groups[key] if p in people.names)
        if len(pids) < 2:
            continue
        size = len(pids)
        for a, b in [(a, b) for n, a in enumerate(pids) for b in pids[n + 1:]]:
            if a not in people.names or b not in people.names or not evidence(a, b, size):
                continue
            winner, loser = sorted((a, b), key=lambda p: (not people.is_id(p), -len(dramas_of[p]), p))
            people.absorb(winner, loser)
            for i, lost in dramas_of.pop(loser).items():
                kept = dramas_of[winner].get(i)
                credits = cast[i]
                if kept is None:
                    lost.pid = winner
                    dramas_of[winner][i] = lost
                    continue
                credits.remove(lost)
                kept.character = kept.character or lost.character
                kept.role = kept.role or lost.role
                kept.order = min(kept.order, lost.order)
                kept.sources |= lost.sources
                kept.spelled |= lost.spelled
            merged.append((winner, loser))
    return merged


def split_romanisations(people: People, cast: dict[int, list[Credit]],
                        titles: list[str]) -> list[tuple[str, str, str]]:
    """Split a person whose dramas Wikipedia's cast lists spell two ways: the actors file gives the actor of
    "It's Okay to Not Be Okay" (Wikipedia: "Kim Soo-hyun") and the actress of "A-Teen" ("Kim Su-hyun") one
    id. Wikipedia keeps homonyms apart by spelling, so the rule is:

    * exactly two hyphenated spellings of the person across its dramas, with the same ``person_key``
      (the same name romanised two ways, not a looser in-drama match), never both in one drama, and
      each of them in at least two dramas (a single odd spelling is an editor's choice);
    * a drama Wikipedia does not spell follows the group that has the same character name there, else
      the group with a drama of the same franchise (one title starts with the other: "A-Teen Season 2"),
      else the larger group;
    * the smaller group is one continuing part: each of its dramas shares a character or a franchise with
      another of them. Spellings scattered over unrelated dramas are a changed romanisation of one
      actor ('Moon Ka-young' / 'Moon Ga-young', 'Seo Ha-joon' / 'Seo Ha-jun'), not two people;
    * the larger group keeps the person; the other becomes a new person with the same display name and
      its spelling as an alias (its own slug, like two actor ids with one name).

    Returns (kept id, new id, spelling) per split.
    """
    dramas_of: dict[str, dict[int, Credit]] = defaultdict(dict)
    for i, credits in cast.items():
        for c in credits:
            dramas_of[c.pid][i] = c
    splits: list[tuple[str, str, str]] = []
    for pid in sorted(dramas_of):
        credits = dramas_of[pid]
        spelled = {i: {norm(n): n for n in c.spelled if "-" in n} for i, c in credits.items()}
        if any(len(s) > 1 for s in spelled.values()):
            continue  # two spellings in one drama: not a rule about homonyms
        groups: dict[str, set[int]] = defaultdict(set)
        spelling: dict[str, str] = {}
        for i, s in spelled.items():
            for key, name in s.items():
                groups[key].add(i)
                spelling.setdefault(key, name)
        if len(groups) != 2 or len({person_key(n) for n in spelling.values()}) != 1:
            continue
        if min(map(len, groups.values())) < 2:
            continue  # one odd spelling is an editor's choice ('Lee Byung-hoon' once among 'Lee Byung-hun')
        keys = sorted(groups)
        for i in sorted(i for i, s in spelled.items() if not s):
            groups[_follows(i, credits, groups, keys, titles)].add(i)
        big, small = sorted(keys, key=lambda k: (-len(groups[k]), k))
        if not _one_role(groups[small], credits, titles):
            continue  # scattered among the other's dramas: a changed romanisation ('Moon Ka-young' / 'Ga-young')
        new = f"{pid}~{small}"
        display = people.names[pid][0]
        people.names[pid] = [display] + [n for n in people.names[pid][1:] if norm(n) != small]
        people.names[new] = [display, spelling[small]]
        people.origin[new] = people.origin[pid]
        for i in groups[small]:
            credits[i].pid = new
        splits.append((pid, new, spelling[small]))
    return splits


def _follows(i: int, credits: dict[int, Credit], groups: dict[str, set[int]], keys: list[str],
             titles: list[str]) -> str:
    """The spelling group an unspelled drama ``i`` belongs to: same character, else same franchise, else
    the larger group."""
    character = norm(credits[i].character)
    by_character = [k for k in keys if character and any(norm(credits[j].character) == character for j in groups[k])]
    if len(by_character) == 1:
        return by_character[0]
    by_franchise = [k for k in keys if any(_same_franchise(titles[i], titles[j]) for j in groups[k])]
    if len(by_franchise) == 1:
        return by_franchise[0]
    return min(keys, key=lambda k: (-len(groups[k]), k))


def _one_role(group: set[int], credits: dict[int, Credit], titles: list[str]) -> bool:
    """Every drama of the group shares a character or a franchise with another one of it: one continuing
    part ('A-Teen', 'A-Teen Season 2', 'Go, Back Diary': Yeo Bo Ram), not scattered credits."""
    def linked(i: int, j: int) -> bool:
        ci, cj = norm(credits[i].character), norm(credits[j].character)
        return bool(ci) and ci == cj or _same_franchise(titles[i], titles[j])
    return all(any(linked(i, j) for j in group if j != i) for i in group)


def _same_franchise(a: str, b: str) -> bool:
    """One title's words begin the other's ('A-Teen' / 'A-Teen Season 2'; not 'Love' / 'Lovely Runner')."""
    short, long = sorted((_title_words(a), _title_words(b)), key=len)
    return bool(short) and long[:len(short)] == short


def _title_words(title: str) -> list[str]:
    return [w for w in re.findall(r"\w+", fold(strip_title_suffix(title))) if w not in {"the", "a", "an"}]


def _match_in_cast(credits: list[Credit], people: People, name: str) -> Credit | None:
    key, loose, sur = person_key(name), loose_key(name), loose_key(surname(name))
    for c in credits:
        if any(person_key(n) == key for n in people.names[c.pid]):
            return c
    hits = [c for c in credits
            if any(loose_key(n) == loose and loose_key(surname(n)) == sur for n in people.names[c.pid])]
    return hits[0] if len(hits) == 1 else None


def _dedupe_names(lists: list[list[str]]) -> list[str]:
    """Union of name lists in priority order. Spellings that differ only in case, spacing or hyphens are
    one ("Lee Jae-hoon" = "Lee Jae Hoon"); other spellings of the same person ("No Ji-sul" for "Noh Ji Sul")
    are kept right after the first one, since readers may know either (answers show them as one person:
    ``bot.knowledge.labels.crew_names``)."""
    groups: list[list[str]] = []
    for names in lists:
        for name in names:
            group = next((g for g in groups if same_person(name, g[0])), None)
            if group is None:
                groups.append([name])
            elif all(norm(name) != norm(o) for o in group):
                group.append(name)
    return [name for group in groups for name in group]


# ------------------------------------------------------------------ assembling
def _status(first: str | None, last: str | None, as_of: str) -> str | None:
    if first and first > as_of:
        return "upcoming"
    if last and last <= as_of:
        return "finished"
    if first and first <= as_of and last is None:
        return None  # an open range in an old scrape: we cannot tell
    if first and last and first <= as_of < last:
        return "airing"
    return None


def build_catalog(sources_dir: Path | str, *, as_of: str = DEFAULT_AS_OF, with_seeds: bool = True) -> dict:
    """Read the four CSV files under ``sources_dir`` and return the merged catalog dict."""
    base = Path(sources_dir)
    missing = [name for name in FILES.values() if not (base / name).is_file()]
    if missing:
        from bot.errors import ConfigError

        raise ConfigError(f"{base} is missing {', '.join(missing)}")
    facts_rows = _rows(base / FILES["facts"])
    actor_rows = _rows(base / FILES["actors"])
    records = (read_dramalist(_rows(base / FILES["dramalist"])) + read_facts(facts_rows)
               + read_wikipedia(_rows(base / FILES["wikipedia"])))
    dramas = merge_records(records)
    by_facts_key = {d.records["facts"].key: d for d in dramas if "facts" in d.records}

    people = People()
    for r in actor_rows:
        people.add("id:" + r["actor_id"], clean(r["actor_name"]), "actors")
        people.id_credits["id:" + r["actor_id"]] += 1

    cast: dict[int, list[Credit]] = defaultdict(list)
    index = {id(d): i for i, d in enumerate(dramas)}
    for n, r in enumerate(actor_rows):
        drama = by_facts_key.get(r["drama_name"])
        if drama is None:
            continue
        role = ROLES.get(clean(r.get("role")).lower())
        cast[index[id(drama)]].append(Credit("id:" + r["actor_id"], clean(r.get("character_name")), role,
                                             order=(3, n), sources={"actors"}))

    # Pass 1: spellings of an already credited actor inside the same drama become aliases.
    for i, drama in enumerate(dramas):
        for source in ("dramalist", "wikipedia"):
            rec = drama.records.get(source)
            for name in rec.cast if rec else []:
                hit = _match_in_cast(cast[i], people, name)
                if hit is not None:
                    people.alias(hit.pid, name)
                    if source == "wikipedia":
                        hit.spelled.add(name)
    # Pass 2: every remaining cast name becomes a credit (without character).
    for i, drama in enumerate(dramas):
        for rank, source in ((1, "dramalist"), (2, "wikipedia")):
            rec = drama.records.get(source)
            for pos, name in enumerate(rec.cast if rec else []):
                hit = _match_in_cast(cast[i], people, name)
                if hit is None:
                    pid = people.resolve(name)
                    same = [c for c in cast[i] if c.pid == pid]
                    if same:
                        same[0].sources.add(source)
                        continue
                    hit = Credit(pid, "", "main" if source == "wikipedia" else None, order=(rank, pos))
                    cast[i].append(hit)
                elif hit.order > (rank, pos):
                    hit.order = (rank, pos)
                hit.sources.add(source)
                if source == "wikipedia":
                    hit.spelled.add(name)
                    if hit.role is None:
                        hit.role = "main"  # Wikipedia's infobox lists the starring cast
    # Pass 3: one actor written two ways in different files becomes one person.
    for winner, loser in merge_spellings(people, cast):
        log.debug("merged %s into %s", loser, winner)
    # Pass 4: one source id that Wikipedia writes two ways, drama by drama, is two people.
    for pid, new, spelling in split_romanisations(people, cast, [d.title for d in dramas]):
        log.debug("split %s (%s) off %s", new, spelling, pid)

    # Slugs: stable, readable, unique.
    used: set[str] = set()
    drama_slugs: list[str] = []
    order = sorted(range(len(dramas)), key=lambda i: (dramas[i].title.casefold(), dramas[i].year or 0,
                                                      sorted(dramas[i].records)))
    slug_of: dict[int, str] = {}
    for i in order:
        d = dramas[i]
        slug = _unique(slugify(d.title) + (f"-{d.year}" if d.year else ""), used)
        slug_of[i] = slug
    drama_slugs = [slug_of[i] for i in range(len(dramas))]

    person_slug: dict[str, str] = {}
    used_people: set[str] = set()
    for pid in sorted(people.names, key=lambda p: (slugify(people.names[p][0]), p)):
        person_slug[pid] = _unique(slugify(people.names[pid][0]), used_people)

    out_dramas = []
    credited: set[str] = set()
    for i, d in enumerate(dramas):
        entry = _drama_entry(d, as_of)
        entry["slug"] = drama_slugs[i]
        credits = sorted(cast[i], key=lambda c: c.order)
        entry["credits"] = [
            {"person": person_slug[c.pid], "character": c.character, "role": c.role, "billing": n}
            for n, c in enumerate(credits, start=1)
        ]
        credited.update(c.pid for c in credits)
        out_dramas.append(entry)

    out_people = []
    for pid, names in people.names.items():
        if pid not in credited:
            continue
        out_people.append({"slug": person_slug[pid], "name": names[0], "aliases": sorted(set(names[1:]))})

    catalog = {"format": FORMAT, "version": VERSION, "dramas": out_dramas, "people": out_people}
    if with_seeds:
        seeds.apply(catalog)
    return canonical(catalog)


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate = f"{slug}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _drama_entry(d: Drama, as_of: str) -> dict:
    title = d.title
    names: list[str] = []
    for source in PRIORITY:
        rec = d.records.get(source)
        if rec:
            names += [rec.title, *rec.aliases]
    names += d.extra_titles
    seen = {norm(title)}
    aliases = []
    for name in names:
        key = norm(name)
        if key and key not in seen:
            seen.add(key)
            aliases.append(name)
    hangul = [a for a in aliases if has_hangul(a)]
    wiki = d.records.get("wikipedia")
    wiki_hangul = [a for a in (wiki.aliases if wiki else []) if has_hangul(a)]
    channels: list[str] = []
    network = None
    platforms: set[str] = set()
    for source in PRIORITY:
        rec = d.records.get(source)
        if rec:
            net, plats = network_and_platforms(rec.channels)
            platforms.update(plats)
            if net and network is None and net not in plats:
                network = net
            channels += rec.channels
    if network is None:
        network, _ = network_and_platforms(channels)
    first, last = d.best("first_aired"), d.best("last_aired")
    if first and last and last < first:
        last = None
    return {
        "title": title,
        "korean_title": pick_korean_title(title, hangul, wiki_hangul),
        "aliases": aliases,
        "year": d.year,
        "network": network,
        "platforms": sorted(platforms),
        "episodes": d.best("episodes"),
        "first_aired": first,
        "last_aired": last,
        "air_days": d.best("air_days") or [],
        "status": _status(first, last, as_of),
        "genres": d.records["dramalist"].genres if "dramalist" in d.records else (d.best("genres") or []),
        "tags": d.best("tags") or [],
        "directors": _dedupe_names([d.records[s].directors for s in PRIORITY if s in d.records]),
        "writers": _dedupe_names([d.records[s].writers for s in PRIORITY if s in d.records]),
        "rating": d.best("rating"),
    }


def build(sources_dir: Path | str, out: Path | str, *, as_of: str = DEFAULT_AS_OF) -> dict:
    """Build and write ``out`` (.json or .json.gz); returns the catalog."""
    catalog = build_catalog(sources_dir, as_of=as_of)
    write_catalog_file(catalog, out)
    return catalog
