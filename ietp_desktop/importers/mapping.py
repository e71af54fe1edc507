"""Which column holds which field: recognised from English and Chinese headers, or given
in a JSON mapping file {"worker_code": "Emp No", "date": "Day", ...}."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ietp_desktop.domain.errors import UserError

HEADER_SEARCH_ROWS = 30


def normalise(header: object) -> str:
    s = str(header or "").strip().lower()
    return re.sub(r"[\s_:：()（）\[\]【】#.\-/]+", "", s)


_COMMON: dict[str, tuple[str, ...]] = {
    "worker_code": (
        "工号",
        "员工编号",
        "员工工号",
        "职员编号",
        "编号",
        "人员编号",
        "员工号",
        "employeeid",
        "employeeno",
        "employeecode",
        "empno",
        "empid",
        "workercode",
        "workerid",
        "staffid",
        "staffno",
        "考勤号码",
        "考勤号",
        "登记号码",
        "账号",
        "acno",
        "userid",
        "personid",
        "code",
        "id",
        "no",
    ),
    "name": ("姓名", "员工姓名", "name", "employeename", "workername"),
    "department": ("部门", "所属部门", "车间", "department", "dept"),
}

TIME_FIELDS: dict[str, tuple[str, ...]] = {
    **_COMMON,
    "date": (
        "日期",
        "考勤日期",
        "出勤日期",
        "工作日期",
        "打卡日期",
        "date",
        "workdate",
        "attendancedate",
        "day",
    ),
}
for _k in range(1, 5):
    _n = str(_k)
    TIME_FIELDS[f"in_{_k}"] = (
        f"上班{_n}",
        f"上班{_n}打卡时间",
        f"签到{_n}",
        f"上班时间{_n}",
        f"上班打卡{_n}",
        f"in{_n}",
        f"clockin{_n}",
        f"timein{_n}",
        f"start{_n}",
    )
    TIME_FIELDS[f"out_{_k}"] = (
        f"下班{_n}",
        f"下班{_n}打卡时间",
        f"签退{_n}",
        f"下班时间{_n}",
        f"下班打卡{_n}",
        f"out{_n}",
        f"clockout{_n}",
        f"timeout{_n}",
        f"end{_n}",
    )
TIME_FIELDS["in_1"] += (
    "上班",
    "签到",
    "上班时间",
    "上班打卡",
    "签到时间",
    "in",
    "clockin",
    "timein",
    "start",
    "starttime",
)
TIME_FIELDS["out_1"] += (
    "下班",
    "签退",
    "下班时间",
    "下班打卡",
    "签退时间",
    "out",
    "clockout",
    "timeout",
    "end",
    "endtime",
)

# One row per punch: a date-and-time column, or a date column and a time column, and
# perhaps the direction (上班/下班, check-in/check-out).
PUNCH_FIELDS: dict[str, tuple[str, ...]] = {
    **_COMMON,
    "date": TIME_FIELDS["date"],
    "time": (
        "打卡时间",
        "考勤时间",
        "刷卡时间",
        "签到时间",
        "日期时间",
        "时间",
        "time",
        "datetime",
        "punchtime",
        "checktime",
        "clocktime",
        "attendancetime",
        "eventtime",
        "timestamp",
    ),
    "direction": (
        "打卡类型",
        "考勤状态",
        "签到类型",
        "进出方向",
        "方向",
        "出入类型",
        "状态",
        "direction",
        "inout",
        "checktype",
        "punchtype",
        "attendancestatus",
        "status",
    ),
}

PAY_FIELDS: dict[str, tuple[str, ...]] = {
    **_COMMON,
    "period": (
        "月份",
        "工资月份",
        "计薪月份",
        "所属月份",
        "薪资月份",
        "期间",
        "period",
        "month",
        "payperiod",
        "paymonth",
    ),
    "period_start": ("开始日期", "起始日期", "periodstart", "from", "startdate"),
    "period_end": ("结束日期", "截止日期", "periodend", "to", "enddate"),
    "base_pay": (
        "基本工资",
        "底薪",
        "基本薪资",
        "正常工资",
        "计时工资",
        "应发基本工资",
        "basepay",
        "basicpay",
        "basicsalary",
        "basesalary",
        "basicwage",
    ),
    "overtime_hours": ("加班时数", "加班小时", "加班工时", "加班时间", "overtimehours", "othours"),
    "overtime_pay": ("加班费", "加班工资", "overtimepay", "otpay", "overtime"),
    "allowances": ("津贴", "补贴", "全勤奖", "奖金", "allowance", "allowances", "bonus"),
    "special_allowances": (
        "夜班津贴",
        "夜班补贴",
        "高温津贴",
        "高温补贴",
        "中班津贴",
        "特殊津贴",
        "specialallowance",
        "specialallowances",
        "nightshiftallowance",
        "hightemperatureallowance",
    ),
    "deductions": (
        "扣款",
        "其他扣款",
        "代扣款",
        "个税",
        "个人所得税",
        "代扣个税",
        "incometax",
        "deduction",
        "deductions",
        "otherdeductions",
    ),
    "damage_deductions": (
        "赔偿扣款",
        "损坏赔偿",
        "赔偿",
        "损耗扣款",
        "damagededuction",
        "damagedeductions",
        "damage",
    ),
    "social_insurance": (
        "社保",
        "社保个人",
        "个人社保",
        "社会保险",
        "社保扣款",
        "socialinsurance",
        "si",
    ),
    "net_pay": (
        "实发工资",
        "实发",
        "实发金额",
        "实领工资",
        "netpay",
        "netwage",
        "net",
        "netsalary",
    ),
    "paid_on": (
        "发薪日期",
        "发放日期",
        "支付日期",
        "发薪日",
        "paidon",
        "paydate",
        "paymentdate",
        "datepaid",
    ),
    "agreed_pay_day": ("约定发薪日", "约定发薪日期", "agreedpayday", "duedate"),
    "piece_earnings": (
        "计件工资",
        "计件收入",
        "计件金额",
        "pieceearnings",
        "piecerate",
        "piecerateearnings",
        "piecewages",
    ),
}


@dataclass
class ColumnMapping:
    """field → header text as written in the file (two header rows joined by '/':
    "应发工资/基本工资"), and optionally every other choice the recognition makes: the
    layout, the sheet, the header rows (1-based) and constant values for fields the file
    does not hold (e.g. {"period": "2026-10"})."""

    fields: dict[str, str] = field(default_factory=dict)
    layout: str | None = None
    sheet: str | None = None
    header_rows: tuple[int, ...] = ()
    constants: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {}
        if self.layout:
            data["layout"] = self.layout
        if self.sheet:
            data["sheet"] = self.sheet
        if self.header_rows:
            data["header_rows"] = list(self.header_rows)
        data["fields"] = dict(self.fields)
        if self.constants:
            data["constants"] = dict(self.constants)
        return data

    def to_json(self) -> str:
        if not (self.layout or self.sheet or self.header_rows or self.constants):
            return json.dumps(self.fields, ensure_ascii=False, indent=2)
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


LAYOUT_NAMES = ("worker-day", "daily-statistics", "punch-log", "monthly-grid", "payroll")


def load_mapping(path: Path, known_fields: dict[str, tuple[str, ...]]) -> ColumnMapping:
    """A mapping file: {"field": "header", ...}, or an object with "fields" and optionally
    "layout", "sheet", "header_rows" and "constants"."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(
            "{path}: cannot read the column mapping: {reason}", path=path.name, reason=exc
        ) from None
    return mapping_from_dict(data, known_fields, path.name)


def mapping_from_dict(
    data: object, known_fields: dict[str, tuple[str, ...]], name: str = "mapping"
) -> ColumnMapping:
    extra: dict[str, object] = {}
    if isinstance(data, dict) and isinstance(data.get("fields"), dict):
        extra = {k: v for k, v in data.items() if k != "fields"}
        data = data["fields"]
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise UserError("{name}: a column mapping is an object of field: column header", name=name)
    known = set(known_fields) | (set(PUNCH_FIELDS) if "in_1" in known_fields else set())
    constants = extra.pop("constants", {}) or {}
    if not isinstance(constants, dict) or not all(isinstance(v, str) for v in constants.values()):
        raise UserError('{name}: "constants" is an object of field: value', name=name)
    unknown = sorted((set(data) | set(constants)) - known)
    if unknown:
        raise UserError(
            "{name}: unknown field {unknown!r} in the column mapping (fields: {names})",
            name=name,
            unknown=unknown[0],
            names=", ".join(known_fields),
        )
    layout = extra.pop("layout", None)
    if layout is not None and layout not in LAYOUT_NAMES:
        raise UserError(
            "{name}: unknown layout {layout!r} (layouts: {names})",
            name=name,
            layout=layout,
            names=", ".join(LAYOUT_NAMES),
        )
    sheet = extra.pop("sheet", None)
    rows = extra.pop("header_rows", []) or []
    if not isinstance(rows, list) or not all(isinstance(r, int) and r > 0 for r in rows):
        raise UserError('{name}: "header_rows" is a list of row numbers, e.g. [3, 4]', name=name)
    if sheet is not None and not isinstance(sheet, str):
        raise UserError('{name}: "sheet" is a sheet name', name=name)
    if extra:
        raise UserError(
            "{name}: unknown key {keys!r} (keys: layout, sheet, header_rows, fields, constants)",
            name=name,
            keys=sorted(extra)[0],
        )
    return ColumnMapping(
        dict(data),
        layout=layout if isinstance(layout, str) else None,
        sheet=sheet,
        header_rows=tuple(rows),
        constants=dict(constants),
    )


def recognise(headers: list[object], known: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """field → column index for the headers recognised (first match wins)."""
    lookup = {synonym: name for name, synonyms in known.items() for synonym in synonyms}
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = lookup.get(normalise(header))
        if name and name not in found:
            found[name] = index
    return found


@dataclass(frozen=True)
class Header:
    """The header of a table: one row, or two when a merged group heads several columns
    (应发工资 over 基本工资/加班费/全勤奖); `texts` are the column headers, two rows joined
    by '/' ("应发工资/基本工资")."""

    positions: tuple[int, ...]  # indexes into the rows searched
    texts: list[str]
    columns: dict[str, int]  # field → column index, recognised
    score: int


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def join_headers(top: list[object], sub: list[object]) -> list[str]:
    """Column headers of a two-row header. A group title spreads over the blank cells to its
    right (a CSV of a merged header keeps it in the first column only)."""
    width = max(len(top), len(sub))
    texts: list[str] = []
    group = ""
    for i in range(width):
        t = _cell_text(top[i]) if i < len(top) else ""
        b = _cell_text(sub[i]) if i < len(sub) else ""
        if t:
            group = t
        elif b and group:
            t = group
        if not b or b == t:
            texts.append(t)
            if not b:
                group = t
        elif not t:
            texts.append(b)
        else:
            texts.append(f"{t}/{b}")
    return texts


def recognise_texts(texts: list[str], known: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """field → column for headers, a two-row header by its lower part first, then its
    upper part, then both together."""
    lookup = {synonym: name for name, synonyms in known.items() for synonym in synonyms}
    found: dict[str, int] = {}
    for index, header in enumerate(texts):
        parts = header.split("/") if "/" in header else [header]
        candidates = [parts[-1], *parts[:-1], header] if len(parts) > 1 else [header]
        for candidate in candidates:
            name = lookup.get(normalise(candidate))
            if name and name not in found:
                found[name] = index
                break
    return found


def override_matches(texts: list[str], wanted: str) -> int | None:
    """The column an override names: by its full header ("应发工资/基本工资"), or by one
    part of a two-row header when only one column has it."""
    target = normalise(wanted)
    for index, header in enumerate(texts):
        if header and normalise(header) == target:
            return index
    partial = [
        i
        for i, header in enumerate(texts)
        if "/" in header and target in {normalise(p) for p in header.split("/")}
    ]
    return partial[0] if len(partial) == 1 else None


def find_header_rows(
    rows: list[tuple[int, list[object]]],
    known: dict[str, tuple[str, ...]],
    override: ColumnMapping | None,
) -> Header | None:
    """The one or two rows that look most like the header. Row numbers given in the
    override are taken as they are."""
    if override and override.header_rows:
        by_number = {number: position for position, (number, _) in enumerate(rows)}
        positions = tuple(by_number[n] for n in override.header_rows if n in by_number)
        if len(positions) != len(override.header_rows) or len(positions) > 2:
            return None
        parts = [rows[p][1] for p in positions]
        texts = (
            join_headers(parts[0], parts[1])
            if len(parts) == 2
            else [_cell_text(c) for c in parts[0]]
        )
        return Header(positions, texts, recognise_texts(texts, known), 0)
    wanted = list(override.fields.values()) if override else []
    best: Header | None = None
    limit = min(len(rows), HEADER_SEARCH_ROWS)
    for position in range(limit):
        cells = rows[position][1]
        texts = [_cell_text(c) for c in cells]
        candidate = _scored((position,), texts, known, wanted)
        if position + 1 < len(rows):
            joined = join_headers(cells, rows[position + 1][1])
            double = _scored((position, position + 1), joined, known, wanted)
            lower = _scored(
                (position + 1,), [_cell_text(c) for c in rows[position + 1][1]], known, wanted
            )
            # two rows only when the upper one is a header itself (not a title) with groups
            # over the lower one, and the lower one holds headers (not data)
            groups = {t for t in texts if t}
            if (
                double.score > candidate.score
                and double.score >= lower.score
                and candidate.score >= 1
                and len(groups) >= 2
            ):
                candidate = double
        if candidate.score >= 2 and (best is None or candidate.score > best.score):
            best = candidate
    return best


def _scored(
    positions: tuple[int, ...],
    texts: list[str],
    known: dict[str, tuple[str, ...]],
    wanted: list[str],
) -> Header:
    columns = recognise_texts(texts, known)
    score = len(columns) + sum(1 for w in wanted if override_matches(texts, w) is not None)
    return Header(positions, texts, columns, score)


def find_header(
    rows: list[tuple[int, list[object]]],
    known: dict[str, tuple[str, ...]],
    override: ColumnMapping | None,
) -> tuple[int, int] | None:
    """(position in `rows`, score) of the row that looks most like the header: the most cells
    that are known headers or the override's headers; title rows and blank lines above it
    are skipped."""
    wanted = {normalise(h) for h in (override.fields.values() if override else ())}
    best: tuple[int, int] | None = None
    for position, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        recognised = recognise(cells, known)
        score = len(recognised) + sum(1 for c in cells if c is not None and normalise(c) in wanted)
        if score >= 2 and (best is None or score > best[1]):
            best = (position, score)
    return best
