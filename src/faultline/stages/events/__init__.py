"""The events stage: PLOVER event coding with actors, modality, scores and the quote.

``EventsStage`` (registered as ``events``) needs ``article``, ``doc``,
``actors``, ``places`` and ``context``; it provides ``events``.
:func:`code_text` codes one sentence or paragraph as of a date.  The
vocabulary is data (``faultline/data/events``); see docs/events.md.
"""
from __future__ import annotations

from .coder import EventCoder
from .lexicon import Lexicon, load_lexicon
from .stage import EventsOptions, EventsStage, SimpleContext, code_doc, code_text

__all__ = [
    "EventCoder",
    "EventsOptions",
    "EventsStage",
    "Lexicon",
    "SimpleContext",
    "code_doc",
    "code_text",
    "load_lexicon",
]
