"""Cycle benchmark on a synthetic 1,000,000-payment gemeente: plan, risk weights, draw, reports.

Uses the cached database of ``bench_controls.py`` (benchmarks/data/), works on a copy of it, and
measures, each in one process with its peak memory reported at the end:

- sizing the controleplan of 2026 on the whole population (``size_plan``);
- the risk weight of every payment (``risk_weights``);
- drawing every sample the plan asks for in one quarter, all regelingen (``draw_plan``);
- the quarter's reports: kwartaalrapportage, SISA-dossier (with XLSX and CSV) and verbeteragenda,
  HTML and PDF (``build_files``).

    python benchmarks/bench_cycle.py [--payments 1000000] [--quarter 2026-Q3]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from bench_controls import ensure_database


def timed(label: str, results: dict, fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = fn()
    results[label] = round(time.perf_counter() - started, 2)
    print(f"{label:<40} {results[label]:>8.2f} s", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--quarter", default="2026-Q3")
    args = parser.parse_args()

    from kic.controls.frame import load_frame
    from kic.db import make_engine, session_scope
    from kic.plan.service import size_plan
    from kic.plan_draw import draw_plan
    from kic.reports.publish import build_files
    from kic.reports.render import pdf_unavailable
    from kic.risk import load_risk_model, risk_weights

    cached = ensure_database(args.payments).removeprefix("sqlite:///")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "kic.sqlite"
        shutil.copy(cached, copy)
        engine = make_engine(f"sqlite:///{copy}")
        results: dict[str, float] = {}
        with session_scope(engine) as session:
            sizes = timed("controleplan 2026 doorrekenen", results, lambda: size_plan(session, 2026))
            frame = timed("betalingen laden (controleframe)", results, lambda: load_frame(session))
            model = load_risk_model()
            timed("risicogewicht van elke betaling", results, lambda f=frame: risk_weights(model, f))
        with session_scope(engine) as session:
            drawn = timed(
                f"steekproeven {args.quarter} trekken",
                results,
                lambda: draw_plan(session, 2026, args.quarter, actor="benchmark", seed="bench"),
            )
        pdf = pdf_unavailable() is None
        for kind, period in (("kwartaal", args.quarter), ("sisa", "2026"), ("agenda", "2026-10-15")):
            with session_scope(engine) as session:
                timed(
                    f"rapport {kind} {'HTML+PDF' if pdf else 'HTML'}",
                    results,
                    lambda k=kind, p=period: build_files(session, k, p, pdf=pdf),
                )
        engine.dispose()
    reports = sum(v for k, v in results.items() if k.startswith("rapport"))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "betalingen": args.payments,
                "plan_onderdelen": len(sizes.parts),
                "steekproeven": sum(1 for d in drawn if d.sample is not None),
                "rapporten_totaal_s": round(reports, 2),
                "piekgeheugen_mb": round(peak_mb),
                "seconden": results,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
