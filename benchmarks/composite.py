"""Benchmark of migstats.composite: one build, and 1,000 uncertainty draws over 200 countries.

Run from the repository root: ``python benchmarks/composite.py``.

The baseline, measured in the same run, is the plain way of doing an
uncertainty analysis: one full ``build()`` per draw (timed over a few draws
and scaled to 1,000). The ratio says how much sharing the stages that do not
depend on a draw, and treating and normalising once per distinct choice, saves.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from migstats.composite import Framework, build, load_spec, sensitivity, uncertainty  # noqa: E402

SHARED = Path(os.environ.get("MIGSTATS_SHARED", Path(__file__).resolve().parents[2] / "shared"))
DRAWS = 1000


def timed(func, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def naive_per_draw(data, fw, run, choices, n=20):
    """Seconds per draw of one full build() per draw, over the first n draws of ``run``."""
    start = time.perf_counter()
    for _, draw in run.draws.head(n).iterrows():
        mult = draw[[c for c in run.draws.columns if c.startswith("w:")]].astype(float)
        weights = {c[2:]: fw.nodes[c[2:]].weight * m for c, m in mult.items()}
        build(data, fw, **{**choices, "winmax": int(draw["winmax"]), "normalise": draw["normalise"],
                           "aggregate": draw["aggregate"], "weights": weights})
    return (time.perf_counter() - start) / n


def case(label, data, fw, choices, unc, executor=None):
    t, run = timed(lambda: uncertainty(data, fw, draws=DRAWS, seed=0, executor=executor, progress=False,
                                       **unc, **choices), repeat=1 if executor else 3)
    naive = naive_per_draw(data, fw, run, choices) * DRAWS
    print(f"{label:<58} {t:8.2f} s   one build per draw: {naive:7.1f} s   ratio {naive / t:6.0f}x")
    return t


def main():
    print(f"migstats.composite benchmark ({os.cpu_count()} cores)\n")
    coinr = SHARED / "reference" / "coinr"
    if (coinr / "input_iData.csv").is_file():
        data = pd.read_csv(coinr / "input_iData.csv")
        fw = Framework.from_coinr(pd.read_csv(coinr / "input_iMeta.csv"))
        t, _ = timed(lambda: build(data, fw, impute="mean", impute_by="EurAsia_group", screen_threshold=0.9))
        print(f"{'build(): COINr example chain, 51 units x 49 indicators':<58} {t * 1000:8.1f} ms\n")

    spec = load_spec()
    unc = {k: (tuple(v) if isinstance(v, list) else v) for k, v in spec.uncertainty.items()
           if k not in ("draws", "seed")}
    print(f"uncertainty(): {DRAWS} draws of {', '.join(unc)}")
    case(f"exposure index, {len(spec.data)} countries (200 kept) x 4 indicators", spec.data, spec.framework, spec.choices, unc)

    rng = np.random.default_rng(0)
    if (coinr / "input_iMeta.csv").is_file():
        fw = Framework.from_coinr(pd.read_csv(coinr / "input_iMeta.csv"))
        synth = pd.DataFrame(rng.lognormal(0, 1.2, (200, len(fw.indicators))), columns=fw.indicators)
        synth.insert(0, "code", [f"U{i:03d}" for i in range(200)])
        choices = dict(denominate=False, normalise_range=(1, 100))
        seq = case("200 units x 49 indicators (COINr framework), sequential", synth, fw, choices, unc)
        par = case("200 units x 49 indicators, executor='process'", synth, fw, choices, unc, executor="process")
        print(f"{'process pool vs sequential (pool start-up included)':<58} {seq / par:8.2f}x")

    t, si = timed(lambda: sensitivity(spec.data, spec.framework, samples=250, seed=0, progress=False, **unc,
                                      **spec.choices), repeat=1)
    print(f"\nsensitivity(): exposure index, {si.attrs['runs']} builds {t:8.2f} s")


if __name__ == "__main__":
    main()
