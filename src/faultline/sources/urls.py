"""URL inputs: an ``http(s)://`` PATH, or a ``.urls`` file with one URL a line.

A ``.urls`` file is read lazily; blank lines and lines starting with ``#`` are
skipped.  Every URL goes through the polite, guarded :class:`~.fetch.Fetcher`
(rate limit per host, robots.txt, timeouts, size cap, no private addresses
unless ``--allow-private``).  A URL that answers with an RSS/Atom feed is
expanded into its items.  Fetching happens in the driver, one request at a
time, so the per-host rate limit holds however many workers parse.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import FetchError
from ..records import Document, InputInfo, stable_id
from .feeds import feed_documents, looks_like_feed
from .fetch import FetchOptions, Fetcher, page_to_document

__all__ = ["is_url", "read_url", "read_url_list"]


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def read_url(url: str, fetcher: Fetcher, *, where: str | None = None) -> Iterator[Document]:
    """The document at ``url``, or the items of the feed there."""
    where = where or url
    try:
        page = fetcher.fetch(url)
    except FetchError as exc:
        yield Document(id=stable_id(url, prefix="err-"), content="", format="html",
                       input=InputInfo(path=where, url=url, format="html"), error=str(exc))
        return
    if looks_like_feed(page.content_type, page.body):
        yield from feed_documents(page.body, where, fetcher=fetcher,
                                  follow_links=fetcher.options.follow_feed_links)
        return
    yield page_to_document(page, where=where)


def read_url_list(path: Path, options: FetchOptions | None = None, *,
                  fetcher: Fetcher | None = None) -> Iterator[Document]:
    """Every URL of a ``.urls`` file, in order."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(options)
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for lineno, line in enumerate(fh, 1):
                url = line.strip()
                if not url or url.startswith("#"):
                    continue
                where = f"{path}:{lineno}"
                if not is_url(url):
                    yield Document(id=stable_id(str(path), str(lineno), prefix="err-"), content="", format="text",
                                   input=InputInfo(path=where, format="text"),
                                   error=f"{where}: {url[:80]!r} is not an http(s) URL")
                    continue
                yield from read_url(url, fetcher, where=where)
    finally:
        if own:
            fetcher.close()
