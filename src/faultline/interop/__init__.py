"""Interoperability with GDELT 2.0 and POLECAT event data.

:func:`import_events` reads GDELT 2.0 export files or POLECAT files and
stores them through the store's single writer, next to Faultline's own
coding; :func:`export_gdelt` writes stored events in GDELT's export layout.
"""
from __future__ import annotations

import os
from typing import IO, Any, Sequence

from ..errors import ConfigError
from .cameo import CameoTable, load_cameo_table
from .gdelt import COLUMNS as GDELT_COLUMNS
from .gdelt import ImportSummary, read_gdelt, write_gdelt
from .polecat import read_polecat

__all__ = ["CameoTable", "GDELT_COLUMNS", "IMPORT_FORMATS", "ImportSummary", "export_gdelt", "import_events",
           "load_cameo_table", "read_gdelt", "read_polecat", "write_gdelt"]

IMPORT_FORMATS = ("gdelt", "polecat")


def import_events(paths: Sequence[str | os.PathLike[str]], *, db: str | os.PathLike[str], fmt: str = "gdelt",
                  batch_size: int = 500) -> ImportSummary:
    """Read GDELT or POLECAT files and store them; importing twice changes nothing."""
    from ..store import Store

    if fmt not in IMPORT_FORMATS:
        raise ConfigError(f"unknown import format {fmt!r}; choose gdelt or polecat.")
    summary = ImportSummary()
    reader = read_gdelt if fmt == "gdelt" else read_polecat
    results = reader(paths, summary=summary)
    with Store(db) as store:
        for i in range(0, len(results), batch_size):
            store.write(results[i:i + batch_size])
    return summary


def gdelt_lookups(store: Any, article_ids: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Article id -> URL and -> publication date, for the GDELT export's SOURCEURL and DATEADDED."""
    ids = sorted(set(a for a in article_ids if a))
    if not ids:
        return {}, {}
    rows = store.query("SELECT d.id, coalesce(a.canonical_url, d.url) AS url, a.published FROM documents d "
                       "LEFT JOIN articles a ON a.id = d.id WHERE list_contains(?, d.id)", [ids])
    return ({r["id"]: r["url"] for r in rows if r["url"]}, {r["id"]: r["published"] for r in rows if r["published"]})


def export_gdelt(db: str | os.PathLike[str], out: IO[str], **filters: Any) -> int:
    """Stored events (filtered as ``Store.events``) as GDELT 2.0 export rows."""
    from ..store import Store

    with Store(db, read_only=True) as store:
        events = store.events(**filters)
        urls, published = gdelt_lookups(store, [e.get("article") for e in events])
    return write_gdelt(events, out, urls=urls, published=published)
