"""The reviewed gemeente's fixtures (``gemeente``, ``population``) from the shared helper module."""

from reviewed import gemeente, population  # noqa: F401 - fixtures are found by name
