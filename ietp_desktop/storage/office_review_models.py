"""Tables of the office's follow-up of a received visit: its review, and the CAP lines the
factory answers after the visit (decisions and evidence), plus the laptop's copy of a review
returned to the specialist.

CAP follow-up is keyed by (visit, finding code), not by the rows of `corrective_actions`: a new
revision from the laptop replaces those rows, while the factory's answers and the reviewer's
decisions must stay.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ietp_desktop.storage.models import Base
from ietp_desktop.storage.types import UtcDateTime, utcnow


class OfficeReview(Base):
    """The review of one received visit: of the revision named here (a newer one is new)."""

    __tablename__ = "office_reviews"

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), index=True)  # in_review | accepted | returned
    comment: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OfficeCapLine(Base):
    """The office's follow-up of one CAP line: what the factory answered, the reviewer's say."""

    __tablename__ = "office_cap_lines"

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True
    )
    finding_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    # the factory's answers from its returned workbook; None keeps the specialist's value
    corrective_action: Mapped[str | None] = mapped_column(Text)
    preventive_action: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(120))
    due_date: Mapped[date | None] = mapped_column(Date)
    factory_status: Mapped[str | None] = mapped_column(String(20))
    factory_remark: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(20), default="")  # "" | accepted | rejected
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OfficeCapEvidence(Base):
    """One evidence file for one CAP line, stored content-addressed in the office folder."""

    __tablename__ = "office_cap_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    finding_code: Mapped[str] = mapped_column(String(10))
    factory_id: Mapped[int] = mapped_column(ForeignKey("factories.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # a photo's EXIF date
    uploaded_by: Mapped[str] = mapped_column(String(120), default="")
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OfficeCapImport(Base):
    """One returned CAP workbook and the change report it produced."""

    __tablename__ = "office_cap_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    report_json: Mapped[str] = mapped_column(Text, default="")
    imported_by: Mapped[str] = mapped_column(String(120), default="")
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ReviewReturn(Base):
    """On the laptop: the office returned a visit with the reviewer's comments."""

    __tablename__ = "review_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(120), default="")
    returned_at: Mapped[datetime] = mapped_column(UtcDateTime)
    office: Mapped[str] = mapped_column(String(200), default="")


class OfficeReminder(Base):
    """One CAP reminder written for a factory: sent through the office's SMTP server, or kept
    when none is configured or the server refused it."""

    __tablename__ = "office_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    factory_id: Mapped[int] = mapped_column(ForeignKey("factories.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    open_lines: Mapped[int] = mapped_column(Integer)
    overdue_lines: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # sent | not-sent | failed
    problem: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
