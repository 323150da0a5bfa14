"""Start-up time of the ``kic`` command: how long a person waits for ``kic --help`` and for a small
computation (``kic stats plan``, ``kic stats evaluate``), measured as wall-clock time of a fresh process.

    python benchmarks/bench_cli_startup.py [--runs 7]

Runs the working tree (``PYTHONPATH`` is set to this checkout) through the ``kic`` script next to
the interpreter, or ``python -m kic`` when there is none, and prints the median of ``--runs`` runs
beside the start of a bare interpreter (the floor), with the median CPU time (user + system) of
the process: on a machine shared with other jobs the wall-clock time includes waiting for a core,
the CPU time hardly. The aim is under 0.5 s for ``kic --help`` and ``kic stats plan`` (issue 15);
the other statistics commands are measured without an aim: the binomial model (the default of
``kic stats evaluate``) needs scipy.stats, the Poisson model scipy.special only.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.5
FLOOR = "python -c pass (de ondergrens)"
# The command lines as a person types them; True where the aim of 0.5 s applies (issue 15).
COMMANDS = {
    "kic --help": True,
    "kic stats plan --materiality 0.02 --betrouwbaarheid 0.95 --expected 0": True,
    "kic stats plan --materiality 0.02 --betrouwbaarheid 0.95 --likelihood binomial": False,
    "kic stats evaluate --n 60 --errors 1": False,
    "kic stats evaluate --taints '0,5 0,25' --n 93 --population-value 2500000": False,
    "kic stats evaluate --taints '0,5 0,25' --n 93 --population-value 2500000 --likelihood poisson": False,
}


def _kic() -> list[str]:
    script = Path(sys.executable).parent / "kic"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "kic"]


def wall_clock(argv: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds per run of ``argv`` in a fresh process; the first, warming run is
    not counted."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times, cpu = [], []
    for run in range(runs + 1):
        before = _children_cpu()
        started = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        if run:
            times.append(time.perf_counter() - started)
            cpu.append(_children_cpu() - before)
    return times, cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7, help="runs per command (median reported)")
    args = parser.parse_args()
    print(f"mediaan van {args.runs} runs, wandkloktijd van een nieuw proces ({' '.join(_kic())})")
    print(f"belasting (load average) bij de start: {os.getloadavg()[0]:.2f}")
    for label, aim in {FLOOR: False, **COMMANDS}.items():
        argv = [sys.executable, "-c", "pass"] if label == FLOOR else [*_kic(), *shlex.split(label)[1:]]
        times, cpu = wall_clock(argv, args.runs)
        median = statistics.median(times)
        verdict = "" if not aim else ("  binnen 0,5 s" if median < GOAL else "  TRAGER dan 0,5 s")
        spread = f"(min {min(times):.3f}, max {max(times):.3f}; cpu {statistics.median(cpu):.3f})"
        print(f"{median:6.3f} s  {spread}  {label}{verdict}")


if __name__ == "__main__":
    main()
