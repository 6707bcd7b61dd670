"""Read FollowTheMoney entity files (JSON Lines, e.g. OpenSanctions' entities.ftm.json) as reference data.

Legal entities (Person, Company, Organization, PublicBody, LegalEntity) keep their `name`, `alias` and
`previousName` values, countries and topics; `Sanction` entities give the list (authority, program)
of the entity they point to. OpenSanctions' nested form (a Sanction object inside the `sanctions`
property of its target) is read too. A bad line is reported and skipped. After the import every
stored entity is matched against the names (store/reference.py: `link`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.exc import FollowTheMoneyException
from followthemoney.proxy import EntityProxy
from sqlalchemy import Connection

from newsintel.errors import InputError
from newsintel.store import reference

NAME_PROPERTIES = ("name", "alias", "previousName")


@dataclass
class ImportSummary:
    """What an import stored."""

    entities: int = 0
    names: int = 0
    sanctions: int = 0
    matched: int = 0  # stored entities that now match a reference name
    skipped: int = 0  # entities of other schemata (addresses, identifications, ...)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source "file:line", reason)


def read_entities(lines: Iterable[str], source: str) -> Iterator[EntityProxy | InputError]:
    """Proxies from JSON Lines (nested entities unnested, parents first); errors as InputError."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            data = json.loads(line)
            if not isinstance(data, dict) or "schema" not in data:
                raise ValueError("not an FtM entity (no 'schema')")
            yield from unnest(data)
        except (ValueError, TypeError, KeyError, FollowTheMoneyException) as error:
            yield InputError(where, f"{error.__class__.__name__}: {error}")


def unnest(data: dict[str, Any]) -> Iterator[EntityProxy]:
    """The entity and any entities nested in its properties, each nested one linked back to it."""
    schema = model.get(data["schema"])
    if schema is None:
        raise ValueError(f"unknown schema {data['schema']!r}")
    properties: dict[str, list[Any]] = {}
    nested: list[tuple[str, dict[str, Any]]] = []
    for name, values in (data.get("properties") or {}).items():
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                nested.append((name, value))
                if value.get("id"):
                    properties.setdefault(name, []).append(value["id"])
            else:
                properties.setdefault(name, []).append(value)
    kept = {k: v for k, v in properties.items() if schema.get(k) is not None}
    proxy = model.get_proxy({"id": data.get("id"), "schema": schema.name, "properties": kept}, cleaned=False)
    if data.get("datasets"):
        proxy.context["datasets"] = list(data["datasets"])
    yield proxy
    for name, child in nested:
        prop = schema.get(name)
        if prop is not None and prop.reverse is not None and child.get("schema"):
            child = dict(child, properties=dict(child.get("properties") or {}))
            child["properties"].setdefault(prop.reverse.name, [proxy.id])
            child.setdefault("datasets", data.get("datasets"))
        yield from unnest(child)


def import_ftm(conn: Connection, paths: Iterable[str | Path], dataset: str | None = None) -> ImportSummary:
    """Store the files' actors, names and sanctions as reference data, then link stored entities."""
    reference.ensure_tables(conn)
    summary = ImportSummary()
    for path in paths:
        name = dataset or Path(path).name.split(".")[0]
        try:
            with Path(path).open(encoding="utf-8") as handle:
                for item in read_entities(handle, str(path)):
                    if isinstance(item, InputError):
                        summary.failed.append((item.source, item.reason))
                    else:
                        store_proxy(conn, item, name, summary)
        except (OSError, UnicodeDecodeError) as error:
            summary.failed.append((str(path), f"{error.__class__.__name__}: {error}"))
    summary.matched = reference.link(conn)
    return summary


def store_proxy(conn: Connection, proxy: EntityProxy, default_dataset: str, summary: ImportSummary) -> None:
    """One entity into the reference tables (what its schema allows)."""
    datasets = proxy.context.get("datasets") or [default_dataset]
    dataset = str(datasets[0])
    if proxy.id is None:
        summary.failed.append((dataset, f"a {proxy.schema.name} entity without an id"))
        return
    if proxy.schema.is_a("Sanction"):
        for target in proxy.get("entity"):
            reference.add_sanction(
                conn, proxy.id if len(proxy.get("entity")) == 1 else f"{proxy.id}:{target}", target, dataset,
                authority="; ".join(proxy.get("authority")) or None, program="; ".join(proxy.get("program")) or None,
                start_date=proxy.first("startDate") or proxy.first("listingDate") or proxy.first("date"),
                end_date=proxy.first("endDate"), source_url=proxy.first("sourceUrl"))
            summary.sanctions += 1
        return
    if not proxy.schema.is_a("LegalEntity"):
        summary.skipped += 1
        return
    names = [value for prop in NAME_PROPERTIES if proxy.schema.get(prop) for value in proxy.get(prop)]
    stored = reference.add_entity(conn, proxy.id, _kind(proxy), names, proxy.get("country"), proxy.get("topics"),
                                  dataset)
    summary.entities += 1 if stored else 0
    summary.names += stored


def _kind(proxy: EntityProxy) -> str:
    """The most specific of the schemata matching is keyed on (reference.COMPATIBLE)."""
    for name in ("Person", "PublicBody", "Company", "Organization"):
        if proxy.schema.is_a(name):
            return name
    return "LegalEntity"
