"""Import a factory list (CSV in any encoding the records reader knows, or a workbook).

Real lists have a title row above the header, Chinese or English column names, and dates
typed every which way. The header is the first of the top rows that names the IETP id and a
name column. Every row is checked before anything is stored; the first problem refuses the
whole file, naming the file, row and column. Factories already registered are updated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.importers.tables import Row, read_rows
from ietp_desktop.office.accounts.audit import record
from ietp_desktop.office.factories.fields import FactoryFields, FieldProblem, parse_fields
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory

HEADER_SEARCH_ROWS = 10
MAX_FACTORIES = 20_000

# column name as written (lower case, no spaces) → FactoryFields attribute
HEADERS: dict[str, str] = {
    "ietpid": "ietp_id", "ietp编号": "ietp_id", "工厂编号": "ietp_id", "factoryid": "ietp_id",
    "id": "ietp_id",
    "name": "name_en", "nameen": "name_en", "name(en)": "name_en", "englishname": "name_en",
    "factoryname": "name_en", "英文名称": "name_en", "工厂英文名称": "name_en", "英文名": "name_en",
    "namezh": "name_zh", "name(zh)": "name_zh", "name(中文)": "name_zh", "chinesename": "name_zh",
    "中文名称": "name_zh", "工厂名称": "name_zh", "工厂中文名称": "name_zh", "中文名": "name_zh",
    "address": "address", "地址": "address", "工厂地址": "address",
    "city": "city", "城市": "city", "市": "city",
    "region": "region", "province": "region", "地区": "region", "区域": "region",
    "省份": "region", "省": "region",
    "headcount": "headcount", "workers": "headcount", "人数": "headcount",
    "员工人数": "headcount", "工人人数": "headcount",
    "sealissuedate": "seal_issued_on", "sealissued": "seal_issued_on", "seal": "seal_issued_on",
    "sealdate": "seal_issued_on", "证书签发日期": "seal_issued_on", "发证日期": "seal_issued_on",
    "证书日期": "seal_issued_on", "认证日期": "seal_issued_on",
    "contact": "contact_name", "contactname": "contact_name", "联系人": "contact_name",
    "contactemail": "contact_email", "contacte-mail": "contact_email", "email": "contact_email",
    "e-mail": "contact_email", "邮箱": "contact_email", "电子邮件": "contact_email",
    "联系邮箱": "contact_email",
}  # fmt: skip


class RowRefused(UserError):
    """A row of the file that cannot be stored, rendered in the reader's language."""

    def __init__(self, file: str, row: int, column: str, problem: UserError) -> None:
        super().__init__(
            "{file} row {row}, column {column}: {problem}",
            file=file,
            row=row,
            column=column,
            problem=problem,
        )
        self.problem = problem

    def text(self, language: str | None = None) -> str:
        return tr(
            self.message,
            language=language,
            **(self.params | {"problem": self.problem.text(language)}),
        )


@dataclass
class ImportResult:
    file: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def _key(cell: object) -> str:
    return "".join(str(cell or "").split()).lower().replace("（", "(").replace("）", ")")


def _find_header(
    name: str, rows: Iterator[tuple[int, Row]]
) -> tuple[int, dict[int, str], dict[int, str]]:
    """(header row number, column index → attribute, column index → column as written)."""
    for number, cells in rows:
        columns = {i: HEADERS[_key(c)] for i, c in enumerate(cells) if _key(c) in HEADERS}
        wanted = set(columns.values())
        if "ietp_id" in wanted and wanted & {"name_en", "name_zh"}:
            written = {i: f"{_column_letter(i)} ({str(cells[i]).strip()})" for i in columns}
            return number, columns, written
        if number >= HEADER_SEARCH_ROWS:
            break
    raise UserError(
        "{file}: no header row in the first {rows} rows names the IETP id and the factory "
        "name (e.g. 'IETP id', 'Name', or 工厂编号, 工厂名称)",
        file=name,
        rows=HEADER_SEARCH_ROWS,
    )


def read_factory_list(path: Path, name: str | None = None) -> list[FactoryFields]:
    """Every factory of the file, checked; raises RowRefused for the first bad row."""
    name = name or Path(path).name
    rows = read_rows(Path(path))
    header_row, columns, written = _find_header(name, rows)
    found: list[FactoryFields] = []
    seen: dict[str, int] = {}
    heading = {attribute: index for index, attribute in sorted(columns.items(), reverse=True)}
    for number, cells in rows:
        if not any(str(c or "").strip() for c in cells):
            continue  # blank line (or a sheet's trailing rows)
        raw = {a: (cells[i] if i < len(cells) else None) for a, i in heading.items()}
        try:
            fields = parse_fields(raw)
        except FieldProblem as problem:
            index = heading.get(problem.field)
            column = written[index] if index is not None else problem.field
            raise RowRefused(name, number, column, problem) from None
        if fields.ietp_id in seen:
            raise RowRefused(
                name,
                number,
                written[heading["ietp_id"]],
                UserError(
                    "factory {id} is already on row {row} of the file",
                    id=fields.ietp_id,
                    row=seen[fields.ietp_id],
                ),
            )
        seen[fields.ietp_id] = number
        found.append(fields)
        if len(found) > MAX_FACTORIES:
            raise UserError(
                "{file}: more than {count} factories in one list", file=name, count=MAX_FACTORIES
            )
    if not found:
        raise UserError(
            "{file}: no factory below the header on row {row}", file=name, row=header_row
        )
    return found


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def import_factory_list(
    db: Database, path: Path, *, actor: str, remote: str = "", name: str | None = None
) -> ImportResult:
    """Read and check the whole file, then store it in one transaction."""
    name = name or Path(path).name
    factories = read_factory_list(path, name)
    result = ImportResult(name)
    with db.session() as session:
        existing = (
            {
                f.ietp_id: f
                for f in session.scalars(
                    select(Factory).where(Factory.ietp_id.in_([f.ietp_id for f in factories]))
                )
            }
            if len(factories) <= 900
            else {f.ietp_id: f for f in session.scalars(select(Factory))}
        )
        for fields in factories:
            factory = existing.get(fields.ietp_id)
            if factory is None:
                session.add(Factory(**fields.values()))
                result.added.append(fields.ietp_id)
            else:
                for attribute, value in fields.values().items():
                    if getattr(factory, attribute) != value:
                        setattr(factory, attribute, value)
                result.updated.append(fields.ietp_id)
        record(
            session,
            actor,
            "factory.import",
            name,
            f"{len(result.added)} added, {len(result.updated)} updated",
            remote,
        )
    return result
