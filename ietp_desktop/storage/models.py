"""SQLAlchemy 2 typed models: the one place the database schema is defined.

Alembic migrations in `storage/migrations/versions` must produce exactly this schema (a test
compares them). Classes with `__audited__ = True` get an audit event for every change
(see storage/audit.py); bulk record tables are audited per import instead of per row.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ietp_desktop.storage.types import DecimalText, UtcDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    __audited__ = False

    def audit_visit_id(self) -> int | None:
        return getattr(self, "visit_id", None)


class Factory(Base):
    __tablename__ = "factories"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    ietp_id: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    region: Mapped[str] = mapped_column(String(80), default="")
    headcount: Mapped[int | None] = mapped_column(Integer)
    seal_issued_on: Mapped[date | None] = mapped_column(Date)
    certificate_status: Mapped[str] = mapped_column(String(40), default="certified")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    visits: Mapped[list[Visit]] = relationship(back_populates="factory")

    def audit_visit_id(self) -> int | None:
        return None


class FormDefinition(Base):
    """A checklist form exactly as installed; visits point at it by content hash."""

    __tablename__ = "form_definitions"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    form_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    content: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200), default="")
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class RuleSetDefinition(Base):
    """A jurisdiction rule set (hours, wages, holidays, minimum wages) exactly as installed."""

    __tablename__ = "rule_sets"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    rule_set_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    content: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200), default="")
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Visit(Base):
    __tablename__ = "visits"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    factory_id: Mapped[int] = mapped_column(ForeignKey("factories.id"))
    form_sha256: Mapped[str] = mapped_column(ForeignKey("form_definitions.sha256"))
    rule_set_sha256: Mapped[str | None] = mapped_column(ForeignKey("rule_sets.sha256"))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    revision_reason: Mapped[str] = mapped_column(Text, default="")
    planned_date: Mapped[date | None] = mapped_column(Date)
    confirmed_date: Mapped[date | None] = mapped_column(Date)
    announcement_sent_on: Mapped[date | None] = mapped_column(Date)
    visit_start: Mapped[date | None] = mapped_column(Date)
    visit_end: Mapped[date | None] = mapped_column(Date)
    man_days: Mapped[Decimal | None] = mapped_column(DecimalText)
    day_rate_usd: Mapped[Decimal | None] = mapped_column(DecimalText)
    invoice_received_on: Mapped[date | None] = mapped_column(Date)
    fee_total_usd: Mapped[Decimal | None] = mapped_column(DecimalText)
    fee_due_on: Mapped[date | None] = mapped_column(Date)
    specialist_name: Mapped[str] = mapped_column(String(120), default="")
    specialist_email: Mapped[str] = mapped_column(String(200), default="")
    refusal_note: Mapped[str] = mapped_column(Text, default="")
    outcome_recommended: Mapped[str | None] = mapped_column(String(40))
    outcome_final: Mapped[str | None] = mapped_column(String(40))
    override_reason: Mapped[str] = mapped_column(Text, default="")
    cap_agreed_by: Mapped[str] = mapped_column(String(120), default="")
    cap_agreed_on: Mapped[date | None] = mapped_column(Date)
    # The highest finding number ever issued in this visit: codes are never given twice.
    findings_issued: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    report_sha256: Mapped[str | None] = mapped_column(String(64))
    sample_seed: Mapped[int | None] = mapped_column(Integer)  # the worker sample's draw
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    exported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    factory: Mapped[Factory] = relationship(back_populates="visits")
    form: Mapped[FormDefinition] = relationship()
    rule_set: Mapped[RuleSetDefinition | None] = relationship()

    def audit_visit_id(self) -> int | None:
        return self.id


class VisitRevision(Base):
    """A frozen copy of a visit as it was signed, kept when a new revision is opened."""

    __tablename__ = "visit_revisions"
    __table_args__ = (UniqueConstraint("visit_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    snapshot_json: Mapped[str] = mapped_column(Text)
    report_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Attendee(Base):
    __tablename__ = "attendees"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    senior_management: Mapped[bool] = mapped_column(Boolean, default=False)
    present_opening: Mapped[bool] = mapped_column(Boolean, default=False)
    present_closing: Mapped[bool] = mapped_column(Boolean, default=False)


class Answer(Base):
    __tablename__ = "answers"
    __audited__ = True
    __table_args__ = (UniqueConstraint("visit_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(40))
    value_json: Mapped[str] = mapped_column(Text, default="null")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Finding(Base):
    __tablename__ = "findings"
    __audited__ = True
    __table_args__ = (UniqueConstraint("visit_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    title_zh: Mapped[str] = mapped_column(String(300), default="", server_default="")
    description_zh: Mapped[str] = mapped_column(Text, default="", server_default="")
    classification: Mapped[str] = mapped_column(String(30))
    category: Mapped[str] = mapped_column(String(30), default="other")
    root_cause: Mapped[str] = mapped_column(String(60), default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_zh: Mapped[str] = mapped_column(Text, default="", server_default="")
    source: Mapped[str] = mapped_column(String(20), default="manual")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    items: Mapped[list[FindingItem]] = relationship(
        cascade="all, delete-orphan", order_by="FindingItem.item_id"
    )
    corrective_action: Mapped[CorrectiveAction | None] = relationship(
        cascade="all, delete-orphan", back_populates="finding"
    )


class FindingItem(Base):
    __tablename__ = "finding_items"
    __audited__ = True

    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))


class CorrectiveAction(Base):
    __tablename__ = "corrective_actions"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), unique=True
    )
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    corrective_action: Mapped[str] = mapped_column(Text, default="")
    preventive_action: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(String(120), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    factory_remark: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    finding: Mapped[Finding] = relationship(back_populates="corrective_action")
    records: Mapped[list[RemediationRecord]] = relationship(
        cascade="all, delete-orphan", order_by="RemediationRecord.id"
    )


class RemediationRecord(Base):
    __tablename__ = "remediation_records"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    corrective_action_id: Mapped[int] = mapped_column(
        ForeignKey("corrective_actions.id", ondelete="CASCADE")
    )
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    received_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL")
    )


class QaEntry(Base):
    """Open discussion & Q&A."""

    __tablename__ = "qa_entries"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    raised_by: Mapped[str] = mapped_column(String(20), default="factory")
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)


class Worker(Base):
    """A person in the factory's files (the visit's roster); those in the sample carry the
    codes W01, W02 … that reports show instead of names, the others R0001 …"""

    __tablename__ = "workers"
    __audited__ = True
    __table_args__ = (UniqueConstraint("visit_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120), default="")
    employee_no: Mapped[str] = mapped_column(String(40), default="")
    department: Mapped[str] = mapped_column(String(80), default="")
    gender: Mapped[str] = mapped_column(String(10), default="")
    origin: Mapped[str] = mapped_column(String(10), default="")
    hire_date: Mapped[date | None] = mapped_column(Date)
    wage_type: Mapped[str] = mapped_column(String(10), default="monthly")
    base_rate: Mapped[Decimal | None] = mapped_column(DecimalText)
    region: Mapped[str] = mapped_column(String(80), default="")
    in_sample: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    aliases: Mapped[str] = mapped_column(Text, default="", server_default="")  # one a line


class TimeRecord(Base):
    """One clock-in/clock-out interval; a night shift belongs to the day it started."""

    __tablename__ = "time_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    work_date: Mapped[date] = mapped_column(Date)
    start_at: Mapped[datetime | None] = mapped_column()
    end_at: Mapped[datetime | None] = mapped_column()
    source_file: Mapped[str] = mapped_column(String(260), default="")
    source_row: Mapped[int | None] = mapped_column(Integer)


class PayRecord(Base):
    __tablename__ = "pay_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    base_pay: Mapped[Decimal | None] = mapped_column(DecimalText)
    overtime_pay: Mapped[Decimal | None] = mapped_column(DecimalText)
    allowances: Mapped[Decimal | None] = mapped_column(DecimalText)
    deductions: Mapped[Decimal | None] = mapped_column(DecimalText)
    damage_deductions: Mapped[Decimal | None] = mapped_column(DecimalText)
    social_insurance: Mapped[Decimal | None] = mapped_column(DecimalText)
    net_pay: Mapped[Decimal | None] = mapped_column(DecimalText)
    piece_earnings: Mapped[Decimal | None] = mapped_column(DecimalText)
    paid_on: Mapped[date | None] = mapped_column(Date)
    extra_json: Mapped[str] = mapped_column(Text, default="{}")
    source_file: Mapped[str] = mapped_column(String(260), default="")
    source_row: Mapped[int | None] = mapped_column(Integer)


class Attachment(Base):
    """A photo or document stored content-addressed under the data dir (attachments/ab/abcd…)."""

    __tablename__ = "attachments"
    __audited__ = True
    __table_args__ = (UniqueConstraint("visit_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    original_sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(260), default="")
    media_type: Mapped[str] = mapped_column(String(60), default="image/jpeg")
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    caption: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AttachmentLink(Base):
    """One photo may be evidence for several items and findings."""

    __tablename__ = "attachment_links"
    __audited__ = True
    __table_args__ = (UniqueConstraint("attachment_id", "item_id", "finding_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"))
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str | None] = mapped_column(String(40))
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"))


class Signature(Base):
    __tablename__ = "signatures"
    __audited__ = True
    __table_args__ = (UniqueConstraint("visit_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))  # specialist | factory
    signer_name: Mapped[str] = mapped_column(String(120))
    signer_role: Mapped[str] = mapped_column(String(120), default="")
    png: Mapped[bytes] = mapped_column(LargeBinary)
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visits.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))  # create | update | delete | event
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80), default="")
    field: Mapped[str] = mapped_column(String(60), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Export(Base):
    """A sync bundle written for the office, and the office's receipt once it arrived."""

    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(36), index=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(Text, default="")
    exported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    receipt_json: Mapped[str | None] = mapped_column(Text)


class ReceivedBundle(Base):
    """Bundles this database has imported (the office's, or assignments on a laptop)."""

    __tablename__ = "received_bundles"

    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    sha256: Mapped[str] = mapped_column(String(64))
    signer: Mapped[str] = mapped_column(String(200), default="")
    file_name: Mapped[str] = mapped_column(String(260), default="")
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    summary_json: Mapped[str] = mapped_column(Text, default="{}")


class ProposalDecision(Base):
    """What the specialist did with a finding the hours and wage checks proposed."""

    __tablename__ = "proposal_decisions"
    __audited__ = True
    __table_args__ = (UniqueConstraint("visit_id", "proposal_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    proposal_key: Mapped[str] = mapped_column(String(80))
    decision: Mapped[str] = mapped_column(String(12), default="dismissed")  # or accepted
    finding_code: Mapped[str] = mapped_column(String(10), default="")
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class ImportMapping(Base):
    """The mapping that last read a factory's time or pay export, offered at its next visit."""

    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("factory_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    factory_id: Mapped[int] = mapped_column(
        ForeignKey("factories.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))  # time | pay
    mapping_json: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class WorkerLink(Base):
    """A name one person goes by in a factory's files (a WeCom account) linked to their
    employee number, remembered for the factory's next visits."""

    __tablename__ = "worker_links"
    __table_args__ = (UniqueConstraint("factory_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    factory_id: Mapped[int] = mapped_column(
        ForeignKey("factories.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(80))
    employee_no: Mapped[str] = mapped_column(String(40))


class Preference(Base):
    """Small per-device settings kept with the data (language, where the user left off)."""

    __tablename__ = "preferences"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class OfficeCatalogueEntry(Base):
    """A form or rule set the office itself installed (office init, `office assign --form`).

    Definitions that arrive inside a results bundle are stored as the visit's evidence (the row
    in form_definitions / rule_sets the visit points at, and the snapshot) but are never listed
    here, so they never become what the office ships as "latest".
    """

    __tablename__ = "office_catalogue"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # form | rules
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    installed_by: Mapped[str] = mapped_column(String(120), default="")


class VisitOwner(Base):
    """Who may send revisions of a visit to the office: the specialist it was assigned to, or
    the signer of its first import. Keyed by the visit's uuid (an assigned visit has no row in
    `visits` at the office until it is first imported)."""

    __tablename__ = "visit_owners"

    visit_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    specialist_email: Mapped[str] = mapped_column(String(200))
    specialist_name: Mapped[str] = mapped_column(String(120), default="")
    cert_sha256: Mapped[str | None] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(20))  # assigned | first-import
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


# The office's own tables share this metadata (one schema, one migration chain).
from ietp_desktop.storage import office_analytics_models as _office_analytics_models  # noqa: E402, F401
from ietp_desktop.storage import office_ltv_models as _office_ltv_models  # noqa: E402, F401
from ietp_desktop.storage import office_models as _office_models  # noqa: E402, F401
from ietp_desktop.storage import office_money_models as _office_money_models  # noqa: E402, F401
from ietp_desktop.storage import office_plan_change_models as _office_plan_change_models  # noqa: E402, F401
from ietp_desktop.storage import office_planning_models as _office_planning_models  # noqa: E402, F401
from ietp_desktop.storage import office_records_models as _office_records_models  # noqa: E402, F401
from ietp_desktop.storage import office_review_models as _office_review_models  # noqa: E402, F401
