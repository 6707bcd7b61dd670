"""Fill one frame's roles around one trigger: the first step from a matched word to an event."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from newsintel.extract.roles import REPORTING_VERBS, RoleFinder
from newsintel.extract.triggers import Frame

LIST_VERBS = {"add", "put", "place", "include", "move", "blacklist", "list", "designate"}
CONTRACT_VERBS = {"win", "secure", "land", "clinch", "bag", "award"}
NOUN_CLIMB_DEPS = {"dobj", "pobj", "prep", "attr", "conj", "compound", "appos", "oprd", "nsubjpass", "pcomp"}


@dataclass
class Candidate:
    """A trigger with the roles found for it, before checks, merging and dating."""

    frame: Frame
    trigger: Span
    roles: dict[str, list[str]] = field(default_factory=dict)
    by_reference: bool = False
    from_context: bool = False
    attributes: dict[str, object] = field(default_factory=dict)

    @property
    def type(self) -> str:
        return self.frame.type

    @property
    def sentence(self) -> Span:
        return self.trigger.sent

    def add(self, role: str | None, idents: list[str]) -> None:
        if role is None:
            return
        bucket = self.roles.setdefault(role, [])
        bucket.extend(i for i in idents if i not in bucket)


def governing_verb(noun: Token) -> Token | None:
    """The verb a noun trigger hangs from: 'formed a partnership with' -> formed."""
    token = noun
    for _ in range(4):
        if token.dep_ not in NOUN_CLIMB_DEPS or token.head is token:
            return None
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token
    return None


def _object_words(verb: Token) -> set[str]:
    """Lemmas of the verb's object and prepositional phrases (where 'funding', 'contract' appear)."""
    words: set[str] = set()
    if (verb.dep_ in ("acl", "amod") and verb.tag_ == "VBN") or verb.dep_ == "relcl":
        # "equipment supplied by X", "the controls, which Washington announced": the head noun
        words.update({verb.head.lemma_.lower(), verb.head.lower_})
    for child in verb.children:
        if child.dep_ in ("dobj", "prep", "nsubjpass", "dative", "attr", "oprd", "xcomp", "advmod", "prt"):
            words.update(t.lemma_.lower() for t in child.subtree)
            words.update(t.lower_ for t in child.subtree)
    return words


def frame_applies(frame: Frame, trigger: Token) -> bool:
    """The frame's own conditions: the object it needs, the modifier, the governing verb."""
    if frame.requires_object:
        words = _object_words(trigger)
        money = any(t.ent_type_ == "MONEY" for c in trigger.children if c.dep_ == "dobj" for t in c.subtree)
        if not (words & frame.requires_object or (money and frame.requires_money_object)):
            return False
        if words & frame.excludes_object:
            return False
    if frame.requires_modifier:
        mods = {c.lower_ for c in trigger.children if c.dep_ in ("amod", "compound", "nmod", "poss")}
        mods |= {t.lower_ for t in trigger.lefts}
        if not (mods & frame.requires_modifier):
            return False
    if frame.cue_words:
        window = {t.lower_ for t in trigger.sent} | {t.lemma_.lower() for t in trigger.sent}
        if not (window & frame.cue_words):
            return False
    if frame.requires_prep_object:
        words = {t.lower_ for _, pobj in RoleFinder.prep_objects(trigger) for t in pobj.subtree}
        if not (words & frame.requires_prep_object):
            return False
    verb = governing_verb(trigger) if frame.pos == "NOUN" else None
    if frame.governing_verbs and (verb is None or verb.lemma_.lower() not in frame.governing_verbs):
        return False
    # "won a deal with a developer" is a contract, not a partnership
    return not (frame.type == "partnership" and frame.pos == "NOUN" and verb is not None
                and verb.lemma_.lower() in CONTRACT_VERBS)


def fill_roles(frame: Frame, span: Span, finder: RoleFinder) -> Candidate:
    """Find the entities in each of the frame's roles around the trigger."""
    trigger = span.root
    candidate = Candidate(frame, span)
    finder.resolved_by_reference = False
    if trigger.pos_ in ("VERB", "AUX"):
        _verb_roles(frame, trigger, finder, candidate)
    else:
        _noun_roles(frame, trigger, finder, candidate)
    candidate.by_reference = finder.resolved_by_reference
    return candidate


def _verb_roles(frame: Frame, verb: Token, finder: RoleFinder, candidate: Candidate) -> None:
    if finder.is_passive(verb) or (verb.dep_ in ("acl", "amod") and verb.tag_ == "VBN"):
        agent, patient = finder.by_agent(verb), finder.passive_subject(verb)
    else:
        agent, patient = finder.subject(verb), finder.direct_object(verb)
    candidate.add(frame.agent, finder.entities(agent))
    taken = [i for ids in candidate.roles.values() for i in ids]
    candidate.add(frame.patient, finder.entities(patient, exclude=taken) or finder.listed_after(patient, taken)
                  or (_barred_from(verb, finder, taken) if frame.type == "sanction" else []))
    _prep_roles(frame, verb, finder, candidate)
    if patient is not None:
        _prep_roles(frame, patient, finder, candidate)


def _noun_roles(frame: Frame, noun: Token, finder: RoleFinder, candidate: Candidate) -> None:
    for child in noun.children:
        if child.dep_ == "poss":
            candidate.add(frame.agent, finder.entities(child))
    if frame.type in ("partnership", "sanction", "policy"):
        # "Sino-Russian partnership", "U.S. sanctions", "a Russian-Chinese year of co-operation"
        for token in noun.subtree:
            if token.i < noun.i and token.dep_ in ("amod", "compound", "nmod", "npadvmod"):
                ident = finder.index.entity_at(token.i)
                if ident and (frame.type == "partnership" or finder.types.get(ident) == "country"):
                    candidate.add(frame.agent, [ident])
        if frame.type == "partnership" and len(candidate.roles.get("party", [])) < 2:
            candidate.add("party", _hyphen_pair(noun.sent, finder))
    _prep_roles(frame, noun, finder, candidate)
    for child in noun.children:  # "a plan unveiled by X", "the plan, which X released"
        if child.dep_ == "acl" and child.tag_ == "VBN":
            candidate.add(frame.agent, finder.entities(finder.by_agent(child)))
        elif child.dep_ == "relcl" and not candidate.roles.get(frame.agent or ""):
            subject = next((c for c in child.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.lower_ not in ("which", "that", "who"):
                candidate.add(frame.agent, finder.entities(subject))
    verb = governing_verb(noun)
    if frame.type == "sanction" and _preposition_before(candidate.trigger) in ("on", "to", "onto"):
        verb = verb if verb is not None and verb.lemma_.lower() in LIST_VERBS else _listing_verb(noun)
    if verb is None or (verb.lemma_.lower() in REPORTING_VERBS - LIST_VERBS):
        return
    if frame.type == "sanction" and verb.lemma_.lower() in LIST_VERBS and verb.i < noun.i:
        # "put X on the entity list", "X was added to the blacklist"
        patient = finder.passive_subject(verb) if finder.is_passive(verb) else finder.direct_object(verb)
        candidate.add("target", finder.entities(patient) or finder.listed_after(patient)
                      or _named_between(verb, noun, finder, candidate))
        agent = finder.by_agent(verb) if finder.is_passive(verb) else finder.subject(verb)
        if "imposer" not in candidate.roles:
            candidate.add("imposer", finder.entities(agent))
        return
    if frame.as_complement and (noun.dep_ in ("attr", "oprd") or noun.head.lower_ == "as"):
        subject = finder.passive_subject(verb) if finder.is_passive(verb) else finder.subject(verb)
        candidate.add(frame.as_complement, finder.entities(subject))
        candidate.add(frame.agent, finder.entities(finder.by_agent(verb)))
        return
    if frame.agent and (frame.agent == "party" or not candidate.roles.get(frame.agent)) \
            and noun.dep_ in ("dobj", "conj", "pobj", "attr"):
        subject = finder.by_agent(verb) if finder.is_passive(verb) else finder.subject(verb)
        taken = [i for ids in candidate.roles.values() for i in ids]
        candidate.add(frame.agent, finder.entities(subject, exclude=taken))
    _prep_roles(frame, verb, finder, candidate)


def _barred_from(verb: Token, finder: RoleFinder, taken: list[str]) -> list[str]:
    """'barred operators from buying Huawei equipment', 'prohibit firms from dealing with ByteDance':
    when those barred are not named, the firms they may no longer deal with are the target."""
    found: list[str] = []
    for clause in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"):
        for token in clause.subtree:
            ident = finder.index.entity_at(token.i)
            if ident and ident not in found and ident not in taken \
                    and finder.types.get(ident) in ("company", "organization"):
                found.append(ident)
    return found


def _preposition_before(span: Span) -> str | None:
    """The preposition that introduces a noun phrase: 'to' in 'to the Commerce Department's list'."""
    for token in reversed(span.doc[span.sent.start:span.start]):
        if token.dep_ == "prep" or token.pos_ == "ADP":
            return token.lower_
        if token.pos_ not in ("DET", "PROPN", "ADJ", "NOUN", "PART", "PRON", "PUNCT"):
            return None
    return None


def _listing_verb(noun: Token) -> Token | None:
    """The verb before 'on/to the list' when the parse does not attach the list to it."""
    for token in reversed(noun.doc[noun.sent.start:noun.i]):
        if token.lemma_.lower() in LIST_VERBS and token.pos_ in ("VERB", "AUX", "NOUN"):
            return token
    return None


def _named_between(verb: Token, noun: Token, finder: RoleFinder, candidate: Candidate) -> list[str]:
    """'added A (A1), a chipmaker, and B to the list': the actors named between verb and list."""
    found: list[str] = []
    taken = {i for ids in candidate.roles.values() for i in ids}
    for token in noun.doc[verb.i + 1:noun.i]:
        ident = finder.index.entity_at(token.i)
        if ident and ident not in found and ident not in taken and ident not in finder.index.weak \
                and finder.types.get(ident) in ("company", "organization", "person", "government_body"):
            found.append(ident)
    return found


def _hyphen_pair(sentence: Span, finder: RoleFinder) -> list[str]:
    """'Franco-Russian', 'Sino-U.S.': two countries joined by a hyphen name both sides."""
    for token in sentence[1:-1]:
        if token.text != "-":
            continue
        left = finder.index.entity_at(token.i - 1)
        right = finder.index.entity_at(token.i + 1)
        if left and right and left != right and finder.types.get(left) == finder.types.get(right) == "country":
            return [left, right]
    return []


def _prep_roles(frame: Frame, token: Token, finder: RoleFinder, candidate: Candidate) -> None:
    for prep, pobj in finder.prep_objects(token):
        role = frame.preps.get(prep)
        if role:
            taken = [i for ids in candidate.roles.values() for i in ids]
            candidate.add(role, finder.entities(pobj, exclude=taken if role != "party" else ()))
