"""The extraction stage: raw page → clean :class:`~faultline.records.Article`.

* HTML goes through trafilatura (options measured on AEB, see
  ``docs/extraction.md``) plus our own scan of the page for links, media
  embeds, the canonical URL, ``<meta>`` tags and JSON-LD.
* Markdown and plain text go through a block-level boilerplate classifier
  (``classify.py``) with site-template learning (``templates.py``).
* Both end in the same provenance layer (``provenance.py``): publisher,
  original publisher of syndicated copies, both dates, and the reasons.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...pipeline import Item, Stage, register_stage
from ...errors import DocumentError
from .html import HtmlOptions, extract_html
from .lang import LanguageDetector
from .templates import TemplateMemory, TemplateRow
from .textual import TextContext, extract_textual
from .vocab import load_vocabulary

__all__ = ["ExtractOptions", "ExtractStage", "TemplateMemory", "TemplateRow"]


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    #: trafilatura: drop comment sections (measured better on AEB)
    include_comments: bool = False
    #: trafilatura: keep tables in the body
    include_tables: bool = True
    #: trafilatura: prefer precision over recall
    favor_precision: bool = True
    #: learn site templates from the pages seen (Markdown/text inputs)
    learn_templates: bool = True
    #: a block seen on this many other pages of the same site is boilerplate
    template_min_docs: int = 3
    #: characters given to the language detector
    language_chars: int = 600


@register_stage
class ExtractStage(Stage):
    name = "extract"
    version = 3
    requires = ("document",)
    provides = ("article",)

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.options = settings.options("extract", ExtractOptions)
        self.templates: TemplateMemory | None = (
            TemplateMemory(min_docs=self.options.template_min_docs) if self.options.learn_templates else None)
        self._ctx: TextContext | None = None

    def setup(self, pipeline=None) -> None:
        if self._ctx is None:
            detector = LanguageDetector(max_chars=self.options.language_chars)
            self._ctx = TextContext(vocab=load_vocabulary(), detect_language=detector.detect,
                                    templates=self.templates)
            self._html = HtmlOptions(include_comments=self.options.include_comments,
                                     include_tables=self.options.include_tables,
                                     favor_precision=self.options.favor_precision)

    # -- corpus memory (loaded and drained by the ingest driver) ------------------
    memory_tables = ("site_template_docs",)

    def load_memory(self, rows: dict[str, list[tuple]]) -> None:
        """Seed the site-template memory from stored membership rows."""
        if self.templates is not None:
            self.templates.load(rows.get("site_template_docs", ()))

    def drain_memory(self) -> dict[str, list[tuple]]:
        """Membership rows observed since the last call, to commit with the batch."""
        if self.templates is None:
            return {}
        return {"site_template_docs": [(r.site, r.block_hash, r.doc_id, r.sample) for r in self.templates.drain()]}

    # -- compute -----------------------------------------------------------------
    def extract(self, doc) -> Any:
        self.setup()
        assert self._ctx is not None
        if doc.format == "html":
            article = extract_html(doc.content, url=doc.input.url, ctx=self._ctx, options=self._html,
                                   title=doc.title, source=doc.source, published=doc.published)
        else:
            article = extract_textual(doc.content, doc.format, self._ctx, doc_id=doc.id, url=doc.input.url,
                                      title=doc.title, source=doc.source, published=doc.published)
        return article

    def process_one(self, item: Item) -> dict[str, Any]:
        article = self.extract(item.document)
        if not article.text.strip():
            raise DocumentError("no article text could be extracted; check that the input is an article page")
        return {"article": article}
