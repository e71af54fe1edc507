"""Monthly grids (考勤月报, the terminal's 考勤记录表): a row, or a block of rows, per worker
and a column per day 1…31, each cell holding the day's punches: concatenated (07:5811:58),
or separated by spaces or line breaks. The month comes from the title (考勤时间 2026-10-01 ~
2026-10-31), the sheet name (2026年10月) or the mapping's constant "period"."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime, time

from ietp_desktop.domain.errors import UserError
from ietp_desktop.domain.phrases import Phrase
from ietp_desktop.domain.records import Punch
from ietp_desktop.importers.mapping import TIME_FIELDS, normalise
from ietp_desktop.importers.pairing import Moment
from ietp_desktop.importers.preview import ImportPreview, ProblemLog, blank_row, cell
from ietp_desktop.importers.punch_log import pair_moments_into
from ietp_desktop.importers.values import CellError, ascii_text, parse_month, text

_DAY = re.compile(r"^(\d{1,2})\s*[日号]?(?:\s.*)?$", re.S)
_CLOCK = re.compile(r"(\d{1,2})[:：](\d{2})")
_MONTH_IN_TEXT = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})(?!\d)")
_LABEL = re.compile(r"(工号|考勤号码|编号)\s*[:：]\s*(\S+)")
_NAME_LABEL = re.compile(r"姓名\s*[:：]\s*(\S+)")
_DEPT_LABEL = re.compile(r"部门\s*[:：]\s*(\S+)")
MIN_DAYS = 28


def day_columns(cells: list[object]) -> dict[int, int]:
    """column → day of month, when the row numbers the days 1, 2, 3 … (at least 28)."""
    days: dict[int, int] = {}
    expected = 1
    for index, value in enumerate(cells):
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = int(value) if float(value).is_integer() else -1
        else:
            m = _DAY.match(ascii_text(value))
            number = int(m[1]) if m else -1
        if number == expected:
            days[index] = number
            expected += 1
        elif days and number == -1 and expected > MIN_DAYS:
            break
    return days if len(days) >= MIN_DAYS else {}


def month_from_text(*texts: str) -> tuple[date, date] | None:
    for t in texts:
        m = _MONTH_IN_TEXT.search(ascii_text(t))
        if m and 1 <= int(m[2]) <= 12:
            first = date(int(m[1]), int(m[2]), 1)
            return first, first.replace(day=monthrange(first.year, first.month)[1])
    return None


def find_grid_header(rows: list[tuple[int, list[object]]]) -> tuple[int, dict[int, int]] | None:
    for position, (_, cells) in enumerate(rows):
        days = day_columns(cells)
        if days:
            return position, days
    return None


def read_grid(
    file: str,
    sheet: str,
    rows: list[tuple[int, list[object]]],
    body: object,
    period: tuple[date, date] | None,
    preview: ImportPreview[Punch],
    moments_out: list[Moment] | None = None,
) -> None:
    """`rows`: the first rows (title and header); `body`: the rest, an iterator of rows."""
    found = find_grid_header(rows)
    if found is None:
        raise UserError(
            "{file}, sheet {sheet}: no row numbers the days 1, 2, 3 … in the first rows; "
            "this is not a monthly grid",
            file=file,
            sheet=sheet,
        )
    position, days = found
    header_number, header = rows[position]
    log = ProblemLog(file, preview.problems)
    headers = [text(c) for c in header]
    lookup = {s: f for f, synonyms in TIME_FIELDS.items() for s in synonyms}
    fields: dict[str, int] = {}
    for index, h in enumerate(headers):
        name = lookup.get(normalise(h))
        if name in ("worker_code", "name", "department") and name not in fields:
            fields[name] = index
    if period is None:
        titles = [text(c) for _, cells in rows[:position] for c in cells if text(c)]
        period = month_from_text(*titles, sheet)
    if period is None:
        log.error(
            header_number,
            "",
            "the month of this grid is in neither the title nor the sheet name; give it in a "
            'mapping: {"constants": {"period": "2026-10"}}',
        )
        preview.left_out = log.left_out
        return
    first = period[0]
    last_day = monthrange(first.year, first.month)[1]
    preview.header_row = header_number
    preview.headers = headers
    preview.header_rows = (header_number,)
    preview.mapping.fields = {f: headers[i] for f, i in sorted(fields.items(), key=lambda x: x[1])}
    preview.day_columns = dict(days)
    preview.mapping.constants = {"period": f"{first:%Y-%m}"}
    preview.mapping.layout = "monthly-grid"
    code_col, name_col, dept_col = (
        fields.get("worker_code"),
        fields.get("name"),
        fields.get("department"),
    )
    moments: list[Moment] = []
    current = ""
    rows_read = 0
    people = preview.people
    below = [r for r in rows[position + 1 :]]
    source = iter(below)
    for number, cells in _chain(source, body):
        if blank_row(cells):
            continue
        joined = " ".join(t for t in map(text, cells) if t)  # a label may sit over the days
        label = (
            _LABEL.search(joined) if code_col is None or not text(cell(cells, code_col)) else None
        )
        if label:
            current = label[2]
            named = _NAME_LABEL.search(joined)
            dept = _DEPT_LABEL.search(joined)
            people.setdefault(current, (named[1] if named else "", dept[1] if dept else ""))
            # the label's own cells (it may sit over the day columns) hold no times
            cells = ["" if _LABEL.search(text(c)) else c for c in cells]
        elif code_col is not None and text(cell(cells, code_col)):
            current = text(cell(cells, code_col)).lstrip("'")
            people.setdefault(current, (text(cell(cells, name_col)), text(cell(cells, dept_col))))
        if not any(not _blank(cell(cells, c)) for c in days):
            continue
        rows_read += 1
        log.current = current
        if not current:
            log.error(number, headers[code_col] if code_col is not None else "", "no worker code")
            continue
        found_moments: list[Moment] = []
        bad = False
        for column, day in days.items():
            value = cell(cells, column)
            if _blank(value):
                continue
            try:
                clocks = clock_times(value)
            except CellError as exc:
                log.error(number, headers[column], exc)
                bad = True
                break
            if clocks and day > last_day:
                log.error(
                    number,
                    headers[column],
                    Phrase("times on day {day} of a {days}-day month", day=day, days=last_day),
                )
                bad = True
                break
            work_date = first.replace(day=min(day, last_day))
            for t in clocks:
                found_moments.append(Moment(current, datetime.combine(work_date, t), None, number))
        if not bad:
            moments.extend(found_moments)
    preview.rows_read = rows_read
    if moments_out is not None:  # paired with the other sheets' (one sheet per month)
        moments_out.extend(moments)
        preview.left_out = log.left_out
        return
    pair_moments_into(preview, moments, log)


def _chain(first: object, second: object):  # type: ignore[no-untyped-def]
    yield from first  # type: ignore[misc]
    yield from second  # type: ignore[misc]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clock_times(value: object) -> list[time]:
    """07:5811:58 → [07:58, 11:58]; '07:58 12:01', '07:58\\n12:01'; an Excel time cell.
    Words for leave or rest (休, 请假) hold no time; digits that are not times are an error."""
    if isinstance(value, datetime):
        return [value.time()]
    if isinstance(value, time):
        return [value]
    if isinstance(value, float | int) and not isinstance(value, bool):
        if 0 <= value < 1:
            seconds = round(value * 86400)
            return [time(seconds // 3600 % 24, seconds // 60 % 60)]
        raise CellError("unreadable time {value}", value=repr(text(value)))
    s = ascii_text(value)
    clocks: list[time] = []
    for m in _CLOCK.finditer(s):
        hour, minute = int(m[1]), int(m[2])
        if hour > 23 or minute > 59:
            raise CellError("unreadable time {value}", value=repr(text(value)))
        clocks.append(time(hour, minute))
    rest = _CLOCK.sub(" ", s)
    if any(ch.isdigit() for ch in rest):
        raise CellError("unreadable time {value}", value=repr(text(value)))
    return clocks


def parse_period_constant(value: str) -> tuple[date, date]:
    return parse_month(value)
