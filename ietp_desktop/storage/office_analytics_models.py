"""Office analytics summaries: figures derived from received visits, kept so the analytics pages
stay interactive with a national programme's history. They are rebuilt in SQL from the visit's
own rows whenever the visit (or the limits used) changed; nothing here is entered by anyone."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ietp_desktop.storage.models import Base
from ietp_desktop.storage.types import UtcDateTime, utcnow


class OfficeWorkerMonth(Base):
    """One worker of a received visit in one month of their time records: which hours limits
    they went past that month (1 or 0)."""

    __tablename__ = "office_worker_months"

    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    in_sample: Mapped[bool] = mapped_column(Boolean, default=True)
    whole_workforce: Mapped[bool] = mapped_column(Boolean, default=False)  # visit carried all
    above_week: Mapped[int] = mapped_column(Integer, default=0)
    above_overtime: Mapped[int] = mapped_column(Integer, default=0)
    no_rest: Mapped[int] = mapped_column(Integer, default=0)


class OfficeWorkerPayMonth(Base):
    """One worker of a received visit in one month of full-month pay: paid below the minimum
    wage of their region (1 or 0), and whether that minimum is known (1 or 0)."""

    __tablename__ = "office_worker_pay_months"

    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    in_sample: Mapped[bool] = mapped_column(Boolean, default=True)
    whole_workforce: Mapped[bool] = mapped_column(Boolean, default=False)
    below_minimum: Mapped[int] = mapped_column(Integer, default=0)
    minimum_known: Mapped[int] = mapped_column(Integer, default=0)


class OfficeAnalyticsRefresh(Base):
    """Which revision of a visit the summaries were built from, and with which limits."""

    __tablename__ = "office_analytics_refresh"

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    limits: Mapped[str] = mapped_column(String(80))
    refreshed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OfficeAnalyticsResult(Base):
    """An analytics page's figures as last computed, with the state of the data they came
    from: shown again while that state is the same (received visits, factories unchanged)."""

    __tablename__ = "office_analytics_results"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # page, period, grain
    data_version: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    built_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OfficeFindingVisit(Base):
    """One received visit as the findings analytics read it: where and when (copied from the
    visit), how many findings, non-compliances and zero-tolerance findings it holds, the
    factory's received visit before it (by first day, then id), and the revision and last
    change of the visit these were counted from."""

    __tablename__ = "office_finding_visits"

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True
    )
    factory_id: Mapped[int] = mapped_column(Integer, index=True)
    visit_start: Mapped[date | None] = mapped_column(Date)
    previous_visit_id: Mapped[int | None] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    visit_updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    findings: Mapped[int] = mapped_column(Integer, default=0)
    non_compliances: Mapped[int] = mapped_column(Integer, default=0)
    zero_tolerance: Mapped[int] = mapped_column(Integer, default=0)


class _FindingCount:
    """The findings of one received visit with one value of a dimension: how many, and how
    many are non-compliances. The visit's factory and first day are copied so a breakdown
    reads this table alone."""

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[str] = mapped_column(String(60), primary_key=True)
    factory_id: Mapped[int] = mapped_column(Integer)
    visit_start: Mapped[date | None] = mapped_column(Date)
    findings: Mapped[int] = mapped_column(Integer, default=0)
    non_compliances: Mapped[int] = mapped_column(Integer, default=0)


class OfficeFindingClassification(_FindingCount, Base):
    __tablename__ = "office_finding_classifications"


class OfficeFindingCategory(_FindingCount, Base):
    __tablename__ = "office_finding_categories"


class OfficeFindingRootCause(_FindingCount, Base):
    """Also: whether a non-compliance gave this root cause at the factory's previous received
    visit too (a recurrence; only for non-compliances with a root cause)."""

    __tablename__ = "office_finding_root_causes"
    __table_args__ = (Index("ix_office_finding_root_causes_factory_id", "factory_id"),)

    recurs: Mapped[bool] = mapped_column(Boolean, default=False)
