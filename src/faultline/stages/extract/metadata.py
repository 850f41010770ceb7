"""Metadata read from the lines around the body: bylines, dates, tag lines, provenance.

Everything here works on rendered block text (Markdown already stripped) and
is generic: a byline is "By X", a dated credit is "Name, <date>" or
"Name <date>", a tag line is "Key: a, b" with a known key, and a repost names
its origin with phrases such as "The original source of this article is X".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

from .vocab import Vocabulary

__all__ = ["HeaderFacts", "find_dates", "parse_date", "read_header_footer", "split_names", "wire_credit",
           "same_name", "clean_name"]

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATE_PATTERNS = (
    re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:\b|(?=T\d))"),
    re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>(?:19|20)\d\d)\b"),
)
_NAME_WORD = re.compile(r"^[A-Z0-9\u00C0-\u024F][\w'’.&\-]*$|^(?:of|the|and|de|la|le|van|von|der|al|el|for|on|du|da|di|y|&)$", re.U)
_TAG_LINE = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z \-]{1,30}?)\s*:\s*(?P<vals>.+?)\s*$")
_SPLIT_VALUES = re.compile(r"\s*(?:,|;|\||•|·|/)\s*")
_SPLIT_NAMES = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\|)\s*", re.I)
_WHO_TAIL = re.compile(r"\s+(?:and\s+(?:is|was|has|are|have)|under|with|which|who|where|as\s+part|on\s+\w+\s+\d|"
                       r"on\s+\d|in\s+(?:19|20)\d\d|and\s+(?:re)?(?:published|posted|printed))\b.*$", re.I)
_KEY_LINE = re.compile(r"^\s*(?P<key>title|url source|source url|url|canonical url|canonical|published time|"
                       r"publication date|published|date published|date|updated|last updated|posted)\s*:\s*(?P<val>.+)$",
                       re.I)
_COPYRIGHT = re.compile(r"(?:copyright|\(c\)|©)\s*(?:©|\(c\))?\s*(?:(?:19|20)\d\d\s*)?(?P<who>[^,.\n]{2,60})", re.I)


def parse_date(match: re.Match[str]) -> str | None:
    gd = match.groupdict()
    try:
        y = int(gd["y"])
        m = _MONTHS[gd["mon"].lower().rstrip(".")] if gd.get("mon") else int(gd["m"])
        d = int(gd["d"])
        return date(y, m, d).isoformat()
    except (KeyError, ValueError, TypeError):
        return None


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Every (ISO date, start, end) found in ``text``, in order, without overlaps."""
    found: list[tuple[str, int, int]] = []
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(text):
            iso = parse_date(m)
            if iso and not any(s < m.end() and m.start() < e for _, s, e in found):
                found.append((iso, m.start(), m.end()))
    return sorted(found, key=lambda t: t[1])


def clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\\", "")).strip(" \t,;:.-–—|*_#()[]\"'“”")
    return text


def looks_like_name(text: str, *, max_words: int = 7) -> bool:
    words = text.split()
    if not 1 <= len(words) <= max_words or not any(ch.isalpha() for ch in text):
        return False
    if "@" in text or "http" in text.lower():
        return False
    caps = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return caps >= max(1, (len(words) + 1) // 2) and all(_NAME_WORD.match(w) for w in words)


def same_name(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    fa = re.sub(r"[^\w]", "", a.casefold())
    fb = re.sub(r"[^\w]", "", b.casefold())
    return bool(fa) and (fa == fb or (min(len(fa), len(fb)) >= 5 and (fa in fb or fb in fa)))


def split_names(text: str, *, stop: Iterable[str] = ()) -> list[str]:
    """"Jane Doe and John Roe, Reuters" → names that look like names."""
    stop = {s.lower() for s in stop}
    out: list[str] = []
    for part in _SPLIT_NAMES.split(text):
        words = []
        for w in part.split():
            if w.lower() in stop:
                break
            words.append(w)
        name = clean_name(" ".join(words))
        if name and looks_like_name(name, max_words=5) and not find_dates(name):
            if not any(same_name(name, o) for o in out):
                out.append(name)
    return out


def wire_credit(text: str, vocab: Vocabulary) -> str | None:
    """The wire service credited at the start of the body ("(Reuters) —")."""
    m = vocab.wire_re.search(text[:200])
    if not m:
        return None
    return m.group("a") or m.group("b")


@dataclass(slots=True)
class HeaderFacts:
    """What the lines around the body say."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    dated_names: list[tuple[str | None, str]] = field(default_factory=list)  # (name, iso date)
    tags: dict[str, list[str]] = field(default_factory=dict)
    original: list[tuple[str, str]] = field(default_factory=list)  # (who, reason)
    copyright: list[str] = field(default_factory=list)
    opinion_cue: str | None = None
    url: str | None = None  # a "URL Source:" header line
    used: set[int] = field(default_factory=set)  # block indices that carried metadata


def read_header_footer(texts: Sequence[tuple[int, str, str]], vocab: Vocabulary) -> HeaderFacts:
    """Read metadata from (block index, kind, rendered text) of the header and footer blocks."""
    facts = HeaderFacts()
    for idx, kind, text in texts:
        line_texts = [ln.strip() for ln in text.split("\n") if ln.strip()]
        if kind == "heading" and facts.title is None and len(text.split()) >= 3:
            facts.title = clean_name(text) or None
            facts.used.add(idx)
            continue
        for src in (vocab.original_source if vocab.provenance_line(text) else ()):
            m = src.search(text)
            if m:
                who = clean_name(m.group("who"))
                # "South Front Copyright © ..." after a hard break: keep the first line
                who = clean_name(re.split(r"\s+(?:copyright|©|\(c\))", who, flags=re.I)[0])
                who = clean_name(_WHO_TAIL.split(who)[0])
                if who and len(who.split()) <= 8:
                    facts.original.append((who, f"the page says \u201c{clean_name(m.group(0))}\u201d"))
                    facts.used.add(idx)
                break
        for ln in line_texts:
            m = _COPYRIGHT.search(ln)
            if m and len(ln.split()) <= 20:
                who = clean_name(re.sub(r"\b(?:19|20)\d\d\b", "", m.group("who")))
                who = clean_name(re.split(r"\ball rights reserved\b", who, flags=re.I)[0])
                if who and looks_like_name(who, max_words=6):
                    facts.copyright.append(who)
        if vocab.opinion_cues.search(text) and facts.opinion_cue is None:
            facts.opinion_cue = vocab.opinion_cues.search(text).group(0)
        for ln in line_texts:
            words = ln.split()
            if len(words) > 16:
                continue
            low = ln.lower()
            # bylines: "By X", "Articles by: X", "Author: X"
            for pre in vocab.byline_prefixes:
                if low.startswith(pre) and len(low) > len(pre) and not low[len(pre)].isalnum():
                    rest = ln[len(pre):].lstrip(" :\u2013\u2014-")
                    rest_nodate = rest
                    for iso, s, e in reversed(find_dates(rest)):
                        rest_nodate = rest_nodate[:s] + "," + rest_nodate[e:]
                    names = split_names(rest_nodate, stop=vocab.byline_stop)
                    for nm in names:
                        if not any(same_name(nm, a) for a in facts.authors):
                            facts.authors.append(nm)
                    if names:
                        facts.used.add(idx)
                    break
            else:
                tm = _TAG_LINE.match(ln)
                if tm and tm.group("key").strip().lower() in vocab.tag_keys:
                    vals = [clean_name(v) for v in _SPLIT_VALUES.split(tm.group("vals"))]
                    vals = [v for v in vals if v and len(v.split()) <= 6]
                    if vals:
                        key = tm.group("key").strip().lower()
                        bucket = facts.tags.setdefault(key, [])
                        bucket.extend(v for v in vals if v not in bucket)
                        facts.used.add(idx)
                    continue
                km = _KEY_LINE.match(ln)
                if km:  # crawler header lines: "Title: …", "URL Source: …", "Published Time: …"
                    key, val = km.group("key").lower(), km.group("val").strip()
                    if key == "title" and facts.title is None and val:
                        facts.title = clean_name(val) or None
                        facts.used.add(idx)
                        continue
                    if "url" in key or key == "canonical":
                        u = re.search(r"https?://\S+", val)
                        if u and facts.url is None:
                            facts.url = u.group(0).rstrip(").,>")
                            facts.used.add(idx)
                        continue
                    found = find_dates(val)
                    if found:
                        facts.dated_names.append((None, found[0][0]))
                        facts.used.add(idx)
                        continue
                dates = find_dates(ln)
                if dates and len(words) <= 12:
                    iso, s, e = dates[0]
                    rest = clean_name(ln[:s] + " " + ln[e:])
                    rest = clean_name(re.sub(r"^(?:published|updated|posted|last updated|on|date)\b[:\s]*", "", rest, flags=re.I))
                    rest = clean_name(re.sub(r"\b(?:published|updated|posted|on|at)\b$", "", rest, flags=re.I))
                    rest = clean_name(re.sub(r"\b\d{1,2}:\d\d(?:\s*[ap]\.?m\.?)?\b.*$", "", rest, flags=re.I))
                    name = rest if rest and looks_like_name(rest, max_words=6) else None
                    facts.dated_names.append((name, iso))
                    facts.used.add(idx)
    return facts
