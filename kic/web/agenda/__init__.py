"""Verbeteragenda: the actions with the overdue ones first, a page per action with its bevindingen,
hermeting and history, making an action from bevindingen (teamleider) and changing its status
(teamleider, or the owner of the action).

The views read the form, call kic.findings.agenda (the functions behind ``kic agenda``) and render.
"""

from kic.web.agenda import changes, pages  # noqa: F401  (registers the routes)
from kic.web.agenda.common import bp

__all__ = ["bp"]
