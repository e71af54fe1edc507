"""Preview a payroll export (CSV/XLSX): one row per worker and pay period."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from os import PathLike
from pathlib import Path

from ietp_desktop.domain.phrases import Phrase
from ietp_desktop.domain.records import ZERO, PayRecord
from ietp_desktop.importers.mapping import PAY_FIELDS, ColumnMapping, normalise
from ietp_desktop.importers.monthly_grid import month_from_text
from ietp_desktop.importers.preview import (
    ImportPreview,
    ProblemLog,
    RowProblem,
    Table,
    cell,
    open_table,
)
from ietp_desktop.importers.values import (
    CellError,
    is_blank,
    parse_amount,
    parse_date,
    parse_month,
    text,
)

NET_PAY_TOLERANCE = Decimal("1.00")
_AMOUNTS = (
    "overtime_pay",
    "allowances",
    "special_allowances",
    "deductions",
    "damage_deductions",
    "social_insurance",
)


def agreed_pay_date(period_end: date, day_of_month: int) -> date:
    """The agreed pay day in the month after the period (clamped to the month's end)."""
    following = period_end.replace(day=1) + timedelta(days=32)
    return following.replace(day=min(day_of_month, monthrange(following.year, following.month)[1]))


def preview_pay_records(
    path: str | PathLike[str],
    mapping: ColumnMapping | None = None,
    known_worker_codes: set[str] | None = None,
    agreed_pay_day: int | None = None,
    rows: Iterator[tuple[int, list[object]]] | None = None,
    sheet_name: str = "",
) -> ImportPreview[PayRecord]:
    """`agreed_pay_day`: day of the month after each period on which wages are due, when the
    file has no column for it (e.g. 10 for "paid by the 10th of the following month").
    The pay period comes from a column, else the mapping's constant "period", else the
    title (2026年10月份工资表) or the sheet name."""
    table = open_table(
        Path(path),
        PAY_FIELDS,
        mapping,
        (("worker_code",), ("base_pay", "piece_earnings")),
        rows,
    )
    return read_payroll(table, mapping, known_worker_codes, agreed_pay_day, sheet_name)


def read_payroll(
    table: Table,
    mapping: ColumnMapping | None,
    known_worker_codes: set[str] | None,
    agreed_pay_day: int | None,
    sheet_name: str = "",
) -> ImportPreview[PayRecord]:
    preview: ImportPreview[PayRecord] = ImportPreview(
        table.file,
        [],
        table.problems,
        table.mapping,
        table.unmapped,
        table.header_row,
        header_rows=table.header_rows,
        title_rows=table.title_rows,
        headers=table.headers,
    )
    constant = (mapping.constants.get("period") if mapping else None) or None
    period: tuple[date, date] | None = None
    try:
        if constant:
            period = parse_month(constant)
    except CellError as exc:
        table.problems.append(
            RowProblem.of(
                table.file, table.header_row, "", Phrase("mapping: {reason}", reason=exc.phrase)
            )
        )
    if period is None and "period" not in table.columns and "period_start" not in table.columns:
        titles = [text(c) for cells in table.title_rows for c in cells if text(c)]
        period = month_from_text(*titles, sheet_name)
        if period is None:
            table.problems.append(
                RowProblem.of(
                    table.file,
                    table.header_row,
                    "",
                    "no pay period: the file has no period column and none in its title or "
                    'sheet name; give it in a mapping: {"constants": {"period": "2026-10"}}',
                )
            )
    if period is not None:
        table.mapping.constants["period"] = f"{period[0]:%Y-%m}"
    if preview.errors:
        return preview
    log = ProblemLog(table.file, table.problems)
    seen: dict[tuple[str, date, date], tuple[int, PayRecord]] = {}
    code_col, name_col = table.columns["worker_code"], table.columns.get("name")
    dept_col = table.columns.get("department")
    for number, cells in table.body:
        if all(is_blank(c) for c in cells):
            continue
        if _totals_row(cells, code_col, name_col):
            preview.skipped["totals row"] = preview.skipped.get("totals row", 0) + 1
            continue
        preview.rows_read += 1
        code = text(cell(cells, code_col)).lstrip("'")
        log.current = code
        if code and code not in preview.people:
            preview.people[code] = (text(cell(cells, name_col)), text(cell(cells, dept_col)))
        record = _row(table, cells, number, log, known_worker_codes, agreed_pay_day, period)
        if record is None:
            continue
        key = (record.worker_code, record.period_start, record.period_end)
        if key in seen:
            first_row, first = seen[key]
            if first == record:
                log.warning(number, "", Phrase("duplicate of row {row}; ignored", row=first_row))
            else:
                log.error(
                    number,
                    "",
                    Phrase(
                        "a second pay record for {worker} for the same period (first on row {row})",
                        worker=record.worker_code,
                        row=first_row,
                    ),
                )
            continue
        seen[key] = (number, record)
        preview.rows.append(record)
        preview.row_numbers.append(number)
    preview.left_out = log.left_out
    log.sort()
    return preview


_TOTALS = ("合计", "总计", "小计", "total", "subtotal", "sum")


def _totals_row(cells: list[object], code_col: int, name_col: int | None) -> bool:
    """A 合计/总计 row sums the columns; it is not a worker."""
    for index in {0, 1, code_col, name_col if name_col is not None else 0}:
        value = normalise(cell(cells, index))
        if value and any(value.startswith(t) for t in _TOTALS):
            return True
    return False


def _row(
    table: Table,
    cells: list[object],
    number: int,
    log: ProblemLog,
    known: set[str] | None,
    pay_day: int | None,
    period: tuple[date, date] | None = None,
) -> PayRecord | None:
    cols = table.columns

    def value(name: str) -> object:
        return cell(cells, cols.get(name))

    code_column = table.header("worker_code")
    code = text(value("worker_code")).lstrip("'")
    if not code:
        log.error(number, code_column, "no worker code")
        return None
    if known is not None and code not in known:
        log.error(
            number,
            code_column,
            Phrase("worker code {code} is not in the worker sample", code=code),
        )
        return None
    current = "period"
    try:
        if "period" in cols and not is_blank(value("period")):
            start, end = parse_month(value("period"))
        elif period is not None and "period_start" not in cols:
            start, end = period
        else:
            current = "period_start"
            start = parse_date(value("period_start"))
            current = "period_end"
            end = (
                parse_date(value("period_end"))
                if "period_end" in cols
                else parse_month(start.isoformat())[1]
            )
        if end < start:
            log.error(number, table.header("period_end"), "period ends before it starts")
            return None
        amounts: dict[str, Decimal] = {}
        for name in ("base_pay", "piece_earnings", "overtime_hours", *_AMOUNTS, "net_pay"):
            current = name
            if name in cols:
                amount = parse_amount(value(name))
                if amount is not None:
                    if amount < 0 and name != "net_pay":
                        log.error(
                            number,
                            table.header(name),
                            Phrase("negative amount {amount}", amount=amount),
                        )
                        return None
                    amounts[name] = amount
        current = "paid_on"
        paid_on = parse_date(value("paid_on")) if not is_blank(value("paid_on")) else None
        current = "agreed_pay_day"
        agreed = (
            parse_date(value("agreed_pay_day"))
            if not is_blank(value("agreed_pay_day"))
            else agreed_pay_date(end, pay_day)
            if pay_day
            else None
        )
    except CellError as exc:
        log.error(number, table.header(current), exc)
        return None
    piece = amounts.get("piece_earnings")
    base = amounts.get("base_pay", piece)
    if base is None:
        log.error(number, table.header("base_pay"), "no base pay")
        return None
    record = PayRecord(
        worker_code=code,
        period_start=start,
        period_end=end,
        base_pay=base,
        net_pay=amounts.get("net_pay"),
        paid_on=paid_on,
        agreed_pay_day=agreed,
        overtime_hours_paid=amounts.get("overtime_hours"),
        piece_earnings_standard_hours=piece,
        **{name: amounts.get(name, ZERO) for name in _AMOUNTS},
    )
    if record.net_pay is not None:
        items = (
            record.gross_pay
            - record.deductions
            - record.damage_deductions
            - record.social_insurance
        )
        if abs(items - record.net_pay) > NET_PAY_TOLERANCE:
            log.warning(
                number,
                table.header("net_pay"),
                Phrase(
                    "net pay {net} does not match the pay items ({items})",
                    net=f"{record.net_pay:,.2f}",
                    items=f"{items:,.2f}",
                ),
            )
    return record
