"""The extraction vocabulary (``faultline/data/extraction.toml``), compiled once per stage."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Mapping

__all__ = ["Vocabulary", "load_vocabulary", "stopwords_for"]


# cheap pre-filter: every original-source pattern contains one of these words
_PROVENANCE_KEYS = ("original", "first", "published", "printed", "posted", "source", "appeared")


def _whole_line_re(phrases, *, tail: bool = False) -> re.Pattern[str]:
    """A line that is only one of ``phrases``, maybe with a count ("12 Comments", "Comments (3)").

    With ``tail``, "… to/on <title>" may follow ("34 responses to “Title”").
    """
    alts = "|".join(re.escape(x) for x in sorted(phrases, key=len, reverse=True)) or "(?!)"
    after = r"(?:\s+(?:to|on)\s+.{1,200})?" if tail else ""
    return re.compile(rf"^\W*(?:(?:\d+|one|no)\s+)?(?:{alts})(?:\s*\(\d+\))?{after}\W*$", re.I)


def _phrase_re(phrases) -> re.Pattern[str]:
    alts = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"[\s\-]+") for a in alts) or "(?!)"
    return re.compile(rf"(?<![\w\-])(?:{body})(?![\w\-])", re.I)


@dataclass(frozen=True)
class Vocabulary:
    cues: re.Pattern[str]
    section_break: re.Pattern[str]
    comment_break: re.Pattern[str]
    ui_terms: re.Pattern[str]
    tag_keys: frozenset[str]
    byline_prefixes: tuple[str, ...]
    byline_stop: frozenset[str]
    original_source: tuple[re.Pattern[str], ...]
    wires: tuple[str, ...]
    wire_re: re.Pattern[str]
    media_extensions: tuple[str, ...]
    embed_hosts: tuple[str, ...]
    genre_url: Mapping[str, tuple[str, ...]]
    genre_title: Mapping[str, tuple[str, ...]]
    genre_schema: Mapping[str, tuple[str, ...]]
    opinion_cues: re.Pattern[str]

    def cue_hits(self, text: str) -> set[str]:
        return {m.group(0).lower() for m in self.cues.finditer(text)}

    def ui_hits(self, text: str) -> set[str]:
        return {m.group(0).lower() for m in self.ui_terms.finditer(text)}

    def provenance_line(self, text: str) -> bool:
        """Does ``text`` name an original source ("first appeared on X")?"""
        low = text.lower()
        if not any(k in low for k in _PROVENANCE_KEYS):
            return False
        return any(p.search(text) for p in self.original_source)

    def is_media_url(self, url: str) -> bool:
        low = url.lower().split("?", 1)[0].split("#", 1)[0]
        if low.endswith(self.media_extensions):
            return True
        full = url.lower()
        return any(h in full for h in self.embed_hosts)


def load_vocabulary(text: str | None = None) -> Vocabulary:
    if text is None:
        text = resources.files("faultline").joinpath("data/extraction.toml").read_text("utf-8")
    d = tomllib.loads(text)
    wires = tuple(d["provenance"]["wires"])
    wire_alt = "|".join(re.escape(w) for w in sorted(wires, key=len, reverse=True))
    # "(Reuters) -", "LONDON (AP) —", "AP —", "By Jane Doe (Reuters) -"
    wire_re = re.compile(
        rf"^\s*(?:[A-Z][A-Za-z .,'\-]{{0,60}}?\s)?\(\s*(?P<a>{wire_alt})\s*\)\s*[-\u2013\u2014:]"
        rf"|^\s*(?P<b>{wire_alt})\s*[-\u2013\u2014]\s", re.M)
    g = d["genre"]
    return Vocabulary(
        cues=_phrase_re(d["boilerplate"]["cues"]),
        section_break=_whole_line_re(d["boilerplate"].get("section_breaks", ())),
        comment_break=_whole_line_re(d["boilerplate"].get("comment_breaks", ()), tail=True),
        ui_terms=_phrase_re(d["boilerplate"]["ui_terms"]),
        tag_keys=frozenset(k.lower() for k in d["tags"]["keys"]),
        byline_prefixes=tuple(sorted((p.lower() for p in d["bylines"]["prefixes"]), key=len, reverse=True)),
        byline_stop=frozenset(w.lower() for w in d["bylines"]["stop_words"]),
        original_source=tuple(re.compile(p, re.I) for p in d["provenance"]["original_source"]),
        wires=wires,
        wire_re=wire_re,
        media_extensions=tuple(e.lower() for e in d["media"]["extensions"]),
        embed_hosts=tuple(h.lower() for h in d["media"]["embed_hosts"]),
        genre_url={k: tuple(v) for k, v in g["url_segments"].items()},
        genre_title={k: tuple(v) for k, v in g["title_prefixes"].items()},
        genre_schema={k: tuple(v) for k, v in g["schema_types"].items()},
        opinion_cues=_phrase_re(g.get("opinion_cues", ())),
    )


def stopwords_for(language: str | None) -> frozenset[str]:
    """jusText's stop-word list for an ISO 639-1 code.

    English when the language is unknown; empty when jusText has no list for
    it (the classifier then judges on length and links only).
    """
    import justext

    if not language or language == "en":
        return frozenset(justext.get_stoplist("English"))
    try:
        import pycountry

        lang = pycountry.languages.get(alpha_2=language)
        name = lang.name.split(" (")[0].split(";")[0].split(",")[0].strip().replace(" ", "_") if lang else ""
    except Exception:  # noqa: BLE001 - unknown code
        name = ""
    if language == "nb" or language == "no":
        name = "Norwegian_Bokmal"
    try:
        return frozenset(justext.get_stoplist(name)) if name else frozenset()
    except (ValueError, KeyError, OSError):
        return frozenset()
