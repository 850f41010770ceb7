"""Decide who published a page, who wrote it first, and when: the provenance layer.

Inputs are the signals the extractors found (header/footer lines, HTML
metadata, the body's opening words, the canonical URL); the output is the
Article's publisher/original_publisher/published/original_published fields
plus a human-readable list of reasons (``Article.provenance``).

Priority of the *original publisher* signals:

1. an explicit line: "The original source of this article is X",
   "Originally published by/at X", "This article first appeared on X", ...
2. a wire credit opening the body: "(Reuters) —", "AP —";
3. a canonical URL on another domain than the page's own URL.

Supporting evidence (byline, dated credit, copyright line naming the same
name) is added to the reasons.  When the "original" is the publisher itself
(a Reuters story on reuters.com), there is no original publisher.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .metadata import HeaderFacts, same_name

__all__ = ["Provenance", "Signals", "domain_of", "resolve_provenance"]


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else (host or None)


def _registrable(host: str | None) -> str | None:
    """example.co.uk → example.co.uk, news.example.com → example.com (good enough offline)."""
    if not host:
        return None
    parts = host.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in ("co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"):
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


@dataclass(slots=True)
class Signals:
    facts: HeaderFacts = field(default_factory=HeaderFacts)
    wire: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    meta_publisher: str | None = None
    meta_published: str | None = None
    meta_authors: tuple[str, ...] = ()
    meta_original: str | None = None  # e.g. JSON-LD isBasedOn / sourceOrganization
    fallback_publisher: str | None = None  # Document.source
    fallback_published: str | None = None  # Document.published


@dataclass(slots=True)
class Provenance:
    publisher: str | None = None
    original_publisher: str | None = None
    published: str | None = None
    original_published: str | None = None
    canonical_foreign: bool = False
    reasons: list[str] = field(default_factory=list)


def resolve_provenance(sig: Signals) -> Provenance:
    facts = sig.facts
    out = Provenance()
    page_dom = _registrable(domain_of(sig.url))
    canon_dom = _registrable(domain_of(sig.canonical_url))
    if page_dom and canon_dom and page_dom != canon_dom:
        out.canonical_foreign = True

    # -- the original publisher ------------------------------------------------
    candidates: list[tuple[str, str]] = list(facts.original)
    if sig.meta_original:
        candidates.append((sig.meta_original, f"the page's metadata names {sig.meta_original} as the source"))
    if sig.wire:
        candidates.append((sig.wire, f"the body opens with a wire credit ({sig.wire})"))
    if out.canonical_foreign:
        candidates.append((domain_of(sig.canonical_url) or "", f"the canonical URL points to another domain "
                           f"({domain_of(sig.canonical_url)}, page on {domain_of(sig.url)})"))
    original = candidates[0][0] if candidates else None
    reasons = [why for who, why in candidates if same_name(who, original) or who == original]
    if original and not reasons:
        reasons = [candidates[0][1]]

    # -- the publisher -----------------------------------------------------------
    authors = list(facts.authors) or list(sig.meta_authors)
    dated = facts.dated_names
    publisher = None
    for name, _iso in dated:
        if name and not same_name(name, original) and not any(same_name(name, a) for a in authors):
            publisher = name
            break
    publisher = publisher or sig.meta_publisher
    if not publisher:
        for holder in facts.copyright:
            if not same_name(holder, original):
                publisher = holder
                break
    publisher = publisher or sig.fallback_publisher
    if original and publisher and same_name(original, publisher):
        # the page is the original's own copy (a wire story on the wire's site)
        reasons = []
        original = None
    out.publisher = publisher

    if original:
        for name, _iso in dated:
            if same_name(name, original):
                reasons.append(f"a dated credit names {original}")
                break
        if any(same_name(a, original) for a in authors):
            reasons.append(f"the byline names {original}")
        if any(same_name(c, original) for c in facts.copyright):
            reasons.append(f"the copyright line names {original}")
        if publisher:
            reasons.append(f"the page itself is published by {publisher}")
    out.original_publisher = original
    out.reasons = list(dict.fromkeys(reasons))
    if out.canonical_foreign and not original:
        out.reasons.append(f"the canonical URL is on another domain ({domain_of(sig.canonical_url)})")

    # -- dates -------------------------------------------------------------------
    published = None
    original_published = None
    for name, iso in dated:
        if original and name and same_name(name, original):
            original_published = original_published or iso
        elif published is None and (not name or not original or not same_name(name, original)):
            published = iso
    if original and original_published is None and published is None and dated:
        published = dated[0][1]
    out.published = published or sig.meta_published or sig.fallback_published
    out.original_published = original_published if original else None
    return out
