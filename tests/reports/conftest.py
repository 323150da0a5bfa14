"""The tests here use the helper module tests/findings/reviewed.py (``reviewed_sample``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "findings"))
