"""Plain, frozen values the services hand to the UI, the CLI and the reports.

No ORM object leaves services/: sessions are short and a dataclass never lazy-loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ietp_desktop.domain.checklist import AnswerValue


@dataclass(frozen=True)
class FactoryView:
    id: int
    ietp_id: str
    name_en: str
    name_zh: str
    address: str
    city: str
    region: str
    headcount: int | None
    seal_issued_on: date | None
    certificate_status: str
    contact_name: str = ""
    contact_email: str = ""
    window_opens: date | None = None
    window_closes: date | None = None
    due_state: str | None = None  # not_yet_due | due | overdue (for a factory without a visit)


@dataclass(frozen=True)
class VisitSummary:
    id: int
    uuid: str
    short_id: str
    factory_id: int
    factory_ietp_id: str
    factory_name_en: str
    factory_name_zh: str
    city: str
    status: str
    status_label: str
    revision: int
    planned_date: date | None
    confirmed_date: date | None
    visit_start: date | None
    window_opens: date | None
    window_closes: date | None
    due_state: str | None  # for visits not started yet: not_yet_due | due | overdue
    outcome: str | None  # final outcome key
    outcome_label: str | None
    specialist_name: str
    form_id: str
    form_version: str
    sync_state: str  # "" | sent | received
    answered: int = 0
    findings: int = 0
    withdrawn_reason: str = ""  # why the office withdrew the visit (status withdrawn)


@dataclass(frozen=True)
class AnswerView:
    item_id: str
    value: AnswerValue
    note: str
    updated_at: datetime


@dataclass(frozen=True)
class DerivedFact:
    """The value of a checklist item read from where the program keeps the fact (forms from
    v2 on). `value` is typed like an answer of the item (None: no value yet); `message` and
    `params` word it (an English template for the translation catalogue)."""

    item_id: str
    source: str  # attendees.senior_manager | cap.due_date | rules.minimum_wage
    value: AnswerValue
    message: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AttendeeView:
    id: int
    name: str
    role: str
    senior_management: bool
    present_opening: bool
    present_closing: bool


@dataclass(frozen=True)
class CorrectiveActionView:
    id: int
    corrective_action: str
    preventive_action: str
    responsible: str
    due_date: date | None
    status: str
    factory_remark: str
    records: tuple[RemediationView, ...] = ()


@dataclass(frozen=True)
class RemediationView:
    id: int
    received_on: date
    note: str
    attachment_id: int | None


@dataclass(frozen=True)
class FindingView:
    id: int
    code: str
    title: str
    description: str
    classification: str
    category: str
    root_cause: str
    evidence: str
    source: str
    item_ids: tuple[str, ...]
    attachment_ids: tuple[int, ...]
    corrective_action: CorrectiveActionView | None
    created_at: datetime | None = None
    title_zh: str = ""
    description_zh: str = ""
    evidence_zh: str = ""

    def evidence_in(self, language: str) -> str:
        """The evidence in `language`, else in the other one (findings from before the
        Chinese evidence was kept have only the English)."""
        if language == "zh":
            return self.evidence_zh or self.evidence
        return self.evidence or self.evidence_zh


@dataclass(frozen=True)
class QaView:
    id: int
    position: int
    question: str
    answer: str
    raised_by: str
    follow_up: bool


@dataclass(frozen=True)
class AttachmentView:
    id: int
    sha256: str
    original_sha256: str
    filename: str
    media_type: str
    width: int | None
    height: int | None
    size_bytes: int
    caption: str
    path: str  # absolute path of the stored file
    item_ids: tuple[str, ...]
    finding_ids: tuple[int, ...]


@dataclass(frozen=True)
class SignatureView:
    role: str
    signer_name: str
    signer_role: str
    png: bytes
    signed_at: datetime


@dataclass(frozen=True)
class OutcomeView:
    recommended: str
    recommended_label: str
    explanation: str
    reason: str
    drivers: tuple[tuple[str, str, str], ...]  # (finding code, classification, title)
    final: str
    final_label: str
    override_reason: str
    overridden: bool


@dataclass(frozen=True)
class FeeView:
    man_days: Decimal
    day_rate_usd: Decimal
    uncapped_usd: Decimal
    total_usd: Decimal
    cap_applied: bool
    invoice_received_on: date | None
    due_on: date | None


@dataclass(frozen=True)
class VisitDetail:
    summary: VisitSummary
    factory: FactoryView
    form_sha256: str
    rule_set_sha256: str | None
    revision_reason: str
    announcement_sent_on: date | None
    visit_end: date | None
    man_days: Decimal | None
    day_rate_usd: Decimal | None
    specialist_email: str
    refusal_note: str
    cap_agreed_by: str
    cap_agreed_on: date | None
    completed_at: datetime | None
    signed_at: datetime | None
    answers: dict[str, AnswerView]
    attendees: tuple[AttendeeView, ...]
    findings: tuple[FindingView, ...]
    qa: tuple[QaView, ...]
    attachments: tuple[AttachmentView, ...]
    signatures: tuple[SignatureView, ...]
    outcome: OutcomeView
    fee: FeeView | None
    completion_problems: tuple[str, ...] = field(default=())
    completion_blockers: tuple[CompletionBlocker, ...] = field(default=())
    completion_warnings: tuple[CompletionWarning, ...] = field(default=())
    derived: dict[str, DerivedFact] = field(default_factory=dict)  # by item id
    withdrawal: OfficeWithdrawal | None = None  # the office took the visit back


@dataclass(frozen=True)
class OfficeWithdrawal:
    """The office withdrew a visit (moved to another specialist, or cancelled)."""

    kind: str  # moved | cancelled
    reason: str
    office: str
    withdrawn_at: datetime


@dataclass(frozen=True)
class CompletionBlocker:
    """One reason a visit cannot be completed yet. `kind` says which rule (the UI words it in
    its language and jumps to `item_id`); `message` is the English one-liner for the CLI."""

    kind: str  # required_item | no_senior | senior_not_both | unsigned | signer_not_senior
    message: str
    item_id: str = ""
    role: str = ""  # the signature role, for unsigned / signer_not_senior
    name: str = ""  # the signer, for signer_not_senior


@dataclass(frozen=True)
class CompletionWarning:
    """Completion is allowed but the specialist should know: a non-compliance whose CAP line
    says no corrective action, or a CAP not agreed with the factory."""

    kind: str  # cap_action_missing | cap_not_agreed
    message: str
    finding_code: str = ""
