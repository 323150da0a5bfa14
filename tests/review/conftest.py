"""A small synthetic gemeente, imported, with a drawn PW-LO sample: what a reviewer starts from."""

from __future__ import annotations

from pathlib import Path

import pytest

from kic.cycle.draw import SampleSpec, draw_sample
from kic.cycle.periods import parse_period
from kic.db import session_scope
from kic.population import import_population
from kic.synth import SynthResult, generate


@pytest.fixture(scope="session")
def gemeente(tmp_path_factory) -> SynthResult:  # type: ignore[no-untyped-def]
    return generate(tmp_path_factory.mktemp("gemeente"), payments=3000, seed=11)


@pytest.fixture
def population(db, gemeente):  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        import_population(session, "betalingen", gemeente.payments_path, actor="tester")
        import_population(session, "beschikkingen", gemeente.dossiers_path, actor="tester")
    return db


@pytest.fixture
def sample_id(population) -> int:  # type: ignore[no-untyped-def]
    with session_scope(population) as session:
        sample = draw_sample(session, SampleSpec("PW-LO", parse_period("2026-Q2"), n=12), seed="review",
                             actor="teamleider")
        return sample.id


def truth_of(gemeente: SynthResult) -> Path:
    return gemeente.ground_truth_path
