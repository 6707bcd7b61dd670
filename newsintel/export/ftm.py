"""FollowTheMoney entities (the Aleph / OpenSanctions data model) from the store, built with `followthemoney`.

Actors: company -> Company, organization -> Organization, government_body -> PublicBody (topic
"gov"), country -> PublicBody with `jurisdiction` (topic "gov.national"), person -> Person.
Programs are not actors: their names go into the `program` property of the facts that name them.
Articles -> Article; each (article, actor it mentions) -> Documentation. Facts: sanction -> Sanction
(one per target; authority = the imposers' names); acquisition and investment -> Ownership when the
acted-upon is a Company (an Asset), else UnknownLink; designation, contract, expulsion -> UnknownLink
(role = the fact type); position -> Directorship (a company's leader), Membership ("member",
"fellow"), else Employment; partnership, policy, listing and any fact lacking one side -> Event
(organizer / involved), linked to its Articles by Documentation. Every fact entity carries `proof`
(its Articles: FtM's Documentation can only point at a Thing, not at an Interval such as a Sanction),
`sourceUrl`, `summary` (the sentence) and `recordId` (our fact id).

Ids are stable: `<prefix>-ent-company.huawei`, `<prefix>-doc-<document id>`, `<prefix>-fact-<fact id>`,
and for entities derived from two ids a hash of them (FtM's make_entity_id), so two exports of one
store are identical and reloading one into Aleph updates entities instead of duplicating them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.util import make_entity_id
from sqlalchemy import Connection, select

from newsintel.export.selection import Selection, document_ids, entity_ids, fact_dicts, fact_ids, rows
from newsintel.query.facts import batched
from newsintel.store.schema import aliases, documents, entities, mentions

PREFIX = "newsintel"
ACTOR_SCHEMATA = {"company": "Company", "organization": "Organization", "government_body": "PublicBody",
                  "country": "PublicBody", "person": "Person"}
TOPICS = {"government_body": "gov", "country": "gov.national"}
# fact type -> (acting role, acted-upon role, edge schema when the acted-upon is an Asset, else UnknownLink)
PAIRS: dict[str, tuple[str, str, str | None]] = {
    "acquisition": ("acquirer", "target", "Ownership"),
    "investment": ("investor", "recipient", "Ownership"),
    "designation": ("designator", "designee", None),
    "contract": ("supplier", "customer", None),
    "expulsion": ("expeller", "expelled", None),
}
_DIRECTOR = re.compile(r"\b(chief|ceo|cfo|cto|coo|chair\w*|director|president|founder|board|managing|head)\b", re.I)
_MEMBER = re.compile(r"\b(member|fellow|academician|associate)\b", re.I)
_SAFE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z:\-]*$")


def ref(prefix: str, kind: str, key: str, *parts: str) -> str:
    """A stable FtM id: readable (':' becomes '.') when the key allows it, else a hash; parts are hashed."""
    base = f"{prefix}-{kind}-{key.replace(':', '.')}" if _SAFE.match(key) and not key.endswith(":") \
        else f"{prefix}-{kind}h-{make_entity_id(key)}"
    return f"{base}-{make_entity_id(*parts)}" if parts else base


def export_ftm(conn: Connection, selection: Selection | None = None, prefix: str = PREFIX) -> Iterator[dict[str, Any]]:
    """FtM entity dicts (id, schema, properties): actors, articles, documentation links, facts."""
    selection = selection or Selection()
    builder = _Builder(conn, prefix)
    for chunk in batched(entity_ids(conn, selection)):
        yield from builder.actors(chunk)
    for chunk in batched(document_ids(conn, selection)):
        yield from builder.articles(chunk)
    for fact in fact_dicts(conn, fact_ids(conn, selection)):
        yield from builder.fact(fact)


class _Builder:
    """Turns rows into proxies; remembers which actors were exported so every reference resolves."""

    def __init__(self, conn: Connection, prefix: str) -> None:
        self.conn = conn
        self.prefix = prefix
        self.kinds: dict[str, tuple[str, str, str | None]] = {}  # entity id -> (type, name, country)
        self.exported: set[str] = set()  # actors written, so a Documentation never points elsewhere

    def proxy(self, schema: str, entity_id: str) -> EntityProxy:
        proxy = model.make_entity(schema)
        proxy.id = entity_id
        return proxy

    def actor_ref(self, entity_id: str) -> str:
        return ref(self.prefix, "ent", entity_id)

    def actors(self, ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        forms: dict[str, list[str]] = {}
        for alias in rows(self.conn, aliases, aliases.c.entity_id, ids, order=(aliases.c.entity_id, aliases.c.alias)):
            forms.setdefault(alias["entity_id"], []).append(alias["alias"])
        for row in rows(self.conn, entities, entities.c.id, ids):
            self.kinds[row["id"]] = (row["type"], row["name"], row["country"])
            schema = ACTOR_SCHEMATA.get(row["type"])
            if schema is None:  # a program: not an actor
                continue
            proxy = self.proxy(schema, self.actor_ref(row["id"]))
            self.exported.add(row["id"])
            proxy.add("name", row["name"])
            proxy.add("alias", [form for form in forms.get(row["id"], []) if form != row["name"]])
            proxy.add("country", row["country"])
            if row["type"] == "country":
                proxy.add("jurisdiction", row["country"])
            proxy.add("topics", TOPICS.get(row["type"]))
            yield proxy.to_dict()

    def articles(self, ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        for row in rows(self.conn, documents, documents.c.id, ids):
            article = self.proxy("Article", ref(self.prefix, "doc", row["id"]))
            article.add("title", row["title"])
            article.add("bodyText", row["text"])
            article.add("publishedAt", row["published"])
            article.add("sourceUrl", row["url"])
            article.add("language", row["language"])
            article.add("fileName", row["source_id"])
            yield article.to_dict()
        pairs = self.conn.execute(select(mentions.c.document_id, mentions.c.entity_id).distinct()
                                  .where(mentions.c.document_id.in_(ids))
                                  .order_by(mentions.c.document_id, mentions.c.entity_id)).all()
        for document_id, entity_id in pairs:
            if entity_id in self.exported:
                yield self.documentation(document_id, self.actor_ref(entity_id), "mentions")

    def documentation(self, document_id: str, target: str, role: str) -> dict[str, Any]:
        article = ref(self.prefix, "doc", document_id)
        link = self.proxy("Documentation", ref(self.prefix, "docu", document_id, target))
        link.add("document", article)
        link.add("entity", target)
        link.add("role", role)
        return link.to_dict()

    def _know(self, ids: list[str]) -> None:
        missing = [i for i in dict.fromkeys(ids) if i not in self.kinds]
        for chunk in batched(missing):
            for row in self.conn.execute(select(entities.c.id, entities.c.type, entities.c.name, entities.c.country)
                                         .where(entities.c.id.in_(chunk))):
                self.kinds[row.id] = (row.type, row.name, row.country)

    # -- facts ---------------------------------------------------------------------------------------
    def fact(self, fact: dict[str, Any]) -> Iterator[dict[str, Any]]:
        self._know([e["id"] for members in fact["roles"].values() for e in members])
        roles: dict[str, list[str]] = {}
        programs = [str(fact["attributes"]["program"])] if fact["attributes"].get("program") else []
        for role, members in fact["roles"].items():
            for member in members:
                if self.kinds.get(member["id"], ("program",))[0] in ACTOR_SCHEMATA:
                    roles.setdefault(role, []).append(member["id"])
                else:
                    programs.append(member["name"])
        kind = fact["type"]
        if kind == "sanction" and roles.get("target"):
            made = [self.sanction(fact, target, roles.get("imposer", [])) for target in roles["target"]]
        elif kind == "position" and roles.get("person") and roles.get("organization"):
            made = [self.position(fact, p, o) for p in roles["person"] for o in roles["organization"]]
        elif kind in PAIRS and roles.get(PAIRS[kind][0]) and roles.get(PAIRS[kind][1]):
            actor, acted, _ = PAIRS[kind]
            made = [self.pair(fact, a, b) for a in roles[actor] for b in roles[acted] if a != b]
        else:
            made = [self.event(fact, roles)]
        for proxy in made:
            proxy.add("program" if proxy.schema.get("program") else "namesMentioned", programs)
            self.describe(proxy, fact)
            yield proxy.to_dict()
            if proxy.schema.name == "Event":
                for source in fact["sources"]:
                    yield self.documentation(source["document_id"], str(proxy.id), "reports")

    def describe(self, proxy: EntityProxy, fact: dict[str, Any]) -> None:
        """What every fact entity says: date, sentence, sources, amount, our id."""
        date = fact["date"]["value"] if fact["date"] else None
        proxy.add("date" if proxy.schema.name == "Event" else "startDate", date)
        proxy.add("summary", fact["sources"][0]["sentence"] if fact["sources"] else None)
        proxy.add("sourceUrl", [s["url"] for s in fact["sources"] if s["url"]])
        proxy.add("proof", [ref(self.prefix, "doc", s["document_id"]) for s in fact["sources"]])
        proxy.add("recordId", fact["id"])
        notes = [f"{key}: {value}" for key, value in sorted(fact["attributes"].items()) if value]
        if fact["amount"]:
            notes.append(f"amount: {fact['amount']['value']:.0f} {fact['amount']['currency'] or ''}".strip())
        proxy.add("description", f"{fact['type']}" + (f" ({'; '.join(notes)})" if notes else ""))

    def sanction(self, fact: dict[str, Any], target: str, imposers: list[str]) -> EntityProxy:
        proxy = self.proxy("Sanction", ref(self.prefix, "fact", fact["id"], target))
        proxy.add("entity", self.actor_ref(target))
        proxy.add("authority", [self.kinds[i][1] for i in imposers])
        proxy.add("country", [self.kinds[i][2] for i in imposers])
        proxy.add("reason", fact["attributes"].get("reason"))
        return proxy

    def position(self, fact: dict[str, Any], person: str, organization: str) -> EntityProxy:
        """Directorship for a leader of a company, Membership for a member, else Employment."""
        title = str(fact["attributes"].get("title") or "")
        is_person = self.kinds[person][0] == "person"
        if _MEMBER.search(title) or not is_person:
            schema, ends = "Membership", ("member", "organization")
        elif self.kinds[organization][0] == "company" and _DIRECTOR.search(title):
            schema, ends = "Directorship", ("director", "organization")
        else:
            schema, ends = "Employment", ("employee", "employer")
        proxy = self.proxy(schema, ref(self.prefix, "fact", fact["id"], person, organization))
        proxy.add(ends[0], self.actor_ref(person))
        proxy.add(ends[1], self.actor_ref(organization))
        proxy.add("role", title or None)
        proxy.add("status", fact["attributes"].get("status"))
        return proxy

    def pair(self, fact: dict[str, Any], actor: str, acted: str) -> EntityProxy:
        schema = PAIRS[fact["type"]][2] if self.kinds[acted][0] == "company" else None  # a Company is an Asset
        proxy = self.proxy(schema or "UnknownLink", ref(self.prefix, "fact", fact["id"], actor, acted))
        ends = ("owner", "asset") if schema == "Ownership" else ("subject", "object")
        proxy.add(ends[0], self.actor_ref(actor))
        proxy.add(ends[1], self.actor_ref(acted))
        proxy.add("role", PAIRS[fact["type"]][0] if schema else fact["type"])
        if schema == "Ownership":
            proxy.add("ownershipType", fact["type"])
            if fact["amount"]:
                proxy.add("sharesValue", f"{fact['amount']['value']:.0f}")
                proxy.add("sharesCurrency", fact["amount"]["currency"])
        return proxy

    def event(self, fact: dict[str, Any], roles: dict[str, list[str]]) -> EntityProxy:
        """An n-ary or one-sided fact (partnership, policy, listing, an investment without investor)."""
        proxy = self.proxy("Event", ref(self.prefix, "fact", fact["id"]))
        acting = PAIRS.get(fact["type"], ("issuer",))[0]
        names = [self.kinds[i][1] for members in roles.values() for i in members]
        title = fact["attributes"].get("name") if fact["type"] == "policy" else None
        proxy.add("name", str(title) if title else f"{fact['type']}: {', '.join(names) or fact['id']}")
        for role, members in roles.items():
            proxy.add("organizer" if role == acting else "involved", [self.actor_ref(i) for i in members])
        proxy.add("country", sorted({self.kinds[i][2] or "" for members in roles.values() for i in members} - {""}))
        return proxy
