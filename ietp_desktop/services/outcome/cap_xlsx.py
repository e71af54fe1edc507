"""The CAP as an XLSX the factory fills in, and reading it back.

The visible sheet is bilingual (English / 中文): the findings are locked, the answer columns
are open, the status column offers a list. A very hidden sheet holds the visit uuid, the
revision and the finding ids, so a file from another visit or with a changed finding is
refused before anything is written. Reading back validates the whole file first and then
applies every change in one transaction.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.domain.findings import CLASSIFICATION_LABELS, Classification
from ietp_desktop.i18n import both, tr
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.services.outcome.cap import (
    CAP_STATUS_LABELS,
    CAP_STATUSES,
    CapChanges,
    apply_changes,
    cap_findings,
)
from ietp_desktop.services.visits.refs import resolve_visit, short_id
from ietp_desktop.storage.audit import record_event
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Finding, Visit

FORMAT = "ietp-cap-v1"
SHEET = "CAP"
META_SHEET = "ietp_meta"
HEADER_ROW = 8
FIRST_ROW = HEADER_ROW + 1

# (field, English header, width, editable by the factory)
COLUMNS: tuple[tuple[str, str, int, bool], ...] = (
    ("code", "Finding", 9, False),
    ("classification", "Classification", 18, False),
    ("finding", "Finding description", 48, False),
    ("corrective_action", "Corrective action", 36, True),
    ("preventive_action", "Preventive action", 36, True),
    ("responsible", "Responsible person", 18, True),
    ("due_date", "Due date", 13, True),
    ("status", "Status", 18, True),
    ("factory_remark", "Factory remarks", 30, True),
)
COLUMN = {name: index + 1 for index, (name, *_rest) in enumerate(COLUMNS)}
TEXT_FIELDS = ("corrective_action", "preventive_action", "responsible", "factory_remark")

INSTRUCTIONS = (
    "Fill in the white columns for every finding: what you corrected, what prevents it from "
    "happening again, who is responsible, the due date (YYYY-MM-DD) and the status.",
    "Leave a cell empty to keep what is recorded. Do not change the grey columns, the order "
    "of the sheets or the finding codes; send this file back by email with your remediation "
    "records.",
)


@dataclass(frozen=True)
class FieldChange:
    finding_code: str
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class RowProblem:
    row: int
    reason: str


@dataclass(frozen=True)
class CapImportReport:
    file: str
    changes: tuple[FieldChange, ...]
    problems: tuple[RowProblem, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def changed_lines(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.finding_code for c in self.changes))


def status_label(status: str) -> str:
    return both(CAP_STATUS_LABELS[status])


def _status_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for key in CAP_STATUSES:
        label = CAP_STATUS_LABELS[key]
        for text in (key, label, status_label(key), *status_label(key).split(" / ")):
            lookup[text.strip().casefold()] = key
    return lookup


# ---------------------------------------------------------------- export


def _visit_heading(visit: Visit) -> str:
    factory = visit.factory
    day = visit.visit_start or visit.confirmed_date or visit.planned_date
    names = f"{factory.name_en} {factory.name_zh}".strip()
    return (
        f"{names} ({factory.ietp_id}) · {both('Visit')} {short_id(visit.uuid)} · "
        f"{day.isoformat() if day else '-'} · {both('Revision')} {visit.revision}"
    )


def _write_rows(sheet: Worksheet, findings: list[Finding]) -> None:
    locked_fill = PatternFill("solid", fgColor="E7E9EE")
    wrap = Alignment(wrap_text=True, vertical="top")
    for offset, finding in enumerate(findings):
        row = FIRST_ROW + offset
        action = finding.corrective_action
        assert action is not None
        values: dict[str, Any] = {
            "code": finding.code,
            "classification": both(CLASSIFICATION_LABELS[Classification(finding.classification)]),
            "finding": f"{finding.title}\n{finding.description}".strip()
            if finding.title and finding.title not in finding.description
            else finding.description,
            "corrective_action": action.corrective_action,
            "preventive_action": action.preventive_action,
            "responsible": action.responsible,
            "due_date": action.due_date,
            "status": status_label(action.status),
            "factory_remark": action.factory_remark,
        }
        for name, _header, _width, editable in COLUMNS:
            cell = sheet.cell(row=row, column=COLUMN[name], value=values[name] or None)
            _as_text(cell)
            cell.alignment = wrap
            if editable:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = locked_fill
            if name == "due_date":
                cell.number_format = "yyyy-mm-dd"


def _as_text(cell: Any) -> None:
    """Text is written as text, never as a formula, even when it starts with = + - @ (a
    specialist's note, or a factory's remark coming back, must not run on the next PC)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        cell.quotePrefix = True


def _add_validations(sheet: Worksheet, last_row: int) -> None:
    statuses = ",".join(status_label(s) for s in CAP_STATUSES)
    status = DataValidation(
        type="list",
        formula1=f'"{statuses}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=both("Status"),
        error=both("Choose a status from the list."),
    )
    due = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="36526",  # 2000-01-01
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=both("Due date"),
        error=both("Enter a date as YYYY-MM-DD."),
    )
    status_col = get_column_letter(COLUMN["status"])
    due_col = get_column_letter(COLUMN["due_date"])
    status.add(f"{status_col}{FIRST_ROW}:{status_col}{last_row}")
    due.add(f"{due_col}{FIRST_ROW}:{due_col}{last_row}")
    sheet.add_data_validation(status)
    sheet.add_data_validation(due)


def _write_meta(workbook: Workbook, visit: Visit, findings: list[Finding]) -> None:
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    meta.append(["format", FORMAT])
    meta.append(["visit_uuid", visit.uuid])
    meta.append(["revision", visit.revision])
    meta.append(["exported_at", datetime.now().replace(microsecond=0).isoformat()])
    for finding in findings:
        meta.append(["finding", finding.id, finding.code])
    meta.protection.sheet = True


def build_cap_workbook(visit: Visit, findings: list[Finding]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    sheet["A1"] = both("Corrective Action Plan")
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A2"] = _visit_heading(visit)
    sheet["A2"].font = Font(bold=True)
    row = 3
    for text in INSTRUCTIONS:
        for language in ("en", "zh"):
            sheet.cell(row=row, column=1, value=tr(text, language=language))
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
            sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
            sheet.row_dimensions[row].height = 30
            row += 1
    header_fill = PatternFill("solid", fgColor="1F3A5F")
    for name, header, width, _editable in COLUMNS:
        cell = sheet.cell(row=HEADER_ROW, column=COLUMN[name], value=both(header))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(COLUMN[name])].width = width
    sheet.row_dimensions[HEADER_ROW].height = 32
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=COLUMN["corrective_action"])
    _write_rows(sheet, findings)
    _add_validations(sheet, max(FIRST_ROW, FIRST_ROW + len(findings) - 1))
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False
    _write_meta(workbook, visit, findings)
    workbook.calculation = CalcProperties(fullCalcOnLoad=False)
    return workbook


def export_cap_xlsx(db: Database, visit_ref: str | int, out: Path) -> Path:
    """Write the visit's CAP for the factory; returns the file written."""
    out = Path(out)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        findings = cap_findings(session, visit.id)
        if not findings:
            raise UserError(
                "visit {visit} has no CAP line (no non-compliance)", visit=short_id(visit.uuid)
            )
        workbook = build_cap_workbook(visit, findings)
        buffer = io.BytesIO()
        workbook.save(buffer)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(out, buffer.getvalue())
        except OSError as exc:
            raise UserError(
                "could not write {out}: {reason}", out=out, reason=exc.strerror or exc
            ) from exc
        record_event(session, visit.id, "CorrectiveAction", "export", out.name)
    return out


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class _Meta:
    visit_uuid: str
    revision: int | None
    findings: dict[str, int]  # code → finding id


@dataclass(frozen=True)
class _Row:
    number: int
    code: str
    changes: CapChanges


MAX_FILE_BYTES = 8 << 20
MAX_UNPACKED_BYTES = 16 << 20  # all XML parts together, checked before openpyxl reads any
MAX_PARTS = 500
MAX_ROWS = 5_000
MAX_CELL_CHARS = 20_000


def _check_package(path: Path) -> None:
    """Refuse a workbook too large to be a CAP form before anything is decompressed."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UserError(
            "{path} is {size:,} bytes; a CAP form is at most {limit:,}; nothing was imported",
            path=path.name,
            size=size,
            limit=MAX_FILE_BYTES,
        )
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(
            "{path} is not an XLSX file or is damaged ({reason}); nothing was imported",
            path=path.name,
            reason=exc,
        ) from exc
    unpacked = sum(info.file_size for info in infos)
    if len(infos) > MAX_PARTS or unpacked > MAX_UNPACKED_BYTES:
        raise UserError(
            "{path} unpacks to {unpacked:,} bytes in {count} parts; a CAP "
            "form is at most {limit:,} bytes; nothing was "
            "imported",
            path=path.name,
            unpacked=unpacked,
            count=len(infos),
            limit=MAX_UNPACKED_BYTES,
        )
    if any(info.filename.startswith("xl/externalLinks/") for info in infos):
        raise UserError(
            "{path} links to other workbooks or programs (external links or "
            "DDE); remove the links and send the form again. Nothing was "
            "imported",
            path=path.name,
        )


def _open(path: Path) -> Workbook:
    if not path.exists():
        raise NotFound("{path} does not exist", path=path)
    _check_package(path)
    try:
        # formulas are read as formulas (and refused), never through their cached values
        return load_workbook(path, data_only=False, keep_links=False)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(
            "{path} is not an XLSX file or is damaged ({reason}); nothing was imported",
            path=path.name,
            reason=exc,
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds on a broken package
        raise UserError(
            "{path} cannot be read as a CAP form ({kind}: {reason}); nothing was imported",
            path=path.name,
            kind=type(exc).__name__,
            reason=exc,
        ) from exc


def _read_meta(workbook: Workbook, name: str) -> _Meta:
    not_ours = (
        f"{name} is not a CAP form exported by this program (its hidden data sheet is "
        "missing or changed); nothing was imported"
    )
    if META_SHEET not in workbook.sheetnames or SHEET not in workbook.sheetnames:
        raise UserError(not_ours)
    values: dict[str, Any] = {}
    findings: dict[str, int] = {}
    for row in workbook[META_SHEET].iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        if row[0] == "finding" and len(row) >= 3:
            try:
                findings[str(row[2])] = int(str(row[1]))
            except (TypeError, ValueError):
                raise UserError(
                    "{name}: the finding id {row!r} in the hidden data sheet "
                    "was changed; nothing was imported",
                    name=name,
                    row=row[1],
                ) from None
        else:
            values[str(row[0])] = row[1] if len(row) > 1 else None
    if values.get("format") != FORMAT or not values.get("visit_uuid"):
        raise UserError(not_ours)
    try:
        revision = int(values["revision"]) if values.get("revision") is not None else None
    except (TypeError, ValueError):
        revision = None
    return _Meta(str(values["visit_uuid"]), revision, findings)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        converted = from_excel(value)
        if isinstance(converted, datetime):
            return converted.date()
    if isinstance(value, str):
        text = value.strip().replace("/", "-").replace(".", "-")
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"due date {value!r} is not a date (use YYYY-MM-DD)")


def _read_rows(
    sheet: Worksheet, known: dict[str, int], name: str
) -> tuple[list[_Row], list[RowProblem]]:
    statuses = _status_lookup()
    rows: list[_Row] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    if sheet.max_row > FIRST_ROW + MAX_ROWS:
        raise UserError(
            "{name} has {max_row:,} rows; a CAP form has at most {limit:,}"
            " lines; nothing was imported",
            name=name,
            max_row=sheet.max_row,
            limit=MAX_ROWS,
        )
    for number, row_cells in enumerate(
        sheet.iter_rows(min_row=FIRST_ROW, max_col=len(COLUMNS)),
        start=FIRST_ROW,
    ):
        refused = _refused_cell(row_cells)
        if refused:
            problems.append(RowProblem(number, f"{refused}; the row was skipped"))
            continue
        cells = [cell.value for cell in row_cells]
        value = {
            col: cells[COLUMN[col] - 1] if len(cells) >= COLUMN[col] else None for col in COLUMN
        }
        code = _text(value["code"])
        if all(_text(v) is None for v in value.values()):
            continue
        if code is None:
            problems.append(RowProblem(number, "the finding code is empty; the row was skipped"))
            continue
        code = code.upper()
        if code not in known:
            raise UserError(
                "{name}, row {number}: finding {code!r} is not one of the "
                "findings this form was exported with ({names}); the finding "
                "codes must not be changed. Nothing was imported",
                name=name,
                number=number,
                code=code,
                names=", ".join(known) or "none",
            )
        if code in seen:
            problems.append(
                RowProblem(
                    number,
                    f"finding {code} appears twice (also row {seen[code]}); the row was skipped",
                )
            )
            continue
        seen[code] = number
        status_text = _text(value["status"])
        status = statuses.get(status_text.casefold()) if status_text else None
        if status_text and status is None:
            problems.append(
                RowProblem(
                    number,
                    f"status {status_text!r} is not one of "
                    + ", ".join(status_label(s) for s in CAP_STATUSES)
                    + "; the row was skipped",
                )
            )
            continue
        try:
            due = _date(value["due_date"])
        except ValueError as exc:
            problems.append(RowProblem(number, f"{exc}; the row was skipped"))
            continue
        rows.append(
            _Row(
                number,
                code,
                CapChanges(
                    corrective_action=_text(value["corrective_action"]),
                    preventive_action=_text(value["preventive_action"]),
                    responsible=_text(value["responsible"]),
                    due_date=due,
                    status=status,
                    factory_remark=_text(value["factory_remark"]),
                ),
            )
        )
    return rows, problems


def _refused_cell(cells: tuple[Any, ...]) -> str | None:
    """Why a row cannot be read: a formula (its cached value is not what anyone typed) or a
    cell longer than any CAP text."""
    for cell in cells:
        if cell.data_type == "f":
            return f"cell {cell.coordinate} holds a formula; type the value itself"
        if isinstance(cell.value, str) and len(cell.value) > MAX_CELL_CHARS:
            return f"cell {cell.coordinate} is longer than {MAX_CELL_CHARS:,} characters"
    return None


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class CapFormRow:
    row: int
    code: str
    changes: CapChanges


@dataclass(frozen=True)
class CapForm:
    """A returned CAP form as read, checked for limits and formulas, before it is applied."""

    file: str
    visit_uuid: str
    revision: int | None
    findings: dict[str, int]  # code → the finding's id on the laptop that exported the form
    finding_rows: dict[str, int]  # code → its row in the hidden data sheet
    rows: tuple[CapFormRow, ...]
    problems: tuple[RowProblem, ...]


def read_cap_form(path: Path) -> CapForm:
    """Read a CAP form without applying it (the office applies it to its own records)."""
    path = Path(path)
    workbook = _open(path)
    meta = _read_meta(workbook, path.name)
    finding_rows: dict[str, int] = {}
    for number, row in enumerate(workbook[META_SHEET].iter_rows(values_only=True), start=1):
        if row and row[0] == "finding" and len(row) >= 3:
            finding_rows[str(row[2])] = number
    rows, problems = _read_rows(workbook[SHEET], meta.findings, path.name)
    return CapForm(
        path.name,
        meta.visit_uuid,
        meta.revision,
        meta.findings,
        finding_rows,
        tuple(CapFormRow(r.number, r.code, r.changes) for r in rows),
        tuple(problems),
    )


def import_cap_xlsx(db: Database, visit_ref: str | int, path: Path) -> CapImportReport:
    """Read a CAP form the factory filled in; refused as a whole (nothing changed) when the
    file is damaged, from another visit or has changed finding ids."""
    path = Path(path)
    workbook = _open(path)
    meta = _read_meta(workbook, path.name)
    rows, problems = _read_rows(workbook[SHEET], meta.findings, path.name)
    changes: list[FieldChange] = []
    notes: list[str] = []
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        if meta.visit_uuid != visit.uuid:
            raise UserError(
                "{path} is the CAP form of visit {visit}, not of visit "
                "{visit2}; nothing was imported",
                path=path.name,
                visit=short_id(meta.visit_uuid),
                visit2=short_id(visit.uuid),
            )
        if meta.revision is not None and meta.revision != visit.revision:
            notes.append(
                f"the form was exported from revision {meta.revision}; the visit is now at "
                f"revision {visit.revision}"
            )
        by_id = {f.id: f for f in cap_findings(session, visit.id)}
        for code, finding_id in meta.findings.items():
            finding = by_id.get(finding_id)
            if finding is None or finding.code != code:
                raise UserError(
                    "{path}: finding {code} (id {finding_id}) of this form is"
                    " no longer a CAP line of visit {visit}; export a new CAP"
                    " form. Nothing was imported",
                    path=path.name,
                    code=code,
                    finding_id=finding_id,
                    visit=short_id(visit.uuid),
                )
        for row in rows:
            finding = by_id[meta.findings[row.code]]
            action = finding.corrective_action
            assert action is not None
            effective: dict[str, object] = {}
            for name in (*TEXT_FIELDS, "due_date", "status"):
                new = getattr(row.changes, name)
                if new is not None and new != getattr(action, name):
                    changes.append(
                        FieldChange(row.code, name, _shown(getattr(action, name)), _shown(new))
                    )
                    effective[name] = new
            apply_changes(action, CapChanges(**effective))  # type: ignore[arg-type]
        if changes:
            record_event(
                session,
                visit.id,
                "CorrectiveAction",
                "import",
                f"{path.name}: {len(changes)} change(s) on "
                f"{', '.join(dict.fromkeys(c.finding_code for c in changes))}",
            )
    return CapImportReport(path.name, tuple(changes), tuple(problems), tuple(notes))
