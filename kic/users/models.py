"""Local user accounts of the web application, with their role."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kic.db.base import Base


class Role(StrEnum):
    """What a user may do; every view names the roles it admits."""

    KWALITEITSMEDEWERKER = "kwaliteitsmedewerker"
    TEAMLEIDER = "teamleider"
    ACCOUNTANT = "accountant"
    BEHEERDER = "beheerder"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.KWALITEITSMEDEWERKER: "Kwaliteitsmedewerker",
    Role.TEAMLEIDER: "Teamleider",
    Role.ACCOUNTANT: "Accountant",
    Role.BEHEERDER: "Beheerder",
}


class User(Base):
    """An account. Never deleted (the audit trail names it); deactivated instead."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class UserGemeente(Base):
    """A gemeente a user works for. A user without any sees the whole installation; a user with some
    sees only what belongs to those gemeenten (``kic.users.gemeenten``)."""

    __tablename__ = "user_gemeente"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    gemeente: Mapped[str] = mapped_column(ForeignKey("gemeente.code"), primary_key=True)


class WebSession(Base):
    """A logged-in browser session. The cookie holds a random token; the database keeps its SHA-256,
    so that logging out (or a new password, or deactivation) ends the session on the server: a cookie
    copied before ``/uitloggen`` opens nothing afterwards."""

    __tablename__ = "web_session"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    address: Mapped[str | None] = mapped_column(String(64))


class LoginThrottle(Base):
    """Failed logins per login name *and* client address (the name may not exist: an unknown name is
    throttled the same way, so the answers tell nothing about which accounts exist). Someone who
    types wrong passwords for an account from one address locks only that address out of that
    account, never its owner elsewhere; each lock-out in a row lasts twice as long as the one before.
    """

    __tablename__ = "login_throttle"

    name_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed or in progress, since the last lock
    lockouts: Mapped[int] = mapped_column(Integer, default=0)  # in a row, since the last success
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @staticmethod
    def name_key(username: str) -> str:
        """The key of a login name (a hash: a password typed as a name is not kept readable)."""
        return hashlib.sha256(username.strip().lower().encode("utf-8", "replace")).hexdigest()
