"""Office-only tables of the money and escalation follow-up: invoices, the Training and
Development Fund, escalation queues, factory certificate status history, and the settings
these features read (grace days, fund share)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ietp_desktop.storage.models import Base
from ietp_desktop.storage.types import DecimalText, UtcDateTime, utcnow


class OfficeInvoice(Base):
    """A received visit's fee note as the office invoices it (one invoice per visit)."""

    __tablename__ = "office_invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # PV-2026-0001
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), unique=True)
    factory_id: Mapped[int] = mapped_column(ForeignKey("factories.id"), index=True)
    man_days: Mapped[Decimal] = mapped_column(DecimalText)
    day_rate_usd: Mapped[Decimal] = mapped_column(DecimalText)
    amount_usd: Mapped[Decimal] = mapped_column(DecimalText)
    sent_on: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)  # the factory's receipt date
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    paid_on: Mapped[date | None] = mapped_column(Date)  # the latest payment
    amount_paid_usd: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal("0"))
    settled: Mapped[bool] = mapped_column(Boolean, default=False, index=True)  # paid in full
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class OfficeFundEntry(Base):
    """The share of one paid invoice booked to the Factory Training and Development Fund."""

    __tablename__ = "office_fund_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("office_invoices.id", ondelete="CASCADE"), unique=True
    )
    booked_on: Mapped[date] = mapped_column(Date, index=True)
    share_percent: Mapped[Decimal] = mapped_column(DecimalText)
    amount_usd: Mapped[Decimal] = mapped_column(DecimalText)
    booked_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OfficeEscalation(Base):
    """A received visit waiting for IETP's decision: zero tolerance, Progress Audit required
    (refused visit) or status review (transparency)."""

    __tablename__ = "office_escalations"
    __table_args__ = (UniqueConstraint("visit_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    factory_id: Mapped[int] = mapped_column(ForeignKey("factories.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # zero_tolerance | progress_audit | status_review
    opened_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="open", index=True)  # open | decided
    decision: Mapped[str] = mapped_column(String(20), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    pa_arranged_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OfficeFactoryStatusChange(Base):
    """One step of a factory's certificate status history."""

    __tablename__ = "office_factory_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    factory_id: Mapped[int] = mapped_column(ForeignKey("factories.id"), index=True)
    old_status: Mapped[str] = mapped_column(String(40))
    new_status: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    escalation_id: Mapped[int | None] = mapped_column(
        ForeignKey("office_escalations.id", ondelete="SET NULL")
    )
    changed_by: Mapped[str] = mapped_column(String(200), default="")
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OfficeMoneySetting(Base):
    """A follow-up setting the office edits (grace days, fund share); absent means default."""

    __tablename__ = "office_money_settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    changed_by: Mapped[str] = mapped_column(String(200), default="")
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


__all__ = [
    "OfficeEscalation",
    "OfficeFactoryStatusChange",
    "OfficeFundEntry",
    "OfficeInvoice",
    "OfficeMoneySetting",
]
