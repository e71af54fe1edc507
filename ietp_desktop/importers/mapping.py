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
    "deductions": ("扣款", "其他扣款", "代扣款", "deduction", "deductions", "otherdeductions"),
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
    """field → header text as written in the file."""

    fields: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.fields, ensure_ascii=False, indent=2)


def load_mapping(path: Path, known_fields: dict[str, tuple[str, ...]]) -> ColumnMapping:
    """A mapping file: {"field": "header", ...} (optionally under a "fields" key)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path.name}: cannot read the column mapping: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("fields"), dict):
        data = data["fields"]
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise UserError(f"{path.name}: a column mapping is an object of field: column header")
    unknown = sorted(set(data) - set(known_fields))
    if unknown:
        raise UserError(
            f"{path.name}: unknown field {unknown[0]!r} in the column mapping "
            f"(fields: {', '.join(known_fields)})"
        )
    return ColumnMapping(dict(data))


def recognise(headers: list[object], known: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """field → column index for the headers recognised (first match wins)."""
    lookup = {synonym: name for name, synonyms in known.items() for synonym in synonyms}
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = lookup.get(normalise(header))
        if name and name not in found:
            found[name] = index
    return found


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
