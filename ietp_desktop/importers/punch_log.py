"""One row per punch: ZKTeco/中控 exports and the device's attlog.dat, DingTalk 原始记录,
WeCom 上下班打卡明细, Hikvision iVMS events. A date-and-time column, or a date column and a
time column; a direction column (上班/下班, check-in/check-out) when there is one. The
punches are paired into intervals by `pairing`."""

from __future__ import annotations

from datetime import date, datetime, time

from ietp_desktop.domain.phrases import Phrase
from ietp_desktop.domain.records import Punch
from ietp_desktop.importers.pairing import Direction, Moment, pair, read_direction
from ietp_desktop.importers.preview import (
    ImportPreview,
    ProblemLog,
    Table,
    blank_row,
    cell,
    reason_phrase,
)
from ietp_desktop.importers.time_records import memo
from ietp_desktop.importers.values import CellError, parse_date, parse_time, text

_UNSEEN = object()


def read_punch_log(table: Table, moments_out: list[Moment] | None = None) -> ImportPreview[Punch]:
    """With `moments_out`, the punches are added there (to be paired with other sheets')
    and the preview holds no intervals."""
    preview: ImportPreview[Punch] = ImportPreview(
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
    if preview.errors:
        return preview
    log = ProblemLog(table.file, table.problems)
    cols = table.columns
    code_col = cols["worker_code"]
    time_col = cols["time"]
    date_col = cols.get("date")
    direction_col = cols.get("direction")
    name_col, dept_col = cols.get("name"), cols.get("department")
    parse_t = memo(parse_time)
    parse_d = memo(parse_date)
    moments: list[Moment] = []
    people = preview.people
    rows_read = 0
    new_moment = tuple.__new__  # Moment(...) without its Python-level __new__
    codes: dict[object, str] = {}  # cell → worker code, for every distinct cell
    directions: dict[object, Direction | str | None] = {}
    widest = max(c for c in (code_col, time_col, date_col, direction_col) if c is not None) + 1
    for number, cells in table.body:
        if len(cells) < widest:
            if blank_row(cells):
                continue
            cells = [*cells, *([None] * (widest - len(cells)))]
        raw_code = cells[code_col]
        try:
            code = codes[raw_code]
        except KeyError:
            if blank_row(cells):
                continue
            code = codes[raw_code] = text(raw_code).lstrip("'")
        except TypeError:  # an unhashable cell
            code = text(raw_code).lstrip("'")
        rows_read += 1
        log.current = code
        if not code:
            if blank_row(cells):
                rows_read -= 1
                continue
            log.error(number, table.headers[code_col], "no worker code")
            continue
        if code not in people:
            people[code] = (text(cell(cells, name_col)), text(cell(cells, dept_col)))
        try:
            moment = parse_t(cells[time_col])
        except CellError as exc:
            log.error(number, table.headers[time_col], exc)
            continue
        if moment.__class__ is not datetime:
            if date_col is None:
                log.error(
                    number,
                    table.headers[time_col],
                    "a time without a date, and the file has no date column",
                )
                continue
            try:
                day: date = parse_d(cells[date_col])
            except CellError as exc:
                log.error(number, table.headers[date_col], exc)
                continue
            moment = datetime.combine(day, moment if isinstance(moment, time) else time())
        direction: Direction | None = None
        if direction_col is not None:
            raw = cells[direction_col]
            found = directions.get(raw, _UNSEEN)
            if found is _UNSEEN:
                found = directions[raw] = read_direction(raw)
            if isinstance(found, str):
                log.error(
                    number,
                    table.headers[direction_col],
                    Phrase(
                        "unreadable direction {value} (expected 上班/下班, in/out, "
                        "check-in/check-out)",
                        value=repr(found),
                    ),
                )
                continue
            direction = found  # type: ignore[assignment]
        moments.append(new_moment(Moment, (code, moment, direction, number)))
    preview.rows_read = rows_read
    if moments_out is not None:
        moments_out.extend(moments)
        preview.left_out = log.left_out
        log.sort()
        return preview
    _paired_into(preview, moments, log)
    return preview


def _paired_into(preview: ImportPreview[Punch], moments: list[Moment], log: ProblemLog) -> None:
    paired = pair(moments)
    for dropped, kept in paired.duplicates:
        log.warning(
            dropped.row,
            "",
            Phrase("the same punch as row {row} (within a minute); ignored", row=kept.row),
        )
    for moment, reason in paired.unpaired:
        log.warning(
            moment.row,
            "",
            Phrase("{worker}: {reason}", worker=moment.worker_code, reason=reason_phrase(reason)),
        )
    preview.rows = paired.punches
    preview.row_numbers = paired.rows
    preview.left_out = log.left_out
    log.sort()


def pair_moments_into(
    preview: ImportPreview[Punch], moments: list[Moment], log: ProblemLog
) -> None:
    """For other layouts that read moments (the monthly grid)."""
    _paired_into(preview, moments, log)
