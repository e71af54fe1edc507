"""Changes to planned visits after they were sent: moved to another specialist, re-dated,
cancelled (office side), and the laptop's copy of a visit the office withdrew from it.

A move gives the plan a new visit uuid for the new specialist: a uuid belongs to one
specialist's laptop for ever (`visit_owners`), and the old one is withdrawn from the previous
laptop. Every change is one `office_plan_events` row, so the board can show a plan's history;
the rows that name a `withdrawn_uuid` travel with every later assignments bundle for the
previous specialist until the laptop has them (it applies each once).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ietp_desktop.storage.models import Base
from ietp_desktop.storage.types import UtcDateTime, utcnow


class OfficePlanEvent(Base):
    """One change of a planned visit: move | redate | cancel."""

    __tablename__ = "office_plan_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("office_planned_visits.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120), default="")
    # the plan after the change (for a cancellation: as it was)
    specialist_email: Mapped[str] = mapped_column(String(200), default="")
    specialist_name: Mapped[str] = mapped_column(String(120), default="")
    day: Mapped[date | None] = mapped_column(Date)
    # the plan before the change
    previous_email: Mapped[str] = mapped_column(String(200), default="", index=True)
    previous_name: Mapped[str] = mapped_column(String(120), default="")
    previous_day: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    # the visit taken back from the previous specialist's laptop ("" for a re-date)
    withdrawn_uuid: Mapped[str] = mapped_column(String(36), default="", index=True)


class VisitWithdrawal(Base):
    """On the laptop: the office withdrew this visit (moved to someone else, or cancelled).
    Nothing of the visit is deleted; it becomes read-only."""

    __tablename__ = "visit_withdrawals"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # moved | cancelled
    reason: Mapped[str] = mapped_column(Text, default="")
    office: Mapped[str] = mapped_column(String(200), default="")
    withdrawn_by: Mapped[str] = mapped_column(String(120), default="")
    withdrawn_at: Mapped[datetime] = mapped_column(UtcDateTime)
    previous_status: Mapped[str] = mapped_column(String(20), default="")
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
