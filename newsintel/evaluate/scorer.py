"""Score extraction output against a gold file, exactly as ../shared/eval/score.py does.

The definitions (name normalisation, event tuples, gold alternatives, two-phase maximum matching,
date/amount agreement, entity and document-date scores) follow SCHEMA.md and score.py to the letter,
so `evaluate(...).to_dict()` equals score.py's result dict for the same inputs.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from newsintel.errors import InputError, NewsIntelError

# Required roles per event type (the optional ones are not scored). Same table as score.py.
REQUIRED_ROLES: dict[str, tuple[str, ...]] = {
    "partnership": ("party",),
    "acquisition": ("acquirer", "target"),
    "investment": ("recipient",),
    "sanction": ("imposer", "target"),
    "designation": ("designee",),
    "policy": ("issuer",),
    "contract": ("supplier",),
    "listing": ("company",),
    "expulsion": ("expeller", "expelled"),
    "position": ("person", "organization"),
}
SCORED_ENTITY_TYPES = frozenset({"country", "company", "organization", "person", "government_body"})
# Words dropped from names before comparing ("Huawei Technologies Co., Ltd." == "Huawei").
LEGAL_SUFFIXES = frozenset({
    "co", "company", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "group",
    "holding", "holdings", "plc", "llc", "sa", "ag", "gmbh", "technology", "technologies", "the",
})

# A role filler: an entity id, or (gold only) a tuple of alternative ids any of which may match.
RoleItem = Hashable
L = TypeVar("L")
R = TypeVar("R")


# --- names -------------------------------------------------------------------------------------


def normalize_name(name: str | None) -> str:
    """Fold case and accents, spell "&" as "and", drop punctuation and legal suffixes.

    When a name consists only of suffix words ("The Group") it is kept whole rather than emptied.
    """
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    words = re.sub(r"[^\w]+", " ", text).split()
    kept = [w for w in words if w not in LEGAL_SUFFIXES]
    return " ".join(kept or words)


def _name_set(forms: Sequence[str], entity_type: Any, country: Any) -> frozenset[str]:
    """Normalised names of one entity; a country also answers to "iso:XX" so ISO codes can match."""
    names = {normalize_name(f) for f in forms if f}
    if entity_type == "country" and country:
        names.add("iso:" + str(country).upper())
    return frozenset(names)


# --- one document's side -----------------------------------------------------------------------


@dataclass(frozen=True)
class EntityNames:
    """What the scorer knows of one entity: its type and every accepted normalised name."""

    type: Any
    names: frozenset[str]


@dataclass(frozen=True)
class EventTuple:
    """One scored unit: an event type and one filler per required role (a pair for partnership)."""

    type: str
    roles: tuple[RoleItem, ...]
    date: Any = None
    amount: Any = None


@dataclass
class Side:
    """One document's entities and event tuples, from the gold or from a system."""

    entities: dict[Hashable, EntityNames]
    tuples: list[EventTuple] = field(default_factory=list)


def alternatives(item: RoleItem) -> tuple[Hashable, ...]:
    """The entity ids a role filler stands for: a gold list of alternatives, or the one id."""
    return tuple(item) if isinstance(item, (list, tuple)) else (item,)


def _known(item: Any, entities: Mapping[Hashable, EntityNames], gold: bool) -> bool:
    """A filler counts only when every id it names is a listed entity (others are ignored).

    Only the gold may give a list of alternatives; a system filler is a single id.
    """
    if isinstance(item, (list, tuple)) and not gold:
        return False
    try:
        return all(e in entities for e in alternatives(item))
    except TypeError:  # an unhashable filler (a dict, a nested list) names no entity
        return False


def event_tuples(event: Mapping[str, Any], entities: Mapping[Hashable, EntityNames],
                 gold: bool = False) -> list[EventTuple]:
    """Split one event into tuples: partnership pairs, else the product of the required roles."""
    kind = event.get("type")
    if kind not in REQUIRED_ROLES:
        return []
    roles = event.get("roles") or {}

    def fillers(role: str) -> list[RoleItem]:
        return [_as_item(e) for e in roles.get(role) or [] if _known(e, entities, gold)]

    date, amount = event.get("date"), event.get("amount")
    if kind == "partnership":
        pairs = itertools.combinations(fillers("party"), 2)
        return [EventTuple(kind, pair, date, amount) for pair in pairs]
    combos = itertools.product(*(fillers(role) for role in REQUIRED_ROLES[kind]))
    return [EventTuple(kind, combo, date, amount) for combo in combos]


def _as_item(value: Any) -> RoleItem:
    """Gold alternatives arrive as JSON lists; freeze them so tuples stay hashable."""
    return tuple(value) if isinstance(value, list) else value


def _side(entities: dict[Hashable, EntityNames], events: Any, gold: bool) -> Side:
    side = Side(entities)
    for event in events or []:
        if isinstance(event, Mapping):
            side.tuples.extend(event_tuples(event, entities, gold))
    return side


def gold_side(doc: Mapping[str, Any]) -> Side:
    """The gold document: entities by key with all their accepted names."""
    entities: dict[Hashable, EntityNames] = {}
    for ent in doc.get("entities") or []:
        if "key" not in ent:
            raise NewsIntelError(f"gold document {doc.get('id')}: an entity has no \"key\"")
        names = _name_set(ent.get("names") or [], ent.get("type"), ent.get("country"))
        entities[ent["key"]] = EntityNames(ent.get("type"), names)
    return _side(entities, doc.get("events"), gold=True)


def system_side(doc: Mapping[str, Any]) -> Side:
    """A system document: an entity answers to its name, its aliases and its mention texts."""
    entities: dict[Hashable, EntityNames] = {}
    for ent in doc.get("entities") or []:
        forms = [ent.get("name", ""), *(ent.get("aliases") or [])]
        forms += [m.get("text", "") for m in ent.get("mentions") or []]
        names = _name_set(forms, ent.get("type"), ent.get("country"))
        entities[str(ent.get("id"))] = EntityNames(ent.get("type"), names)
    return _side(entities, doc.get("events"), gold=False)


# --- matching ----------------------------------------------------------------------------------


def same_entity(gold: Side, gold_item: RoleItem, system: Side, system_id: Hashable) -> bool:
    """Whether any accepted gold alternative shares a normalised name with the system entity."""
    theirs = system.entities[system_id].names
    return any(gold.entities[g].names & theirs for g in alternatives(gold_item))


def tuple_match(gold: Side, g: EventTuple, system: Side, s: EventTuple) -> bool:
    """Same type and every required role matches; partnership pairs match in either order."""
    if g.type != s.type:
        return False
    if g.type == "partnership":
        (a, b), (x, y) = g.roles, s.roles
        return (same_entity(gold, a, system, x) and same_entity(gold, b, system, y)) or (
            same_entity(gold, a, system, y) and same_entity(gold, b, system, x))
    return all(same_entity(gold, ge, system, se) for ge, se in zip(g.roles, s.roles, strict=False))


def max_matching(left: Sequence[L], right: Sequence[R], fits: Callable[[L, R], bool]) -> dict[int, int]:
    """Maximum bipartite matching by augmenting paths (Kuhn); returns left index -> right index.

    Same visiting order as score.py, so which pairs are chosen (not only how many) agrees.
    """
    options = [[j for j, r in enumerate(right) if fits(item, r)] for item in left]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(left)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def date_agrees(gold_date: Any, system_date: Any) -> bool:
    """The system date starts with the gold value, i.e. agrees at the gold's precision."""
    value = gold_date.get("value") if isinstance(gold_date, Mapping) else gold_date
    got = system_date.get("value") if isinstance(system_date, Mapping) else system_date
    return bool(got) and str(got).startswith(str(value))


def amount_agrees(gold_amount: Mapping[str, Any], system_amount: Any) -> bool:
    """Same currency (case-insensitive) and a value within 1% of the gold value."""
    if not system_amount or not isinstance(system_amount, Mapping):
        return False
    same_currency = (str(gold_amount.get("currency", "")).upper()
                     == str(system_amount.get("currency", "")).upper())
    gold_value, got = float(gold_amount["value"]), float(system_amount.get("value") or 0)
    return same_currency and abs(gold_value - got) <= 0.01 * abs(gold_value)


def details_agree(g: EventTuple, s: EventTuple) -> bool:
    """The system tuple also carries the gold date and amount, where the gold gives them."""
    date_ok = not g.date or date_agrees(g.date, s.date)
    amount_ok = not g.amount or amount_agrees(g.amount, s.amount)
    return date_ok and amount_ok


def two_phase_matching(gold: Side, system: Side) -> dict[int, int]:
    """Match detail-agreeing tuples first, so date and amount are judged on the right pair."""
    strict = max_matching(gold.tuples, system.tuples,
                          lambda g, s: tuple_match(gold, g, system, s) and details_agree(g, s))
    left = [i for i in range(len(gold.tuples)) if i not in strict]
    taken = set(strict.values())
    right = [j for j in range(len(system.tuples)) if j not in taken]
    rest = max_matching([gold.tuples[i] for i in left], [system.tuples[j] for j in right],
                        lambda g, s: tuple_match(gold, g, system, s))
    strict.update({left[a]: right[b] for a, b in rest.items()})
    return strict


def match_entities(gold: Side, system: Side, typed: bool) -> tuple[int, int, int]:
    """(gold, system, matched) counts of scored-type entities, matched by name (and type if typed)."""
    g_ents = [k for k, e in gold.entities.items() if e.type in SCORED_ENTITY_TYPES]
    s_ents = [k for k, e in system.entities.items() if e.type in SCORED_ENTITY_TYPES]

    def fits(g: Hashable, s: Hashable) -> bool:
        return same_entity(gold, g, system, s) and (
            not typed or gold.entities[g].type == system.entities[s].type)

    return len(g_ents), len(s_ents), len(max_matching(g_ents, s_ents, fits))


# --- results -----------------------------------------------------------------------------------


def f1_score(precision: float, recall: float) -> float:
    """Harmonic mean, 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Counts:
    """Gold, system and matched counts, with the precision/recall/F1 they give."""

    gold: int = 0
    system: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.system if self.system else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        return f1_score(self.precision, self.recall)

    def add(self, gold: int, system: int, matched: int) -> None:
        self.gold, self.system, self.matched = self.gold + gold, self.system + system, self.matched + matched

    def scores(self) -> dict[str, float]:
        """Rounded P/R/F1, as score.py reports them."""
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass
class Ratio:
    """Hits out of a total (date agreement etc.); the value is None when there is nothing to judge."""

    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    @property
    def value(self) -> float | None:
        return round(self.hits / self.total, 4) if self.total else None


@dataclass
class EvaluationResult:
    """Every score of one gold/system comparison; `to_dict` has score.py's keys and rounding."""

    documents: int = 0
    documents_answered: int = 0
    events: Counts = field(default_factory=Counts)
    date_accuracy: Ratio = field(default_factory=Ratio)
    amount_accuracy: Ratio = field(default_factory=Ratio)
    document_date_accuracy: Ratio = field(default_factory=Ratio)
    by_type: dict[str, Counts] = field(default_factory=dict)
    entities_typed: Counts = field(default_factory=Counts)
    entities_untyped: Counts = field(default_factory=Counts)

    @property
    def events_without_position(self) -> Counts:
        """Event counts over every type except `position` (the noisiest, most numerous type)."""
        core = Counts()
        for kind, c in self.by_type.items():
            if kind != "position":
                core.add(c.gold, c.system, c.matched)
        return core

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "documents_answered": self.documents_answered,
            "events": {**self.events.scores(), "gold": self.events.gold, "system": self.events.system,
                       "matched": self.events.matched},
            "date_accuracy": self.date_accuracy.value,
            "amount_accuracy": self.amount_accuracy.value,
            "document_date_accuracy": self.document_date_accuracy.value,
            "by_type": {kind: {"gold": c.gold, "system": c.system, "matched": c.matched,
                               "f1": round(c.f1, 4)} for kind, c in sorted(self.by_type.items())},
            "events_without_position": self.events_without_position.scores(),
            "entities_typed": self.entities_typed.scores(),
            "entities_untyped": self.entities_untyped.scores(),
        }


# --- public API --------------------------------------------------------------------------------


def load_jsonl(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read a gold or system JSON Lines file into {document id: line}; blank lines are skipped.

    The id is the line's "id", else its "document"."id". Raises InputError ("path:line: ...").
    """
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below; errors need the path
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror or error}") from error
    with handle:
        return _parse_lines(handle, str(path))


def parse_jsonl_lines(lines: Iterable[str], source: str) -> dict[str, dict[str, Any]]:
    """The same as `load_jsonl` for lines already open (standard input)."""
    return _parse_lines(lines, source)


def _parse_lines(lines: Iterable[str], path: str) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    number = 0
    try:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            source = f"{path}:{number}"
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(source, f"not JSON: {error}") from error
            if not isinstance(doc, dict):
                raise InputError(source, "not a JSON object")
            document = doc.get("document")
            ident = doc.get("id") or (document.get("id") if isinstance(document, dict) else None)
            if ident is None:
                raise InputError(source, "no document id")
            docs[str(ident)] = doc
    except UnicodeDecodeError as error:
        raise InputError(f"{path}:{number + 1}", f"not valid UTF-8 ({error.reason})") from error
    return docs


def _document_date_ok(gold_doc: Mapping[str, Any], system_doc: Mapping[str, Any]) -> bool:
    got = (system_doc.get("document") or {}).get("published")
    return bool(got) and str(got).startswith(str(gold_doc["published"]))


Docs = Mapping[str, Mapping[str, Any]]


def evaluate(gold: Docs, system: Docs) -> EvaluationResult:
    """Score every gold document against the system line of the same id (missing: empty answer)."""
    result = EvaluationResult(documents=len(gold), documents_answered=sum(1 for i in gold if i in system))
    for ident, gold_doc in gold.items():
        system_doc = system.get(ident, {})
        g_side, s_side = gold_side(gold_doc), system_side(system_doc)
        pairs = two_phase_matching(g_side, s_side)
        result.events.add(len(g_side.tuples), len(s_side.tuples), len(pairs))
        for t in g_side.tuples:
            result.by_type.setdefault(t.type, Counts()).gold += 1
        for t in s_side.tuples:
            result.by_type.setdefault(t.type, Counts()).system += 1
        for gi, si in pairs.items():
            g, s = g_side.tuples[gi], s_side.tuples[si]
            result.by_type[g.type].matched += 1
            if g.date:
                result.date_accuracy.add(date_agrees(g.date, s.date))
            if g.amount:
                result.amount_accuracy.add(amount_agrees(g.amount, s.amount))
        result.entities_typed.add(*match_entities(g_side, s_side, typed=True))
        result.entities_untyped.add(*match_entities(g_side, s_side, typed=False))
        if gold_doc.get("published"):
            result.document_date_accuracy.add(_document_date_ok(gold_doc, system_doc))
    return result


def _display_name(side: Side, item: RoleItem) -> str:
    """A readable name for a filler: its first normalised name in sort order, else its id."""
    first = alternatives(item)[0]
    names = side.entities[first].names
    return sorted(names)[0] if names else str(first)


def misses(gold: Docs, system: Docs) -> list[str]:
    """Unmatched tuples as tab-separated lines "id, missed|spurious, type, a | b", like score.py --misses."""
    lines: list[str] = []
    for ident, gold_doc in gold.items():
        g_side, s_side = gold_side(gold_doc), system_side(system.get(ident, {}))
        pairs = two_phase_matching(g_side, s_side)
        matched_s = set(pairs.values())
        for label, side, tuples, matched in (("missed", g_side, g_side.tuples, set(pairs)),
                                             ("spurious", s_side, s_side.tuples, matched_s)):
            for i, t in enumerate(tuples):
                if i not in matched:
                    names = " | ".join(_display_name(side, e) for e in t.roles)
                    lines.append(f"{ident}\t{label}\t{t.type}\t{names}")
    return lines
