"""Relative and absolute date expressions, resolved against the publication date.

Rules only (no dateparser): a few compiled regular expressions over the text,
so the cost is linear and tiny next to parsing.  Each hit becomes a
:class:`~.context.DateMention` with exact offsets.

Resolved forms (``P`` = publication date):

* ``today``/``this morning``/``tonight`` → P; ``yesterday``/``last night`` → P-1;
  ``the day before yesterday`` → P-2; ``tomorrow`` → P+1;
* a weekday (``on Tuesday``) → the latest such day on or before P; ``last
  Tuesday`` → the one before that when it would be P itself; ``next Tuesday``
  → the first after P;
* ``last week``/``last month``/``last year`` → P-7 / P-30 / P-365;
  ``earlier this week``, ``in recent days``, ``this week`` → P;
  ``N days/weeks ago`` → P-N days/weeks;
* ``12 May``, ``May 12``, ``September 28, 2021``, ``12 May 2021``, ISO
  ``2021-09-28`` → that day; without a year, P's year, or the year before when
  the day would fall more than 60 days after P.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from .context import DateMention

__all__ = ["parse_iso", "resolve_dates", "resolve_dates_in_text"]

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MON = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("day_month", re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MON + _YEAR + r"\b")),
    ("month_day", re.compile(r"\b" + _MON + r"\s+" + _DAY + r"(?!\d)" + _YEAR + r"\b(?!\s*(?:per|%|million|billion))")),
    ("weekday", re.compile(r"\b(?:(?P<rel>last|next|this|on|since)\s+)?" + _WD + r"\b")),
    ("ago", re.compile(r"\b(?P<n>\d{1,2}|a|one|two|three|four|five|six|seven|ten)\s+(?P<unit>days?|weeks?)\s+ago\b", re.I)),
    ("relative", re.compile(
        r"\b(?:the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow|last\s+night|this\s+morning|"
        r"earlier\s+(?:this|today)|earlier\s+this\s+week|this\s+week|in\s+recent\s+days|recent\s+days|"
        r"last\s+week|last\s+month|last\s+year|a\s+week\s+ago|a\s+month\s+ago)\b", re.I)),
)
_NUM = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
_REL_DAYS = {"the day before yesterday": -2, "yesterday": -1, "last night": -1, "today": 0, "tonight": 0,
             "this morning": 0, "tomorrow": 1, "earlier this": 0, "earlier today": 0,
             "earlier this week": 0, "this week": 0, "in recent days": 0, "recent days": 0,
             "last week": -7, "a week ago": -7, "last month": -30, "a month ago": -30, "last year": -365}


def parse_iso(value: str | None) -> date | None:
    """The date part of an ISO date or datetime string, else ``None``."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _calendar(pub: date | None, year: str | None, month: int, day: int) -> date | None:
    if year:
        y = int(year)
    elif pub is not None:
        y = pub.year
    else:
        return None
    try:
        d = date(y, month, day)
    except ValueError:
        return None
    if not year and pub is not None and (d - pub).days > 60:
        try:
            d = date(y - 1, month, day)
        except ValueError:
            return None
    return d


def _resolve(kind: str, m: re.Match[str], pub: date | None) -> date | None:
    g = m.groupdict()
    if kind == "iso":
        try:
            return date(int(g["y"]), int(g["m"]), int(g["d"]))
        except ValueError:
            return None
    if kind in ("day_month", "month_day"):
        return _calendar(pub, g.get("year"), _MONTHS[g["mon"].lower().rstrip(".")], int(g["day"]))
    if pub is None:
        return None
    if kind == "weekday":
        target = _WEEKDAYS[g["wd"].lower()]
        rel = (g.get("rel") or "").lower()
        back = (pub.weekday() - target) % 7
        if rel == "next":
            return pub + timedelta(days=(target - pub.weekday()) % 7 or 7)
        if rel == "last" and back == 0:
            back = 7
        return pub - timedelta(days=back)
    if kind == "ago":
        n = g["n"].lower()
        n_val = int(n) if n.isdigit() else _NUM.get(n, 1)
        unit = 7 if g["unit"].lower().startswith("week") else 1
        return pub - timedelta(days=n_val * unit)
    if kind == "relative":
        key = " ".join(m.group(0).lower().split())
        return pub + timedelta(days=_REL_DAYS.get(key, 0))
    return None


def resolve_dates_in_text(text: str, published: str | None) -> tuple[DateMention, ...]:
    """Every date expression in ``text`` resolved against ``published``, in text order."""
    pub = parse_iso(published)
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            d = _resolve(kind, m, pub)
            if d is None:
                continue
            taken.append((s, e))
            out.append(DateMention(text=text[s:e], start=s, end=e, date=d.isoformat(), how=kind))
    out.sort(key=lambda d: d.start)
    return tuple(out)


def resolve_dates(doc, published: str | None) -> tuple[DateMention, ...]:
    """Date expressions of a spaCy ``doc`` (or plain string)."""
    text = doc if isinstance(doc, str) else doc.text
    return resolve_dates_in_text(text, published)
