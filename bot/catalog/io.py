"""The catalog file format: reading, whole-file validation, canonical form and reproducible writing.

Pure (no database): ``bot.store.catalog.CatalogQueries.apply_catalog`` applies a validated catalog,
``bot.store.catalog.CatalogQueries.export_catalog`` produces one. The format is documented in
docs/catalog-format.md. ``validate_catalog`` checks the WHOLE file and returns every problem with its
place, e.g. ``dramas[12] (slug "x").episodes: must be a positive whole number``.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import zlib
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import DramabotError
from bot.textcheck import unstorable_places

FORMAT = "dramabot-catalog"
VERSION = 1
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
STATUSES = ("upcoming", "airing", "finished")
SEASON2_STATUSES = ("unknown", "rumoured", "confirmed", "denied")
ROLES = ("main", "support", "guest")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

TOP_KEYS = {"format", "version", "dramas", "people"}
DRAMA_KEYS = {
    "slug", "title", "korean_title", "aliases", "year", "network", "platforms", "episodes", "first_aired",
    "last_aired", "air_days", "air_time", "air_tz", "status", "genres", "tags", "synopsis", "source",
    "directors", "writers", "rating", "peak_share", "season2", "fan_theories", "similar", "facts", "credits",
}
SOURCE_KEYS = ("type", "title", "author", "illustrator", "platform")
SEASON2_KEYS = {"status", "note", "as_of"}
FACT_KEYS = {"text", "source", "as_of", "person"}
CREDIT_KEYS = {"person", "character", "character_aliases", "role", "billing"}
SIMILAR_KEYS = {"slug", "reason"}
PERSON_KEYS = {"slug", "name", "korean_name", "aliases"}


class CatalogInvalid(DramabotError):
    """The file is not a usable catalog; ``problems`` lists every problem with its place."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"the catalog file has {len(problems)} problem(s):\n  {shown}{more}")


# ------------------------------------------------------------------ reading / writing
MAX_CATALOG_BYTES = 64_000_000  # uncompressed JSON: ~20x the shipped catalog (about 65,000 dramas)


def read_catalog_file(path: Path | str, *, max_bytes: int = MAX_CATALOG_BYTES) -> Any:
    """Parse a .json or .json.gz file (gzip detected by content). Raises CatalogInvalid on bad JSON.

    Bounded: at most ``max_bytes`` of JSON are read or unpacked (a small gzip file that unpacks to
    gigabytes is refused after ``max_bytes``), and absurd nesting is refused.
    """
    path = Path(path)
    too_big = [f"{path}: larger than {max_bytes // 1_000_000} MB of JSON, the import limit "
               "(raise it with --max-size MB if you really have a catalog that big)"]
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise CatalogInvalid([f"{path}: cannot read the file ({exc.strerror or exc})"]) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
                raw = gz.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise CatalogInvalid([f"{path}: not a valid gzip file ({exc})"]) from None
    if len(raw) > max_bytes:
        raise CatalogInvalid(too_big)
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CatalogInvalid([f"{path}: not UTF-8 text"]) from None
    except json.JSONDecodeError as exc:
        raise CatalogInvalid([f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]) from None
    except RecursionError:
        raise CatalogInvalid([f"{path}: the JSON is nested too deeply to be a catalog"]) from None


def dumps(catalog: dict) -> bytes:
    """The canonical bytes of a catalog: sorted keys, compact, one trailing newline."""
    text = json.dumps(canonical(catalog), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def write_catalog_file(catalog: dict, path: Path | str) -> None:
    """Write reproducibly: same catalog -> same bytes (gzip with mtime 0 and no file name)."""
    path = Path(path)
    data = dumps(catalog)
    if path.name.endswith(".gz"):
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
            gz.write(data)
        data = buf.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


# ------------------------------------------------------------------ canonical form
def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = _prune(v)
            if v is None or v == "" or v == [] or v == {}:
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _sort_key(text: str) -> tuple[str, str]:
    return (text.casefold(), text)


def canonical(catalog: dict) -> dict:
    """The one normal form of a (valid) catalog: empties dropped, sets sorted, entries ordered."""
    dramas = []
    for d in catalog.get("dramas", []):
        d = dict(d)
        for key in ("aliases", "platforms"):
            if d.get(key):
                d[key] = sorted(set(d[key]), key=_sort_key)
        if d.get("air_days"):
            d["air_days"] = sorted(set(d["air_days"]), key=WEEKDAYS.index)
        if d.get("credits"):
            credits = []
            for c in d["credits"]:
                c = dict(c)
                if c.get("character_aliases"):
                    c["character_aliases"] = sorted(set(c["character_aliases"]), key=_sort_key)
                credits.append(c)
            d["credits"] = sorted(credits, key=lambda c: (c.get("billing") or 10**9, c["person"],
                                                          c.get("character") or ""))
        s2 = d.get("season2")
        if isinstance(s2, dict) and s2.get("status", "unknown") == "unknown" and not s2.get("note") \
                and not s2.get("as_of"):
            d.pop("season2")
        if d.get("similar"):
            sims = [s if isinstance(s, dict) else {"slug": s} for s in d["similar"]]
            sims = sorted(sims, key=lambda s: s["slug"])
            d["similar"] = [s if s.get("reason") else s["slug"] for s in sims]
        dramas.append(d)
    people = []
    for p in catalog.get("people", []):
        p = dict(p)
        if p.get("aliases"):
            p["aliases"] = sorted(set(p["aliases"]), key=_sort_key)
        people.append(p)
    out = {
        "format": FORMAT,
        "version": VERSION,
        "dramas": sorted((_prune(d) for d in dramas), key=lambda d: d.get("slug", "")),
        "people": sorted((_prune(p) for p in people), key=lambda p: p.get("slug", "")),
    }
    return out


# ------------------------------------------------------------------ validation
class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}")

    def keys(self, obj: dict, allowed: set[str] | tuple[str, ...], place: str) -> None:
        for key in sorted(set(obj) - set(allowed)):
            self.add(f"{place}.{key}", "unknown field (check the spelling; see docs/catalog-format.md)")

    def text(self, obj: dict, key: str, place: str, *, required: bool = False, max_len: int = 4000) -> None:
        value = obj.get(key)
        if value is None:
            if required:
                self.add(f"{place}.{key}", "is required")
            return
        if not isinstance(value, str):
            self.add(f"{place}.{key}", "must be text")
        elif required and not value.strip():
            self.add(f"{place}.{key}", "must not be empty")
        elif len(value) > max_len:
            self.add(f"{place}.{key}", f"is too long (at most {max_len} characters)")

    def texts(self, obj: dict, key: str, place: str) -> list[str]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.add(f"{place}.{key}", "must be a list of non-empty texts")
            return []
        return value

    def integer(self, obj: dict, key: str, place: str, lo: int, hi: int, message: str) -> None:
        value = obj.get(key)
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.add(f"{place}.{key}", message)

    def number(self, obj: dict, key: str, place: str, lo: float, hi: float) -> None:
        value = obj.get(key)
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            self.add(f"{place}.{key}", f"must be a number from {lo:g} to {hi:g}")

    def iso_date(self, obj: dict, key: str, place: str, *, partial: bool = False) -> str | None:
        value = obj.get(key)
        if value is None:
            return None
        ok = isinstance(value, str) and _valid_date(value, partial=partial)
        if not ok:
            what = "an ISO date (YYYY-MM-DD, or YYYY-MM / YYYY)" if partial else "an ISO date (YYYY-MM-DD)"
            self.add(f"{place}.{key}", f"must be {what}")
            return None
        return value

    def choice(self, obj: dict, key: str, place: str, choices: tuple[str, ...], *, required: bool = False) -> None:
        value = obj.get(key)
        if value is None:
            if required:
                self.add(f"{place}.{key}", "is required")
            return
        if value not in choices:
            self.add(f"{place}.{key}", f"must be one of {', '.join(choices)}")


def _valid_date(value: str, *, partial: bool) -> bool:
    if partial and _PARTIAL_DATE.match(value):
        parts = [int(p) for p in value.split("-")]
        try:
            date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError:
            return False
        return True
    try:
        return len(value) == 10 and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _valid_tz(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: e.g. a name too long for a file name
        return False
    return True


def validate_catalog(data: Any) -> list[str]:
    """Every problem in ``data`` (a parsed catalog file), each with its place; [] when valid."""
    ck = _Checker()
    if not isinstance(data, dict):
        return ["(top level): must be a JSON object with format, version, dramas and people"]
    ck.keys(data, TOP_KEYS, "(top level)")
    if data.get("format") != FORMAT:
        ck.add("format", f'must be "{FORMAT}"')
    if data.get("version") != VERSION:
        ck.add("version", f"must be {VERSION} (this dramabot reads version {VERSION} files)")
    dramas = data.get("dramas", [])
    people = data.get("people", [])
    if not isinstance(dramas, list):
        ck.add("dramas", "must be a list")
        dramas = []
    if not isinstance(people, list):
        ck.add("people", "must be a list")
        people = []

    person_slugs: set[str] = set()
    for i, p in enumerate(people):
        place = f"people[{i}]"
        if not isinstance(p, dict):
            ck.add(place, "must be an object")
            continue
        slug = p.get("slug")
        if isinstance(slug, str):
            place = f'{place} (slug "{slug}")'
        ck.keys(p, PERSON_KEYS, place)
        _check_slug(ck, slug, place, person_slugs, "person")
        ck.text(p, "name", place, required=True, max_len=200)
        ck.text(p, "korean_name", place, max_len=200)
        ck.texts(p, "aliases", place)

    drama_slugs: set[str] = set()
    for d in dramas:
        if isinstance(d, dict) and isinstance(d.get("slug"), str):
            drama_slugs.add(d["slug"])
    seen: set[str] = set()
    for i, d in enumerate(dramas):
        place = f"dramas[{i}]"
        if not isinstance(d, dict):
            ck.add(place, "must be an object")
            continue
        if isinstance(d.get("slug"), str):
            place = f'{place} (slug "{d["slug"]}")'
        _check_drama(ck, d, place, seen, drama_slugs, person_slugs)
    return ck.problems


def _check_slug(ck: _Checker, slug: Any, place: str, seen: set[str], what: str) -> None:
    if slug is None:
        ck.add(f"{place}.slug", "is required")
    elif not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 120:
        ck.add(f"{place}.slug", "must be lower-case letters, digits and single hyphens (e.g. run-on-2020)")
    elif slug in seen:
        ck.add(f"{place}.slug", f"duplicate {what} slug")
    else:
        seen.add(slug)


def _check_drama(ck: _Checker, d: dict, place: str, seen: set[str], drama_slugs: set[str],
                 person_slugs: set[str]) -> None:
    ck.keys(d, DRAMA_KEYS, place)
    _check_slug(ck, d.get("slug"), place, seen, "drama")
    ck.text(d, "title", place, required=True, max_len=300)
    ck.text(d, "korean_title", place, max_len=300)
    for key in ("aliases", "platforms", "genres", "tags", "directors", "writers"):
        ck.texts(d, key, place)
    ck.integer(d, "year", place, 1900, 2100, "must be a year from 1900 to 2100")
    ck.text(d, "network", place, max_len=100)
    ck.integer(d, "episodes", place, 1, 10000, "must be a positive whole number")
    first = ck.iso_date(d, "first_aired", place)
    last = ck.iso_date(d, "last_aired", place)
    if first and last and last < first:
        ck.add(f"{place}.last_aired", "is before first_aired")
    days = d.get("air_days")
    if days is not None and (not isinstance(days, list) or any(day not in WEEKDAYS for day in days)):
        ck.add(f"{place}.air_days", "must be a list of English weekday names (Monday .. Sunday)")
    air_time = d.get("air_time")
    if air_time is not None and not (isinstance(air_time, str) and _TIME.match(air_time)):
        ck.add(f"{place}.air_time", "must be a 24-hour time HH:MM")
    tz = d.get("air_tz")
    if tz is not None and not (isinstance(tz, str) and _valid_tz(tz)):
        ck.add(f"{place}.air_tz", "must be an IANA time zone such as Asia/Seoul")
    if air_time is not None and tz is None:
        ck.add(f"{place}.air_tz", "is required when air_time is given")
    ck.choice(d, "status", place, STATUSES)
    ck.text(d, "synopsis", place, max_len=2000)
    ck.number(d, "rating", place, 0, 10)
    ck.number(d, "peak_share", place, 0, 100)

    source = d.get("source")
    if source is not None:
        if not isinstance(source, dict):
            ck.add(f"{place}.source", "must be an object with type, title, author, illustrator, platform")
        else:
            ck.keys(source, SOURCE_KEYS, f"{place}.source")
            for key in SOURCE_KEYS:
                ck.text(source, key, f"{place}.source", max_len=300)

    s2 = d.get("season2")
    if s2 is not None:
        if not isinstance(s2, dict):
            ck.add(f"{place}.season2", "must be an object with status, note, as_of")
        else:
            ck.keys(s2, SEASON2_KEYS, f"{place}.season2")
            ck.choice(s2, "status", f"{place}.season2", SEASON2_STATUSES, required=True)
            ck.text(s2, "note", f"{place}.season2", max_len=1000)
            ck.iso_date(s2, "as_of", f"{place}.season2", partial=True)

    theories = d.get("fan_theories")
    if theories is not None:
        if not isinstance(theories, list) or not all(isinstance(t, str) and t.strip() for t in theories):
            ck.add(f"{place}.fan_theories", "must be a list of non-empty texts")
        elif len(set(theories)) != len(theories):
            ck.add(f"{place}.fan_theories", "lists the same theory twice")

    similar = d.get("similar")
    if similar is not None:
        if not isinstance(similar, list):
            ck.add(f"{place}.similar", "must be a list of drama slugs")
        else:
            for j, s in enumerate(similar):
                sp = f"{place}.similar[{j}]"
                if isinstance(s, dict):
                    ck.keys(s, SIMILAR_KEYS, sp)
                    ck.text(s, "reason", sp, max_len=300)
                    s = s.get("slug")
                if not isinstance(s, str):
                    ck.add(sp, "must be a drama slug")
                elif s not in drama_slugs:
                    ck.add(sp, f'no drama with slug "{s}" in this file')
                elif s == d.get("slug"):
                    ck.add(sp, "a drama cannot be similar to itself")

    facts = d.get("facts")
    if facts is not None:
        if not isinstance(facts, list):
            ck.add(f"{place}.facts", "must be a list of {text, source, as_of} objects")
        else:
            for j, f in enumerate(facts):
                fp = f"{place}.facts[{j}]"
                if not isinstance(f, dict):
                    ck.add(fp, "must be an object with text, source, as_of")
                    continue
                ck.keys(f, FACT_KEYS, fp)
                ck.text(f, "text", fp, required=True, max_len=1000)
                ck.text(f, "source", fp, max_len=500)
                ck.iso_date(f, "as_of", fp, partial=True)
                person = f.get("person")
                if person is not None and (not isinstance(person, str) or person not in person_slugs):
                    ck.add(f"{fp}.person", f'no person with slug "{str(person)[:60]}" in this file')

    credits = d.get("credits")
    if credits is not None:
        if not isinstance(credits, list):
            ck.add(f"{place}.credits", "must be a list of {person, character, role, billing} objects")
        else:
            keys: set[tuple[str, str]] = set()
            for j, c in enumerate(credits):
                cp = f"{place}.credits[{j}]"
                if not isinstance(c, dict):
                    ck.add(cp, "must be an object with person, character, role, billing")
                    continue
                ck.keys(c, CREDIT_KEYS, cp)
                person = c.get("person")
                if person is None:
                    ck.add(f"{cp}.person", "is required")
                elif not isinstance(person, str) or person not in person_slugs:
                    ck.add(f"{cp}.person", f'no person with slug "{str(person)[:60]}" in this file')
                ck.text(c, "character", cp, max_len=300)
                ck.texts(c, "character_aliases", cp)
                ck.choice(c, "role", cp, ROLES)
                ck.integer(c, "billing", cp, 1, 100000, "must be a positive whole number")
                key = (str(person), str(c.get("character") or ""))
                if key in keys:
                    ck.add(cp, "the same person and character are credited twice")
                keys.add(key)


def load_and_validate(path: Path | str, *, max_bytes: int = MAX_CATALOG_BYTES) -> dict:
    """Read ``path`` and validate it all; the catalog dict, or CatalogInvalid with every problem."""
    data = read_catalog_file(path, max_bytes=max_bytes)
    try:
        data = _without_nulls(data)  # an explicit null means the field is absent
    except RecursionError:
        raise CatalogInvalid([f"{path}: the JSON is nested too deeply to be a catalog"]) from None
    problems = unstorable_places(data) or validate_catalog(data)
    if problems:
        raise CatalogInvalid(problems)
    return data
