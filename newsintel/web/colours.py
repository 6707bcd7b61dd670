"""The one colour table of the UI: event types (graph edges, timeline dots, badges) and entity types.

Everything that colours by type reads these tables: the network API hands EVENT_COLOURS to the
graph script, the timeline chart uses them as SVG fills, and `/assets/types.css` is generated from
them, so a colour is changed here and nowhere else.
"""

from __future__ import annotations

EVENT_COLOURS: dict[str, str] = {
    "sanction": "#c0392b",
    "designation": "#e67e22",
    "expulsion": "#8e44ad",
    "policy": "#7f8c8d",
    "listing": "#16a085",
    "acquisition": "#2471a3",
    "investment": "#27ae60",
    "contract": "#d4ac0d",
    "partnership": "#1abc9c",
    "position": "#95a5a6",
}
ENTITY_COLOURS: dict[str, str] = {
    "country": "#34495e",
    "government_body": "#7d3c98",
    "company": "#2e86c1",
    "organization": "#148f77",
    "person": "#b9770e",
    "program": "#a93226",
}
FALLBACK = "#999999"


def event_colour(kind: str) -> str:
    return EVENT_COLOURS.get(kind, FALLBACK)


def entity_colour(kind: str) -> str:
    return ENTITY_COLOURS.get(kind, FALLBACK)


def types_css() -> str:
    """Badge, highlight and legend classes for every type (served as /assets/types.css)."""
    rules = []
    for kind, colour in EVENT_COLOURS.items():
        rules.append(f".ev-{kind} {{ background: {colour}; color: #fff; }}")
        rules.append(f".sw-ev-{kind} {{ background: {colour}; }}")
    for kind, colour in ENTITY_COLOURS.items():
        rules.append(f".en-{kind} {{ border-bottom-color: {colour}; }}")
        rules.append(f".sw-en-{kind} {{ background: {colour}; }}")
    return "\n".join(rules) + "\n"
