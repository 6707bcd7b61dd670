"""A pipeline component that starts a new sentence at every paragraph or line break.

News text puts a headline, a dateline and the body on separate lines with no final period;
without this the parser glues a headline to the first sentence and mixes their arguments.
It runs before the parser, which keeps sentence starts that are already set.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("newsintel_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc
