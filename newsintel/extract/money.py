"""Find money amounts ("C$66 million", "Rs 10,372 crore", "between 10 and 15 billion yuan") in news text.

Pure regex + reference data (newsintel/data/currencies.json): every number in the text is read as an
"atom" (optional currency symbol, number, optional scale, optional currency word), then neighbouring
atoms joined by "-", "to" or "between .. and" become ranges. Only atoms that carry a currency survive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from newsintel.model import Money


@dataclass(frozen=True)
class Currency:
    """One currency of the reference data."""

    code: str
    symbols: tuple[str, ...]
    names: tuple[str, ...]
    demonym_prefixes: tuple[str, ...] = ()
    names_need_demonym: bool = False  # "dollars" alone is not Canadian: needs "Canadian dollars"


@dataclass(frozen=True)
class MoneyMatch:
    """A money amount found in text; `text[start:end] == money.text`."""

    start: int
    end: int
    money: Money


@lru_cache(maxsize=1)
def load_currencies() -> tuple[Currency, ...]:
    """The currencies of newsintel/data/currencies.json, read once."""
    raw = resources.files("newsintel").joinpath("data", "currencies.json").read_text(encoding="utf-8")
    return tuple(
        Currency(
            code=item["code"],
            symbols=tuple(item.get("symbols", ())),
            names=tuple(item.get("names", ())),
            demonym_prefixes=tuple(item.get("demonym_prefixes", ())),
            names_need_demonym=bool(item.get("names_need_demonym", False)),
        )
        for item in json.loads(raw)
    )


_SCALES: dict[str, int] = {
    "thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6, "mln": 10**6,
    "billion": 10**9, "b": 10**9, "bn": 10**9, "bln": 10**9, "trillion": 10**12, "tn": 10**12,
    "trn": 10**12, "crore": 10**7, "crores": 10**7, "cr": 10**7, "lakh": 10**5, "lakhs": 10**5,
    "lac": 10**5, "lacs": 10**5,
}
_SPACED_SCALES = [s for s in _SCALES if s not in ("k", "m", "b")]  # these three only attached: "$5m"
_UNITS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORD_VALUES: dict[str, int] = {w: i + 1 for i, w in enumerate(_UNITS)} | {
    w: 10 * (i + 2) for i, w in enumerate(_TENS)
} | {"a": 1, "an": 1}

_QUALIFIERS = (
    "at least", "more than", "over", "up to", "about", "nearly", "almost", "some", "around", "roughly",
    "approximately", "less than", "under", "as much as", "as little as", "close to", "in excess of",
    "an estimated", "at most", "upwards of", "just over", "just under", "no more than", "no less than",
)
_QUALIFIER_RE = re.compile(
    r"(?i)\b(" + "|".join(q.replace(" ", r"\s+") for q in sorted(_QUALIFIERS, key=len, reverse=True))
    + r")\s+$"
)
_BETWEEN_RE = re.compile(r"(?i)\bbetween\s+$")
_FROM_RE = re.compile(r"(?i)\bfrom\s+$")
_DASH_GAP_RE = re.compile(r"\s*[-–—]\s*|\s+to\s+")
_AND_GAP_RE = re.compile(r"\s+and\s+")
_YUAN_HINT_RE = re.compile(r"(?i)\b(?:yuan|renminbi|RMB|CNY)\b")
# Three or more digit groups joined by separators: a phone number or reference, never an amount.
_PHONE_RE = re.compile(r"\+?\(?\d{1,4}\)?(?:[ .\-]\d{2,4}){2,}(?!\d)")
_YEN_SIGN = "¥"
_GENERIC_DOLLAR = "$"


def _alt(options: Iterable[str], flexible_space: bool = False) -> str:
    """A regex alternation, longest option first so "US$" wins over "$"."""
    parts = [re.escape(o) for o in sorted(set(options), key=len, reverse=True)]
    if flexible_space:
        parts = [p.replace(r"\ ", r"\s+") for p in parts]
    return "|".join(parts)


@dataclass(frozen=True)
class _Lexicon:
    """Everything derived from the reference data, built once."""

    symbols: dict[str, str]  # surface symbol -> code ("C$" -> "CAD")
    phrases: dict[str, str]  # lower-cased currency word(s) -> code ("canadian dollars" -> "CAD")
    dollar_codes: frozenset[str]
    bare_dollar_phrases: frozenset[str]  # "dollar", "dollars": resolved to the default dollar
    atom_re: re.Pattern[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    symbols: dict[str, str] = {}
    phrases: dict[str, str] = {}
    for cur in load_currencies():
        for sym in cur.symbols:
            symbols.setdefault(sym, cur.code)
        for name in cur.names:
            for demonym in cur.demonym_prefixes:
                phrases.setdefault(f"{demonym} {name}".lower(), cur.code)
            if not cur.names_need_demonym:
                phrases.setdefault(name.lower(), cur.code)
    dollar_codes = frozenset(c.code for c in load_currencies() if "dollar" in c.names)
    codes_after = [s for s in symbols if re.fullmatch(r"[A-Z]{3}", s)]
    signs_after = [s for s in symbols if not s[0].isalnum() and not s.endswith("$")]
    num = (
        r"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d|,\d{3}|\.\d)"
        r"|(?<![A-Za-z])(?i:(?:half\s+an?|(?:" + _alt(_TENS) + r")(?:[-\s](?:" + _alt(_UNITS[:9])
        + r"))?|" + _alt(_UNITS) + r"|an?)(?:\s+hundred)?)(?![A-Za-z]))(?i:\s+and\s+a\s+half)?"
    )
    pattern = (
        r"(?:(?<![A-Za-z0-9])(?P<pre>" + _alt(symbols) + r")\s?|(?<![\w.,]))"
        r"(?P<num>" + num + r")"
        r"(?:[\s-]?(?P<scale>(?i:" + _alt(_SPACED_SCALES) + r")(?:\s+(?i:" + _alt(_SPACED_SCALES) + r"))?)"
        r"(?![A-Za-z])|(?P<short>[bmkBMK])(?![A-Za-z0-9]))?"
        r"(?:(?:\s+|-)(?P<post>(?i:" + _alt(phrases, flexible_space=True) + r"))(?![A-Za-z])"
        r"|\s+(?P<postcode>" + _alt(codes_after) + r")(?![A-Za-z])"
        r"|\s?(?P<postsym>" + _alt(signs_after) + r")(?!\s?\d))?"
    )
    return _Lexicon(
        symbols=symbols,
        phrases=phrases,
        dollar_codes=dollar_codes,
        bare_dollar_phrases=frozenset(p for p in phrases if p in ("dollar", "dollars")),
        atom_re=re.compile(pattern),
    )


@dataclass(frozen=True)
class _Atom:
    """One number with whatever currency and scale sit next to it."""

    start: int
    end: int
    value: Decimal
    scale: int | None
    currency: str | None


def _word_number(words: str) -> Decimal:
    """Value of a spelled-out number such as "two", "twenty-five", "a hundred", "half a"."""
    tokens = re.split(r"[-\s]+", words.lower())
    if tokens[0] == "half":
        return Decimal("0.5")
    total = sum(_WORD_VALUES.get(t, 0) for t in tokens if t != "hundred")
    return Decimal(total * (100 if "hundred" in tokens else 1))


def _resolve_symbol(sym: str, text: str, pos: int, default_dollar: str) -> str:
    """Currency code of a symbol; "$" is the default dollar and "¥" is yuan near yuan/RMB words."""
    lex = _lexicon()
    if sym == _GENERIC_DOLLAR:
        return default_dollar
    if sym == _YEN_SIGN and _YUAN_HINT_RE.search(text, max(0, pos - 300), pos + 300):
        return "CNY"
    return lex.symbols[sym]


def _atom(m: re.Match[str], text: str, default_dollar: str) -> _Atom | None:
    """Read one regex match as an atom, or None when it is not a usable number."""
    lex = _lexicon()
    raw = m.group("num")
    half = re.search(r"(?i)\s+and\s+a\s+half$", raw)
    core = raw[: half.start()] if half else raw
    value = Decimal(core.replace(",", "")) if core[0].isdigit() else _word_number(core)
    if half:
        value += Decimal("0.5")
    scale: int | None = None
    if m.group("scale"):
        scale = 1
        for word in m.group("scale").lower().split():
            scale *= _SCALES[word]
    elif m.group("short"):
        scale = _SCALES[m.group("short").lower()]
    if not core[0].isdigit() and scale is None:
        return None  # "one", "a": a word, not an amount
    end = m.end()
    post_start = min((m.start(g) for g in ("post", "postcode", "postsym") if m.group(g)), default=end)
    after: str | None = None
    if m.group("post"):
        phrase = re.sub(r"\s+", " ", m.group("post").lower())
        after = default_dollar if phrase in lex.bare_dollar_phrases else lex.phrases[phrase]
        year_like = re.fullmatch(r"(19|20)\d\d", core) is not None
        if year_like and scale is None and not m.group("pre"):
            after, end = None, m.end("num")  # "in 2019 won ..." is a year, not 2019 won
    elif m.group("postcode") or m.group("postsym"):
        sym = m.group("postcode") or m.group("postsym")
        after = _resolve_symbol(sym, text, m.start(), default_dollar)
    currency = after
    if m.group("pre"):
        currency = _resolve_symbol(m.group("pre"), text, m.start(), default_dollar)
        refines = m.group("pre") == _GENERIC_DOLLAR and after in lex.dollar_codes
        if after is not None and after != currency and not refines:
            end = post_start  # the word after belongs to something else
        elif refines:
            currency = after
    if end == post_start:
        end = m.end("short") if m.group("short") else m.end("scale") if m.group("scale") else m.end("num")
    return _Atom(m.start(), end, value * (scale or 1), scale, currency)


def _range(a: _Atom, b: _Atom, text: str, between: bool) -> tuple[Decimal, Decimal, str] | None:
    """Low, high and currency when atoms a and b form a range, else None."""
    gap = text[a.end : b.start]
    if between:
        if not _AND_GAP_RE.fullmatch(gap):
            return None
    elif not _DASH_GAP_RE.fullmatch(gap):
        return None
    elif " to" in gap and _FROM_RE.search(text, max(0, a.start - 8), a.start):
        return None  # "from $5bn to $10bn" is a change, not a range
    if a.currency and b.currency and a.currency != b.currency:
        return None
    currency = a.currency or b.currency
    if currency is None:
        return None
    low = a.value
    if a.scale is None and b.scale is not None:
        low = a.value * b.scale  # "$1-2 billion": the scale of the top applies to the bottom
    elif a.scale is not None and b.scale is None and b.currency is None:
        return None  # "$5 million to 20 firms"
    if not low < b.value:
        return None
    return low, b.value, currency


def find_money(text: str, default_dollar: str = "USD") -> list[MoneyMatch]:
    """Every money amount in `text`, in order; a bare "$" or "dollars" is `default_dollar`."""
    lex = _lexicon()
    phones = [(p.start(), p.end()) for p in _PHONE_RE.finditer(text)]
    atoms: list[_Atom] = []
    for m in lex.atom_re.finditer(text):
        if any(s <= m.start("num") < e for s, e in phones):
            continue
        atom = _atom(m, text, default_dollar)
        if atom is not None:
            atoms.append(atom)
    out: list[MoneyMatch] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms):
            before = _BETWEEN_RE.search(text, max(0, a.start - 12), a.start)
            rng = _range(a, atoms[i + 1], text, before is not None)
            if rng is not None:
                start = before.start() if before else a.start
                qual = _qualifier(text, start) or "between"
                money = Money(float(rng[0]), rng[2], text[start : atoms[i + 1].end], qual, float(rng[1]))
                out.append(MoneyMatch(start, atoms[i + 1].end, money))
                i += 2
                continue
        if a.currency is not None:
            money = Money(float(a.value), a.currency, text[a.start : a.end], _qualifier(text, a.start))
            out.append(MoneyMatch(a.start, a.end, money))
        i += 1
    return out


def _qualifier(text: str, start: int) -> str | None:
    """The hedge word right before an amount ("at least", "up to"), normalised, or None."""
    m = _QUALIFIER_RE.search(text, max(0, start - 30), start)
    return re.sub(r"\s+", " ", m.group(1).lower()) if m else None
