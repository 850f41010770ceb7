"""The cluster stage: copies and syndicated versions of one text share a cluster id.

Candidates come from MinHash LSH (datasketch) over word 5-gram shingles of the
boilerplate-stripped body; each candidate is then confirmed exactly: the
share of the *shorter* text's shingles found in the longer one (containment)
must reach ``containment`` (default 0.7) and the two lengths must not differ
by more than ``max_length_ratio``.  Independent write-ups of the same news
share facts and quotes but few 5-word sequences, so they stay apart.

The cluster id is the fingerprint of the earliest member the stage has seen
(input order, or the stored order when preloaded), so it is stable.

State lives in the stage instance (no globals).  For ``ingest``:

* ``stage.preload(signatures)`` seeds it from stored :class:`Signature` rows
  (table ``cluster_signatures``, see ``CLUSTER_SIGNATURES_SQL``);
* ``stage.drain()`` returns the signatures added since the last call, to be
  written by the store's single writer.
"""
from __future__ import annotations

import re
import struct
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from ..pipeline import Item, Stage, register_stage
from ..records import fingerprint_text

__all__ = ["ClusterOptions", "ClusterStage", "Signature", "shingle_hashes"]

_WORD = re.compile(r"\w+", re.U)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    #: words per shingle
    shingle_words: int = 5
    #: MinHash permutations
    num_perm: int = 128
    #: LSH Jaccard threshold for candidates (low: the exact check decides)
    lsh_threshold: float = 0.3
    #: confirmed copy when this share of the shorter text's shingles is in the longer
    containment: float = 0.7
    #: and the longer text has at most this many times the shorter's shingles
    max_length_ratio: float = 4.0
    #: texts with fewer shingles than this are only clustered by exact fingerprint
    min_shingles: int = 8


@dataclass(frozen=True, slots=True)
class Signature:
    fingerprint: str
    cluster: str
    seq: int
    minhash: bytes
    shingles: bytes

    def shingle_set(self) -> frozenset[int]:
        n = len(self.shingles) // 4
        return frozenset(struct.unpack(f"<{n}I", self.shingles)) if n else frozenset()


def shingle_hashes(text: str, n: int = 5) -> frozenset[int]:
    """uint32 hashes of the word n-grams of ``text`` (case, quotes and accents folded)."""
    import zlib

    norm = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    toks = _WORD.findall(norm)
    if len(toks) < n:
        return frozenset([zlib.crc32(" ".join(toks).encode())]) if toks else frozenset()
    return frozenset(zlib.crc32(" ".join(toks[i:i + n]).encode()) for i in range(len(toks) - n + 1))


@register_stage
class ClusterStage(Stage):
    name = "cluster"
    version = 1
    requires = ("article",)
    provides = ("cluster",)

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.options = settings.options("cluster", ClusterOptions)
        self._lsh = None
        self._sigs: dict[str, Signature] = {}
        self._sets: dict[str, frozenset[int]] = {}
        self._by_fp_cluster: dict[str, str] = {}
        self._parent: dict[str, str] = {}  # union-find over cluster ids
        self._cluster_seq: dict[str, int] = {}  # cluster id -> seq of its first member
        self._seq = 0
        self._new: list[str] = []

    # -- state ----------------------------------------------------------------------
    def _ensure(self) -> None:
        if self._lsh is None:
            from datasketch import MinHashLSH

            self._lsh = MinHashLSH(threshold=self.options.lsh_threshold, num_perm=self.options.num_perm)

    def _minhash(self, shingles: Iterable[int]):
        import numpy as np
        from datasketch import MinHash

        mh = MinHash(num_perm=self.options.num_perm, seed=1, scheme="affine32")
        arr = np.fromiter(shingles, dtype=np.uint64)
        if len(arr):
            # our shingles are already uint32 hashes: apply the permutations to them directly
            a, b = mh.permutations
            mersenne, max_hash = (1 << 61) - 1, (1 << 32) - 1
            phv = np.bitwise_and((np.outer(arr, a) + b) % mersenne, max_hash)
            mh.hashvalues = np.minimum(phv.min(axis=0), mh.hashvalues).astype(mh.hashvalues.dtype)
        return mh

    def _find(self, c: str) -> str:
        root = c
        while self._parent.get(root, root) != root:
            root = self._parent[root]
        while self._parent.get(c, c) != root:
            self._parent[c], c = root, self._parent[c]
        return root

    def _union(self, a: str, b: str, seq_of: dict[str, int]) -> str:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return ra
        keep, drop = (ra, rb) if seq_of.get(ra, 0) <= seq_of.get(rb, 0) else (rb, ra)
        self._parent[drop] = keep
        return keep

    def preload(self, signatures: Iterable[Signature | Sequence]) -> int:
        """Seed from stored signatures (any order); returns how many were loaded."""
        from datasketch import MinHash
        import numpy as np

        self._ensure()
        rows = [s if isinstance(s, Signature) else Signature(*s) for s in signatures]
        rows.sort(key=lambda s: s.seq)
        for s in rows:
            if s.fingerprint in self._sigs:
                continue
            mh = MinHash(num_perm=self.options.num_perm, seed=1, scheme="affine32",
                         hashvalues=np.frombuffer(s.minhash, dtype=np.uint32).copy())
            self._sigs[s.fingerprint] = s
            self._sets[s.fingerprint] = s.shingle_set()
            self._by_fp_cluster[s.fingerprint] = s.cluster
            self._parent.setdefault(s.cluster, s.cluster)
            self._cluster_seq[s.cluster] = min(self._cluster_seq.get(s.cluster, s.seq), s.seq)
            self._lsh.insert(s.fingerprint, mh)
            self._seq = max(self._seq, s.seq + 1)
        return len(rows)

    # -- corpus memory (loaded and drained by the ingest driver) ------------------------
    memory_tables = ("cluster_signatures",)

    def load_memory(self, rows: dict[str, list[tuple]]) -> None:
        self.preload(rows.get("cluster_signatures", ()))

    def drain_memory(self) -> dict[str, list[tuple]]:
        return {"cluster_signatures": [(s.fingerprint, s.cluster, s.seq, s.minhash, s.shingles)
                                       for s in self.drain()]}

    def drain(self) -> list[Signature]:
        """Signatures added since the last drain, with their current cluster ids."""
        out = []
        for fp in self._new:
            s = self._sigs[fp]
            out.append(Signature(s.fingerprint, self.cluster_of(fp), s.seq, s.minhash, s.shingles))
        self._new = []
        return out

    def cluster_of(self, fingerprint: str) -> str | None:
        c = self._by_fp_cluster.get(fingerprint)
        return self._find(c) if c else None

    # -- compute ------------------------------------------------------------------------
    def _confirm(self, a: frozenset[int], b: frozenset[int]) -> bool:
        small, big = (a, b) if len(a) <= len(b) else (b, a)
        if not small or len(big) > self.options.max_length_ratio * len(small):
            return False
        return len(small & big) / len(small) >= self.options.containment

    def assign(self, text: str) -> str:
        """Cluster id for one body text (and remember it)."""
        self._ensure()
        fp = fingerprint_text(text)
        if fp in self._sigs:
            return self.cluster_of(fp) or fp
        sh = shingle_hashes(text, self.options.shingle_words)
        mh = self._minhash(sh)
        matches: list[str] = []
        if len(sh) >= self.options.min_shingles:
            for cand in self._lsh.query(mh):
                other = self._sets.get(cand)
                if other is not None and len(other) >= self.options.min_shingles and self._confirm(sh, other):
                    matches.append(cand)
        seq_of = self._cluster_seq
        if matches:
            clusters = sorted({self.cluster_of(m) for m in matches if self.cluster_of(m)},
                              key=lambda c: seq_of.get(c, 0))
            cluster = clusters[0]
            for other in clusters[1:]:
                cluster = self._union(cluster, other, seq_of)
        else:
            cluster = fp
            self._parent.setdefault(fp, fp)
            self._cluster_seq.setdefault(fp, self._seq)
        packed = struct.pack(f"<{len(sh)}I", *sorted(sh))
        sig = Signature(fp, cluster, self._seq, mh.hashvalues.astype("uint32").tobytes(), packed)
        self._seq += 1
        self._sigs[fp] = sig
        self._sets[fp] = sh
        self._by_fp_cluster[fp] = cluster
        self._lsh.insert(fp, mh)
        self._new.append(fp)
        return self._find(cluster)

    def process_one(self, item: Item) -> dict[str, Any]:
        article = item.slots.get("article")
        if article is None or not article.text.strip():
            return {"cluster": None}
        return {"cluster": self.assign(article.text)}
