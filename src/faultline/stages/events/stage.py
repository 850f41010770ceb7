"""The registered ``events`` stage and plain-function entry points."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Sequence

from ...pipeline import Item, Stage, register_stage
from ...records import ActorMention, Event, Location, PlaceMention
from .coder import EventCoder
from .lexicon import Lexicon, load_lexicon

__all__ = ["EventsOptions", "EventsStage", "SimpleContext", "code_doc", "code_text"]


@dataclass(frozen=True, slots=True)
class EventsOptions:
    #: events scoring below this confidence are not emitted
    min_confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class SimpleContext:
    """A minimal who/where/when context (for tests and when no actors stage ran)."""

    published: str | None = None
    actors: tuple[ActorMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()

    def actor_at(self, start: int, end: int) -> tuple[ActorMention, ...]:
        return tuple(a for a in self.actors if a.start >= start and a.end <= end)

    def date_for(self, start: int, end: int) -> str | None:
        return self.published

    def location_for(self, start: int, end: int) -> Location | None:
        return None


def code_doc(doc: Any, context: Any, *, doc_id: str, text: str | None = None,
             coder: EventCoder | None = None) -> tuple[Event, ...]:
    """Events of one parsed ``doc`` given the actors stage's ``context``."""
    coder = coder or _default_coder()
    return coder.code_doc(doc, context, doc_id=doc_id, text=text)


def code_text(text: str, *, published: str | None = None, nlp: Any = None, coder: EventCoder | None = None,
              doc_id: str = "text", context: Any = None) -> tuple[Event, ...]:
    """Code a sentence or paragraph as of ``published`` (ISO date).

    Parses with ``nlp`` (the default spaCy model when omitted) and resolves
    actors with the actors stage when it is installed; pass ``context`` to use
    your own.
    """
    doc = (nlp or _default_nlp())(text)
    if context is None:
        context = _actors_context(doc, published)
    return code_doc(doc, context, doc_id=doc_id, text=text, coder=coder)


@functools.lru_cache(maxsize=1)
def _default_coder() -> EventCoder:
    """The shipped lexicon's coder for the one-call helpers, built once per process."""
    return EventCoder(load_lexicon())


@functools.lru_cache(maxsize=1)
def _default_nlp() -> Any:
    """The default spaCy model for :func:`code_text`, loaded once per process (not once per call)."""
    from ..nlp import load_model

    return load_model()


def _actors_context(doc: Any, published: str | None) -> Any:
    try:
        from ..actors import analyse_doc
    except ImportError:  # pragma: no cover - the actors stage is part of the package
        return SimpleContext(published=published)
    return analyse_doc(doc, published=published)[2]


@register_stage
class EventsStage(Stage):
    """``doc`` + actors/places/context → ``events`` (PLOVER, with quote and modality)."""

    name = "events"
    version = 1
    requires = ("article", "doc", "actors", "places", "context")
    provides = ("events",)
    spacy_needs = ("tagger", "parser", "attribute_ruler", "lemmatizer")

    def setup(self, pipeline) -> None:
        self.options = self.settings.options("events", EventsOptions)
        self.lexicon: Lexicon = load_lexicon()
        self.coder = EventCoder(self.lexicon, min_confidence=self.options.min_confidence)

    def process(self, items: Sequence[Item]) -> list[dict[str, Any]]:
        out = []
        for item in items:
            article = item.slots["article"]
            events = self.coder.code_doc(item.slots["doc"], item.slots["context"], doc_id=item.document.id,
                                         text=article.text)
            out.append({"events": events})
        return out
