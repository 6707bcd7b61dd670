"""Reference data from FollowTheMoney files (an OpenSanctions export, say): names, sanctions, matches.

    reference_entities    one row per imported actor: schema, caption, countries, topics, dataset
    reference_names       its names and aliases, normalised as the resolver normalises ours
    reference_sanctions   FtM Sanction entities: the listed actor, authority, program, dataset
    reference_matches     stored entities whose name or alias equals a reference name (`link`)

The tables have their own MetaData (`reference_metadata`), not the store schema's: they are optional
and created on first import (`ensure_tables`), so a store never imported into stays exactly the
schema of store/schema.py (code that walks `schema.metadata`, such as store dumps, is unaffected).
A match needs the same normalised name, a compatible kind (a company is not a Person) and no
conflicting country: cheap, explainable rules, in the spirit of the resolver's comparators.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Index, MetaData, String, Table, Text, UniqueConstraint, delete, select

from newsintel.refdata import normalize_name
from newsintel.store.schema import aliases, entities
from newsintel.store.upsert import insert_ignore

BATCH = 500
reference_metadata = MetaData()

reference_entities = Table(
    "reference_entities", reference_metadata,
    Column("ref", Text, primary_key=True),  # the FtM entity id (e.g. "NK-...")
    Column("schema", String(32), nullable=False),  # Company, Person, Organization, LegalEntity, ...
    Column("caption", Text, nullable=False),
    Column("countries", Text),  # ISO codes, upper case, comma-separated
    Column("topics", Text),  # FtM topics, comma-separated ("sanction,role.pep")
    Column("dataset", Text, nullable=False),
)

reference_names = Table(
    "reference_names", reference_metadata,
    Column("entity_ref", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("norm", Text, nullable=False),  # refdata.normalize_name(name): what matching compares
    Column("schema", String(32), nullable=False),
    Column("country", String(2)),  # the first of its countries
    Column("dataset", Text, nullable=False),
    UniqueConstraint("entity_ref", "norm", "dataset", name="uq_reference_name"),
)
Index("ix_reference_names_norm", reference_names.c.norm)

reference_sanctions = Table(
    "reference_sanctions", reference_metadata,
    Column("id", Text, primary_key=True),  # the Sanction entity's FtM id
    Column("entity_ref", Text, nullable=False),
    Column("authority", Text),
    Column("program", Text),
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Column("source_url", Text),
    Column("dataset", Text, nullable=False),
)
Index("ix_reference_sanctions_entity", reference_sanctions.c.entity_ref)

reference_matches = Table(
    "reference_matches", reference_metadata,
    Column("entity_id", String(64), nullable=False),
    Column("entity_ref", Text, nullable=False),
    Column("norm", Text, nullable=False),
    UniqueConstraint("entity_id", "entity_ref", name="uq_reference_match"),
)
Index("ix_reference_matches_entity", reference_matches.c.entity_id)

TABLES = (reference_entities, reference_names, reference_sanctions, reference_matches)
# our entity type -> the FtM schemata a reference actor of that kind may have
COMPATIBLE: dict[str, frozenset[str]] = {
    "company": frozenset({"Company", "Organization", "LegalEntity"}),
    "organization": frozenset({"Organization", "Company", "PublicBody", "LegalEntity"}),
    "government_body": frozenset({"PublicBody", "Organization", "LegalEntity"}),
    "country": frozenset({"PublicBody", "LegalEntity"}),
    "person": frozenset({"Person", "LegalEntity"}),
}


def ensure_tables(conn: Connection) -> None:
    """Create the reference tables when missing (idempotent)."""
    for table in TABLES:
        table.create(conn, checkfirst=True)


def has_tables(conn: Connection) -> bool:
    return all(conn.dialect.has_table(conn, table.name) for table in (reference_names, reference_sanctions))


def add_entity(conn: Connection, ref: str, schema: str, names: Sequence[str], countries: Sequence[str],
               topics: Sequence[str], dataset: str) -> int:
    """Store one reference actor and its names; the number of distinct names stored."""
    clean = [name.strip() for name in names if name and name.strip()]
    if not clean:
        return 0
    codes = [c.upper() for c in countries if c and len(c) == 2]
    insert_ignore(conn, reference_entities, [{
        "ref": ref, "schema": schema, "caption": clean[0], "countries": ",".join(codes) or None,
        "topics": ",".join(topics) or None, "dataset": dataset}])
    forms: dict[str, str] = {}
    for name in clean:
        norm = normalize_name(name)
        if norm:
            forms.setdefault(norm, name)
    insert_ignore(conn, reference_names, [{"entity_ref": ref, "name": name, "norm": norm, "schema": schema,
                                           "country": codes[0] if codes else None, "dataset": dataset}
                                          for norm, name in forms.items()])
    return len(forms)


def add_sanction(conn: Connection, sanction_id: str, entity_ref: str, dataset: str, authority: str | None = None,
                 program: str | None = None, start_date: str | None = None, end_date: str | None = None,
                 source_url: str | None = None) -> None:
    insert_ignore(conn, reference_sanctions, [{
        "id": sanction_id, "entity_ref": entity_ref, "authority": authority, "program": program,
        "start_date": (start_date or "")[:10] or None, "end_date": (end_date or "")[:10] or None,
        "source_url": source_url, "dataset": dataset}])


def matches(conn: Connection, entity_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """[{"entity_id","entity_ref","norm","name","schema","dataset"}]: stored entities (all, or these)
    whose name or alias equals a compatible reference name, sorted."""
    query = (select(aliases.c.entity_id, entities.c.type, entities.c.country, reference_names.c.entity_ref,
                    reference_names.c.norm, reference_names.c.name, reference_names.c.schema,
                    reference_names.c.country.label("ref_country"), reference_names.c.dataset)
             .join(entities, entities.c.id == aliases.c.entity_id)
             .join(reference_names, reference_names.c.norm == aliases.c.norm))
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for chunk in _chunks(entity_ids):
        selected = query if chunk is None else query.where(aliases.c.entity_id.in_(chunk))
        for row in conn.execute(selected):
            if row.schema not in COMPATIBLE.get(row.type, frozenset()):
                continue
            if row.country and row.ref_country and row.country.upper() != row.ref_country.upper():
                continue
            found.setdefault((row.entity_id, row.entity_ref), {
                "entity_id": row.entity_id, "entity_ref": row.entity_ref, "norm": row.norm, "name": row.name,
                "schema": row.schema, "dataset": row.dataset})
    return [found[key] for key in sorted(found)]


def _chunks(ids: Sequence[str] | None) -> Iterable[Sequence[str] | None]:
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), BATCH):
        yield ids[start:start + BATCH]


def link(conn: Connection) -> int:
    """Record every match afresh (reference_matches); how many stored entities matched."""
    ensure_tables(conn)
    conn.execute(delete(reference_matches))
    found = matches(conn)
    if found:
        conn.execute(reference_matches.insert(), [{k: m[k] for k in ("entity_id", "entity_ref", "norm")}
                                                  for m in found])
    return len({m["entity_id"] for m in found})


def sanction_flags(conn: Connection, entity_id: str) -> list[dict[str, Any]]:
    """[{"list","authority","source_id","program","dataset","name","since"}]: the sanctions lists the
    entity is on, through any reference actor it matches (computed live, so later ingests count).

    `list` is the program when the file names one, else the dataset; an actor whose topics include
    "sanction" but that has no Sanction entity in the file is flagged with its dataset only.
    """
    if not has_tables(conn):
        return []
    found = matches(conn, [entity_id])
    refs = {m["entity_ref"]: m for m in found}
    if not refs:
        return []
    flags: list[dict[str, Any]] = []
    listed: set[str] = set()
    for row in conn.execute(select(reference_sanctions).where(reference_sanctions.c.entity_ref.in_(list(refs)))):
        listed.add(row.entity_ref)
        flags.append({"list": row.program or row.dataset, "authority": row.authority, "source_id": row.id,
                      "program": row.program, "dataset": row.dataset, "name": refs[row.entity_ref]["name"],
                      "since": row.start_date})
    topical = select(reference_entities).where(reference_entities.c.ref.in_(list(refs)))
    for row in conn.execute(topical):
        if row.ref not in listed and "sanction" in (row.topics or "").split(","):
            flags.append({"list": row.dataset, "authority": None, "source_id": row.ref, "program": None,
                          "dataset": row.dataset, "name": refs[row.ref]["name"], "since": None})
    flags.sort(key=lambda f: (f["list"], f["authority"] or "", f["source_id"]))
    return flags


def names_of(conn: Connection, refs: set[str]) -> set[str]:
    """Every normalised name of these reference entities."""
    if not refs or not has_tables(conn):
        return set()
    query = select(reference_names.c.norm).where(reference_names.c.entity_ref.in_(sorted(refs)))
    return set(conn.execute(query).scalars())


def lookup(conn: Connection, name: str) -> list[dict[str, Any]]:
    """Reference names equal to `name` after normalisation: the resolver's hook into this data."""
    if not has_tables(conn):
        return []
    rows = conn.execute(select(reference_names).where(reference_names.c.norm == normalize_name(name))
                        .order_by(reference_names.c.entity_ref))
    return [dict(row._mapping) for row in rows]
