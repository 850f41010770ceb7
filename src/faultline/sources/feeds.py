"""RSS and Atom feeds through feedparser: one Document per item.

An item's own HTML content (or its summary) is the document, with the item's
title, date, link and the feed's title as the outlet.  With
``[fetch] follow_feed_links = true`` the linked page is fetched instead,
through the polite fetcher.  A feed comes from a ``.rss``/``.atom`` file, a
URL given as a PATH, or a line of a ``.urls`` list.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..records import Document, InputInfo, stable_id

if TYPE_CHECKING:
    from .fetch import Fetcher

__all__ = ["feed_documents", "looks_like_feed", "read_feed_file"]

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")


def looks_like_feed(content_type: str, body: bytes) -> bool:
    ctype = content_type.lower()
    if any(t in ctype for t in _FEED_TYPES):
        return True
    if "xml" in ctype or not ctype or "text/plain" in ctype:
        head = body[:2048].lstrip().lower()
        if head.startswith(b"<?xml"):
            head = head[head.find(b"?>") + 2:].lstrip()
        return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))
    return False


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.date(value[0], value[1], value[2]).isoformat()
            except (TypeError, ValueError):
                continue
    return None


def feed_documents(data: bytes, where: str, *, fetcher: "Fetcher | None" = None,
                   follow_links: bool = False) -> Iterator[Document]:
    """Documents for every item of the feed in ``data`` (bytes of RSS/Atom)."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = parsed.get("bozo_exception")
        yield Document(id=stable_id(where, prefix="err-"), content="", format="html",
                       input=InputInfo(path=where, format="html"),
                       error=f"{where}: no feed items found" + (f" ({reason})" if reason else ""))
        return
    source = parsed.feed.get("title") or None
    for n, entry in enumerate(parsed.entries, 1):
        link = entry.get("link") or None
        title = entry.get("title") or None
        published = _date(entry)
        item_where = f"{where}#{n}"
        if follow_links and fetcher is not None and link:
            yield fetcher.fetch_document(link, where=item_where, title=title, published=published, source=source)
            continue
        content = ""
        for part in entry.get("content") or ():
            if part.get("value", "").strip():
                content = part["value"]
                break
        content = content or entry.get("summary") or ""
        own_id = entry.get("id") or link
        if not content.strip():
            yield Document(id=str(own_id) if own_id else stable_id(item_where, prefix="err-"), content="",
                           format="html", input=InputInfo(path=item_where, url=link, format="html"),
                           title=title, published=published, source=source,
                           error=f"{item_where}: the feed item has no content or summary")
            continue
        body = content if "<" in content else f"<p>{content}</p>"
        html = f"<html><head><title>{_esc(title or '')}</title></head><body><article>{body}</article></body></html>"
        yield Document(
            id=str(own_id) if own_id else stable_id(html),
            content=html,
            format="html",
            input=InputInfo(path=item_where, url=link, format="html"),
            published=published,
            source=source,
            title=title,
        )


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def read_feed_file(path: Path, *, fetcher: "Fetcher | None" = None, follow_links: bool = False,
                   max_bytes: int = 20 * 1024 * 1024) -> Iterator[Document]:
    """The items of an RSS/Atom file."""
    size = path.stat().st_size
    if size > max_bytes:
        yield Document(id=stable_id(str(path), prefix="err-"), content="", format="html",
                       input=InputInfo(path=str(path), format="html"),
                       error=f"{path.name} is {size / 1e6:.1f} MB, over the size limit")
        return
    yield from feed_documents(path.read_bytes(), str(path), fetcher=fetcher, follow_links=follow_links)
