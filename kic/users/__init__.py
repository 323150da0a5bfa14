"""Local user accounts and roles for the web application."""

from kic.users.accounts import (
    UnknownUser,
    UserError,
    activate,
    add_user,
    deactivate,
    find_user,
    get_user,
    list_users,
    set_gemeenten,
    set_password,
)
from kic.users.gemeenten import shown_gemeenten, user_gemeenten, user_scope
from kic.users.login import LockoutPolicy, LoginResult, authenticate
from kic.users.models import Role, User

__all__ = [
    "LockoutPolicy",
    "LoginResult",
    "Role",
    "UnknownUser",
    "User",
    "UserError",
    "activate",
    "add_user",
    "authenticate",
    "deactivate",
    "find_user",
    "get_user",
    "list_users",
    "set_gemeenten",
    "set_password",
    "shown_gemeenten",
    "user_gemeenten",
    "user_scope",
]
