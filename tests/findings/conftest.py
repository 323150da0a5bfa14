from __future__ import annotations

import pytest
from reviewed import import_gemeente

from kic.synth import SynthResult, generate


@pytest.fixture(scope="session")
def gemeente(tmp_path_factory) -> SynthResult:  # type: ignore[no-untyped-def]
    return generate(tmp_path_factory.mktemp("gemeente"), payments=3000, seed=11)


@pytest.fixture
def population(db, gemeente):  # type: ignore[no-untyped-def]
    import_gemeente(db, gemeente)
    return db
