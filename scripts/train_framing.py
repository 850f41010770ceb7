#!/usr/bin/env python
"""Rebuild the framing artefact in src/faultline/data/framing/ from SemEval-2023 task 3 (English).

    python scripts/train_framing.py [--shared PATH] [--jobs N]

Reads ``$FAULTLINE_SHARED/data/framing/semeval2023_en_train`` (446 articles with
paragraph labels; subtask-1 genre labels) and writes ``model.json`` (vocabularies,
technique names, provenance) and ``weights.npz`` (IDF vectors, weights, thresholds,
calibration, genre model).  Deterministic: fixed seeds, liblinear, sorted inputs.
The training data itself is never written.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from faultline.stages.framing import training  # noqa: E402

OUT = ROOT / "src" / "faultline" / "data" / "framing"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("FAULTLINE_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (results do not depend on it)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    data = args.shared / "data" / "framing" / "semeval2023_en_train"
    if not data.is_dir():
        print(f"train_framing: {data} not found (set FAULTLINE_SHARED)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    techniques, articles = training.load_semeval(data)
    state = training.fit(articles, techniques, n_jobs=args.jobs)
    texts, genres = training.load_genre(data)
    state.update(training.fit_genre(texts, genres))
    digest = hashlib.sha256()
    for a in articles:
        digest.update(a.id.encode())
        digest.update(a.text.encode("utf-8"))
    arrays = {k: v for k, v in state.items() if isinstance(v, np.ndarray)}
    meta = {k: v for k, v in state.items() if not isinstance(v, np.ndarray)}
    meta["provenance"] = {
        "data": "SemEval-2023 Task 3 English training set (yrf1/SemEval23-Task-3-UIUC-Team@063567a), research use",
        "articles": len(articles),
        "genre_articles": len(texts),
        "training_text_sha256": digest.hexdigest(),
        "script": "scripts/train_framing.py",
        "seed": training.SEED,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "model.json").write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    # half precision for the big matrix keeps the artefact small; biases stay float32
    arrays["W"] = arrays["W"].astype(np.float16)
    np.savez_compressed(args.out / "weights.npz", **arrays)
    size = sum(f.stat().st_size for f in args.out.iterdir() if f.is_file())
    print(f"train_framing: {len(articles)} articles, inner-CV micro-F1 {meta['oof_micro_f1']:.4f}, "
          f"{size / 1e6:.1f} MB in {args.out} ({time.perf_counter() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
