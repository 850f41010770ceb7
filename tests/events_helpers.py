"""Shared helpers for the events tests: a hand-made actor context over a sentence."""
from __future__ import annotations

from faultline.records import ActorMention

from faultline.stages.events import EventCoder, SimpleContext, load_lexicon


def context_for(text: str, actors: dict[str, tuple[str | None, str | None]], published: str = "2024-03-10",
                places=()) -> SimpleContext:
    """Every occurrence of each key of ``actors`` becomes a mention with (country, sector)."""
    mentions = []
    for surface, (country, sector) in actors.items():
        start = 0
        while True:
            i = text.find(surface, start)
            if i < 0:
                break
            mentions.append(ActorMention(text=surface, start=i, end=i + len(surface), name=surface,
                                         country=country, sector=sector))
            start = i + len(surface)
    mentions.sort(key=lambda m: m.start)
    return SimpleContext(published=published, actors=tuple(mentions), places=tuple(places))


def code(nlp, coder: EventCoder, text: str, actors: dict, published: str = "2024-03-10", places=()):
    doc = nlp(text)
    return coder.code_doc(doc, context_for(text, actors, published, places), doc_id="t", text=text)


def one(events, etype: str):
    found = [e for e in events if e.type == etype]
    assert found, f"no {etype} event in {[(e.type, e.trigger, e.modality) for e in events]}"
    return found[0]


def countries(refs) -> set:
    return {r.country for r in refs if r.country}


def new_coder() -> EventCoder:
    return EventCoder(load_lexicon())
