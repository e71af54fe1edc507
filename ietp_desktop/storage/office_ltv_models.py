"""The office's seal on each report it accepted (PAdES B-LTA): what arrived and what it keeps.

The stored report is the sealed file; the original, as the specialist signed it, is its first
`original_size` bytes, whose sha256 is kept here (and in the visit's revision) for the chain
of custody."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ietp_desktop.storage.models import Base
from ietp_desktop.storage.types import UtcDateTime


class OfficeReportSeal(Base):
    """One accepted report: the original's hash and size, the sealed file's hash, its level
    and the office's document timestamp."""

    __tablename__ = "office_report_seals"

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    original_sha256: Mapped[str] = mapped_column(String(64))
    original_size: Mapped[int] = mapped_column(Integer)
    sealed_sha256: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(8))
    timestamped_at: Mapped[datetime] = mapped_column(UtcDateTime)
    tsa_fingerprint: Mapped[str] = mapped_column(String(64))
