"""From triggers to events: match, check modality, fill roles, merge repeats, date and price them.

The steps are pure functions over one parsed document so each can be tested on its own:
candidates (frames.py, positions.py) -> plausible (required roles, actor types) -> merged (one
event per occurrence) -> dated and priced -> `Event`s with evidence and a confidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from newsintel.extract.attributes import event_attributes
from newsintel.extract.entities import EntityIndex
from newsintel.extract.frames import Candidate, fill_roles, frame_applies
from newsintel.extract.modality import is_asserted
from newsintel.extract.money import find_money
from newsintel.extract.positions import find_positions
from newsintel.extract.roles import RoleFinder
from newsintel.extract.timex import find_dates
from newsintel.extract.triggers import Frame, Lexicon, TriggerMatcher
from newsintel.model import EVENT_ROLES, DateValue, Event, Money
from newsintel.model import Span as TextSpan
from newsintel.refdata import Gazetteer

# Which entity types may fill which roles; a role not listed takes any actor but a program.
ROLE_TYPES = {
    ("sanction", "imposer"): {"country", "government_body", "organization"},
    ("policy", "issuer"): {"country", "government_body", "person", "organization"},
    ("expulsion", "expeller"): {"country", "government_body", "organization"},
    ("designation", "designee"): {"company", "organization", "person", "government_body"},
    ("designation", "designator"): {"country", "government_body", "organization"},
    ("position", "person"): {"person"},
    ("position", "organization"): {"company", "organization", "government_body", "country"},
}
PRICED_TYPES = {"acquisition", "investment", "contract", "sanction", "listing", "partnership"}
# Roles a state fills through its own bodies: there a country and its ministry are one actor.
STATE_ROLES = {"imposer", "issuer", "expeller", "designator"}
ONE_EVENT_PER_ACTOR = {"contract": "supplier", "listing": "company"}
POSITION_FRAME = Frame(name="position-pattern", type="position", pos="ANY", lemmas=(), agent=None,
                       patient=None, preps={}, confidence=0.7)


@dataclass
class Dated:
    """A candidate with the date and amount of its sentence."""

    candidate: Candidate
    date: DateValue | None
    amount: Money | None
    confidence: float


class EventFinder:
    """Finds the events of parsed documents; one instance per spaCy vocabulary."""

    def __init__(self, doc_vocab: object, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer
        self.anchor_is_day = True
        self.matcher = TriggerMatcher(doc_vocab, lexicon)  # type: ignore[arg-type]

    def __call__(self, doc: Doc, index: EntityIndex, anchor: dt.date | None, anchor_is_day: bool = True) -> list[Event]:
        """`anchor` is the article date; `anchor_is_day` says whether its day is known (not just a month)."""
        self.anchor_is_day = anchor_is_day
        finder = RoleFinder(doc, index)
        candidates = self._trigger_candidates(doc, finder) + _position_candidates(doc, index)
        candidates = _with_context(candidates)
        types: dict[str, str] = {e.id: e.type for e in index.entities}
        plausible = [c for c in (_checked(c, types) for c in candidates) if c is not None]
        dated = [self._dated(c, anchor) for c in _split_per_actor(plausible)]
        merged = _merge(dated, _nations(index, self.gazetteer))
        return [_event(f"v{n}", d, anchor) for n, d in enumerate(merged, 1)]

    def _trigger_candidates(self, doc: Doc, finder: RoleFinder) -> list[Candidate]:
        found = []
        for frame, span in self.matcher(doc) + _named_lists(doc, finder, self.lexicon):
            trigger = span.root
            named = finder.index.entity_at(trigger.i)
            if named and finder.types.get(named) != "program":
                continue  # "Investment" in "Public Investment Fund" names an actor, not an event
            if not frame_applies(frame, trigger):
                continue
            if not is_asserted(trigger, span.sent, self.lexicon, allow_plans=frame.type == "listing"):
                continue
            found.append(fill_roles(frame, span, finder))
        return found + _investor_clauses(doc, finder, self.lexicon)

    def _dated(self, candidate: Candidate, anchor: dt.date | None) -> Dated:
        sentence = candidate.sentence
        trigger_at = candidate.trigger.start_char - sentence.start_char
        date = _nearest_date(sentence, trigger_at, anchor)
        if date is None and anchor is not None and sentence.start == 0 and self.anchor_is_day:
            date = DateValue(anchor.isoformat(), "day", "")  # a headline reports the news of its day
        elif date is None and anchor is not None and _present(candidate, self.lexicon):
            date = DateValue(str(anchor.year), "year", "")
        amount = None
        if candidate.type in PRICED_TYPES:
            monies = find_money(sentence.text)
            if monies:
                best = min(monies, key=lambda m: abs(m.start - trigger_at))
                amount = best.money
        confidence = candidate.frame.confidence - 0.15 * candidate.by_reference - 0.1 * candidate.from_context
        return Dated(candidate, date, amount, max(0.05, min(0.99, confidence)))


def _named_lists(doc: Doc, finder: RoleFinder, lexicon: Lexicon) -> list[tuple[Frame, Span]]:
    """A named list ("the Non-SDN Chinese Military-Industrial Complex Companies List") is a sanction
    trigger like "entity list", whatever its exact name."""
    frame = lexicon.frame("sanction-noun")
    found = []
    for start, end, ident in finder.index.mention_spans:
        if finder.types.get(ident) == "program" and doc[end - 1].lower_ in ("list", "blacklist") \
                and doc[start:end].text.lower() not in frame.lemmas:
            found.append((frame, doc[start:end]))
    return found


def _investor_clauses(doc: Doc, finder: RoleFinder, lexicon: Lexicon) -> list[Candidate]:
    """'X, whose backers include A and B' / 'X's investors include A': an investment in X."""
    frame = lexicon.frame("invest-noun")
    found = []
    for token in doc:
        if token.lemma_.lower() not in ("backer", "investor", "shareholder", "funder") or token.dep_ != "nsubj":
            continue
        verb = token.head
        if verb.lemma_.lower() not in ("include", "be", "comprise"):
            continue
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "attr")), None)
        owner = None
        if any(c.lower_ == "whose" for c in token.children) and verb.dep_ == "relcl":
            owner = verb.head
        else:
            owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if owner is None or obj is None:
            continue
        candidate = Candidate(frame, doc[token.i:token.i + 1])
        finder.resolved_by_reference = False
        candidate.add("recipient", finder.entities(owner))
        candidate.add("investor", finder.entities(obj, exclude=candidate.roles.get("recipient", [])))
        candidate.by_reference = finder.resolved_by_reference
        found.append(candidate)
    return found


def _position_candidates(doc: Doc, index: EntityIndex) -> list[Candidate]:
    found = []
    for match in find_positions(doc, index):
        candidate = Candidate(POSITION_FRAME, doc[match.start:match.end])
        candidate.roles = {"person": [match.person], "organization": [match.organization]}
        candidate.from_context = match.inferred
        if match.title:
            candidate.attributes["title"] = match.title
        if match.former or "former" in (match.title or "").lower():
            candidate.attributes["status"] = "former"
        found.append(candidate)
    return found


def _with_context(candidates: list[Candidate]) -> list[Candidate]:
    """Follow-up triggers count only inside an established frame; a sanction whose imposer is
    named elsewhere in the article borrows it ("they were blacklisted" after "the Commerce
    Department's entity list")."""
    established = {c.type for c in candidates if not c.frame.needs_context and _complete(c)}
    kept = [c for c in candidates if not c.frame.needs_context or c.type in established]
    for candidate in kept:
        if candidate.type != "sanction" or candidate.roles.get("imposer"):
            continue
        donor = next((d for d in kept if d.type == "sanction" and d.roles.get("imposer")), None)
        if donor is not None and candidate.roles.get("target"):
            candidate.roles["imposer"] = list(donor.roles["imposer"])
            candidate.from_context = True
    return kept


def _complete(candidate: Candidate) -> bool:
    required, _ = EVENT_ROLES[candidate.type]
    return all(candidate.roles.get(role) for role in required)


def _checked(candidate: Candidate, types: dict[str, str]) -> Candidate | None:
    """Keep only actors that can fill each role; drop events missing a required role."""
    roles: dict[str, list[str]] = {}
    for role, idents in candidate.roles.items():
        allowed = ROLE_TYPES.get((candidate.type, role))
        kept = [i for i in idents if types.get(i) != "program" and (allowed is None or types.get(i) in allowed)]
        if kept:
            roles[role] = kept
    candidate.roles = roles
    if candidate.type == "partnership":
        return candidate if len(set(roles.get("party", []))) >= 2 else None
    if not _complete(candidate):
        return None
    seen: list[str] = []
    for idents in roles.values():
        if set(idents) & set(seen):
            return None  # the same actor on both sides: a misparse
        seen.extend(idents)
    return candidate


def _split_per_actor(candidates: list[Candidate]) -> list[Candidate]:
    """'Both Megvii and SenseTime won contracts' is one contract per firm."""
    out = []
    for candidate in candidates:
        role = ONE_EVENT_PER_ACTOR.get(candidate.type)
        actors = candidate.roles.get(role or "", [])
        if role and len(actors) > 1:
            for actor in actors:
                copy = Candidate(candidate.frame, candidate.trigger, dict(candidate.roles),
                                 candidate.by_reference, candidate.from_context, dict(candidate.attributes))
                copy.roles[role] = [actor]
                out.append(copy)
        else:
            out.append(candidate)
    return out


def _nations(index: EntityIndex, gazetteer: Gazetteer) -> dict[str, str | None]:
    """For merging: each country and national body maps to its country's entity id (a city's or a
    province's government is not the state)."""
    by_iso = {e.country: e.id for e in index.entities if e.type == "country" and e.country}
    return {e.id: by_iso.get(e.country or "") for e in index.entities
            if e.type == "country" or (e.type == "government_body" and gazetteer.region(e.name) is None)}


def _compatible_dates(a: DateValue | None, b: DateValue | None) -> bool:
    return a is None or b is None or a.value.startswith(b.value) or b.value.startswith(a.value)


def _merge(dated: list[Dated], nation: dict[str, str | None]) -> list[Dated]:
    """One event per occurrence: same type, one's actors within the other's, dates compatible.

    A country and one of its own bodies count as the same actor here ("Washington puts Huawei on
    its blacklist" and "the Commerce Department added Huawei to the Entity List"); the more
    specific body is kept.
    """
    merged: list[Dated] = []
    for item in sorted(dated, key=lambda d: -sum(len(v) for v in d.candidate.roles.values())):
        roles = {r: set(v) for r, v in item.candidate.roles.items()}
        home = next((m for m in merged if m.candidate.type == item.candidate.type
                     and _compatible_dates(m.date, item.date)
                     and all(_covered(v, set(m.candidate.roles.get(r, [])), nation if r in STATE_ROLES else {})
                             for r, v in roles.items())),
                    None)
        if home is None:
            merged.append(item)
            continue
        for role, idents in roles.items():
            if role not in STATE_ROLES:
                continue
            home_ids = home.candidate.roles[role]
            for ident in idents - set(home_ids):  # a body replaces its own country
                home.candidate.roles[role] = [ident if nation.get(h) == h and nation.get(ident) == h else h
                                              for h in home_ids]
        home.date = _finer(home.date, item.date)
        home.amount = home.amount or item.amount
        home.confidence = min(0.99, max(home.confidence, item.confidence) + 0.05)
        for key, value in item.candidate.attributes.items():
            home.candidate.attributes.setdefault(key, value)
    return sorted(merged, key=lambda d: d.candidate.trigger.start)


def _covered(idents: set[str], home: set[str], nation: dict[str, str | None]) -> bool:
    """Every actor is in `home`, or is a country whose body is there, or a body whose country is."""
    home_nations = {nation.get(h) for h in home} - {None}
    return all(i in home or (nation.get(i) is not None and nation.get(i) in home_nations) for i in idents)


def _finer(a: DateValue | None, b: DateValue | None) -> DateValue | None:
    if a is None or b is None:
        return a or b
    return a if len(a.value) >= len(b.value) else b


def _nearest_date(sentence: Span, trigger_at: int, anchor: dt.date | None) -> DateValue | None:
    points = [t for t in find_dates(sentence.text, anchor) if t.kind == "point"]
    if not points:
        return None
    return min(points, key=lambda t: abs(t.start - trigger_at)).value


def _present(candidate: Candidate, lexicon: Lexicon) -> bool:
    """Stated in the present ('is raising', 'has won'): it happens around the article's date."""
    token = candidate.trigger.root
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    tags = {verb.tag_} | {c.tag_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return bool(tags & lexicon.present_tense_tags) and "VBD" not in tags


def _evidence(sentence: Span) -> TextSpan:
    """The supporting sentence without the line breaks that may trail it."""
    text = sentence.text.rstrip()
    return TextSpan(sentence.start_char, sentence.start_char + len(text), text)


def _event(ident: str, item: Dated, anchor: dt.date | None) -> Event:
    candidate = item.candidate
    sentence = candidate.sentence
    attributes = event_attributes(candidate, anchor)
    return Event(
        id=ident, type=candidate.type, roles={r: list(v) for r, v in candidate.roles.items()},
        evidence=[_evidence(sentence)],
        confidence=item.confidence, date=item.date, amount=item.amount, attributes=attributes,
    )
