"""Is a trigger stated as fact? Negation, modal verbs, questions, conditions and verbs of
intent ("considering", "denied") turn an occurrence into something that did not (yet) happen."""

from __future__ import annotations

from spacy.tokens import Span, Token

from newsintel.extract.triggers import Lexicon

ADJUNCT_PREPOSITIONS = {"after", "before", "since", "following", "despite", "amid", "because", "as", "over",
                        "during", "until"}


def _chain(trigger: Token, limit: int = 4) -> list[Token]:
    """The trigger and the verbs governing it, up to the clause that states it."""
    chain = [trigger]
    token = trigger
    while token.head is not token and len(chain) < limit:
        # Climb only through complements: an adjunct clause ("days after X barred Y") or a
        # coordinated one keeps its own modality.
        if token.dep_ not in ("xcomp", "dobj", "pobj", "prep", "compound", "amod", "acomp", "attr", "nsubjpass",
                              "nsubj", "ccomp", "pcomp", "auxpass", "aux"):
            break
        if token.dep_ == "prep" and token.lower_ in ADJUNCT_PREPOSITIONS:
            break
        token = token.head
        chain.append(token)
    return chain


def is_asserted(trigger: Token, sentence: Span, lexicon: Lexicon, allow_plans: bool = False) -> bool:
    """False when the sentence denies, doubts, asks or merely wishes what the trigger names."""
    if sentence.text.rstrip().endswith("?"):
        return False
    for token in _chain(trigger):
        for child in token.children:
            if child.dep_ == "neg" or (child.lower_ in lexicon.negators and child.dep_ in ("neg", "det", "advmod")):
                return False
            if child.dep_ == "aux" and child.lower_ in lexicon.hypothetical_aux and not _reported_future(child):
                return False
            if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                return False
        if token is not trigger and token.lemma_.lower() in lexicon.blocking_governors and not allow_plans:
            return False
    window = {t.lower_ for t in sentence}
    blocking = {w for w in lexicon.blocking_words if " " not in w}
    if allow_plans:
        blocking -= {"planned", "proposed", "potential", "possible"}
    close = {t.lower_ for t in sentence[max(0, trigger.i - sentence.start - 6): trigger.i - sentence.start + 6]}
    return not (blocking & close) and not ({"if", "unless"} & window and _in_condition(trigger))


REPORTING = {"say", "announce", "confirm", "tell", "state", "disclose", "report"}


def _reported_future(aux: Token) -> bool:
    """'X said it would invest': future-in-past of an announced decision, not a hypothetical."""
    if aux.lower_ != "would":
        return False
    clause = aux.head
    return clause.dep_ == "ccomp" and clause.head.lemma_.lower() in REPORTING


def _in_condition(trigger: Token) -> bool:
    token = trigger
    for _ in range(5):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in token.children):
            return True
        if token.head is token:
            break
        token = token.head
    return False
