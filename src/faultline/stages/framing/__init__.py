"""Framing stage: persuasion techniques (SemEval-2023 task 3 taxonomy) and genre.

``FramingStage`` (registered as ``framing``) reads the article and the spaCy
Doc (only its sentence boundaries) and sets ``framing`` (a tuple of
:class:`~faultline.records.FramingSpan`) and ``genre`` (reporting / opinion /
satire).  :func:`detect` runs the same detector on a plain string.

See ``docs/framing.md`` for the method, the scores and the limits.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ...pipeline import Item, Stage, register_stage
from ...records import FramingSpan
from .model import PHRASE_TECHNIQUES, FramingModel, ModelMissing

__all__ = ["FramingModel", "FramingOptions", "FramingStage", "ModelMissing", "PHRASE_TECHNIQUES",
           "GENRES", "detect", "genre"]

GENRES = ("reporting", "opinion", "satire")


@dataclass(frozen=True, slots=True)
class FramingOptions:
    min_confidence: float = 0.0
    use_genre_hint: bool = True
    rules: bool = True


def detect(text: str, *, model: FramingModel | None = None, sentences: Sequence[tuple[int, int]] | None = None,
           min_confidence: float = 0.0) -> tuple[FramingSpan, ...]:
    """Persuasion-technique spans in ``text`` (``text[s.start:s.end] == s.quote``).

    Loads the shipped model when ``model`` is None; pass a loaded
    :class:`FramingModel` when calling it many times.
    """
    model = model or FramingModel.load()
    return tuple(s for s in model.detect(text, sentences) if s.confidence >= min_confidence)


def genre(text: str, *, model: FramingModel | None = None) -> str:
    """reporting / opinion / satire for a whole article."""
    return (model or FramingModel.load()).genre(text)


@register_stage
class FramingStage(Stage):
    """Technique spans with reasons, and the article's genre."""

    name = "framing"
    version = 1
    requires = ("article", "doc")
    provides = ("framing", "genre")
    spacy_needs = ("parser",)

    def setup(self, pipeline) -> None:
        self.options = self.settings.options("framing", FramingOptions)
        self.model = FramingModel.load(rules=self.options.rules)

    def process_one(self, item: Item) -> dict[str, Any]:
        article = item.slots["article"]
        text = article.text or ""
        doc = item.slots.get("doc")
        sentences = None
        if doc is not None and doc.has_annotation("SENT_START"):
            sentences = [(s.start_char, s.end_char) for s in doc.sents]
        spans = detect(text, model=self.model, sentences=sentences, min_confidence=self.options.min_confidence)
        hint = (article.genre_hint or "").lower()
        if self.options.use_genre_hint and hint in GENRES:
            label = hint
        else:
            label = self.model.genre(text) if text.strip() else None
        return {"framing": spans, "genre": label}
