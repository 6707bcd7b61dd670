"""Policy targets: money amounts tied to a deadline in the same sentence ("RMB 150 billion by 2020").

Each amount is paired with the nearest deadline in its clause (split at ";" and ":"), falling back to the
nearest deadline anywhere in the sentence; an amount with no deadline in the sentence is not a target.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from newsintel.extract.money import find_money
from newsintel.extract.timex import TimeMatch, find_dates

_CLAUSE_BREAK_RE = re.compile(r"[;:]")


def _clause_of(pos: int, breaks: list[int]) -> int:
    """Index of the clause holding character `pos`."""
    return sum(1 for b in breaks if b < pos)


def _distance(a_start: int, a_end: int, b: TimeMatch) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, b.start - a_end, a_start - b.end)


def find_targets(sentence: str, anchor: dt.date | None) -> list[dict[str, Any]]:
    """[{"value", "currency", "deadline": "YYYY", "text"}] for each amount that has a deadline."""
    amounts = find_money(sentence)
    if not amounts:
        return []
    deadlines = [d for d in find_dates(sentence, anchor) if d.kind == "deadline"]
    if not deadlines:
        return []
    breaks = [m.start() for m in _CLAUSE_BREAK_RE.finditer(sentence)]
    out: list[dict[str, Any]] = []
    for amount in amounts:
        clause = _clause_of(amount.start, breaks)
        same = [d for d in deadlines if _clause_of(d.start, breaks) == clause]
        pool = same or deadlines
        best = min(pool, key=lambda d: (_distance(amount.start, amount.end, d), d.start))
        out.append({
            "value": amount.money.value,
            "currency": amount.money.currency,
            "deadline": best.value.value[:4],
            "text": amount.money.text,
        })
    return out
