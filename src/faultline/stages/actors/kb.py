"""The actor knowledge base: loading and lookup.

The shipped file is ``faultline/data/actors.json.gz``, written by
``scripts/build_actor_kb.py`` (format documented in ``docs/actors.md``).  At
load time it is turned into token-tuple indices so that the resolver matches
phrases with plain dict look-ups.  Nothing is cached at module level: build
one :class:`ActorKB` per pipeline (the stage does it in ``setup``).
"""
from __future__ import annotations

import functools

import gzip
import json
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from ...errors import ConfigError
from .normalise import fold, phrase_key

__all__ = ["ActorKB", "Entry", "Role", "KB_FORMAT", "fold", "load_kb", "phrase_key"]

KB_FORMAT = "faultline-actors/1"
KB_RESOURCE = "actors.json.gz"

def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Role:
    """One dated role: ``country`` (ISO3 or IGO), ``sector``, ``org`` (IGO name), ``title``."""

    country: str | None
    sector: str | None
    start: str | None = None
    end: str | None = None
    title: str | None = None
    org: str | None = None

    def active(self, on: date | None) -> bool:
        if on is None:
            return self.end is None
        s, e = _parse_day(self.start), _parse_day(self.end)
        return (s is None or s <= on) and (e is None or on <= e)


@dataclass(frozen=True, slots=True)
class Entry:
    """A named actor: a person, an organisation, an armed group."""

    name: str
    kind: str  # person | organisation | group
    country: str | None = None
    sector: str | None = None
    wikidata: str | None = None
    org: str | None = None
    roles: tuple[Role, ...] = ()
    source: str = "phoenix"

    def role_on(self, on: date | None) -> tuple[Role | None, bool]:
        """``(role, current)``: the role held on ``on``; else the latest past one with ``current=False``."""
        if not self.roles:
            return None, True
        dated = [r for r in self.roles if r.start or r.end]
        active = [r for r in self.roles if r.active(on)]
        if active:
            # prefer dated, most recently started, curated first
            active.sort(key=lambda r: (r.start or r.end or "", r.title is not None), reverse=True)
            return active[0], True
        past = sorted(dated, key=lambda r: r.end or r.start or "", reverse=True)
        if on is not None:
            past = [r for r in past if _parse_day(r.start) is None or _parse_day(r.start) <= on] or past
        return (past[0] if past else None), False


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    name: str
    wikidata: str | None = None


@dataclass
class ActorKB:
    """Look-up tables built from the shipped file.  Treat as read-only."""

    valid_as_of: str | None = None
    countries: dict[str, Country] = field(default_factory=dict)
    country_names: dict[tuple[str, ...], str] = field(default_factory=dict)
    adjectives: dict[tuple[str, ...], str] = field(default_factory=dict)
    demonyms: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)  # plural noun -> (iso3, ethnicity)
    capitals: dict[tuple[str, ...], str] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    names: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    surnames: dict[str, list[int]] = field(default_factory=dict)
    agents: dict[tuple[str, ...], str] = field(default_factory=dict)
    titles: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)  # phrase -> (sector, role)
    rules: dict[str, Any] = field(default_factory=dict)
    max_len: int = 1

    # -- construction --------------------------------------------------------
    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "ActorKB":
        if data.get("format") != KB_FORMAT:
            raise ConfigError(f"actor KB has format {data.get('format')!r}, expected {KB_FORMAT!r}; "
                              "rebuild it with `python scripts/build_actor_kb.py`.")
        kb = cls(valid_as_of=data.get("valid_as_of"))
        kb.rules = {k: (frozenset(v) if isinstance(v, list) else MappingProxyType(dict(v)) if isinstance(v, dict) else v)
                    for k, v in data.get("rules", {}).items()}
        for c in data.get("countries", ()):
            iso = c["iso3"]
            kb.countries[iso] = Country(iso, c["name"], c.get("wikidata"))
            for n in [c["name"], *c.get("aliases", ())]:
                kb.country_names.setdefault(phrase_key(n), iso)
            for a in c.get("adjectives", ()):
                kb.adjectives.setdefault(phrase_key(a), iso)
            for plural, eth in c.get("demonyms", ()):
                kb.demonyms.setdefault(phrase_key(plural), (iso, eth))
            for cap in c.get("capitals", ()):
                kb.capitals.setdefault(phrase_key(cap), iso)
        for plural, singular in data.get("ethnic_groups", ()):
            kb.demonyms[phrase_key(plural)] = (None, singular)
        for a in data.get("actors", ()):
            roles = tuple(Role(*r) for r in a.get("roles", ()))
            e = Entry(name=a["name"], kind=a.get("kind", "organisation"), country=a.get("country"),
                      sector=a.get("sector"), wikidata=a.get("wikidata"), org=a.get("org"),
                      roles=roles, source=a.get("source", "phoenix"))
            idx = len(kb.entries)
            kb.entries.append(e)
            for n in [a["name"], *a.get("aliases", ())]:
                key = phrase_key(n)
                if key:
                    bucket = kb.names.setdefault(key, [])
                    if idx not in bucket:
                        bucket.append(idx)
            if e.kind == "person":
                key = phrase_key(a["name"])
                if len(key) >= 2:
                    kb.surnames.setdefault(key[-1], []).append(idx)
        for phrase, sector in data.get("agents", ()):
            kb.agents.setdefault(phrase_key(phrase), sector)
        for phrase, sector, role in data.get("titles", ()):
            kb.titles[phrase_key(phrase)] = (sector, role)
        kb.max_len = max([len(k) for k in kb.names] + [len(k) for k in kb.agents] + [len(k) for k in kb.titles] + [1])
        return kb

    # -- look-ups ------------------------------------------------------------
    @functools.cached_property
    def known_keys(self) -> frozenset:
        """Every phrase key of any look-up table: a token window outside it names nothing."""
        return frozenset().union(self.names, self.country_names, self.demonyms, self.capitals, self.adjectives,
                                 self.titles, self.agents)

    def entries_for(self, key: tuple[str, ...]) -> list[Entry]:
        return [self.entries[i] for i in self.names.get(key, ())]

    def best_entry(self, key: tuple[str, ...], on: date | None, *, prefer_country: Iterable[str] = ()) -> Entry | None:
        """The entry named ``key``: curated before Phoenix, current role first, then document countries."""
        cands = self.entries_for(key)
        if not cands:
            return None
        prefer = set(prefer_country)

        def score(e: Entry) -> tuple:
            role, current = e.role_on(on)
            country = role.country if role else e.country
            return (e.source == "curated", bool(role) and current, country in prefer, len(e.roles))

        return max(cands, key=score)

    def country_name(self, iso3: str | None) -> str | None:
        c = self.countries.get(iso3 or "")
        return c.name if c else None

    def stats(self, on: date | None = None) -> dict[str, int]:
        """Coverage: countries, people with a role current on ``on`` (default: valid-as-of), IGOs."""
        on = on or _parse_day(self.valid_as_of)
        current = 0
        for e in self.entries:
            if e.kind == "person" and any(r.start and r.active(on) for r in e.roles):
                current += 1
        igos = {e.name for e in self.entries if e.kind == "organisation" and e.country == "IGO"}
        return {
            "countries": len(self.countries),
            "actors": len(self.entries),
            "people": sum(e.kind == "person" for e in self.entries),
            "leaders_current": current,
            "igos": len(igos),
            "agents": len(self.agents),
        }


def read_kb_data(resource: str = KB_RESOURCE) -> dict[str, Any]:
    """The raw JSON of the shipped knowledge base."""
    ref = resources.files("faultline").joinpath("data", resource)
    try:
        raw = ref.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError(f"actor knowledge base {resource} is missing from faultline/data; "
                          "rebuild it with `python scripts/build_actor_kb.py`.") from exc
    return json.loads(gzip.decompress(raw).decode("utf-8"))


def load_kb(resource: str = KB_RESOURCE) -> ActorKB:
    """Load the shipped knowledge base (one per pipeline; not cached)."""
    return ActorKB.from_data(read_kb_data(resource))
