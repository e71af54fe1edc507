"""Read the time and pay files a factory sends for a wage or hours CAP line with the laptop's
records importer, exactly as the factory's systems export them.

Which kind a file holds (attendance or payroll) is found by trying both; a file the importer
cannot read without the mapping the office remembered for the factory, or with more than 2 %
of its rows left out, needs the reviewer's confirmation, as on the laptop. A file over the
size limit, a file that holds no records, records dated before the visit or a title naming
another company are refused with the file and row.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.phrases import Phrase
from ietp_desktop.domain.records import PayRecord, Punch
from ietp_desktop.importers.mapping import ColumnMapping, mapping_from_dict
from ietp_desktop.importers.preview import RowProblem
from ietp_desktop.importers.recognition import RecordsRead, read_records

Kind = Literal["time", "pay"]
MAX_RECORDS_BYTES = 40 << 20
MAX_RECORDS_FILES = 12
MAX_NAME = 200
LEFT_OUT = "rows-left-out"
REMEMBERED = "remembered-mapping"
GIVEN = "given-mapping"
MAX_MAPPING = 20_000

# media types kept with the evidence, by what the importer read
MEDIA = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    ".xls": "application/vnd.ms-excel",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
}


@dataclass(frozen=True)
class FactoryNames:
    ietp_id: str
    name_en: str
    name_zh: str


@dataclass
class ReadFile:
    """One uploaded file as the importer understood it; nothing of it is stored yet."""

    filename: str
    sha256: str
    content: bytes
    kind: Kind
    recognition: tuple[Phrase, ...]  # what was understood (file, sheet, layout, columns …)
    summary: tuple[Phrase, ...]  # rows read, left out, per person
    punches: list[Punch]
    pays: list[PayRecord]
    people: dict[str, tuple[str, str]]
    problems: list[RowProblem]  # rows left out (errors)
    rows_read: int
    confirm: tuple[str, ...]  # why the reviewer must confirm: LEFT_OUT, REMEMBERED, GIVEN
    mapping: ColumnMapping
    mapping_used: str = ""  # "", GIVEN or REMEMBERED

    @property
    def media_type(self) -> str:
        return MEDIA.get(Path(self.filename).suffix.lower(), "text/plain")

    @property
    def records(self) -> int:
        return len(self.punches) if self.kind == "time" else len(self.pays)


def safe_name(filename: str) -> str:
    base = Path(filename.replace("\\", "/")).name
    kept = "".join(c for c in base if c.isalnum() or c in " ._-()").strip(" .")
    return kept[:MAX_NAME] or "records"


def given_mappings(text: str) -> dict[str, ColumnMapping]:
    """The reviewer's column mapping (the laptop's mapping file, docs/records-import.md), as
    a mapping for each kind of records whose fields it names."""
    from ietp_desktop.services.hours.records import known_fields

    text = text.strip()
    if not text:
        return {}
    if len(text) > MAX_MAPPING:
        raise UserError("the column mapping is longer than {limit} characters", limit=MAX_MAPPING)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            "the column mapping is not JSON: {reason} (line {line}, column {column})",
            reason=exc.msg,
            line=exc.lineno,
            column=exc.colno,
        ) from None
    layout = data.get("layout") if isinstance(data, dict) else None
    found: dict[str, ColumnMapping] = {}
    refusal: UserError | None = None
    kinds: tuple[Kind, Kind] = ("time", "pay")
    for kind in kinds:
        if kind == "time" and layout == "payroll":
            continue
        if kind == "pay" and layout not in (None, "payroll"):
            continue
        try:
            found[kind] = mapping_from_dict(
                data, known_fields(kind, layout if isinstance(layout, str) else None)
            )
        except UserError as exc:
            refusal = refusal or exc
    if not found:
        assert refusal is not None
        raise refusal
    return found


def read_upload(
    filename: str,
    content: bytes,
    *,
    visit_start: date,
    factory: FactoryNames,
    remembered: dict[str, ColumnMapping],
    given: dict[str, ColumnMapping] | None = None,
) -> ReadFile:
    """`remembered`: kind → the mapping the office remembered for the factory; `given`: the
    reviewer's mapping for this upload. Either is used only for a file that cannot be read
    without it, and then needs the reviewer's confirmation."""
    name = safe_name(filename)
    if len(content) > MAX_RECORDS_BYTES:
        raise UserError(
            "{file} is {size:,} bytes; a records file is at most {limit:,}; nothing was stored",
            file=name,
            size=len(content),
            limit=MAX_RECORDS_BYTES,
        )
    with tempfile.TemporaryDirectory(prefix="ietp-records-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        kind, read, used = _read_either(path, name, given or {}, remembered)
    _refuse_other_factory(name, read, factory)
    punches: list[Punch] = list(read.records) if kind == "time" else []
    pays: list[PayRecord] = list(read.records) if kind == "pay" else []
    _refuse_dates_before(name, read, punches, pays, visit_start)
    confirm: list[str] = []
    if read.needs_acceptance:
        confirm.append(LEFT_OUT)
    if used:
        confirm.append(used)
    return ReadFile(
        filename=name,
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        kind=kind,
        recognition=tuple(read.recognition.lines()),
        summary=tuple(read.summary_lines()),
        punches=punches,
        pays=pays,
        people=dict(read.people),
        problems=list(read.errors),
        rows_read=read.rows_read,
        confirm=tuple(confirm),
        mapping=read.mapping,
        mapping_used=used,
    )


def _attempt(
    path: Path, kind: Kind, mapping: ColumnMapping | None
) -> tuple[RecordsRead[Any] | None, str]:
    """The file read as `kind`, or None and why not."""
    try:
        read = read_records(path, kind, mapping)
    except UserError as exc:
        return None, exc.text()
    if not read.records:
        first = read.errors[0] if read.errors else None
        return None, str(first) if first else "no records in it"
    return read, ""


def _read_either(
    path: Path,
    name: str,
    given: dict[str, ColumnMapping],
    remembered: dict[str, ColumnMapping],
) -> tuple[Kind, RecordsRead[Any], str]:
    kinds: tuple[Kind, Kind] = ("time", "pay")
    why: dict[str, str] = {}
    for kind in kinds:
        read, why[kind] = _attempt(path, kind, None)
        if read is not None:
            return kind, read, ""
    for source, mappings in ((GIVEN, given), (REMEMBERED, remembered)):
        for kind in kinds:
            mapping = mappings.get(kind)
            if mapping is None:
                continue
            read, reason = _attempt(path, kind, mapping)
            if read is not None:
                return kind, read, source
            if source == GIVEN:
                why[kind] = f"with the column mapping given: {reason}"
    if why["time"] == why["pay"]:  # an unreadable file says so the same way for both
        raise UserError("{reason}; nothing was stored", reason=why["time"])
    raise UserError(
        "{file} holds neither attendance nor payroll records the importer recognises "
        "(as attendance: {time}; as payroll: {pay}); nothing was stored",
        file=name,
        time=why["time"],
        pay=why["pay"],
    )


def _refuse_dates_before(
    name: str,
    read: RecordsRead[Any],
    punches: Sequence[Punch],
    pays: Sequence[PayRecord],
    visit_start: date,
) -> None:
    rows = read.parsed.row_numbers
    dates = [p.work_date for p in punches] or [p.period_start for p in pays]
    early = [i for i, d in enumerate(dates) if d < visit_start]
    if not early:
        return
    first = min(early, key=lambda i: dates[i])
    raise UserError(
        "{file}, row {row}: records of {date}, before the visit ({visit}); {count} record(s) "
        "are from before it. Only records made after the visit show whether the breach was "
        "corrected: send those. Nothing was stored",
        file=name,
        row=rows[first] if first < len(rows) else "?",
        date=dates[first].isoformat(),
        visit=visit_start.isoformat(),
        count=len(early),
    )


_COMPANY_ZH = re.compile(r"([\u4e00-\u9fff]{2,30}?(?:有限公司|公司|工厂|厂))")
_COMPANY_EN = re.compile(
    r"([A-Z][A-Za-z&.'\- ]{1,60}?(?:Co\.,? ?Ltd\.?|Ltd\.?|Limited|Company|Factory))"
)
_ZH_PLACES = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}省)?(?:[\u4e00-\u9fff]{2,3}市)?")
_ZH_SUFFIXES = ("有限公司", "公司", "制品厂", "工厂", "厂")


def _core_zh(name: str) -> str:
    core = _ZH_PLACES.sub("", name.strip())
    for suffix in _ZH_SUFFIXES:
        if core.endswith(suffix):
            return core[: -len(suffix)]
    return core


def _refuse_other_factory(name: str, read: RecordsRead[Any], factory: FactoryNames) -> None:
    """A payroll's or attendance report's title often names the company: when it names one
    that is not this factory, the records are of another factory."""
    titles = [
        (row, " ".join(str(c) for c in cells if c not in (None, "")))
        for row, cells in enumerate(read.parsed.title_rows, start=1)
    ]
    own_zh = _core_zh(factory.name_zh)
    own_en = [w.lower() for w in re.findall(r"[A-Za-z]{3,}", factory.name_en)[:1]]
    for row, text in titles:
        for found in _COMPANY_ZH.findall(text):
            core = _core_zh(found)
            if own_zh and core and (own_zh in found or core in factory.name_zh):
                continue
            _other(name, row, found, factory)
        for found in _COMPANY_EN.findall(text):
            if own_en and own_en[0] in found.lower():
                continue
            _other(name, row, found.strip(), factory)


def _other(name: str, row: int, company: str, factory: FactoryNames) -> None:
    raise UserError(
        "{file}, row {row}: the title names {company}, not factory {factory} ({name}); records "
        "of another company are no evidence for this line. Nothing was stored",
        file=name,
        row=row,
        company=company,
        factory=factory.ietp_id,
        name=factory.name_zh or factory.name_en,
    )
