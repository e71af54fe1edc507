"""Time and pay records of the worker sample: preview an export, store it all or nothing,
and run the hours and wage checks of the visit's rule set over what is stored.

An import is one transaction with bulk inserts and one audit event naming the file, its
sha256 and the row count. The same file (by sha256) is not stored twice: it is refused, or,
when asked, its earlier records are replaced.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import repeat
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.records import (
    Analysis,
    Breach,
    Origin,
    PayRecord,
    Punch,
    WageType,
)
from ietp_desktop.domain.records import Worker as SampledWorker
from ietp_desktop.domain.rules import RuleSet
from ietp_desktop.domain.wages import analyse
from ietp_desktop.i18n import tr
from ietp_desktop.importers.gc_pause import gc_paused
from ietp_desktop.importers.mapping import PAY_FIELDS, TIME_FIELDS, ColumnMapping, load_mapping
from ietp_desktop.importers.pay_records import preview_pay_records
from ietp_desktop.importers.preview import ImportPreview, RowProblem
from ietp_desktop.importers.time_records import preview_time_records
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.visits.refs import require_editable, resolve_visit, short_id
from ietp_desktop.storage.audit import record_event
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import AuditEvent, Factory, Visit, Worker
from ietp_desktop.storage.models import PayRecord as PayRow
from ietp_desktop.storage.models import TimeRecord as TimeRow

Kind = Literal["time", "pay"]
KINDS: tuple[Kind, ...] = ("time", "pay")
Progress = Callable[[float], None]
CHUNK = 20_000
_ENTITY: dict[str, str] = {"time": "TimeRecord", "pay": "PayRecord"}
_EXTRA_PAY_FIELDS = ("special_allowances", "agreed_pay_day", "overtime_hours_paid")


def known_fields(kind: Kind) -> dict[str, tuple[str, ...]]:
    """The fields a column can be mapped to, with the headers recognised for each."""
    return TIME_FIELDS if kind == "time" else PAY_FIELDS


def load_mapping_file(path: Path, kind: Kind) -> dict[str, str]:
    return load_mapping(path, known_fields(kind)).fields


@dataclass(frozen=True)
class ImportRecord:
    """A file imported earlier into this visit."""

    kind: Kind
    file: str
    sha256: str
    rows: int
    at: datetime
    actor: str


@dataclass
class RecordsPreview:
    """What an import would store; nothing is stored until commit_import."""

    visit_uuid: str
    kind: Kind
    path: Path
    file: str
    sha256: str
    headers: tuple[str, ...]  # the file's column headers (mapped ones first)
    mapping: dict[str, str]  # field → header used
    header_row: int
    punches: list[Punch] = field(default_factory=list)  # worker_code as written in the file
    pay_records: list[PayRecord] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    previous: ImportRecord | None = None  # the same file, imported before
    pay_day: int | None = None

    @property
    def errors(self) -> list[RowProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[RowProblem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def record_count(self) -> int:
        return len(self.punches) if self.kind == "time" else len(self.pay_records)

    @property
    def rows_with_errors(self) -> int:
        return len({p.row_number for p in self.errors})


@dataclass(frozen=True)
class ImportResult:
    kind: Kind
    file: str
    sha256: str
    stored: int
    replaced: int  # records of the earlier import of the same file, deleted
    rows_left_out: int  # rows with errors the user accepted to leave out


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise UserError(f"{path.name}: cannot open the file: {exc.strerror or exc}") from None
    return digest.hexdigest()


def _workers_by_file_code(session: Session, visit_id: int) -> dict[str, Worker]:
    """A worker is named in the factory's files by employee number, else by sample code."""
    workers = list(session.scalars(select(Worker).where(Worker.visit_id == visit_id)))
    lookup = {w.code: w for w in workers}
    lookup.update({w.employee_no: w for w in workers if w.employee_no})
    return lookup


def imports_of(session: Session, visit_id: int) -> list[ImportRecord]:
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.visit_id == visit_id,
            AuditEvent.action == "event",
            AuditEvent.field == "import",
            AuditEvent.entity.in_(_ENTITY.values()),
        )
        .order_by(AuditEvent.id)
    )
    latest: dict[tuple[str, str], ImportRecord] = {}
    for event in events:
        try:
            detail = json.loads(event.new_value or "{}")
            record = ImportRecord(
                detail["kind"],
                detail["file"],
                detail["sha256"],
                int(detail["rows"]),
                event.at,
                event.actor,
            )
        except (ValueError, KeyError, TypeError):
            continue
        latest[(record.kind, record.sha256)] = record
    return list(latest.values())


def list_imports(db: Database, visit_ref: str | int) -> list[ImportRecord]:
    with db.session() as session:
        return imports_of(session, resolve_visit(session, visit_ref).id)


def preview_import(
    db: Database,
    visit_ref: str | int,
    path: Path,
    kind: Kind,
    mapping: dict[str, str] | None = None,
    pay_day: int | None = None,
) -> RecordsPreview:
    """Read a time or pay export and report every problem by file, row and column.
    `mapping` (field → header) overrides the recognised headers; `pay_day` is the day of the
    following month wages are due, for payroll files without that column."""
    if kind not in KINDS:
        raise UserError(f"unknown record kind {kind!r}; use time or pay")
    path = Path(path)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        lookup = _workers_by_file_code(session, visit.id)
        if not lookup:
            raise UserError(
                f"visit {short_id(visit.uuid)} has no sampled workers yet; add the worker "
                f"sample before importing records"
            )
        sha = file_sha256(path)
        previous = next(
            (i for i in imports_of(session, visit.id) if i.kind == kind and i.sha256 == sha), None
        )
        override = ColumnMapping(dict(mapping)) if mapping else None
        known = set(lookup)
        punches: list[Punch] = []
        pay_records: list[PayRecord] = []
        parsed: ImportPreview[Punch] | ImportPreview[PayRecord]
        if kind == "time":
            parsed = time_preview = preview_time_records(path, override, known)
            punches = time_preview.rows
        else:
            parsed = pay_preview = preview_pay_records(path, override, known, pay_day)
            pay_records = pay_preview.rows
        preview = RecordsPreview(
            visit_uuid=visit.uuid,
            kind=kind,
            path=path,
            file=parsed.file,
            sha256=sha,
            punches=punches,
            pay_records=pay_records,
            headers=tuple(
                dict.fromkeys([*parsed.mapping.fields.values(), *parsed.unmapped_columns])
            ),
            mapping=dict(parsed.mapping.fields),
            header_row=parsed.header_row,
            row_numbers=list(parsed.row_numbers),
            problems=list(parsed.problems),
            previous=previous,
            pay_day=pay_day,
        )
        _refuse_rows_already_stored(session, preview, lookup)
        return preview


def _refuse_rows_already_stored(
    session: Session, preview: RecordsPreview, lookup: dict[str, Worker]
) -> None:
    """Records another file already stored for the same worker and day (or pay period) would
    count twice: those rows are errors. The earlier import of this same file is not counted,
    since committing with replace deletes it."""
    replaced = preview.previous.file if preview.previous else None
    ids = list({w.id for w in lookup.values()})
    stored: dict[tuple[int, date, date | None], str] = {}
    keys: list[tuple[int, date, date | None]]
    if preview.kind == "time":
        days = (
            select(TimeRow.worker_id, TimeRow.work_date, TimeRow.source_file)
            .where(TimeRow.worker_id.in_(ids))
            .distinct()
        )
        for worker_id, day, source in session.execute(days):
            if source != replaced:
                stored[(worker_id, day, None)] = source
    else:
        periods = select(
            PayRow.worker_id, PayRow.period_start, PayRow.period_end, PayRow.source_file
        ).where(PayRow.worker_id.in_(ids))
        for worker_id, start, end, source in session.execute(periods):
            if source != replaced:
                stored[(worker_id, start, end)] = source
    if not stored:
        return
    id_of = {code: worker.id for code, worker in lookup.items()}
    if preview.kind == "time":
        keys = [(id_of[p.worker_code], p.work_date, None) for p in preview.punches]
    else:
        keys = [(id_of[p.worker_code], p.period_start, p.period_end) for p in preview.pay_records]
    keep: list[int] = []
    bad_rows: set[int] = set()
    for index, key in enumerate(keys):
        earlier_file = stored.get(key)
        if earlier_file is None:
            keep.append(index)
            continue
        row = preview.row_numbers[index]
        if row not in bad_rows:
            bad_rows.add(row)
            what = "day" if preview.kind == "time" else "pay period"
            preview.problems.append(
                RowProblem(
                    preview.file,
                    row,
                    "",
                    f"records for this worker and {what} are already stored from {earlier_file}",
                )
            )
    preview.row_numbers = [preview.row_numbers[i] for i in keep]
    if preview.kind == "time":
        preview.punches = [preview.punches[i] for i in keep]
    else:
        preview.pay_records = [preview.pay_records[i] for i in keep]
    preview.problems.sort(key=lambda p: (p.row_number, p.severity != "error"))


def commit_import(
    db: Database,
    visit_ref: str | int,
    preview: RecordsPreview,
    accept_rows_with_problems: bool = False,
    replace: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Store the previewed records in one transaction, or nothing. Rows with errors are
    never stored; while there are any, nothing is stored unless the user accepts leaving
    them out. The same file imported before is refused unless `replace`."""
    report = progress or (lambda _fraction: None)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        if visit.uuid != preview.visit_uuid:
            raise UserError(f"{preview.file}: this preview was made for another visit")
        if preview.errors and not accept_rows_with_problems:
            first = preview.errors[0]
            raise UserError(
                f"{preview.file}: {preview.rows_with_errors} row(s) have problems "
                f"(first: row {first.row_number}"
                + (f", column {first.column}" if first.column else "")
                + f": {first.reason}); nothing was stored — fix the file, or accept leaving "
                f"those rows out"
            )
        if preview.record_count == 0:
            raise UserError(f"{preview.file}: no records to store")
        earlier = next(
            (
                i
                for i in imports_of(session, visit.id)
                if i.kind == preview.kind and i.sha256 == preview.sha256
            ),
            None,
        )
        if earlier is not None and not replace:
            raise UserError(
                f"{preview.file} was already imported on {earlier.at:%Y-%m-%d %H:%M} "
                f"({earlier.rows:,} records from {earlier.file}); nothing was stored — "
                f"replace the earlier import to store it again"
            )
        lookup = _workers_by_file_code(session, visit.id)
        ids = list({w.id for w in lookup.values()})
        replaced = 0
        if earlier is not None:
            table = TimeRow if preview.kind == "time" else PayRow
            result = session.execute(
                delete(table).where(table.worker_id.in_(ids), table.source_file == earlier.file)
            )
            replaced = int(getattr(result, "rowcount", 0) or 0)
        with gc_paused():
            names, rows = _rows(preview, lookup)
            _bulk_insert(session.connection(), preview.kind, names, rows, report)
        record_event(
            session,
            visit.id,
            _ENTITY[preview.kind],
            "import",
            json.dumps(
                {
                    "kind": preview.kind,
                    "file": preview.file,
                    "sha256": preview.sha256,
                    "rows": len(rows),
                    "replaced": replaced,
                    "rows_left_out": preview.rows_with_errors,
                },
                ensure_ascii=False,
            ),
        )
        return ImportResult(
            preview.kind,
            preview.file,
            preview.sha256,
            len(rows),
            replaced,
            preview.rows_with_errors,
        )


class _Converted(dict[Any, Any]):
    """Each distinct value converted once by a column type's bind processor."""

    def __init__(self, processor: Callable[[Any], Any]) -> None:
        super().__init__()
        self.processor = processor

    def __missing__(self, value: Any) -> Any:
        converted = self[value] = self.processor(value)
        return converted


def _bulk_insert(
    connection: Connection,
    kind: Kind,
    names: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    report: Progress,
) -> None:
    """executemany on the session's connection (same transaction); `rows` are tuples of
    `names`. Each distinct value is converted once, as the column type would, and the rows
    go straight to the driver column by column: a year of punches repeats the same few
    hundred dates and times, and per-row statement processing would cost more than the
    database's own work."""
    model = TimeRow if kind == "time" else PayRow
    table = model.__table__
    dialect = connection.dialect
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else []
    for position, name in enumerate(names):
        processor = table.columns[name].type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None and columns:
            columns[position] = list(map(_Converted(processor).__getitem__, columns[position]))
    compiled = insert(model).values({n: bindparam(n) for n in names}).compile(dialect=dialect)
    order = compiled.positiontup
    params: list[Any]
    if order is None:  # a driver with named parameters
        params = [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
    else:
        params = list(zip(*(columns[names.index(n)] for n in order), strict=True))
    for start in range(0, len(params), CHUNK):
        connection.exec_driver_sql(str(compiled), params[start : start + CHUNK])
        report(min(1.0, (start + CHUNK) / len(params)))


def _worker_id(lookup: dict[str, Worker], code: str, file: str) -> int:
    worker = lookup.get(code)
    if worker is None:
        raise UserError(f"{file}: worker {code} is no longer in the sample; preview again")
    return worker.id


_TIME_COLUMNS = ("worker_id", "work_date", "start_at", "end_at", "source_file", "source_row")
_PAY_COLUMNS = (
    "worker_id",
    "period_start",
    "period_end",
    "base_pay",
    "overtime_pay",
    "allowances",
    "deductions",
    "damage_deductions",
    "social_insurance",
    "net_pay",
    "piece_earnings",
    "paid_on",
    "extra_json",
    "source_file",
    "source_row",
)


def _rows(
    preview: RecordsPreview, lookup: dict[str, Worker]
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """(column names, one tuple of values per record)."""
    file, numbers = preview.file, preview.row_numbers
    ids = {
        code: _worker_id(lookup, code, file)
        for code in {r.worker_code for r in (preview.punches or preview.pay_records)}
    }
    if preview.kind == "time":
        return _TIME_COLUMNS, [
            (ids[code], work_date, start, end, file, row)
            for (code, work_date, start, end), row in zip(preview.punches, numbers, strict=True)
        ]
    return _PAY_COLUMNS, [
        (
            ids[p.worker_code],
            p.period_start,
            p.period_end,
            p.base_pay,
            p.overtime_pay,
            p.allowances,
            p.deductions,
            p.damage_deductions,
            p.social_insurance,
            p.net_pay,
            p.piece_earnings_standard_hours,
            p.paid_on,
            json.dumps(
                {
                    "special_allowances": str(p.special_allowances),
                    "agreed_pay_day": p.agreed_pay_day.isoformat() if p.agreed_pay_day else None,
                    "overtime_hours_paid": (
                        str(p.overtime_hours_paid) if p.overtime_hours_paid is not None else None
                    ),
                }
            ),
            file,
            row,
        )
        for p, row in zip(preview.pay_records, numbers, strict=True)
    ]


# --- analysis ---------------------------------------------------------------------------


def visit_rules(session: Session, visit: Visit) -> RuleSet:
    if not visit.rule_set_sha256:
        raise UserError(
            f"visit {short_id(visit.uuid)} has no rule set for hours and wages; install one "
            f"in forms/rules and plan the visit again"
        )
    return definitions.rules_by_sha(session, visit.rule_set_sha256)


def _sampled(worker: Worker, factory_region: str) -> SampledWorker:
    return SampledWorker(
        code=worker.code,
        department=worker.department,
        name=worker.name or None,
        gender=worker.gender or None,
        origin=Origin(worker.origin) if worker.origin in ("local", "migrant") else None,
        hire_date=worker.hire_date,
        wage_type=WageType(worker.wage_type)
        if worker.wage_type in ("monthly", "hourly", "piece")
        else WageType.MONTHLY,
        base_rate=worker.base_rate,
        region=worker.region or factory_region or None,
    )


def _datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def load_records(
    session: Session, visit: Visit
) -> tuple[list[SampledWorker], list[Punch], list[PayRecord]]:
    factory = session.get(Factory, visit.factory_id)
    region = factory.region if factory is not None else ""
    workers = list(session.scalars(select(Worker).where(Worker.visit_id == visit.id)))
    code_of = {w.id: w.code for w in workers}
    # Rows straight from the driver (text dates on SQLite), each distinct date and moment
    # parsed once: the same punch times repeat across workers and days.
    query = (
        select(TimeRow.worker_id, TimeRow.work_date, TimeRow.start_at, TimeRow.end_at)
        .join(Worker, Worker.id == TimeRow.worker_id)
        .where(Worker.visit_id == visit.id)
    )
    connection = session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    rows: Sequence[Any] = connection.exec_driver_sql(sql).cursor.fetchall()
    punches: list[Punch] = []
    if rows:
        days = _Converted(lambda d: d if isinstance(d, date) else date.fromisoformat(str(d)[:10]))
        moments = _Converted(_datetime)
        ids, dates, starts, ends = zip(*rows, strict=True)
        # column by column, in C: a year of punches is a few hundred thousand rows
        punches = list(
            map(
                tuple.__new__,
                repeat(Punch),
                zip(
                    map(code_of.__getitem__, ids),
                    map(days.__getitem__, dates),
                    map(moments.__getitem__, starts),
                    map(moments.__getitem__, ends),
                    strict=True,
                ),
            )
        )
    pay_rows = session.scalars(
        select(PayRow)
        .join(Worker, Worker.id == PayRow.worker_id)
        .where(Worker.visit_id == visit.id)
    )
    pays = [_pay(row, code_of[row.worker_id]) for row in pay_rows]
    return [_sampled(w, region) for w in workers], punches, pays


def _pay(row: PayRow, code: str) -> PayRecord:
    extra = json.loads(row.extra_json or "{}")
    zero = Decimal(0)

    def dec(value: object) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    agreed = extra.get("agreed_pay_day")
    return PayRecord(
        worker_code=code,
        period_start=row.period_start,
        period_end=row.period_end,
        base_pay=row.base_pay or zero,
        overtime_pay=row.overtime_pay or zero,
        allowances=row.allowances or zero,
        special_allowances=dec(extra.get("special_allowances")) or zero,
        deductions=row.deductions or zero,
        damage_deductions=row.damage_deductions or zero,
        social_insurance=row.social_insurance or zero,
        net_pay=row.net_pay,
        paid_on=row.paid_on,
        agreed_pay_day=date.fromisoformat(agreed) if agreed else None,
        overtime_hours_paid=dec(extra.get("overtime_hours_paid")),
        piece_earnings_standard_hours=row.piece_earnings,
    )


def breach_text(breach: Breach, language: str | None = None) -> str:
    """A breach in the UI's (or a report's) language, its rule text included."""
    params = {
        name: tr(value, language=language) if name in ("rule", "citation") else value
        for name, value in breach.params.items()
    }
    return tr(breach.template, language=language, **params)


def analyse_visit(db: Database, visit_ref: str | int) -> Analysis:
    """Every hours and wage check of the visit's rule set over the stored records."""
    with gc_paused():
        with db.session() as session:
            visit = resolve_visit(session, visit_ref)
            rules = visit_rules(session, visit)
            workers, punches, pays = load_records(session, visit)
        return analyse(workers, punches, pays, rules)


def records_period(punches: Iterable[Punch]) -> tuple[date, date] | None:
    dates = [p.work_date for p in punches]
    return (min(dates), max(dates)) if dates else None
