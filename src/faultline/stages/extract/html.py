"""HTML → Article through trafilatura."""
from __future__ import annotations

from ...records import Article

__all__ = ["extract_html"]


def extract_html(html: str, *, url: str | None = None) -> Article:
    import trafilatura

    text = trafilatura.extract(html, url=url, include_comments=False, favor_precision=False) or ""
    meta = trafilatura.extract_metadata(html, default_url=url)
    if meta is None:
        return Article(text=text, url=url)
    authors = tuple(a.strip() for a in (meta.author or "").split(";") if a.strip())
    return Article(
        text=text,
        title=meta.title,
        authors=authors,
        publisher=meta.sitename,
        published=meta.date,
        url=meta.url or url,
        language=meta.language,
    )
