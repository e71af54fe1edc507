"""Reading visits back as plain dataclasses (lists, details, outcome, fee note)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.checklist import AnswerValue
from ietp_desktop.domain.fees import fee_note
from ietp_desktop.domain.findings import Classification
from ietp_desktop.domain.lifecycle import VisitStatus
from ietp_desktop.domain.outcome import (
    OUTCOME_EXPLANATIONS,
    OUTCOME_LABELS,
    FindingRef,
    Outcome,
    recommend,
)
from ietp_desktop.domain.pv_window import pv_window
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.catalogue.calendar import working_day_adder
from ietp_desktop.services.dto import (
    AnswerView,
    AttachmentView,
    AttendeeView,
    CorrectiveActionView,
    FeeView,
    FindingView,
    OutcomeView,
    QaView,
    RemediationView,
    SignatureView,
    VisitDetail,
    VisitSummary,
)
from ietp_desktop.services.outcome.finding_texts import title_in
from ietp_desktop.services.visits import completion, derived
from ietp_desktop.services.visits.factories import factory_view
from ietp_desktop.services.visits.refs import resolve_visit, short_id
from ietp_desktop.services.visits.withdrawals import office_withdrawal, withdrawal_reasons
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import (
    Answer,
    Attachment,
    AttachmentLink,
    Attendee,
    CorrectiveAction,
    Export,
    Factory,
    Finding,
    FormDefinition,
    QaEntry,
    Signature,
    Visit,
)


def decode_value(value_json: str) -> AnswerValue:
    value = json.loads(value_json)
    return value  # type: ignore[no-any-return]


def answers_of(session: Session, visit_id: int) -> dict[str, AnswerValue]:
    rows = session.execute(
        select(Answer.item_id, Answer.value_json).where(Answer.visit_id == visit_id)
    )
    return {item_id: decode_value(value) for item_id, value in rows}


def outcome_of(session: Session, visit: Visit) -> OutcomeView:
    findings = session.scalars(
        select(Finding).where(Finding.visit_id == visit.id).order_by(Finding.code)
    )
    refs = [FindingRef(f.code, Classification(f.classification), title_in(f)) for f in findings]
    recommendation = recommend(
        refs, refused=visit.status == VisitStatus.REFUSED.value or bool(visit.refusal_note)
    )
    final = (
        Outcome(visit.outcome_final)
        if visit.override_reason and visit.outcome_final
        else (recommendation.outcome)
    )
    return OutcomeView(
        recommended=recommendation.outcome.value,
        recommended_label=recommendation.label,
        explanation=OUTCOME_EXPLANATIONS[recommendation.outcome],
        reason=recommendation.reason,
        drivers=tuple((d.code, d.classification.value, d.title) for d in recommendation.drivers),
        final=final.value,
        final_label=OUTCOME_LABELS[final],
        override_reason=visit.override_reason if final is not recommendation.outcome else "",
        overridden=final is not recommendation.outcome,
    )


def fee_of(session: Session, visit: Visit) -> FeeView | None:
    if visit.man_days is None or visit.day_rate_usd is None:
        return None
    note = fee_note(
        visit.man_days,
        visit.day_rate_usd,
        visit.invoice_received_on,
        working_day_adder(session, visit),
    )
    return FeeView(
        man_days=note.man_days,
        day_rate_usd=note.day_rate_usd,
        uncapped_usd=note.uncapped_usd,
        total_usd=note.total_usd,
        cap_applied=note.cap_applied,
        invoice_received_on=note.invoice_received_on,
        due_on=note.due_on,
    )


@dataclass(frozen=True)
class VisitFilter:
    search: str = ""
    status: str | None = None
    city: str | None = None
    due_state: str | None = None  # not_yet_due | due | overdue
    outcome: str | None = None
    factory_id: int | None = None


def _summary(
    visit: Visit,
    factory: Factory,
    form: tuple[str, str],
    sync_state: str,
    answered: int,
    findings: int,
    today: date,
) -> VisitSummary:
    window = pv_window(factory.seal_issued_on) if factory.seal_issued_on else None
    not_started = visit.status in (VisitStatus.PLANNED.value, VisitStatus.CONFIRMED.value)
    outcome = visit.outcome_final
    return VisitSummary(
        id=visit.id,
        uuid=visit.uuid,
        short_id=short_id(visit.uuid),
        factory_id=factory.id,
        factory_ietp_id=factory.ietp_id,
        factory_name_en=factory.name_en,
        factory_name_zh=factory.name_zh,
        city=factory.city,
        status=visit.status,
        status_label=VisitStatus(visit.status).label,
        revision=visit.revision,
        planned_date=visit.planned_date,
        confirmed_date=visit.confirmed_date,
        visit_start=visit.visit_start,
        window_opens=window.opens if window else None,
        window_closes=window.closes if window else None,
        due_state=window.due_state(today).value if window and not_started else None,
        outcome=outcome,
        outcome_label=OUTCOME_LABELS[Outcome(outcome)] if outcome else None,
        specialist_name=visit.specialist_name,
        form_id=form[0],
        form_version=form[1],
        sync_state=sync_state,
        answered=answered,
        findings=findings,
    )


def list_visits(
    db: Database, filters: VisitFilter | None = None, today: date | None = None
) -> list[VisitSummary]:
    filters = filters or VisitFilter()
    today = today or date.today()
    with db.session() as session:
        query = (
            select(Visit, Factory, FormDefinition.form_id, FormDefinition.version)
            .join(Factory, Visit.factory_id == Factory.id)
            .join(FormDefinition, Visit.form_sha256 == FormDefinition.sha256)
            .order_by(Visit.planned_date.desc(), Visit.id.desc())
        )
        if filters.status:
            query = query.where(Visit.status == filters.status)
        if filters.city:
            query = query.where(Factory.city == filters.city)
        if filters.outcome:
            query = query.where(Visit.outcome_final == filters.outcome)
        if filters.factory_id:
            query = query.where(Visit.factory_id == filters.factory_id)
        if filters.search:
            like = f"%{filters.search}%"
            query = query.where(
                Factory.name_en.ilike(like)
                | Factory.name_zh.ilike(like)
                | Factory.ietp_id.ilike(like)
                | Visit.uuid.ilike(like)
                | Factory.city.ilike(like)
            )
        rows = session.execute(query).all()
        answered = dict(
            session.execute(select(Answer.visit_id, func.count()).group_by(Answer.visit_id)).all()
        )
        finding_counts = dict(
            session.execute(select(Finding.visit_id, func.count()).group_by(Finding.visit_id)).all()
        )
        sync: dict[int, str] = {}
        for visit_id, received_at in session.execute(select(Export.visit_id, Export.received_at)):
            if received_at is not None:
                sync[visit_id] = "received"
            else:
                sync.setdefault(visit_id, "sent")
        withdrawn = withdrawal_reasons(session)
        summaries = [
            _summary(
                visit,
                factory,
                (form_id, version),
                sync.get(visit.id, ""),
                answered.get(visit.id, 0),
                finding_counts.get(visit.id, 0),
                today,
            )
            for visit, factory, form_id, version in rows
        ]
        if withdrawn:
            summaries = [
                replace(s, withdrawn_reason=withdrawn[s.id]) if s.id in withdrawn else s
                for s in summaries
            ]
    if filters.due_state:
        summaries = [s for s in summaries if s.due_state == filters.due_state]
    return summaries


def attachment_path(db: Database, sha256: str) -> str:
    return str(db.folder.attachment(sha256)) if db.data_dir else ""


def _finding_views(session: Session, visit_id: int) -> tuple[FindingView, ...]:
    links: dict[int, list[int]] = defaultdict(list)
    for attachment_id, finding_id in session.execute(
        select(AttachmentLink.attachment_id, AttachmentLink.finding_id).where(
            AttachmentLink.visit_id == visit_id, AttachmentLink.finding_id.is_not(None)
        )
    ):
        if finding_id is not None:
            links[finding_id].append(attachment_id)
    views = []
    for f in session.scalars(
        select(Finding).where(Finding.visit_id == visit_id).order_by(Finding.code)
    ):
        views.append(
            FindingView(
                id=f.id,
                code=f.code,
                title=f.title,
                description=f.description,
                classification=f.classification,
                category=f.category,
                root_cause=f.root_cause,
                evidence=f.evidence,
                source=f.source,
                item_ids=tuple(i.item_id for i in f.items),
                attachment_ids=tuple(sorted(links[f.id])),
                corrective_action=_cap_view(f.corrective_action),
                created_at=f.created_at,
                title_zh=f.title_zh,
                description_zh=f.description_zh,
                evidence_zh=f.evidence_zh,
            )
        )
    return tuple(views)


def _cap_view(action: CorrectiveAction | None) -> CorrectiveActionView | None:
    if action is None:
        return None
    return CorrectiveActionView(
        id=action.id,
        corrective_action=action.corrective_action,
        preventive_action=action.preventive_action,
        responsible=action.responsible,
        due_date=action.due_date,
        status=action.status,
        factory_remark=action.factory_remark,
        records=tuple(
            RemediationView(r.id, r.received_on, r.note, r.attachment_id) for r in action.records
        ),
    )


def _attachment_views(db: Database, session: Session, visit_id: int) -> tuple[AttachmentView, ...]:
    items: dict[int, list[str]] = defaultdict(list)
    findings: dict[int, list[int]] = defaultdict(list)
    for link in session.scalars(select(AttachmentLink).where(AttachmentLink.visit_id == visit_id)):
        if link.item_id:
            items[link.attachment_id].append(link.item_id)
        if link.finding_id:
            findings[link.attachment_id].append(link.finding_id)
    return tuple(
        AttachmentView(
            id=a.id,
            sha256=a.sha256,
            original_sha256=a.original_sha256,
            filename=a.filename,
            media_type=a.media_type,
            width=a.width,
            height=a.height,
            size_bytes=a.size_bytes,
            caption=a.caption,
            path=attachment_path(db, a.sha256),
            item_ids=tuple(sorted(items[a.id])),
            finding_ids=tuple(sorted(findings[a.id])),
        )
        for a in session.scalars(
            select(Attachment).where(Attachment.visit_id == visit_id).order_by(Attachment.id)
        )
    )


def completion_problems_in(session: Session, visit: Visit) -> list[str]:
    """Every reason the visit cannot be completed yet, in English (see completion.py)."""
    return [blocker.message for blocker in completion.blockers_in(session, visit)]


def load_detail(db: Database, ref: str | int, today: date | None = None) -> VisitDetail:
    with db.session() as session:
        visit = resolve_visit(session, ref)
        factory = visit.factory
        form = session.get(FormDefinition, visit.form_sha256)
        assert form is not None
        sync = ""
        exports = list(session.scalars(select(Export).where(Export.visit_id == visit.id)))
        if exports:
            sync = "received" if any(e.received_at for e in exports) else "sent"
        summary = _summary(
            visit,
            factory,
            (form.form_id, form.version),
            sync,
            session.scalar(select(func.count()).where(Answer.visit_id == visit.id)) or 0,
            session.scalar(select(func.count()).where(Finding.visit_id == visit.id)) or 0,
            today or date.today(),
        )
        reason = withdrawal_reasons(session, visit.id).get(visit.id)
        if reason is not None:
            summary = replace(summary, withdrawn_reason=reason)
        answers = {
            a.item_id: AnswerView(a.item_id, decode_value(a.value_json), a.note, a.updated_at)
            for a in session.scalars(select(Answer).where(Answer.visit_id == visit.id))
        }
        attendees = tuple(
            AttendeeView(
                a.id, a.name, a.role, a.senior_management, a.present_opening, a.present_closing
            )
            for a in session.scalars(
                select(Attendee).where(Attendee.visit_id == visit.id).order_by(Attendee.id)
            )
        )
        qa = tuple(
            QaView(q.id, q.position, q.question, q.answer, q.raised_by, q.follow_up)
            for q in session.scalars(
                select(QaEntry)
                .where(QaEntry.visit_id == visit.id)
                .order_by(QaEntry.position, QaEntry.id)
            )
        )
        signatures = tuple(
            SignatureView(s.role, s.signer_name, s.signer_role, s.png, s.signed_at)
            for s in session.scalars(
                select(Signature).where(Signature.visit_id == visit.id).order_by(Signature.role)
            )
        )
        editable = VisitStatus(visit.status) in (VisitStatus.IN_PROGRESS, VisitStatus.CONFIRMED)
        blockers = tuple(completion.blockers_in(session, visit)) if editable else ()
        return VisitDetail(
            summary=summary,
            factory=factory_view(factory, today),
            form_sha256=visit.form_sha256,
            rule_set_sha256=visit.rule_set_sha256,
            revision_reason=visit.revision_reason,
            announcement_sent_on=visit.announcement_sent_on,
            visit_end=visit.visit_end,
            man_days=visit.man_days,
            day_rate_usd=visit.day_rate_usd,
            specialist_email=visit.specialist_email,
            refusal_note=visit.refusal_note,
            cap_agreed_by=visit.cap_agreed_by,
            cap_agreed_on=visit.cap_agreed_on,
            completed_at=visit.completed_at,
            signed_at=visit.signed_at,
            answers=answers,
            attendees=attendees,
            findings=_finding_views(session, visit.id),
            qa=qa,
            attachments=_attachment_views(db, session, visit.id),
            signatures=signatures,
            outcome=outcome_of(session, visit),
            fee=fee_of(session, visit),
            completion_problems=tuple(b.message for b in blockers),
            completion_blockers=blockers,
            completion_warnings=tuple(completion.warnings_in(session, visit)) if editable else (),
            derived=derived.derived_facts(
                session, visit, definitions.form_by_sha(session, visit.form_sha256)
            ),
            withdrawal=office_withdrawal(session, visit.id),
        )
