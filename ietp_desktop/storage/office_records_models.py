"""The office's check of the new time and pay records a factory sends for a wage or hours
CAP line: what was read, what the calculators found, and the flags the reviewer must see.
The files themselves are evidence of the line (office_cap_evidence, content-addressed)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ietp_desktop.storage.models import Base
from ietp_desktop.storage.types import UtcDateTime, utcnow


class OfficeCapRecordsCheck(Base):
    """One records check of one CAP line; the newest one is what the line page shows."""

    __tablename__ = "office_cap_records_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    finding_code: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    months_covered: Mapped[int] = mapped_column(Integer, default=0)
    workers: Mapped[int] = mapped_column(Integer, default=0)
    breaches: Mapped[int] = mapped_column(Integer, default=0)
    flags: Mapped[str] = mapped_column(String(200), default="")  # space-separated flag names
    summary_json: Mapped[str] = mapped_column(Text, default="")  # the whole result
    checked_by: Mapped[str] = mapped_column(String(120), default="")
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
