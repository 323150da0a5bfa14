"""Fixtures of the run and storage tests: a synthetic gemeente on SQLite and PostgreSQL, the test catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kic.controls import load_catalogue
from kic.resources import resource_dir
from kic.synth import generate

CATALOGUE = Path(__file__).resolve().parent / "catalogue"


@pytest.fixture(scope="session")
def gemeente(tmp_path_factory):  # type: ignore[no-untyped-def]
    return generate(tmp_path_factory.mktemp("gemeente"), payments=5_000, seed=11)


@pytest.fixture(scope="session")
def catalogue_dir(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """The test catalogue with the shipped normtabel, the one the synthetic gemeente pays by."""
    target = tmp_path_factory.mktemp("catalogue") / "normenkader"
    shutil.copytree(CATALOGUE, target)
    shutil.copy(resource_dir("controls") / "tabellen" / "normbedragen.yaml", target / "tabellen")
    return target


@pytest.fixture(scope="session")
def catalogue(catalogue_dir):  # type: ignore[no-untyped-def]
    return load_catalogue(shipped=catalogue_dir)
