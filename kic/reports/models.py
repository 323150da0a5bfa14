"""Published reports: every rendering of a report is a new, immutable version with its hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kic.db.base import Base


class ReportVersion(Base):
    __tablename__ = "report_version"
    __table_args__ = (UniqueConstraint("kind", "period", "gemeente", "file_format", "version_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # kwartaal | sisa | agenda
    period: Mapped[str] = mapped_column(String(10))
    # the CBS code of the gemeente the report is of; '' the whole installation (a region, or one gemeente)
    gemeente: Mapped[str] = mapped_column(String(6), default="", server_default="")
    file_format: Mapped[str] = mapped_column(String(10))  # html | pdf | xlsx | csv
    version_no: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str | None] = mapped_column(String(1000))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
