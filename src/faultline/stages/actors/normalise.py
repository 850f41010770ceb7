"""Text normalisation shared by the KB builder and the resolver.

Standalone (standard library only, no package imports) so that
``scripts/build_actor_kb.py`` can load it by path and key phrases exactly as
the resolver will look them up.
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "phrase_key"]

_SPLIT = re.compile(r"[\s_]+")
_HYPHEN = re.compile(r"(-)")
_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def fold(text: str) -> str:
    """Case- and accent-folded form used for every look-up (``Vučić`` → ``vucic``)."""
    if text.isascii():
        return text.lower().replace("`", "'")
    text = unicodedata.normalize("NFKD", text.translate(_APOS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold().replace("đ", "d").replace("ı", "i").replace("ø", "o").replace("ł", "l")


def phrase_key(phrase: str) -> tuple[str, ...]:
    """Token tuple of a phrase, tokenised the way spaCy splits names (hyphens apart)."""
    out: list[str] = []
    for word in _SPLIT.split(fold(phrase).strip(" _")):
        if not word:
            continue
        if "-" in word and len(word) > 1:
            out.extend(p for p in _HYPHEN.split(word) if p)
        elif word.endswith("'s") and len(word) > 2:
            out.extend((word[:-2], "'s"))
        else:
            out.append(word)
    return tuple(out)
