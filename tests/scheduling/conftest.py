"""The reviewed gemeente's fixtures (``gemeente``, ``population``) from tests/findings/reviewed.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "findings"))

from reviewed import gemeente, population  # noqa: F401 - fixtures are found by name
