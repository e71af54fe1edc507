"""Check the new time and pay records a factory sends for a wage or hours CAP line with the
laptop's calculators and the visit's rule set (region minimum wage, overtime limits,
holidays), and keep the result with the line.

The programme asks for two months of new records for these lines. Which lines qualify and
which rules are the finding's own are decided here; reading the files is records_reading.py,
what the result says and its flags records_summary.py.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import desc, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.domain.findings import Category
from ietp_desktop.domain.proposals import RULE_TITLES, WAGE_RULES
from ietp_desktop.domain.records import WageType, Worker
from ietp_desktop.domain.wages import analyse
from ietp_desktop.importers.mapping import ColumnMapping
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.cap_followup import evidence_files
from ietp_desktop.office.cap_followup.factory_returns import line_row
from ietp_desktop.office.cap_followup.records_reading import (
    GIVEN,
    MAX_RECORDS_FILES,
    FactoryNames,
    ReadFile,
    given_mappings,
    read_upload,
)
from ietp_desktop.office.cap_followup.records_summary import (
    ALL_RULES,
    HOURS_RULES,
    FileRead,
    RecordsSummary,
    summarise,
    summary_from_json,
)
from ietp_desktop.office.review.decisions import may_act
from ietp_desktop.services.hours.records import remembered_mapping, visit_rules
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import (
    CorrectiveAction,
    Factory,
    Finding,
    ImportMapping,
    ProposalDecision,
    Visit,
)
from ietp_desktop.storage.models import Worker as RosterWorker
from ietp_desktop.storage.office_records_models import OfficeCapRecordsCheck
from ietp_desktop.storage.office_review_models import OfficeCapEvidence
from ietp_desktop.storage.types import utcnow

HOURS_CATEGORY = Category.WORKING_HOURS.value
WAGES_CATEGORY = Category.WAGES.value
HOURS_SECTIONS = ("working_hours",)
WAGE_SECTIONS = ("wages",)


@dataclass(frozen=True)
class StoredCheck:
    id: int
    checked_by: str
    checked_at: object
    summary: RecordsSummary


@dataclass(frozen=True)
class Pending:
    """Files that need the reviewer's confirmation before anything is stored."""

    files: tuple[FileRead, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class LineRecords:
    """What the line page shows about records: whether the line asks for them, the newest
    check."""

    applies: bool
    latest: StoredCheck | None = None
    earlier: int = 0

    @property
    def needs_confirmation_to_accept(self) -> bool:
        return self.applies and (self.latest is None or bool(self.latest.summary.flags))


@dataclass
class _Line:
    visit: Visit
    finding: Finding
    factory: Factory
    rules: tuple[str, ...] = field(default=())


# --- which lines ask for records ----------------------------------------------------------


def _item_sections(session: Session, visit: Visit, finding: Finding) -> set[str]:
    from ietp_desktop.services.catalogue import definitions

    if not finding.items:
        return set()
    try:
        form = definitions.form_by_sha(session, visit.form_sha256)
    except UserError:
        return set()
    sections: set[str] = set()
    for item in finding.items:
        try:
            sections.add(form.section_of(item.item_id).id)
        except (KeyError, ValueError, IndexError):
            continue
    return sections


def line_kinds(session: Session, visit: Visit, finding: Finding) -> set[str]:
    """'hours' and/or 'wages' when the finding is about working hours or wages: its category,
    or the checklist section of the items it was raised on."""
    kinds: set[str] = set()
    if finding.category == HOURS_CATEGORY:
        kinds.add("hours")
    if finding.category == WAGES_CATEGORY:
        kinds.add("wages")
    sections = _item_sections(session, visit, finding)
    if sections & set(HOURS_SECTIONS):
        kinds.add("hours")
    if sections & set(WAGE_SECTIONS):
        kinds.add("wages")
    return kinds


def finding_rules(session: Session, visit: Visit, finding: Finding, kinds: set[str]) -> set[str]:
    """The rules the finding is about: the calculated proposal it was accepted from, else
    its title, else every rule of its kind."""
    keys = session.scalars(
        select(ProposalDecision.proposal_key).where(
            ProposalDecision.visit_id == visit.id, ProposalDecision.finding_code == finding.code
        )
    ).all()
    rules = {key.split(":", 1)[0] for key in keys if key.split(":", 1)[0] in ALL_RULES}
    if rules:
        return rules
    title = (finding.title or "").strip().lower()
    for rule_id, text in RULE_TITLES.items():
        if title.startswith(text.lower()):
            return {rule_id}
    out: set[str] = set()
    if "hours" in kinds:
        out |= HOURS_RULES
    if "wages" in kinds:
        out |= WAGE_RULES
    return out


def _line(session: Session, uuid: str, code: str) -> _Line:
    visit = session.scalars(
        select(Visit).where(Visit.uuid == uuid.strip(), Visit.received_at.is_not(None))
    ).first()
    if visit is None:
        raise NotFound("there is no received visit {id}", id=uuid[:40])
    code = code.strip().upper()
    finding = session.scalars(
        select(Finding)
        .join(CorrectiveAction, CorrectiveAction.finding_id == Finding.id)
        .where(Finding.visit_id == visit.id, Finding.code == code)
    ).first()
    if finding is None:
        raise NotFound("visit {visit} has no CAP line {code}", visit=uuid[:8], code=code[:10])
    factory = session.get(Factory, visit.factory_id)
    assert factory is not None
    return _Line(visit, finding, factory)


# --- the check --------------------------------------------------------------------------------


def check_line_records(
    database: Database,
    office_dir: Path,
    uuid: str,
    code: str,
    files: Sequence[tuple[str, bytes]],
    *,
    actor: str,
    role: str,
    remote: str = "",
    confirm: bool = False,
    mapping: str = "",
) -> StoredCheck | Pending:
    """Read `files` ((name, content) each) with the records importer, run the hours and wage
    checks of the visit's rule set and store the result with the line, with the files as
    its evidence: all of it, or on any refusal nothing. Files that need confirmation (rows
    left out, the factory's remembered mapping, the reviewer's `mapping` (JSON, the laptop's
    mapping file) give `Pending` unless `confirm`; a confirmed mapping is remembered for the
    factory."""
    if not may_act(role):
        raise UserError("a {role} user may not check records for CAP lines", role=role)
    if not files:
        raise UserError("choose the attendance or payroll files the factory sent")
    if len(files) > MAX_RECORDS_FILES:
        raise UserError(
            "{count} records files at once; at most {limit}; nothing was stored",
            count=len(files),
            limit=MAX_RECORDS_FILES,
        )
    given = given_mappings(mapping)
    with database.session() as session:
        line = _line(session, uuid, code)
        kinds = line_kinds(session, line.visit, line.finding)
        if not kinds:
            raise UserError(
                "line {code} is about {category}, not working hours or wages; a records check "
                "does not apply to it",
                code=line.finding.code,
                category=line.finding.category,
            )
        rules = visit_rules(session, line.visit)
        wanted = finding_rules(session, line.visit, line.finding, kinds)
        visit_start = line.visit.visit_start or line.visit.planned_date
        if visit_start is None:
            raise UserError("visit {visit} has no visit date", visit=uuid[:8])
        visit_end = line.visit.visit_end or visit_start
        names = FactoryNames(line.factory.ietp_id, line.factory.name_en, line.factory.name_zh)
        remembered: dict[str, ColumnMapping] = {}
        for kind in ("time", "pay"):
            found = remembered_mapping(session, line.visit, kind)
            if found is not None:
                remembered[kind] = found
        region = line.factory.region or ""
        roster = {
            (w.employee_no or w.code): w
            for w in session.scalars(
                select(RosterWorker).where(RosterWorker.visit_id == line.visit.id)
            )
        }
        finding_code = line.finding.code
    read: list[ReadFile] = []
    seen: set[str] = set()
    for name, content in files:
        item = read_upload(
            name,
            content,
            visit_start=visit_start,
            factory=names,
            remembered=remembered,
            given=given,
        )
        if item.sha256 not in seen:
            seen.add(item.sha256)
            read.append(item)
    _refuse_overlaps(read)
    reads = tuple(_file_read(f) for f in read)
    reasons = tuple(dict.fromkeys(r for f in read for r in f.confirm))
    if reasons and not confirm:
        return Pending(reads, reasons)
    workers = _workers(read, roster, region)
    punches = [p for f in read for p in f.punches]
    pays = [p for f in read for p in f.pays]
    analysis = analyse(workers, punches, pays, rules)
    summary = summarise(
        finding_code,
        analysis,
        punches,
        pays,
        read,
        reads,
        wanted,
        kinds,
        visit_end,
        confirmed=bool(reasons),
    )
    return _store(database, office_dir, uuid, finding_code, read, summary, actor, remote)


def _refuse_overlaps(read: list[ReadFile]) -> None:
    """Two files holding the same worker's day (or pay period) would count it twice: the
    factory sends each day once (an export per month, or one export of both months)."""
    days: dict[tuple[str, str, object], str] = {}
    for f in read:
        keys = {("time", p.worker_code, p.work_date) for p in f.punches} | {
            ("pay", r.worker_code, r.period_start) for r in f.pays
        }
        for key in sorted(keys, key=str):
            other = days.setdefault(key, f.filename)
            if other != f.filename:
                raise UserError(
                    "{file}: the records of worker {worker} for {date} are also in {other}; "
                    "each day and pay period may come in one file only. Nothing was stored",
                    file=f.filename,
                    worker=key[1],
                    date=str(key[2]),
                    other=other,
                )


def _file_read(f: ReadFile) -> FileRead:
    return FileRead(
        f.filename,
        f.sha256,
        f.kind,
        f.records,
        f.rows_read,
        len({(p.file, p.row_number) for p in f.problems}),
        f.recognition,
        f.summary,
        f.confirm,
    )


def _workers(read: list[ReadFile], roster: dict[str, RosterWorker], region: str) -> list[Worker]:
    """Everyone the files name; the visit's roster gives wage type, rate and hire date of the
    people it knows (by employee number)."""
    people: dict[str, None] = {}
    for f in read:
        for code in f.people:
            people.setdefault(code, None)
        for p in f.punches:
            people.setdefault(p.worker_code, None)
        for r in f.pays:
            people.setdefault(r.worker_code, None)
    out: list[Worker] = []
    for code in people:
        known = roster.get(code)
        if known is None:
            out.append(Worker(code=code, region=region or None))
            continue
        wage_type = (
            WageType(known.wage_type)
            if known.wage_type in ("monthly", "hourly", "piece")
            else WageType.MONTHLY
        )
        out.append(
            Worker(
                code=code,
                department=known.department or "",
                hire_date=known.hire_date,
                wage_type=wage_type,
                base_rate=known.base_rate,
                region=known.region or region or None,
            )
        )
    return out


def _store(
    database: Database,
    office_dir: Path,
    uuid: str,
    code: str,
    read: list[ReadFile],
    summary: RecordsSummary,
    actor: str,
    remote: str,
) -> StoredCheck:
    evidence = [
        evidence_files.EvidenceFile(code, f.filename, f.media_type, f.content, f.sha256, None)
        for f in read
    ]
    written: list[Path] = []
    try:
        with database.session() as session:
            line = _line(session, uuid, code)
            visit = line.visit
            for f in read:
                held = session.scalars(
                    select(OfficeCapEvidence.id).where(
                        OfficeCapEvidence.visit_id == visit.id,
                        OfficeCapEvidence.finding_code == code,
                        OfficeCapEvidence.sha256 == f.sha256,
                    )
                ).first()
                if held is None:
                    session.add(
                        OfficeCapEvidence(
                            visit_id=visit.id,
                            finding_code=code,
                            factory_id=visit.factory_id,
                            sha256=f.sha256,
                            filename=f.filename,
                            media_type=f.media_type,
                            size=len(f.content),
                            taken_at=None,
                            uploaded_by=actor[:120],
                            uploaded_at=utcnow(),
                        )
                    )
            now = utcnow()
            row = OfficeCapRecordsCheck(
                visit_id=visit.id,
                finding_code=code,
                period_start=date.fromisoformat(summary.period_start)
                if summary.period_start
                else None,
                period_end=date.fromisoformat(summary.period_end) if summary.period_end else None,
                months_covered=summary.months_covered,
                workers=summary.workers,
                breaches=summary.breaches,
                flags=" ".join(summary.flags),
                summary_json=json.dumps(asdict(summary), ensure_ascii=False),
                checked_by=actor[:120],
                checked_at=now,
            )
            session.add(row)
            line_row(session, visit.id, code).updated_at = now
            for f in read:
                if f.mapping_used == GIVEN:
                    _remember(session, visit.factory_id, f)
            audit.record(
                session,
                actor,
                "cap.records-check",
                f"{visit.uuid} {code}",
                f"{len(read)} file(s) ({', '.join(f.filename for f in read)[:300]}): "
                f"{summary.period_start or '-'} – {summary.period_end or '-'}, "
                f"{summary.workers} worker(s), {summary.breaches} breach(es); flags: "
                f"{', '.join(summary.flags) or 'none'}"
                + ("; rows left out or mapping confirmed" if summary.confirmed else ""),
                remote,
            )
            session.flush()
            written = evidence_files.store(office_dir, evidence)
            stored = StoredCheck(row.id, row.checked_by, now, summary)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return stored


def _remember(session: Session, factory_id: int, f: ReadFile) -> None:
    """The mapping the reviewer gave and confirmed reads the factory's next files."""
    text = json.dumps(f.mapping.to_dict(), ensure_ascii=False, sort_keys=True)
    row = session.scalars(
        select(ImportMapping).where(
            ImportMapping.factory_id == factory_id, ImportMapping.kind == f.kind
        )
    ).first()
    if row is None:
        session.add(ImportMapping(factory_id=factory_id, kind=f.kind, mapping_json=text))
    else:
        row.mapping_json = text


# --- reading back -------------------------------------------------------------------------


def checks_of(session: Session, visit_id: int, code: str) -> list[OfficeCapRecordsCheck]:
    return list(
        session.scalars(
            select(OfficeCapRecordsCheck)
            .where(
                OfficeCapRecordsCheck.visit_id == visit_id,
                OfficeCapRecordsCheck.finding_code == code,
            )
            .order_by(desc(OfficeCapRecordsCheck.id))
        )
    )


def line_records_in(session: Session, visit: Visit, finding: Finding) -> LineRecords:
    applies = bool(line_kinds(session, visit, finding))
    rows = checks_of(session, visit.id, finding.code)
    if not rows:
        return LineRecords(applies)
    newest = rows[0]
    return LineRecords(
        applies,
        StoredCheck(
            newest.id,
            newest.checked_by,
            newest.checked_at,
            summary_from_json(newest.summary_json),
        ),
        len(rows) - 1,
    )


def line_records(database: Database, uuid: str, code: str) -> LineRecords:
    with database.session() as session:
        line = _line(session, uuid, code)
        return line_records_in(session, line.visit, line.finding)
