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
from ietp_desktop.domain.phrases import Phrase
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
from ietp_desktop.importers.gc_pause import gc_paused
from ietp_desktop.importers.mapping import (
    PAY_FIELDS,
    PUNCH_FIELDS,
    TIME_FIELDS,
    ColumnMapping,
    load_mapping,
    mapping_from_dict,
)
from ietp_desktop.importers.preview import RowProblem
from ietp_desktop.importers.recognition import (
    LEFT_OUT_LIMIT,
    Recognition,
    RecordsRead,
    read_pay_records,
    read_time_records,
)
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.hours.roster import file_lookup, join_roster
from ietp_desktop.services.visits.refs import require_editable, resolve_visit, short_id
from ietp_desktop.storage.audit import record_event
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import AuditEvent, Factory, ImportMapping, Visit, Worker
from ietp_desktop.storage.models import PayRecord as PayRow
from ietp_desktop.storage.models import TimeRecord as TimeRow

Kind = Literal["time", "pay"]
KINDS: tuple[Kind, ...] = ("time", "pay")
Progress = Callable[[float], None]
CHUNK = 20_000
_ENTITY: dict[str, str] = {"time": "TimeRecord", "pay": "PayRecord"}
_EXTRA_PAY_FIELDS = ("special_allowances", "agreed_pay_day", "overtime_hours_paid")


def known_fields(kind: Kind, layout: str | None = None) -> dict[str, tuple[str, ...]]:
    """The fields a column can be mapped to, with the headers recognised for each."""
    if kind == "pay":
        return PAY_FIELDS
    return PUNCH_FIELDS if layout == "punch-log" else TIME_FIELDS


def load_mapping_file(path: Path, kind: Kind) -> ColumnMapping:
    """A mapping file: {"field": "header", …} or {"layout", "sheet", "header_rows",
    "fields", "constants"} (see the README)."""
    return load_mapping(path, known_fields(kind))


@dataclass(frozen=True)
class ImportRecord:
    """A file imported earlier into this visit."""

    kind: Kind
    file: str
    sha256: str
    rows: int
    at: datetime
    actor: str
    rows_read: int = 0
    rows_left_out: int = 0
    accepted: bool = False  # the user accepted leaving more than LEFT_OUT_LIMIT out
    left_out: dict[str, dict[str, int]] = field(default_factory=dict)  # person → reason → rows
    period: tuple[date, date] | None = None


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
    recognition: Recognition | None = None  # what was understood of the file
    full_mapping: ColumnMapping | None = None  # every choice, to save and pass back
    people: dict[str, tuple[str, str]] = field(default_factory=dict)  # file code → name, dept
    new_people: tuple[str, ...] = ()  # file codes not on the roster yet: they join it
    rows_read: int = 0
    left_out: dict[str, dict[str, int]] = field(default_factory=dict)  # person → reason → rows
    remembered_mapping: bool = False  # read with the mapping remembered for the factory

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
        return len({(p.file, p.row_number) for p in self.errors})

    @property
    def share_left_out(self) -> float:
        return self.rows_with_errors / self.rows_read if self.rows_read else 0.0

    @property
    def needs_acceptance(self) -> bool:
        """More than LEFT_OUT_LIMIT of the rows would be left out."""
        return self.share_left_out > LEFT_OUT_LIMIT


@dataclass(frozen=True)
class ImportResult:
    kind: Kind
    file: str
    sha256: str
    stored: int
    replaced: int  # records of the earlier import of the same file, deleted
    rows_left_out: int  # rows with errors left out
    joined_roster: int = 0  # people the file added to the roster
    accepted: bool = False  # more than LEFT_OUT_LIMIT left out, accepted by the user


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise UserError(
            "{file}: cannot open the file: {reason}", file=path.name, reason=exc.strerror or exc
        ) from None
    return digest.hexdigest()


def _workers_by_file_code(session: Session, visit: Visit) -> dict[str, Worker]:
    """A person is named in the factory's files by employee number, an alias, or the code."""
    return file_lookup(session, visit)


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
            period = detail.get("period")
            record = ImportRecord(
                detail["kind"],
                detail["file"],
                detail["sha256"],
                int(detail["rows"]),
                event.at,
                event.actor,
                rows_read=int(detail.get("rows_read", 0)),
                rows_left_out=int(detail.get("rows_left_out", 0)),
                accepted=bool(detail.get("accepted", False)),
                left_out={
                    str(k): {str(r): int(n) for r, n in v.items()}
                    for k, v in (detail.get("left_out") or {}).items()
                },
                period=(date.fromisoformat(period[0]), date.fromisoformat(period[1]))
                if period
                else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        latest[(record.kind, record.sha256)] = record
    return list(latest.values())


def list_imports(db: Database, visit_ref: str | int) -> list[ImportRecord]:
    with db.session() as session:
        return imports_of(session, resolve_visit(session, visit_ref).id)


def _as_mapping(mapping: ColumnMapping | dict[str, Any] | None, kind: Kind) -> ColumnMapping | None:
    if mapping is None or isinstance(mapping, ColumnMapping):
        return mapping
    return mapping_from_dict(dict(mapping), known_fields(kind)) if mapping else None


def remembered_mapping(session: Session, visit: Visit, kind: Kind) -> ColumnMapping | None:
    row = session.scalars(
        select(ImportMapping).where(
            ImportMapping.factory_id == visit.factory_id, ImportMapping.kind == kind
        )
    ).first()
    if row is None:
        return None
    try:
        return mapping_from_dict(json.loads(row.mapping_json), known_fields(kind))
    except (ValueError, UserError):
        return None


def _remember_mapping(session: Session, visit: Visit, kind: Kind, mapping: ColumnMapping) -> None:
    text = json.dumps(mapping.to_dict(), ensure_ascii=False, sort_keys=True)
    row = session.scalars(
        select(ImportMapping).where(
            ImportMapping.factory_id == visit.factory_id, ImportMapping.kind == kind
        )
    ).first()
    if row is None:
        session.add(ImportMapping(factory_id=visit.factory_id, kind=kind, mapping_json=text))
    elif row.mapping_json != text:
        row.mapping_json = text


def _read(
    path: Path, kind: Kind, mapping: ColumnMapping | None, sheet: str | None, pay_day: int | None
) -> RecordsRead[Any]:
    if kind == "time":
        return read_time_records(path, mapping, sheet)
    return read_pay_records(path, mapping, sheet, pay_day)


def preview_import(
    db: Database,
    visit_ref: str | int,
    path: Path,
    kind: Kind,
    mapping: ColumnMapping | dict[str, Any] | None = None,
    pay_day: int | None = None,
    sheet: str | None = None,
) -> RecordsPreview:
    """Read a time or pay export as it comes (any layout, any sheet) and report every
    problem by file, row and column. Nobody needs to be sampled first: people not on the
    roster yet join it when the import is stored. `mapping` overrides any choice; without
    one, the mapping remembered for the factory is used when the file cannot be read
    without it. `pay_day` is the day of the following month wages are due, for payroll
    files without that column."""
    if kind not in KINDS:
        raise UserError("unknown record kind {kind!r}; use time or pay", kind=kind)
    path = Path(path)
    override = _as_mapping(mapping, kind)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        visit_uuid = visit.uuid
        id_of = {code: w.id for code, w in _workers_by_file_code(session, visit).items()}
        remembered = remembered_mapping(session, visit, kind) if override is None else None
        sha = file_sha256(path)
        previous = next(
            (i for i in imports_of(session, visit.id) if i.kind == kind and i.sha256 == sha), None
        )
    used_remembered = False
    try:
        read = _read(path, kind, override, sheet, pay_day)
    except UserError:
        if remembered is None:
            raise
        read = _read(path, kind, remembered, sheet, pay_day)
        used_remembered = True
    if remembered is not None and not used_remembered and read.errors:
        try:
            again = _read(path, kind, remembered, sheet, pay_day)
        except UserError:
            again = None
        if again is not None and len(again.errors) < len(read.errors):
            read, used_remembered = again, True
    parsed = read.parsed
    punches: list[Punch] = parsed.rows if kind == "time" else []
    pay_records: list[PayRecord] = parsed.rows if kind == "pay" else []
    people = dict(read.people)
    preview = RecordsPreview(
        visit_uuid=visit_uuid,
        kind=kind,
        path=path,
        file=parsed.file,
        sha256=sha,
        punches=punches,
        pay_records=pay_records,
        headers=tuple(dict.fromkeys([*parsed.mapping.fields.values(), *parsed.unmapped_columns])),
        mapping=dict(parsed.mapping.fields),
        header_row=parsed.header_row,
        row_numbers=list(parsed.row_numbers),
        problems=list(parsed.problems),
        previous=previous,
        pay_day=pay_day,
        recognition=read.recognition,
        full_mapping=read.mapping,
        people=people,
        new_people=tuple(sorted(code for code in people if code not in id_of)),
        rows_read=read.rows_read,
        left_out={person: dict(reasons) for person, reasons in read.left_out_by_person().items()},
        remembered_mapping=used_remembered,
    )
    with db.session() as session:
        _refuse_rows_already_stored(session, preview, id_of)
    return preview


def _refuse_rows_already_stored(
    session: Session, preview: RecordsPreview, id_of: dict[str, int]
) -> None:
    """Records another file already stored for the same worker and day (or pay period) would
    count twice: those rows are errors. The earlier import of this same file is not counted,
    since committing with replace deletes it."""
    replaced = preview.previous.file if preview.previous else None
    ids = list(set(id_of.values()))
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
    # people not on the roster yet have nothing stored: -1 matches no stored key
    if preview.kind == "time":
        keys = [(id_of.get(p.worker_code, -1), p.work_date, None) for p in preview.punches]
    else:
        keys = [
            (id_of.get(p.worker_code, -1), p.period_start, p.period_end)
            for p in preview.pay_records
        ]
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
            what = (
                "records for this worker and day are already stored from {file}"
                if preview.kind == "time"
                else "records for this worker and pay period are already stored from {file}"
            )
            preview.problems.append(
                RowProblem.of(preview.file, row, "", Phrase(what, file=earlier_file))
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
    never stored; every one is counted per person and reason on the visit. When more than
    LEFT_OUT_LIMIT (2 %) of the rows would be left out, nothing is stored unless the user
    accepts it; the acceptance is kept with the import. People not on the roster join it.
    The same file imported before is refused unless `replace`."""
    report = progress or (lambda _fraction: None)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        if visit.uuid != preview.visit_uuid:
            raise UserError("{file}: this preview was made for another visit", file=preview.file)
        if preview.needs_acceptance and not accept_rows_with_problems:
            first = preview.errors[0]
            raise UserError(
                "{file}: {rows} of {read} rows ({share}) cannot be read (first: row {row}"
                "{column}: {reason}); nothing was stored — fix the file, or accept leaving "
                "those rows out",
                file=preview.file,
                rows=preview.rows_with_errors,
                read=preview.rows_read,
                share=f"{preview.share_left_out:.1%}",
                row=first.row_number,
                column=f", column {first.column}" if first.column else "",
                reason=first.message,
            )
        if preview.record_count == 0:
            raise UserError("{file}: no records to store", file=preview.file)
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
                "{file} was already imported on {at} ({rows:,} records from {earlier}); "
                "nothing was stored — replace the earlier import to store it again",
                file=preview.file,
                at=f"{earlier.at:%Y-%m-%d %H:%M}",
                rows=earlier.rows,
                earlier=earlier.file,
            )
        lookup = _workers_by_file_code(session, visit)
        before = len({w.id for w in lookup.values()})
        codes = {r.worker_code for r in (preview.punches or preview.pay_records)}
        people = {code: preview.people.get(code, ("", "")) for code in codes}
        people.update(preview.people)
        lookup = join_roster(session, visit, people, lookup)
        joined = len({w.id for w in lookup.values()}) - before
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
        accepted = bool(preview.needs_acceptance and accept_rows_with_problems)
        period = preview.recognition.period if preview.recognition else None
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
                    "rows_read": preview.rows_read,
                    "rows_left_out": preview.rows_with_errors,
                    "accepted": accepted,
                    "left_out": preview.left_out,
                    "joined_roster": joined,
                    "layout": preview.recognition.layout.value if preview.recognition else "",
                    "sheet": preview.recognition.sheet if preview.recognition else "",
                    "period": [period[0].isoformat(), period[1].isoformat()] if period else None,
                },
                ensure_ascii=False,
            ),
        )
        if preview.full_mapping is not None:
            _remember_mapping(session, visit, preview.kind, preview.full_mapping)
        return ImportResult(
            preview.kind,
            preview.file,
            preview.sha256,
            len(rows),
            replaced,
            preview.rows_with_errors,
            joined,
            accepted,
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
        raise UserError(
            "{file}: worker {code} is no longer in the sample; preview again", file=file, code=code
        )
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
            "visit {visit} has no rule set for hours and wages; install one "
            "in forms/rules and plan the visit again",
            visit=short_id(visit.uuid),
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
    session: Session, visit: Visit, sample_only: bool = True
) -> tuple[list[SampledWorker], list[Punch], list[PayRecord]]:
    """The sample's workers and records, or with `sample_only=False` the whole roster's."""
    factory = session.get(Factory, visit.factory_id)
    region = factory.region if factory is not None else ""
    chosen = Worker.visit_id == visit.id
    if sample_only:
        chosen = chosen & Worker.in_sample.is_(True)
    workers = list(session.scalars(select(Worker).where(chosen)))
    code_of = {w.id: w.code for w in workers}
    # Rows straight from the driver (text dates on SQLite), each distinct date and moment
    # parsed once: the same punch times repeat across workers and days.
    query = (
        select(TimeRow.worker_id, TimeRow.work_date, TimeRow.start_at, TimeRow.end_at)
        .join(Worker, Worker.id == TimeRow.worker_id)
        .where(chosen)
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
        select(PayRow).join(Worker, Worker.id == PayRow.worker_id).where(chosen)
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
    """A breach in the UI's (or a report's) language, its period, rule text and citation
    included."""
    return breach.text(language)


def analyse_visit(db: Database, visit_ref: str | int, sample_only: bool = True) -> Analysis:
    """Every hours and wage check of the visit's rule set over the stored records of the
    sample (or, with `sample_only=False`, of everyone on the roster)."""
    with gc_paused():
        with db.session() as session:
            visit = resolve_visit(session, visit_ref)
            rules = visit_rules(session, visit)
            workers, punches, pays = load_records(session, visit, sample_only)
        return analyse(workers, punches, pays, rules)


def records_period(punches: Iterable[Punch]) -> tuple[date, date] | None:
    dates = [p.work_date for p in punches]
    return (min(dates), max(dates)) if dates else None
