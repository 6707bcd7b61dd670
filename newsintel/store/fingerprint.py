"""Near-duplicate detection: a 64-bit simhash over word shingles to find candidates, the shingles
themselves to confirm.

The same wire story republished on two sites differs by a byline, a dateline, a credit line, a few
edited words or a cut last paragraph; its simhash differs by a few bits up to 18 or so (a cut
paragraph moves it most), while unrelated stories differ by about 32. A stored document within
`MAX_DISTANCE` bits is a candidate (about one stored document in 6,000 is, by chance); it is the
same story when most of the shorter text's shingles occur in the other (`containment`).

`NearDuplicateIndex` compares a fingerprint with every stored one at once (numpy XOR and popcount:
about a millisecond per 100,000 documents), so any threshold costs the same.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

import numpy as np

BITS = 64
SHINGLE = 3  # words per shingle
MAX_DISTANCE = 20  # candidates; unrelated stories are 32 bits apart on average
MIN_CONTAINMENT = 0.5  # share of the shorter text's shingles found in the other: the same story
CONFIRM_AT_MOST = 3  # candidates whose text is compared, nearest first
_WORD = re.compile(r"\w+", re.UNICODE)
_SHIFTS = np.arange(BITS, dtype=np.uint64)


def shingles(text: str, size: int = SHINGLE) -> list[str]:
    """Overlapping runs of `size` casefolded words ("the u s commerce", ...); short texts give one."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) <= size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i:i + size]) for i in range(len(words) - size + 1)]


def _hash64(feature: str) -> int:
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "big")


def simhash(text: str) -> int:
    """The 64-bit simhash of the text's word shingles (each shingle weighs once per occurrence).

    Bit b is set when more shingle hashes have it set than not. Counted with numpy: the per-bit loop
    in Python cost more than the rest of storing a document.
    """
    features = shingles(text)
    if not features:
        return 0
    values = np.fromiter((_hash64(f) for f in features), dtype=np.uint64, count=len(features))
    ones = ((values[:, None] >> _SHIFTS) & np.uint64(1)).sum(axis=0)
    return sum(1 << bit for bit in range(BITS) if 2 * int(ones[bit]) > len(features))


def to_hex(value: int) -> str:
    """The 16-character hex form stored in documents.fingerprint."""
    return f"{value:016x}"


def from_hex(text: str) -> int:
    return int(text, 16)


def hamming(a: int, b: int) -> int:
    """Bits in which two fingerprints differ."""
    return (a ^ b).bit_count()


def containment(a: str | set[str], b: str | set[str]) -> float:
    """The share of the shorter text's shingles that occur in the other (1.0: one contains the other).
    Either text may be given as its set of shingles, computed once for several comparisons."""
    first = a if isinstance(a, set) else set(shingles(a))
    second = b if isinstance(b, set) else set(shingles(b))
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


class NearDuplicateIndex:
    """Fingerprints of original (non-duplicate) documents, in ingest order."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._values = np.empty(1024, dtype=np.uint64)
        self._ids: list[str] = []
        for document_id, fingerprint in items:
            self.add(document_id, fingerprint)

    def add(self, document_id: str, fingerprint: str) -> None:
        if len(self._ids) == len(self._values):  # grow by doubling: appends stay cheap on average
            self._values = np.concatenate([self._values, np.empty(len(self._values), dtype=np.uint64)])
        self._values[len(self._ids)] = from_hex(fingerprint)
        self._ids.append(document_id)

    def candidates(self, fingerprint: str, max_distance: int = MAX_DISTANCE) -> list[str]:
        """Documents within `max_distance` bits, nearest first (then earliest added)."""
        stored = self._values[:len(self._ids)]
        distances = np.bitwise_count(stored ^ np.uint64(from_hex(fingerprint)))
        near = np.flatnonzero(distances <= max_distance)
        return [self._ids[i] for i in near[np.argsort(distances[near], kind="stable")]]

    def find(self, fingerprint: str, confirm: Callable[[str], bool] | None = None,
             max_distance: int = MAX_DISTANCE) -> str | None:
        """The nearest candidate that `confirm` accepts (without one: the nearest), or None."""
        for document_id in self.candidates(fingerprint, max_distance)[:CONFIRM_AT_MOST]:
            if confirm is None or confirm(document_id):
                return document_id
        return None
