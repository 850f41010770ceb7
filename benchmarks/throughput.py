"""Throughput of the full pipeline against spaCy-only parsing of the same texts, in one run.

For each corpus (the Guardian sample and AG News from ``$FAULTLINE_SHARED``,
or synthetic items when it is absent) it measures:

* spaCy only: ``nlp.pipe`` with every component of the model, same texts,
  same batches (``batch`` documents, cut into runs of at most ``[nlp]
  batch_chars`` characters as the nlp stage cuts them);
* spaCy only again, with the attribute ruler and lemmatizer that the nlp stage
  runs (:mod:`faultline.stages.rule_pipes`: the same annotations from faster
  loops); the full pipeline against this is our glue alone, and the benchmark
  checks on a sample that the annotations are identical (it exits 1 if not);
* the full pipeline (every stage in ``[pipeline] stages``, plus the store
  writes, committed every ``[store] commit_docs`` documents as ``faultline
  ingest`` does) with 1 worker and with 2 worker processes;
* spaCy only in one fresh process and in two, each parsing half the batches:
  the machine's own 2 ÷ 1 ceiling, which no 2-worker pipeline can beat (two
  busy processes on two cores each run slower than one alone);

and reports documents/s, words/s and the ratios (full ÷ spaCy, 2 workers ÷ 1,
and spaCy's own 2 processes ÷ 1 beside it).
``nlp_share_of_stage_time`` is the same full ÷ spaCy ratio read from inside
one run (time in the nlp stage ÷ time in all stages and store writes, batch by
batch), which a shared machine's drifting load does not distort.
Rates are steady-state: the first batch (model warm-up, worker start) is
left out of both the count and the clock, for spaCy and for the pipeline alike;
the end-to-end wall time with start-up is reported too.  With ``--rounds N``
the runs alternate N times (spaCy, full with 1 worker, full with 2, spaCy in one
and two fresh processes); each ratio is then the median of the N paired ratios (each pair
adjacent in time), and the per-round ratios are listed, since a shared
machine's speed drifts by 10-15 % between minutes.

Then it streams a long JSONL.gz (the corpora repeated, each repeat made unique
by one added sentence, so deduplication state grows as in a real stream)
through ``python -m faultline ingest`` and samples the resident memory of the
whole process tree (psutil, every 0.25 s): the peak RSS.

Optionally (``--dask``) it checks that the Dask engine (LocalCluster, worker
processes) returns exactly the serial engine's records.

    python benchmarks/throughput.py --quick          # CI: a few hundred documents, ~3 min on 2 cores
    python benchmarks/throughput.py                  # full: both corpora, 50,000-document RSS stream
    python benchmarks/throughput.py --json out.json  # also write the figures as JSON
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import queue
import subprocess
import sys
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

TARGETS = {"full_vs_spacy": 0.8, "two_vs_one": 1.7, "peak_rss_gb": 1.5}


def shared_dir() -> Path | None:
    path = Path(os.environ.get("FAULTLINE_SHARED") or Path(__file__).resolve().parents[1] / ".." / "shared")
    return path if (path / "data" / "corpora").is_dir() else None


# -- corpora -------------------------------------------------------------------------------
def guardian(shared: Path, limit: int | None) -> list[dict[str, Any]]:
    path = shared / "data" / "corpora" / "guardian_sdf_sample.csv"
    out = []
    csv.field_size_limit(10**8)
    with open(path, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            if limit is not None and len(out) >= limit:
                break
            if (row.get("text") or "").strip():
                out.append({"id": f"guardian-{i}", "text": row["text"], "published": row.get("date") or None,
                            "source": row.get("source") or "The Guardian"})
    return out


def ag_news(shared: Path, limit: int | None) -> list[dict[str, Any]]:
    path = shared / "data" / "corpora" / "ag_news_test.csv"
    out = []
    with open(path, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.reader(fh)):
            if limit is not None and len(out) >= limit:
                break
            if len(row) < 3:
                continue
            title, desc = row[1].strip(), row[2].replace("\\", " ").strip()
            out.append({"id": f"ag-{i}", "title": title, "text": f"{title}. {desc}"})
    return out


def synthetic(n: int, long: bool) -> list[dict[str, Any]]:
    import random

    rng = random.Random(5)
    actors = ["Police", "The government", "Rebel fighters", "Diplomats", "Protesters", "The army", "Ministers"]
    verbs = ["met", "attacked", "criticised", "supported", "arrested", "negotiated with", "warned"]
    places = ["Paris", "Damascus", "Kyiv", "Baghdad", "Belgrade", "Ankara", "Cairo"]
    out = []
    for i in range(n):
        k = rng.randint(25, 45) if long else rng.randint(2, 3)
        text = " ".join(f"{rng.choice(actors)} {rng.choice(verbs)} officials in {rng.choice(places)} on Monday."
                        for _ in range(k))
        out.append({"id": f"syn-{'l' if long else 's'}-{i}", "text": text})
    return out


def words(records: Iterable[dict[str, Any]]) -> int:
    return sum(len(r["text"].split()) for r in records)


# -- measurements --------------------------------------------------------------------------
def steady_rate(stamps: list[float], sizes: list[int], t0: float, ahead: int = 1) -> dict[str, float]:
    """docs/s after the first batch; ``stamps[i]`` is when batch ``i`` (``sizes[i]`` docs) finished.

    The clock starts when the first batch comes out.  ``ahead`` batches may
    have been in progress before that (worker processes keep several chunks
    in flight), so only batches from ``ahead`` on are counted: every one of
    them was submitted after the clock started.  That understates a parallel
    engine a little (the clock also covers finishing batches 1..ahead-1) and
    never overstates it; the serial engine has ``ahead`` = 1, which is exact.
    """
    total = sum(sizes)
    out = {"docs": total, "wall_s": stamps[-1] - t0 if stamps else 0.0}
    if len(stamps) > ahead:
        out["steady_docs"] = total - sum(sizes[:ahead])
        out["steady_s"] = stamps[-1] - stamps[0]
    else:  # one batch only: no steady state to speak of
        out["steady_docs"] = total
        out["steady_s"] = out["wall_s"]
    return out


def _parse_batches(nlp: Any, texts: list[str], batch: int, budget: int) -> Iterator[int]:
    """Parse ``texts`` as the nlp stage does: ``batch`` at a time, each cut into runs of at most
    ``budget`` characters; yield each batch's size once it is parsed."""
    from faultline.stages.nlp import char_batches

    for start in range(0, len(texts), batch):
        chunk = texts[start:start + batch]
        for group in char_batches(chunk, budget):
            for _ in nlp.pipe(group, batch_size=len(group)):
                pass
        yield len(chunk)


def spacy_only(records: list[dict[str, Any]], batch: int, fast_rule_pipes: bool = False) -> dict[str, float]:
    """spaCy alone: the stock model, or (``fast_rule_pipes``) the model with the nlp stage's faster
    attribute ruler and lemmatizer, which leaves only our glue between it and the pipeline."""
    from faultline.settings import Settings
    from faultline.stages.nlp import NlpOptions, load_model
    from faultline.stages.rule_pipes import speed_up

    nlp = load_model()  # every component of the model: what "spaCy's parse" costs
    if fast_rule_pipes:
        speed_up(nlp)
    # the nlp stage's own runs of at most [nlp] batch_chars characters, so the ratio prices our glue only
    budget = Settings.load().options("nlp", NlpOptions).batch_chars
    stamps, sizes = [], []
    t0 = time.perf_counter()
    for size in _parse_batches(nlp, [r["text"] for r in records], batch, budget):
        stamps.append(time.perf_counter())
        sizes.append(size)
    out = steady_rate(stamps, sizes, t0)
    out["words_steady"] = words(records[sizes[0]:]) if len(sizes) > 1 else words(records)
    return out


def _parse_part(texts: list[str], batch: int, budget: int, barrier: Any, out: Any) -> None:
    """One of :func:`spacy_processes`' processes: load, warm up, wait for the other, parse, report."""
    from faultline.stages.nlp import load_model

    nlp = load_model()
    for _ in nlp.pipe(texts[:batch], batch_size=batch):  # warm-up, before the clock
        pass
    barrier.wait(timeout=600)  # a sibling that died while loading breaks the barrier, not this process
    t = time.perf_counter()
    for _ in _parse_batches(nlp, texts, batch, budget):
        pass
    out.put(time.perf_counter() - t)


def rule_pipes_identical(records: list[dict[str, Any]]) -> bool:
    """Do the nlp stage's faster rule pipes (:mod:`faultline.stages.rule_pipes`) annotate
    ``records`` exactly as stock spaCy does?  Every token's tag, POS, morphology, lemma, head,
    dependency and entity are compared (:func:`~faultline.stages.rule_pipes.same_annotations`)."""
    from faultline.stages.nlp import load_model
    from faultline.stages.rule_pipes import same_annotations, speed_up

    stock, fast = load_model(), load_model()
    speed_up(fast)
    texts = [r["text"] for r in records]
    return all(same_annotations(a, b) for a, b in zip(stock.pipe(texts, batch_size=16),
                                                      fast.pipe(texts, batch_size=16)))


def spacy_processes(records: list[dict[str, Any]], batch: int, n: int) -> dict[str, float]:
    """spaCy alone in ``n`` fresh processes, each parsing its share of the texts in whole batches.

    With ``n`` = 1 and 2 this is the machine's own 2 ÷ 1 ceiling: two busy processes on two cores
    run slower each than one alone (shared caches and memory bandwidth, the host's other tenants),
    so no 2-worker pipeline can beat it, and set beside the pipeline's 2 ÷ 1 it separates the
    machine from our overhead.  Both counts are measured the same way (fresh processes that load,
    warm up, then start together at a barrier; the time is the slowest process's).
    """
    import multiprocessing as mp

    from faultline.settings import Settings
    from faultline.stages.nlp import NlpOptions

    budget = Settings.load().options("nlp", NlpOptions).batch_chars
    texts = [r["text"] for r in records]
    batches = [texts[i:i + batch] for i in range(0, len(texts), batch)]
    parts = [[t for b in batches[k::n] for t in b] for k in range(n)]  # batches dealt round-robin
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=_parse_part, args=(part, batch, budget, barrier, out)) for part in parts]
    for p in procs:
        p.start()
    try:
        times: list[float] = []
        deadline = time.monotonic() + 900
        while len(times) < n:
            try:
                times.append(out.get(timeout=2))
            except queue.Empty:
                codes = [p.exitcode for p in procs]
                if any(c not in (None, 0) for c in codes) or time.monotonic() > deadline:
                    raise RuntimeError(f"spaCy-alone processes failed or stalled (exit codes {codes})") from None
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
    slowest = max(times)
    return {"docs": len(texts), "steady_docs": len(texts), "steady_s": slowest, "wall_s": slowest,
            "words_steady": words(records)}


def full_pipeline(records: list[dict[str, Any]], workers: int, batch: int, tmp: Path) -> dict[str, float]:
    from faultline.batch.parallel import run_engine
    from faultline.pipeline import Pipeline
    from faultline.readers import documents_from_records
    from faultline.settings import Settings
    from faultline.store import Store

    settings = Settings.load(overrides={"pipeline": {"batch_size": batch}})
    db = tmp / f"bench-{workers}-{time.time_ns()}.duckdb"
    stamps, sizes = [], []
    t0 = time.perf_counter()
    pipeline = Pipeline(settings=settings)
    stage_s: dict[str, float] = {}
    if workers == 1:
        pipeline.setup()  # serial: the model loads here (counted in wall_s, not in the steady rate)
        for stage in pipeline.stages:  # where the time goes, stage by stage
            def timed(items, _process=stage.process, _name=stage.name):
                t = time.perf_counter()
                try:
                    return _process(items)
                finally:
                    stage_s[_name] = stage_s.get(_name, 0.0) + time.perf_counter() - t
            stage.process = timed  # type: ignore[method-assign]
    results = run_engine(documents_from_records(records, "bench"), settings=settings, workers=workers,
                         pipeline=pipeline)
    failed, commit = 0, settings.store.commit_docs  # commits as `faultline ingest` makes them

    def write(rows):
        tw = time.perf_counter()
        store.write(rows)
        stage_s["store"] = stage_s.get("store", 0.0) + time.perf_counter() - tw

    with Store(db) as store:
        pending, done = [], 0
        for r in results:
            failed += bool(r.errors)
            pending.append(r)
            if len(pending) >= commit:
                write(pending)
                pending = []
            done += 1
            if done % batch == 0:  # the clock ticks per pipeline batch, commits or not
                stamps.append(time.perf_counter())
                sizes.append(batch)
        if pending:
            write(pending)
        if done % batch:
            stamps.append(time.perf_counter())
            sizes.append(done % batch)
        elif stamps:  # the last commit belongs to the last batch's time
            stamps[-1] = time.perf_counter()
    ahead = 1
    if workers > 1:  # chunks the local engine keeps in flight before the first one comes back
        from faultline.batch.parallel import ParallelOptions

        ahead = max(2, workers * settings.options("parallel", ParallelOptions).in_flight_per_worker)
    out = steady_rate(stamps, sizes, t0, ahead)
    out["words_steady"] = words(records[sum(sizes[:ahead]):]) if len(sizes) > ahead else words(records)
    out["failed"] = failed
    out["stage_s"] = {k: round(v, 2) for k, v in stage_s.items()}
    for suffix in ("", ".wal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return out


def measured(run: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``run(*args)`` on a clean heap: the garbage that earlier runs left (a whole spaCy model each)
    is collected first, so that no run pays for collecting the one before."""
    import gc

    gc.collect()
    return run(*args)


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median steady rate (the lower middle one for an even count)."""
    ranked = sorted(runs, key=lambda m: rates(m)["docs_per_s"])
    return ranked[(len(ranked) - 1) // 2]


def rates(m: dict[str, float]) -> dict[str, float]:
    s = m["steady_s"] or float("nan")
    return {"docs_per_s": m["steady_docs"] / s, "words_per_s": m["words_steady"] / s}


def paired(baseline: list[dict[str, Any]], candidate: list[dict[str, Any]]) -> list[float]:
    """Per round, the candidate's steady rate over the baseline's (runs of one round are adjacent)."""
    return [rates(b)["docs_per_s"] / rates(a)["docs_per_s"] for a, b in zip(baseline, candidate)]


def dask_identical(records: list[dict[str, Any]], batch: int) -> bool:
    from faultline.batch.dask_engine import run_dask
    from faultline.pipeline import Pipeline
    from faultline.readers import documents_from_records
    from faultline.settings import Settings

    settings = Settings.load(overrides={"pipeline": {"batch_size": batch}})
    docs = list(documents_from_records(records, "bench"))
    serial = list(Pipeline(settings=settings).run(docs))
    dask = list(run_dask(docs, settings=settings, workers=2, processes=True))
    return serial == dask


# -- peak RSS of a long stream -------------------------------------------------------------
def write_stream(path: Path, pool: list[dict[str, Any]], n: int) -> int:
    """``n`` records cycling through ``pool`` (shuffled once); each repeat gets one unique sentence."""
    import random

    order = list(range(len(pool)))
    random.Random(0).shuffle(order)
    total_words = 0
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for i in range(n):
            rep, j = divmod(i, len(pool))
            rec = dict(pool[order[j]])
            if rep:
                rec["text"] = rec["text"] + f" This copy was filed as item {rep} of the stream."
            rec["id"] = f"{rec['id']}-r{rep}"
            total_words += len(rec["text"].split())
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return total_words


def tree_rss(proc: Any, by_pid: dict[int, int] | None = None) -> int:
    """Resident memory of ``proc`` and its descendants; ``by_pid`` keeps each one's peak."""
    import psutil

    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        try:
            rss = p.memory_info().rss
        except psutil.Error:
            continue
        total += rss
        if by_pid is not None:
            by_pid[p.pid] = max(by_pid.get(p.pid, 0), rss)
    return total


def peak_rss_stream(stream: Path, workers: int, batch: int, tmp: Path) -> dict[str, float]:
    import psutil

    config = tmp / "rss.toml"
    config.write_text(f"[pipeline]\nbatch_size = {batch}\n", "utf-8")
    db = tmp / "rss.duckdb"
    cmd = [sys.executable, "-m", "faultline", "ingest", str(stream), "--db", str(db), "--quiet",
           "--config", str(config), "--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    peak, samples, by_pid = 0, [], {}
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            rss = tree_rss(ps, by_pid)
            peak = max(peak, rss)
            samples.append((time.perf_counter() - t0, rss))
            stop.wait(0.25)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    stop.set()
    thread.join()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({proc.returncode}): {err[-2000:]}")
    # RSS at 25/50/75/100 % of the run shows whether memory keeps growing with the stream
    marks = {}
    for q in (0.25, 0.5, 0.75, 1.0):
        upto = [rss for t, rss in samples if t <= q * wall]
        marks[f"rss_gb_at_{int(q * 100)}pct"] = round(max(upto) / 1e9, 3) if upto else 0.0
    for suffix in ("", ".wal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    # each process's own peak (they need not peak at the same moment): the driver, then its children
    # (worker processes, and multiprocessing's small resource tracker), largest first
    children = sorted((v for k, v in by_pid.items() if k != proc.pid), reverse=True)
    return {"peak_rss_gb": round(peak / 1e9, 3), "wall_s": round(wall, 1), "summary": out.strip() or err.strip()[-300:],
            **marks, "peak_rss_gb_driver": round(by_pid.get(proc.pid, 0) / 1e9, 3),
            "peak_rss_gb_children": [round(v / 1e9, 3) for v in children]}


# -- main ------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="CI size: a few hundred documents.")
    ap.add_argument("--rss-docs", type=int, default=None, help="documents in the RSS stream (full: 50000).")
    ap.add_argument("--rss-workers", type=int, default=1, help="--workers for the RSS stream run.")
    ap.add_argument("--guardian", type=int, default=None, help="Guardian articles (full: all 249).")
    ap.add_argument("--ag", type=int, default=None, help="AG News items (full: 2000).")
    ap.add_argument("--batch", type=int, default=None,
                    help="documents per batch, spaCy and pipeline (default 32; 8 with --quick so that "
                         "the small sample still has several batches after the first).")
    ap.add_argument("--dask", action="store_true", help="also check Dask output == serial output.")
    ap.add_argument("--no-workers", action="store_true", help="skip the 2-worker run.")
    ap.add_argument("--rounds", type=int, default=1,
                    help="alternate spaCy-only and the full pipeline this many times and report the median "
                         "rates (a shared machine's speed drifts by 10-15%% between minutes).")
    ap.add_argument("--json", type=Path, help="write the figures here as JSON.")
    ap.add_argument("--rss-only", action="store_true", help="only the RSS stream (no throughput runs).")
    ap.add_argument("--rss-pool", choices=("mixed", "ag_news"), default="mixed",
                    help="what the RSS stream repeats: both corpora in their natural proportion, or AG News only.")
    args = ap.parse_args(argv)

    quick = args.quick
    args.batch = args.batch or (8 if quick else 32)
    n_guardian = args.guardian if args.guardian is not None else (20 if quick else None)
    n_ag = args.ag if args.ag is not None else (160 if quick else 2000)
    n_rss = args.rss_docs if args.rss_docs is not None else (600 if quick else 50_000)

    shared = shared_dir()
    if shared is None:
        print("shared/ data not found (set FAULTLINE_SHARED): using synthetic texts instead of the "
              "Guardian and AG News corpora.", file=sys.stderr)
        corpora = {"synthetic-long": synthetic(n_guardian or 60, True), "synthetic-short": synthetic(n_ag, False)}
    else:
        corpora = {"guardian": guardian(shared, n_guardian), "ag_news": ag_news(shared, n_ag)}

    import psutil

    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
                    "ram_gb": round(psutil.virtual_memory().total / 1e9, 1)},
        "mode": "quick" if quick else "full", "batch": args.batch, "corpora": {},
    }
    with tempfile.TemporaryDirectory(prefix="faultline-bench-") as tmpname:
        tmp = Path(tmpname)
        for name, records in ({} if args.rss_only else corpora).items():
            if not records:  # e.g. --ag 0: nothing to time
                continue
            entry: dict[str, Any] = {"docs": len(records), "words": words(records)}
            print(f"[{name}] {len(records)} docs, {entry['words']} words", file=sys.stderr)
            sps, fasts, ones, twos, sp1s, sp2s = [], [], [], [], [], []
            for _ in range(max(1, args.rounds)):  # A, B, C, D, A, B ...: each round's runs side by side in time
                sps.append(measured(spacy_only, records, args.batch))
                fasts.append(measured(spacy_only, records, args.batch, True))
                ones.append(measured(full_pipeline, records, 1, args.batch, tmp))
                if not args.no_workers:
                    twos.append(measured(full_pipeline, records, 2, args.batch, tmp))
                    sp1s.append(spacy_processes(records, args.batch, 1))
                    sp2s.append(spacy_processes(records, args.batch, 2))
            sp = median_run(sps)
            one = median_run(ones)
            entry["spacy_only"] = {**rates(sp), "wall_s": round(sp["wall_s"], 2)}
            entry["full_1_worker"] = {**rates(one), "wall_s": round(one["wall_s"], 2), "failed": one["failed"],
                                      "stage_s": one["stage_s"]}
            entry["ratio_full_vs_spacy"] = entry["full_1_worker"]["docs_per_s"] / entry["spacy_only"]["docs_per_s"]
            if len(sps) > 1:  # paired: each round's two runs are adjacent in time, so drift mostly cancels
                per_round = paired(sps, ones)
                entry["ratio_per_round"] = [round(r, 3) for r in per_round]
                entry["ratio_full_vs_spacy"] = statistics.median(per_round)
            # the nlp stage runs spaCy with faster rule pipes (same annotations): spaCy so, and the
            # pipeline against it, which is our glue alone
            fast = median_run(fasts)
            entry["spacy_fast_rule_pipes"] = {**rates(fast), "wall_s": round(fast["wall_s"], 2)}
            entry["ratio_fast_rule_pipes_vs_spacy"] = statistics.median(paired(sps, fasts))
            entry["ratio_full_vs_spacy_fast_rule_pipes"] = statistics.median(paired(fasts, ones))
            # the same ratio from time inside one run, interleaved batch by batch: spaCy's share of the
            # pipeline's stage time (robust to a shared machine whose load drifts between runs)
            busy = sum(one["stage_s"].values())
            if busy and "nlp" in one["stage_s"]:
                entry["nlp_share_of_stage_time"] = one["stage_s"]["nlp"] / busy
            if twos:
                two = median_run(twos)
                entry["full_2_workers"] = {**rates(two), "wall_s": round(two["wall_s"], 2), "failed": two["failed"]}
                # paired per round, like full ÷ spaCy: each round's 1- and 2-worker runs are minutes apart
                # at most, so the machine's drift between rounds cancels out of each ratio
                per_round = paired(ones, twos)
                entry["ratio_2_vs_1_workers"] = statistics.median(per_round)
                # the machine's own ceiling in the same rounds: spaCy alone, two processes ÷ one
                ceiling = paired(sp1s, sp2s)
                entry["spacy_2_vs_1_processes"] = statistics.median(ceiling)
                entry["spacy_fresh_processes_docs_per_s"] = {  # the median round's two rates
                    n: round(rates(median_run(runs))["docs_per_s"], 2) for n, runs in (("1", sp1s), ("2", sp2s))}
                if len(per_round) > 1:
                    entry["ratio_2_vs_1_per_round"] = [round(r, 3) for r in per_round]
                    entry["spacy_2_vs_1_per_round"] = [round(r, 3) for r in ceiling]
            report["corpora"][name] = entry
            print(json.dumps({name: entry}, indent=1), file=sys.stderr)
        if not args.rss_only:
            sample = [r for records in corpora.values() for r in records[:150]]
            report["rule_pipes_identical_to_spacy"] = rule_pipes_identical(sample)
            print(f"rule pipes identical to spaCy's on {len(sample)} docs: "
                  f"{report['rule_pipes_identical_to_spacy']}", file=sys.stderr)
        if args.dask:
            sample = [r for records in corpora.values() for r in records[:20]]
            report["dask_identical_to_serial"] = dask_identical(sample, min(args.batch, 16))
            print(f"dask identical to serial: {report['dask_identical_to_serial']}", file=sys.stderr)
        if n_rss:
            stream = tmp / "stream.jsonl.gz"
            if shared is not None and not quick:  # the whole corpora, in their natural proportion
                pool = (guardian(shared, None) if args.rss_pool == "mixed" else []) + ag_news(shared, None)
            else:
                pool = [r for records in corpora.values() for r in records]
            stream_words = write_stream(stream, pool, n_rss)
            print(f"[rss] streaming {n_rss} docs ({stream_words} words) through `faultline ingest "
                  f"--workers {args.rss_workers}`", file=sys.stderr)
            rss = peak_rss_stream(stream, args.rss_workers, args.batch, tmp)
            report["rss_stream"] = {"docs": n_rss, "words": stream_words, "workers": args.rss_workers,
                                    "pool": args.rss_pool if shared is not None and not quick else "quick corpora",
                                    **rss}
    report["machine"]["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["targets"] = TARGETS
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), "utf-8")
    return report


if __name__ == "__main__":
    checks = main()
    # a speed figure from wrong output is no figure: a failed identity check fails the run
    sys.exit(1 if False in (checks.get("rule_pipes_identical_to_spacy"), checks.get("dask_identical_to_serial")) else 0)
