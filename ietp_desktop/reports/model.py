"""Everything a visit report, preparation letter or CAP form shows, as plain frozen values.

`services` fills these from the database; the builders only read them. Text that the factory
or the specialist entered (answers, notes, descriptions) is printed once, exactly as given;
labels are translated by the builders. Workers are identified by code (W01…) only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

OutcomeTone = Literal["good", "attention", "severe"]


@dataclass(frozen=True)
class ReportFactory:
    ietp_id: str  # programme id of the factory, e.g. "IETP-CN-00417"
    name_en: str  # registered English name
    name_zh: str  # registered Chinese name ("" if none)
    address: str  # postal address as entered (any language)
    city: str  # city / region, e.g. "Dongguan, Guangdong"


@dataclass(frozen=True)
class ReportVisit:
    uuid: str  # visit uuid; the header shows its first 8 characters
    revision: int  # 1 for the first report; raised when a signed visit is changed
    revision_reason: str | None  # why this revision exists (None for revision 1)
    status: str  # lifecycle state as a display string, e.g. "completed"
    planned_date: date | None  # date first planned
    confirmed_date: date | None  # date agreed with the factory (announced visit)
    visit_dates: tuple[date, ...]  # days actually spent on site, in order
    man_days: Decimal  # man-days charged
    specialist_name: str  # Progress Visit specialist who conducted and signs the visit
    specialist_email: str
    form_id: str  # checklist id, e.g. "pv-checklist"
    form_version: str  # checklist version, e.g. "2024.1"


@dataclass(frozen=True)
class ReportAttendee:
    name: str  # attendee's name (factory management, not a sampled worker)
    role: str  # job title, e.g. "General Manager"
    senior_management: bool  # marked in the report; at least one is required
    present_opening: bool  # attended the opening meeting
    present_closing: bool  # attended the closing meeting


@dataclass(frozen=True)
class ReportItem:
    item_id: str  # checklist item id, e.g. "5.1"
    ietp_ref: str  # IETP checklist section it aligns to, e.g. "5.2"
    question_en: str
    question_zh: str
    answer: str  # already formatted for display ("Yes", "3 workers", "2024-03-01"); "" = unanswered
    note: str = ""  # specialist's note as entered
    finding_codes: tuple[str, ...] = ()  # findings raised on this item, e.g. ("F03",)
    photo_refs: tuple[str, ...] = ()  # photos showing this item, e.g. ("P07",)


@dataclass(frozen=True)
class ReportSection:
    section_id: str  # e.g. "5"
    title_en: str
    title_zh: str
    items: tuple[ReportItem, ...]


@dataclass(frozen=True)
class ReportFinding:
    code: str  # "F03"
    classification: str  # ietp_desktop.domain.findings.Classification value, e.g. "zero_tolerance"
    category: str  # ietp_desktop.domain.findings.Category value, e.g. "working_hours"
    root_cause: str  # root-cause analysis as entered
    description: str  # what was found, with the evidence
    item_ids: tuple[str, ...] = ()  # checklist items it relates to
    photo_refs: tuple[str, ...] = ()  # photos used as evidence


@dataclass(frozen=True)
class RemediationRecord:
    received_on: date  # when the factory sent the record
    description: str  # what it shows, e.g. "Revised shift roster, April"


@dataclass(frozen=True)
class ReportCapLine:
    finding_code: str  # the finding this line corrects
    corrective_action: str  # fixes the case found
    preventive_action: str  # stops it from happening again
    responsible: str  # owner at the factory (name and/or role)
    due_date: date | None
    status: str  # display string, e.g. "open", "remediation received"
    remediation: tuple[RemediationRecord, ...] = ()


@dataclass(frozen=True)
class ReportPhoto:
    ref: str  # "P07", referenced from items and findings
    caption: str
    image: bytes  # original PNG or JPEG bytes; the builder downscales before placing
    item_ids: tuple[str, ...] = ()
    finding_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeeklyHours:
    week: str  # label on the chart's x axis, e.g. "2024-W09" or "Mar 4"
    hours: float  # total hours worked that week


@dataclass(frozen=True)
class ReportWorker:
    code: str  # pseudonym printed in the report: "W01"
    # label (English msgid, translated when printed) -> value: {"Max weekly hours": "72.5"}
    figures: dict[str, str]
    breaches: tuple[str, ...]  # each breach as a sentence, citing the rule
    weekly_hours: tuple[WeeklyHours, ...]  # series for the chart
    # Personal data the services may carry along; the report NEVER prints it.
    name: str = field(default="", repr=False)


@dataclass(frozen=True)
class HoursLimits:
    standard_weekly: float = 40.0  # legal standard week
    legal_weekly_max: float = 49.0  # standard week + the legal overtime allowance
    programme_weekly: float = 60.0  # limit the programme applies


@dataclass(frozen=True)
class ReportWorkersAnalysis:
    period: str  # period the records cover, e.g. "2023-04 .. 2024-03"
    workforce: int  # factory headcount
    workers: tuple[ReportWorker, ...]
    limits: HoursLimits = HoursLimits()
    summary: str = ""  # specialist's conclusion as entered


@dataclass(frozen=True)
class ReportQuestion:
    question: str
    answer: str
    raised_by: str  # who asked: "factory", "specialist", or a name/role
    follow_up: str = ""  # agreed next step, if any


@dataclass(frozen=True)
class ReportBestPractice:
    item_id: str  # checklist item where it was seen ("" if general)
    note: str


@dataclass(frozen=True)
class OutcomeDriver:
    finding_codes: tuple[str, ...]  # findings that led to the outcome
    text: str  # the rule that applied, e.g. "Zero-tolerance finding confirmed"


@dataclass(frozen=True)
class ReportOutcome:
    recommended: str  # what the outcome engine recommended (display text)
    final: str  # the outcome on record (the recommendation or the specialist's override)
    override_reason: str | None  # written reason when final != recommended
    drivers: tuple[OutcomeDriver, ...] = ()
    tone: OutcomeTone = "good"  # colour of the cover box: green / amber / red


@dataclass(frozen=True)
class ReportFeeNote:
    man_days: Decimal
    day_rate: Decimal
    currency: str  # "USD"
    uncapped_total: Decimal  # man_days × day_rate
    capped_total: Decimal  # amount invoiced
    cap: Decimal  # the cap (1,500 USD)
    cap_applied: bool
    invoice_received_on: date | None  # date the factory received the invoice
    due_on: date | None  # receipt + 15 working days


@dataclass(frozen=True)
class ReportSignature:
    role: str  # "Specialist" or "Senior manager" (English msgid, translated when printed)
    signer_name: str
    png: bytes  # drawn signature, PNG (transparent or white background)
    signed_at: datetime


@dataclass(frozen=True)
class ReportData:
    factory: ReportFactory
    visit: ReportVisit
    outcome: ReportOutcome
    attendees: tuple[ReportAttendee, ...] = ()
    sections: tuple[ReportSection, ...] = ()
    findings: tuple[ReportFinding, ...] = ()
    cap_lines: tuple[ReportCapLine, ...] = ()
    photos: tuple[ReportPhoto, ...] = ()
    workers: ReportWorkersAnalysis | None = None
    questions: tuple[ReportQuestion, ...] = ()
    best_practices: tuple[ReportBestPractice, ...] = ()
    fee: ReportFeeNote | None = None
    signatures: tuple[ReportSignature, ...] = ()
    generated_at: datetime | None = None  # printed in the footer; None = now


@dataclass(frozen=True)
class PreparationLetterData:
    factory: ReportFactory
    letter_date: date
    confirmed_date: date  # first day of the announced visit
    visit_days: int  # planned days on site
    specialist_name: str
    specialist_email: str
    specialist_phone: str = ""
    contact_name: str = ""  # factory contact the letter is addressed to
    extra_records: tuple[str, ...] = ()  # records to have ready beyond the standard list
    visit_uuid: str = ""


@dataclass(frozen=True)
class CapFormData:
    factory: ReportFactory
    visit_uuid: str
    revision: int
    visit_dates: tuple[date, ...]
    findings: tuple[ReportFinding, ...]
    cap_lines: tuple[ReportCapLine, ...]
    return_by: date | None  # date the factory must return the completed form
    specialist_name: str = ""
    specialist_email: str = ""
