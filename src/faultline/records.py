"""Frozen records: the typed artefacts that flow through the pipeline.

raw input → :class:`Document` → :class:`Article` → (spaCy, inside the NLP stage)
→ :class:`ActorMention` / :class:`PlaceMention` → :class:`Event` →
:class:`FramingSpan` → :class:`Cluster` → :class:`Result`.

Every record is a frozen, slotted dataclass with ``to_dict``/``from_dict``.
Sequences are tuples so that a record can never be changed after a stage
returned it.  :meth:`Result.to_dict` produces exactly the JSON object of
``docs/contract.md``.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from typing import Any, Iterable, Mapping

__all__ = [
    "ActorMention",
    "ActorRef",
    "Article",
    "Cluster",
    "Document",
    "Event",
    "FramingSpan",
    "InputInfo",
    "Location",
    "MODALITIES",
    "PlaceMention",
    "Result",
    "fingerprint_text",
    "normalise_for_hash",
    "stable_id",
]

MODALITIES = ("asserted", "negated", "hypothetical", "future", "reported")

_WS = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def normalise_for_hash(text: str) -> str:
    """Fold Unicode, quotes, case and whitespace so trivial edits hash alike."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _WS.sub(" ", text).strip()


def stable_id(*parts: str, prefix: str = "", length: int = 16) -> str:
    """A short, stable content hash (blake2b) of ``parts``."""
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return prefix + h.hexdigest()[:length]


def fingerprint_text(text: str) -> str:
    """The ``fingerprint`` field: a hash of the normalised body text."""
    return stable_id(normalise_for_hash(text), length=32)


def _tup(value: Iterable[Any] | None) -> tuple:
    return tuple(value) if value is not None else ()


def _tags_tuple(tags: Mapping[str, Iterable[str]] | Iterable[tuple[str, Iterable[str]]] | None) -> tuple:
    if not tags:
        return ()
    items = tags.items() if isinstance(tags, Mapping) else tags
    return tuple((str(k), tuple(v)) for k, v in items)


class _Record:
    """``to_dict``/``from_dict`` shared by every record."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            out[f.name] = _jsonable(getattr(self, f.name))
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]):
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in names})

    def replace(self, **changes: Any):
        return replace(self, **changes)  # type: ignore[type-var]


def _jsonable(value: Any) -> Any:
    if isinstance(value, _Record):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


@dataclass(frozen=True, slots=True)
class InputInfo(_Record):
    """Where a document came from: ``input`` in the contract."""

    path: str | None = None
    url: str | None = None
    format: str = "text"  # html | markdown | text


@dataclass(frozen=True, slots=True)
class Document(_Record):
    """Raw input plus where it came from; nothing is interpreted yet.

    ``id`` is the input's own id when it had one, otherwise a stable hash of
    the raw content.  ``error`` is set by a reader that could not decode the
    input: the runner turns it into a record with that reason in ``errors``.
    """

    id: str
    content: str
    format: str  # html | markdown | text
    input: InputInfo = field(default_factory=InputInfo)
    published: str | None = None
    source: str | None = None
    title: str | None = None
    error: str | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "authors", _tup(self.authors))
        object.__setattr__(self, "tags", _tags_tuple(self.tags))
        if self.format not in ("html", "markdown", "text"):
            raise ValueError(f"unknown document format {self.format!r}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Document":
        d = {k: v for k, v in data.items() if k in {f.name for f in fields(cls)}}
        if isinstance(d.get("input"), Mapping):
            d["input"] = InputInfo.from_dict(d["input"])
        return cls(**d)


@dataclass(frozen=True, slots=True)
class Article(_Record):
    """Clean body text plus everything the extraction stage read around it."""

    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    original_publisher: str | None = None
    published: str | None = None
    original_published: str | None = None
    language: str | None = None
    tags: tuple[tuple[str, tuple[str, ...]], ...] = ()
    links: tuple[str, ...] = ()
    media: tuple[str, ...] = ()
    boilerplate: tuple[str, ...] = ()
    genre_hint: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    canonical_foreign: bool = False
    site: str | None = None
    provenance: tuple[str, ...] = ()  # human-readable reasons for original_publisher

    def __post_init__(self) -> None:
        object.__setattr__(self, "authors", _tup(self.authors))
        object.__setattr__(self, "links", _tup(self.links))
        object.__setattr__(self, "media", _tup(self.media))
        object.__setattr__(self, "boilerplate", _tup(self.boilerplate))
        object.__setattr__(self, "provenance", _tup(self.provenance))
        object.__setattr__(self, "tags", _tags_tuple(self.tags))

    @property
    def tags_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.tags}

    def to_dict(self) -> dict[str, Any]:
        out = _Record.to_dict(self)
        out["tags"] = self.tags_dict
        return out


@dataclass(frozen=True, slots=True)
class ActorRef(_Record):
    """An actor as it appears inside an event (``actor``/``recipient`` items)."""

    text: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None


@dataclass(frozen=True, slots=True)
class ActorMention(_Record):
    """One resolved mention of an actor in the body; ``text[start:end] == text``."""

    text: str
    start: int
    end: int
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    wikidata: str | None = None
    ethnicity: str | None = None
    kind: str | None = None  # person | organisation | state | capital | agent | group | pronoun
    how: str | None = None  # which rule resolved it: "kb", "title", "coref", ...
    role: str | None = None  # the title held on the article date ("President"), when known

    def ref(self) -> ActorRef:
        return ActorRef(text=self.text, name=self.name, country=self.country, sector=self.sector)


@dataclass(frozen=True, slots=True)
class PlaceMention(_Record):
    """One geocoded place in the body."""

    text: str
    start: int
    end: int
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None  # country | city | admin1 | region

    def location(self) -> "Location":
        return Location(name=self.name, country=self.country, lat=self.lat, lon=self.lon, geonameid=self.geonameid)


@dataclass(frozen=True, slots=True)
class Location(_Record):
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


@dataclass(frozen=True, slots=True)
class Event(_Record):
    """A PLOVER event with its evidence: ``text[start:end] == quote``."""

    id: str
    type: str
    quote: str
    start: int
    end: int
    mode: str | None = None
    contexts: tuple[str, ...] = ()
    cameo: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    plover_score: float | None = None
    actor: tuple[ActorRef, ...] = ()
    recipient: tuple[ActorRef, ...] = ()
    location: Location | None = None
    date: str | None = None
    modality: str = "asserted"
    confidence: float = 0.0
    trigger: str | None = None
    source_of_claim: ActorRef | None = None
    why: str | None = None

    def __post_init__(self) -> None:
        if self.modality not in MODALITIES:
            raise ValueError(f"modality must be one of {MODALITIES}, not {self.modality!r}")
        object.__setattr__(self, "contexts", _tup(self.contexts))
        object.__setattr__(self, "actor", _tup(self.actor))
        object.__setattr__(self, "recipient", _tup(self.recipient))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Event":
        d = {k: v for k, v in data.items() if k in {f.name for f in fields(cls)}}
        d["actor"] = tuple(ActorRef.from_dict(a) for a in d.get("actor") or ())
        d["recipient"] = tuple(ActorRef.from_dict(a) for a in d.get("recipient") or ())
        if isinstance(d.get("location"), Mapping):
            d["location"] = Location.from_dict(d["location"])
        if isinstance(d.get("source_of_claim"), Mapping):
            d["source_of_claim"] = ActorRef.from_dict(d["source_of_claim"])
        return cls(**d)


@dataclass(frozen=True, slots=True)
class FramingSpan(_Record):
    """A persuasion technique on a span, with a reason a reader can check."""

    technique: str
    quote: str
    start: int
    end: int
    confidence: float
    why: str


@dataclass(frozen=True, slots=True)
class Cluster(_Record):
    """Copies and syndicated versions of one text share a cluster id."""

    id: str
    members: tuple[str, ...] = ()
    representative: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", _tup(self.members))


@dataclass(frozen=True, slots=True)
class Result(_Record):
    """The per-document record: serialises to exactly the contract's JSON."""

    id: str
    fingerprint: str
    input: InputInfo
    text: str = ""
    title: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    original_publisher: str | None = None
    published: str | None = None
    original_published: str | None = None
    language: str | None = None
    tags: tuple[tuple[str, tuple[str, ...]], ...] = ()
    links: tuple[str, ...] = ()
    media: tuple[str, ...] = ()
    genre: str | None = None
    boilerplate: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()
    actors: tuple[ActorMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    framing: tuple[FramingSpan, ...] = ()
    cluster: str | None = None
    errors: tuple[str, ...] = ()
    # Not in the contract's minimum, but useful and allowed ("you may add fields").
    canonical_url: str | None = None
    provenance: tuple[str, ...] = ()
    source_rating: float | None = None

    def __post_init__(self) -> None:
        for name in ("authors", "links", "media", "boilerplate", "events", "actors", "places",
                     "framing", "errors", "provenance"):
            object.__setattr__(self, name, _tup(getattr(self, name)))
        object.__setattr__(self, "tags", _tags_tuple(self.tags))

    def to_dict(self) -> dict[str, Any]:
        out = _Record.to_dict(self)
        out["tags"] = {k: list(v) for k, v in self.tags}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Result":
        d = {k: v for k, v in data.items() if k in {f.name for f in fields(cls)}}
        d["input"] = InputInfo.from_dict(d.get("input") or {})
        d["events"] = tuple(Event.from_dict(e) for e in d.get("events") or ())
        d["actors"] = tuple(ActorMention.from_dict(a) for a in d.get("actors") or ())
        d["places"] = tuple(PlaceMention.from_dict(p) for p in d.get("places") or ())
        d["framing"] = tuple(FramingSpan.from_dict(f) for f in d.get("framing") or ())
        return cls(**d)
