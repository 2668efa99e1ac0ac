"""Micro-benchmark of benchmarking.positions_frame: every metric x period x group at once, no database.

    .venv/bin/python bench/positions.py                  # 1,000 metrics x 400 councils x 3 periods, 7 runs
    .venv/bin/python bench/positions.py --metrics 200 --runs 3

Two groups: all 400 councils and a nearest-neighbour group of 16 (ours and 15 others); one
metric in five lower-is-better and one in ten a target band; 2% of figures missing. Prints
one JSON object: the median and each run in milliseconds (wall and CPU), and the row counts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarking.position import Polarity, positions_frame  # noqa: E402


def synthetic(metrics: int, councils: int, periods: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    codes = np.array([f"E{i:08d}" for i in range(councils)])
    metric_ids = np.array([f"M{i:04d}" for i in range(metrics)])
    period_ids = np.array([f"{2021 + p}-{22 + p}" for p in range(periods)])
    m, p, c = np.meshgrid(np.arange(metrics), np.arange(periods), np.arange(councils), indexing="ij")
    m, p, c = m.ravel(), p.ravel(), c.ravel()
    values = np.round(rng.normal(50, 12, len(m)), 1)
    values[rng.random(len(m)) < 0.02] = np.nan
    everyone = pd.DataFrame({"metric": metric_ids[m], "period": period_ids[p], "group": "All councils",
                             "council": codes[c], "value": values})
    neighbours = everyone[everyone["council"].isin(codes[:16])].assign(group="Nearest neighbours")
    frame = pd.concat([everyone, neighbours], ignore_index=True)
    polarities = {}
    for i, mid in enumerate(metric_ids):
        if i % 10 == 0:
            polarities[mid] = Polarity("band", Decimal(45), Decimal(55))
        elif i % 5 == 0:
            polarities[mid] = Polarity("lower")
        else:
            polarities[mid] = Polarity("higher")
    return frame, polarities, codes[0]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--metrics", type=int, default=1000)
    parser.add_argument("--councils", type=int, default=400)
    parser.add_argument("--periods", type=int, default=3)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    frame, polarities, us = synthetic(args.metrics, args.councils, args.periods)
    wall, cpu, out = [], [], None
    for _ in range(args.runs):
        w0, c0 = time.perf_counter(), time.process_time()
        out = positions_frame(frame, us=us, polarities=polarities)
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print(json.dumps({
        "positions_frame_ms": round(statistics.median(wall), 1), "runs_ms": [round(x, 1) for x in wall],
        "cpu_ms": round(statistics.median(cpu), 1), "input_rows": len(frame), "positions": len(out),
        "metrics": args.metrics, "councils": args.councils, "periods": args.periods,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
