"""What the agenda views share: the blueprint, who may see and change an action."""

from __future__ import annotations

from flask import Blueprint, abort, g

from kic.findings.agenda import ActionNotFound, get_action, is_owner
from kic.findings.models import ImprovementAction
from kic.users import Role
from kic.web.database import db

bp = Blueprint("agenda", __name__, url_prefix="/verbeteragenda")
K, T, A = Role.KWALITEITSMEDEWERKER, Role.TEAMLEIDER, Role.ACCOUNTANT


def own_only() -> bool:
    """A kwaliteitsmedewerker sees only the actions they own (by username); teamleider and accountant all."""
    return g.user.role_enum is K


def readable_action(action_id: int) -> ImprovementAction:
    """The action, if it exists (404) and this user may see it (403)."""
    try:
        action = get_action(db(), action_id)
    except ActionNotFound:
        abort(404)
    if own_only() and not is_owner(action, g.user.username):
        abort(403)
    return action


def may_change(action: ImprovementAction) -> bool:
    """The teamleider changes every action; an owner with a kic account their own."""
    return g.user.role_enum is T or (g.user.role_enum is K and is_owner(action, g.user.username))


def may_decide() -> bool:
    """Closing without proven improvement, or letting an action lapse, is the teamleider's decision."""
    return g.user.role_enum is T
