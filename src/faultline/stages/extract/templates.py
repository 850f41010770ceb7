"""Site-template learning: blocks that repeat across pages of one site are boilerplate.

:class:`TemplateMemory` counts, per site, in how many distinct documents each
normalised block occurs.  The extraction stage consults it (a block seen on
``min_docs`` *other* pages of the same site is furniture) and feeds it with
every page it extracts, so extraction improves as a corpus grows.

Persistence is the ingest driver's job (the store has one writer).  The store
keeps *membership* rows ``(site, block_hash, doc_id, sample)`` in the
``site_template_docs`` table, so a page ingested twice is still one page:

* before a run: ``memory.load(rows)`` with the stored membership rows;
* after each batch: ``memory.drain()`` returns the new membership rows,
  committed with the batch (``INSERT OR IGNORE``).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Sequence

__all__ = ["TemplateMemory", "TemplateRow", "block_key"]

_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def block_key(text: str) -> str:
    """Hash of a block's text with case, spacing and numbers folded."""
    norm = unicodedata.normalize("NFKC", text).casefold()
    norm = _WS.sub(" ", _DIGITS.sub("0", norm)).strip()
    return hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


@dataclass(frozen=True, slots=True)
class TemplateRow:
    """One stored membership: document ``doc_id`` of ``site`` carries block ``block_hash``."""

    site: str
    block_hash: str
    doc_id: str
    sample: str | None = None


@dataclass(slots=True)
class _Entry:
    base: int = 0  # stored documents beyond the bounded ``seen`` sample (ids not kept)
    seen: set[str] = field(default_factory=set)  # documents seen in this process (bounded)
    extra: int = 0  # documents seen after ``seen`` reached its bound
    sample: str | None = None

    @property
    def total(self) -> int:
        return self.base + len(self.seen) + self.extra

    def count_excluding(self, doc_id: str) -> int:
        own = doc_id in self.seen
        # a stored count may already include this very document: assume it does
        return self.total - (1 if own else 0) - (1 if self.base and not own else 0)


class TemplateMemory:
    """Per-site block counts; no globals, one instance per stage."""

    def __init__(self, *, min_docs: int = 3, min_chars: int = 12, max_keys_per_site: int = 50000) -> None:
        self.min_docs = min_docs
        self.min_chars = min_chars
        self.max_keys_per_site = max_keys_per_site
        self._sites: dict[str, dict[str, _Entry]] = {}
        self._new: list[TemplateRow] = []

    def __len__(self) -> int:
        return sum(len(v) for v in self._sites.values())

    def load(self, rows: Iterable[Sequence]) -> None:
        """Seed counts from stored membership rows ``(site, block_hash, doc_id[, sample])``."""
        for row in rows:
            site, key, doc_id = row[0], row[1], row[2]
            sample = row[3] if len(row) > 3 else None
            entry = self._sites.setdefault(site, {}).setdefault(key, _Entry())
            if doc_id in entry.seen:
                continue
            if len(entry.seen) <= self.min_docs + 2:
                entry.seen.add(doc_id)
            else:
                entry.base += 1
            entry.sample = entry.sample or sample

    def template_indices(self, site: str | None, doc_id: str, texts: Sequence[str]) -> set[int]:
        """Indices of ``texts`` seen on at least ``min_docs`` other pages of ``site``."""
        if not site or site not in self._sites:
            return set()
        table = self._sites[site]
        out = set()
        for i, t in enumerate(texts):
            if len(t) < self.min_chars:
                continue
            e = table.get(block_key(t))
            if e is not None and e.count_excluding(doc_id) >= self.min_docs:
                out.add(i)
        return out

    def observe(self, site: str | None, doc_id: str, texts: Iterable[str]) -> None:
        """Record that document ``doc_id`` of ``site`` carries these blocks."""
        if not site:
            return
        table = self._sites.setdefault(site, {})
        for t in texts:
            if len(t) < self.min_chars:
                continue
            k = block_key(t)
            e = table.get(k)
            if e is None:
                if len(table) >= self.max_keys_per_site:
                    continue
                e = table[k] = _Entry(sample=t[:500])
            if doc_id in e.seen:
                continue
            if len(e.seen) <= self.min_docs + 2:
                e.seen.add(doc_id)
            else:
                e.extra += 1
            self._new.append(TemplateRow(site, k, doc_id, e.sample))

    def drain(self) -> list[TemplateRow]:
        """Membership rows ``(site, block_hash, doc_id, sample)`` observed since the last drain."""
        out, self._new = self._new, []
        return out
