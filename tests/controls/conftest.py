"""Fixtures of the run and storage tests: a synthetic gemeente on SQLite and PostgreSQL, the test catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_test_catalogue

from kic.controls import load_catalogue
from kic.synth import generate


@pytest.fixture(scope="session")
def gemeente(tmp_path_factory):  # type: ignore[no-untyped-def]
    return generate(tmp_path_factory.mktemp("gemeente"), payments=5_000, seed=11)


@pytest.fixture(scope="session")
def catalogue_dir(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """The test catalogue with the norm tables the synthetic gemeente pays by."""
    return copy_test_catalogue(tmp_path_factory.mktemp("catalogue") / "normenkader")


@pytest.fixture(scope="session")
def catalogue(catalogue_dir):  # type: ignore[no-untyped-def]
    return load_catalogue(shipped=catalogue_dir)
