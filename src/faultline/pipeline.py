"""Named, versioned stages and the batch runner that drives them.

A stage declares the *slots* it ``requires`` and the slots it ``provides``
(modelled on spaCy's ``Language.factory`` and ``pipe_analysis``).  The
:class:`Pipeline` checks, when it is built, that every slot a stage needs is
provided by the reader or by an earlier stage.

Stages compute first and the runner writes: ``Stage.process`` returns, for
each item, a mapping from slot name to value, and only the runner attaches it
to the item.  A failure in one document is caught, recorded in that
document's ``errors``, and the rest of the batch goes on.

Slots used by the built-in stages::

    document  the Document (set by the reader)
    article   the Article (extract)
    doc       the spaCy Doc (nlp); never leaves the runner
    actors    tuple[ActorMention]        places  tuple[PlaceMention]
    dates     a DateResolver for the document
    events    tuple[Event]               framing tuple[FramingSpan]
    genre     str | None                 cluster str | None
"""
from __future__ import annotations

import gc
import logging
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, ContextManager, Iterable, Iterator, Sequence

from .errors import PipelineError
from .records import Article, Document, Result, fingerprint_text
from .settings import Settings

__all__ = ["Item", "Pipeline", "Stage", "frozen_heap", "register_stage", "registered_stages", "run_stages",
           "DEFAULT_STAGES"]

log = logging.getLogger(__name__)

# The registry maps a stage name to its factory.  It is filled by decorators at
# import time and never changes afterwards, so every Dask worker builds the
# same registry; it is not a cache.
_REGISTRY: dict[str, type["Stage"]] = {}

DEFAULT_STAGES: tuple[str, ...] = (
    "extract", "nlp", "actors", "events", "framing", "cluster",
)


def register_stage(cls: type["Stage"]) -> type["Stage"]:
    """Class decorator: make a stage available to :class:`Pipeline` by name."""
    if not getattr(cls, "name", None):
        raise PipelineError(f"{cls.__name__} has no name; set the class attribute `name`.")
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise PipelineError(f"two stages are registered as {cls.name!r}; give the new one a new name.")
    _REGISTRY[cls.name] = cls
    return cls


def registered_stages() -> dict[str, type["Stage"]]:
    """Name → stage class for every registered stage (imports the built-ins)."""
    from . import stages  # noqa: F401  (registers the built-in stages)

    return dict(_REGISTRY)


@dataclass(slots=True)
class Item:
    """One document on its way through the runner (mutable, runner-private)."""

    index: int
    document: Document
    slots: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors)


class Stage:
    """Base class of a pipeline stage.

    Subclasses set ``name``, ``version``, ``requires`` and ``provides`` and
    implement :meth:`process`.  Heavy resources (models, lexicons) are loaded
    in :meth:`setup`, once per pipeline, never at import time.
    """

    name: ClassVar[str] = ""
    version: ClassVar[int] = 1
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()
    #: spaCy pipes this stage reads from the Doc; the NLP stage disables others.
    spacy_needs: ClassVar[tuple[str, ...]] = ()

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def ident(self) -> str:
        return f"{self.name}@{self.version}"

    #: store tables holding this stage's cross-document memory (see load/drain_memory)
    memory_tables: ClassVar[tuple[str, ...]] = ()

    def setup(self, pipeline: "Pipeline") -> None:
        """Load what the stage needs. Called once, before the first batch."""

    def load_memory(self, rows: dict[str, list[tuple]]) -> None:
        """Seed cross-document memory from stored rows, keyed by table (ingest only)."""

    def drain_memory(self) -> dict[str, list[tuple]]:
        """New memory rows since the last call; committed with the batch that made them."""
        return {}

    def batch_scope(self) -> ContextManager[Any] | None:
        """A context that the runner holds open while every stage runs over one batch, or None.

        The NLP stage returns spaCy's memory zone: the strings and lexemes a
        batch adds to the vocabulary are freed when the batch ends, so a long
        stream does not grow the model.  The runner then drops the batch's
        ``doc`` slot before leaving the scope (the Doc never outlives it).
        """
        return None

    def process(self, items: Sequence[Item]) -> list[dict[str, Any]]:
        """Compute each item's outputs; return one ``{slot: value}`` per item."""
        return [self.process_one(item) for item in items]

    def process_one(self, item: Item) -> dict[str, Any]:
        raise NotImplementedError


class Pipeline:
    """An ordered, validated list of stages plus the batch runner."""

    def __init__(self, stages: Iterable[str] | None = None, *, settings: Settings | None = None,
                 extra: Sequence[Stage] = ()) -> None:
        self.settings = settings or Settings.load()
        registry = registered_stages()
        names = tuple(stages) if stages is not None else tuple(self.settings.pipeline.stages)
        built: list[Stage] = []
        for name in names:
            if name not in registry:
                known = ", ".join(sorted(registry))
                raise PipelineError(f"unknown stage {name!r}; known stages: {known}.")
            built.append(registry[name](self.settings))
        built.extend(extra)
        self.stages: tuple[Stage, ...] = tuple(built)
        self._validate()
        self._set_up: set[int] = set()  # indices of the stages whose setup() has run

    # -- construction -----------------------------------------------------
    def _validate(self) -> None:
        available = {"document"}
        for stage in self.stages:
            missing = [s for s in stage.requires if s not in available]
            if missing:
                raise PipelineError(
                    f"stage {stage.ident} needs {', '.join(missing)}, which no earlier stage sets; "
                    f"add the stage that provides it before {stage.name!r}."
                )
            available.update(stage.provides)

    @property
    def versions(self) -> dict[str, int]:
        return {s.name: s.version for s in self.stages}

    def stage(self, name: str) -> Stage | None:
        return next((s for s in self.stages if s.name == name), None)

    def spacy_needs(self) -> set[str]:
        needs: set[str] = set()
        for s in self.stages:
            needs.update(s.spacy_needs)
        return needs

    def setup(self, start: int = 0) -> None:
        """Load every stage's resources, once.  ``start`` leaves out the leading stages that another
        process runs: a worker that gets its documents already extracted loads no extractor."""
        if len(self._set_up) == len(self.stages):
            return
        for i, stage in enumerate(self.stages):
            if i >= start and i not in self._set_up:
                stage.setup(self)
                self._set_up.add(i)

    # -- running ------------------------------------------------------------
    def run(self, documents: Iterable[Document], *, batch_size: int | None = None,
            on_result: Callable[[Result], None] | None = None) -> Iterator[Result]:
        """Stream results, in input order, one per document (failed ones too)."""
        self.setup()
        size = batch_size or self.settings.pipeline.batch_size
        batch: list[Item] = []
        with frozen_heap(self.settings.pipeline.freeze_heap):
            for index, doc in enumerate(documents):
                batch.append(Item(index=index, document=doc))
                if len(batch) >= size:
                    yield from self._emit(self.run_batch(batch), on_result)
                    batch = []
            if batch:
                yield from self._emit(self.run_batch(batch), on_result)

    @staticmethod
    def _emit(results: list[Result], on_result: Callable[[Result], None] | None) -> Iterator[Result]:
        for r in results:
            if on_result is not None:
                on_result(r)
            yield r

    def run_batch(self, items: list[Item]) -> list[Result]:
        """Run every stage over one batch; return results in input order."""
        self.setup()
        for item in items:
            if item.document.error:
                item.errors.append(item.document.error)
        run_stages(self.stages, items)
        for item in items:
            item.slots.pop("doc", None)  # spaCy's Doc never leaves the runner
        return [assemble(it) for it in sorted(items, key=lambda i: i.index)]

    @staticmethod
    def _attach(stage: Stage, items: Sequence[Item], outputs: list[dict[str, Any]]) -> None:
        if len(outputs) != len(items):
            raise PipelineError(f"stage {stage.ident} returned {len(outputs)} outputs for {len(items)} items")
        for item, out in zip(items, outputs):
            extra = set(out) - set(stage.provides)
            if extra:
                raise PipelineError(f"stage {stage.ident} set {sorted(extra)}, which it does not declare")
            item.slots.update(out)


@contextmanager
def frozen_heap(enabled: bool = True) -> Iterator[None]:
    """Hide every object alive now from the cyclic garbage collector until the block ends (``gc.freeze``).

    Called once the stages are set up, this moves the loaded models and lexicons out of the
    collector's sight: an oldest-generation collection otherwise walks all of them, again and
    again over a long run, although none of them is ever garbage.  Inside a frozen block (an
    outer run, or the caller's own ``gc.freeze``) it does nothing, so it never unfreezes what
    it did not freeze.
    """
    if not enabled or gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def run_stages(stages: Sequence[Stage], items: list[Item]) -> None:
    """Run ``stages`` over ``items`` in place; a failure stays with its document.

    A stage that raises on the batch is retried one document at a time, so the
    culprit gets the reason in ``errors`` and the others go on.  The serial
    runner and the worker processes both use this one loop.  Stages' batch
    scopes (:meth:`Stage.batch_scope`) are open for the whole loop; when any
    stage has one, the ``doc`` slot is dropped before they close.
    """
    with ExitStack() as scopes:
        scoped = False
        for stage in stages:
            scope = stage.batch_scope() if hasattr(stage, "batch_scope") else None
            if scope is not None:
                scopes.enter_context(scope)
                scoped = True
        for stage in stages:
            alive = [it for it in items if not it.failed]
            if not alive:
                break
            try:
                Pipeline._attach(stage, alive, stage.process(alive))
            except Exception:  # isolate: retry one by one to find the culprit
                log.debug("batch failed in %s; retrying per document", stage.ident, exc_info=True)
                for it in alive:
                    try:
                        Pipeline._attach(stage, [it], stage.process([it]))
                    except Exception as exc:  # noqa: BLE001 - recorded, batch goes on
                        it.errors.append(f"{stage.name}: {type(exc).__name__}: {exc}")
        if scoped:
            for it in items:
                it.slots.pop("doc", None)  # its strings go with the scope


def assemble(item: Item) -> Result:
    """Build the contract record from what the stages set on ``item``."""
    doc = item.document
    article: Article | None = item.slots.get("article")
    text = article.text if article else ""
    genre = item.slots.get("genre") or (article.genre_hint if article else None)
    common = dict(
        id=doc.id,
        fingerprint=fingerprint_text(text),
        input=doc.input,
        text=text,
        events=item.slots.get("events", ()),
        actors=item.slots.get("actors", ()),
        places=item.slots.get("places", ()),
        framing=item.slots.get("framing", ()),
        cluster=item.slots.get("cluster"),
        genre=genre,
        errors=tuple(item.errors),
        source_rating=item.slots.get("source_rating"),
    )
    if article is None:
        return Result(title=doc.title, authors=doc.authors, publisher=doc.source, published=doc.published,
                      tags=doc.tags, **common)
    return Result(
        title=article.title or doc.title,
        authors=article.authors or doc.authors,
        publisher=article.publisher or doc.source,
        original_publisher=article.original_publisher,
        published=article.published or doc.published,
        original_published=article.original_published,
        language=article.language,
        tags=article.tags or doc.tags,
        links=article.links,
        media=article.media,
        boilerplate=article.boilerplate,
        canonical_url=article.canonical_url,
        provenance=article.provenance,
        **common,
    )
