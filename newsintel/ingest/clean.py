"""Turn raw article text into the clean text that every offset refers to.

Two jobs: normalise characters and whitespace (so the parser sees plain ASCII quotes and spaces), and
drop page clutter (menus, share bars, ad markers, credits, comment forms...) line by line. The clutter
patterns are data, in newsintel/data/boilerplate.json. Rules are conservative: a long line is only
dropped by a regex written for that kind of clutter, never by a word-count heuristic.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

# Characters mapped before anything else. Curly quotes become ASCII because the parser handles
# "Moscow's" far better than "Moscow’s"; odd spaces become plain spaces.
_CHAR_MAP: dict[int, str] = {
    **{ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4"},
    **{ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
    **{ord(c): " " for c in "\t\u000b\u000c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
       "\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"},
    **{ord(c): "" for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"},
    ord("\u2028"): "\n",
    ord("\u2029"): "\n",
}
_SPACES = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n\s*\n")
_TERMINAL = re.compile(r"[.!?:;\"')\]]$")
_WORD_CHARS = re.compile(r"\w", re.UNICODE)
_NAV_SPLIT = re.compile(r"[\s|•·/›»>,;]+")
_EDGE_PUNCT = ".,:;!?()[]{}\"'|-–—•·*#"


@dataclass(frozen=True)
class Boilerplate:
    """Compiled clutter patterns from boilerplate.json."""

    nav_words: frozenset[str]
    ad_words: frozenset[str]
    line_rules: tuple[tuple[str, bool, int, tuple[re.Pattern[str], ...]], ...]  # name, search?, max words
    credit_tails: tuple[re.Pattern[str], ...]
    caption_max_words: int
    list_headers: tuple[tuple[re.Pattern[str], int], ...]
    link_title_max_words: int
    tail_markers: tuple[re.Pattern[str], ...]
    about_patterns: tuple[re.Pattern[str], ...]
    about_first_person: re.Pattern[str]
    about_max_words: int
    about_tail_lines: int
    byline_patterns: tuple[re.Pattern[str], ...]


def _full(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{pattern})\Z", re.IGNORECASE)


@cache
def load_boilerplate() -> Boilerplate:
    """Load and compile newsintel/data/boilerplate.json once."""
    raw: dict[str, Any] = json.loads(
        resources.files("newsintel").joinpath("data/boilerplate.json").read_text(encoding="utf-8")
    )
    rules = tuple(
        (
            str(rule["name"]),
            rule["mode"] == "search",
            int(rule["max_words"]),
            tuple(
                re.compile(p, re.IGNORECASE) if rule["mode"] == "search" else _full(p)
                for p in rule["patterns"]
            ),
        )
        for rule in raw["line_rules"]
    )
    return Boilerplate(
        nav_words=frozenset(w.casefold() for w in raw["nav_words"]),
        ad_words=frozenset(w.casefold() for w in raw["ad_words"]),
        line_rules=rules,
        credit_tails=tuple(re.compile(p, re.IGNORECASE) for p in raw["credit_tail_patterns"]),
        caption_max_words=int(raw["caption_max_words"]),
        list_headers=tuple((_full(h["pattern"]), int(h["follow"])) for h in raw["list_headers"]),
        link_title_max_words=int(raw["link_title_max_words"]),
        tail_markers=tuple(_full(p) for p in raw["tail_markers"]),
        about_patterns=tuple(re.compile(p, re.IGNORECASE) for p in raw["about_patterns"]),
        about_first_person=re.compile(raw["about_first_person"], re.IGNORECASE),
        about_max_words=int(raw["about_max_words"]),
        about_tail_lines=int(raw["about_tail_lines"]),
        byline_patterns=tuple(_full(p) for p in raw["byline_patterns"]),
    )


def normalize_chars(text: str) -> str:
    """NFC, plain spaces and ASCII quotes, no zero-width or control characters, one space at most."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_CHAR_MAP)
    text = "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")
    return _SPACES.sub(" ", text)


def split_paragraphs(text: str) -> list[str]:
    """Stripped non-blank lines, with hard-wrapped lines of one paragraph joined back together.

    A line is joined to the next when it is long, has no closing punctuation and the next line goes on
    in lower case: that is a sentence broken by a fixed line width, not a new paragraph.
    """
    out: list[str] = []
    for block in _BLANK_LINES.split(text):
        joined: list[str] = []
        for line in (ln.strip() for ln in block.split("\n")):
            if not line:
                continue
            if joined and _continues(joined[-1], line):
                joined[-1] = f"{joined[-1]} {line}"
            else:
                joined.append(line)
        out.extend(joined)
    return out


def _continues(previous: str, line: str) -> bool:
    return len(previous) >= 50 and not _TERMINAL.search(previous) and line[:1].islower()


def _words(line: str) -> list[str]:
    return line.split()


def _tokens(line: str) -> list[str]:
    return [t.strip(_EDGE_PUNCT).casefold() for t in _NAV_SPLIT.split(line) if t.strip(_EDGE_PUNCT)]


def _is_nav_line(line: str, bp: Boilerplate) -> bool:
    """A menu or share bar: nothing but navigation words (and counters like "Comments 12")."""
    tokens = _tokens(line)
    if not tokens or len(tokens) > 15:
        return False
    words = [t for t in tokens if not t.isdigit()]
    if not words:
        return False
    nav = sum(t in bp.nav_words for t in words)
    return nav == len(words) or (len(words) >= 5 and nav >= 0.8 * len(words))


def _is_ad_line(line: str, bp: Boilerplate) -> bool:
    """"Advertisement", "ad ad ad", "ad a b": ad markers plus stray one-letter fragments."""
    tokens = _tokens(line)
    if not tokens or len(tokens) > 8:
        return False
    return any(t in bp.ad_words for t in tokens) and all(t in bp.ad_words or len(t) == 1 for t in tokens)


def _latin_share(text: str) -> float | None:
    letters = [c for c in text[:20_000] if c.isalpha()]  # a sample is enough to know the script
    if not letters:
        return None
    latin = sum(unicodedata.name(c, "").startswith("LATIN") for c in letters)
    return latin / len(letters)


def is_latin_text(text: str) -> bool:
    """True when the text is written (at least 80%) in Latin script."""
    share = _latin_share(text)
    return share is not None and share >= 0.8


def _matches_rule(line: str, bp: Boilerplate) -> str | None:
    n = len(_words(line))
    for name, search, max_words, patterns in bp.line_rules:
        if n > max_words:
            continue
        for pattern in patterns:
            if (pattern.search(line) if search else pattern.match(line)):
                return name
    return None


def strip_credit(line: str, bp: Boilerplate | None = None) -> str | None:
    """The line without a trailing photo credit; None when the line is a caption and should go."""
    bp = bp or load_boilerplate()
    for pattern in bp.credit_tails:
        m = pattern.search(line)
        if m:
            body = line[: m.start()].rstrip()
            if len(_words(body)) <= bp.caption_max_words:
                return None
            return body
    return line


def is_clutter_line(line: str, latin_document: bool = True) -> bool:
    """True for one line of page clutter judged on its own (no context: no lists, no duplicates)."""
    bp = load_boilerplate()
    if not _WORD_CHARS.search(line):
        return True  # only punctuation or symbols: separators, stray quotes
    if _is_ad_line(line, bp) or _is_nav_line(line, bp) or _matches_rule(line, bp):
        return True
    if latin_document and len(_words(line)) <= 5:
        share = _latin_share(line)
        if share is not None and share < 0.5:
            return True  # a lone menu word in another script inside English text
    return strip_credit(line, bp) is None


def _dedup_key(line: str) -> str | None:
    words = _words(line)
    if len(words) < 3 and len(line) < 20:
        return None  # short lines ("Yes.", speaker labels) legitimately repeat
    return " ".join(words).casefold().rstrip(_EDGE_PUNCT)


def _is_link_title(line: str, bp: Boilerplate) -> bool:
    return len(_words(line)) <= bp.link_title_max_words and not line.rstrip("\"'").endswith(".")


def strip_boilerplate_lines(lines: Sequence[str]) -> list[str]:
    """Drop clutter lines; keep the rest in order (a caption credit may be cut off a long line)."""
    bp = load_boilerplate()
    latin_document = is_latin_text(" ".join(lines))
    total = sum(len(ln) for ln in lines) or 1
    seen: set[str] = set()
    kept: list[str] = []
    follow = 0  # link titles still expected after a "Related" header
    position = 0
    for line in lines:
        before, position = position, position + len(line)
        key = _dedup_key(line)
        duplicate = key is not None and key in seen
        if key is not None:
            seen.add(key)
        if before >= total / 2 and any(m.match(line) for m in bp.tail_markers):
            break  # a comment section: nothing after it is article text
        header = next((n for p, n in bp.list_headers if p.match(line)), None)
        if header is not None:
            follow = header
            continue
        if follow and _is_link_title(line, bp):
            follow -= 1
            continue
        follow = 0
        if duplicate or is_clutter_line(line, latin_document):
            continue
        kept.append(strip_credit(line, bp) or line)
    return _drop_about_blurb(kept, bp)


def _drop_about_blurb(lines: list[str], bp: Boilerplate) -> list[str]:
    """Cut a publisher's "about us" paragraph (and its name heading) from the end of the text."""
    start = max(1, len(lines) - bp.about_tail_lines)
    for i in range(start, len(lines)):
        line = lines[i]
        if (
            len(_words(line)) <= bp.about_max_words
            and '"' not in line
            and bp.about_first_person.search(line)
            and any(p.search(line) for p in bp.about_patterns)
        ):
            cut = i
            previous = lines[i - 1]
            if len(_words(previous)) <= 6 and line.casefold().startswith(previous.casefold()):
                cut = i - 1  # the heading naming the publisher the blurb is about
            return lines[:cut]
    return lines


def is_byline(line: str) -> bool:
    """A "By Jane Doe" / "Published on ..." line (used to skip it when guessing a title)."""
    return any(p.match(line) for p in load_boilerplate().byline_patterns)


def clean_text(text: str) -> str:
    """The clean text of an article: normalised characters, clutter lines dropped, paragraphs
    separated by one blank line. Idempotent."""
    paragraphs = [_SPACES.sub(" ", p) for p in split_paragraphs(normalize_chars(text))]
    return "\n\n".join(strip_boilerplate_lines(paragraphs))
