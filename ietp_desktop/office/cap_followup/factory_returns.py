"""The factory's returned CAP workbook and evidence files, taken in at the office.

The workbook is the bilingual form the laptop exported (services/outcome/cap_xlsx reads it:
limits, formulas refused). Its hidden sheet names the visit and the laptop's id of each
finding; the office checks both against the revision it received (kept whole in
`visit_revisions`), so a form of another visit or factory, or with a changed finding, is
refused before anything is written. Everything is checked first; then the answers, the
evidence rows, the change report and the audit entry commit in one transaction, and evidence
files written for it are removed again if that transaction fails.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.cap_followup import evidence_files
from ietp_desktop.office.review.decisions import may_act
from ietp_desktop.services.outcome.cap_xlsx import META_SHEET, SHEET, CapForm, read_cap_form
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import CorrectiveAction, Factory, Finding, Visit, VisitRevision
from ietp_desktop.storage.office_review_models import (
    OfficeCapEvidence,
    OfficeCapImport,
    OfficeCapLine,
)
from ietp_desktop.storage.types import utcnow

FIELDS = (
    "corrective_action",
    "preventive_action",
    "responsible",
    "due_date",
    "status",
    "factory_remark",
)
FIELD_LABELS = {
    "corrective_action": "Corrective action",
    "preventive_action": "Preventive action",
    "responsible": "Responsible",
    "due_date": "Due date",
    "status": "Status",
    "factory_remark": "Factory remarks",
}


@dataclass(frozen=True)
class LineChange:
    finding_code: str
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class StoredEvidence:
    finding_code: str
    filename: str
    sha256: str
    media_type: str
    already_held: bool  # the same file was already evidence for this line


@dataclass(frozen=True)
class CapImportResult:
    import_id: int
    visit_uuid: str
    file: str
    changes: tuple[LineChange, ...] = ()
    problems: tuple[tuple[int, str], ...] = ()  # (row, reason): rows the form could not use
    evidence: tuple[StoredEvidence, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def changed_lines(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.finding_code for c in self.changes))


def _received(session: Session, uuid: str) -> Visit:
    visit = session.scalars(
        select(Visit).where(Visit.uuid == uuid.strip(), Visit.received_at.is_not(None))
    ).first()
    if visit is None:
        raise NotFound("there is no received visit {id}", id=uuid[:40])
    return visit


def _laptop_finding_ids(session: Session, visit: Visit) -> dict[str, int]:
    """code → the laptop's id of each finding in the revision the office holds."""
    snapshot = session.scalars(
        select(VisitRevision.snapshot_json).where(
            VisitRevision.visit_id == visit.id, VisitRevision.revision == visit.revision
        )
    ).first()
    if snapshot is None:
        return {}
    document: dict[str, Any] = json.loads(snapshot)
    return {str(f["code"]): int(f["ref"]) for f in document.get("findings", []) if "ref" in f}


def _check_form_is_of(session: Session, form: CapForm, visit: Visit) -> None:
    if form.visit_uuid != visit.uuid:
        other = session.scalars(select(Visit).where(Visit.uuid == form.visit_uuid)).first()
        if other is not None and other.factory_id != visit.factory_id:
            raise UserError(
                "{file}, sheet {sheet}: the workbook is the CAP form of factory {other} (visit "
                "{form_visit}), not of factory {factory} (visit {visit}); nothing was stored",
                file=form.file,
                sheet=META_SHEET,
                other=other.factory.ietp_id,
                form_visit=form.visit_uuid[:8],
                factory=visit.factory.ietp_id,
                visit=visit.uuid[:8],
            )
        raise UserError(
            "{file}, sheet {sheet}: the workbook is the CAP form of visit {form_visit}, not of "
            "visit {visit}; nothing was stored",
            file=form.file,
            sheet=META_SHEET,
            form_visit=form.visit_uuid[:8],
            visit=visit.uuid[:8],
        )
    known = _laptop_finding_ids(session, visit)
    for code, finding_id in form.findings.items():
        if known.get(code) != finding_id:
            raise UserError(
                "{file}, sheet {sheet}, row {row}: finding {code} has id {given}, but the "
                "visit's finding {code} has id {expected}; the finding ids must not be changed. "
                "Nothing was stored",
                file=form.file,
                sheet=META_SHEET,
                row=form.finding_rows.get(code, 0),
                code=code,
                given=finding_id,
                expected=known.get(code, "–"),
            )


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _effective(line: OfficeCapLine | None, action: CorrectiveAction) -> dict[str, object]:
    def pick(name: str, office_name: str | None = None) -> object:
        value = getattr(line, office_name or name) if line is not None else None
        return value if value is not None else getattr(action, name)

    return {
        "corrective_action": pick("corrective_action"),
        "preventive_action": pick("preventive_action"),
        "responsible": pick("responsible"),
        "due_date": pick("due_date"),
        "status": pick("status", "factory_status"),
        "factory_remark": pick("factory_remark"),
    }


def _cap_lines(session: Session, visit: Visit) -> dict[str, tuple[Finding, CorrectiveAction]]:
    rows = session.execute(
        select(Finding, CorrectiveAction)
        .join(CorrectiveAction, CorrectiveAction.finding_id == Finding.id)
        .where(Finding.visit_id == visit.id)
    ).all()
    return {finding.code: (finding, action) for finding, action in rows}


def line_row(session: Session, visit_id: int, code: str) -> OfficeCapLine:
    line = session.get(OfficeCapLine, (visit_id, code))
    if line is None:
        line = OfficeCapLine(visit_id=visit_id, finding_code=code, decision="")
        line.decision_comment = ""
        line.decided_by = ""
        session.add(line)
    return line


def import_cap(
    database: Database,
    office_dir: Path,
    uuid: str,
    workbook: Path | None,
    evidence: Sequence[tuple[str, str, bytes]] = (),
    *,
    actor: str,
    role: str,
    remote: str = "",
) -> CapImportResult:
    """Take in the factory's answers (`workbook`) and evidence files ((finding code, file
    name, content) each) for one received visit; all of it or, on any refusal, nothing."""
    if not may_act(role):
        raise UserError("a {role} user may not take in CAP answers", role=role)
    if workbook is None and not evidence:
        raise UserError("choose the factory's CAP workbook or evidence files to upload")
    if len(evidence) > evidence_files.MAX_FILES:
        raise UserError(
            "{count} evidence files at once; at most {limit}; nothing was stored",
            count=len(evidence),
            limit=evidence_files.MAX_FILES,
        )
    form = read_cap_form(workbook) if workbook is not None else None
    files = [evidence_files.check_file(code.strip().upper(), n, c) for code, n, c in evidence]
    written: list[Path] = []
    try:
        with database.session() as session:
            visit = _received(session, uuid)
            lines = _cap_lines(session, visit)
            for item in files:
                if item.finding_code not in lines:
                    raise UserError(
                        "{file}: visit {visit} has no CAP line {code} (its lines: {lines}); "
                        "nothing was stored",
                        file=item.filename,
                        visit=visit.uuid[:8],
                        code=item.finding_code or "–",
                        lines=", ".join(sorted(lines)) or "–",
                    )
            changes: list[LineChange] = []
            notes: list[str] = []
            if form is not None:
                _check_form_is_of(session, form, visit)
                if form.revision is not None and form.revision != visit.revision:
                    notes.append(
                        f"the form was exported from revision {form.revision}; the office "
                        f"holds revision {visit.revision}"
                    )
                for row in form.rows:
                    if row.code not in lines:
                        raise UserError(
                            "{file}, sheet {sheet}, row {row}: finding {code} is not a CAP line "
                            "of visit {visit}; nothing was stored",
                            file=form.file,
                            sheet=SHEET,
                            row=row.row,
                            code=row.code,
                            visit=visit.uuid[:8],
                        )
                    line = session.get(OfficeCapLine, (visit.id, row.code))
                    before = _effective(line, lines[row.code][1])
                    for name in FIELDS:
                        new = getattr(row.changes, name)
                        if new is None or new == before[name]:
                            continue
                        changes.append(
                            LineChange(row.code, name, _shown(before[name]), _shown(new))
                        )
                        line = line or line_row(session, visit.id, row.code)
                        setattr(line, "factory_status" if name == "status" else name, new)
                        line.updated_at = utcnow()
            stored: list[StoredEvidence] = []
            for item in files:
                held = session.scalars(
                    select(OfficeCapEvidence.id).where(
                        OfficeCapEvidence.visit_id == visit.id,
                        OfficeCapEvidence.finding_code == item.finding_code,
                        OfficeCapEvidence.sha256 == item.sha256,
                    )
                ).first()
                stored.append(
                    StoredEvidence(
                        item.finding_code,
                        item.filename,
                        item.sha256,
                        item.media_type,
                        held is not None,
                    )
                )
                if held is not None:
                    continue
                session.add(
                    OfficeCapEvidence(
                        visit_id=visit.id,
                        finding_code=item.finding_code,
                        factory_id=visit.factory_id,
                        sha256=item.sha256,
                        filename=item.filename,
                        media_type=item.media_type,
                        size=len(item.content),
                        taken_at=item.taken_at,
                        uploaded_by=actor[:120],
                        uploaded_at=utcnow(),
                    )
                )
                line_row(session, visit.id, item.finding_code).updated_at = utcnow()
            name = form.file if form is not None else "evidence"
            report = {
                "changes": [asdict(c) for c in changes],
                "problems": [asdict(p) for p in form.problems] if form is not None else [],
                "evidence": [asdict(e) for e in stored],
                "notes": notes,
            }
            record = OfficeCapImport(
                visit_id=visit.id,
                filename=name[:200],
                sha256=hashlib.sha256(workbook.read_bytes()).hexdigest() if workbook else "",
                report_json=json.dumps(report, ensure_ascii=False),
                imported_by=actor[:120],
                imported_at=utcnow(),
            )
            session.add(record)
            audit.record(
                session,
                actor,
                "cap.import",
                f"{visit.uuid} r{visit.revision}",
                f"{name}: {len(changes)} change(s) on "
                f"{', '.join(dict.fromkeys(c.finding_code for c in changes)) or 'no line'}; "
                f"{sum(not e.already_held for e in stored)} evidence file(s)",
                remote,
            )
            session.flush()
            written = evidence_files.store(office_dir, files)
            result = CapImportResult(
                record.id,
                visit.uuid,
                name,
                tuple(changes),
                tuple((p.row, p.reason) for p in form.problems) if form is not None else (),
                tuple(stored),
                tuple(notes),
            )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return result


def import_report(database: Database, uuid: str, import_id: int) -> CapImportResult:
    """A stored change report, as the upload showed it."""
    with database.session() as session:
        visit = _received(session, uuid)
        record = session.get(OfficeCapImport, import_id)
        if record is None or record.visit_id != visit.id:
            raise NotFound("visit {id} has no CAP upload {number}", id=uuid[:8], number=import_id)
        report: dict[str, Any] = json.loads(record.report_json or "{}")
    return CapImportResult(
        import_id,
        uuid,
        record.filename,
        tuple(LineChange(**c) for c in report.get("changes", [])),
        tuple((int(p["row"]), str(p["reason"])) for p in report.get("problems", [])),
        tuple(StoredEvidence(**e) for e in report.get("evidence", [])),
        tuple(report.get("notes", [])),
    )


def factory_of(database: Database, uuid: str) -> tuple[str, str]:
    with database.session() as session:
        visit = _received(session, uuid)
        factory = session.get(Factory, visit.factory_id)
        assert factory is not None
        return factory.ietp_id, factory.name_en
