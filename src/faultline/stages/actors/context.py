"""Per-document context handed to later stages (the ``context`` slot).

:class:`DocContext` answers, for any character span of the article text, the
questions an event coder asks: *when* (``date_for``), *where*
(``location_for``) and *who* (``actor_at``).  It is frozen and holds only
plain records, so it can cross a Dask worker boundary.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ...records import ActorMention, Location, PlaceMention

__all__ = ["DateMention", "DocContext"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A resolved date expression: ``text[start:end] == text``; ``date`` is ISO (YYYY-MM-DD)."""

    text: str
    start: int
    end: int
    date: str
    how: str = "rule"  # which rule resolved it


@dataclass(frozen=True, slots=True)
class DocContext:
    """Who/where/when lookups over one article.

    ``sentences`` are ``(start, end)`` character bounds of the sentences (the
    clause unit used for dates and places); ``focus`` is the document's main
    location (most mentioned country, weighted to the lead).
    """

    published: str | None = None
    actors: tuple[ActorMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()
    focus: Location | None = None

    # -- helpers -------------------------------------------------------------
    def _sentence_of(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence(s) covering [start, end); the span itself if unknown."""
        if not self.sentences:
            return (start, end)
        starts = [s for s, _ in self.sentences]
        i = max(0, bisect_right(starts, start) - 1)
        j = max(i, bisect_right(starts, max(start, end - 1)) - 1)
        return (self.sentences[i][0], self.sentences[j][1])

    @staticmethod
    def _nearest(items, start: int, end: int):
        """The item nearest to [start, end): inside first, then by distance."""
        best, best_d = None, None
        for it in items:
            if it.end <= start:
                d = start - it.end
            elif it.start >= end:
                d = it.start - end
            else:
                d = -1
            if best_d is None or d < best_d:
                best, best_d = it, d
        return best

    # -- public lookups ------------------------------------------------------
    def date_for(self, start: int, end: int) -> str | None:
        """ISO date stated in the clause covering ``text[start:end]``, else the publication date."""
        s0, s1 = self._sentence_of(start, end)
        inside = [d for d in self.dates if d.start >= s0 and d.end <= s1]
        hit = self._nearest(inside, start, end)
        return hit.date if hit is not None else self.published

    def location_for(self, start: int, end: int) -> Location | None:
        """A place named in the clause covering ``text[start:end]``, else the document focus."""
        s0, s1 = self._sentence_of(start, end)
        inside = [p for p in self.places if p.start >= s0 and p.end <= s1]
        # "Kosovo police arrived in Pristina": a place inside an actor's name is not where it happened,
        # and a city says more than its country
        free = [p for p in inside if not any(a.start <= p.start and p.end <= a.end and a.text != p.text
                                             for a in self.actors)] or inside
        specific = [p for p in free if p.feature not in ("country", None)] or free
        hit = self._nearest(specific, start, end)
        return hit.location() if hit is not None else self.focus

    def actor_at(self, start: int, end: int) -> tuple[ActorMention, ...]:
        """Resolved actor mentions lying within ``[start, end)``, in text order."""
        return tuple(a for a in self.actors if a.start >= start and a.end <= end)
