"""Phrase tagger: is this word inside a span of technique *t*?

The paragraph classifier sees a paragraph as a bag of n-grams, so a short,
strongly loaded phrase in a long neutral paragraph can stay under its
threshold, and when the paragraph does fire, the span has to be guessed.
The tagger looks at one word at a time -- the word, its neighbours, its
suffix, its shape (a capital, a hyphen joining it to the next word, as in
"anti-...") and its emotional charge (VADER's human ratings) -- and gives the
probability that the word lies inside a gold span of the technique.  It is a
logistic regression trained on the SemEval-2023 span offsets
(``training.fit_tagger``); its weights are stored by feature name, so

* the paragraph classifier gets the tagger's best word probability as a
  feature (learned out of fold, like the span lexicon);
* a fired technique's span is the run of words the tagger rates highest;
* ``why`` names the features that made the word score, e.g. ``word 'anti'
  before a hyphen``.

Scoring (:class:`TaggerBank`) is a few dictionary look-ups per word and numpy
gathers, so it costs about a microsecond per word.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from .features import LEX_WORD, STRONG_VALENCE, valence_lexicon

__all__ = ["TAGGER_FEATURES", "PhraseTagger", "TaggerBank", "best_run", "describe", "paragraph_features", "token_features",
           "tokens"]

#: paragraph features per tagged technique: best word probability, words at or above 0.5
TAGGER_FEATURES = ("tag_max", "tag_count")
MAX_RUN = 6  # longest span the tagger proposes, in words


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lowercased word) -- the tokenisation of the lexicon and the TF-IDF features."""
    return [(m.start(), m.end(), m.group().lower()) for m in LEX_WORD.finditer(text)]


def token_features(text: str, toks: Sequence[tuple[int, int, str]], only: int | None = None) -> list[list[str]]:
    """The binary features of each token (names are stable: they key the stored weights).

    With ``only``, the list has the features of token ``only`` at that index and
    empty lists elsewhere (for explaining one word without featurising all).
    """
    val = valence_lexicon()
    n = len(toks)
    out: list[list[str]] = []
    for i, (a, b, w) in enumerate(toks):
        if only is not None and i != only:
            out.append([])
            continue
        prev = toks[i - 1][2] if i else "<s>"
        nxt = toks[i + 1][2] if i + 1 < n else "</s>"
        f = ["w=" + w, "p=" + prev, "n=" + nxt, "pw=" + prev + "|" + w, "wn=" + w + "|" + nxt, "s3=" + w[-3:]]
        if text[a].isupper():
            f.append("title")
        if b < len(text) and text[b] == "-":
            f.append("hyphen_after")
        if a and text[a - 1] == "-":
            f.append("hyphen_before")
        if a and text[a - 1] in "\"'\u201c\u2018":
            f.append("quote_before")
        v = val.get(w, 0.0)
        if v <= -STRONG_VALENCE:
            f.append("strong_negative")
        elif v >= STRONG_VALENCE:
            f.append("strong_positive")
        elif v:
            f.append("mild_negative" if v < 0 else "mild_positive")
        if abs(val.get(prev, 0.0)) >= STRONG_VALENCE or abs(val.get(nxt, 0.0)) >= STRONG_VALENCE:
            f.append("next_to_strong")
        out.append(f)
    return out


_LABELS = {"w": "word", "p": "after", "n": "before", "pw": "bigram", "wn": "bigram", "s3": "ending"}
_FLAGS = {"title": "capitalised", "hyphen_after": "joined by a hyphen to the next word",
          "hyphen_before": "joined by a hyphen to the previous word", "quote_before": "opens a quotation",
          "strong_negative": "strongly negative word (VADER)", "strong_positive": "strongly positive word (VADER)",
          "mild_negative": "negative word (VADER)", "mild_positive": "positive word (VADER)",
          "next_to_strong": "next to a strongly charged word"}


def describe(feature: str) -> str:
    """A reader's version of a feature name: ``w=anti`` -> ``word 'anti'``."""
    if feature in _FLAGS:
        return _FLAGS[feature]
    kind, _, value = feature.partition("=")
    return f"{_LABELS.get(kind, kind)} '{value.replace('|', ' ')}'"


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class PhraseTagger:
    """One technique's word-level logistic regression, weights by feature name."""

    technique: str
    bias: float
    weights: Mapping[str, float] = field(repr=False)
    #: a word needs this probability to start a span (tuned for word-level F1 out of fold)
    floor: float = 0.5

    def token_probs(self, text: str, toks: Sequence[tuple[int, int, str]] | None = None,
                    feats: Sequence[Sequence[str]] | None = None) -> np.ndarray:
        toks = tokens(text) if toks is None else toks
        return self.probs(token_features(text, toks) if feats is None else feats)

    def probs(self, feats: Sequence[Sequence[str]]) -> np.ndarray:
        """Probability per token from its feature lists."""
        w = self.weights
        return np.fromiter((_sigmoid(self.bias + math.fsum(w.get(f, 0.0) for f in fs)) for fs in feats),
                           dtype=np.float64, count=len(feats))


_KINDS = ("w", "p", "n", "pw", "wn", "s3")
_FLAG_NAMES = ("title", "hyphen_after", "hyphen_before", "quote_before", "strong_negative", "strong_positive",
               "mild_negative", "mild_positive", "next_to_strong")


class TaggerBank:
    """Several taggers scored together, vectorised: the same numbers as
    :meth:`PhraseTagger.token_probs` (a property test checks it) at about a
    twentieth of the cost -- per token a handful of dictionary look-ups to row
    indices, then one numpy gather per feature kind for all taggers at once."""

    def __init__(self, taggers: Sequence[PhraseTagger]) -> None:
        self._build([t.technique for t in taggers], [t.bias for t in taggers], [t.floor for t in taggers],
                    [t.weights.items() for t in taggers])

    def to_state(self) -> tuple[list[dict], dict[str, np.ndarray]]:
        """(meta, arrays) in the bank's own layout: per feature kind, its keys as one UTF-8 blob
        (row order) and a (keys x taggers) float32 weight matrix; the flags as one matrix.
        Loading that needs no per-feature Python objects besides the look-up keys."""
        meta = [{"technique": t, "bias": round(float(b), 4), "floor": f}
                for t, b, f in zip(self.techniques, self.bias, self.floors)]
        arrays: dict[str, np.ndarray] = {}
        for kind in _KINDS:
            ordered = sorted(self.keys[kind], key=self.keys[kind].__getitem__)
            arrays[f"tagger_keys_{kind}"] = np.frombuffer("\n".join(ordered).encode("utf-8"), dtype=np.uint8)
            arrays[f"tagger_weights_{kind}"] = self.matrix[kind][1:].astype(np.float32)
        arrays["tagger_flags"] = np.array([self.flags[f] for f in _FLAG_NAMES], dtype=np.float32)
        return meta, arrays

    @classmethod
    def from_state(cls, meta: Sequence[Mapping], arrays: Mapping[str, np.ndarray]) -> "TaggerBank":
        """A bank stored by :meth:`to_state` (an empty bank when ``meta`` is empty)."""
        bank = cls.__new__(cls)
        if not meta:
            bank._build((), (), (), ())
            return bank
        n = len(meta)
        bank.techniques = tuple(m["technique"] for m in meta)
        bank.floors = tuple(float(m.get("floor", 0.5)) for m in meta)
        bank.bias = np.array([float(m["bias"]) for m in meta], dtype=np.float64)
        bank.keys, bank.matrix = {}, {}
        for kind in _KINDS:
            blob = bytes(arrays[f"tagger_keys_{kind}"]).decode("utf-8")
            keys = blob.split("\n") if blob else []
            bank.keys[kind] = {sys.intern(k): row for row, k in enumerate(keys, start=1)}
            weights = np.asarray(arrays[f"tagger_weights_{kind}"], dtype=np.float64).reshape(len(keys), n)
            bank.matrix[kind] = np.vstack([np.zeros((1, n)), weights])
        flags = np.asarray(arrays["tagger_flags"], dtype=np.float64).reshape(len(_FLAG_NAMES), n)
        bank.flags = {f: flags[i] for i, f in enumerate(_FLAG_NAMES)}
        return bank

    def _build(self, techniques, biases, floors, weight_items) -> None:
        self.techniques: tuple[str, ...] = tuple(techniques)
        self.floors: tuple[float, ...] = tuple(float(f) for f in floors)
        n = len(self.techniques)
        self.bias = np.array(biases, dtype=np.float64).reshape(n)
        keys: dict[str, dict[str, int]] = {k: {} for k in _KINDS}
        flags = {f: np.zeros(n) for f in _FLAG_NAMES}
        entries: list[tuple[str, int, int, float]] = []
        for j, items in enumerate(weight_items):
            for name, w in items:
                kind, eq, key = name.partition("=")
                if not eq:
                    if kind in flags:
                        flags[kind][j] = w
                    continue
                index = keys.get(kind)
                if index is None:
                    continue
                row = index.setdefault(sys.intern(key), len(index) + 1)  # row 0: unknown key, weight 0
                entries.append((kind, row, j, w))
        self.keys = keys
        self.matrix = {k: np.zeros((len(keys[k]) + 1, n)) for k in _KINDS}
        for kind, row, j, w in entries:
            self.matrix[kind][row, j] = w
        self.flags = flags

    def __len__(self) -> int:
        return len(self.techniques)

    def weight(self, feature: str, k: int) -> float:
        """The weight of one named feature in tagger ``k`` (0 when unknown)."""
        kind, eq, key = feature.partition("=")
        if not eq:
            return float(self.flags[kind][k]) if kind in self.flags else 0.0
        row = self.keys.get(kind, {}).get(key, 0)
        return float(self.matrix[kind][row, k]) if row else 0.0

    def reasons(self, k: int, feats: Sequence[str], top: int = 3) -> list[str]:
        """The ``top`` features of one token that raised tagger ``k``'s score most."""
        scored = sorted(((self.weight(f, k), f) for f in feats), reverse=True)
        return [f"{describe(f)} {v:+.2f}" for v, f in scored[:top] if v > 0]

    def probs(self, text: str, toks: Sequence[tuple[int, int, str]]) -> np.ndarray:
        """(tokens x taggers) probabilities."""
        return self.probs_many([(text, toks)])[0]

    def probs_many(self, docs: Sequence[tuple[str, Sequence[tuple[int, int, str]]]]) -> list[np.ndarray]:
        """:meth:`probs` for several (text, tokens) pairs, gathered in one numpy pass (short news
        items have a few dozen words each, so per-call numpy overhead would dominate)."""
        n = len(self.techniques)
        words: list[str] = []
        prevs: list[str] = []
        nexts: list[str] = []
        on: dict[str, list[bool]] = {f: [] for f in ("title", "hyphen_after", "hyphen_before", "quote_before")}
        near_edges: list[int] = []  # index of each text's first token (no neighbour across texts)
        sizes = []
        for text, toks in docs:
            ws = [w for _, _, w in toks]
            sizes.append(len(ws))
            if not ws:
                continue
            near_edges.append(len(words))
            words += ws
            prevs += ["<s>", *ws[:-1]]
            nexts += [*ws[1:], "</s>"]
            size = len(text)
            on["title"] += [text[a].isupper() for a, _, _ in toks]
            on["hyphen_after"] += [b < size and text[b] == "-" for _, b, _ in toks]
            on["hyphen_before"] += [a > 0 and text[a - 1] == "-" for a, _, _ in toks]
            on["quote_before"] += [a > 0 and text[a - 1] in "\"'\u201c\u2018" for a, _, _ in toks]
        if not words:
            return [np.zeros((0, n)) for _ in sizes]
        k, m = self.keys, self.matrix
        z = self.bias + m["w"][[k["w"].get(w, 0) for w in words]]
        z += m["p"][[k["p"].get(w, 0) for w in prevs]]
        z += m["n"][[k["n"].get(w, 0) for w in nexts]]
        z += m["pw"][[k["pw"].get(p + "|" + w, 0) for p, w in zip(prevs, words)]]
        z += m["wn"][[k["wn"].get(w + "|" + x, 0) for w, x in zip(words, nexts)]]
        z += m["s3"][[k["s3"].get(w[-3:], 0) for w in words]]
        val = valence_lexicon()
        v = np.array([val.get(w, 0.0) for w in words])
        strong = np.abs(v) >= STRONG_VALENCE
        first = np.zeros(len(words), dtype=bool)
        first[near_edges] = True
        last = np.roll(first, -1)  # the token before a text's first token is the previous text's last
        last[-1] = True
        near = np.zeros(len(words), dtype=bool)
        near[1:] |= strong[:-1] & ~first[1:]
        near[:-1] |= strong[1:] & ~last[:-1]
        f = self.flags
        for name, active in (
            *((name, np.asarray(vals, dtype=bool)) for name, vals in on.items()),
            ("strong_negative", v <= -STRONG_VALENCE),
            ("strong_positive", v >= STRONG_VALENCE),
            ("mild_negative", (v < 0) & ~strong),
            ("mild_positive", (v > 0) & ~strong),
            ("next_to_strong", near),
        ):
            if f[name].any():
                z += np.outer(active, f[name])
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        out, at = [], 0
        for size in sizes:
            out.append(p[at:at + size])
            at += size
        return out

    def paragraph_features(self, texts: Sequence[str], keep: bool = False):
        """Per text and tagger: the best word probability and log1p(words >= 0.5) / 2.

        With ``keep``, also each text's (tokens, probabilities), for placing spans.
        """
        n = len(self.techniques)
        out = np.zeros((len(texts), len(TAGGER_FEATURES) * n), dtype=np.float64)
        toks = [tokens(t) for t in texts]
        probs = self.probs_many(list(zip(texts, toks)))
        for i, p in enumerate(probs):
            if len(p):
                out[i, 0::2] = p.max(axis=0)
                out[i, 1::2] = np.log1p((p >= 0.5).sum(axis=0)) / 2
        return (out, list(zip(toks, probs))) if keep else out


def paragraph_features(taggers: Sequence[PhraseTagger] | TaggerBank, texts: Sequence[str]) -> np.ndarray:
    """Per text and tagger: the best word probability and log1p(words >= 0.5) / 2."""
    bank = taggers if isinstance(taggers, TaggerBank) else TaggerBank(taggers)
    return bank.paragraph_features(texts)


def best_run(probs: np.ndarray, floor: float) -> tuple[int, int] | None:
    """The token run around the best-scoring token: neighbours join while they reach half its
    probability (at most ``MAX_RUN`` tokens); None when no token reaches ``floor``."""
    if not len(probs):
        return None
    k = int(np.argmax(probs))
    top = float(probs[k])
    if top < floor:
        return None
    a = b = k
    while b - a + 1 < MAX_RUN:
        left = probs[a - 1] if a > 0 else -1.0
        right = probs[b + 1] if b + 1 < len(probs) else -1.0
        if max(left, right) < top / 2:
            break
        if left >= right:
            a -= 1
        else:
            b += 1
    return a, b
