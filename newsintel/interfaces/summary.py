"""A human summary of extraction output: what was found, who appears most, example events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from io import StringIO
from typing import Any

from rich.console import Console
from rich.table import Table


def render_summary(extractions: Iterable[dict[str, Any]], max_events: int = 8, width: int = 110) -> str:
    """Counts by entity and event type, the most-mentioned actors and a few events with evidence."""
    documents = 0
    entity_types: Counter[str] = Counter()
    event_types: Counter[str] = Counter()
    actors: Counter[tuple[str, str]] = Counter()
    examples: list[tuple[float, str, dict[str, Any], dict[str, str]]] = []
    for record in extractions:
        documents += 1
        names = {e["id"]: e["name"] for e in record.get("entities", [])}
        for entity in record.get("entities", []):
            entity_types[entity["type"]] += 1
            actors[(entity["name"], entity["type"])] += len(entity.get("mentions", [])) or 1
        for event in record.get("events", []):
            event_types[event["type"]] += 1
            examples.append((event.get("confidence", 0.0), record["document"]["id"], event, names))

    out = StringIO()
    console = Console(file=out, width=width, force_terminal=False, color_system=None)
    console.print(f"{documents} documents, {sum(entity_types.values())} entities, "
                  f"{sum(event_types.values())} events")
    counts = Table(title="What was found", show_header=True)
    counts.add_column("entity type")
    counts.add_column("n", justify="right")
    counts.add_column("event type")
    counts.add_column("n", justify="right")
    left, right = entity_types.most_common(), event_types.most_common()
    for i in range(max(len(left), len(right))):
        e = left[i] if i < len(left) else ("", "")
        v = right[i] if i < len(right) else ("", "")
        counts.add_row(e[0], str(e[1]), v[0], str(v[1]))
    console.print(counts)
    top = Table(title="Most mentioned actors")
    top.add_column("actor")
    top.add_column("type")
    top.add_column("mentions", justify="right")
    for (name, kind), n in actors.most_common(10):
        top.add_row(name, kind, str(n))
    console.print(top)
    events = Table(title=f"{min(max_events, len(examples))} most confident events")
    events.add_column("doc")
    events.add_column("type")
    events.add_column("who")
    events.add_column("when")
    events.add_column("evidence", overflow="fold")
    for confidence, doc_id, event, names in sorted(examples, key=lambda x: -x[0])[:max_events]:
        roles = "; ".join(f"{role}: {', '.join(names.get(i, i) for i in ids)}" for role, ids in event["roles"].items())
        when = (event.get("date") or {}).get("value") or ""
        evidence = (event.get("evidence") or [{}])[0].get("text", "")
        events.add_row(doc_id, f"{event['type']} ({confidence:.2f})", roles, when, evidence[:160])
    console.print(events)
    return out.getvalue()
