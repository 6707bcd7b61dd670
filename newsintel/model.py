"""The document / entity / event model, defined once.

The JSON form written by `to_dict` is exactly the `newsintel/1` schema of ../shared/eval/SCHEMA.md,
so everything downstream (the scorer, the store, exports) reads one shape; `from_dict` reads it back
(extractions made on other machines, by the Ray engine, travel in that form).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "newsintel/1"

ENTITY_TYPES = ("country", "government_body", "company", "organization", "person", "program")
EntityType = Literal["country", "government_body", "company", "organization", "person", "program"]

EVENT_TYPES = (
    "partnership", "acquisition", "investment", "sanction", "designation",
    "policy", "contract", "listing", "expulsion", "position",
)

# Roles per event type; the first group is required (an event without them is not emitted),
# the second optional. Mirrors the table in SCHEMA.md.
EVENT_ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "partnership": (("party",), ()),
    "acquisition": (("acquirer", "target"), ()),
    "investment": (("recipient",), ("investor",)),
    "sanction": (("imposer", "target"), ()),
    "designation": (("designee",), ("designator",)),
    "policy": (("issuer",), ()),
    "contract": (("supplier",), ("customer",)),
    "listing": (("company",), ()),
    "expulsion": (("expeller", "expelled"), ()),
    "position": (("person", "organization"), ()),
}

Precision = Literal["year", "month", "day"]


@dataclass(frozen=True)
class Span:
    """A stretch of the clean text: character offsets and the text they cover."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        return cls(data["start"], data["end"], data["text"])


@dataclass(frozen=True)
class DateValue:
    """An absolute date at the precision the text supports ("2019", "2019-10", "2019-10-03")."""

    value: str
    precision: Precision
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "precision": self.precision, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DateValue:
        return cls(data["value"], data["precision"], data.get("text", ""))


@dataclass(frozen=True)
class Money:
    """An amount in units of an ISO 4217 currency. `qualifier` keeps "at least", "up to", ranges."""

    value: float
    currency: str
    text: str = ""
    qualifier: str | None = None
    upper: float | None = None  # the top of a range ("$1-2 billion"); value is the bottom

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "currency": self.currency, "text": self.text}
        if self.qualifier:
            out["qualifier"] = self.qualifier
        if self.upper is not None:
            out["upper"] = self.upper
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Money:
        return cls(data["value"], data["currency"], data.get("text", ""), data.get("qualifier"), data.get("upper"))


@dataclass
class RawDocument:
    """One input as read, before cleaning. Exactly one of `text` / `html` is set."""

    id: str
    source: str  # where it came from, for error messages: "file.jsonl:3", "<stdin>"
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None


@dataclass
class Document:
    """A cleaned document: `text` is what every offset refers to."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date "YYYY-MM-DD" (or shorter when only that is known)
    language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "url": self.url, "title": self.title, "published": self.published,
            "language": self.language, "text": self.text,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(data["id"], data["text"], data.get("url"), data.get("title"), data.get("published"),
                   data.get("language"))


@dataclass
class Entity:
    """An actor found in one document, with every mention of it."""

    id: str
    name: str
    type: EntityType
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "type": self.type, "country": self.country,
            "aliases": list(self.aliases), "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(data["id"], data["name"], data["type"], data.get("country"), list(data.get("aliases", [])),
                   [Span.from_dict(m) for m in data.get("mentions", [])])


@dataclass
class Event:
    """A typed occurrence with its participants (entity ids by role) and supporting sentence."""

    id: str
    type: str
    roles: dict[str, list[str]]
    evidence: list[Span]
    confidence: float
    date: DateValue | None = None
    amount: Money | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "roles": {k: list(v) for k, v in self.roles.items()},
            "date": self.date.to_dict() if self.date else None,
            "amount": self.amount.to_dict() if self.amount else None,
            "attributes": dict(self.attributes),
            "evidence": [e.to_dict() for e in self.evidence],
            "confidence": round(self.confidence, 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        date, amount = data.get("date"), data.get("amount")
        return cls(data["id"], data["type"], {k: list(v) for k, v in data.get("roles", {}).items()},
                   [Span.from_dict(e) for e in data.get("evidence", [])], float(data.get("confidence", 0.0)),
                   DateValue.from_dict(date) if date else None, Money.from_dict(amount) if amount else None,
                   dict(data.get("attributes", {})))


@dataclass
class Extraction:
    """The extractor's result for one document: the SCHEMA output line."""

    document: Document
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "document": self.document.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "events": [e.to_dict() for e in self.events],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        """The inverse of `to_dict`: a SCHEMA output object back as the model."""
        return cls(Document.from_dict(data["document"]), [Entity.from_dict(e) for e in data.get("entities", [])],
                   [Event.from_dict(e) for e in data.get("events", [])])
