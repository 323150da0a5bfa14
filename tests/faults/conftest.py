"""The fault-injection suite (issue 18): races, kills, SQL side doors and hostile input.

Everything here is marked slow (tests/conftest.py) and runs in ``make test`` on SQLite and PostgreSQL.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "findings"))  # reviewed.py: a reviewed sample
