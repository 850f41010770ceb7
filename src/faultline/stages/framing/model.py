"""The shipped framing model: paragraph classifier, span localiser, genre.

Loaded from ``faultline/data/framing/`` (``model.json`` + ``weights.npz``,
no pickle).  Detection works in three steps:

1. every paragraph (non-blank line) gets a probability per technique from a
   logistic regression over word n-grams, a few numeric cues and the best
   word scores of the phrase taggers (``tagger.py``); a technique fires when
   it reaches its threshold (tuned by cross-validation inside the training
   folds); a second level revises these scores from the article around the
   paragraph (the article's mean score and the neighbouring paragraphs');
2. the span is localised: for a technique with a phrase tagger (loaded
   language, name calling), the run of words the tagger rates highest;
   otherwise the sentence of the paragraph whose word n-grams weigh most for
   the technique, shrunk to its strongest learned cue words for short-span
   techniques (slogans, exaggeration...);
3. ``why`` names the score, the threshold and the features that pushed the
   score up (n-grams with their contributions, or the tagger's word features),
   so a reader can check it.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Sequence

import numpy as np

from ...errors import ModelNotInstalled
from ...records import FramingSpan
from .features import (CUE_FEATURES, LONG_PARAGRAPH, NUMERIC_FEATURES, SCARE_QUOTE, Paragraph, cue_features,
                       cue_patterns, lexicon_features, numeric_features, prepare_lexicon, sentence_pieces,
                       split_paragraphs, split_sentences, split_units, stop_words, valence_features,
                       vectoriser_from_state, with_context)
from .tagger import TaggerBank, best_run, token_features

__all__ = ["FramingModel", "ModelMissing", "PHRASE_TECHNIQUES"]

#: techniques whose spans are short phrases in the training data (median <= 6 words)
PHRASE_TECHNIQUES = frozenset({
    "Loaded_Language", "Name_Calling-Labeling", "Repetition", "Slogans", "Exaggeration-Minimisation",
    "Flag_Waving", "Conversation_Killer",
})
_WORD = re.compile(r"(?u)\b\w\w+\b")  # sklearn's default token pattern
MAX_PHRASE_TOKENS = 6


class ModelMissing(ModelNotInstalled):
    """The framing artefact is not installed."""


@dataclass(frozen=True, slots=True)
class _SentFeats:
    toks: list  # (start, end, lowercased token)
    fids: np.ndarray  # word-vocabulary ids of the n-grams present
    k1s: list
    k2s: list
    grams: list
    scale: np.ndarray  # idf / L2 norm: multiply by a weight for the contribution


@dataclass(frozen=True, slots=True)
class _ArticleScores:
    """One article's paragraphs as scored by :meth:`FramingModel._scores`."""

    paragraphs: list[Paragraph]
    P: np.ndarray  # paragraphs x techniques: the final scores (after the article context)
    P_text: np.ndarray  # the same from each paragraph's own text, before the context (for ``why``)
    tagged: list  # per paragraph the phrase taggers' (tokens, probabilities), so words are scored once


@dataclass(frozen=True, slots=True)
class _Rule:
    technique: str
    name: str
    scope: str  # match | sentence
    confidence: float
    pattern: re.Pattern


MIN_CUE = 1.0  # lexicon log-odds below this do not count as a span cue


def _cue(lex: dict[str, float], gram: str) -> float:
    v = lex.get(gram, 0.0)
    return v if v >= MIN_CUE else 0.0


def _content(word: str) -> bool:
    """A word a reader can see persuading: not a function word ("the", "no", "we"), 3+ letters."""
    return len(word) > 2 and word not in stop_words()


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to whole hyphenated words and contractions ("pro" of "pro-Western" takes
    the compound, "don" takes "don't", "ve" takes "I've")."""
    while start > 1 and text[start - 1] in "-\u2010'\u2019" and text[start - 2].isalnum():
        start -= 1
        while start > 0 and text[start - 1].isalnum():
            start -= 1
    while end + 1 < len(text) and text[end] in "-\u2010'\u2019" and text[end + 1].isalnum():
        end += 1
        while end < len(text) and text[end].isalnum():
            end += 1
    return start, end


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


class FramingModel:
    """The loaded artefact.  Immutable after construction; safe to share per worker."""

    #: a line longer than this many characters is scored in pieces (features.split_units); 0: never
    long_paragraph: int = LONG_PARAGRAPH

    def __init__(self, meta: dict, arrays: dict[str, np.ndarray], rules: Sequence[dict] = ()) -> None:
        self.meta = meta
        self.rules = tuple(_Rule(r["technique"], r["name"], r.get("scope", "match"), float(r.get("confidence", 0.4)),
                                 re.compile(r["pattern"], re.IGNORECASE)) for r in rules)
        self.techniques: tuple[str, ...] = tuple(meta["techniques"])
        self.W = arrays["W"].astype(np.float32)
        self.b = arrays["b"].astype(np.float32)
        self.thresholds = arrays["thresholds"].astype(np.float32)
        self.calib = arrays["calibration"].astype(np.float32)  # (n_tech, 2): Platt a, b on the logit
        self.word = vectoriser_from_state("word", meta["word_vocab"], arrays["word_idf"])
        self.word_names = meta["word_vocab"]
        self.n_word = len(meta["word_vocab"])
        # the genre classifier (absent from the technique-only states that cross-validation scores)
        self.genres: tuple[str, ...] = tuple(meta.get("genres") or ())
        if self.genres:
            self.genre_vec = vectoriser_from_state("genre", meta["genre_vocab"], arrays["genre_idf"])
            self.genre_W = arrays["genre_W"].astype(np.float32)
            self.genre_b = arrays["genre_b"].astype(np.float32)
        self.active = np.flatnonzero(self.thresholds <= 1.0)
        # second level over the article's paragraph scores (absent in models trained without it)
        self.context = ((arrays["context_W"].astype(np.float32), arrays["context_b"].astype(np.float32),
                         float(meta["context_weight"])) if "context_W" in arrays else None)
        # rows of W that hold the curated cue features: after the words, the numeric cues and (when
        # used) the span-lexicon columns; valence and tagger columns follow them
        cue_at = self.n_word + len(NUMERIC_FEATURES) + (len(self.techniques) if meta.get("lexicon_features") else 0)
        self._cue_rows = slice(cue_at, cue_at + len(CUE_FEATURES)) if meta.get("cue_features") else None
        self.lexicon: dict[str, dict[str, float]] = meta.get("lexicon", {})
        self._lex_prepared = prepare_lexicon(self.lexicon, self.techniques)  # once, not per paragraph batch
        # word-level phrase taggers, in the order their paragraph features were trained
        self.taggers = TaggerBank.from_state(meta.get("taggers") or [], arrays)
        self._tagger_of = {self.techniques.index(t): k for k, t in enumerate(self.taggers.techniques)}

    # -- loading ---------------------------------------------------------------
    @classmethod
    def load(cls, resource: str = "data/framing", *, rules: bool = True) -> "FramingModel":
        """The shipped model; ``rules`` adds the curated cue patterns of ``rules.toml``."""
        import tomllib

        try:
            root = resources.files("faultline").joinpath(resource)
            meta = json.loads(root.joinpath("model.json").read_text("utf-8"))
            rule_list = tomllib.loads(root.joinpath("rules.toml").read_text("utf-8")).get("rule", []) if rules else []
            with root.joinpath("weights.npz").open("rb") as fh:
                with np.load(fh, allow_pickle=False) as z:
                    arrays = {k: z[k] for k in z.files}
        except (FileNotFoundError, ModuleNotFoundError) as exc:
            raise ModelMissing(f"framing model not found in faultline/{resource}; rebuild it with "
                               f"`python scripts/train_framing.py`.") from exc
        return cls(meta, arrays, rule_list)

    @classmethod
    def from_state(cls, state: dict, rules: Sequence[dict] = ()) -> "FramingModel":
        """Build from the in-memory dict that training returns (tests, experiments)."""
        meta = {k: v for k, v in state.items() if not isinstance(v, np.ndarray)}
        arrays = {k: v for k, v in state.items() if isinstance(v, np.ndarray)}
        return cls(meta, arrays, rules)

    # -- paragraph scores ------------------------------------------------------
    def _logits(self, texts: Sequence[str], nums: np.ndarray) -> np.ndarray:
        """``[tf-idf(texts) | nums] @ W + b``, with the sparse word block and the dense numeric block
        multiplied separately (no sparse copy of the dense columns)."""
        nw = len(self.word.vocabulary_)
        return (self.word.transform(texts) @ self.W[:nw]) + nums.astype(np.float32) @ self.W[nw:] + self.b

    def paragraph_scores(self, text: str) -> tuple[list[Paragraph], np.ndarray]:
        """Paragraphs (non-blank lines) of ``text`` and their probability per technique (rows x
        techniques).  A line scored in pieces (:func:`split_units`) gets its best piece's score."""
        return self.paragraph_scores_many([text])[0]

    def paragraph_scores_many(self, texts: Sequence[str]) -> list[tuple[list[Paragraph], np.ndarray]]:
        """:meth:`paragraph_scores` for several articles, vectorised in one call.

        Rows are independent (numeric cues are computed per article, then
        stacked), so the scores equal one-by-one scoring; batching saves the
        vectoriser's per-call overhead, which dominates on short news items.
        """
        out = []
        for text, a in zip(texts, self._scores(texts)):
            if not any(p.part for p in a.paragraphs):
                out.append((a.paragraphs, a.P))
                continue
            lines = split_paragraphs(text)  # a line scored in pieces takes its best piece's score
            row = {p.index: i for i, p in enumerate(lines)}
            P = np.zeros((len(lines), a.P.shape[1]), dtype=a.P.dtype)
            np.maximum.at(P, [row[p.index] for p in a.paragraphs], a.P)
            out.append((lines, P))
        return out

    def _scores(self, texts: Sequence[str]) -> list[_ArticleScores]:
        """Every article's paragraphs scored in one vectorised pass."""
        per = [split_units(t, self.long_paragraph) for t in texts]
        flat = [p for paras in per for p in paras]
        empty = np.zeros((0, len(self.techniques)), dtype=np.float32)
        if not flat:
            return [_ArticleScores([], empty, empty, []) for _ in texts]
        words: list = [None] * len(flat)
        nums = np.vstack([numeric_features(paras) for paras in per if paras])
        if self.meta.get("lexicon_features"):
            nums = np.hstack([nums, lexicon_features([p.text for p in flat], self.lexicon, self.techniques,
                                                     self._lex_prepared)])
        if self.meta.get("cue_features"):
            nums = np.hstack([nums, cue_features([p.text for p in flat])])
        if self.meta.get("valence_features"):
            nums = np.hstack([nums, valence_features([p.text for p in flat])])
        if self.taggers:
            feats, words = self.taggers.paragraph_features([p.text for p in flat], keep=True)
            nums = np.hstack([nums, feats])
        P = _sigmoid(self._logits([p.text for p in flat], nums))
        mode = self.meta.get("combine", "para")
        if mode != "para":
            # the best sentence's probability, combined as chosen by inner CV in training; a paragraph
            # that is one sentence is its own best sentence, so only the others are scored again
            stexts, owner = [], []
            Ps = P.copy()
            for i, p in enumerate(flat):
                sents = split_sentences(p.text)
                if len(sents) == 1 and sents[0] == (0, len(p.text)):
                    continue
                Ps[i] = 0.0
                for a, b in sents:
                    stexts.append(p.text[a:b])
                    owner.append(i)
            if stexts:
                owner_a = np.asarray(owner, dtype=np.int64)
                np.maximum.at(Ps, owner_a, _sigmoid(self._logits(stexts, nums[owner_a])))
            P = np.maximum(P, Ps) if mode == "max" else (P + Ps) / 2
        P_text = P
        if self.context is not None:
            groups = np.repeat(np.arange(len(per)), [len(paras) for paras in per])
            P = with_context(P, groups, *self.context)
        out, at = [], 0
        for paras in per:
            rows = slice(at, at + len(paras))
            out.append(_ArticleScores(paras, P[rows], P_text[rows], words[rows]))  # empty slices: (0, n_tech)
            at += len(paras)
        return out

    def calibrated(self, j: int, p: float) -> float:
        """Confidence: the probability mapped by a Platt fit on out-of-fold scores."""
        logit = np.log(max(p, 1e-6) / max(1 - p, 1e-6))
        a, c = self.calib[j]
        return float(_sigmoid(a * logit + c))

    # -- spans -----------------------------------------------------------------
    def detect(self, text: str, sentences: Sequence[tuple[int, int]] | None = None) -> tuple[FramingSpan, ...]:
        """Technique spans of ``text``; ``text[start:end] == quote`` for each.

        ``sentences`` are optional (start, end) character offsets (e.g. from a
        spaCy Doc); without them a simple punctuation splitter is used.
        """
        return self.detect_many([text], [sentences])[0]

    def detect_many(self, texts: Sequence[str],
                    sentences: Sequence[Sequence[tuple[int, int]] | None] | None = None) -> list[tuple[FramingSpan, ...]]:
        """:meth:`detect` for several articles (paragraphs scored in one vectorised call)."""
        sentences = sentences if sentences is not None else [None] * len(texts)
        return [self._spans(text, scored, sents) for text, scored, sents in zip(texts, self._scores(texts), sentences)]

    def _spans(self, text: str, scored: _ArticleScores,
               sentences: Sequence[tuple[int, int]] | None) -> tuple[FramingSpan, ...]:
        """Spans of one article from its scores (:meth:`_scores`)."""
        paras, P, P_text, tagged_words = scored.paragraphs, scored.P, scored.P_text, scored.tagged
        bounds = sorted(sentences) if sentences else []
        starts = [s for s, _ in bounds]
        spans: list[FramingSpan] = []
        above = P[:, self.active] >= self.thresholds[self.active]  # paragraphs x active techniques
        for i, para in enumerate(paras):
            fired = self.active[above[i]]
            hits = [(r, m) for r in self.rules for m in r.pattern.finditer(para.text)]
            if not len(fired) and not hits:
                continue
            sents = self._sentences(text, para, bounds, starts)
            feats = None  # sentence n-grams: only when a technique is placed without a tagger
            for j in fired:
                score = self._score_why(j, float(P[i, j]), float(P_text[i, j]))
                k = self._tagger_of.get(j)
                if k is not None:
                    tagged = self._tagged_spans(text, para, sents, tagged_words[i], k, j, float(P[i, j]), score)
                    if tagged:
                        spans.extend(tagged)
                        continue
                if feats is None:
                    feats = [self._sentence_features(text, s, e) for s, e in sents]
                    # every sentence's n-grams in one array, so a technique scores them all in one pass
                    flat = (np.concatenate([f.fids for f in feats]), np.concatenate([f.scale for f in feats]),
                            np.repeat(np.arange(len(feats)), [len(f.fids) for f in feats]))
                spans.extend(self._localise(text, sents, feats, flat, j, float(P[i, j]), score))
            spans.extend(self._rule_spans(text, para, sents, hits))
        spans.sort(key=lambda s: (s.start, s.end, s.technique))
        return tuple(spans)

    @staticmethod
    def _sentences(text: str, para: Paragraph, bounds, starts) -> list[tuple[int, int]]:
        out = []
        if bounds:
            k = max(0, bisect.bisect_right(starts, para.start) - 1)
            while k < len(bounds) and bounds[k][0] < para.end:
                s, e = max(bounds[k][0], para.start), min(bounds[k][1], para.end)
                if e > s and text[s:e].strip():
                    out.append((s, e))
                k += 1
        if not out:  # no parser sentences: the scoring splitter's, not stopping inside "3.5 million"
            out = [(para.start + a, para.start + b) for a, b in sentence_pieces(para.text)]
        # trim whitespace so quotes are tidy
        tidy = []
        for s, e in out:
            seg = text[s:e]
            s2 = s + (len(seg) - len(seg.lstrip()))
            e2 = e - (len(seg) - len(seg.rstrip()))
            if e2 > s2:
                tidy.append((s2, e2))
        return tidy or [(para.start, para.end)]

    def _sentence_features(self, text: str, s: int, e: int) -> _SentFeats:
        """Tokens of one sentence and the word n-gram features present (computed once)."""
        toks = [(s + m.start(), s + m.end(), m.group().lower()) for m in _WORD.finditer(text[s:e])]
        vocab = self.word.vocabulary_
        words = [t[2] for t in toks]
        bigrams = [a + " " + b for a, b in zip(words, words[1:])]
        uni, bi = list(map(vocab.get, words)), list(map(vocab.get, bigrams))
        fids, k1s, k2s, grams = [], [], [], []
        for k, f in enumerate(uni):  # in text order: each word, then the bigram it starts
            if f is not None:
                fids.append(f)
                k1s.append(k)
                k2s.append(k)
                grams.append(words[k])
            if k < len(bi) and bi[k] is not None:
                fids.append(bi[k])
                k1s.append(k)
                k2s.append(k + 1)
                grams.append(bigrams[k])
        fa = np.asarray(fids, dtype=np.int64)
        idf = self.word.idf_[fa] if fids else np.zeros(0)
        norm = float(np.sqrt((idf ** 2).sum())) or 1.0
        return _SentFeats(toks, fa, k1s, k2s, grams, idf / norm)

    def _score_why(self, j: int, p: float, p_text: float) -> str:
        """The start of ``why``: the paragraph's score against the threshold, and how much of it
        the article context moved."""
        head = f"{self.techniques[j]}: paragraph p={p:.2f}"
        if self.context is not None and f"{p:.2f}" != f"{p_text:.2f}":
            head += f" ({p_text:.2f} from its own text, {'raised' if p > p_text else 'lowered'} by the article context)"
        return f"{head} >= threshold {self.thresholds[j]:.2f}"

    def _localise(self, text, sents, feats, flat, j: int, p: float, score: str) -> list[FramingSpan]:
        technique = self.techniques[j]
        lex = self.lexicon.get(technique, {})
        # score each sentence: the sum of its n-grams' contributions to its (L2-normalised tf-idf)
        # linear score; ``flat`` holds all sentences' n-gram ids, scales and owners
        fids, scale, owner = flat
        scores = np.bincount(owner, weights=self.W[fids, j].astype(np.float64) * scale,
                             minlength=len(sents)).tolist()
        best = max(range(len(sents)), key=lambda k: scores[k])
        chosen = [best] + [k for k in range(len(sents)) if k != best and scores[k] > 0
                           and scores[k] >= 0.8 * scores[best]]
        conf = round(self.calibrated(j, p), 4)
        out = []
        for k in chosen[:3]:
            (s, e), f = sents[k], feats[k]
            c = self.W[f.fids, j].astype(np.float64) * f.scale if len(f.fids) else np.zeros(0)
            order = np.argsort(-c, kind="stable")
            seen, top = set(), []
            for i in order:
                if c[i] <= 0 or len(top) == 4:
                    break
                if f.grams[i] not in seen:
                    seen.add(f.grams[i])
                    top.append(f"'{f.grams[i]}' {c[i]:+.2f}")
            model_cues = ", ".join(top) or "numeric cues only"
            why = f"{score}; model cues {model_cues}"
            hedges = self._hedge_cues(text[s:e], j)
            if hedges:
                why += "; hedging cues " + ", ".join(f"'{h}'" for h in hedges)
            start, end = s, e
            if technique in PHRASE_TECHNIQUES:
                window = self._phrase(f.toks, lex)
                if window is not None:
                    a, b, grams = window
                    # a cue that is a function word ("no", "most", "our") takes the next content word
                    # with it ("most of the tragic"); with none within three words the sentence is the span
                    b = next((x for x in range(b, min(b + 4, len(f.toks))) if any(
                        _content(t[2]) for t in f.toks[a:x + 1])), None)
                    cues = ", ".join(f"'{g}' {v:.1f}" for g, v in grams[:3])
                    if b is not None:
                        start, end = _whole_words(text, f.toks[a][0], f.toks[b][1])
                        why += "; span cues " + cues
                    else:
                        why += f"; span cues {cues} are function words only, so the span is the whole sentence"
                else:
                    why += "; no learned span cue in the sentence, so the span is the whole sentence"
            out.append(FramingSpan(technique=technique, quote=text[start:end], start=start, end=end,
                                   confidence=conf, why=why))
        return out

    def _tagged_spans(self, text: str, para: Paragraph, sents: Sequence[tuple[int, int]], words, k_tagger: int,
                      j: int, p: float, score: str) -> list[FramingSpan]:
        """Up to three phrases whose best word the technique's tagger rates at least its floor, best first.

        A phrase stays inside the sentence of its best word: the tagger reads words, not sentence
        ends, and a run such as "horrifying. She" is two fragments, not one phrase.
        """
        toks, all_probs = words
        floor = self.taggers.floors[k_tagger]
        probs = all_probs[:, k_tagger]
        conf = round(self.calibrated(j, p), 4)
        out: list[FramingSpan] = []
        while len(out) < 3:
            run = best_run(probs, floor)
            if run is None:
                break
            a, b = run
            k = a + int(np.argmax(probs[a:b + 1]))
            at = para.start + toks[k][0]
            s_lo, s_hi = next(((s, e) for s, e in sents if s <= at < e), (para.start, para.end))
            while para.start + toks[a][0] < s_lo:
                a += 1
            while para.start + toks[b][1] > s_hi:
                b -= 1
            stop = stop_words()
            while a < k and toks[a][2] in stop and probs[a] < floor:  # no dangling "and", "the"
                a += 1
            while b > k and toks[b][2] in stop and probs[b] < floor:
                b -= 1
            peak = float(probs[k])
            probs = probs.copy()
            probs[max(0, a - 1):b + 2] = 0.0  # the next phrase is elsewhere
            if not any(_content(t[2]) for t in toks[a:b + 1]):
                continue  # "the", "to": the tagger keyed on the context, not on words a reader can check
            start, end = _whole_words(text, para.start + toks[a][0], para.start + toks[b][1])
            feats = token_features(para.text, toks, only=k)[k]  # each phrase's own peak word
            why = (f"{score}; phrase tagger {peak:.2f} on '{para.text[toks[k][0]:toks[k][1]]}' ("
                   + ", ".join(self.taggers.reasons(k_tagger, feats)) + ")")
            out.append(FramingSpan(technique=self.techniques[j], quote=text[start:end], start=start, end=end,
                                   confidence=conf, why=why))
        return out

    def _hedge_cues(self, sentence: str, j: int) -> list[str]:
        """The curated distancing/uncertainty cues and scare quotes in ``sentence`` whose learned
        weight for technique ``j`` is positive (they pushed the paragraph score up)."""
        if self._cue_rows is None:
            return []
        weight = dict(zip(CUE_FEATURES, self.W[self._cue_rows, j]))
        low = sentence.lower()
        found: list[str] = []
        for name, pat in zip(("distancing", "uncertainty"), cue_patterns()):
            if weight[name] > 0:
                found.extend(m.group() for m in pat.finditer(low))
        if weight["scare_quotes"] > 0:
            found.extend(m.group() for m in SCARE_QUOTE.finditer(sentence))
        return list(dict.fromkeys(found))[:4]

    @staticmethod
    def _rule_spans(text, para, sents, hits) -> list[FramingSpan]:
        out, seen = [], set()
        for rule, m in hits:
            start, end = para.start + m.start(), para.start + m.end()
            if rule.scope == "sentence":
                start, end = next(((s, e) for s, e in sents if s <= start < e), (start, end))
            if (rule.technique, start, end) in seen or end <= start:
                continue
            seen.add((rule.technique, start, end))
            why = f"{rule.technique}: curated cue pattern '{rule.name}' matched {m.group()!r} (rules.toml)"
            out.append(FramingSpan(technique=rule.technique, quote=text[start:end], start=start, end=end,
                                   confidence=rule.confidence, why=why))
        return out

    @staticmethod
    def _phrase(toks, lex: dict[str, float]):
        """Best window (<= 6 tokens) by training-span cue scores; None when no token is a cue."""
        n = len(toks)
        uni = [_cue(lex, t[2]) for t in toks]
        bi = [_cue(lex, toks[k][2] + " " + toks[k + 1][2]) for k in range(n - 1)]
        best = None
        for a in range(n):
            if uni[a] <= 0 and (a >= n - 1 or bi[a] <= 0):
                continue  # a window starts on a cue
            total = 0.0
            for b in range(a, min(n, a + MAX_PHRASE_TOKENS)):
                total += uni[b] if uni[b] > 0 else -0.75
                if b > a:
                    total += bi[b - 1]
                if uni[b] <= 0 and (b == a or bi[b - 1] <= 0):
                    continue  # a window ends on a cue
                if best is None or total > best[0]:
                    best = (total, a, b)
        if best is None or best[0] <= 0:
            return None
        _, a, b = best
        grams = [(toks[k][2], uni[k]) for k in range(a, b + 1) if uni[k] > 0]
        grams += [(toks[k][2] + " " + toks[k + 1][2], bi[k]) for k in range(a, b) if bi[k] > 0]
        grams.sort(key=lambda g: -g[1])
        return a, b, grams

    # -- genre -----------------------------------------------------------------
    def genre_scores(self, text: str) -> dict[str, float]:
        return self.genre_scores_many([text])[0]

    def genre_scores_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Genre probabilities of several articles (one vectoriser call)."""
        if not self.genres:
            raise ModelMissing("this framing model has no genre classifier (a technique-only training state).")
        if not texts:
            return []
        Z = np.asarray(self.genre_vec.transform(list(texts)) @ self.genre_W + self.genre_b, dtype=np.float64)
        Z = np.exp(Z - Z.max(axis=1, keepdims=True))
        Z = Z / Z.sum(axis=1, keepdims=True)
        return [{str(g): float(v) for g, v in zip(self.genres, row)} for row in Z]

    def genre(self, text: str) -> str:
        scores = self.genre_scores(text)
        return max(scores, key=scores.get)
