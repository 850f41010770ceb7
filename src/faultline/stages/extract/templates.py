"""Site-template learning: blocks that repeat across pages of one site are boilerplate.

:class:`TemplateMemory` counts, per site, in how many distinct documents each
normalised block occurs.  The extraction stage consults it (a block seen on
``min_docs`` *other* pages of the same site is furniture) and feeds it with
every page it extracts, so extraction improves as a corpus grows.

Persistence is the ingest driver's job (the store has one writer):

* before a run: ``memory.load(rows)`` with rows of the ``site_templates``
  table (``SITE_TEMPLATES_SQL``);
* after each batch: ``memory.drain()`` returns the rows that changed, to be
  upserted (``docs`` is an absolute count: ``INSERT OR REPLACE``).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Sequence

__all__ = ["SITE_TEMPLATES_SQL", "TemplateMemory", "TemplateRow", "block_key"]

#: Additive migration for the store (owned by the store's migration list).
SITE_TEMPLATES_SQL = """
CREATE TABLE IF NOT EXISTS site_templates (
    site VARCHAR NOT NULL,          -- lower-cased host (or publisher name when no URL)
    block_hash VARCHAR NOT NULL,    -- faultline.stages.extract.templates.block_key(block text)
    docs INTEGER NOT NULL,          -- distinct documents of that site carrying the block
    sample VARCHAR,                 -- the block's text, for people reading the table
    PRIMARY KEY (site, block_hash)
);
"""

_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def block_key(text: str) -> str:
    """Hash of a block's text with case, spacing and numbers folded."""
    norm = unicodedata.normalize("NFKC", text).casefold()
    norm = _WS.sub(" ", _DIGITS.sub("0", norm)).strip()
    return hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


@dataclass(frozen=True, slots=True)
class TemplateRow:
    site: str
    block_hash: str
    docs: int
    sample: str | None = None


@dataclass(slots=True)
class _Entry:
    base: int = 0  # documents counted before this process (from the store)
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
        self._dirty: set[tuple[str, str]] = set()

    def __len__(self) -> int:
        return sum(len(v) for v in self._sites.values())

    def load(self, rows: Iterable[TemplateRow | Sequence]) -> None:
        """Seed counts from stored rows (``site, block_hash, docs[, sample]``)."""
        for row in rows:
            r = row if isinstance(row, TemplateRow) else TemplateRow(*row)
            entry = self._sites.setdefault(r.site, {}).setdefault(r.block_hash, _Entry())
            entry.base = max(entry.base, int(r.docs))
            entry.sample = entry.sample or r.sample

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
            self._dirty.add((site, k))

    def drain(self) -> list[TemplateRow]:
        """Rows changed since the last drain (absolute counts), for the store."""
        out = []
        for site, k in sorted(self._dirty):
            e = self._sites[site][k]
            out.append(TemplateRow(site, k, e.total, e.sample))
        self._dirty.clear()
        return out
