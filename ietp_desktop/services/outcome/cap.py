"""The Corrective Action Plan: one line per non-compliance, the factory's answers and the
remediation records it sends back.

CAP tracking stays editable after the visit is completed or signed: the factory answers
weeks after the closing meeting and no follow-up audit verifies it [ours]. Every change is a
row change, so the audit trail keeps who changed what.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError, ValidationFailed
from ietp_desktop.domain.lifecycle import VisitStatus
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.services.dto import RemediationView
from ietp_desktop.services.evidence.attachments import MAX_FILE_BYTES, prepare_image
from ietp_desktop.services.outcome.finding_texts import description_in, title_in
from ietp_desktop.services.outcome.findings import resolve_finding
from ietp_desktop.services.visits.read import attachment_path
from ietp_desktop.services.visits.refs import resolve_visit, short_id
from ietp_desktop.storage.audit import record_event
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import (
    Attachment,
    Attendee,
    CorrectiveAction,
    Finding,
    RemediationRecord,
    Visit,
)

CAP_STATUSES = ("open", "in_progress", "closed")
CAP_STATUS_LABELS = {"open": "Open", "in_progress": "In progress", "closed": "Closed"}


@dataclass(frozen=True)
class CapLine:
    finding_id: int
    finding_code: str
    classification: str
    category: str
    root_cause: str
    title: str
    description: str
    corrective_action: str
    preventive_action: str
    responsible: str
    due_date: date | None
    status: str
    factory_remark: str
    records: tuple[RemediationView, ...] = ()


@dataclass(frozen=True)
class CapChanges:
    """Fields to change on a CAP line; None leaves a field as it is."""

    corrective_action: str | None = None
    preventive_action: str | None = None
    responsible: str | None = None
    due_date: date | None = None
    status: str | None = None
    factory_remark: str | None = None


@dataclass(frozen=True)
class EarlierCapLine:
    """A CAP line still open from an earlier visit of the same factory."""

    visit_uuid: str
    visit_short_id: str
    visit_date: date | None
    finding_code: str
    classification: str
    title: str
    corrective_action: str
    responsible: str
    due_date: date | None
    status: str
    overdue: bool


def cap_line_of(finding: Finding) -> CapLine:
    action = finding.corrective_action
    assert action is not None
    return CapLine(
        finding_id=finding.id,
        finding_code=finding.code,
        classification=finding.classification,
        category=finding.category,
        root_cause=finding.root_cause,
        title=title_in(finding),  # the window's (or the command's) language
        description=description_in(finding),
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


def cap_findings(session: Session, visit_id: int) -> list[Finding]:
    """The visit's findings that carry a CAP line, in code order."""
    return list(
        session.scalars(
            select(Finding)
            .join(CorrectiveAction, CorrectiveAction.finding_id == Finding.id)
            .where(Finding.visit_id == visit_id)
            .order_by(Finding.code)
        )
    )


def list_cap_lines(db: Database, visit_ref: str | int) -> list[CapLine]:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        return [cap_line_of(f) for f in cap_findings(session, visit.id)]


def check_status(status: str, where: str) -> None:
    if status not in CAP_STATUSES:
        raise ValidationFailed(
            "{where}: status {status!r} is not one of {names}",
            where=where,
            status=status,
            names=", ".join(CAP_STATUSES),
        )


def _action(
    session: Session, visit: Visit, finding_ref: str | int
) -> tuple[Finding, CorrectiveAction]:
    finding = resolve_finding(session, visit, finding_ref)
    if finding.corrective_action is None:
        raise NotFound(
            "visit {visit}: finding {code} is a {classification} and has no CAP line",
            visit=short_id(visit.uuid),
            code=finding.code,
            classification=finding.classification.replace("_", " "),
        )
    return finding, finding.corrective_action


def apply_changes(action: CorrectiveAction, changes: CapChanges) -> None:
    for name in (
        "corrective_action",
        "preventive_action",
        "responsible",
        "due_date",
        "status",
        "factory_remark",
    ):
        value = getattr(changes, name)
        if value is not None:
            setattr(action, name, value.strip() if isinstance(value, str) else value)


def update_cap_line(
    db: Database, visit_ref: str | int, finding_ref: str | int, changes: CapChanges
) -> CapLine:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        finding, action = _action(session, visit, finding_ref)
        if changes.status is not None:
            check_status(changes.status, f"visit {short_id(visit.uuid)}, CAP line {finding.code}")
        if changes.responsible is not None and len(changes.responsible.strip()) > 120:
            raise ValidationFailed(
                "CAP line {code}: the responsible person is longer than 120 characters",
                code=finding.code,
            )
        apply_changes(action, changes)
        session.flush()
        return cap_line_of(finding)


def _store_attachment(db: Database, session: Session, visit: Visit, source: Path) -> int:
    """Keep a remediation file (photo, PDF, spreadsheet) with the visit's attachments."""
    media = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    width = height = None
    if media.startswith("image/"):
        prepared = prepare_image(source)
        data, original, media = prepared.data, prepared.original_sha256, prepared.media_type
        width, height = prepared.width, prepared.height
    else:
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise UserError(
                "cannot read {source}: {reason}", source=source, reason=exc.strerror
            ) from exc
        if len(data) > MAX_FILE_BYTES:
            raise ValidationFailed(
                "{source} is larger than {limit} MB",
                source=source.name,
                limit=MAX_FILE_BYTES // 2**20,
            )
        original = hashlib.sha256(data).hexdigest()
    sha = hashlib.sha256(data).hexdigest()
    target = Path(attachment_path(db, sha))
    if target.name and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            atomic_write_bytes(target, data)
        except OSError as exc:
            raise UserError(
                "could not store {source} in {parent}: {reason}",
                source=source.name,
                parent=target.parent,
                reason=exc,
            ) from exc
    existing = session.scalars(
        select(Attachment).where(Attachment.visit_id == visit.id, Attachment.sha256 == sha)
    ).first()
    if existing is not None:
        return existing.id
    attachment = Attachment(
        visit_id=visit.id,
        sha256=sha,
        original_sha256=original,
        filename=source.name,
        media_type=media,
        width=width,
        height=height,
        size_bytes=len(data),
        caption="",
    )
    session.add(attachment)
    session.flush()
    return attachment.id


def add_remediation_record(
    db: Database,
    visit_ref: str | int,
    finding_ref: str | int,
    received_on: date,
    note: str,
    file: Path | None = None,
) -> RemediationView:
    """The factory sent remediation evidence for a CAP line (date, note, optional file)."""
    if not note.strip() and file is None:
        raise ValidationFailed("a remediation record needs a note or a file")
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        _finding, action = _action(session, visit, finding_ref)
        attachment_id = _store_attachment(db, session, visit, Path(file)) if file else None
        record = RemediationRecord(
            visit_id=visit.id,
            received_on=received_on,
            note=note.strip(),
            attachment_id=attachment_id,
        )
        action.records.append(record)
        session.flush()
        return RemediationView(record.id, record.received_on, record.note, record.attachment_id)


def delete_remediation_record(db: Database, visit_ref: str | int, record_id: int) -> None:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        record = session.get(RemediationRecord, record_id)
        if record is None or record.visit_id != visit.id:
            raise NotFound(
                "visit {visit} has no remediation record {record_id}",
                visit=short_id(visit.uuid),
                record_id=record_id,
            )
        session.delete(record)


def senior_managers_at_closing(db: Database, visit_ref: str | int) -> list[str]:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        return [
            a.name
            for a in session.scalars(
                select(Attendee)
                .where(Attendee.visit_id == visit.id, Attendee.senior_management.is_(True))
                .order_by(Attendee.id)
            )
            if a.present_closing
        ]


def agree_cap(db: Database, visit_ref: str | int, by_name: str, on: date) -> None:
    """The factory's senior manager agreed the CAP at the closing meeting."""
    name = by_name.strip()
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        label = f"visit {short_id(visit.uuid)}"
        if VisitStatus(visit.status).content_locked:
            raise UserError(
                "{label} is signed; open a new revision to change the CAP agreement", label=label
            )
        if not name:
            raise ValidationFailed("{label}: say which senior manager agreed the CAP", label=label)
        seniors = [
            a.name
            for a in session.scalars(
                select(Attendee).where(
                    Attendee.visit_id == visit.id, Attendee.senior_management.is_(True)
                )
            )
            if a.present_closing
        ]
        if name not in seniors:
            known = ", ".join(seniors) if seniors else "none is recorded yet"
            raise ValidationFailed(
                "{label}: {name} is not recorded as a senior manager at the "
                "closing meeting ({known}); record the attendee first",
                label=label,
                name=name,
                known=known,
            )
        if visit.visit_start and on < visit.visit_start:
            raise ValidationFailed(
                "{label}: the CAP cannot be agreed on {on}, before the visit ({visit_start})",
                label=label,
                on=on,
                visit_start=visit.visit_start,
            )
        visit.cap_agreed_by = name
        visit.cap_agreed_on = on
        record_event(session, visit.id, "Visit", "cap_agreed", f"{name} on {on}")


def _visit_day(visit: Visit) -> date | None:
    return visit.visit_start or visit.confirmed_date or visit.planned_date


def open_cap_lines_from_earlier_visits(
    db: Database, visit_ref: str | int, today: date | None = None
) -> list[EarlierCapLine]:
    """Open CAP lines of the factory's earlier visits, for the opening meeting."""
    today = today or date.today()
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        this_day = _visit_day(visit)
        lines: list[EarlierCapLine] = []
        earlier = session.scalars(
            select(Visit).where(Visit.factory_id == visit.factory_id, Visit.id != visit.id)
        )
        for other in earlier:
            other_day = _visit_day(other)
            is_earlier = other_day < this_day if other_day and this_day else other.id < visit.id
            if not is_earlier:
                continue
            for finding in cap_findings(session, other.id):
                action = finding.corrective_action
                assert action is not None
                if action.status == "closed":
                    continue
                lines.append(
                    EarlierCapLine(
                        visit_uuid=other.uuid,
                        visit_short_id=short_id(other.uuid),
                        visit_date=other_day,
                        finding_code=finding.code,
                        classification=finding.classification,
                        title=title_in(finding),
                        corrective_action=action.corrective_action,
                        responsible=action.responsible,
                        due_date=action.due_date,
                        status=action.status,
                        overdue=bool(action.due_date and action.due_date < today),
                    )
                )
        lines.sort(key=lambda line: (line.visit_date or date.min, line.finding_code))
        return lines
