"""Simhash near duplicates: the same wire story on two sites is close, different stories are far."""

from __future__ import annotations

import json

from newsintel.store.fingerprint import MAX_DISTANCE, NearDuplicateIndex, hamming, simhash, to_hex
from tests.store.support import CORPUS


def _texts() -> list[str]:
    return [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_a_republished_story_is_within_three_bits() -> None:
    """Another site's copy: other quotes, dashes, line breaks and case. (Changed words cost more: one
    changed word moves 0-8 bits of a 500-word article, so only close copies count as duplicates.)"""
    for text in _texts()[:10]:
        copy = text.replace("\n\n", "\n").replace("—", "-").replace("'", "’").upper()
        assert hamming(simhash(text), simhash(copy)) <= MAX_DISTANCE
    assert hamming(simhash(_texts()[4]), simhash(_texts()[4].replace(" the ", " a ", 1))) <= MAX_DISTANCE


def test_different_stories_are_far_apart() -> None:
    hashes = [simhash(t) for t in _texts()]
    distances = [hamming(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1:]]
    assert min(distances) > MAX_DISTANCE


def test_the_index_finds_the_earliest_near_duplicate() -> None:
    text = _texts()[1]
    index = NearDuplicateIndex([("first", to_hex(simhash(text))), ("other", to_hex(simhash(_texts()[2])))])
    index.add("second", to_hex(simhash(text + " Updated.")))
    assert index.find(to_hex(simhash(text + " (Reuters)"))) == "first"
    assert index.find(to_hex(simhash(_texts()[3]))) is None
