"""The pure view helpers: cutting article text for highlighting, snippets, the timeline chart."""

from __future__ import annotations

from typing import Any

from newsintel.web.colours import EVENT_COLOURS, types_css
from newsintel.web.views import article_chunks, snippet_parts, timeline_chart

TEXT = "Huawei Technologies met MTS. Then <b>nothing</b> happened."


def mention(entity_id: str, *spans: tuple[int, int]) -> dict[str, Any]:
    return {"entity_id": entity_id, "name": entity_id, "type": "company",
            "spans": [{"start": s, "end": e, "text": TEXT[s:e]} for s, e in spans]}


def test_chunks_cover_the_text_exactly_once() -> None:
    found = [mention("huawei", (0, 19)), mention("h", (0, 6)), mention("mts", (24, 27)), mention("bad", (5, 999))]
    facts = [{"evidence": [{"start": 0, "end": 28}]}]
    chunks = article_chunks(TEXT, found, facts)
    assert "".join(p.text for c in chunks for p in c.parts) == TEXT
    assert [c.sentence for c in chunks] == [0, None]
    first = chunks[0].parts
    assert (first[0].text, first[0].entity and first[0].entity["id"]) == ("Huawei Technologies", "huawei")
    assert [p.text for p in first if p.entity] == ["Huawei Technologies", "MTS"]
    assert chunks[1].parts[0].entity is None and "<b>nothing</b>" in chunks[1].parts[0].text


def test_mention_crossing_a_sentence_end_is_cut_there() -> None:
    chunks = article_chunks(TEXT, [mention("x", (24, 33))], [{"evidence": [{"start": 0, "end": 28}]}])
    linked = [(c.sentence, p.text) for c in chunks for p in c.parts if p.entity]
    assert linked == [(0, "MTS."), (None, " Then")]


def test_snippet_parts() -> None:
    assert snippet_parts("a **Huawei** b **x**") == [("a ", False), ("Huawei", True), (" b ", False), ("x", True)]
    assert snippet_parts(None) == []


def test_timeline_chart_places_dated_facts_by_type() -> None:
    facts = [{"type": "sanction", "date": {"value": "2019-05-16"}, "roles": {}, "sources": [{"href": "/a#s-1"}]},
             {"type": "policy", "date": {"value": "2021"}, "roles": {}, "sources": []},
             {"type": "policy", "date": None, "roles": {}, "sources": []}]
    chart = timeline_chart(facts)
    assert chart is not None
    assert [r["type"] for r in chart["rows"]] == ["policy", "sanction"]
    assert len(chart["points"]) == 2
    sanction, policy = chart["points"]
    assert sanction["x"] < policy["x"] and sanction["href"] == "/a#s-1"
    assert sanction["colour"] == EVENT_COLOURS["sanction"]
    assert timeline_chart(facts[2:]) is None


def test_types_css_has_a_class_per_event_type() -> None:
    css = types_css()
    assert all(f".ev-{kind} " in css for kind in EVENT_COLOURS)
