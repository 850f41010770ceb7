"""Safe highlighting of character spans in untrusted text.

The text is split at every span boundary; each piece is HTML-escaped on its
own and then wrapped in the ``<mark>`` elements of the spans that cover it.
Markup is only ever produced by this module from constant tags; the only
values inserted into attributes are escaped too.  Overlapping spans are fine:
every piece opens and closes its own marks, so the output is always well
nested.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup, escape

__all__ = ["Span", "highlight", "safe_url"]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str  # "event" or "framing" (constant CSS classes)
    anchor: str  # element id placed at the span's start
    label: str  # tooltip text (escaped)
    muted: bool = False  # e.g. an event that is not asserted: drawn dashed


_KINDS = {"event": "ev", "framing": "fr"}


def highlight(text: str, spans: list[Span]) -> Markup:
    """``text`` as escaped HTML with ``<mark>`` around each valid span."""
    n = len(text)
    valid = [s for s in spans if 0 <= s.start < s.end <= n and s.kind in _KINDS]
    bounds = sorted({0, n, *(s.start for s in valid), *(s.end for s in valid)})
    starts: dict[int, list[Span]] = {}
    for s in valid:
        starts.setdefault(s.start, []).append(s)
    out: list[str] = []
    for p, q in zip(bounds, bounds[1:]):
        for s in starts.get(p, ()):
            out.append(f'<span class="anchor" id="{escape(s.anchor)}"></span>')
        piece = str(escape(text[p:q]))
        active = sorted((s for s in valid if s.start <= p and s.end >= q), key=lambda s: (s.start, -s.end, s.kind))
        for s in active:
            css = _KINDS[s.kind] + (" muted" if s.muted else "")
            piece = (f'<mark class="{css}" data-anchor="{escape(s.anchor)}" '
                     f'title="{escape(s.label)}">{piece}</mark>')
        out.append(piece)
    return Markup("".join(out))


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a plain http(s) URL, else None (no javascript:, data: ...)."""
    if not url or not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()
