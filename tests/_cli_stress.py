"""Stress driver for tests/test_cli.py: signals against the temporary-file window.

Run as ``python tests/_cli_stress.py OUT SIGNAL TRIALS MODE``. The chart work is made
trivial (an empty figure, constant bytes) so that nearly all the time goes to writing
files through temporary files; then ``TRIALS`` forked children write charts in a loop
and each is sent ``SIGNAL`` after a random delay. ``MODE`` is ``cli`` (through
``migstats.cli.main``, which must leave no temporary file) or ``bare`` (through
``write_charts`` with the default signal handling: the control that shows the kills do
land inside the window). Opening a file is slowed down by a millisecond, as on a slow file
system, so that signals also land between the creation of a file and the recording of it. Prints one JSON line: exit statuses and runs with leftovers.
"""

import json
import os
import random
import signal
import sys
import time
from collections import Counter

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import migstats.charts as charts  # noqa: E402
import migstats.charts._save as save  # noqa: E402
from migstats import cli  # noqa: E402

PAYLOAD = b"\x89PNG" + bytes(256 * 1024)  # a quarter megabyte: write and fsync take a while


def _child(out: str, mode: str) -> None:
    charts.render = lambda name, dpi=None, **kwargs: plt.figure(figsize=(1, 1))
    save.figure_bytes = lambda fig, fmt, dpi: PAYLOAD
    write_charts = charts.write_charts

    def forever(*args, **kwargs):
        while True:
            write_charts(*args, **kwargs)

    # one endless run, so that every signal lands inside it
    charts.write_charts = forever
    real_open = os.open

    def slow_open(*args, **kwargs):
        fd = real_open(*args, **kwargs)
        time.sleep(0.001)  # a slow file system: signals also land just after a file is made
        return fd

    os.open = slow_open
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    names = charts.chart_names()
    if mode == "cli":
        os._exit(cli.main(["charts", "--out", out, "--only", *names]))
    forever(out, names)


def main(out: str, signame: str, trials: int, mode: str) -> None:
    sig = getattr(signal, signame)
    rng = random.Random(20081119)
    statuses, leftovers = Counter(), 0
    for trial in range(trials):
        folder = os.path.join(out, f"{mode}{trial}")
        os.makedirs(folder)
        pid = os.fork()
        if pid == 0:
            try:
                _child(folder, mode)
            finally:
                os._exit(99)
        # let the child reach its loop, then stop it at a random point of a write
        while not os.listdir(folder):
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(pid, sig)
        _, status = os.waitpid(pid, 0)
        statuses[os.waitstatus_to_exitcode(status)] += 1
        hidden = [name for name in os.listdir(folder) if name.startswith(".")]
        leftovers += bool(hidden)
        if hidden and os.environ.get("STRESS_DEBUG"):
            print(trial, hidden, file=sys.stderr)
    print(json.dumps({"statuses": {str(k): v for k, v in statuses.items()}, "runs_with_leftovers": leftovers}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
