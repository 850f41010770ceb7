"""The extraction stage: raw page → clean :class:`~faultline.records.Article`.

HTML goes through trafilatura; Markdown and plain text are taken as given in
this first version (the Extraction-and-provenance work deepens this stage).
"""
from __future__ import annotations

from typing import Any

from ...pipeline import Item, Stage, register_stage
from ...records import Article
from .html import extract_html

__all__ = ["ExtractStage"]


@register_stage
class ExtractStage(Stage):
    name = "extract"
    version = 1
    requires = ("document",)
    provides = ("article",)

    def process_one(self, item: Item) -> dict[str, Any]:
        doc = item.document
        if doc.format == "html":
            article = extract_html(doc.content, url=doc.input.url)
        else:
            article = Article(text=doc.content.strip())
        if not article.text.strip():
            raise ValueError("no article text could be extracted")
        return {"article": article}
