"""A visit as the report builders see it: VisitDetail + checklist form + photos → ReportData.

Workers appear by code only: the worker analysis is copied figure by figure, never by name.
Content the specialist entered is passed through as entered; labels are translated by the
builders. `language` only chooses how answers to choice items are worded ("both": "Yes / 是").
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from ietp_desktop.domain.checklist import AnswerValue, Form, Item, format_answer, visible_items
from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.findings import Classification
from ietp_desktop.domain.outcome import Outcome
from ietp_desktop.i18n import tr
from ietp_desktop.reports.layout import Language
from ietp_desktop.reports.model import (
    CapFormData,
    HoursLimits,
    OutcomeDriver,
    PreparationLetterData,
    RemediationRecord,
    ReportAttendee,
    ReportBestPractice,
    ReportCapLine,
    ReportData,
    ReportFactory,
    ReportFeeNote,
    ReportFinding,
    ReportItem,
    ReportOutcome,
    ReportPhoto,
    ReportQuestion,
    ReportSection,
    ReportSignature,
    ReportVisit,
    ReportWorker,
    ReportWorkersAnalysis,
    WeeklyHours,
)
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.dto import FactoryView, FindingView, VisitDetail
from ietp_desktop.services.hours.checks import check_visit, workforce_notes
from ietp_desktop.services.hours.records import breach_text
from ietp_desktop.services.outcome.findings import root_causes
from ietp_desktop.services.visits.derived import fact_text
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database

log = logging.getLogger(__name__)

FEE_CAP_USD = Decimal("1500")
CAP_STATUS_TEXT = {"open": "Open", "in_progress": "In progress", "closed": "Closed"}
SIGNATURE_ROLES = {"specialist": "Specialist", "factory": "Senior manager"}
_TONES = {
    Outcome.MAINTAINED: "good",
    Outcome.MAINTAINED_CAP_REQUIRED: "attention",
    Outcome.STATUS_REVIEW_TRANSPARENCY: "attention",
    Outcome.PROGRESS_AUDIT_REQUIRED: "severe",
    Outcome.TERMINATION_ZERO_TOLERANCE: "severe",
}


def report_factory(factory: FactoryView) -> ReportFactory:
    return ReportFactory(
        ietp_id=factory.ietp_id,
        name_en=factory.name_en,
        name_zh=factory.name_zh,
        address=factory.address,
        city=factory.city,
    )


def _worded(text_en: str, text_zh: str, language: Language) -> str:
    if language == "en" or not text_zh:
        return text_en
    if language == "zh":
        return text_zh
    return text_en if text_en == text_zh else f"{text_en} / {text_zh}"


def _answer_zh(item: Item, value: AnswerValue) -> str:
    """The answer in Chinese, its unit too ("6 天", not "6 days")."""
    text = format_answer(item, value, "zh")
    if item.unit and text.endswith(f" {item.unit}"):
        return f"{text[: -len(item.unit)]}{tr(item.unit, language='zh')}"
    return text


def _label(msgid: str, language: Language) -> str:
    return _worded(tr(msgid, language="en"), tr(msgid, language="zh"), language)


def _root_cause_text(key: str, language: Language) -> str:
    for cause in root_causes():
        if cause.id == key:
            return _worded(cause.label.en, cause.label.zh, language)
    return key


def _photo_refs(detail: VisitDetail) -> dict[int, str]:
    """Attachment id → "P01", in the order the photos were taken."""
    return {a.id: f"P{index:02d}" for index, a in enumerate(detail.attachments, start=1)}


def _sections(
    detail: VisitDetail, form: Form, photo_refs: dict[int, str], language: Language
) -> tuple[ReportSection, ...]:
    values = {item_id: answer.value for item_id, answer in detail.answers.items()}
    shown = {item.id for item in visible_items(form, values)}
    findings_by_item: dict[str, list[str]] = {}
    for finding in detail.findings:
        for item_id in finding.item_ids:
            findings_by_item.setdefault(item_id, []).append(finding.code)
    photos_by_item: dict[str, list[str]] = {}
    for attachment in detail.attachments:
        for item_id in attachment.item_ids:
            photos_by_item.setdefault(item_id, []).append(photo_refs[attachment.id])
    sections = []
    for number, section in enumerate(form.sections, start=1):
        items = []
        for item in section.items:
            if item.id not in shown and item.id not in detail.answers:
                continue
            answer = detail.answers.get(item.id)
            value = answer.value if answer else None
            note = answer.note if answer else ""
            fact = detail.derived.get(item.id)
            if fact is not None:  # read from the attendees, the CAP lines or the rule set
                value = fact.value
                note = _worded(fact_text(fact, "en"), fact_text(fact, "zh"), language)
            text = _worded(format_answer(item, value, "en"), _answer_zh(item, value), language)
            if fact is not None and not text:
                text = "—"
            items.append(
                ReportItem(
                    item_id=item.id,
                    ietp_ref=item.ietp_ref,
                    question_en=item.question.en,
                    question_zh=item.question.zh,
                    answer=text,
                    note=note,
                    finding_codes=tuple(findings_by_item.get(item.id, ())),
                    photo_refs=tuple(photos_by_item.get(item.id, ())),
                )
            )
        if items:
            sections.append(
                # numbered: the form's section ids are words ("opening"), not headings
                ReportSection(str(number), section.title.en, section.title.zh, tuple(items))
            )
    return tuple(sections)


def _titled(title: str, description: str, stop: str = ". ") -> str:
    if title and title not in description:
        return f"{title}{stop}{description}" if description else title
    return description


def _with_evidence(text: str, evidence: str, language: Language) -> str:
    colon = "：" if language == "zh" else ": "
    return f"{text}\n{_label('Evidence', language)}{colon}{evidence}" if evidence else text


def _finding(f: FindingView, photo_refs: dict[int, str], language: Language) -> ReportFinding:
    """The finding in the report's language; a bilingual report gives the English, then the
    Chinese (each language's own text, the other's when only that one was written)."""
    en = _titled(f.title or f.title_zh, f.description or f.description_zh)
    zh = _titled(f.title_zh or f.title, f.description_zh or f.description, "。")
    evidence_en, evidence_zh = f.evidence_in("en"), f.evidence_in("zh")
    if language == "both" and en == zh and evidence_en == evidence_zh:
        description = _with_evidence(en, evidence_en, "both")  # nothing told twice
    elif language == "both":
        english = _with_evidence(en, evidence_en, "en")
        description = f"{english}\n\n{_with_evidence(zh, evidence_zh, 'zh')}"
    elif language == "zh":
        description = _with_evidence(zh, evidence_zh, "zh")
    else:
        description = _with_evidence(en, evidence_en, "en")
    return ReportFinding(
        code=f.code,
        classification=f.classification,
        category=f.category,
        root_cause=_root_cause_text(f.root_cause, language) if f.root_cause else "",
        description=description,
        item_ids=f.item_ids,
        photo_refs=tuple(photo_refs[i] for i in f.attachment_ids if i in photo_refs),
    )


def _cap_lines(detail: VisitDetail, language: Language) -> tuple[ReportCapLine, ...]:
    lines = []
    for f in detail.findings:
        action = f.corrective_action
        if action is None:
            continue
        lines.append(
            ReportCapLine(
                finding_code=f.code,
                corrective_action=action.corrective_action,
                preventive_action=action.preventive_action,
                responsible=action.responsible,
                due_date=action.due_date,
                status=_label(CAP_STATUS_TEXT.get(action.status, action.status), language),
                remediation=tuple(RemediationRecord(r.received_on, r.note) for r in action.records),
            )
        )
    return tuple(lines)


def _photos(detail: VisitDetail, photo_refs: dict[int, str]) -> tuple[ReportPhoto, ...]:
    codes = {f.id: f.code for f in detail.findings}
    photos = []
    for attachment in detail.attachments:
        if not attachment.media_type.startswith("image/"):
            continue
        try:
            image = Path(attachment.path).read_bytes()
        except OSError as exc:
            raise UserError(
                "photo {photo_refs} ({filename}) is missing from {path}: {reason}",
                photo_refs=photo_refs[attachment.id],
                filename=attachment.filename,
                path=attachment.path,
                reason=exc.strerror,
            ) from exc
        photos.append(
            ReportPhoto(
                ref=photo_refs[attachment.id],
                caption=attachment.caption or attachment.filename,
                image=image,
                item_ids=attachment.item_ids,
                finding_codes=tuple(codes[i] for i in attachment.finding_ids if i in codes),
            )
        )
    return tuple(photos)


def _outcome(detail: VisitDetail, language: Language) -> ReportOutcome:
    o = detail.outcome
    titles = {code: title for code, _classification, title in o.drivers}
    rule = _label(o.reason or o.explanation, language)
    drivers = (OutcomeDriver(tuple(titles), rule),) if titles else ()
    try:
        tone = _TONES[Outcome(o.final)]
    except ValueError:
        tone = "attention"
    return ReportOutcome(
        recommended=_label(o.recommended_label, language),
        # Printed large on the cover: the Chinese under the English, not after a slash.
        final=_label(o.final_label, language).replace(" / ", "\n", 1)
        if language == "both"
        else _label(o.final_label, language),
        override_reason=o.override_reason or None,
        drivers=drivers,
        tone=tone,  # type: ignore[arg-type]
    )


def _fee(detail: VisitDetail) -> ReportFeeNote | None:
    fee = detail.fee
    if fee is None:
        return None
    return ReportFeeNote(
        man_days=fee.man_days,
        day_rate=fee.day_rate_usd,
        currency="USD",
        uncapped_total=fee.uncapped_usd,
        capped_total=fee.total_usd,
        cap=FEE_CAP_USD,
        cap_applied=fee.cap_applied,
        invoice_received_on=fee.invoice_received_on,
        due_on=fee.due_on,
    )


def workers_analysis(
    db: Database, detail: VisitDetail, language: Language = "en"
) -> ReportWorkersAnalysis | None:
    """The hours and wages analysis by worker code, when the visit has sampled workers with
    records."""
    try:
        checked = check_visit(db, detail.summary.uuid)
    except UserError as exc:
        log.info("no worker analysis for visit %s: %s", detail.summary.short_id, exc)
        return None
    # the whole workforce beside the sample, and every row left out, in the report's words
    notes = workforce_notes(checked, "zh" if language == "zh" else "en")
    return adapt_analysis(checked.sample, detail.factory.headcount or 0, language, notes)


def adapt_analysis(
    analysis: object, workforce: int, language: Language = "en", more_notes: Sequence[str] = ()
) -> ReportWorkersAnalysis | None:
    """domain.records.Analysis (or a ready ReportWorkersAnalysis) → the report's shape."""
    if analysis is None or isinstance(analysis, ReportWorkersAnalysis):
        return analysis
    from ietp_desktop.domain.records import Analysis

    if not isinstance(analysis, Analysis) or not analysis.workers:
        return None
    breaches: dict[str, list[str]] = {}
    for b in analysis.breaches:
        # Evidence is content, written once: Chinese in a Chinese report, English otherwise.
        text = breach_text(b, "zh" if language == "zh" else "en")
        breaches.setdefault(b.worker_code, []).append(text)
    weeks = sorted({w.monday for f in analysis.workers for w in f.weekly_hours})
    workers = tuple(
        ReportWorker(
            code=f.worker_code,
            figures={
                "Days worked": str(f.days_worked),
                "Max daily hours": f"{f.max_daily_hours:g}",
                "Max weekly hours": f"{f.max_weekly_hours:g}",
                "Max hours in 7 days": f"{f.max_rolling7_hours:g}",
                "Max overtime in a month": f"{f.max_overtime_month_hours:g}",
                "Longest run of days": str(f.longest_run_days),
                "Rest days worked": str(f.rest_days_worked),
                "Minimum wage shortfall": f"{f.min_wage_shortfall}",
            },
            breaches=tuple(breaches.get(f.worker_code, ())),
            weekly_hours=tuple(WeeklyHours(w.monday.isoformat(), w.hours) for w in f.weekly_hours),
        )
        for f in analysis.workers
    )
    period = f"{weeks[0].isoformat()} .. {weeks[-1].isoformat()}" if weeks else ""
    return ReportWorkersAnalysis(
        period=period,
        workforce=workforce,
        workers=workers,
        limits=HoursLimits(
            standard_weekly=analysis.legal_weekly_hours,
            programme_weekly=analysis.programme_weekly_hours,
        ),
        summary="\n".join(
            [
                *(note.text("zh" if language == "zh" else "en") for note in analysis.notes),
                *more_notes,
            ]
        ),
    )


def _signatures(detail: VisitDetail) -> tuple[ReportSignature, ...]:
    return tuple(
        ReportSignature(
            role=SIGNATURE_ROLES.get(s.role, s.role),
            signer_name=f"{s.signer_name} ({s.signer_role})" if s.signer_role else s.signer_name,
            png=s.png,
            signed_at=s.signed_at,
        )
        for s in sorted(detail.signatures, key=lambda s: s.role != "specialist")
    )


def _best_practices(detail: VisitDetail, form: Form) -> tuple[ReportBestPractice, ...]:
    practices = [
        ReportBestPractice(f.item_ids[0] if f.item_ids else "", f.title or f.description)
        for f in detail.findings
        if f.classification == Classification.BEST_PRACTICE
    ]
    for section in form.sections:
        if section.kind != "best_practice":
            continue
        for item in section.items:
            answer = detail.answers.get(item.id)
            if answer and isinstance(answer.value, str) and item.type == "text":
                practices.append(ReportBestPractice(item.id, answer.value))
    return tuple(practices)


def _visit_dates(detail: VisitDetail) -> tuple[date, ...]:
    start, end = detail.summary.visit_start, detail.visit_end
    return tuple(sorted({d for d in (start, end) if d is not None}))


def report_data(
    db: Database,
    visit_ref: str | int,
    language: Language = "both",
    *,
    specialist_name: str = "",
    specialist_email: str = "",
) -> ReportData:
    """Everything the visit report shows for the visit as it is stored now.

    `specialist_name`/`email` fill in what the visit itself does not record (the enrolled
    identity's name is used when the visit was planned without one)."""
    detail = load_detail(db, visit_ref)
    with db.session() as session:
        form = definitions.form_by_sha(session, detail.form_sha256)
    s = detail.summary
    photo_refs = _photo_refs(detail)
    visit_dates = _visit_dates(detail)
    findings = tuple(_finding(f, photo_refs, language) for f in detail.findings)
    return ReportData(
        factory=report_factory(detail.factory),
        visit=ReportVisit(
            uuid=s.uuid,
            revision=s.revision,
            revision_reason=detail.revision_reason or None,
            status=_label(s.status_label, language),
            planned_date=s.planned_date,
            confirmed_date=s.confirmed_date,
            visit_dates=visit_dates,
            man_days=detail.man_days or Decimal(0),
            specialist_name=s.specialist_name or specialist_name,
            specialist_email=detail.specialist_email or specialist_email,
            form_id=s.form_id,
            form_version=s.form_version,
        ),
        outcome=_outcome(detail, language),
        attendees=tuple(
            ReportAttendee(
                a.name, a.role, a.senior_management, a.present_opening, a.present_closing
            )
            for a in detail.attendees
        ),
        sections=_sections(detail, form, photo_refs, language),
        findings=findings,
        cap_lines=_cap_lines(detail, language),
        photos=_photos(detail, photo_refs),
        workers=workers_analysis(db, detail, language),
        questions=tuple(
            ReportQuestion(
                q.question,
                q.answer,
                q.raised_by,
                _label("Follow-up agreed", language) if q.follow_up else "",
            )
            for q in detail.qa
        ),
        best_practices=_best_practices(detail, form),
        fee=_fee(detail),
        signatures=_signatures(detail),
    )


def preparation_letter_data(
    db: Database, visit_ref: str | int, *, specialist_name: str = "", specialist_email: str = ""
) -> PreparationLetterData:
    detail = load_detail(db, visit_ref)
    s = detail.summary
    first_day = s.confirmed_date or s.planned_date
    if first_day is None:
        raise UserError(
            "visit {visit} has no date yet; plan or confirm it before writing"
            " the preparation letter",
            visit=s.short_id,
        )
    days = int((detail.man_days or Decimal(1)).to_integral_value(rounding="ROUND_CEILING"))
    return PreparationLetterData(
        factory=report_factory(detail.factory),
        letter_date=date.today(),
        confirmed_date=first_day,
        visit_days=max(1, days),
        specialist_name=s.specialist_name or specialist_name,
        specialist_email=detail.specialist_email or specialist_email,
        contact_name=detail.factory.contact_name,
        visit_uuid=s.uuid,
    )


def cap_form_data(
    db: Database,
    visit_ref: str | int,
    language: Language = "both",
    *,
    specialist_name: str = "",
    specialist_email: str = "",
) -> CapFormData:
    detail = load_detail(db, visit_ref)
    s = detail.summary
    lines = _cap_lines(detail, language)
    if not lines:
        raise UserError(
            "visit {visit} has no finding that needs a corrective action", visit=s.short_id
        )
    with_cap = {line.finding_code for line in lines}
    photo_refs = _photo_refs(detail)
    dues = [line.due_date for line in lines if line.due_date is not None]
    return CapFormData(
        factory=report_factory(detail.factory),
        visit_uuid=s.uuid,
        revision=s.revision,
        visit_dates=_visit_dates(detail),
        findings=tuple(
            _finding(f, photo_refs, language) for f in detail.findings if f.code in with_cap
        ),
        cap_lines=lines,
        return_by=min(dues) if dues else None,
        specialist_name=s.specialist_name or specialist_name,
        specialist_email=detail.specialist_email or specialist_email,
    )
