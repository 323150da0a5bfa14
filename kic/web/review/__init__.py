"""Beoordelen: the reviewer's queue and item page, vier-ogen, progress and drawing for the teamleider,
reviews and exports for the accountant, and evidence.

The views read the form, call the use cases of kic.review (service, evidence, queries) and render.
"""

from kic.web.review import overview, reviewer, second  # noqa: F401  (registers the routes)
from kic.web.review.common import bp

__all__ = ["bp"]
