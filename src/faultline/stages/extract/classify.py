"""Block-level boilerplate classifier for Markdown and plain text.

Two steps, both generic (nothing here knows any outlet):

1. **Label each block** from its own features, in the spirit of jusText:
   length in words, stop-word ratio, link density, sentence-likeness,
   Markdown markup (headings, list items, whole-block emphasis), cue phrases
   and website/UI vocabulary (``data/extraction.toml``), and site templates
   (blocks that repeat across pages of the same site).
2. **Find the article region**: each label carries a signed weight and the
   contiguous run of blocks with the largest total (a maximum-subarray search,
   as in Finn's Body Text Extraction) is the body.  Separators and page
   furniture between two stretches of prose cost something, so the body
   survives an inline ad but a header or a footer of several appeals does not.
   Inside the region, blocks labelled boilerplate are still removed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Collection, Sequence

from .blocks import URL_RE, Block
from .vocab import Vocabulary

__all__ = ["BlockFeatures", "block_features", "classify_blocks", "select_body"]

_WORD = re.compile(r"\w+", re.U)
_SENT_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_SENT_SPLIT = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-Z0-9])")
ISOLATION = 2  # neighbours looked at on each side
SHORT_BASE = 0.5
SHORT_W = 0.05
_COMMENT_AUTHOR = re.compile(r"^\S.{0,70}\s(?:says|said|wrote|writes|replied|commented)\s*:\s*$", re.I)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DATE_ONLY = re.compile(r"^[\w ,.:/\-]{0,40}\b(19|20)\d\d\b[\w ,.:/\-]{0,20}$")


@dataclass(frozen=True, slots=True)
class BlockFeatures:
    words: int
    stop_ratio: float
    link_density: float
    sentence_like: bool
    sentences: int
    cue_hits: int
    cue_count: int
    ui_hits: int
    emphasis: float
    url_only: bool
    position: float
    template: bool
    provenance: bool = False
    section_break: bool = False
    cue_first: float = 1.0  # relative offset of the first cue phrase
    cue_last: float = 0.0  # relative end of the last cue phrase


def block_features(block: Block, *, vocab: Vocabulary, stopwords: Collection[str], position: float,
                   template: bool = False) -> BlockFeatures:
    text = block.text
    toks = _WORD.findall(text.lower())
    cjk = len(_CJK.findall(text))
    # scripts written without spaces: count about two characters as a word
    words = len(toks) + (cjk // 2 if cjk > len(toks) else 0)
    if stopwords:
        stops = sum(1 for t in toks if t in stopwords)
    else:  # no stop-word list for this language: judge on length and links only
        stops = int(round(words * 0.3))
    stripped = text.strip()
    url_only = bool(stripped) and not URL_RE.sub("", stripped).strip(" \t\n,;:|•·-") and bool(URL_RE.search(stripped))
    sentence_like = (
        words >= 4 and bool(_SENT_END.search(stripped)) and stops >= 1
        and (stripped[:1].isupper() or stripped[:1] in "\"'“‘«(0123456789")
    )
    sentences = len(_SENT_SPLIT.split(stripped)) if stripped else 0
    found = list(vocab.cues.finditer(text))
    cues = [m.group(0).lower() for m in found]
    n = max(1, len(text))
    return BlockFeatures(
        cue_first=found[0].start() / n if found else 1.0,
        cue_last=found[-1].end() / n if found else 0.0,
        words=words,
        stop_ratio=stops / words if words else 0.0,
        link_density=block.link_density,
        sentence_like=sentence_like,
        sentences=sentences,
        cue_hits=len(set(cues)),
        cue_count=len(cues),
        ui_hits=len(vocab.ui_hits(text)),
        emphasis=block.emphasis_ratio,
        url_only=url_only,
        position=position,
        template=template,
        provenance=words <= 40 and vocab.provenance_line(text),
        section_break=words <= 6 and bool(vocab.section_break.match(text)),
    )


def _label(block: Block, f: BlockFeatures) -> tuple[str, float, str]:
    """(label, weight, reason) for one block."""
    w = f.words
    if block.is_separator:
        return "separator", -6.0, "separator line"
    if f.section_break:
        return "separator", -60.0, "heading of a comments/related section"
    if block.kind == "code":
        return "bad", -2.0 - w * 0.5, "code block"
    if f.url_only:
        return "media" if block.images or block.links else "bad", -1.0, "bare link"
    if w == 0:
        return ("media" if block.images else "bad"), (0.0 if block.images else -1.0), "no words"
    if f.template:
        return "bad", -(w + 8.0), "repeats on other pages of this site"
    if f.provenance and w <= 40:
        return "bad", -(w + 10.0), "provenance line (original source cue)"
    if f.cue_hits and (w <= 25 or (w <= 45 and not f.sentence_like)):
        return "bad", -(w + 10.0), "boilerplate cue phrase"
    # long prose whose appeals sit at one end (a page flattened into one paragraph): keep, then trim
    one_end = f.cue_count >= 2 and w >= 80 and (f.cue_first >= 0.65 or f.cue_last <= 0.35)
    if one_end and f.stop_ratio >= 0.2:
        return "good", w * 0.8, "prose with boilerplate sentences at one end (trimmed)"
    if f.cue_count >= 2 and f.cue_count * 100.0 / w >= 1.5:
        return "bad", -(w + 10.0), "several boilerplate cue phrases"
    if f.ui_hits >= 3 and (w <= 60 or f.ui_hits * 100.0 / w >= 5):
        return "bad", -(w + 10.0), "talks about the website (menus, buttons, social media)"
    if f.link_density > 0.5:
        return "bad", -(w * 1.0 + 2.0), "mostly link text"
    if block.kind == "heading":
        return "heading", 0.0, "heading"
    if block.kind == "list" and not f.sentence_like and w < 12:
        return "bad", -(w * 0.5 + 1.0), "short list item"
    if block.kind == "table":
        return ("good", w * 0.5, "table") if f.link_density < 0.3 and w >= 10 else ("bad", -(w * 0.3 + 1), "layout table")
    if f.emphasis > 0.9 and w <= 8 and not f.sentence_like:
        return "short", -2.0, "short emphasised label"
    ld_pen = 1.0 - min(f.link_density * 2.0, 0.8)
    if w >= 25 and f.stop_ratio >= 0.25 and f.link_density < 0.3:
        return "good", w * ld_pen, "long prose"
    if w >= 10 and f.stop_ratio >= 0.2 and f.link_density < 0.35 and (f.sentence_like or w >= 18):
        return "near", w * 0.7 * ld_pen, "prose"
    if f.sentence_like and f.link_density < 0.35:
        return "near", w * 0.5, "short sentence"
    if _DATE_ONLY.match(block.text.strip()):
        return "short", -3.0, "date line"
    return "short", -(SHORT_BASE + w * SHORT_W), "short fragment"


def classify_blocks(blocks: Sequence[Block], *, vocab: Vocabulary, stopwords: Collection[str],
                    templates: Collection[int] = ()) -> list[BlockFeatures]:
    """Label every block in place (``label``, ``score``, ``why``); return the features."""
    n = max(1, len(blocks) - 1)
    feats: list[BlockFeatures] = []
    prose_seen = in_comments = False
    # "name says:" lines: three or more of them are a comment thread; it starts at the first
    thread = [i for i, b in enumerate(blocks) if len(b.text) <= 80 and _COMMENT_AUTHOR.match(b.text)]
    thread_start = thread[0] if len(thread) >= 3 else len(blocks)
    for i, b in enumerate(blocks):
        if i == thread_start and prose_seen:
            in_comments = True
        f = block_features(b, vocab=vocab, stopwords=stopwords, position=i / n, template=i in templates)
        if in_comments:
            b.label, b.score, b.why = "bad", -(f.words + 2.0), "inside the comments section"
        else:
            b.label, b.score, b.why = _label(b, f)
            prose_seen = prose_seen or b.label == "good"
            if prose_seen and f.words <= 6 and vocab.comment_break.match(b.text):
                in_comments = True
                b.label, b.score, b.why = "separator", -60.0, "heading of the comments section"
        feats.append(f)
    # an isolated prose block amid furniture (a footer notice, a promo) is worth less than a run
    prose = [b.label in ("good", "near") for b in blocks]
    for i, b in enumerate(blocks):
        if b.label == "good" and not any(prose[j] for j in range(max(0, i - ISOLATION), min(len(blocks), i + ISOLATION + 1))
                                         if j != i):
            b.score *= 0.5
            b.why += " (isolated)"
    return feats


WEAK_BODY = 40.0  # a best region below this weight has no real prose (scores, lists, captions)


def _max_run(weights: Sequence[float]) -> tuple[float, int, int]:
    best, best_range = float("-inf"), (0, 0)
    cur, start = 0.0, 0
    for i, w in enumerate(weights):
        if cur <= 0:
            cur, start = 0.0, i
        cur += w
        if cur > best:
            best, best_range = cur, (start, i + 1)
    return best, best_range[0], best_range[1]


def _fragment_weight(b: Block) -> float:
    if b.label in ("short", "heading") and "date" not in b.why:
        return 0.5 + 0.3 * len(b.text.split())
    return b.score


def select_body(blocks: Sequence[Block]) -> tuple[int, int]:
    """The [start, end) range of blocks with the largest total weight.

    Pages without real prose (results tables, lists of short items) have no
    strong region; for them short fragments and headings count positively.
    """
    best, a, z = _max_run([b.score for b in blocks])
    if best < WEAK_BODY:
        alt, a2, z2 = _max_run([_fragment_weight(b) for b in blocks])
        if alt > max(best, 0.0) * 2 and alt >= WEAK_BODY / 2:
            a, z = a2, z2
            while a < z and (blocks[a].label not in ("good", "near", "short") or "date" in blocks[a].why):
                a += 1
            while z > a and (blocks[z - 1].label not in ("good", "near", "short", "media")
                             or "date" in blocks[z - 1].why):
                z -= 1
            for b in blocks[a:z]:
                if b.label == "short":
                    b.score = _fragment_weight(b)
            return a, z
    if best <= 0:
        return (0, 0)
    # trim furniture at the edges of the region
    while a < z and blocks[a].label not in ("good", "near"):
        a += 1
    while z > a and blocks[z - 1].label not in ("good", "near", "media"):
        z -= 1
    return a, z
