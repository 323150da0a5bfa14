"""Verbeteracties: what the organisation does about the bevindingen, and how it is measured again.

A bevinding itself is not stored: it is derived from the afgeronde reviews every time (one per
control judged fout or onzekerheid), so it never disagrees with the review it comes from. An
action links to bevindingen by control id and review id, and names the control and quarter of
its hermeting. Every change goes to the audit trail.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kic.db.base import Base

OPEN, IN_UITVOERING, GEREED, VERVALLEN = "open", "in_uitvoering", "gereed", "vervallen"
STATUSES = (OPEN, IN_UITVOERING, GEREED, VERVALLEN)
PRIORITIES = ("hoog", "middel", "laag")


class ImprovementAction(Base):
    __tablename__ = "improvement_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))  # free text: also someone outside the quality team
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    priority: Mapped[str] = mapped_column(String(10), default="middel")
    control_ids: Mapped[list] = mapped_column(JSON)  # linked bevindingen: controls ...
    review_ids: Mapped[list] = mapped_column(JSON)  # ... and the reviews they were found in
    findings_quarter: Mapped[str | None] = mapped_column(String(7))  # 2026-Q2: where the errors were found
    remeasure_control: Mapped[str | None] = mapped_column(String(40))
    remeasure_quarter: Mapped[str | None] = mapped_column(String(7))
    closing_decision: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    # ClassVar for ruff (RUF012), though SQLAlchemy's typing declares an instance attribute (sqlalchemy#12373)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}  # type: ignore[misc]
