"""Markdown and plain text → Article: blocks, boilerplate classifier, metadata, provenance."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ...records import Article
from .blocks import Block, markdown_blocks, text_blocks
from .classify import classify_blocks, select_body
from .metadata import read_header_footer, wire_credit
from .provenance import Signals, domain_of, resolve_provenance
from .templates import TemplateMemory
from .vocab import Vocabulary, stopwords_for

__all__ = ["TextContext", "extract_textual", "genre_hint"]

KEEP = frozenset({"good", "near", "heading", "short"})
_ESCAPE_LEFTOVER = re.compile(r"\\(?=[\\_*\[\]()#`>!|~-])")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class TextContext:
    vocab: Vocabulary
    detect_language: Callable[[str], str | None]
    templates: TemplateMemory | None = None
    _stop: dict = field(default_factory=dict)  # per-instance stop-word lists, by language

    def stopwords(self, language: str | None) -> frozenset[str]:
        key = language or "en"
        if key not in self._stop:
            self._stop[key] = stopwords_for(key)
        return self._stop[key]


def site_key(url: str | None, fallback: str | None) -> str | None:
    """Which site a page belongs to, for template learning."""
    dom = domain_of(url)
    if dom:
        return dom
    if fallback:
        slug = _SLUG.sub("-", fallback.casefold()).strip("-")
        return slug or None
    return None


def genre_hint(vocab: Vocabulary, *, url: str | None = None, title: str | None = None,
               schema_types: tuple[str, ...] = (), tags: dict[str, list[str]] | None = None,
               opinion_cue: str | None = None) -> tuple[str | None, str | None]:
    """(genre, reason) from URL segments, title prefixes, schema.org types, tags, disclaimers."""
    for genre, types in vocab.genre_schema.items():
        for t in schema_types:
            if t in types:
                return genre, f"schema.org type {t}"
    if url:
        path = url.split("?", 1)[0].split("#", 1)[0].lower()
        segs = [s for s in re.split(r"[/]", path.split("//", 1)[-1])[1:] if s]
        for genre, words in vocab.genre_url.items():
            for s in segs[:-1] or segs:
                if s in words:
                    return genre, f"URL section /{s}/"
    if title:
        low = title.lower()
        for genre, prefixes in vocab.genre_title.items():
            for p in prefixes:
                if low.startswith(p) and len(low) > len(p) and low[len(p)] in ":|-\u2013\u2014":
                    return genre, f"title starts with {title[:len(p)]!r}"
    for key, vals in (tags or {}).items():
        for v in vals:
            lv = v.lower()
            for genre, words in vocab.genre_url.items():
                if lv in words:
                    return genre, f"tag {key}: {v}"
    if opinion_cue:
        return "opinion", f"disclaimer about the author's views ({opinion_cue!r})"
    return None, None


_SENTENCE_END = re.compile(r"(?<=[.!?\u2022\u00b7|])\s+|\s+(?=[\u2022\u00b7|]\s)")


def trim_cue_sentences(text: str, vocab: Vocabulary) -> tuple[str, list[str]]:
    """Cut leading and trailing sentences that carry boilerplate cues; return (kept, removed)."""
    parts = [p for p in _SENTENCE_END.split(text) if p.strip()]
    flags = [bool(vocab.cues.search(p)) or bool(vocab.provenance_line(p)) for p in parts]
    total = max(1, len(text))
    offsets, pos = [], 0
    for p in parts:
        pos = text.find(p, pos)
        offsets.append(pos / total)
        pos += len(p)
    # from the first cue sentence in the second half to the end; up to the last one in the first half
    tail = [i for i, f in enumerate(flags) if f and offsets[i] >= 0.5]
    head = [i for i, f in enumerate(flags) if f and offsets[i] + len(parts[i]) / total <= 0.5]
    a = head[-1] + 1 if head else 0
    z = tail[0] if tail else len(parts)
    if a == 0 and z == len(parts):
        return text, []
    kept = parts[a:z]
    while kept and not any(ch.isalnum() for ch in kept[-1]):
        kept.pop()  # a dangling bullet or bar
    while kept and not any(ch.isalnum() for ch in kept[0]):
        kept.pop(0)
    if not kept:
        return text, []
    start = text.find(kept[0])
    last = kept[-1]
    end = text.rfind(last) + len(last)
    removed = [s for s in (text[:start].strip(), text[end:].strip()) if s]
    return text[start:end], removed


def _clean_text(s: str) -> str:
    return _ESCAPE_LEFTOVER.sub("", s)


def extract_textual(content: str, fmt: str, ctx: TextContext, *, doc_id: str, url: str | None = None,
                    title: str | None = None, source: str | None = None,
                    published: str | None = None) -> Article:
    vocab = ctx.vocab
    blocks: list[Block] = markdown_blocks(content) if fmt == "markdown" else text_blocks(content)
    for b in blocks:
        b.text = _clean_text(b.text)
    sample = " ".join(b.text for b in sorted(blocks, key=lambda b: -len(b.text))[:6])
    language = ctx.detect_language(sample)
    stop = ctx.stopwords(language)

    # site templates: blocks seen on other pages of this site
    site = site_key(url, source)
    templ: set[int] = set()
    if ctx.templates is not None and site:
        templ = ctx.templates.template_indices(site, doc_id, [b.text for b in blocks])
    classify_blocks(blocks, vocab=vocab, stopwords=stop, templates=templ)
    if templ:
        # a page repeated wholesale on its own site is not a template: undo
        good_words = sum(len(b.text.split()) for b in blocks if b.label in ("good", "near"))
        templ_words = sum(len(blocks[i].text.split()) for i in templ)
        if good_words < templ_words:
            templ = set()
            classify_blocks(blocks, vocab=vocab, stopwords=stop)
    a, z = select_body(blocks)
    body_idx = [i for i in range(a, z) if blocks[i].label in KEEP]
    if len(blocks) <= 2 or not body_idx:
        # tiny inputs (a title and a lead) or nothing prose-like: keep all but clear furniture
        body_idx = [i for i, b in enumerate(blocks)
                    if b.text and not b.is_separator and not (b.label == "bad" and "cue" in b.why)]
        if not body_idx:
            body_idx = [i for i, b in enumerate(blocks) if b.text and not b.is_separator]
        a, z = (body_idx[0], body_idx[-1] + 1) if body_idx else (0, 0)
    body_set = set(body_idx)

    # metadata from the blocks around the body
    around = [(b.index, b.kind, b.text) for b in blocks if b.index not in body_set]
    facts = read_header_footer(around, vocab)
    if facts.title is None:
        for b in blocks[:a]:
            if b.kind == "heading" and b.text:
                facts.title = b.text
                break
    if url is None and facts.url:
        url = facts.url
        site = site or site_key(url, None)
    first_body = blocks[body_idx[0]].text if body_idx else ""
    wire = wire_credit(first_body, vocab)
    prov = resolve_provenance(Signals(facts=facts, wire=wire, url=url, fallback_publisher=source,
                                      fallback_published=published))

    links: list[str] = []
    media: list[str] = []
    for i in body_idx + [i for i in range(a, z) if blocks[i].label == "media"]:
        b = blocks[i]
        for href, _ in b.links:
            if href and not href.startswith("#"):
                (media if vocab.is_media_url(href) else links).append(href)
        for src in b.images:
            if vocab.is_media_url(src):
                media.append(src)
    trimmed: list[str] = []
    for i in body_idx:
        if "trimmed" in blocks[i].why:
            blocks[i].text, cut = trim_cue_sentences(blocks[i].text, vocab)
            trimmed.extend(cut)
    text = "\n\n".join(blocks[i].text for i in body_idx)
    boilerplate = tuple([b.raw for b in blocks if b.index not in body_set and b.raw.strip()] + trimmed)
    if ctx.templates is not None and site:
        ctx.templates.observe(site, doc_id, [b.text for b in blocks])
    genre, genre_why = genre_hint(vocab, url=url, title=facts.title or title, tags=facts.tags,
                                  opinion_cue=facts.opinion_cue)
    reasons = list(prov.reasons)
    return Article(
        text=text,
        title=facts.title or title,
        authors=tuple(facts.authors),
        publisher=prov.publisher,
        original_publisher=prov.original_publisher,
        published=prov.published,
        original_published=prov.original_published,
        language=language,
        tags=facts.tags,
        links=tuple(dict.fromkeys(links)),
        media=tuple(dict.fromkeys(media)),
        boilerplate=boilerplate,
        genre_hint=genre,
        url=url,
        site=site,
        provenance=tuple(reasons),
    )
