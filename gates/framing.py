"""Framing gate: technique detection and genre on SemEval-2023 task 3 (English), the seed, speed.

Metrics
-------
cv_micro_f1            5-fold CV split by article (interleaved over sorted ids), paragraph-level
                       micro-F1 over technique sets; thresholds tuned by 2-fold CV inside each
                       training fold.  Anchors: TF-IDF LR ~0.26, RoBERTa-base 0.32, -large 0.41.
cv_macro_f1            the mean of the per-technique F1 over every technique with gold paragraphs
                       (19 in the English training set; those without a model count 0): guards
                       the rarer techniques, which micro-F1 barely sees
cv_f1_<technique>      per-technique F1 (reported; P/R printed to stderr)
genre_macro_f1 ...     5-fold stratified CV of the genre classifier, per-class F1
seed_required_found    of the 4 required seed spans, how many a span of an accepted technique
                       overlaps (shipped model, body from the pipeline's extract stage)
seed_spans_on_neutral  spans overlapping the two neutral seed sentences (ceiling 0)
seed_genre_opinion     1.0 when the shipped genre model says "opinion" for the seed body
speed_overhead_ratio   framing time / spaCy parse time on Guardian articles (ceiling 0.15)
"""
from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

N_SPEED_DOCS = 60


def _log(msg: str) -> None:
    print(f"   framing: {msg}", file=sys.stderr, flush=True)


def _cv(data: Path, metrics: dict[str, float]) -> None:
    from faultline.stages.framing import training

    techniques, articles = training.load_semeval(data)
    t0 = time.perf_counter()
    res = training.cross_validate(articles, techniques, folds=5, inner_folds=2, n_jobs=2, log=_log)
    metrics["cv_micro_f1"] = res["micro_f1"]
    metrics["cv_macro_f1"] = float(np.mean([s["f1"] for s in res["per_technique"].values() if s["support"]]))
    _log(f"CV micro-F1 {res['micro_f1']:.4f}, macro-F1 {metrics['cv_macro_f1']:.4f} over {res['paragraphs']} "
         f"paragraphs ({time.perf_counter() - t0:.0f}s)")
    _log(f"{'technique':36} {'supp':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for name, s in sorted(res["per_technique"].items(), key=lambda kv: -kv[1]["support"]):
        _log(f"{name:36} {s['support']:5d} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f}")
        if s["support"]:
            metrics[f"cv_f1_{name}"] = s["f1"]


def _genre(data: Path, metrics: dict[str, float]) -> None:
    from sklearn.model_selection import StratifiedKFold

    from faultline.stages.framing import training
    from faultline.stages.framing.features import vectoriser_from_state

    texts, labels = training.load_genre(data)
    y = np.asarray(labels)
    pred = np.empty_like(y)
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=training.SEED).split(texts, y):
        state = training.fit_genre([texts[i] for i in tr], y[tr])
        vec = vectoriser_from_state("genre", state["genre_vocab"], state["genre_idf"])
        z = vec.transform([texts[i] for i in te]) @ state["genre_W"] + state["genre_b"]
        pred[te] = np.asarray(state["genres"])[np.asarray(z).argmax(1)]
    f1s = []
    for g in training.GENRES:
        tp = int(((pred == g) & (y == g)).sum())
        p = tp / max(1, int((pred == g).sum()))
        r = tp / max(1, int((y == g).sum()))
        f = 2 * p * r / max(1e-9, p + r)
        f1s.append(f)
        metrics[f"genre_f1_{g}"] = f
        _log(f"genre {g:10} support {int((y == g).sum()):4d}  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    metrics["genre_macro_f1"] = float(np.mean(f1s))
    metrics["genre_accuracy"] = float((pred == y).mean())
    _log(f"genre accuracy {metrics['genre_accuracy']:.3f}, macro-F1 {metrics['genre_macro_f1']:.3f}")


def _seed(shared: Path, metrics: dict[str, float]) -> None:
    from faultline.batch.jobs import analyze
    from faultline.settings import Settings
    from faultline.stages.framing.model import FramingModel
    from gates.seed import find

    golden = json.loads((shared / "seed" / "golden.json").read_text("utf-8"))
    settings = Settings.load().with_overrides({"pipeline": {"stages": ["extract", "nlp", "framing"]}})
    (record,) = [r.to_dict() for r in analyze([shared / "seed" / "kosovo-serbia-globalresearch.md"],
                                              settings=settings)]
    text, spans = record["text"], record["framing"]
    found = 0
    for g in golden["framing"]:
        loc = find(text, g["quote"])
        hits = [s for s in spans if loc and s["start"] < loc[1] and s["end"] > loc[0]]
        ok = any(s["technique"] in g["techniques"] for s in hits)
        if g.get("required"):
            found += ok
        _log(f"seed {'required' if g.get('required') else 'optional'} {'FOUND' if ok else 'missed'}: "
             f"{g['quote'][:60]!r} <- {[(s['technique'], s['quote'][:40]) for s in hits][:4]}")
    neutral = 0
    for sentence in golden["not_framing"]:
        loc = find(text, sentence)
        hits = [s for s in spans if loc and s["start"] < loc[1] and s["end"] > loc[0]]
        neutral += len(hits)
        _log(f"seed neutral (in text: {bool(loc)}): {len(hits)} span(s) {[s['technique'] for s in hits]}")
    model_genre = FramingModel.load().genre(text)
    metrics["seed_required_found"] = float(found)
    metrics["seed_spans_on_neutral"] = float(neutral)
    metrics["seed_genre_opinion"] = float(model_genre == "opinion")
    _log(f"seed: {len(spans)} spans in the body; model genre {model_genre!r}, record genre {record.get('genre')!r}")


def _speed(shared: Path, metrics: dict[str, float]) -> None:
    from faultline.settings import Settings
    from faultline.stages.framing.model import FramingModel
    from faultline.stages.nlp import NlpOptions, load_model

    path = shared / "data" / "corpora" / "guardian_sdf_sample.csv"
    csv.field_size_limit(10**8)
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    col = max(rows[0], key=lambda k: len(rows[0][k] or ""))
    texts = [r[col] for r in rows if (r[col] or "").strip()][:N_SPEED_DOCS]
    opts = Settings.load().options("nlp", NlpOptions)
    nlp = load_model(opts.model, opts.fallback)
    model = FramingModel.load()
    list(nlp.pipe(texts[:2]))
    model.detect(texts[0])
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = 0
    for text, doc in zip(texts, docs):
        n += len(model.detect(text, [(s.start_char, s.end_char) for s in doc.sents]))
        model.genre(text)
    frame = time.perf_counter() - t0
    metrics["speed_overhead_ratio"] = frame / parse
    _log(f"speed: spaCy {parse:.2f}s, framing {frame:.2f}s on {len(texts)} Guardian articles "
         f"({n} spans): ratio {frame / parse:.3f}")


def run(shared: Path) -> dict[str, float]:
    data = shared / "data" / "framing" / "semeval2023_en_train"
    metrics: dict[str, float] = {}
    if not data.is_dir():
        _log(f"{data} missing; skipping")
        return metrics
    _seed(shared, metrics)
    _speed(shared, metrics)
    _genre(data, metrics)
    _cv(data, metrics)
    return metrics


if __name__ == "__main__":
    from gates.run import shared_dir

    for k, v in run(shared_dir()).items():
        print(f"{k:40} {v:.4f}")
