"""Position events: who holds which title where.

News writes positions in a handful of shapes, which are matched around each person mention:
  "INRIA chief executive Bruno Sportisse", "Y's chief executive, X,"   (organisation, title, person)
  "Bruno Sportisse, chief executive of INRIA", "said X, director of Y"  (person, title, organisation)
  "Scott Kennedy of CSIS"                                              (person, of/at organisation)
  "Jane Roe is the Financial Times' reporter"                          (person, is, organisation's title)
  "a branch headed by Jane Roe", "Roe, who chairs X", "Y, which Roe founded"
  "X was appointed chief executive of Y", "Y removed X as chief executive" (tenure verbs; 'former' when it ends)
  "Committee chair X"                                                  (the body named by its kind)
A government title with no body named belongs to the country the title names ("Russian deputy minister"),
else to a ministry the article names that the title points at ("Commerce Secretary" -> the Commerce
Department), else to the country acting in the text around it, else to the article's main country.
A firm's title with no firm named ("Chief executive X said", "its chief executive, X") belongs to the
firm that is the subject of the text just before.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from newsintel.extract.entities import EntityIndex

SUBJECT_DEPS = ("nsubj", "nsubjpass")
GOVERNMENT_NOUNS = {"government", "cabinet", "administration", "authorities", "ministry", "state", "parliament"}
CONTEXT_OPENERS = {"DET", "PRON", "ADP", "VERB", "AUX", "PUNCT", "CCONJ", "SCONJ", "ADV"}
LOOKBACK_SENTENCES = 4


@dataclass(frozen=True)
class Titles:
    heads: frozenset[str]
    modifiers: frozenset[str]
    government: frozenset[str]
    leading_verbs: frozenset[str]
    legislative: frozenset[str] = frozenset()
    corporate: frozenset[str] = frozenset()
    portfolios: frozenset[str] = frozenset()
    body_nouns: frozenset[str] = frozenset()
    former_verbs: frozenset[str] = frozenset()


@dataclass
class PositionMatch:
    person: str
    organization: str
    title: str | None
    start: int  # token range of the supporting phrase
    end: int
    inferred: bool = False  # the organisation came from the article, not the phrase
    former: bool = False  # the text says the tenure ended ("stepped down as", "removed X as")


@lru_cache(maxsize=1)
def load_titles() -> Titles:
    raw = json.loads(resources.files("newsintel.data").joinpath("titles.json").read_text("utf-8"))
    keys = ("heads", "modifiers", "government", "leading_verbs", "legislative", "corporate", "portfolios",
            "body_nouns", "former_verbs")
    return Titles(*(frozenset(raw.get(k, ())) for k in keys))


@dataclass
class _Context:
    doc: Doc
    index: EntityIndex
    titles: Titles
    types: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    main_country: str | None = None

    def is_head(self, token: Token) -> bool:
        return token.lower_ in self.titles.heads or token.lemma_.lower() in self.titles.heads

    def is_title_word(self, token: Token) -> bool:
        return self.is_head(token) or token.lower_ in self.titles.modifiers

    def is_org(self, ident: str | None, government: bool = False) -> bool:
        kind = self.types.get(ident or "")
        return kind in ("company", "organization", "government_body") or (kind == "country" and government)

    def words(self, tokens: list[Token]) -> set[str]:
        return {t.lower_ for t in tokens} | {t.lemma_.lower() for t in tokens}


def find_positions(doc: Doc, index: EntityIndex) -> list[PositionMatch]:
    ctx = _Context(doc, index, load_titles())
    ctx.types = {e.id: e.type for e in index.entities}
    ctx.names = {e.id: e.name for e in index.entities}
    counts = Counter(i for _, _, i in index.mention_spans if ctx.types.get(i) == "country")
    ctx.main_country = counts.most_common(1)[0][0] if counts else None
    found: list[PositionMatch] = []
    previous: PositionMatch | None = None
    for start, end, ident in sorted(index.mention_spans):
        if ctx.types.get(ident) != "person" or all(ctx.is_title_word(t) for t in doc[start:end]):
            continue
        before = _title_before(ctx, start, end, ident, previous)
        others = (_is_title(ctx, start, end, ident), _led_by(ctx, start, end, ident), _tenure(ctx, start, end, ident))
        matches = ([before] if before else []) + _title_after(ctx, start, end, ident) + [m for m in others if m]
        if any(not m.inferred and not m.former for m in matches):  # a firm guessed from context yields
            matches = [m for m in matches if not m.inferred or ctx.types.get(m.organization) == "country"]
        seen: set[str] = set()
        for match in matches:
            if match.organization not in seen and match.organization != ident:
                seen.add(match.organization)
                found.append(match)
        previous = matches[0] if matches else None
    return found


def _root(doc: Doc, start: int, end: int) -> Token:
    return next((t for t in doc[start:end] if not start <= t.head.i < end or t.head is t), doc[end - 1])


def _is_subject(token: Token) -> bool:
    if token.dep_ in SUBJECT_DEPS:
        return True
    return (token.dep_ in ("amod", "compound", "poss") and token.head.dep_ in SUBJECT_DEPS
            and token.head.lemma_.lower() in GOVERNMENT_NOUNS)  # "The Dutch government said"


def _context_actor(ctx: _Context, pos: int, kinds: tuple[str, ...], strict: bool) -> str | None:
    """The actor of the given kinds that the text just before `pos` is about: the nearest one before it in
    its own sentence (a subject only when `strict`), else the subject of one of the sentences before."""
    doc = ctx.doc
    sentence = doc[pos].sent
    spans = sorted((s, e, i) for s, e, i in ctx.index.mention_spans if ctx.types.get(i) in kinds)
    for s, e, ident in reversed(spans):
        if sentence.start <= s and e <= pos:
            token = _root(doc, s, e)
            demonym = token.pos_ == "ADJ" or token.ent_type_ == "NORP"
            loose = not demonym or token.head.lemma_.lower() in GOVERNMENT_NOUNS
            if any(_is_subject(t) for t in doc[s:e]) or (not strict and loose):
                return ident
    sentences = list(doc.sents)
    number = next(n for n, sent in enumerate(sentences) if sent.start == sentence.start)
    for sent in reversed(sentences[max(0, number - LOOKBACK_SENTENCES):number]):
        for s, e, ident in spans:
            if sent.start <= s < sent.end and any(_is_subject(t) for t in doc[s:e]):
                return ident
    return None


def _government_org(ctx: _Context, tokens: list[Token], pos: int) -> tuple[str, bool] | None:
    """Whose government a title belongs to: (organisation, inferred from context)."""
    words = ctx.words(tokens)
    if words & ctx.titles.legislative:  # "the Italian lawmaker who steered the bill through Parliament"
        house = next((e.id for e in ctx.index.entities if e.type == "government_body" and {w.lower() for w in
                      e.name.split()} & {"parliament", "congress", "senate", "assembly"}), None)
        if house:
            return house, False
    named = next((ctx.index.entity_at(t.i) for t in tokens if ctx.types.get(ctx.index.entity_at(t.i) or "")
                  == "country"), None)
    if named:
        return named, False
    wanted = {w.removesuffix("er") for w in words & ctx.titles.portfolios}
    for entity in ctx.index.entities:
        name = {w.lower().strip(".,") for w in entity.name.split()}
        if entity.type == "government_body" and name & wanted:
            return entity.id, False
    country = _context_actor(ctx, pos, ("country",), strict=False)
    if country:
        return country, True
    return (ctx.main_country, True) if ctx.main_country else None


def _title_before(ctx: _Context, start: int, end: int, person: str,
                  previous: PositionMatch | None) -> PositionMatch | None:
    """'INRIA chief executive X', 'Commerce Secretary X', 'Its chief executive, X,', 'Committee chair X'."""
    doc = ctx.doc
    floor = doc[start].sent.start
    last = start - 1
    if last > floor and doc[last].text == "," and doc[start - 2].sent.start == floor:
        last -= 1  # an appositive: "its chief executive, X"
        if last - 2 > floor and doc[last - 1].lower_ in ("in", "to", "at") and doc[last].pos_ == "PROPN":
            last -= 2  # "China's ambassador in London, X"
    of_title = (last - 2 >= floor and doc[last].lower_ in ctx.titles.modifiers and doc[last - 1].lower_ == "of"
                and ctx.is_head(doc[last - 2]))  # "Secretary of State X"
    if last < floor or not (ctx.is_head(doc[last]) or of_title):
        return None
    i = last
    while i >= floor:
        inner_of = doc[i].lower_ == "of" and i - 1 >= floor and ctx.is_head(doc[i - 1]) and i < last
        if not (ctx.is_title_word(doc[i]) or inner_of):  # "Secretary of State X"
            break
        i -= 1
    while i + 1 < last and doc[i + 1].lower_ in ("and", "-"):
        i += 1  # "..., executive chairman Eric Jing and chief executive Simon Hu"
    tokens = list(doc[i + 1:last + 1])
    title = " ".join(t.text for t in tokens).replace(" - ", "-")
    words = ctx.words(tokens)
    government = bool(words & ctx.titles.government)
    org = ctx.index.entity_at(i) if i >= floor else None
    if org is None and i >= floor + 1 and doc[i].text in ("'s", "'"):
        org = ctx.index.entity_at(i - 1)
    if not government and ctx.types.get(org or "") == "country" and i > floor \
            and ctx.is_org(ctx.index.entity_at(i - 1)):
        org = ctx.index.entity_at(i - 1)  # "Huawei UK spokesman X": the firm's national arm
    if ctx.is_org(org, government) and org != person:
        j = i
        while j > floor and ctx.index.entity_at(j - 1) == org:
            j -= 1
        former = j > floor and doc[j - 1].lower_ in ("former", "ex")  # "former Toshiba chairman X"
        return PositionMatch(person, org or "", title, max(j - former, floor), end, former=former)
    if i >= floor and doc[i].lemma_.lower() in ctx.titles.body_nouns and org is None:
        body = _named_body(ctx, doc[i])
        if body:
            return PositionMatch(person, body, title, i, end)
        if doc[i].lemma_.lower() in GOVERNMENT_NOUNS:
            government = True
            tokens = [doc[i - 1], doc[i], *tokens] if i > floor else tokens
    if government:
        found = _government_org(ctx, tokens, i + 1)
        if found:
            return PositionMatch(person, found[0], title, i + 1, end, inferred=found[1])
        return None
    if (words & ctx.titles.corporate and previous is not None and i >= floor + 1 and doc[i].lower_ in (",", "and")
            and previous.end >= i - 1 and previous.start < i and not previous.inferred):
        return PositionMatch(person, previous.organization, title, i, end)  # "A's founder X, chairman Y"
    opener = i < floor or doc[i].pos_ in CONTEXT_OPENERS or doc[i].text in ("'s", "'")
    if words & ctx.titles.corporate and opener:
        company = _context_actor(ctx, i + 1, ("company", "organization"), strict=True)
        if company and company != person:
            return PositionMatch(person, company, title, i + 1, end, inferred=True)
    return None


def _named_body(ctx: _Context, noun: Token) -> str | None:
    """'Committee chair X', 'Foreign ministry spokesman X': an entity of the article whose name holds the
    body's words."""
    phrase = [t for t in noun.subtree if t.i <= noun.i and t.is_alpha and t.pos_ != "DET"] or [noun]
    wanted = {t.lemma_.lower() for t in phrase} | {noun.lower_}
    for entity in ctx.index.entities:
        name = {w.lower().strip(".,'") for w in entity.name.replace("-", " ").split()}
        if entity.type in ("government_body", "organization", "company") and noun.lemma_.lower() in name \
                and len(wanted & name) >= min(2, len(wanted)):
            return entity.id
    return None


def _title_after(ctx: _Context, start: int, end: int, person: str) -> list[PositionMatch]:
    """'X, chief executive of Y', 'X, Y's chief executive and a former Z executive,', 'X, professor, Y.'"""
    doc = ctx.doc
    if end >= len(doc):
        return []
    sentence_end = doc[start].sent.end
    if doc[end].lower_ in ("of", "at") and end + 1 < sentence_end:
        j = end + 1 + (doc[end + 1].lower_ == "the")
        org = ctx.index.entity_at(j) if j < sentence_end else None
        if ctx.is_org(org):
            return [PositionMatch(person, org or "", None, start, j + 1)]
    if doc[end].text != ",":
        return []
    limit = min(sentence_end, end + 16)
    window: list[Token] = []
    title_tokens: list[Token] = []
    candidates: list[tuple[str, int]] = []
    for k in range(end + 1, limit):
        token = doc[k]
        if token.text in (".", ";", ",") or token.dep_ == "relcl":
            break
        window.append(token)
        ident = ctx.index.entity_at(k)
        if ident and ident != person and ident not in [c for c, _ in candidates]:
            if ctx.types.get(ident) == "person":
                break
            candidates.append((ident, k))
        elif not candidates:
            title_tokens.append(token)
    if not any(ctx.is_head(t) for t in window):
        return []
    stop = end + 1 + len(window)
    if stop + 1 < sentence_end and doc[stop].text == ",":  # "X, professor of history, Lancaster University."
        affiliation = ctx.index.entity_at(stop + 1)
        after = stop + 1
        while after < sentence_end and ctx.index.entity_at(after) == affiliation:
            after += 1
        if ctx.is_org(affiliation) and (after >= sentence_end or doc[after].is_punct):
            candidates = [(affiliation or "", stop + 1)]
    government = bool(ctx.words(window) & ctx.titles.government)
    former = any(t.lower_ == "former" for t in title_tokens)
    if ctx.words(window) & ctx.titles.legislative:  # a lawmaker belongs to the house the text names
        house = _government_org(ctx, window, start)
        if house and ctx.types.get(house[0]) == "government_body":
            head = next(t.text for t in window if ctx.words([t]) & ctx.titles.legislative)
            return [PositionMatch(person, house[0], head, start, end + 1 + len(window))]
    orgs = [c for c in candidates if ctx.is_org(c[0])] or [c for c in candidates if ctx.is_org(c[0], government)]
    title = " ".join(t.text for t in title_tokens).strip(" ,") or None
    if orgs:
        found = [PositionMatch(person, orgs[0][0], title, start, stop, former=former)]
        for org, k in orgs[1:]:  # "Y's chief executive and a former Z executive"
            between = doc[orgs[0][1]:k + 3]
            if any(t.lower_ == "former" for t in between) and any(ctx.is_head(t) for t in doc[k:k + 3]):
                found.append(PositionMatch(person, org, "former", start, stop, former=True))
        return found
    if government:
        inferred = _government_org(ctx, window, start)
        if inferred:
            return [PositionMatch(person, inferred[0], title, start, stop, inferred=inferred[1])]
    return []


def _is_title(ctx: _Context, start: int, end: int, person: str) -> PositionMatch | None:
    doc = ctx.doc
    if end >= len(doc) or doc[end].lemma_ != "be":
        return None
    limit = min(doc[start].sent.end, end + 10)
    org = next((ctx.index.entity_at(k) for k in range(end + 1, limit) if ctx.is_org(ctx.index.entity_at(k))), None)
    head = next((doc[k] for k in range(end + 1, limit) if ctx.is_head(doc[k])), None)
    if org and head is not None:
        return PositionMatch(person, org, head.text, start, limit)
    return None


def _led_by(ctx: _Context, start: int, end: int, person: str) -> PositionMatch | None:
    """'a branch headed by X' (the branch's owner), 'X, who chairs Y', 'Y, which X founded', 'X heads Y'."""
    doc, leading = ctx.doc, ctx.titles.leading_verbs
    by = start - 1
    while by > 0 and (ctx.is_title_word(doc[by]) or doc[by].is_space):
        by -= 1
    if by >= 1 and doc[by].lower_ == "by" and doc[by - 1].lemma_.lower() in leading:
        token: Token = doc[by - 1]
        for _ in range(4):
            ident = ctx.index.entity_at(token.i)
            if ident and ctx.is_org(ident):
                return PositionMatch(person, ident, doc[by - 1].lemma_, token.i, end)
            subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is not None and ctx.is_org(ctx.index.entity_at(subject.i)):
                return PositionMatch(person, ctx.index.entity_at(subject.i) or "", doc[by - 1].lemma_,
                                     subject.i, end)
            if token.head is token:
                break
            token = token.head
    person_token = _root(doc, start, end)
    for child in person_token.children:
        if child.dep_ == "relcl" and child.lemma_.lower() in leading:
            obj = next((c for c in child.children if c.dep_ == "dobj"), None)
            org = ctx.index.entity_at(obj.i) if obj is not None else None
            if ctx.is_org(org):
                return PositionMatch(person, org or "", child.lemma_, start, obj.i + 1 if obj else end)
    verb = person_token.head
    if person_token.dep_ == "nsubj" and verb.lemma_.lower() in leading:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        org = ctx.index.entity_at(obj.i) if obj is not None else None
        if not ctx.is_org(org) and verb.dep_ == "relcl" and obj is not None and obj.tag_ == "WDT":
            org = ctx.index.entity_at(verb.head.i)  # "Huawei, which X founded"
        if ctx.is_org(org):
            return PositionMatch(person, org or "", verb.lemma_, min(start, verb.i), max(end, verb.i + 1))
    return None


def _tenure(ctx: _Context, start: int, end: int, person: str) -> PositionMatch | None:
    """'Y appointed X as chief executive', 'X stepped down as chief executive', 'X was named minister of Y'."""
    doc = ctx.doc
    token = _root(doc, start, end)
    while token.dep_ == "conj" and token.head.i < token.i:
        token = token.head  # "appointed A and B as co-chief executives"
    verb = token.head
    clause = next((c for n in [token, *(a for a in token.children if a.dep_ == "appos")] for c in n.children
                   if c.dep_ == "relcl" and any(s.lower_ in ("who", "that") for s in c.children)), None)
    if clause is not None:  # "X, who replaced Y as ...", "X, a Singaporean who was previously CFO of Y"
        verb = clause
        token = next(c for c in clause.children if c.lower_ in ("who", "that"))
    elif token.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return None
    role = None
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "as":
            role = next((c for c in child.children if c.dep_ == "pobj"), None)
        elif child.dep_ in ("oprd", "attr") and child.i > token.i:
            role = child
        if role is not None and ctx.is_head(role):
            break
        role = None
    if role is None:
        return None
    phrase = sorted(role.subtree, key=lambda t: t.i)
    head_end = role.i + 1
    title_tokens = [t for t in phrase if t.i < head_end and t.dep_ not in ("poss", "case", "det")
                    and not ctx.index.entity_at(t.i)]
    title = " ".join(t.text for t in title_tokens).replace(" - ", "-")
    lemma = verb.lemma_.lower()
    former = lemma in ctx.titles.former_verbs and (token.dep_ != "nsubj" or lemma not in ("replace", "succeed"))
    former = former or any(c.lower_ in ("previously", "formerly", "once") for c in verb.children)
    span = (min(start, verb.i), max(end, phrase[-1].i + 1))
    government = bool(ctx.words(title_tokens) & ctx.titles.government)
    org = next((ctx.index.entity_at(t.i) for t in phrase if ctx.is_org(ctx.index.entity_at(t.i), government)), None)
    if org:
        return PositionMatch(person, org, title, *span, former=former)
    if government:
        found = _government_org(ctx, phrase, role.i)
        return PositionMatch(person, found[0], title, *span, inferred=found[1], former=former) if found else None
    climb: Token = verb
    for _ in range(3):
        subject = next((c for c in climb.children if c.dep_ in SUBJECT_DEPS and c.i != token.i), None)
        ident = ctx.index.entity_at(subject.i) if subject is not None else None
        if ctx.is_org(ident):
            return PositionMatch(person, ident or "", title, *span, former=former)
        if (subject is not None and subject.pos_ != "PRON") or climb.head is climb:
            break
        climb = climb.head
    return None
