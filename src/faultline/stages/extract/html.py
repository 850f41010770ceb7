"""HTML → Article: trafilatura for the body, our own scan for links, media and metadata.

The page is parsed once (lxml); trafilatura extracts the body and its
metadata from that tree, and we read from the same tree what trafilatura
drops: video/audio/iframe embeds and direct media links, the canonical URL,
JSON-LD (schema.org type, publisher, authors, ``isBasedOn``) and the links
inside the article.  The trailing and leading lines of the extracted body go
through the same cue-phrase and provenance readers as Markdown, so "This
article first appeared on …" lines and share/donate appeals that trafilatura
kept are moved to ``boilerplate`` and read as provenance.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from ...records import Article
from .blocks import Block, text_blocks
from .classify import classify_blocks
from .metadata import find_dates, read_header_footer, same_name, split_names, wire_credit
from .provenance import Signals, resolve_provenance
from .textual import TextContext, genre_hint, site_key

__all__ = ["HtmlOptions", "extract_html", "scan_page"]

_MEDIA_XPATH = ("//video/@src|//video//source/@src|//audio/@src|//audio//source/@src|//iframe/@src"
                "|//embed/@src|//object/@data|//meta[@property='og:video' or @property='og:video:url'"
                " or @property='og:audio' or @property='og:video:secure_url']/@content")
_BODY_ANCHORS = ("//p//a[@href]|//blockquote//a[@href]|//figcaption//a[@href]|//td//a[@href]"
                 "|//h2//a[@href]|//h3//a[@href]")
_EDGE_BLOCKS = 4  # body lines at each end checked for appeals and provenance lines


@dataclass(frozen=True, slots=True)
class HtmlOptions:
    include_comments: bool = False
    include_tables: bool = True
    favor_precision: bool = False


@dataclass(slots=True)
class PageScan:
    canonical: str | None = None
    lang: str | None = None
    schema_types: tuple[str, ...] = ()
    ld_publisher: str | None = None
    ld_authors: tuple[str, ...] = ()
    ld_published: str | None = None
    ld_title: str | None = None
    ld_original: str | None = None
    ld_keywords: tuple[str, ...] = ()
    media: tuple[str, ...] = ()
    meta_title: str | None = None
    meta_site: str | None = None
    meta_authors: tuple[str, ...] = ()
    meta_date: str | None = None
    meta_section: tuple[str, ...] = ()
    meta_tags: tuple[str, ...] = ()


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        n = value.get("name")
        return [n] if isinstance(n, str) else []
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _ld_objects(data: Any):
    if isinstance(data, list):
        for d in data:
            yield from _ld_objects(d)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _ld_objects(data["@graph"])
        yield data


def scan_page(tree, *, url: str | None, vocab) -> PageScan:
    """What trafilatura does not give us, read from the parsed page."""
    scan = PageScan()
    canon = tree.xpath("//link[@rel='canonical']/@href") or tree.xpath("//meta[@property='og:url']/@content")
    if canon:
        c = canon[0].strip()
        scan.canonical = urljoin(url, c) if url else c
    lang = tree.xpath("/html/@lang")
    if lang:
        scan.lang = lang[0].strip().split("-")[0].split("_")[0].lower() or None
    media: list[str] = []
    for src in tree.xpath(_MEDIA_XPATH):
        src = src.strip()
        if src and not src.startswith(("data:", "about:", "javascript:")):
            full = urljoin(url, src) if url else src
            if vocab.is_media_url(full):
                media.append(full)
    exts = vocab.media_extensions
    for href in tree.xpath("//a/@href"):
        if href.lower().split("?", 1)[0].endswith(exts):
            media.append(urljoin(url, href) if url else href)
    scan.media = tuple(dict.fromkeys(media))
    types: list[str] = []
    for raw in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(raw)
        except (ValueError, TypeError):
            continue
        for obj in _ld_objects(data):
            t = obj.get("@type")
            tl = [t] if isinstance(t, str) else [x for x in t if isinstance(x, str)] if isinstance(t, list) else []
            if not any(x.endswith(("Article", "Posting", "Review")) or x == "Report" for x in tl):
                continue
            types.extend(tl)
            scan.ld_title = scan.ld_title or (obj.get("headline") if isinstance(obj.get("headline"), str) else None)
            scan.ld_publisher = scan.ld_publisher or next(iter(_names(obj.get("publisher"))), None)
            if not scan.ld_authors:
                scan.ld_authors = tuple(n.strip() for n in _names(obj.get("author")) if n.strip())
            if not scan.ld_published and isinstance(obj.get("datePublished"), str):
                found = find_dates(obj["datePublished"])
                scan.ld_published = found[0][0] if found else None
            if not scan.ld_original:
                orig = _names(obj.get("isBasedOn")) or _names(obj.get("sourceOrganization"))
                scan.ld_original = orig[0] if orig else None
            kw = obj.get("keywords")
            if kw and not scan.ld_keywords:
                kws = kw if isinstance(kw, list) else str(kw).split(",")
                scan.ld_keywords = tuple(k.strip() for k in kws if isinstance(k, str) and k.strip())
    scan.schema_types = tuple(dict.fromkeys(types))
    _scan_meta(tree, scan, url)
    return scan


_DATE_META = ("article:published_time", "og:published_time", "date", "pubdate", "publishdate", "publish-date",
              "publish_date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
              "datepublished", "article.published", "cxenseparse:recs:publishtime")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/")
_URL_DATE_MON = re.compile(r"/((?:19|20)\d\d)/([a-z]{3,9})/(\d{1,2})/", re.I)
_TITLE_SPLIT = re.compile(r"\s+[|\u2013\u2014\-:\u00bb\u00b7]\s+")


def _scan_meta(tree, scan: PageScan, url: str | None) -> None:
    """Cheap <meta>/<title>/<h1>/<time> reading (trafilatura's metadata pass is the slow part)."""
    metas: dict[str, list[str]] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        val = (m.get("content") or "").strip()
        if key and val:
            metas.setdefault(key, []).append(val)
    first = lambda *keys: next((metas[k][0] for k in keys if k in metas), None)  # noqa: E731
    if not scan.lang:
        loc = first("og:locale", "content-language", "dc.language", "language")
        if loc and re.match(r"^[a-zA-Z]{2}(?:[-_]|$)", loc):
            scan.lang = loc[:2].lower()
    h1 = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
    h1 = [h for h in h1 if h]
    page_title = " ".join((tree.findtext(".//title") or "").split())
    title = first("og:title", "twitter:title") or scan.ld_title
    if len(h1) == 1 and (not title or h1[0].lower() in (title + " " + page_title).lower()):
        title = h1[0]
    if not title and page_title:
        parts = _TITLE_SPLIT.split(page_title)
        title = max(parts, key=len) if len(parts) > 1 else page_title
    scan.meta_title = title or None
    scan.meta_site = first("og:site_name", "application-name", "twitter:site") or None
    if scan.meta_site and scan.meta_site.startswith("@"):
        scan.meta_site = None
    site = scan.meta_site or scan.ld_publisher
    if scan.meta_title and site:
        # "Headline | Site Name" -> "Headline"
        parts = _TITLE_SPLIT.split(scan.meta_title)
        if len(parts) > 1 and same_name(parts[-1], site):
            scan.meta_title = " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    authors = [a for a in metas.get("author", []) + metas.get("article:author", []) + metas.get("dc.creator", [])
               if a and "://" not in a and len(a) < 80]
    scan.meta_authors = tuple(dict.fromkeys(authors))
    when = scan.ld_published
    if not when:
        raw = first(*_DATE_META)
        if not raw:
            times = (tree.xpath("//*[@itemprop='datePublished']/@datetime|//*[@itemprop='datePublished']/@content")
                     or tree.xpath("//time/@datetime"))
            raw = times[0] if times else None
        found = find_dates(raw) if raw else []
        when = found[0][0] if found else None
    if not when and url:
        m = _URL_DATE.search(url)
        if m:
            found = find_dates("-".join(m.groups()))
            when = found[0][0] if found else None
        else:
            m = _URL_DATE_MON.search(url)
            found = find_dates(f"{m.group(3)} {m.group(2)} {m.group(1)}") if m else []
            when = found[0][0] if found else None
    scan.meta_date = when
    scan.meta_section = tuple(dict.fromkeys(metas.get("article:section", [])))
    scan.meta_tags = tuple(dict.fromkeys(metas.get("article:tag", [])))


def _body_links(tree, text: str, url: str | None, vocab) -> tuple[list[str], list[str]]:
    """Links whose anchor text is part of the extracted body."""
    links: list[str] = []
    media: list[str] = []
    for a in tree.xpath(_BODY_ANCHORS):
        href = a.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        anchor = " ".join((a.text_content() or "").split())
        if len(anchor) < 4 or anchor not in text:
            continue
        full = urljoin(url, href) if url else href
        (media if vocab.is_media_url(full) else links).append(full)
    return links, media


def _is_meta_line(text: str, vocab) -> bool:
    """A short line that is a byline ("By X"), a tag line ("Tags: a, b") or a dated credit."""
    if len(text.split()) > 12 or _SENT_LIKE.search(text):
        return False
    facts = read_header_footer([(0, "para", text)], vocab)
    return bool(facts.authors or facts.tags or facts.dated_names)


_SENT_LIKE = re.compile(r"[a-z]{3,}[.!?][\"'”’]?\s*$")


def extract_html(html: str | bytes, *, url: str | None, ctx: TextContext, options: HtmlOptions | None = None,
                 title: str | None = None, source: str | None = None, published: str | None = None) -> Article:
    import trafilatura
    from trafilatura.utils import load_html

    options = options or HtmlOptions()
    vocab = ctx.vocab
    tree = load_html(html)
    if tree is None:
        return Article(text="", url=url)
    scan = scan_page(tree, url=url, vocab=vocab)
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=options.include_comments,
        include_tables=options.include_tables, favor_precision=options.favor_precision,
    )
    text = (doc.text if doc is not None else "") or ""
    page_url = url or scan.canonical

    # -- edge lines of the body: appeals and provenance lines trafilatura kept -------
    lines = text_blocks(text.replace("\n", "\n\n")) if text else []
    language = scan.lang
    if not language:
        language = ctx.detect_language(text)
    boilerplate: list[str] = []
    final_title = scan.meta_title or title
    title_key = " ".join(final_title.split()).casefold() if final_title else ""
    if lines:
        edge = lines[:_EDGE_BLOCKS] + lines[-_EDGE_BLOCKS:] if len(lines) > 2 * _EDGE_BLOCKS else lines
        classify_blocks(edge, vocab=vocab, stopwords=ctx.stopwords(language))
        drop: set[int] = set()
        # strip from the end inwards (and from the start outwards) while lines are appeals
        for lead, seq in ((False, lines[::-1][:_EDGE_BLOCKS]), (True, lines[:_EDGE_BLOCKS])):
            for b in seq:
                if b.label == "bad" and ("cue" in b.why or "provenance" in b.why):
                    drop.add(id(b))
                elif lead and title_key and " ".join(b.text.split()).casefold() == title_key:
                    drop.add(id(b))  # the headline repeated as the first body line
                elif lead and _is_meta_line(b.text, vocab):
                    drop.add(id(b))  # byline, dated credit or tag line kept at the top of the body
                else:
                    break
        kept: list[Block] = [b for b in lines if id(b) not in drop]
        if kept:
            removed = [b for b in lines if id(b) in drop]
            boilerplate = [b.raw for b in removed]
            text = "\n".join(b.text for b in kept)
            facts = read_header_footer([(i, "para", b.text) for i, b in enumerate(removed)], vocab)
        else:
            facts = read_header_footer([], vocab)
    else:
        facts = read_header_footer([], vocab)

    if final_title and text:
        head, _, rest = text.partition("\n")
        if rest and " ".join(head.split()).casefold() == " ".join(final_title.split()).casefold():
            boilerplate.insert(0, head)  # the title repeated as the first body line
            text = rest
    authors = list(facts.authors)
    if not authors:
        if scan.ld_authors:
            authors = list(scan.ld_authors)
        elif scan.meta_authors:
            authors = [a.strip() for m in scan.meta_authors for a in m.split(";") if a.strip()]
            if len(authors) == 1 and ("," in authors[0] or " and " in authors[0] or len(authors[0].split()) > 4):
                authors = split_names(authors[0]) or authors
        site_name = scan.meta_site or scan.ld_publisher
        if site_name and len(authors) > 1:
            authors = [a for a in authors if not same_name(a, site_name)] or authors
    wire = wire_credit(text, vocab)
    prov = resolve_provenance(Signals(
        facts=facts, wire=wire, url=page_url, canonical_url=scan.canonical,
        meta_publisher=scan.ld_publisher or scan.meta_site, meta_published=scan.meta_date,
        meta_authors=tuple(authors), meta_original=scan.ld_original,
        fallback_publisher=source, fallback_published=published,
    ))
    links, body_media = _body_links(tree, text, page_url, vocab)
    media = list(dict.fromkeys(list(scan.media) + body_media))
    tags: dict[str, list[str]] = dict(facts.tags)
    if scan.ld_keywords:
        tags.setdefault("keywords", list(scan.ld_keywords))
    if scan.meta_section:
        tags.setdefault("section", list(scan.meta_section))
    if scan.meta_tags:
        tags.setdefault("tags", list(scan.meta_tags))
    genre, _why = genre_hint(vocab, url=scan.canonical or page_url, title=final_title,
                             schema_types=scan.schema_types, tags=tags, opinion_cue=facts.opinion_cue)
    return Article(
        text=text,
        title=final_title,
        authors=tuple(authors),
        publisher=prov.publisher,
        original_publisher=prov.original_publisher,
        published=prov.published,
        original_published=prov.original_published,
        language=language,
        tags=tags,
        links=tuple(dict.fromkeys(links)),
        media=tuple(media),
        boilerplate=tuple(boilerplate),
        genre_hint=genre,
        url=page_url,
        canonical_url=scan.canonical,
        canonical_foreign=prov.canonical_foreign,
        site=site_key(page_url, prov.publisher),
        provenance=tuple(prov.reasons),
    )
