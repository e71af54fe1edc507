"""The visit document (`ietp-visit/1`) as typed, bounded models: what a laptop may send.

The laptop builds the document column by column from its storage models (sync/visit_payload)
and checks it against `VisitDocument` before it writes a bundle; the office checks every
document it receives against the same model and stores only what the model kept (keys a newer
minor schema adds are dropped). tests/sync/test_wire_models.py keeps the models and the storage
columns in step, so a column added to a table must be added here to travel.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from ietp_desktop.domain.checklist_parse import form_sha256
from ietp_desktop.domain.findings import Category, Classification, FindingSource
from ietp_desktop.domain.outcome import Outcome
from ietp_desktop.domain.rules import rule_set_sha256
from ietp_desktop.i18n import tr
from ietp_desktop.sync.wire.base import (
    MAX_REF,
    Base64Text,
    Day,
    DayRateUsd,
    DefinitionText,
    FeeUsd,
    JsonText,
    LocalTime,
    LongText,
    ManDays,
    Money,
    Note,
    Ref,
    Required,
    Revision,
    RowNumber,
    Sha256,
    SnapshotText,
    Str10,
    Str20,
    Str40,
    Str60,
    Str80,
    Str120,
    Str200,
    Str260,
    Str300,
    Str2000,
    UtcTime,
    Uuid,
    Version,
    WireModel,
    fail,
)

SCHEMA_PATTERN = r"^ietp-visit/1(\.[0-9]{1,6})?$"
CAP_STATUSES = Literal["open", "in_progress", "closed"]
RAISED_BY = Literal["factory", "specialist"]
SIGNATURE_ROLES = Literal["specialist", "factory"]
GENDERS = Literal["", "female", "male"]
ORIGINS = Literal["", "local", "migrant"]
WAGE_TYPES = Literal["monthly", "hourly", "piece"]
AUDIT_ACTIONS = Literal["create", "update", "delete", "event"]
ItemId = Annotated[Str40, Required]
# Photos are JPEG or PNG (services/evidence re-encodes anything else); a remediation record may
# carry a document (PDF, spreadsheet) under its own media type.
MediaType = Annotated[str, Field(max_length=100, pattern=r"^[a-z]+/[a-z0-9][a-z0-9.+-]{0,80}$")]


def _ordered(first: object, second: object, names: str) -> None:
    if first is not None and second is not None and first > second:  # type: ignore[operator]
        raise fail(tr("{names} are in the wrong order", names=names))


class FactoryWire(WireModel):
    ietp_id: Annotated[Str40, Required]
    name_en: Annotated[Str200, Required]
    name_zh: Str200 = ""
    address: Str2000 = ""
    city: Str80 = ""
    region: Str80 = ""
    headcount: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    seal_issued_on: Day | None = None
    certificate_status: Str40 = "certified"
    contact_name: Str120 = ""
    contact_email: Str200 = ""


class VisitWire(WireModel):
    uuid: Uuid
    form_sha256: Sha256
    rule_set_sha256: Sha256 | None = None
    revision: Revision
    revision_reason: Note = ""
    planned_date: Day | None = None
    confirmed_date: Day | None = None
    announcement_sent_on: Day | None = None
    visit_start: Day | None = None
    visit_end: Day | None = None
    man_days: ManDays | None = None
    day_rate_usd: DayRateUsd | None = None
    invoice_received_on: Day | None = None
    fee_total_usd: FeeUsd | None = None
    fee_due_on: Day | None = None
    specialist_name: Str120 = ""
    specialist_email: Str200 = ""
    refusal_note: Note = ""
    outcome_recommended: Outcome | None = None
    outcome_final: Outcome | None = None
    override_reason: Note = ""
    cap_agreed_by: Str120 = ""
    cap_agreed_on: Day | None = None
    report_sha256: Sha256 | None = None
    completed_at: UtcTime | None = None
    signed_at: UtcTime | None = None
    created_at: UtcTime | None = None
    findings_issued: Annotated[int, Field(ge=0, le=MAX_REF)] = 0
    sample_seed: Annotated[int, Field(ge=0, le=2**63 - 1)] | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        _ordered(self.visit_start, self.visit_end, "visit_start, visit_end")
        return self


class DefinitionWire(WireModel):
    sha256: Sha256
    version: Version
    source: Str200 = ""
    content: Annotated[DefinitionText, Required]


class FormWire(DefinitionWire):
    form_id: Annotated[Str80, Required]

    @model_validator(mode="after")
    def _hash_matches(self) -> Self:
        if form_sha256(self.content) != self.sha256:
            raise fail(tr("the form text does not match its sha256"))
        return self


class RuleSetWire(DefinitionWire):
    rule_set_id: Annotated[Str80, Required]

    @model_validator(mode="after")
    def _hash_matches(self) -> Self:
        if rule_set_sha256(self.content) != self.sha256:
            raise fail(tr("the rule set text does not match its sha256"))
        return self


class AttendeeWire(WireModel):
    name: Annotated[Str120, Required]
    role: Str120 = ""
    senior_management: bool = False
    present_opening: bool = False
    present_closing: bool = False


class AnswerWire(WireModel):
    item_id: ItemId
    value_json: JsonText = "null"
    note: Note = ""
    updated_at: UtcTime | None = None


class RemediationWire(WireModel):
    received_on: Day
    note: Note = ""
    attachment_ref: Ref | None = None


class CorrectiveActionWire(WireModel):
    corrective_action: Note = ""
    preventive_action: Note = ""
    responsible: Str120 = ""
    due_date: Day | None = None
    status: CAP_STATUSES = "open"
    factory_remark: Note = ""
    updated_at: UtcTime | None = None
    records: Annotated[list[RemediationWire], Field(max_length=500)] = Field(default_factory=list)


class FindingWire(WireModel):
    ref: Ref
    code: Annotated[Str10, Required]
    title: Str300 = ""
    description: LongText = ""
    title_zh: Str300 = ""
    description_zh: LongText = ""
    classification: Classification
    category: Category = Category.OTHER
    root_cause: Str60 = ""
    evidence: LongText = ""
    evidence_zh: LongText = ""
    source: FindingSource = FindingSource.MANUAL
    created_at: UtcTime | None = None
    updated_at: UtcTime | None = None
    items: Annotated[list[ItemId], Field(max_length=500)] = Field(default_factory=list)
    corrective_action: CorrectiveActionWire | None = None


class QaWire(WireModel):
    position: Annotated[int, Field(ge=0, le=100_000)] = 0
    question: Annotated[Note, Required]
    answer: Note = ""
    raised_by: RAISED_BY = "factory"
    follow_up: bool = False


class TimeRecordWire(WireModel):
    work_date: Day
    start_at: LocalTime | None = None
    end_at: LocalTime | None = None
    source_file: Str260 = ""
    source_row: RowNumber | None = None


class PayRecordWire(WireModel):
    period_start: Day
    period_end: Day
    base_pay: Money | None = None
    overtime_pay: Money | None = None
    allowances: Money | None = None
    deductions: Money | None = None
    damage_deductions: Money | None = None
    social_insurance: Money | None = None
    net_pay: Money | None = None
    piece_earnings: Money | None = None
    paid_on: Day | None = None
    extra_json: JsonText = "{}"
    source_file: Str260 = ""
    source_row: RowNumber | None = None

    @model_validator(mode="after")
    def _period_in_order(self) -> Self:
        _ordered(self.period_start, self.period_end, "period_start, period_end")
        return self


class WorkerWire(WireModel):
    code: Annotated[Str20, Required]
    name: Str120 = ""
    employee_no: Str40 = ""
    department: Str80 = ""
    gender: GENDERS = ""
    origin: ORIGINS = ""
    hire_date: Day | None = None
    wage_type: WAGE_TYPES = "monthly"
    base_rate: Money | None = None
    region: Str80 = ""
    in_sample: bool = True
    aliases: Str2000 = ""
    time_records: Annotated[list[TimeRecordWire], Field(max_length=20_000)] = Field(
        default_factory=list
    )
    pay_records: Annotated[list[PayRecordWire], Field(max_length=1_000)] = Field(
        default_factory=list
    )


class LinkWire(WireModel):
    item_id: ItemId | None = None
    finding_ref: Ref | None = None


class AttachmentWire(WireModel):
    ref: Ref
    entry: Annotated[Str80, Required]
    sha256: Sha256
    original_sha256: Sha256
    filename: Str260 = ""
    media_type: MediaType = "image/jpeg"
    width: Annotated[int, Field(ge=1, le=100_000)] | None = None
    height: Annotated[int, Field(ge=1, le=100_000)] | None = None
    size_bytes: Annotated[int, Field(ge=0, le=1 << 32)] = 0
    caption: Note = ""
    created_at: UtcTime | None = None
    links: Annotated[list[LinkWire], Field(max_length=500)] = Field(default_factory=list)

    @model_validator(mode="after")
    def _entry_is_the_hash(self) -> Self:
        if self.entry != f"photo-{self.sha256}":
            raise fail(tr("the photo entry is not named after the photo's sha256"))
        return self


class SignatureWire(WireModel):
    role: SIGNATURE_ROLES
    signer_name: Annotated[Str120, Required]
    signer_role: Str120 = ""
    png: Annotated[Base64Text, Required]  # base64
    signed_at: UtcTime | None = None


class RevisionWire(WireModel):
    revision: Revision
    reason: Note = ""
    snapshot_json: SnapshotText
    report_sha256: Sha256 | None = None
    created_at: UtcTime | None = None


class AuditWire(WireModel):
    actor: Str120
    action: AUDIT_ACTIONS
    entity: Str40
    entity_id: Str80 = ""
    field: Str60 = ""
    old_value: LongText | None = None
    new_value: LongText | None = None
    at: UtcTime | None = None


class ReportWire(WireModel):
    entry: Annotated[Str120, Required]
    sha256: Sha256


class VisitDocument(WireModel):
    schema_: str = Field(alias="schema", pattern=SCHEMA_PATTERN, max_length=40)
    visit: VisitWire
    factory: FactoryWire
    form: FormWire
    rule_set: RuleSetWire | None = None
    attendees: Annotated[list[AttendeeWire], Field(max_length=200)]
    answers: Annotated[list[AnswerWire], Field(max_length=5_000)]
    findings: Annotated[list[FindingWire], Field(max_length=2_000)]
    qa: Annotated[list[QaWire], Field(max_length=2_000)]
    workers: Annotated[list[WorkerWire], Field(max_length=2_000)]
    attachments: Annotated[list[AttachmentWire], Field(max_length=5_000)]
    signatures: Annotated[list[SignatureWire], Field(max_length=20)]
    revisions: Annotated[list[RevisionWire], Field(max_length=200)]
    report: ReportWire | None = None
    audit: Annotated[list[AuditWire], Field(max_length=500_000)]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        visit = self.visit
        if self.form.sha256 != visit.form_sha256:
            raise fail(tr("form.sha256 is not the form the visit names"))
        named_rules = self.rule_set.sha256 if self.rule_set else None
        if named_rules != visit.rule_set_sha256:
            raise fail(tr("rule_set.sha256 is not the rule set the visit names"))
        if self.report is not None:
            if self.report.sha256 != visit.report_sha256:
                raise fail(tr("report.sha256 is not the report the visit names"))
            if self.report.entry != f"report-{visit.uuid}-r{visit.revision}.pdf":
                raise fail(tr("report.entry is not named after the visit and its revision"))
        finding_refs = [f.ref for f in self.findings]
        attachment_refs = [a.ref for a in self.attachments]
        if len(set(finding_refs)) != len(finding_refs):
            raise fail(tr("two findings have the same ref"))
        if len(set(attachment_refs)) != len(attachment_refs):
            raise fail(tr("two attachments have the same ref"))
        findings, photos = set(finding_refs), set(attachment_refs)
        for attachment in self.attachments:
            for link in attachment.links:
                if link.finding_ref is not None and link.finding_ref not in findings:
                    raise fail(
                        tr(
                            "photo {ref} is linked to finding ref {finding}, which is not there",
                            ref=attachment.ref,
                            finding=link.finding_ref,
                        )
                    )
        for finding in self.findings:
            action = finding.corrective_action
            for record in action.records if action else []:
                if record.attachment_ref is not None and record.attachment_ref not in photos:
                    raise fail(
                        tr(
                            "finding {code}: a remediation record names photo ref {ref}, "
                            "which is not there",
                            code=finding.code,
                            ref=record.attachment_ref,
                        )
                    )
        return self
