"""Pure helpers that turn query results into what templates draw: highlighted article text, search
snippets, the timeline chart, links from facts to their sentences.

Article text is hostile input: it is only ever cut into plain-string segments here, and the
templates escape every segment (nothing here produces markup).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from newsintel.query.article import sentence_starts
from newsintel.web.colours import event_colour


@dataclass
class Part:
    """A run of article text, inside one entity mention or none."""

    text: str
    entity: dict[str, Any] | None = None


@dataclass
class Chunk:
    """Consecutive parts inside one evidence sentence (`sentence` = its start offset) or outside any."""

    sentence: int | None
    parts: list[Part] = field(default_factory=list)


def article_chunks(text: str, found: list[dict[str, Any]], facts: list[dict[str, Any]]) -> list[Chunk]:
    """The text cut at every mention and evidence-sentence boundary, grouped by sentence.

    Overlapping mentions: the one starting first (then the longest) wins; a mention crossing a
    sentence boundary is cut there; overlapping sentences likewise. Offsets outside the text are
    ignored. One sweep over the cut points, so a long article with many mentions stays linear-ish.
    """
    n = len(text)
    sentences = sorted({(e["start"], e["end"]) for f in facts for e in f.get("evidence", [])
                        if 0 <= e["start"] < e["end"] <= n})
    spans = sorted(((s["start"], s["end"], m) for m in found for s in m["spans"]
                    if 0 <= s["start"] < s["end"] <= n), key=lambda t: (t[0], -t[1]))
    cuts = sorted({0, n, *(p for s in sentences for p in s), *(p for s in spans for p in s[:2])})
    chunks: list[Chunk] = []
    open_sentences: list[tuple[int, int]] = []
    open_spans: list[tuple[int, int, dict[str, Any]]] = []
    next_sentence = next_span = 0
    for left, right in itertools.pairwise(cuts):
        while next_sentence < len(sentences) and sentences[next_sentence][0] <= left:
            open_sentences.append(sentences[next_sentence])
            next_sentence += 1
        while next_span < len(spans) and spans[next_span][0] <= left:
            open_spans.append(spans[next_span])
            next_span += 1
        open_sentences = [s for s in open_sentences if s[1] >= right]
        open_spans = [s for s in open_spans if s[1] >= right]
        sentence = open_sentences[0][0] if open_sentences else None
        mention = open_spans[0][2] if open_spans else None
        entity = {"id": mention["entity_id"], "name": mention["name"], "type": mention["type"]} if mention else None
        if not chunks or chunks[-1].sentence != sentence:
            chunks.append(Chunk(sentence))
        parts = chunks[-1].parts
        if parts and parts[-1].entity == entity:  # a cut made by a shorter, overlapped mention: one link
            parts[-1].text += text[left:right]
        else:
            parts.append(Part(text[left:right], entity))
    return chunks


def snippet_parts(snippet: str | None, mark: str = "**") -> list[tuple[str, bool]]:
    """(text, matched) pairs from a search snippet whose matched words are wrapped in `mark`."""
    if not snippet:
        return []
    return [(piece, i % 2 == 1) for i, piece in enumerate(snippet.split(mark)) if piece]


def link_sentences(conn: Connection, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each source of each fact an `href` to its sentence in the article page (in place)."""
    pairs = [(f["id"], s["document_id"]) for f in facts for s in f["sources"]]
    starts = sentence_starts(conn, pairs)
    for fact in facts:
        for source in fact["sources"]:
            start = starts.get((fact["id"], source["document_id"]))
            anchor = f"#s-{start}" if start is not None else ""
            source["href"] = f"/article/{source['document_id']}{anchor}"
    return facts


def year_of(value: str) -> float:
    """A fractional year for an ISO date of any precision (a month's or year's middle)."""
    parts = value.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return year + 0.5
    month = int(parts[1])
    day = int(parts[2]) if len(parts) > 2 else 15
    return year + (month - 1) / 12 + (day - 1) / 365


WIDTH, ROW, LEFT, TOP = 760, 22, 110, 10


def timeline_chart(facts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Geometry of an SVG chart: one row per event type, a dot per dated fact; None without dates."""
    dated = [f for f in facts if f.get("date")]
    if not dated:
        return None
    years = [year_of(f["date"]["value"]) for f in dated]
    low, high = int(min(years)), int(max(years)) + 1
    kinds = sorted({f["type"] for f in dated})
    scale = (WIDTH - LEFT - 20) / (high - low)
    rows = [{"type": k, "y": TOP + i * ROW + ROW // 2, "colour": event_colour(k)} for i, k in enumerate(kinds)]
    row_y = {r["type"]: r["y"] for r in rows}
    points = []
    for fact, year in zip(dated, years, strict=True):
        first = fact["sources"][0] if fact["sources"] else None
        points.append({"x": round(LEFT + (year - low) * scale, 1), "y": row_y[fact["type"]],
                       "colour": event_colour(fact["type"]), "href": first.get("href") if first else None,
                       "title": f"{fact['date']['value']} {fact['type']}: {roles_text(fact)}"})
    step = max(1, (high - low) // 8)
    ticks = [{"x": round(LEFT + (y - low) * scale, 1), "label": str(y)} for y in range(low, high + 1, step)]
    height = TOP * 2 + ROW * len(kinds) + 18
    return {"width": WIDTH, "height": height, "left": LEFT, "axis_y": height - 18, "rows": rows,
            "points": points, "ticks": ticks}


def roles_text(fact: dict[str, Any]) -> str:
    """"imposer: A; target: B, C" for tooltips."""
    return "; ".join(f"{role}: {', '.join(e['name'] for e in members)}" for role, members in fact["roles"].items())
