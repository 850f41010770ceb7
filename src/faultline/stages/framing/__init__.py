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

    def process(self, items: Sequence[Item]) -> list[dict[str, Any]]:
        """The batch in one vectorised pass (paragraph scores and genre), then spans per article."""
        articles = [item.slots["article"] for item in items]
        texts = [a.text or "" for a in articles]
        sentences = []
        for item in items:
            doc = item.slots.get("doc")
            ok = doc is not None and doc.has_annotation("SENT_START")
            sentences.append([(s.start_char, s.end_char) for s in doc.sents] if ok else None)
        spans = self.model.detect_many(texts, sentences)
        need_genre = [i for i, a in enumerate(articles)
                      if texts[i].strip() and not (self.options.use_genre_hint
                                                   and (a.genre_hint or "").lower() in GENRES)]
        scores = dict(zip(need_genre, self.model.genre_scores_many([texts[i] for i in need_genre])))
        out = []
        for i, article in enumerate(articles):
            hint = (article.genre_hint or "").lower()
            if self.options.use_genre_hint and hint in GENRES:
                label = hint
            elif i in scores:
                label = max(scores[i], key=scores[i].get)
            else:
                label = None
            kept = tuple(s for s in spans[i] if s.confidence >= self.options.min_confidence)
            out.append({"framing": kept, "genre": label})
        return out

    def process_one(self, item: Item) -> dict[str, Any]:
        return self.process([item])[0]
