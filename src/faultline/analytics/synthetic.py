"""Synthetic stored records for benchmarks, demos and tests (no real text).

:func:`synthetic_results` makes ``Result`` records whose bodies are built
from the events' own quotes, so every offset is valid (``text[start:end] ==
quote``).  A fraction of the stories is syndicated: the copy gets another id
but the same cluster, and its events must count once.
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Iterator, Sequence

from ..records import ActorRef, Event, InputInfo, Location, Result, fingerprint_text, stable_id

__all__ = ["PLOVER", "synthetic_results", "make_result"]

# type -> (quad class, PLOVER score, a representative Goldstein score)
PLOVER: dict[str, tuple[int, float, float]] = {
    "AGREE": (1, 2.5, 3.0), "CONSULT": (1, 2.5, 1.0), "SUPPORT": (1, 5.0, 3.4), "CONCEDE": (1, 4.5, 5.0),
    "COOPERATE": (2, 9.5, 6.0), "AID": (2, 10.0, 7.4), "RETREAT": (2, 6.5, 7.0),
    "REQUEST": (3, 0.0, -5.0), "ACCUSE": (3, -3.0, -2.0), "REJECT": (3, -2.0, -4.0), "THREATEN": (3, -3.5, -6.0),
    "PROTEST": (4, -5.0, -6.5), "SANCTION": (4, -6.0, -4.5), "MOBILIZE": (4, -5.5, -7.2), "COERCE": (4, -7.0, -7.0),
    "ASSAULT": (4, -9.0, -10.0),
}
_SECTORS = ("GOV", "MIL", "COP", "PRM", "REB", "CVL", "OPP", "BUS")


def make_result(doc_id: str, events: Sequence[dict], *, published: str, cluster: str | None = None,
                title: str | None = None, source: str | None = "Example Wire", text_prefix: str = "",
                boilerplate: Sequence[str] = (), framing: Sequence = (), source_rating: float | None = None,
                url: str | None = None) -> Result:
    """One stored record from event specs.

    Each spec: ``type``, ``actor`` and ``recipient`` (lists of ``(country,
    sector)`` or ``(country, sector, name)``), optional ``date``, ``modality``,
    ``quote``, ``goldstein``, ``id``.
    """
    parts = [text_prefix] if text_prefix else []
    offset = len(text_prefix) + (1 if text_prefix else 0)
    evs = []
    for i, spec in enumerate(events):
        quad, score, gold = PLOVER[spec["type"]]
        quote = spec.get("quote") or f"Event {i} of type {spec['type'].lower()} was reported."
        start = offset
        parts.append(quote)
        offset += len(quote) + 1

        def refs(items):
            out = []
            for it in items:
                c, s, *rest = it
                out.append(ActorRef(text=rest[0] if rest else f"{c} {s}", name=rest[0] if rest else f"{c} {s}",
                                    country=c, sector=s))
            return tuple(out)

        evs.append(Event(
            id=spec.get("id") or stable_id(doc_id, str(i), spec["type"], prefix="ev-"),
            type=spec["type"], quote=quote, start=start, end=start + len(quote), mode=spec.get("mode"),
            quad_class=quad, goldstein=spec.get("goldstein", gold), plover_score=score,
            actor=refs(spec.get("actor", ())), recipient=refs(spec.get("recipient", ())),
            location=Location(name=spec.get("place"), country=spec.get("place_country")) if spec.get("place") else None,
            date=spec.get("date"), modality=spec.get("modality", "asserted"), confidence=spec.get("confidence", 0.8)))
    text = " ".join(parts)
    for e in evs:
        assert text[e.start:e.end] == e.quote
    return Result(id=doc_id, fingerprint=fingerprint_text(text or doc_id), input=InputInfo(path=None, url=url, format="text"),
                  text=text, title=title or f"Story {doc_id}", publisher=source, published=published,
                  language="en", boilerplate=tuple(boilerplate), events=tuple(evs), framing=tuple(framing),
                  cluster=cluster or doc_id, source_rating=source_rating)


def synthetic_results(n_events: int, *, countries: Sequence[str] = ("SRB", "XKX", "RUS", "USA", "UKR", "SYR", "TUR",
                                                                   "IGO", "FRA", "DEU", "CHN", "IRN", "ISR", "GBR"),
                      start: str = "2024-01-01", days: int = 365, events_per_doc: int = 5,
                      syndication: float = 0.1, seed: int = 7) -> Iterator[Result]:
    """``n_events`` stored events (syndicated copies included) over ``days`` days, ``events_per_doc`` a document."""
    rng = random.Random(seed)
    day0 = dt.date.fromisoformat(start)
    types = list(PLOVER)
    weights = [len(countries) - i for i in range(len(countries))]  # some pairs much busier than others
    made = 0
    n = 0
    while made < n_events:
        day = day0 + dt.timedelta(days=rng.randrange(days))
        specs = []
        for _ in range(min(events_per_doc, n_events - made)):
            a, b = rng.choices(countries, weights=weights, k=2)
            specs.append({"type": rng.choice(types), "actor": [(a, rng.choice(_SECTORS))],
                          "recipient": [(b, rng.choice(_SECTORS))],
                          "date": (day - dt.timedelta(days=rng.choice((0, 0, 0, 1)))).isoformat(),
                          "modality": "asserted" if rng.random() < 0.85 else rng.choice(("reported", "future", "negated"))})
        doc = f"syn-{seed}-{n:07d}"
        n += 1
        made += len(specs)
        yield make_result(doc, specs, published=day.isoformat())
        if rng.random() < syndication and made < n_events:
            # a syndicated copy: same cluster, types, actors and dates; other ids (it counts once in analytics)
            copy = make_result(doc + "-copy", specs[: n_events - made], published=day.isoformat(), cluster=doc,
                               source="Copy Daily")
            made += len(copy.events)
            yield copy
