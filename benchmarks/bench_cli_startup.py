"""Start-up time of the ``kic`` command: how long a person waits for ``kic --help`` and for a small
computation (``kic stats plan``), measured as wall-clock time of a fresh process.

    python benchmarks/bench_cli_startup.py [--runs 7]

Runs the working tree (``PYTHONPATH`` is set to this checkout) through the ``kic`` script next to
the interpreter, or ``python -m kic`` when there is none, and prints the median of ``--runs`` runs
beside the start of a bare interpreter (the floor). The aim is under 0.5 s for both commands.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.5
COMMANDS = {
    "python -c pass (de ondergrens)": None,
    "kic --help": ["--help"],
    "kic stats plan --materiality 0.02 --betrouwbaarheid 0.95 --expected 0": [
        "stats",
        "plan",
        "--materiality",
        "0.02",
        "--betrouwbaarheid",
        "0.95",
        "--expected",
        "0",
    ],
}


def _kic() -> list[str]:
    script = Path(sys.executable).parent / "kic"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "kic"]


def wall_clock(argv: list[str], runs: int) -> list[float]:
    """Seconds per run of ``argv`` in a fresh process; the first, warming run is not counted."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for run in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        if run:
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7, help="runs per command (median reported)")
    args = parser.parse_args()
    print(f"mediaan van {args.runs} runs, wandkloktijd van een nieuw proces ({' '.join(_kic())})")
    for label, kic_args in COMMANDS.items():
        argv = [sys.executable, "-c", "pass"] if kic_args is None else [*_kic(), *kic_args]
        times = wall_clock(argv, args.runs)
        median = statistics.median(times)
        verdict = "" if kic_args is None else ("  binnen 0,5 s" if median < GOAL else "  TRAGER dan 0,5 s")
        spread = f"(min {min(times):.3f}, max {max(times):.3f})"
        print(f"{median:6.3f} s  {spread}  {label}{verdict}")


if __name__ == "__main__":
    main()
