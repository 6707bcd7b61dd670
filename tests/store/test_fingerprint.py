"""Near duplicates: the same wire story on two sites is found and confirmed, different stories are not."""

from __future__ import annotations

import json

import pytest

from newsintel.store.fingerprint import (
    MAX_DISTANCE,
    MIN_CONTAINMENT,
    NearDuplicateIndex,
    containment,
    hamming,
    simhash,
    to_hex,
)
from tests.store.support import CORPUS


def _texts() -> list[str]:
    return [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _republications(text: str) -> dict[str, str]:
    """What another site does to a wire story."""
    paragraphs = text.split("\n\n")
    return {
        "typography": text.replace("\n\n", "\n").replace("—", "-").replace("'", "’").upper(),
        "dateline and credit": "LONDON (Wire) - " + text + "\n\nReporting by A. Writer; editing by B. Editor.",
        "extra line": text + "\n\nThis story was first published by our partner site.",
        "edited words": text.replace(" the ", " a ", 3),
        "last paragraph cut": "\n\n".join(paragraphs[:-1]) if len(paragraphs) > 2 else text[: len(text) * 4 // 5],
    }


@pytest.mark.parametrize("kind", list(_republications("a\n\nb\n\nc")))
def test_a_republished_story_is_a_confirmed_candidate(kind: str) -> None:
    for text in _texts()[:10]:
        copy = _republications(text)[kind]
        assert hamming(simhash(text), simhash(copy)) <= MAX_DISTANCE, kind
        assert containment(text, copy) >= MIN_CONTAINMENT, kind


def test_different_stories_are_mostly_far_apart_and_never_confirmed() -> None:
    texts = _texts()
    hashes = [simhash(t) for t in texts]
    distances = sorted(hamming(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1:])
    assert distances[len(distances) // 20] > MAX_DISTANCE  # 95% are no candidates at all
    assert max(containment(a, b) for i, a in enumerate(texts) for b in texts[i + 1:]) < MIN_CONTAINMENT / 2


def test_the_index_finds_the_nearest_confirmed_candidate() -> None:
    texts = _texts()
    index = NearDuplicateIndex([("first", to_hex(simhash(texts[1]))), ("other", to_hex(simhash(texts[2])))])
    index.add("second", to_hex(simhash(texts[1] + " Updated.")))
    index.add("again", to_hex(simhash(texts[1])))  # as near as "first": the earlier comes first
    copy = simhash(texts[1] + " (Reuters)")
    found = index.candidates(to_hex(copy))
    assert set(found) == {"first", "again", "second"} and found.index("first") + 1 == found.index("again")
    nearest = {"first": simhash(texts[1]), "again": simhash(texts[1]), "second": simhash(texts[1] + " Updated.")}
    assert [hamming(copy, nearest[d]) for d in found] == sorted(hamming(copy, nearest[d]) for d in found)
    copy_hex = to_hex(copy)
    assert index.find(copy_hex) == found[0]
    assert index.find(copy_hex, confirm=lambda other: other == "second") == "second"
    assert index.find(copy_hex, confirm=lambda other: False) is None
    assert index.find(to_hex(simhash(texts[3]))) is None


def test_the_index_grows_past_its_first_allocation() -> None:
    index = NearDuplicateIndex((f"d{i}", to_hex(i * 0x9E3779B97F4A7C15 % (1 << 64))) for i in range(3000))
    assert index.candidates(to_hex(2999 * 0x9E3779B97F4A7C15 % (1 << 64)), max_distance=0) == ["d2999"]
