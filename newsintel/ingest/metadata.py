"""Document metadata found in the text itself: publication date, title, language.

Dates are only taken when they are whole (day, month and year) and stand where a dateline stands, so a
date mentioned inside an ordinary sentence never becomes the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

from newsintel.ingest.clean import is_byline, is_clutter_line, is_latin_text

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>(?:19|20)\d{2})"

# Each form names its groups d / mon (month name) / m (month number) / y; the first match wins.
_DATE_FORMS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_DAY}(?:\s+|\s*[-/.]\s*)(?:of\s+)?{_MON}(?:\s*,?\s+|\s*[-/.]\s*){_YEAR}\b",  # 3 September 2020
        rf"\b{_MON}\s+{_DAY},?\s+{_YEAR}\b",  # September 3, 2020
        rf"\b{_YEAR}[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})\b",  # 2020-09-03
        r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>(?:19|20)\d{2})\b",  # 03/09/2020 (D/M or M/D)
    )
)
_TIME = re.compile(r"^\s*(?:[-|,–—]\s*)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?",
                   re.IGNORECASE)
_DATELINE_SEP = re.compile(r"^\s*(?:--?|–|—|\(|\||:)")
_WORD = re.compile(r"[^\W\d_]{2,}")
_DATELINE_WINDOW = 600
_MAX_OTHER_WORDS = 8  # words besides the date on a metadata line ("Published on Tuesday | By Jane Doe")
_URL_DATE_FORMS = tuple(
    re.compile(p)
    for p in (
        r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/|$|[-_.])",
        r"(?:^|[/_-])(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?:/|$|[-_.])",
        r"(?:^|[/_.-])(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?:/|$|[-_.T])",
        r"/(?P<y>(?:19|20)\d{2})/(?P<m>[01]?\d)/",
    )
)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _match_iso(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    year = int(groups["y"])
    if groups.get("mon"):
        return _iso(year, _MONTHS[groups["mon"].casefold()], int(groups["d"]))
    if groups.get("m"):
        return _iso(year, int(groups["m"]), int(groups["d"]))
    a, b = int(groups["a"]), int(groups["b"])
    if a > 12 >= b:
        return _iso(year, b, a)
    if b > 12 >= a:
        return _iso(year, a, b)
    return _iso(year, a, b) if a == b else None  # 03/04/2020 could be either: say nothing


def _find_date(text: str) -> tuple[re.Match[str], str] | None:
    """The earliest whole, valid date in `text` and its ISO form."""
    found: list[tuple[re.Match[str], str]] = []
    for form in _DATE_FORMS:
        for m in form.finditer(text):
            iso = _match_iso(m)
            if iso:
                found.append((m, iso))
                break
    return min(found, key=lambda f: f[0].start()) if found else None


def _is_dateline(line: str, m: re.Match[str]) -> bool:
    """The date stands alone on a metadata line, or opens a dateline ("LONDON, 3 May 2020 -")."""
    rest = line[m.end():]
    time = _TIME.match(rest)
    if time:
        rest = rest[time.end():]
    other = _WORD.findall(line[: m.start()] + " " + rest)
    if len(other) <= _MAX_OTHER_WORDS:
        return True
    return m.start() <= 40 and bool(_DATELINE_SEP.match(rest))


def find_dateline(text: str) -> str | None:
    """ISO date of a dateline near the top of the text, or None."""
    offset = 0
    for line in text.split("\n"):
        if offset >= _DATELINE_WINDOW:
            break
        offset += len(line) + 1
        found = _find_date(line)
        if found and _is_dateline(line, found[0]):
            return found[1]
    return None


def date_from_url(url: str | None) -> str | None:
    """A date in a URL path (/2021/03/03/, /20210303/, 2021-03-03); "YYYY-MM" for /2021/03/."""
    if not url:
        return None
    for form in _URL_DATE_FORMS:
        m = form.search(url)
        if not m:
            continue
        y, mo = int(m["y"]), int(m["m"])
        if "d" in m.groupdict():
            iso = _iso(y, mo, int(m["d"]))
            if iso:
                return iso
        elif 1 <= mo <= 12:
            return f"{y:04d}-{mo:02d}"
    return None


_ISO_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d)")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def normalize_published(value: str | None) -> str | None:
    """An ISO date ("2020-09-03", or "2020-09"/"2020" when only that is given) from a publication date
    in any common form; None when it cannot be read."""
    if not value or not value.strip():
        return None
    value = value.strip()
    m = _ISO_PREFIX.match(value) or _COMPACT.match(value)
    if m:
        return _iso(int(m[1]), int(m[2]), int(m[3]))  # the publisher's local date, as written
    m = _ISO_MONTH.match(value)
    if m:
        return f"{m[1]}-{m[2]}" if 1 <= int(m[2]) <= 12 else None
    if re.fullmatch(r"(?:19|20)\d{2}", value):
        return value
    try:
        return parsedate_to_datetime(value).date().isoformat()  # RFC 2822
    except (TypeError, ValueError, IndexError):
        pass
    found = _find_date(value)
    return found[1] if found else None


def guess_title(text: str) -> str | None:
    """The first line when it reads as a headline: short, no closing period, not a date or byline."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    latin = is_latin_text(text)
    for i, line in enumerate(lines[:4]):
        found = _find_date(line)
        if (found and _is_dateline(line, found[0])) or is_byline(line) or is_clutter_line(line, latin):
            continue
        words = len(line.split())
        if i == len(lines) - 1 or len(line) > 250 or words > 25 or (latin and words < 2):
            return None  # scripts without spaces (Chinese, Japanese) have one-"word" headlines
        if line.endswith(".") and not line.endswith(". . ."):
            return None
        return line
    return None


_MIN_LETTERS = 20


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid); None for text too short to tell."""
    if sum(c.isalpha() for c in text[:2000]) < _MIN_LETTERS:
        return None
    import py3langid  # loading the model costs ~0.5 s: only when a language is asked for

    lang, _score = py3langid.classify(text[:5000])
    return str(lang) or None
