"""Markdown and plain text → a flat list of blocks.

A *block* is one paragraph, heading, list-item paragraph, table, code block
or thematic break.  Each block keeps its verbatim source (for
``Article.boilerplate``), its rendered plain text (links → their text,
emphasis and escapes removed) and the URLs it carries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Block", "markdown_blocks", "text_blocks", "render_inline_markdown", "URL_RE"]

URL_RE = re.compile(r"""(?:https?://|www\.)[^\s<>()\[\]"'`]+[^\s<>()\[\]"'`.,;:!?]""", re.I)
_HTML_ATTR_SRC = re.compile(r"""\b(?:src|href|data-src)\s*=\s*["']([^"']+)["']""", re.I)
_TAG = re.compile(r"<[^>]+>")
_BROKEN_LINK = re.compile(r"""\]\(\s*([^)\s]+)(?:\s+"[^"]*")?\s*\)""")
_WS = re.compile(r"[ \t\r\f\v]+")
_SEPARATOR = re.compile(r"^[\s*_\-=~#•·.]{1,40}$")


@dataclass(slots=True)
class Block:
    """One block of a page, with what the classifier needs."""

    index: int
    kind: str  # para | heading | list | quote | code | hr | table | html
    raw: str
    text: str
    level: int = 0  # heading level
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, anchor text)
    images: list[str] = field(default_factory=list)
    link_chars: int = 0
    emph_chars: int = 0
    start_line: int = 0
    # filled by the classifier
    label: str = ""
    score: float = 0.0
    why: str = ""

    @property
    def is_separator(self) -> bool:
        return self.kind == "hr" or (bool(self.raw.strip()) and bool(_SEPARATOR.match(self.text or "-"))
                                     and not any(ch.isalnum() for ch in self.text))

    @property
    def link_density(self) -> float:
        n = len(self.text.strip())
        return min(1.0, self.link_chars / n) if n else (1.0 if self.links else 0.0)

    @property
    def emphasis_ratio(self) -> float:
        n = len(self.text.strip())
        return min(1.0, self.emph_chars / n) if n else 0.0


def _md():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def _render_inline(children) -> tuple[str, list[tuple[str, str]], list[str], int, int]:
    """Plain text of an inline token list, plus links, images, link/emphasis chars."""
    out: list[str] = []
    links: list[tuple[str, str]] = []
    images: list[str] = []
    link_stack: list[tuple[str, int]] = []
    emph_depth = 0
    link_chars = 0
    emph_chars = 0
    for tok in children or ():
        t = tok.type
        piece = ""
        if t == "text" or t == "code_inline":
            piece = tok.content
        elif t == "softbreak":
            piece = " "
        elif t == "hardbreak":
            piece = "\n"
        elif t == "link_open":
            link_stack.append((tok.attrs.get("href") or "", sum(len(p) for p in out)))
        elif t == "link_close":
            if link_stack:
                href, start = link_stack.pop()
                anchor = "".join(out)[start:]
                links.append((href, anchor.strip()))
        elif t == "image":
            src = tok.attrs.get("src") or ""
            if src:
                images.append(src)
        elif t in ("em_open", "strong_open", "s_open"):
            emph_depth += 1
        elif t in ("em_close", "strong_close", "s_close"):
            emph_depth = max(0, emph_depth - 1)
        elif t == "html_inline":
            if tok.content.lower().startswith(("<img", "<video", "<source", "<iframe", "<audio", "<embed")):
                images.extend(m.group(1) for m in _HTML_ATTR_SRC.finditer(tok.content))
        if piece:
            out.append(piece)
            if link_stack:
                link_chars += len(piece)
            if emph_depth:
                emph_chars += len(piece)
    text = "".join(out)
    # link markup that did not parse (a link split across blocks): its target is link text too
    for m in _BROKEN_LINK.finditer(text):
        link_chars += len(m.group(0))
        links.append((m.group(1), ""))
    linked = {h for h, _ in links}
    for m in URL_RE.finditer(text):  # bare URLs in running text
        if m.group(0) not in linked and not any(m.group(0) in a for _, a in links):
            links.append((m.group(0), m.group(0)))
            link_chars += len(m.group(0))
    return text, links, images, link_chars, emph_chars


def render_inline_markdown(source: str) -> str:
    """Render one line/paragraph of Markdown to plain text."""
    md = _md()
    tokens = md.parse(source)
    parts = []
    for tok in tokens:
        if tok.type == "inline":
            parts.append(_render_inline(tok.children)[0])
    return _clean(" ".join(parts))


def _clean(text: str) -> str:
    lines = [_WS.sub(" ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def markdown_blocks(source: str, *, md=None) -> list[Block]:
    """Parse Markdown into leaf blocks in reading order."""
    md = md or _md()
    lines = source.split("\n")
    tokens = md.parse(source)
    blocks: list[Block] = []
    list_depth = 0
    quote_depth = 0
    i = 0
    n = len(tokens)

    def raw_of(tok) -> tuple[str, int]:
        if tok.map:
            a, b = tok.map
            return "\n".join(lines[a:b]).strip("\n"), a
        return tok.content, 0

    while i < n:
        tok = tokens[i]
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif t in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif t == "blockquote_open":
            quote_depth += 1
        elif t == "blockquote_close":
            quote_depth -= 1
        elif t in ("paragraph_open", "heading_open"):
            inline = tokens[i + 1] if i + 1 < n else None
            raw, start = raw_of(tok)
            text, links, images, lc, ec = _render_inline(inline.children if inline else ())
            kind = "heading" if t == "heading_open" else ("list" if list_depth else ("quote" if quote_depth else "para"))
            level = int(tok.tag[1]) if t == "heading_open" else 0
            blocks.append(Block(len(blocks), kind, raw, _clean(text), level, links, images, lc, ec, start))
            i += 3
            continue
        elif t in ("fence", "code_block"):
            raw, start = raw_of(tok)
            blocks.append(Block(len(blocks), "code", raw, tok.content.strip(), start_line=start))
        elif t == "hr":
            raw, start = raw_of(tok)
            blocks.append(Block(len(blocks), "hr", raw, "", start_line=start))
        elif t == "html_block":
            raw, start = raw_of(tok)
            srcs = [m.group(1) for m in _HTML_ATTR_SRC.finditer(tok.content)]
            text = _clean(_TAG.sub(" ", tok.content))
            blocks.append(Block(len(blocks), "html", raw, text, images=srcs, start_line=start))
        elif t == "table_open":
            raw, start = raw_of(tok)
            rows: list[str] = []
            cells: list[str] = []
            links: list[tuple[str, str]] = []
            images: list[str] = []
            lc = ec = 0
            j = i + 1
            while j < n and tokens[j].type != "table_close":
                tj = tokens[j]
                if tj.type == "inline":
                    ct, cl, ci, clc, cec = _render_inline(tj.children)
                    cells.append(_clean(ct))
                    links += cl
                    images += ci
                    lc += clc
                    ec += cec
                elif tj.type == "tr_close":
                    rows.append(" | ".join(c for c in cells if c))
                    cells = []
                j += 1
            blocks.append(Block(len(blocks), "table", raw, "\n".join(r for r in rows if r), 0, links, images, lc, ec, start))
            i = j + 1
            continue
        i += 1
    return blocks


def text_blocks(source: str) -> list[Block]:
    """Split plain text into blocks: paragraphs, or lines when there are no blank lines."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    nonblank = [ln for ln in lines if ln.strip()]
    blanks = sum(1 for ln in lines if not ln.strip())
    per_line = blanks * 8 < len(nonblank)  # almost no paragraph breaks: one block per line
    blocks: list[Block] = []
    buf: list[str] = []
    start = 0

    def flush(end_line: int) -> None:
        if not buf:
            return
        raw = "\n".join(buf)
        text = _clean(" ".join(b.strip() for b in buf))
        links = [(m.group(0), m.group(0)) for m in URL_RE.finditer(text)]
        lc = sum(len(m.group(0)) for m in URL_RE.finditer(text))
        blocks.append(Block(len(blocks), "para", raw, text, 0, links, [], lc, 0, start))
        buf.clear()

    for no, ln in enumerate(lines):
        if not ln.strip():
            flush(no)
            continue
        if not buf:
            start = no
        buf.append(ln)
        if per_line:
            flush(no)
    flush(len(lines))
    return blocks
