"""Reviews (beoordelingen) of sampled items, the verdict per control, and imported workbooks.

A review belongs to one sample item and is the only mutable part of the cycle: the sample and its
items are frozen. Status and verdict are two fields with two enums (STYLE example 6). ``version``
is SQLAlchemy's version counter: two people saving the same review never silently overwrite each
other. Every change also goes to the audit trail with before and after.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kic.db.base import Base, Money
from kic.vocabulary import ReviewStatus

TE_DOEN, BEZIG, TER_REVIEW, AFGEROND = ReviewStatus
STATUSES = tuple(ReviewStatus)


class Review(Base):
    __tablename__ = "review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("sample.id"), index=True)
    sample_item_id: Mapped[int] = mapped_column(ForeignKey("sample_item.id"), unique=True)
    item_key: Mapped[str] = mapped_column(String(64))  # betaling_id or beschikkingsnummer of the item
    reviewer: Mapped[str] = mapped_column(String(100), index=True)
    second_reviewer: Mapped[str | None] = mapped_column(String(100))
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=TE_DOEN)
    verdict: Mapped[str | None] = mapped_column(String(20))  # voldoet | fout | onzekerheid | nvt
    error_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))  # FIN
    uncertain_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))  # ONZ
    formal_findings: Mapped[int] = mapped_column(Integer, default=0)  # FORM
    cause_code: Mapped[str | None] = mapped_column(String(40))
    explanation: Mapped[str | None] = mapped_column(Text)
    second_comment: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(20))  # web | excel | demo
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    controls: Mapped[list[ReviewControl]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewControl.control_id"
    )

    # ClassVar for ruff (RUF012), though SQLAlchemy's typing declares an instance attribute (sqlalchemy#12373)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}  # type: ignore[misc]


class ReviewControl(Base):
    """The verdict of one control for one review, with the control version it was judged against."""

    __tablename__ = "review_control"
    __table_args__ = (UniqueConstraint("review_id", "control_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    control_id: Mapped[str] = mapped_column(String(40))
    control_version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(20))
    error_type: Mapped[str | None] = mapped_column(String(4))
    amount: Mapped[Decimal] = mapped_column(Money)
    answers: Mapped[dict] = mapped_column(JSON)

    review: Mapped[Review] = relationship(back_populates="controls")


class ReviewImport(Base):
    """A review workbook read back: its hash refuses the same file a second time."""

    __tablename__ = "review_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sample_id: Mapped[int] = mapped_column(ForeignKey("sample.id"))
    reviewer: Mapped[str] = mapped_column(String(100))
    reviews: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class ReviewEvidence(Base):
    """A document (stored by its SHA-256, never overwritten) or a reference to the dossier system."""

    __tablename__ = "review_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    reference: Mapped[str | None] = mapped_column(Text)  # e.g. a document number in the dossier system
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
