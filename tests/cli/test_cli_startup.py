"""``kic --help`` answers at once: a subcommand's module (pandas, scipy, WeasyPrint, ...) is imported
only when that subcommand runs, and every command still has the one error boundary. ``kic stats
plan`` answers at once too: it needs numpy and scipy.special, never pandas or scipy.stats."""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner

from kic.cli import COMMANDS, main
from kic.cli.base import KicCommand
from kic.cli.reference import commands

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "scipy", "weasyprint", "matplotlib", "argon2", "numpy", "sqlalchemy", "flask")

_PROBE = f"""
import sys
import kic.cli
after_import = [m for m in {HEAVY!r} if m in sys.modules]
try:
    kic.cli.main(["--help"], prog_name="kic")
except SystemExit:
    pass
after_help = [m for m in {HEAVY!r} if m in sys.modules]
print(after_import, after_help, file=sys.stderr)
"""


def test_importing_the_cli_and_its_help_load_no_heavy_library() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert "Commando's:" in done.stdout  # the help was rendered, with the list of commands
    assert done.stderr.strip() == "[] []"


def test_the_listed_short_help_is_the_commands_own() -> None:
    context = click.Context(main, info_name="kic")
    for name, (_module, _attribute, short_help) in COMMANDS.items():
        command = main.get_command(context, name)
        assert command is not None, name
        listed = click.Command(name, help=short_help).get_short_help_str(1000)
        assert listed == command.get_short_help_str(1000), f"COMMANDS[{name!r}] in kic/cli/__init__.py"


def test_every_command_has_the_error_boundary() -> None:
    outside = [name for name, command in commands() if not isinstance(command, KicCommand)]
    assert outside == []


def test_a_subcommand_invoked_on_its_own_still_reports_errors_in_dutch(tmp_path: Path) -> None:
    from kic.cli.population import population

    url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    result = CliRunner().invoke(population, ["list", "--database", url])
    assert result.exit_code == 1
    assert result.output.startswith("Fout: De database staat op versie leeg")


def test_an_unknown_command_suggests_one_not_yet_imported() -> None:
    result = CliRunner().invoke(main, ["smaple"])
    assert result.exit_code == 2
    assert "onbekend commando 'smaple'; bedoelt u sample?" in result.output


# What ``kic stats plan`` must not wait for (issue 15): pandas came with kic.sampling.selection,
# scipy.stats (and scipy.optimize/signal with it) with audit_risk, planning and evaluation.
PLAN_HEAVY = ("pandas", "scipy.stats", "scipy.signal", "scipy.optimize", "sqlalchemy", "weasyprint")

_PLAN_PROBE = f"""
import sys
import kic.cli
try:
    kic.cli.main(sys.argv[1:], prog_name="kic")
except SystemExit as exc:
    assert not exc.code, exc.code
print([m for m in {PLAN_HEAVY!r} if m in sys.modules], file=sys.stderr)
"""


def _run_probe(probe: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", probe, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        ("--materiality 0.02 --betrouwbaarheid 0.95 --expected 0", "Steekproefomvang: 150"),
        ("--materiality 0,02 --expected 0,005", "Steekproefomvang: 262"),
        ("--materiality 50000 --population-value 2500000 --expected 5000", "Steekproefomvang: 183"),
        (
            "--materiality 0.02 --inherent-risico hoog --internebeheersingsrisico midden "
            "--cijferanalyserisico laag",
            "Afgeleide betrouwbaarheid: 61,54%",
        ),
    ],
    ids=["benchmark", "expected-rate", "mus", "haro-risk-model"],
)
def test_stats_plan_with_the_poisson_model_loads_neither_pandas_nor_scipy_stats(
    args: str, shown: str
) -> None:
    done = _run_probe(_PLAN_PROBE, "stats", "plan", *args.split())
    assert shown in done.stdout  # the plan was computed and printed, not only parsed
    assert done.stderr.strip() == "[]"


def test_importing_kic_sampling_imports_none_of_its_submodules() -> None:
    probe = "import sys, kic.sampling; print(sorted(m for m in sys.modules if m.startswith('kic.sampling.')))"
    assert _run_probe(probe).stdout.strip() == "[]"


def test_every_lazy_name_of_kic_sampling_is_typed_listed_and_found() -> None:
    """The names imported under TYPE_CHECKING (what mypy sees), ``__all__`` and the runtime table
    of kic/sampling/__init__.py are the same, and each name is the object of its submodule."""
    sampling = importlib.import_module("kic.sampling")
    tree = ast.parse(Path(sampling.__file__ or "").read_text(encoding="utf-8"))
    typed = {
        alias.name: (node.module or "").removeprefix("kic.sampling.")
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kic.sampling.")
        for alias in node.names
    }
    assert typed == sampling._SUBMODULE
    assert sorted(sampling.__all__) == sorted(typed)
    for name, module in typed.items():
        assert getattr(sampling, name) is getattr(importlib.import_module(f"kic.sampling.{module}"), name)
    assert set(sampling.__all__) <= set(dir(sampling))
    with pytest.raises(AttributeError, match="no attribute 'plan_nothing'"):
        sampling.plan_nothing  # noqa: B018


def test_the_gamma_quantile_without_scipy_stats_is_scipy_stats_number_to_the_last_bit() -> None:
    """kic.sampling.distributions.gamma_quantile stands in for scipy.stats.gamma.ppf (Poisson
    factors, Stringer limits, zero-error sizes); a scipy that computed the ppf otherwise fails here."""
    from scipy import stats

    from kic.sampling import distributions as dist

    conf = np.array([0.0, 1e-9, 0.5, 0.6154, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999])
    shape = np.concatenate([np.arange(1.0, 101.0), [1.25, 2.5, 3.75, 49.5]])
    q, a = np.meshgrid(conf, shape)
    assert np.array_equal(dist.gamma_quantile(q, a), stats.gamma.ppf(q, a))


@pytest.mark.parametrize("allowed", [0, 1, 2, 5, 12])
def test_the_poisson_size_for_allowed_errors_is_the_smallest_n_by_scipy_stats(allowed: int) -> None:
    """The Poisson acceptor uses scipy.special.pdtr; scipy.stats.poisson.cdf decides the same n."""
    from scipy import stats

    from kic.sampling import planning

    for rate, conf in [(0.01, 0.95), (0.02, 0.9), (0.0137, 0.975), (0.05, 0.6154)]:
        n = planning.size_for_allowed_errors(allowed, rate, conf, "poisson")
        alpha = float(Fraction(1) - Fraction(repr(conf)))
        assert stats.poisson.cdf(allowed, n * rate) <= alpha < stats.poisson.cdf(allowed, (n - 1) * rate)
