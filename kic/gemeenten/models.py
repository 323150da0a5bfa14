"""The table of the gemeenten of the installation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from kic.db.base import Base


class Gemeente(Base):
    """One gemeente: its CBS code, its name, its logo for its reports and the grootboek it reconciles with."""

    __tablename__ = "gemeente"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)  # CBS gemeentecode, GM + four digits
    name: Mapped[str] = mapped_column(String(200))
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)  # shown on the gemeente's own reports
    logo_type: Mapped[str | None] = mapped_column(String(30))  # image/svg+xml or image/png
    ledger: Mapped[str | None] = mapped_column(String(1000))  # path of the gemeente's grootboek export (CSV)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
