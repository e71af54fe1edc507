"""Office planning tables: the Progress Visits the coordinator planned on the board, the
office's blackout periods, the dates a factory cannot receive a visit, specialists' regions.

A planned visit is keyed by the uuid the laptop will carry: the assignments bundle sends that
uuid, and the visit the laptop sends back under it makes the plan "visited".
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ietp_desktop.storage.models import Base
from ietp_desktop.storage.types import DecimalText, UtcDateTime, utcnow


class OfficePlannedVisit(Base):
    __tablename__ = "office_planned_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    factory_id: Mapped[int] = mapped_column(
        ForeignKey("factories.id", ondelete="CASCADE"), index=True
    )
    specialist_email: Mapped[str] = mapped_column(String(200), index=True)
    specialist_name: Mapped[str] = mapped_column(String(120), default="")
    proposed_date: Mapped[date] = mapped_column(Date, index=True)
    man_days: Mapped[Decimal | None] = mapped_column(DecimalText)
    # the date the specialist agreed with the factory, once known at the office
    confirmed_date: Mapped[date | None] = mapped_column(Date)
    confirmed_via: Mapped[str] = mapped_column(String(20), default="")  # sync | coordinator
    bundle_id: Mapped[str] = mapped_column(String(64), default="")  # last assignments sent
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    planned_by: Mapped[str] = mapped_column(String(120), default="")
    # a cancelled plan stays for its history; the factory is due again (office/planning/changes)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancelled_by: Mapped[str] = mapped_column(String(120), default="")
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class OfficeBlackout(Base):
    """A period without visits (Chinese New Year, national holidays…), per year."""

    __tablename__ = "office_blackouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OfficeFactoryUnavailable(Base):
    """Dates a factory said it cannot receive a visit (audit by a brand, shutdown…)."""

    __tablename__ = "office_factory_unavailable"

    id: Mapped[int] = mapped_column(primary_key=True)
    factory_id: Mapped[int] = mapped_column(
        ForeignKey("factories.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OfficeSpecialistRegion(Base):
    """The region a specialist covers, shown beside the load on the planning board."""

    __tablename__ = "office_specialist_regions"

    specialist_email: Mapped[str] = mapped_column(String(200), primary_key=True)
    region: Mapped[str] = mapped_column(String(80), default="")
