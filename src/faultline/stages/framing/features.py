"""Paragraph features shared by training, the gate and run time.

One function builds the feature matrix from paragraphs, so the model trained
by ``scripts/train_framing.py`` sees exactly what the stage computes:

* word uni/bigram TF-IDF (sublinear tf, L2) -- also the readable "why"
  (character n-grams scored about 0.02 higher in cross-validation but cost
  several times spaCy's parse time, so they are not used);
* a few numeric cues: paragraph length, how much of the paragraph repeats
  elsewhere in the article (for *Repetition*), "!", "?", quotation marks and
  whether the paragraph is the first line (the headline);
* per technique, the learned span cues present (:func:`lexicon_features`);
* curated hedging cues and scare quotes (:func:`cue_features`,
  ``data/framing/cues.toml``);
* how emotionally charged the words are (:func:`valence_features`, VADER's
  human ratings);
* the phrase taggers' best word probabilities (``tagger.paragraph_features``).

A second level (:func:`with_context`) then revises each paragraph's scores
from the scores of the whole article: its own logits, the article's mean and
the higher of its two neighbours' probabilities, per technique.

Vectorisers are rebuilt from a stored vocabulary and IDF vector (no pickle).
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

__all__ = ["CONTEXT_FEATURES", "CUE_FEATURES", "LONG_PARAGRAPH", "NUMERIC_FEATURES", "UNIT_CHARS", "VALENCE_FEATURES",
           "Paragraph", "context_features", "cue_features", "cue_patterns", "lexicon_features", "make_vectorisers",
           "numeric_features", "prepare_lexicon", "sentence_pieces", "split_paragraphs", "split_sentences",
           "split_units", "stop_words", "valence_features", "valence_lexicon", "vectoriser_from_state",
           "with_context"]

TOKEN = re.compile(r"[a-z0-9']+")
SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"'\u201d\u2019)\]]*|$)")
# A line longer than LONG_PARAGRAPH characters (longer than 99.7 % of the training paragraphs) is scored
# in pieces of at least UNIT_CHARS (split_units).  Chosen on held-out articles joined into one line each,
# as a CSV export delivers them: docs/framing.md, "Texts without line breaks".
LONG_PARAGRAPH = 2000
UNIT_CHARS = 200
NUMERIC_FEATURES = ("log_len", "repeated_words", "max_bigram_repeat", "repeated_bigrams",
                    "exclamation", "question", "quotes", "first_line")
WORD_PARAMS = dict(ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
GENRE_PARAMS = dict(ngram_range=(1, 1), sublinear_tf=True, lowercase=True)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A non-blank line of the article: ``text[start:end] == paragraph text``."""

    index: int  # 0-based line number in the article
    start: int
    end: int
    text: str
    part: int = 0  # the piece of an over-long line (:func:`split_units`), else 0


def split_paragraphs(text: str) -> list[Paragraph]:
    """Non-blank lines of ``text`` with their offsets (paragraphs as in SemEval)."""
    out: list[Paragraph] = []
    pos = 0
    for i, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            s = pos + lead
            out.append(Paragraph(i, s, s + len(stripped), stripped))
        pos += len(line) + 1
    return out


def split_units(text: str, long: int | None = None, size: int | None = None) -> list[Paragraph]:
    """The units the model scores: the paragraphs of :func:`split_paragraphs`, except that a line longer
    than ``long`` characters (a text without line breaks, such as a CSV export) is cut into pieces of
    consecutive sentences of at least ``size`` characters (the last piece joins the one before when it
    would be shorter than half that).  The paragraph model was trained on SemEval lines (median 197
    characters, 99th percentile 1,157); a 5,000-character line is far outside what it has seen, and its
    probabilities saturate.  ``long=0`` scores every line whole.  Training rows stay whole lines (their
    labels are per line)."""
    long = LONG_PARAGRAPH if long is None else long
    size = UNIT_CHARS if size is None else size
    out: list[Paragraph] = []
    for p in split_paragraphs(text):
        if not long or len(p.text) <= long:
            out.append(p)
            continue
        sents = sentence_pieces(p.text)
        pieces: list[list[int]] = []
        a = None
        for s, e in sents:
            a = s if a is None else a
            if e - a >= size:
                pieces.append([a, e])
                a = None
        if a is not None:
            if pieces and sents[-1][1] - a < size / 2:
                pieces[-1][1] = sents[-1][1]
            else:
                pieces.append([a, sents[-1][1]])
        out.extend(Paragraph(p.index, p.start + a, p.start + b, p.text[a:b], k) for k, (a, b) in enumerate(pieces))
    return out


def sentence_pieces(text: str) -> list[tuple[int, int]]:
    """:func:`split_sentences`, with pieces rejoined where a "." had no space after it ("3.5", "U.S.")."""
    out: list[tuple[int, int]] = []
    for a, b in split_sentences(text):
        if out and a == out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of one paragraph: a punctuation splitter, stripped.

    Used for sentence scores in training and at run time alike (the spaCy
    sentences are used only to place spans), so both see the same units.
    """
    out = []
    for m in SENTENCE.finditer(text):
        seg = m.group()
        if seg.strip():
            s = m.start() + len(seg) - len(seg.lstrip())
            out.append((s, m.start() + len(seg.rstrip())))
    return out or [(0, len(text))]


@functools.lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def numeric_features(paragraphs: Sequence[Paragraph]) -> np.ndarray:
    """The numeric cues for each paragraph of one article (rows follow ``paragraphs``)."""
    stop = stop_words()
    toks = [TOKEN.findall(p.text.lower()) for p in paragraphs]
    words = Counter(w for t in toks for w in set(t) if len(w) > 3 and w not in stop)
    bigrams = Counter(b for t in toks for b in set(zip(t, t[1:])))
    rows = []
    for p, t in zip(paragraphs, toks):
        rep = [words[w] for w in set(t) if len(w) > 3 and w not in stop]
        brep = [bigrams[b] for b in set(zip(t, t[1:])) if not (b[0] in stop and b[1] in stop)]
        rows.append((
            math.log1p(len(p.text)) / 6,
            math.log1p(sum(r >= 3 for r in rep)) / 3,
            math.log1p(max(brep, default=0)) / 3,
            math.log1p(sum(r >= 2 for r in brep)) / 3,
            float("!" in p.text),
            float("?" in p.text),
            (p.text.count('"') + p.text.count("\u201c")) / 4,
            float(p.index == 0 and p.part == 0),
        ))
    return np.asarray(rows, dtype=np.float64).reshape(len(paragraphs), len(NUMERIC_FEATURES))


LEX_WORD = re.compile(r"(?u)\b\w\w+\b")  # the tokenisation of the span lexicon
LEX_SCALE = 1.0  # divisor of the log1p cue sum (CV: 1 gave micro-F1 0.383, Doubt 0.318; 4 gave 0.381, 0.313)
LEX_MIN = 1.0  # cues with log-odds below this are ignored (as in span localisation)


def prepare_lexicon(lexicon: dict[str, dict[str, float]],
                    techniques: Sequence[str]) -> dict[str, tuple[tuple[int, float], ...]]:
    """Cue -> ((technique index, log-odds), ...) for the cues at or above ``LEX_MIN`` (build once, reuse
    per batch): a text's words are then looked up once, not once per technique."""
    index: dict[str, list[tuple[int, float]]] = {}
    for j, technique in enumerate(techniques):
        for gram, v in lexicon.get(technique, {}).items():
            if v >= LEX_MIN:
                index.setdefault(gram, []).append((j, v))
    return {gram: tuple(hits) for gram, hits in index.items()}


def lexicon_features(texts: Sequence[str], lexicon: dict[str, dict[str, float]], techniques: Sequence[str],
                     prepared: dict[str, tuple[tuple[int, float], ...]] | None = None) -> np.ndarray:
    """Per technique, how strongly a text carries that technique's span cues.

    The lexicon (``training.span_lexicon``) holds words and bigrams learned as
    over-represented inside the gold spans of each technique -- for *Doubt*
    the hedges, distancing reporting verbs and epistemic phrases of the
    training spans.  Feature = log1p(sum of the log-odds of the distinct cues
    present) / LEX_SCALE; one column per technique (0 where it has no lexicon).
    """
    index = prepared if prepared is not None else prepare_lexicon(lexicon, techniques)
    out = np.zeros((len(texts), len(techniques)), dtype=np.float64)
    for i, text in enumerate(texts):
        toks = LEX_WORD.findall(text.lower())
        grams = set(toks)
        grams.update(a + " " + b for a, b in zip(toks, toks[1:]))
        found: dict[int, list[float]] = {}
        for gram in grams:
            for j, v in index.get(gram, ()):
                found.setdefault(j, []).append(v)
        for j, vals in found.items():  # fsum is exact, so the order of the cues does not matter
            out[i, j] = math.log1p(math.fsum(vals)) / LEX_SCALE
    return out


CUE_FEATURES = ("distancing", "uncertainty", "scare_quotes")
# a short quoted phrase inside running text ("a 'temporary' step"): 1-4 words in straight or curly quotes
SCARE_QUOTE = re.compile(r"(?:\u201c|\u2018|\"|(?<![\w])')(?:[^\s\"\u201c\u201d\u2018\u2019']+(?:\s+|(?=[\"\u201d\u2019']))){1,4}"
                         r"(?:\u201d|\u2019|\"|'(?![\w]))")


@functools.lru_cache(maxsize=1)
def cue_patterns() -> tuple[re.Pattern, ...]:
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("faultline").joinpath("data/framing/cues.toml").read_text("utf-8"))
    out = []
    for group in CUE_FEATURES[:2]:
        alts = sorted((re.escape(c.lower()).replace("\\-", "[- ]") for c in data[group]), key=len, reverse=True)
        out.append(re.compile(r"\b(?:" + "|".join(alts) + r")\b"))
    return tuple(out)


def cue_features(texts: Sequence[str]) -> np.ndarray:
    """Per text: distinct distancing cues, distinct uncertainty cues (``data/framing/cues.toml``)
    and short scare-quoted phrases, each as log1p(count) / 2."""
    pats = cue_patterns()
    out = np.zeros((len(texts), len(CUE_FEATURES)), dtype=np.float64)
    for i, text in enumerate(texts):
        low = text.lower()
        for j, pat in enumerate(pats):
            out[i, j] = math.log1p(len(set(pat.findall(low)))) / 2
        out[i, 2] = math.log1p(len(SCARE_QUOTE.findall(text))) / 2
    return out


VALENCE_FEATURES = ("strong_negative", "strong_positive", "max_intensity", "intensity_density")
STRONG_VALENCE = 1.5  # |valence| on VADER's -4..+4 scale from which a word counts as strongly charged


@functools.lru_cache(maxsize=1)
def valence_lexicon() -> dict[str, float]:
    """Word -> mean human valence rating (-4..+4) from the VADER lexicon (Hutto & Gilbert 2014, MIT),
    read from the installed ``vaderSentiment`` package's data file (its module is not imported)."""
    from importlib import resources

    out: dict[str, float] = {}
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            out[parts[0].lower()] = float(parts[1])
    return out


def valence_features(texts: Sequence[str]) -> np.ndarray:
    """Per text: how emotionally charged its words are (loaded language, labels and fear appeals
    use charged words; neutral reporting mostly does not).  Columns: distinct strongly negative
    words, distinct strongly positive words (log1p / 2), the strongest |valence| / 4, and the mean
    |valence| over all tokens."""
    lex = valence_lexicon()
    out = np.zeros((len(texts), len(VALENCE_FEATURES)), dtype=np.float64)
    for i, text in enumerate(texts):
        toks = LEX_WORD.findall(text.lower())
        if not toks:
            continue
        vals = [lex.get(t, 0.0) for t in toks]
        neg = {t for t, v in zip(toks, vals) if v <= -STRONG_VALENCE}
        pos = {t for t, v in zip(toks, vals) if v >= STRONG_VALENCE}
        out[i] = (math.log1p(len(neg)) / 2, math.log1p(len(pos)) / 2, max(abs(v) for v in vals) / 4,
                  math.fsum(abs(v) for v in vals) / len(vals))
    return out


CONTEXT_FEATURES = ("logit", "article_mean", "neighbour_max")  # column blocks, one column per technique


def context_features(P: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Second-level features of each paragraph from the first-level probabilities ``P``
    (paragraphs x techniques): per technique its own logit (clipped to +-9.2), the mean
    probability over its article and the higher probability of the paragraphs before and after
    it.  ``groups`` names each row's article; an article's rows must be consecutive and in
    reading order."""
    P = np.clip(np.asarray(P, dtype=np.float64), 1e-4, 1 - 1e-4)
    groups = np.asarray(groups)
    mean = np.empty_like(P)
    prev = np.zeros_like(P)
    nxt = np.zeros_like(P)
    cuts = np.flatnonzero(groups[1:] != groups[:-1]) + 1
    for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(P)]):
        mean[a:b] = P[a:b].mean(0)
        prev[a + 1:b] = P[a:b - 1]
        nxt[a:b - 1] = P[a + 1:b]
    return np.hstack([np.log(P / (1 - P)), mean, np.maximum(prev, nxt)])


def with_context(P: np.ndarray, groups: np.ndarray, W: np.ndarray, b: np.ndarray, weight: float) -> np.ndarray:
    """Blend of the first-level probabilities and the second level's (weights ``W``:
    ``len(CONTEXT_FEATURES) * n_tech`` x ``n_tech``), ``weight`` on the second."""
    if not len(P):
        return P
    z = context_features(P, groups) @ np.asarray(W, dtype=np.float64) + np.asarray(b, dtype=np.float64)
    P2 = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    return ((1 - weight) * P + weight * P2).astype(P.dtype)


def make_vectorisers(min_df_word: int = 2, max_word: int = 60000):
    """Fresh (unfitted) TF-IDF vectorisers (a tuple: word n-grams only at present)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return (TfidfVectorizer(min_df=min_df_word, max_features=max_word, dtype=np.float32, **WORD_PARAMS),)


def vectoriser_from_state(kind: str, vocab: Sequence[str], idf: np.ndarray):
    """Rebuild a fitted TfidfVectorizer from its vocabulary and IDF (no pickle)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    params = {"word": WORD_PARAMS, "genre": GENRE_PARAMS}[kind]
    vec = TfidfVectorizer(vocabulary={t: i for i, t in enumerate(vocab)}, dtype=np.float32, **params)
    vec.idf_ = np.asarray(idf, dtype=np.float64)
    return vec
