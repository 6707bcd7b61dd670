"""The spaCy pipeline loads offline from its PyPI package, with our components in place."""

from __future__ import annotations

import pytest

from newsintel.errors import NewsIntelError
from newsintel.nlp.pipeline import load_base_model, load_pipeline


def test_pipeline_has_the_actor_ruler_before_the_ner_and_paragraph_breaks_before_the_parser() -> None:
    names = load_pipeline().pipe_names
    assert names.index("actor_ruler") < names.index("ner")
    assert names.index("newsintel_paragraphs") < names.index("parser")


def test_known_actor_keeps_its_reference_label() -> None:
    doc = load_pipeline()("Megvii and Yitu were tasked to cover image perception.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Megvii") == "company" and labels.get("Yitu") == "company"


def test_a_headline_line_is_its_own_sentence() -> None:
    doc = load_pipeline()("Huawei buys start-up\n\nThe company said on Monday it had bought Vocord.")
    assert next(doc.sents).text.strip() == "Huawei buys start-up"


def test_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(NewsIntelError, match="unknown spaCy model"):
        load_base_model("xx_no_such_model")
