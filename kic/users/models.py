"""Local user accounts of the web application, with their role."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, Integer, String
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
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def role_enum(self) -> Role:
        return Role(self.role)
