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

__all__ = ["ClusterOptions", "ClusterStage", "Signature", "shingle_array", "shingle_hashes"]

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
    #: the most recent documents kept in memory as copy candidates (0: all)
    window: int = 200_000


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


def shingle_array(text: str, n: int = 5):
    """:func:`shingle_hashes` as a sorted, duplicate-free numpy ``uint32`` array."""
    import zlib

    import numpy as np

    norm = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    toks = _WORD.findall(norm)
    if len(toks) < n:
        return np.array([zlib.crc32(" ".join(toks).encode())] if toks else [], dtype=np.uint32)
    joined = [" ".join(toks[i:i + n]).encode() for i in range(len(toks) - n + 1)]
    return np.unique(np.fromiter((zlib.crc32(j) for j in joined), dtype=np.uint32, count=len(joined)))


class _BandIndex:
    """MinHash LSH over bands, held in flat numpy arrays (about 12 bytes per band per document).

    It finds exactly the documents datasketch's ``MinHashLSH`` with the same ``b`` bands
    of ``r`` rows would find: those that share all ``r`` values of at least one band.
    Each band is keyed by a 64-bit hash of its values; a key match is confirmed against
    the stored signature, so a hash collision never adds a candidate.  Keys are kept
    in one sorted array plus a small dict of recent inserts, merged in when it fills.
    """

    _MERGE_AT = 2048  # documents in the recent-insert buffer before a merge

    def __init__(self, b: int, r: int) -> None:
        import numpy as np

        self.b, self.r = b, r
        self._keys = np.empty(0, dtype=np.uint64)
        self._rows = np.empty(0, dtype=np.int32)
        self._recent: dict[int, list[int]] = {}
        self._recent_docs = 0
        seeds = np.random.RandomState(7).randint(1, 2**62, size=(b, r + 1), dtype=np.int64)
        self._mult = seeds.astype(np.uint64) | np.uint64(1)

    def band_keys(self, sig):
        import numpy as np

        bands = sig[: self.b * self.r].astype(np.uint64).reshape(self.b, self.r)
        with np.errstate(over="ignore"):
            h = self._mult[:, self.r].copy()
            for j in range(self.r):
                h = (h ^ bands[:, j]) * self._mult[:, j]
                h ^= h >> np.uint64(29)
        return h

    def insert(self, row: int, keys) -> None:
        for k in keys.tolist():
            self._recent.setdefault(k, []).append(row)
        self._recent_docs += 1
        if self._recent_docs >= self._MERGE_AT:
            self._merge()

    def _merge(self) -> None:
        import numpy as np

        if not self._recent:
            return
        ks, rs = [], []
        for k, rows in self._recent.items():
            ks.extend([k] * len(rows))
            rs.extend(rows)
        k = np.array(ks, dtype=np.uint64)
        r = np.array(rs, dtype=np.int32)
        order = np.argsort(k, kind="stable")
        k, r = k[order], r[order]
        at = np.searchsorted(self._keys, k, side="right")
        self._keys = np.insert(self._keys, at, k)
        self._rows = np.insert(self._rows, at, r)
        self._recent = {}
        self._recent_docs = 0

    def forget_before(self, first: int) -> None:
        """Drop every row below ``first``."""
        self._merge()
        keep = self._rows >= first
        self._keys, self._rows = self._keys[keep], self._rows[keep]

    def candidates(self, keys, sig, sigs, base: int = 0) -> set[int]:
        """Rows sharing at least one whole band with ``sig`` (``sigs[row - base]``: its signature)."""
        import numpy as np

        found: list[tuple[int, int]] = []  # (band, row)
        if len(self._keys):
            lo = np.searchsorted(self._keys, keys, side="left")
            hi = np.searchsorted(self._keys, keys, side="right")
            for band in np.nonzero(hi > lo)[0].tolist():
                found.extend((band, int(x)) for x in self._rows[lo[band]:hi[band]])
        recent = self._recent
        for band, k in enumerate(keys.tolist()):
            rows = recent.get(k)
            if rows:
                found.extend((band, x) for x in rows)
        out: set[int] = set()
        r = self.r
        for band, row in found:
            if row not in out and np.array_equal(sigs[row - base][band * r:(band + 1) * r],
                                                 sig[band * r:(band + 1) * r]):
                out.add(row)
        return out


@register_stage
class ClusterStage(Stage):
    name = "cluster"
    version = 1
    requires = ("article",)
    provides = ("cluster",)

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.options = settings.options("cluster", ClusterOptions)
        self._index: _BandIndex | None = None
        self._perm = None  # (a, b) MinHash permutations, from datasketch
        # one row per remembered document; numpy/bytes, no per-shingle Python objects.
        # Rows are numbered in insertion order; the lists below hold rows _base.. only
        # (older ones left memory when the window moved on).
        self._base = 0
        self._row: dict[str, int] = {}  # fingerprint -> row
        self._fps: list[str] = []
        self._seqs: list[int] = []
        self._mh = None  # (capacity, num_perm) uint32 signatures
        self._shingles: list[bytes] = []  # sorted little-endian uint32 per row
        self._by_row_cluster: list[str] = []
        self._parent: dict[str, str] = {}  # union-find over cluster ids
        self._cluster_seq: dict[str, int] = {}  # cluster id -> seq of its first member
        self._seq = 0
        self._new: list[int] = []

    # -- state ----------------------------------------------------------------------
    def setup(self, pipeline=None) -> None:
        self._ensure()

    def _ensure(self) -> None:
        if self._index is not None:
            return
        import numpy as np
        from datasketch import MinHash, MinHashLSH

        # the same bands datasketch would use for this threshold
        lsh = MinHashLSH(threshold=self.options.lsh_threshold, num_perm=self.options.num_perm)
        self._index = _BandIndex(lsh.b, lsh.r)
        mh = MinHash(num_perm=self.options.num_perm, seed=1, scheme="affine32")
        a, b = mh.permutations
        self._perm = (np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64))
        self._mh = np.empty((1024, self.options.num_perm), dtype=np.uint32)

    def _minhash(self, shingles):
        """128 uint32 MinHash values of an array of uint32 shingle hashes (datasketch's affine32)."""
        import numpy as np

        max_hash = (1 << 32) - 1
        if not len(shingles):
            return np.full(self.options.num_perm, max_hash, dtype=np.uint32)
        arr = np.asarray(shingles, dtype=np.uint64)
        a, b = self._perm
        mersenne = np.uint64((1 << 61) - 1)
        with np.errstate(over="ignore"):
            phv = np.bitwise_and((np.outer(arr, a) + b) % mersenne, np.uint64(max_hash))
        return phv.min(axis=0).astype(np.uint32)

    def _add(self, fp: str, cluster: str, seq: int, sig, shingles: bytes) -> int:
        import numpy as np

        i = len(self._fps)
        row = self._base + i
        if i >= len(self._mh):
            grown = np.empty((len(self._mh) * 2, self._mh.shape[1]), dtype=np.uint32)
            grown[:i] = self._mh[:i]
            self._mh = grown
        self._mh[i] = sig
        self._row[fp] = row
        self._fps.append(fp)
        self._seqs.append(seq)
        self._shingles.append(shingles)
        self._by_row_cluster.append(cluster)
        self._index.insert(row, self._index.band_keys(self._mh[i]))
        return row

    def _forget(self, k: int) -> None:
        """Let the ``k`` oldest rows leave memory (never one not yet drained)."""
        if self._new:
            k = min(k, self._new[0] - self._base)
        if k <= 0:
            return
        for fp in self._fps[:k]:
            del self._row[fp]
        for lst in (self._fps, self._seqs, self._shingles, self._by_row_cluster):
            del lst[:k]
        live = len(self._fps)
        self._mh[:live] = self._mh[k:k + live]
        self._base += k
        self._index.forget_before(self._base)
        # union-find: keep the clusters of the rows still in memory, pointing at their roots
        roots = {c: self._find(c) for c in set(self._by_row_cluster)}
        parent = dict(roots)
        parent.update({r: r for r in roots.values()})
        self._parent = parent
        self._cluster_seq = {c: self._cluster_seq[c] for c in parent if c in self._cluster_seq}

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
        import numpy as np

        self._ensure()
        rows = [s if isinstance(s, Signature) else Signature(*s) for s in signatures]
        rows.sort(key=lambda s: s.seq)
        first_seq: dict[str, int] = {}
        for s in rows:
            first_seq.setdefault(s.cluster, s.seq)
        for s in rows[-self.options.window:] if self.options.window else rows:
            if s.fingerprint in self._row:
                continue
            self._add(s.fingerprint, s.cluster, s.seq, np.frombuffer(s.minhash, dtype=np.uint32),
                      bytes(s.shingles))
            self._parent.setdefault(s.cluster, s.cluster)
            self._cluster_seq[s.cluster] = min(self._cluster_seq.get(s.cluster, s.seq), first_seq[s.cluster])
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
        for row in self._new:
            i = row - self._base
            fp = self._fps[i]
            out.append(Signature(fp, self.cluster_of(fp), self._seqs[i], self._mh[i].tobytes(),
                                 self._shingles[i]))
        self._new = []
        return out

    def cluster_of(self, fingerprint: str) -> str | None:
        row = self._row.get(fingerprint)
        c = self._by_row_cluster[row - self._base] if row is not None else None
        return self._find(c) if c else None

    # -- compute ------------------------------------------------------------------------
    def _confirm(self, a, b) -> bool:
        """Containment check on two sorted, duplicate-free uint32 arrays."""
        import numpy as np

        small, big = (a, b) if len(a) <= len(b) else (b, a)
        if not len(small) or len(big) > self.options.max_length_ratio * len(small):
            return False
        at = np.searchsorted(big, small)
        np.minimum(at, len(big) - 1, out=at)
        return int(np.count_nonzero(big[at] == small)) / len(small) >= self.options.containment

    def assign(self, text: str) -> str:
        """Cluster id for one body text (and remember it)."""
        import numpy as np

        self._ensure()
        window = self.options.window
        if window and len(self._fps) >= window + max(window // 8, 1):
            self._forget(len(self._fps) - window)
        fp = fingerprint_text(text)
        if fp in self._row:
            return self.cluster_of(fp) or fp
        sh = shingle_array(text, self.options.shingle_words)
        sig = self._minhash(sh)
        matches: list[str] = []
        min_sh = self.options.min_shingles
        if len(sh) >= min_sh:
            keys = self._index.band_keys(sig)
            base = self._base
            for cand in self._index.candidates(keys, sig, self._mh, base):
                other = np.frombuffer(self._shingles[cand - base], dtype="<u4")
                if len(other) >= min_sh and self._confirm(sh, other):
                    matches.append(self._fps[cand - base])
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
        row = self._add(fp, cluster, self._seq, sig, sh.astype("<u4").tobytes())
        self._seq += 1
        self._new.append(row)
        return self._find(cluster)

    def process_one(self, item: Item) -> dict[str, Any]:
        article = item.slots.get("article")
        if article is None or not article.text.strip():
            return {"cluster": None}
        return {"cluster": self.assign(article.text)}
