"""The rating stage: an optional source-quality score for the page's domain.

Set ``[rating] csv`` to a file of ``domain,score`` rows (a header row is
allowed and skipped).  The page's host is looked up, then its parent domains
(``news.example.co.uk`` → ``example.co.uk``); the score lands in
``Result.source_rating``.  With no file configured the stage sets nothing.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..pipeline import Item, Stage, register_stage
from .extract.provenance import domain_of

__all__ = ["RatingOptions", "RatingStage", "load_ratings", "lookup_rating"]


@dataclass(frozen=True, slots=True)
class RatingOptions:
    #: CSV of domain,score rows; empty = no ratings
    csv: str = ""


def load_ratings(path: str | Path) -> dict[str, float]:
    p = Path(path).expanduser()
    if not p.is_file():
        raise ConfigError(f"[rating] csv = {str(path)!r} does not exist; point it to a domain,score CSV file.")
    out: dict[str, float] = {}
    with p.open(newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) < 2:
                continue
            dom = (domain_of(row[0].strip()) or "").lower()
            try:
                out[dom] = float(row[1])
            except ValueError:
                continue  # header or bad row
    return out


def lookup_rating(table: dict[str, float], url: str | None) -> float | None:
    host = domain_of(url)
    while host:
        if host in table:
            return table[host]
        if "." not in host:
            break
        host = host.split(".", 1)[1]
        if "." not in host:  # never rate a bare top-level domain
            return None
    return None


@register_stage
class RatingStage(Stage):
    name = "rating"
    version = 1
    requires = ("article",)
    provides = ("source_rating",)

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.options = settings.options("rating", RatingOptions)
        self._table: dict[str, float] | None = None

    def setup(self, pipeline=None) -> None:
        if self._table is None:
            self._table = load_ratings(self.options.csv) if self.options.csv else {}

    def process_one(self, item: Item) -> dict[str, Any]:
        self.setup()
        article = item.slots.get("article")
        if not self._table or article is None:
            return {"source_rating": None}
        url = article.url or item.document.input.url or article.site
        return {"source_rating": lookup_rating(self._table, url)}
