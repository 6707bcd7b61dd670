"""From a trigger's syntax to the entities that fill its roles.

Arguments are found on the dependency parse (subject, object, passive 'by' agent, prepositions)
and expanded through coordination ("Megvii and SenseTime"), apposition and "including" lists.
A pronoun or a plain description ("the institute", "the tech giant") is resolved to the most
recent fitting entity nearby; such a role is marked so the event's confidence drops.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Token

from newsintel.extract.entities import EntityIndex

SUBJECT_DEPS = ("nsubj", "csubj")
PASSIVE_SUBJECT_DEPS = ("nsubjpass",)
# Heads of descriptions that stand for an entity of a given type.
DESCRIPTION_TYPES = {
    "company": {"company", "firm", "startup", "start-up", "giant", "group", "maker", "vendor", "manufacturer",
                "developer", "supplier", "provider", "operator", "carrier", "conglomerate", "business",
                "chipmaker", "unicorn", "lender", "insurer", "automaker", "carmaker"},
    "organization": {"institute", "university", "foundation", "academy", "organisation", "organization",
                     "centre", "center", "institution", "school", "think-tank", "tank", "lab", "laboratory"},
    "government_body": {"ministry", "department", "agency", "regulator", "commission", "bureau", "authority"},
}
PRONOUNS = {"it": ("company", "organization", "government_body"),
            "its": ("company", "organization", "government_body")}
PLURAL_PRONOUNS = {"they", "them", "their"}
# People who stand for their country when named by nationality: "seven Russian agents".
NATIONALS = {"agent", "diplomat", "official", "spy", "national", "citizen", "envoy", "officer", "staff",
             "intelligence", "operative", "military", "troop", "soldier", "hacker"}
# Collective nouns for a government: "Shenzhen's legislature" acts for Shenzhen's government.
GOVERNING = {"government", "legislature", "parliament", "legislator", "lawmaker", "authority", "regulator",
             "official", "administration", "cabinet", "ministry", "council", "congress", "leadership", "state"}
QUANTITY_HEADS = {"total", "number", "dozen", "dozens", "group", "some", "several", "all", "handful", "batch",
                  "string", "list", "couple", "few", "many", "hundreds", "scores", "most", "none"}
RELATIVE_PRONOUNS = {"which", "who", "that"}
REPORTING_VERBS = {"say", "report", "tell", "note", "add", "claim", "write", "state", "accord"}


class RoleFinder:
    """Maps argument tokens of one document to entity ids."""

    def __init__(self, doc: Doc, index: EntityIndex) -> None:
        self.doc = doc
        self.index = index
        self.types: dict[str, str] = {e.id: e.type for e in index.entities}
        self.sentence_starts = [s.start for s in doc.sents]
        self.resolved_by_reference = False  # set when the last lookup needed coreference

    # -- syntax ------------------------------------------------------------------------------

    @staticmethod
    def is_passive(verb: Token) -> bool:
        return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)

    def subject(self, verb: Token) -> Token | None:
        """The subject, also when it is shared: 'X has been active, acquiring Y' / 'X agreed to buy Y'."""
        token = verb
        for _ in range(4):
            subjects = [c for c in token.children
                        if c.dep_ in SUBJECT_DEPS or (c.dep_ in PASSIVE_SUBJECT_DEPS and token is not verb)]
            if subjects:
                # Two subjects happen when a dateline is parsed as one ("Berlin, 12 March - X agreed"):
                # the one nearest the verb is the real one.
                before = [c for c in subjects if c.i < token.i] or subjects
                child = min(before, key=lambda c: abs(token.i - c.i))
                if child.lower_ in RELATIVE_PRONOUNS and token.dep_ == "relcl":
                    return token.head  # "SoftBank, which bought Arm": the relative's antecedent
                return child
            if token.dep_ in ("relcl", "acl") and token is verb and not self.is_passive(token):
                return token.head
            if token.dep_ in ("xcomp", "ccomp") and token.head.pos_ in ("VERB", "AUX"):
                # object control: "led Washington to put ..." -> Washington
                obj = next((c for c in token.head.children if c.dep_ == "dobj"), None)
                if obj is not None and token.dep_ == "xcomp" and obj.i < token.i:
                    return obj
            if token.dep_ not in ("xcomp", "advcl", "conj", "ccomp", "pcomp", "acl", "relcl") or token.head is token:
                return None
            token = token.head
        return None

    @staticmethod
    def by_agent(verb: Token) -> Token | None:
        for child in verb.children:
            if child.dep_ == "agent":
                return next((g for g in child.children if g.dep_ == "pobj"), None)
        return None

    @staticmethod
    def direct_object(verb: Token) -> Token | None:
        return next((c for c in verb.children if c.dep_ in ("dobj", "dative")), None)

    def passive_subject(self, verb: Token) -> Token | None:
        found = next((c for c in verb.children if c.dep_ in PASSIVE_SUBJECT_DEPS), None)
        if found is None and verb.dep_ in ("acl", "relcl") and self.is_passive(verb) is False \
                and verb.tag_ == "VBN":
            return verb.head  # "a project launched by X": the head noun is the patient
        return found

    @staticmethod
    def prep_objects(token: Token) -> Iterable[tuple[str, Token]]:
        for child in token.children:
            if child.dep_ == "prep":
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        yield child.lower_, grand

    # -- entities ----------------------------------------------------------------------------

    def entities(self, head: Token | None, exclude: Iterable[str] = ()) -> list[str]:
        """Entity ids an argument names, through coordination, apposition and 'including'."""
        if head is None:
            return []
        excluded = set(exclude)
        found: list[str] = []
        for token in self._expanded(head):
            ident = self._entity_near(token)
            if ident and ident not in excluded and ident not in found:
                found.append(ident)
        if not found:
            ident_list = self._resolve_reference(head, excluded)
            if ident_list:
                self.resolved_by_reference = True
                found.extend(ident_list)
        return found

    def _expanded(self, head: Token) -> list[Token]:
        if head.lemma_.lower() in QUANTITY_HEADS or head.pos_ == "NUM":
            # "a total of 43 Russian diplomats", "dozens of firms": the real head follows 'of'
            inner = next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                          for g in c.children if g.dep_ == "pobj"), None)
            if inner is not None:
                head = inner
        tokens = [head, *head.conjuncts]
        for token in list(tokens):
            for child in token.children:
                if child.dep_ == "appos":
                    tokens.append(child)
                if child.dep_ == "prep" and child.lower_ in ("including", "like", "as", "among"):
                    for pobj in (g for g in child.children if g.dep_ == "pobj"):
                        tokens.extend([pobj, *pobj.conjuncts])
                        for appos in (g for g in pobj.children if g.dep_ == "appos"):
                            tokens.extend([appos, *appos.conjuncts])
        return tokens

    def _entity_near(self, token: Token) -> str | None:
        """The entity at a token, or named in its modifiers ('Russian agents', 'its members')."""
        ident = self.index.entity_at(token.i)
        if ident:
            return ident
        if token.pos_ == "PROPN":  # "Huawei Technologies Co Ltd": the parse heads on "Ltd"
            for child in token.children:
                if child.dep_ == "compound" and child.i < token.i and self.index.entity_at(child.i):
                    return self.index.entity_at(child.i)
        if token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in GOVERNING:
            # "Shenzhen's legislature", "legislators in Shanghai", "the Dutch government"
            for child in token.children:
                if child.dep_ in ("poss", "compound", "amod") and child.i < token.i:
                    ident = self.index.entity_at(child.i)
                elif child.dep_ == "prep" and child.lower_ in ("in", "of"):
                    pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                    ident = self.index.entity_at(pobj.i) if pobj is not None else None
                else:
                    continue
                if ident and self.types.get(ident) in ("country", "government_body"):
                    return ident
        if token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in NATIONALS:
            for child in token.children:
                if child.dep_ in ("amod", "compound", "nmod", "poss") and child.i < token.i:
                    ident = self.index.entity_at(child.i)
                    if ident and self.types.get(ident) == "country":
                        return ident
        return None

    def listed_after(self, head: Token | None, exclude: Iterable[str] = ()) -> list[str]:
        """'eight Chinese firms, among them A and B' / 'several firms including A': the named ones."""
        if head is None or head.pos_ != "NOUN" or head.tag_ != "NNS":
            return []
        sentence = head.sent
        found: list[str] = []
        opened = False
        for token in self.doc[head.i + 1:sentence.end]:
            if token.lower_ in ("among", "including", "such", ":", "namely"):
                opened = True
                continue
            if not opened:
                continue
            ident = self.index.entity_at(token.i)
            if ident and ident not in found and ident not in exclude \
                    and self.types.get(ident) in ("company", "organization", "government_body"):
                found.append(ident)
        return found

    def _sentence_index(self, token_i: int) -> int:
        idx = 0
        for n, start in enumerate(self.sentence_starts):
            if start <= token_i:
                idx = n
        return idx

    def _resolve_reference(self, head: Token, excluded: set[str]) -> list[str]:
        word = head.lower_
        wanted: tuple[str, ...] = ()
        if word in PRONOUNS:
            wanted = PRONOUNS[word]
            bound = self._clause_subject(head, excluded)
            if bound:
                return [bound]  # "X put Y on its list": 'its' is X's
            topic = self._previous_subject(head, excluded, wanted)
            if topic:
                return [topic]  # "X agreed to buy Y. In 2019 it bought Z": 'it' continues the subject
        elif word in PLURAL_PRONOUNS:
            return self._recent_group(head, excluded)
        elif head.pos_ == "NOUN" and any(c.lower_ in ("the", "this", "that") for c in head.children):
            modifiers = [c for c in head.children if c.dep_ in ("amod", "compound")]
            if len(modifiers) > 1:
                return []  # "the telecoms gear maker": too specific to guess from recency
            lemma = head.lemma_.lower()
            wanted = tuple(t for t, words in DESCRIPTION_TYPES.items() if lemma in words)
        if not wanted:
            return []
        first_sentence = self.sentence_starts[max(0, self._sentence_index(head.i) - 2)]
        best: tuple[int, str] | None = None
        for start, _end, ident in self.index.mention_spans:
            if first_sentence <= start < head.i and ident not in excluded and ident not in self.index.weak \
                    and self.types.get(ident) in wanted and (best is None or start > best[0]):
                best = (start, ident)
        return [best[1]] if best else []

    def _previous_subject(self, pronoun: Token, excluded: set[str], wanted: tuple[str, ...]) -> str | None:
        """The subject of the nearest earlier sentence (up to two back) that is a fitting entity."""
        here = self._sentence_index(pronoun.i)
        sentences = list(self.doc.sents)
        for back in range(here - 1, max(-1, here - 3), -1):
            root = sentences[back].root
            subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            ident = self._entity_near(subject) if subject is not None else None
            if ident and ident not in excluded and self.types.get(ident) in wanted:
                return ident
        return None

    def _clause_subject(self, pronoun: Token, excluded: set[str]) -> str | None:
        """For a possessive pronoun, the entity that is the subject of its clause, if any."""
        if pronoun.dep_ != "poss":
            return None
        token = pronoun.head
        for _ in range(5):
            if token.pos_ in ("VERB", "AUX"):
                subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is None or subject.i > pronoun.i:
                    return None
                ident = self._entity_near(subject)
                return ident if ident and ident not in excluded else None
            if token.head is token:
                return None
            token = token.head
        return None

    def _recent_group(self, head: Token, excluded: set[str]) -> list[str]:
        """'they' -> the latest coordinated group of entities before it in this or the last sentence."""
        first_sentence = self.sentence_starts[max(0, self._sentence_index(head.i) - 1)]
        for token in reversed(self.doc[first_sentence:head.i]):
            ident = self.index.entity_at(token.i)
            if ident and token.conjuncts:
                group = [self.index.entity_at(t.i) for t in (token, *token.conjuncts)]
                members = [g for g in dict.fromkeys(group) if g and g not in excluded]
                if len(members) > 1:
                    return sorted(members, key=lambda g: int(g[1:]))
        return []
