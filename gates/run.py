"""Run quality gates against ``$FAULTLINE_SHARED`` and compare with pinned floors.

Usage::

    python -m gates.run                 # every gate in gates/baseline.json
    python -m gates.run seed aeb        # only the named gates
    python -m gates.run --report out.json

Each gate is a module ``gates/<name>.py`` exposing ``run(shared: Path) ->
dict[str, float]``.  Its floors live in ``gates/baseline.json``::

    {"seed": {"body_exact": {"floor": 1.0, "higher_is_better": true}}}

A metric with ``"higher_is_better": false`` is a ceiling instead.  Lowering a
floor is a deliberate, visible edit to baseline.json, explained in its commit.
The runner exits 0 when every metric meets its floor, 1 on a regression, and
0 with a message when the shared folder is absent.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"


def shared_dir() -> Path:
    env = os.environ.get("FAULTLINE_SHARED")
    return Path(env) if env else HERE.parent.parent / "shared"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gates", nargs="*", help="gate names (default: all in baseline.json)")
    parser.add_argument("--report", type=Path, help="write every score as JSON to this file")
    args = parser.parse_args(argv)

    shared = shared_dir()
    if not (shared / "data").is_dir():
        print(f"gates: shared data not found at {shared} (set FAULTLINE_SHARED); skipping all gates.")
        return 0
    baseline = json.loads(BASELINE.read_text("utf-8"))
    names = args.gates or list(baseline)
    failures: list[str] = []
    report: dict[str, dict[str, float]] = {}
    for name in names:
        if name not in baseline:
            print(f"gates: {name!r} has no floors in {BASELINE.name}; known: {', '.join(baseline)}")
            return 2
        t0 = time.perf_counter()
        module = importlib.import_module(f"gates.{name}")
        scores = module.run(shared)
        report[name] = scores
        took = time.perf_counter() - t0
        print(f"== gate {name} ({took:.1f}s)")
        for metric, spec in baseline[name].items():
            floor = spec["floor"]
            higher = spec.get("higher_is_better", True)
            if metric not in scores:
                failures.append(f"{name}.{metric}: not reported by the gate")
                print(f"   {metric:<40} MISSING")
                continue
            value = scores[metric]
            ok = value >= floor if higher else value <= floor
            sign = ">=" if higher else "<="
            print(f"   {metric:<40} {value:10.4f}  {sign} {floor:<8} {'ok' if ok else 'REGRESSION'}")
            if not ok:
                failures.append(f"{name}.{metric} = {value:.4f}, floor {sign} {floor}")
        for metric in sorted(set(scores) - set(baseline[name])):
            print(f"   {metric:<40} {scores[metric]:10.4f}  (reported, no floor)")
    if args.report:
        args.report.write_text(json.dumps(report, indent=2, sort_keys=True), "utf-8")
    if failures:
        print("gates: REGRESSION\n  " + "\n  ".join(failures))
        return 1
    print(f"gates: all {len(names)} gate(s) meet their floors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
