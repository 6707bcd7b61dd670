"""Near-duplicate detection: a 64-bit simhash over word shingles, compared by Hamming distance.

The same wire story republished on two sites differs by a byline, a dateline or a trailing line;
its simhash differs by a few bits while unrelated stories differ by about 32. Two documents are
near duplicates when their fingerprints are at most `MAX_DISTANCE` bits apart.

`NearDuplicateIndex` finds such a neighbour without comparing against every stored document: a
64-bit hash is cut into `MAX_DISTANCE + 1` bands, and by the pigeonhole principle two hashes at
distance <= MAX_DISTANCE agree exactly on at least one band.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

BITS = 64
SHINGLE = 3  # words per shingle
MAX_DISTANCE = 3
_BANDS = MAX_DISTANCE + 1
_BAND_BITS = BITS // _BANDS
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> list[str]:
    """Overlapping runs of `size` casefolded words ("the u s commerce", ...); short texts give one."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) <= size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i:i + size]) for i in range(len(words) - size + 1)]


def _hash64(feature: str) -> int:
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "big")


def simhash(text: str) -> int:
    """The 64-bit simhash of the text's word shingles (each shingle weighs once per occurrence)."""
    counts = [0] * BITS
    for feature in shingles(text):
        value = _hash64(feature)
        for bit in range(BITS):
            counts[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(BITS) if counts[bit] > 0)


def to_hex(value: int) -> str:
    """The 16-character hex form stored in documents.fingerprint."""
    return f"{value:016x}"


def from_hex(text: str) -> int:
    return int(text, 16)


def hamming(a: int, b: int) -> int:
    """Bits in which two fingerprints differ."""
    return (a ^ b).bit_count()


def bands(value: int) -> list[tuple[int, int]]:
    """(band number, band value) pairs: the keys under which a fingerprint is indexed."""
    mask = (1 << _BAND_BITS) - 1
    return [(n, value >> (n * _BAND_BITS) & mask) for n in range(_BANDS)]


class NearDuplicateIndex:
    """Fingerprints of original (non-duplicate) documents, in ingest order, by band."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._buckets: dict[tuple[int, int], list[tuple[int, str, int]]] = {}
        self._count = 0
        for document_id, fingerprint in items:
            self.add(document_id, fingerprint)

    def add(self, document_id: str, fingerprint: str) -> None:
        value = from_hex(fingerprint)
        self._count += 1
        for key in bands(value):
            self._buckets.setdefault(key, []).append((self._count, document_id, value))

    def find(self, fingerprint: str, max_distance: int = MAX_DISTANCE) -> str | None:
        """The earliest-added document within `max_distance` bits, or None."""
        value = from_hex(fingerprint)
        hits = [(order, document_id) for key in bands(value) for order, document_id, other in self._buckets.get(key, ())
                if hamming(value, other) <= max_distance]
        return min(hits)[1] if hits else None
