"""A small synthetic gemeente, imported, with a drawn PW-LO sample: what a reviewer starts from."""

from __future__ import annotations

import pytest

from kic.db import session_scope
from kic.periods import parse_period
from kic.samples.draw import SampleSpec, draw_sample


@pytest.fixture
def sample_id(population) -> int:  # type: ignore[no-untyped-def]
    with session_scope(population) as session:
        sample = draw_sample(
            session, SampleSpec("PW-LO", parse_period("2026-Q2"), n=12), seed="review", actor="teamleider"
        )
        return sample.id
