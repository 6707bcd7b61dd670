"""Find time expressions in English news text and resolve them to absolute dates.

Each pattern finds a core expression ("3 September 2020", "October last year", "early 2019", "last week");
a word right before it sets the kind ("by 2030" is a deadline, "since 2015" a since, "through 2026" an until).
Relative expressions are resolved against the article date (the anchor) and skipped without one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from newsintel.model import DateValue, Precision


@dataclass(frozen=True)
class TimeMatch:
    """A resolved time expression; `text[start:end] == value.text`. kind: point/deadline/since/until."""

    start: int
    end: int
    value: DateValue
    kind: str


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)
_MONTH_NUM: dict[str, int] = {m.lower(): i + 1 for i, m in enumerate(_MONTH_NAMES)} | {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SMALL_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

_FULL = "|".join(_MONTH_NAMES)
_MON = rf"(?:(?:{_FULL})\b|(?:Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b\.?)"
_YEAR = (r"(?<![\d$€£¥₹#.,])(?P<y>19\d\d|20\d\d|2100)"
         r"(?!\d|s\b|,\d|\.\d|\s*(?:%|per\s?cent|percent))")
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_MODM = r"(?i:\b(?:early|mid|late|end|(?:the\s+)?(?:end|beginning|start|middle|close)\s+of))"
_MODY = (r"(?i:\b(?:early|mid|late|end|(?:the\s+)?(?:end|beginning|start|middle|close)\s+of|"
         r"(?:the\s+)?(?:first|second|third|fourth|last|final)\s+(?:half|quarter)\s+of|"
         r"(?:spring|summer|autumn|fall|winter)(?:\s+of)?|fiscal(?:\s+year)?|the\s+year))|\b(?:Q[1-4]|H[12]|FY)")
_NUMWORD = r"(?P<n>\d{1,2}|(?i:" + "|".join(sorted(_SMALL_NUMBERS, key=len, reverse=True)) + r"))"

# Words that may introduce a bare year or a bare month ("in 2017", "since October").
_PREP_RE = re.compile(
    r"(?i)\b(?:in|on|since|by|before|after|until|till|through|throughout|during|from|as\s+of|"
    r"ahead\s+of|beginning|starting|the\s+year)\s+$|\b(?:19|20)\d\d\s*(?:and|or|to|-|–)\s*$"
)
_KIND_RE = re.compile(
    r"(?i)\b(?P<k>by|before|no\s+later\s+than|not\s+later\s+than|ahead\s+of|since|until|till|"
    r"through|up\s+to|to)\s+$"
)
_KINDS = {"by": "deadline", "before": "deadline", "no later than": "deadline",
          "not later than": "deadline", "ahead of": "deadline", "since": "since", "until": "until",
          "till": "until", "through": "until", "up to": "until", "to": "until"}

Resolved = tuple[str, Precision]
# A handler reads one match (with the anchor and the kind) into a value, or None to drop it.
Handler = Callable[[re.Match[str], dt.date | None, str], Resolved | None]


def _day(y: int, m: int, d: int) -> Resolved | None:
    try:
        return dt.date(y, m, d).isoformat(), "day"
    except ValueError:
        return None


def _month(y: int, m: int) -> Resolved:
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1  # lets callers pass month 0 or 13
    return f"{y:04d}-{m:02d}", "month"


def _year(y: int) -> Resolved:
    return f"{y:04d}", "year"


def _mnum(m: re.Match[str]) -> int:
    return _MONTH_NUM[m.group("m").rstrip(".").lower()]


def _forward(kind: str) -> bool:
    """Deadlines and untils point ahead ("by March" is the next March); the rest look back."""
    return kind in ("deadline", "until")


def _year_of(month: int, day: int, anchor: dt.date, kind: str) -> int:
    """The year of a month (and day) given without one: the latest such date on/before the anchor."""
    if _forward(kind):
        return anchor.year if (month, day) >= (anchor.month, anchor.day) else anchor.year + 1
    return anchor.year if (month, day) <= (anchor.month, anchor.day) else anchor.year - 1


def _rel_offset(word: str) -> int:
    word = " ".join(word.lower().split())
    return -1 if word in ("last", "the previous") else 1 if word == "next" else 0


def _h_full(m: re.Match[str], anchor: dt.date | None, kind: str) -> Resolved | None:
    month = int(m.group("mo")) if m.groupdict().get("mo") else _mnum(m)
    return _day(int(m.group("y")), month, int(m.group("d")))


def _h_month_year(m: re.Match[str], anchor: dt.date | None, kind: str) -> Resolved | None:
    return _month(int(m.group("y")), _mnum(m))


def _h_day_month(m: re.Match[str], anchor: dt.date | None, kind: str) -> Resolved | None:
    if anchor is None:
        return None
    month, day = _mnum(m), int(m.group("d"))
    return _day(_year_of(month, day, anchor, kind), month, day)


def _needs_prep(m: re.Match[str], text: str) -> bool:
    """True when a bare year or month has no modifier and no introducing word (so is not a date)."""
    if m.groupdict().get("mod"):
        return False
    return _PREP_RE.search(text, max(0, m.start() - 25), m.start()) is None


def _h_month_bare(m: re.Match[str], anchor: dt.date | None, kind: str) -> Resolved | None:
    if anchor is None:
        return None
    month = _mnum(m)
    if m.group("m") in ("May", "March"):  # verbs, and Theresa May: only after "in"-like words
        before = m.string[max(0, m.start() - 6) : m.start()].lower()
        if m.group("mod") is None and (before.endswith("by ") or re.match(r"['’]s\b", m.string[m.end():])):
            return None
    return _month(_year_of(month, 31 if _forward(kind) else 1, anchor, kind), month)


def _h_month_rel(m: re.Match[str], anchor: dt.date | None, kind: str) -> Resolved | None:
    if anchor is None:
        return None
    return _month(anchor.year + _rel_offset(m.group("rel")), _mnum(m))


def _h_year(m: re.Match[str], anchor: dt.date | None, kind: str) -> Resolved | None:
    return _year(int(m.group("y")))


def _h_year_rel(m: re.Match[str], anchor: dt.date | None, kind: str) -> Resolved | None:
    rel = " ".join(m.group("rel").lower().split())
    if anchor is None or (rel == "the" and not m.group("mod")):
        return None
    return _year(anchor.year + _rel_offset(rel))


def _h_month_this(m: re.Match[str], anchor: dt.date | None, kind: str) -> Resolved | None:
    if anchor is None:
        return None
    return _month(anchor.year, anchor.month + _rel_offset(m.group("rel")))


def _h_ago(m: re.Match[str], anchor: dt.date | None, kind: str) -> Resolved | None:
    if anchor is None:
        return None
    raw = m.group("n").lower()
    n = int(raw) if raw.isdigit() else _SMALL_NUMBERS[raw]
    unit = m.group("unit").lower()
    if unit == "year":
        return _year(anchor.year - n)
    if unit == "month":
        return _month(anchor.year, anchor.month - n)
    if unit == "decade":
        return _year(anchor.year - 10 * n)
    return (anchor - dt.timedelta(days=n * (7 if unit == "week" else 1))).isoformat(), "day"


def _h_day_word(m: re.Match[str], anchor: dt.date | None, kind: str) -> Resolved | None:
    if anchor is None:
        return None
    word = " ".join(m.group(0).lower().split())
    shift = {"yesterday": -1, "tomorrow": 1, "last week": -7, "next week": 7}.get(word, 0)
    return (anchor + dt.timedelta(days=shift)).isoformat(), "day"


def _h_weekday(m: re.Match[str], anchor: dt.date | None, kind: str) -> Resolved | None:
    if anchor is None:
        return None
    wd = _WEEKDAYS.index(m.group("wd"))
    ahead = (m.group("rel") or "").lower() == "next" or _forward(kind)
    # Backwards the anchor day itself counts: "said on Thursday" in a Thursday article is that day,
    # as wire stories are dated the day they report. Forwards ("next Monday") is strictly after.
    delta = (wd - anchor.weekday()) % 7 or 7 if ahead else -((anchor.weekday() - wd) % 7)
    return (anchor + dt.timedelta(days=delta)).isoformat(), "day"


# (regex, handler, needs an introducing word); order breaks ties between equally long matches.
_PATTERNS: tuple[tuple[str, Handler, bool], ...] = (
    (rf"\b{_YEAR}-(?P<mo>0[1-9]|1[0-2])-(?P<d>[0-3]\d)\b", _h_full, False),
    (rf"(?<![\d.,$]){_DAY}(?:\s+of)?(?:\s+|[/.-])(?P<m>{_MON})(?:,?\s+|[/.-]){_YEAR}", _h_full, False),
    (rf"\b(?P<m>{_MON})\s+{_DAY},?\s+{_YEAR}", _h_full, False),
    (rf"(?:(?P<mod>{_MODM})[-\s]+)?\b(?P<m>{_MON}),?\s+(?:of\s+)?{_YEAR}", _h_month_year, False),
    (rf"(?:(?P<mod>{_MODM})[-\s]+)?\b(?P<m>{_FULL})\b\s+(?:of\s+)?(?P<rel>(?i:last|this|next))\s+year\b",
     _h_month_rel, False),
    (rf"(?P<rel>\b(?i:last|this|next))\s+(?P<m>{_FULL})\b", _h_month_rel, False),
    (rf"(?<![\d.,$]){_DAY}\s+(?:of\s+)?(?P<m>{_MON})", _h_day_month, False),
    (rf"\b(?P<m>{_MON})\s+{_DAY}(?!\d|\.\d|,\d|\s*(?:%|per\s?cent|percent))\b", _h_day_month, False),
    (rf"(?:(?P<mod>{_MODM})[-\s]+)?\b(?P<m>{_FULL})\b(?!\s*\d)", _h_month_bare, True),
    (rf"(?:(?P<mod>{_MODY})[-\s]*){_YEAR}", _h_year, False),
    (rf"{_YEAR}(?=['’]s\b)", _h_year, False),
    (rf"(?<![\w$])(?<!\d,){_YEAR}", _h_year, True),
    (rf"(?:(?P<mod>{_MODY})[-\s]+)?(?P<rel>\b(?i:(?:earlier|later)\s+this|this|last|next|the\s+current|the|"
     r"(?:earlier|later)\s+in\s+the))\s+year\b", _h_year_rel, False),
    (r"(?P<rel>\b(?i:(?:earlier|later)\s+this|this|last|next))\s+month\b", _h_month_this, False),
    (rf"\b{_NUMWORD}\s+(?P<unit>(?i:year|month|week|day|decade))s?\s+ago\b", _h_ago, False),
    (r"\b(?i:today|yesterday|tomorrow|(?:(?:earlier|later)\s+)?this\s+week|last\s+week|next\s+week)\b",
     _h_day_word, False),
    (rf"(?<!Black )(?<!Cyber )(?<!Good )(?<!Super )\b(?:(?P<rel>(?i:last|next|this))\s+)?"
     rf"(?P<wd>{'|'.join(_WEEKDAYS)})\b(?!,?\s+(?:\d|{_MON}))", _h_weekday, False),
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], Handler, bool], ...]:
    return tuple((re.compile(p), h, prep) for p, h, prep in _PATTERNS)


def find_dates(text: str, anchor: dt.date | None) -> list[TimeMatch]:
    """Every time expression in `text` that resolves to a date, in order, longest match winning."""
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    cands: list[tuple[int, int, int, TimeMatch]] = []
    for order, (regex, handler, needs_prep) in enumerate(_compiled()):
        for m in regex.finditer(text):
            if needs_prep and _needs_prep(m, text):
                continue
            km = _KIND_RE.search(text, max(0, m.start() - 20), m.start())
            kind = _KINDS[" ".join(km.group("k").lower().split())] if km else "point"
            resolved = handler(m, anchor, kind)
            if resolved is None:
                continue
            start = km.start() if km else m.start()
            value = DateValue(resolved[0], resolved[1], text[start : m.end()])
            cands.append((m.start(), m.end(), order, TimeMatch(start, m.end(), value, kind)))
    chosen: list[tuple[int, int, TimeMatch]] = []
    for s, e, _, tm in sorted(cands, key=lambda c: (c[0] - c[1], c[0], c[2])):
        if all(e <= cs or s >= ce for cs, ce, _ in chosen):
            chosen.append((s, e, tm))
    return [tm for _, _, tm in sorted(chosen, key=lambda c: c[0])]


def parse_date_text(text: str) -> dt.date | None:
    """The first full calendar date written in `text` ("3 September 2020", "09/December/2021"), or None."""
    for tm in find_dates(text, None):
        if tm.value.precision == "day":
            return dt.date.fromisoformat(tm.value.value)
    return None
