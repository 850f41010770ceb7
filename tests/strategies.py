"""Hypothesis strategies that build valid records (offsets point into the text)."""
from __future__ import annotations

from hypothesis import strategies as st

from faultline.records import (
    MODALITIES, ActorMention, ActorRef, Event, FramingSpan, InputInfo, Location, PlaceMention, Result,
    fingerprint_text, stable_id,
)

_text_chars = st.characters(blacklist_categories=("Cs",), min_codepoint=9)
short = st.text(_text_chars, min_size=1, max_size=12)
maybe = lambda s: st.none() | s  # noqa: E731
country = st.sampled_from(["SRB", "XKX", "RUS", "IGO", "USA", None])
sector = st.sampled_from(["GOV", "MIL", "COP", "CVL", "PRM", None])


@st.composite
def span(draw, text: str):
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return start, end


@st.composite
def actor_ref(draw):
    return ActorRef(text=draw(short), name=draw(maybe(short)), country=draw(country), sector=draw(sector))


@st.composite
def results(draw):
    text = draw(st.text(_text_chars, min_size=1, max_size=300))
    n_events = draw(st.integers(0, 3))
    events = []
    for i in range(n_events):
        s, e = draw(span(text))
        events.append(Event(
            id=stable_id(text, str(i)), type=draw(st.sampled_from(["PROTEST", "MOBILIZE", "REQUEST"])),
            quote=text[s:e], start=s, end=e, mode=draw(maybe(st.sampled_from(["demo", "troops"]))),
            contexts=tuple(draw(st.lists(st.sampled_from(["military", "diplomatic"]), max_size=2, unique=True))),
            cameo=draw(maybe(st.sampled_from(["141", "150"]))), quad_class=draw(maybe(st.integers(1, 4))),
            goldstein=draw(maybe(st.floats(-10, 10, allow_nan=False))),
            plover_score=draw(maybe(st.floats(-10, 10, allow_nan=False))),
            actor=tuple(draw(st.lists(actor_ref(), max_size=2))),
            recipient=tuple(draw(st.lists(actor_ref(), max_size=2))),
            location=draw(maybe(st.builds(Location, name=short, country=country,
                                          lat=st.floats(-90, 90), lon=st.floats(-180, 180),
                                          geonameid=st.integers(1, 10**7)))),
            date=draw(maybe(st.dates().map(lambda d: d.isoformat()))),
            modality=draw(st.sampled_from(MODALITIES)), confidence=draw(st.floats(0, 1)),
        ))
    actors = []
    for _ in range(draw(st.integers(0, 3))):
        s, e = draw(span(text))
        actors.append(ActorMention(text=text[s:e], start=s, end=e, name=draw(maybe(short)),
                                   country=draw(country), sector=draw(sector)))
    places = []
    for _ in range(draw(st.integers(0, 2))):
        s, e = draw(span(text))
        places.append(PlaceMention(text=text[s:e], start=s, end=e, name=draw(maybe(short)), country=draw(country),
                                   lat=draw(maybe(st.floats(-90, 90))), lon=draw(maybe(st.floats(-180, 180))),
                                   geonameid=draw(maybe(st.integers(1, 10**7)))))
    framing = []
    for _ in range(draw(st.integers(0, 2))):
        s, e = draw(span(text))
        framing.append(FramingSpan(technique="Doubt", quote=text[s:e], start=s, end=e,
                                   confidence=draw(st.floats(0, 1)), why=draw(short)))
    return Result(
        id=draw(st.text("abcdef0123456789", min_size=4, max_size=16)),
        fingerprint=fingerprint_text(text),
        input=InputInfo(path=draw(maybe(short)), url=None, format=draw(st.sampled_from(["html", "markdown", "text"]))),
        text=text, title=draw(maybe(short)), authors=tuple(draw(st.lists(short, max_size=2))),
        publisher=draw(maybe(short)), published=draw(maybe(st.dates().map(lambda d: d.isoformat()))),
        language=draw(maybe(st.sampled_from(["en", "fr"]))),
        tags=draw(st.dictionaries(st.sampled_from(["region", "theme"]), st.lists(short, max_size=2).map(tuple),
                                  max_size=2)),
        links=tuple(draw(st.lists(short, max_size=2))), events=tuple(events), actors=tuple(actors),
        places=tuple(places), framing=tuple(framing), cluster=draw(maybe(short)),
        errors=tuple(draw(st.lists(short, max_size=1))),
    )
