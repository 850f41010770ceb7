"""Training and cross-validation of the framing models (needs scikit-learn).

Used by ``scripts/train_framing.py`` (to write the shipped artefact) and by
``gates/framing.py`` (5-fold cross-validation, split by article).  Run time
does not import this module.

Everything is deterministic: fixed fold assignment (sorted article ids),
liblinear (deterministic), fixed ``random_state``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from .features import (Paragraph, context_features, cue_features, lexicon_features, make_vectorisers, numeric_features,
                       split_paragraphs, split_sentences, valence_features, with_context)
from .tagger import TAGGER_FEATURES
from .tagger import paragraph_features as tagger_paragraph_features

__all__ = ["LabelledArticle", "load_semeval", "load_genre", "fit", "fit_tagger", "micro_f1",
           "tune_thresholds", "cross_validate", "fit_genre", "per_label_scores"]

SEED = 13
MIN_POSITIVES = 30  # techniques with fewer training paragraphs get no model (too few to learn)
LEX_FOLDS = 3  # training rows get lexicon features from a lexicon learned on the other folds' articles
USE_LEXICON_FEATURES = True
USE_CUE_FEATURES = True  # curated distancing/uncertainty cues and scare quotes (data/framing/cues.toml)
USE_VALENCE_FEATURES = True  # emotional charge of the words (VADER ratings)
#: techniques that get a word-level phrase tagger (tagger.py); its scores become paragraph features
TAGGED = ("Loaded_Language", "Name_Calling-Labeling")
TAGGER_C = 0.5
TAGGER_MIN_WEIGHT = 0.02  # smaller weights are dropped from the artefact (and from training-time scoring)
MAX_ITER = 10_000  # liblinear stops at its tolerance long before this, except on the odd hard fit
C = 4.0  # inner-CV micro-F1 on all 446 articles: C=1 0.374, C=4 0.386
#: second level over the article's first-level scores (features.with_context); 5-fold CV micro-F1
#: 0.4015 without, 0.4058 with (C 1, weight 0.5; C 0.1 0.4054, weight chosen by inner CV 0.4050)
USE_CONTEXT = True
CONTEXT_C = 1.0
CONTEXT_WEIGHT = 0.5
CONTEXT_FOLDS = 3  # out-of-fold second-level scores for the thresholds come from this many article folds
#: the gold spans as extra rows (_span_rows) for the techniques with fewer labelled paragraphs than
#: this (Appeal to Fear and smaller), each at this fraction of a paragraph row's weight.  5-fold CV
#: micro-F1 0.4058 without; weight 0.1 / 0.25 / 0.5 / 1: 0.4089 / 0.4097 / 0.4052 / 0.4025; all
#: techniques at 0.5: 0.4002, below 600 paragraphs (+ Doubt, Repetition, Exaggeration) at 0.25: 0.4049
SPAN_ROWS_WEIGHT = 0.25
SPAN_ROWS_MAX_POSITIVES = 400


@dataclass(frozen=True)
class LabelledArticle:
    id: str
    text: str
    labels: Mapping[int, frozenset[str]]  # 0-based line index -> techniques (labelled lines only)
    spans: tuple[tuple[str, int, int], ...] = ()

    def paragraphs(self) -> list[Paragraph]:
        """The labelled paragraphs, in order: the training rows of this article."""
        return [p for p in split_paragraphs(self.text) if p.index in self.labels]


def load_semeval(root: Path) -> tuple[list[str], list[LabelledArticle]]:
    """Technique names and the labelled articles of the SemEval-2023 task 3 (English) folder."""
    techniques = [t.strip() for t in (root / "techniques_subtask3.txt").read_text("utf-8").splitlines() if t.strip()]
    labels: dict[str, dict[int, frozenset[str]]] = {}
    for line in (root / "train-labels-subtask-3.txt").read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        names = parts[2] if len(parts) > 2 else ""
        labels.setdefault(parts[0], {})[int(parts[1]) - 1] = frozenset(x for x in names.split(",") if x)
    spans: dict[str, list[tuple[str, int, int]]] = {}
    span_dir = root / "train-labels-subtask-3-spans"
    for f in sorted(span_dir.glob("*.txt")):
        for line in f.read_text("utf-8").splitlines():
            p = line.split("\t")
            if len(p) >= 4:
                spans.setdefault(p[0], []).append((p[1], int(p[2]), int(p[3])))
    arts = []
    for aid in sorted(labels):
        path = root / "train-articles-subtask-3" / f"article{aid}.txt"
        with open(path, encoding="utf-8", newline=None) as fh:
            text = fh.read()
        arts.append(LabelledArticle(aid, text, labels[aid], tuple(spans.get(aid, ()))))
    return techniques, arts


def load_genre(root: Path) -> tuple[list[str], list[str]]:
    """Texts and genre labels (reporting / opinion / satire) of subtask 1."""
    texts, ys = [], []
    for line in (root / "train-labels-subtask-1.txt").read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        path = root / "train-articles-subtask-1" / f"article{parts[0]}.txt"
        if path.is_file():
            texts.append(path.read_text("utf-8"))
            ys.append(parts[1].strip())
    return texts, ys


def _rows(articles: Sequence[LabelledArticle], techniques: Sequence[str]):
    """Labelled paragraphs: texts, numeric features, label matrix, article index."""
    texts, nums, ys, groups = [], [], [], []
    for ai, art in enumerate(articles):
        paras = art.paragraphs()
        if not paras:
            continue
        nums.append(numeric_features_article(art.text, paras))
        for p in paras:
            texts.append(p.text)
            ys.append([t in art.labels[p.index] for t in techniques])
            groups.append(ai)
    return texts, np.vstack(nums), np.asarray(ys, dtype=np.int8), np.asarray(groups)


def numeric_features_article(text: str, wanted: Sequence[Paragraph]) -> np.ndarray:
    """Numeric features of ``wanted`` computed with the whole article as context."""
    allp = split_paragraphs(text)
    feats = numeric_features(allp)
    pos = {p.index: i for i, p in enumerate(allp)}
    return feats[[pos[p.index] for p in wanted]]


def _sentence_rows(texts: Sequence[str], nums: np.ndarray):
    """Sentence texts, their numeric features (the paragraph's) and paragraph row index."""
    st, owner = [], []
    for i, t in enumerate(texts):
        for a, b in split_sentences(t):
            st.append(t[a:b])
            owner.append(i)
    owner = np.asarray(owner, dtype=np.int64)
    return st, nums[owner], owner


def _max_by_owner(Ps: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n, Ps.shape[1]), dtype=np.float64)
    np.maximum.at(out, owner, Ps)
    return out


COMBINE_MODES = ("para", "max", "mean")


def combine(Pp: np.ndarray, Ps: np.ndarray, mode: str) -> np.ndarray:
    """Paragraph score from the paragraph probability and the best sentence probability."""
    if mode == "para":
        return Pp
    if mode == "max":
        return np.maximum(Pp, Ps)
    if mode == "mean":
        return (Pp + Ps) / 2
    raise ValueError(mode)


def _matrix(vecs, texts, nums, fit: bool):
    from scipy.sparse import csr_matrix, hstack

    parts = [v.fit_transform(texts) if fit else v.transform(texts) for v in vecs]
    parts.append(csr_matrix(nums.astype(np.float32)))
    return hstack(parts, format="csr", dtype=np.float32)


def _span_rows(articles: Sequence[LabelledArticle], techniques: Sequence[str]):
    """The gold spans as training rows of their own: texts, the row of the paragraph (in
    :func:`_rows` order) that holds each, and labels.

    A span row is labelled with its technique and with every technique whose span in the same
    paragraph covers at least half of it.  Spans that cross a paragraph break are left out.
    """
    texts, owner, ys = [], [], []
    row = 0
    for art in articles:
        for p in art.paragraphs():  # the order of _rows
            inside = [(t, s, e) for t, s, e in art.spans if p.start <= s < e <= p.end]
            for t, s, e in inside:
                covering = {t2 for t2, s2, e2 in inside if min(e, e2) - max(s, s2) >= 0.5 * (e - s)}
                texts.append(art.text[s:e])
                owner.append(row)
                ys.append([x in covering for x in techniques])
            row += 1
    return (texts, np.asarray(owner, dtype=np.int64),
            np.asarray(ys, dtype=np.int8).reshape(len(texts), len(techniques)))


def _fit_lr(X, y, c: float = C, sample_weight=None):
    from sklearn.linear_model import LogisticRegression

    # dual liblinear: same optimum as the primal, ~10x faster here (n_features > n_samples)
    m = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", dual=True, max_iter=MAX_ITER,
                           random_state=SEED)
    m.fit(X, y, sample_weight=sample_weight)
    return m.coef_.ravel().astype(np.float32), float(m.intercept_[0])


def _tidy(X):
    X = X.tocsr()
    X.sum_duplicates()
    X.sort_indices()
    return X


def _fit_all(X, Y, n_jobs: int, c: float = C, span_rows=None):
    """Weights (n_features, n_tech) and biases for every technique with enough positives.

    ``span_rows`` = (X, Y) of the gold-span rows of the same training articles
    (:func:`_span_rows`): the techniques with fewer than ``SPAN_ROWS_MAX_POSITIVES`` labelled
    paragraphs learn from them too, at ``SPAN_ROWS_WEIGHT`` of a paragraph row's weight.
    """
    from joblib import Parallel, delayed
    from scipy.sparse import vstack

    cols = [j for j in range(Y.shape[1]) if Y[:, j].sum() >= MIN_POSITIVES]
    X = _tidy(X)
    jobs = {j: (X, Y[:, j], None) for j in cols}
    if span_rows is not None and SPAN_ROWS_WEIGHT > 0:
        Xa, Ya = span_rows
        rare = [j for j in cols if Y[:, j].sum() < SPAN_ROWS_MAX_POSITIVES]
        if rare and Xa.shape[0]:
            X2 = _tidy(vstack([X, Xa]))
            weight = np.concatenate([np.ones(X.shape[0]), np.full(Xa.shape[0], SPAN_ROWS_WEIGHT)])
            jobs.update({j: (X2, np.concatenate([Y[:, j], Ya[:, j]]), weight) for j in rare})
    # processes, not threads: liblinear seeds a C-level global RNG, so threads would race on it
    res = Parallel(n_jobs=n_jobs, prefer="processes")(delayed(_fit_lr)(x, y, c, w) for x, y, w in
                                                     (jobs[j] for j in cols))
    W = np.zeros((X.shape[1], Y.shape[1]), dtype=np.float32)
    b = np.full(Y.shape[1], -30.0, dtype=np.float32)  # no model: never fires
    for j, (w, bias) in zip(cols, res):
        W[:, j] = w
        b[j] = bias
    return W, b


def _fit_context(F: np.ndarray, Y: np.ndarray, cols: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Second-level weights (n_context_features, n_tech) and biases; techniques not in ``cols`` get
    none (bias -30: their second-level probability is 0)."""
    from sklearn.linear_model import LogisticRegression

    W = np.zeros((F.shape[1], Y.shape[1]), dtype=np.float32)
    b = np.full(Y.shape[1], -30.0, dtype=np.float32)
    for j in cols:
        m = LogisticRegression(C=CONTEXT_C, class_weight="balanced", solver="liblinear", max_iter=3000,
                               random_state=SEED).fit(F, Y[:, j])
        W[:, j] = m.coef_.ravel()
        b[j] = m.intercept_[0]
    return W, b


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _platt(P: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Per technique (a, c) so that sigmoid(a * logit(p) + c) matches out-of-fold frequencies."""
    from sklearn.linear_model import LogisticRegression

    out = np.tile(np.array([1.0, 0.0], dtype=np.float32), (P.shape[1], 1))
    for j in range(P.shape[1]):
        if Y[:, j].sum() < MIN_POSITIVES:
            continue
        p = np.clip(P[:, j], 1e-6, 1 - 1e-6)
        z = np.log(p / (1 - p)).reshape(-1, 1)
        m = LogisticRegression(C=100.0, random_state=SEED).fit(z, Y[:, j])
        out[j] = (m.coef_[0, 0], m.intercept_[0])
    return out


def span_lexicon(articles: Sequence[LabelledArticle], techniques: Sequence[str], *, min_count: int = 3,
                 top: int = 1500) -> dict[str, dict[str, float]]:
    """Per technique, words and bigrams over-represented inside its gold spans.

    Score = smoothed log-odds of "inside a span of t" for the n-gram minus the
    same for all tokens (so > 0 means the n-gram is a cue).  Used to narrow a
    paragraph-level detection to a phrase and to explain it.
    """
    import math
    import re
    from collections import Counter

    word = re.compile(r"(?u)\b\w\w+\b")
    total: Counter = Counter()
    inside = {t: Counter() for t in techniques}
    n_tokens = 0
    n_inside: Counter = Counter()
    for art in articles:
        for p in art.paragraphs():
            toks = [(p.start + m.start(), p.start + m.end(), m.group().lower()) for m in word.finditer(p.text)]
            grams = [(a, b, w) for a, b, w in toks]
            grams += [(toks[k][0], toks[k + 1][1], toks[k][2] + " " + toks[k + 1][2]) for k in range(len(toks) - 1)]
            spans = [(t, s, e) for t, s, e in art.spans if s < p.end and e > p.start]
            for a, b, g in grams:
                total[g] += 1
                if " " not in g:
                    n_tokens += 1
                for t in {t for t, s, e in spans if s <= a and b <= e}:
                    inside[t][g] += 1
                    if " " not in g:
                        n_inside[t] += 1
    out: dict[str, dict[str, float]] = {}
    for t in techniques:
        if not n_inside[t]:
            continue
        base = math.log((n_inside[t] + 1) / (n_tokens - n_inside[t] + 1))
        scored = {}
        for g, k in inside[t].items():
            if k >= min_count:
                v = math.log((k + 0.5) / (total[g] - k + 1.0)) - base
                if v > 0:
                    scored[g] = round(v, 3)
        out[t] = dict(sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
    return out


def _token_rows(articles: Sequence[LabelledArticle], technique: str):
    """Feature lists and in-span labels of every token of the labelled paragraphs."""
    from .tagger import token_features, tokens

    feats: list[list[str]] = []
    labels: list[int] = []
    for art in articles:
        spans = [(s, e) for t, s, e in art.spans if t == technique]
        for p in art.paragraphs():
            toks = tokens(p.text)
            feats.extend(token_features(p.text, toks))
            inside = [(s - p.start, e - p.start) for s, e in spans if s < p.end and e > p.start]
            labels.extend(int(any(s <= a and b <= e for s, e in inside)) for a, b, _ in toks)
    return feats, np.asarray(labels, dtype=np.int8)


def fit_tagger(articles: Sequence[LabelledArticle], technique: str, c: float = TAGGER_C):
    """A :class:`~.tagger.PhraseTagger` for ``technique`` from the gold span offsets."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from .tagger import PhraseTagger

    feats, y = _token_rows(articles, technique)
    vec = CountVectorizer(analyzer=lambda fs: fs, binary=True, min_df=2, dtype=np.float32)
    X = vec.fit_transform(feats)
    m = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=2000, random_state=SEED)
    m.fit(X, y)
    w = m.coef_.ravel()
    names = vec.get_feature_names_out()
    keep = np.flatnonzero(np.abs(w) >= TAGGER_MIN_WEIGHT)
    return PhraseTagger(technique, round(float(m.intercept_[0]), 4),
                        {str(names[i]): round(float(w[i]), 3) for i in keep})


def _best_floor(scores: Sequence[tuple[np.ndarray, np.ndarray]]) -> float:
    """The word probability that maximises out-of-fold word-level F1 (span quality, not paragraphs)."""
    p = np.concatenate([s for s, _ in scores])
    y = np.concatenate([l for _, l in scores]).astype(bool)
    best = (-1.0, 0.5)
    for th in np.round(np.arange(0.5, 0.981, 0.02), 2):
        hit = p >= th
        f1 = 2 * int((hit & y).sum()) / max(1, int(hit.sum()) + int(y.sum()))
        if f1 > best[0] + 1e-9:
            best = (f1, float(th))
    return best[1]


def _tagger_state(taggers) -> dict:
    from .tagger import TaggerBank

    meta, arrays = TaggerBank(taggers).to_state() if taggers else ([], {})
    return {"taggers": meta, **arrays}


def _fit_taggers(articles: Sequence[LabelledArticle], techniques: Sequence[str], n_jobs: int):
    from joblib import Parallel, delayed

    todo = [t for t in TAGGED if t in techniques]
    return list(Parallel(n_jobs=n_jobs, prefer="processes")(delayed(fit_tagger)(articles, t) for t in todo))


def micro_f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = int((pred & (gold == 1)).sum())
    fp = int((pred & (gold == 0)).sum())
    fn = int((~pred & (gold == 1)).sum())
    return 2 * tp / max(1, 2 * tp + fp + fn)


THRESHOLD_SMOOTHING = 2  # grid steps on each side averaged before the argmax (0: plain argmax)


def tune_thresholds(P: np.ndarray, Y: np.ndarray, rounds: int = 2, smooth: int | None = None) -> np.ndarray:
    """Per-technique thresholds by coordinate ascent on micro-F1 (9.0 = switched off).

    The F1 curve over the threshold grid is flat and noisy near its top, so a
    plain argmax jumps between retrainings; the chosen threshold maximises the
    curve averaged over ``smooth`` grid steps on each side (the middle of the
    best plateau rather than its luckiest point).
    """
    smooth = THRESHOLD_SMOOTHING if smooth is None else smooth
    grid = np.round(np.arange(0.25, 0.951, 0.025), 3)
    th = np.full(P.shape[1], 0.5)
    for _ in range(rounds):
        for j in range(P.shape[1]):
            curve = np.empty(len(grid))
            for g_i, g in enumerate(grid):
                th[j] = g
                curve[g_i] = micro_f1(P >= th, Y)
            th[j] = 9.0
            off = micro_f1(P >= th, Y)
            smoothed = np.array([curve[max(0, i - smooth):i + smooth + 1].mean() for i in range(len(grid))])
            best = int(np.argmax(smoothed))
            th[j] = grid[best] if curve[best] > off + 1e-9 else 9.0
    return th


def _inner_folds(groups: np.ndarray, k: int) -> list[np.ndarray]:
    uniq = np.unique(groups)
    return [np.isin(groups, uniq[i::k]) for i in range(k)]


def fit(articles: Sequence[LabelledArticle], techniques: Sequence[str], *, inner_folds: int = 3,
        n_jobs: int = 1, c: float = C) -> dict:
    """Train the paragraph model; thresholds tuned by inner CV on ``articles`` only."""
    texts, nums, Y, groups = _rows(articles, techniques)
    lexicon = span_lexicon(articles, techniques)
    if USE_LEXICON_FEATURES:
        # out-of-fold: a row's span-cue features come from a lexicon that never saw its article,
        # so the classifier learns how much the cues are worth on unseen text
        lex = np.zeros((len(texts), len(techniques)))
        for mask in _inner_folds(groups, LEX_FOLDS):
            held = set(np.unique(groups[mask]).tolist())
            lex_k = span_lexicon([a for i, a in enumerate(articles) if i not in held], techniques)
            idx = np.flatnonzero(mask)
            lex[idx] = lexicon_features([texts[i] for i in idx], lex_k, techniques)
        nums = np.hstack([nums, lex])
    if USE_CUE_FEATURES:
        nums = np.hstack([nums, cue_features(texts)])
    if USE_VALENCE_FEATURES:
        nums = np.hstack([nums, valence_features(texts)])
    taggers = _fit_taggers(articles, techniques, n_jobs) if TAGGED else []
    if taggers:
        # out of fold, like the lexicon: a row's tagger scores come from taggers that never saw its article
        tag = np.zeros((len(texts), len(TAGGER_FEATURES) * len(taggers)))
        word_scores: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in taggers]
        for mask in _inner_folds(groups, LEX_FOLDS):
            held = set(np.unique(groups[mask]).tolist())
            tg_k = _fit_taggers([a for i, a in enumerate(articles) if i not in held], techniques, n_jobs)
            idx = np.flatnonzero(mask)
            tag[idx] = tagger_paragraph_features(tg_k, [texts[i] for i in idx])
            for q, tg in enumerate(tg_k):
                feats, labels = _token_rows([articles[i] for i in sorted(held)], tg.technique)
                word_scores[q].append((tg.probs(feats), labels))
        nums = np.hstack([nums, tag])
        taggers = [replace(tg, floor=_best_floor(scores)) for tg, scores in zip(taggers, word_scores)]
    vecs = make_vectorisers()
    X = _matrix(vecs, texts, nums, fit=True)
    stexts, snums, owner = _sentence_rows(texts, nums)
    Xs = _matrix(vecs, stexts, snums, fit=False)
    use_spans = SPAN_ROWS_WEIGHT > 0
    if use_spans:
        atexts, aowner, aY = _span_rows(articles, techniques)
        aX = _matrix(vecs, atexts, nums[aowner], fit=False)  # a span row carries its paragraph's numbers
    W, b = _fit_all(X, Y, n_jobs, c, (aX, aY) if use_spans else None)
    oof_p = np.zeros(Y.shape, dtype=np.float64)
    oof_s = np.zeros(Y.shape, dtype=np.float64)
    for test_mask in _inner_folds(groups, inner_folds):
        keep = ~test_mask[aowner] if use_spans else None  # span rows of the training articles only
        Wi, bi = _fit_all(X[~test_mask], Y[~test_mask], n_jobs, c, (aX[keep], aY[keep]) if use_spans else None)
        oof_p[test_mask] = _sigmoid(X[test_mask] @ Wi + bi)
        sel = test_mask[owner]
        part = _max_by_owner(_sigmoid(Xs[sel] @ Wi + bi), owner[sel], len(texts))
        oof_s[test_mask] = part[test_mask]
    # choose how paragraph and sentence scores combine, by inner-CV micro-F1 (training data only)
    best = None
    for mode in COMBINE_MODES:
        oof = combine(oof_p, oof_s, mode)
        th = tune_thresholds(oof, Y)
        th[b <= -29] = 9.0
        score = micro_f1(oof >= th, Y)
        if best is None or score > best[0] + 1e-9:
            best = (score, mode, th, oof)
    _, mode, th, oof = best
    context = {}
    if USE_CONTEXT:
        # stacked over the out-of-fold first-level scores, so the second level learns from scores like
        # those it sees at run time; its own thresholds come from out-of-fold second-level scores
        cols = [j for j in range(Y.shape[1]) if b[j] > -29]
        F = context_features(oof, groups)
        blended = np.zeros_like(oof)
        for test_mask in _inner_folds(groups, CONTEXT_FOLDS):  # whole articles, so run time's function applies
            W2, b2 = _fit_context(F[~test_mask], Y[~test_mask], cols)
            blended[test_mask] = with_context(oof[test_mask], groups[test_mask], W2, b2, CONTEXT_WEIGHT)
        W2, b2 = _fit_context(F, Y, cols)
        oof = blended
        th = tune_thresholds(oof, Y)
        th[b <= -29] = 9.0
        context = {"context_W": W2, "context_b": b2, "context_weight": CONTEXT_WEIGHT}
    calib = _platt(oof, Y)
    return {
        "techniques": list(techniques),
        "word_vocab": vecs[0].get_feature_names_out().tolist(),
        "word_idf": vecs[0].idf_.astype(np.float32),
        "W": W, "b": b, "thresholds": th.astype(np.float32), "calibration": calib,
        "train_positives": Y.sum(0).astype(int).tolist(),
        "lexicon": lexicon,
        "lexicon_features": USE_LEXICON_FEATURES,
        "cue_features": USE_CUE_FEATURES,
        "valence_features": USE_VALENCE_FEATURES,
        **_tagger_state(taggers),
        "oof_micro_f1": micro_f1(oof >= th, Y),
        "combine": mode,
        # provenance only: how the rarer techniques' weights were fitted
        "span_rows": {"weight": SPAN_ROWS_WEIGHT, "max_positives": SPAN_ROWS_MAX_POSITIVES} if use_spans else None,
        **context,
    }


def _score_articles(state: Mapping, articles: Sequence[LabelledArticle]) -> np.ndarray:
    """Paragraph scores of ``articles`` (rows in :func:`_rows` order) from the run-time scorer itself,
    so cross-validation measures exactly what ships.  Every non-blank line of a SemEval article is a
    labelled paragraph, which the check below keeps true."""
    from .model import FramingModel

    scored = FramingModel.from_state(dict(state)).paragraph_scores_many([a.text for a in articles])
    for art, (paras, _) in zip(articles, scored):
        if [p.index for p in paras] != [p.index for p in art.paragraphs()]:
            raise ValueError(f"article {art.id}: its paragraphs and its labelled lines differ")
    return np.vstack([P for _, P in scored])


def per_label_scores(pred: np.ndarray, Y: np.ndarray, names: Sequence[str]) -> dict[str, dict[str, float]]:
    out = {}
    for j, n in enumerate(names):
        tp = int((pred[:, j] & (Y[:, j] == 1)).sum())
        fp = int((pred[:, j] & (Y[:, j] == 0)).sum())
        fn = int((~pred[:, j] & (Y[:, j] == 1)).sum())
        p = tp / max(1, tp + fp)
        r = tp / max(1, tp + fn)
        out[n] = {"support": int(Y[:, j].sum()), "p": p, "r": r, "f1": 2 * p * r / max(1e-9, p + r)}
    return out


def cross_validate(articles: Sequence[LabelledArticle], techniques: Sequence[str], *, folds: int = 5,
                   inner_folds: int = 3, n_jobs: int = 1, log=None) -> dict:
    """Outer k-fold split by article; returns micro-F1 and per-technique figures."""
    n = len(articles)
    fold_of = np.arange(n) % folds  # articles are sorted by id: a fixed, interleaved split
    allP, allY = [], []
    for k in range(folds):
        train = [a for a, f in zip(articles, fold_of) if f != k]
        test = [a for a, f in zip(articles, fold_of) if f == k]
        state = fit(train, techniques, inner_folds=inner_folds, n_jobs=n_jobs)
        _, _, Y, _ = _rows(test, techniques)
        P = _score_articles(state, test)
        pred = P >= state["thresholds"]
        allP.append(pred)
        allY.append(Y)
        if log:
            log(f"fold {k}: micro-F1 {micro_f1(pred, Y):.4f} (inner OOF {state['oof_micro_f1']:.4f}, "
                f"combine={state['combine']})")
    pred = np.vstack(allP)
    Y = np.vstack(allY)
    return {"micro_f1": micro_f1(pred, Y), "per_technique": per_label_scores(pred, Y, techniques),
            "paragraphs": int(Y.shape[0])}


# -- genre -------------------------------------------------------------------
GENRES = ("reporting", "opinion", "satire")


def fit_genre(texts: Sequence[str], labels: Sequence[str]) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from .features import GENRE_PARAMS

    vec = TfidfVectorizer(min_df=3, max_features=20000, dtype=np.float32, **GENRE_PARAMS)
    X = vec.fit_transform(texts)
    # C=1: 5-fold macro-F1 0.44 vs 0.38 at C=10 (tiny minority classes: 41 reporting, 10 satire)
    m = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000, random_state=SEED)
    m.fit(X, list(labels))
    order = [list(m.classes_).index(g) for g in GENRES if g in m.classes_]
    return {"genre_vocab": vec.get_feature_names_out().tolist(), "genre_idf": vec.idf_.astype(np.float32),
            "genre_W": m.coef_[order].T.astype(np.float32), "genre_b": m.intercept_[order].astype(np.float32),
            "genres": [m.classes_[i] for i in order]}
