"""The actors stage: who is who, where and when, as of the article's date.

Provides three slots after the ``nlp`` stage:

``actors``   tuple[ActorMention] — every resolved actor mention, with offsets;
``places``   tuple[PlaceMention] — every geocoded place;
``context``  :class:`DocContext` — ``date_for``/``location_for``/``actor_at``
             lookups for the events stage.

:func:`resolve_actors` is the same resolver as a plain function, usable
outside the pipeline.
"""
from __future__ import annotations

from .context import DateMention, DocContext
from .kb import ActorKB, load_kb
from .stage import ActorsOptions, ActorsStage, analyse_doc, resolve_actors

__all__ = [
    "ActorKB",
    "ActorsOptions",
    "ActorsStage",
    "DateMention",
    "DocContext",
    "analyse_doc",
    "load_kb",
    "resolve_actors",
]
