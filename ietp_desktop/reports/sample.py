"""A realistic visit to print without a database: used by tests, the benchmark and demos."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFilter

from ietp_desktop.reports.model import (
    CapFormData,
    HoursLimits,
    OutcomeDriver,
    PreparationLetterData,
    RemediationRecord,
    ReportAttendee,
    ReportBestPractice,
    ReportCapLine,
    ReportData,
    ReportFactory,
    ReportFeeNote,
    ReportFinding,
    ReportItem,
    ReportOutcome,
    ReportPhoto,
    ReportQuestion,
    ReportSection,
    ReportSignature,
    ReportVisit,
    ReportWorker,
    ReportWorkersAnalysis,
    WeeklyHours,
)

FACTORY = ReportFactory(
    ietp_id="IETP-CN-00417",
    name_en="Dongguan Hongda Toys Co., Ltd.",
    name_zh="东莞市宏达玩具有限公司",
    address="88 Industrial Road, Changping Town",
    city="Dongguan, Guangdong",
)
VISIT_UUID = "5f1c2a9e-3b7d-4e21-9a0c-7d2f6b1e8c44"
WORKER_NAMES = ("Li Xiaoming", "Wang Fang", "Zhang Wei", "Chen Jing", "Liu Yang")


def photo_bytes(width: int, height: int, seed: int, *, fmt: str = "JPEG", label: str = "") -> bytes:
    """A photo-like image (gradient, shapes, mild noise) so JPEG sizes are realistic."""
    rnd = random.Random(seed)
    small = Image.new("RGB", (64, 48))
    draw = ImageDraw.Draw(small)
    top = (rnd.randrange(80, 200), rnd.randrange(80, 200), rnd.randrange(80, 200))
    for y in range(48):
        shade = tuple(max(0, c - y * 2) for c in top)
        draw.line([(0, y), (63, y)], fill=shade)
    for _ in range(8):
        x, y = rnd.randrange(64), rnd.randrange(48)
        colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        draw.rectangle([x, y, x + rnd.randrange(4, 20), y + rnd.randrange(4, 16)], fill=colour)
    img = small.resize((width, height), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    img = Image.blend(img, noise, 0.12).filter(ImageFilter.SMOOTH)
    if label:
        ImageDraw.Draw(img).text((width // 20, height // 20), label, fill="white")
    out = io.BytesIO()
    img.save(out, fmt, quality=90)
    return out.getvalue()


def signature_png(text_seed: int) -> bytes:
    """A drawn-looking signature stroke on a transparent background."""
    rnd = random.Random(text_seed)
    img = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    points = [(30 + i * 18, 100 + rnd.randint(-55, 55)) for i in range(30)]
    draw.line(points, fill=(20, 40, 120, 255), width=6, joint="curve")
    draw.line([(40, 165), (560, 150)], fill=(20, 40, 120, 255), width=4)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _worker(index: int, weeks: int, rnd: random.Random) -> ReportWorker:
    code = f"W{index + 1:02d}"
    base = rnd.choice([44.0, 52.0, 58.0, 63.0])
    series = tuple(
        WeeklyHours(week=f"W{(9 + w) % 52 + 1:02d}", hours=round(base + rnd.uniform(-6, 9), 1))
        for w in range(weeks)
    )
    peak = max(s.hours for s in series)
    over = [s for s in series if s.hours > 60]
    breaches = tuple(
        f"Week {s.week}: {s.hours:g} h exceeds the programme limit of 60 h" for s in over[:3]
    )
    if index % 3 == 1:
        breaches += (
            "March: pay for standard hours CNY 1,650 below the Dongguan minimum CNY 1,720",
        )
    return ReportWorker(
        code=code,
        figures={
            "Max weekly hours": f"{peak:g}",
            "Average weekly hours": f"{sum(s.hours for s in series) / len(series):.1f}",
            "Max consecutive days": str(rnd.choice([6, 7, 11, 13])),
            "Monthly overtime (max)": f"{rnd.choice([34, 48, 72, 96])} h",
        },
        breaches=breaches,
        weekly_hours=series,
        name=WORKER_NAMES[index % len(WORKER_NAMES)] + (f" {index}" if index >= 5 else ""),
    )


def sample_report_data(
    *,
    workers: int = 3,
    photos: Sequence[bytes] | None = None,
    weeks: int = 12,
    revision: int = 2,
) -> ReportData:
    """A complete visit: Chinese notes, three findings (one zero tolerance), CAP, photos,
    worker analysis, Q&A, fee note and two drawn signatures."""
    rnd = random.Random(7)
    if photos is None:
        photos = [photo_bytes(1200, 900, 1, label="P01"), photo_bytes(900, 1200, 2, label="P02")]
    visit_day = date(2024, 3, 12)
    sections = (
        ReportSection(
            "1",
            "Audit process",
            "审核过程",
            (
                ReportItem(
                    "1.1",
                    "1.1",
                    "Were all requested records provided?",
                    "是否提供了所有要求的记录？",
                    "No",
                    "工资记录与考勤记录不一致，三月份的打卡数据缺失。",
                    ("F02",),
                ),
                ReportItem(
                    "1.2",
                    "1.2",
                    "Any interference with worker interviews?",
                    "是否有干扰工人访谈的情况？",
                    "None observed",
                    "",
                ),
            ),
        ),
        ReportSection(
            "3",
            "Employment practices",
            "雇佣行为",
            (
                ReportItem(
                    "3.1",
                    "3.2",
                    "Youngest worker's age verified from ID copies",
                    "根据身份证复印件核实最年轻工人的年龄",
                    "15 years 8 months",
                    "包装车间发现一名未满16周岁的工人。",
                    ("F01",),
                    ("P01",),
                ),
                ReportItem(
                    "3.2",
                    "3.3",
                    "Written contracts within one month of hiring",
                    "入职一个月内签订书面合同",
                    "Yes",
                    "Sample of 12 contracts checked.",
                ),
            ),
        ),
        ReportSection(
            "5",
            "Working hours",
            "工作时间",
            (
                ReportItem(
                    "5.1",
                    "5.1",
                    "Weekly hours within the programme limit (60 h)",
                    "每周工时不超过项目上限（60小时）",
                    "Exceeded in 9 of 12 weeks",
                    "旺季期间每周工作时间最高达72小时。",
                    ("F03",),
                ),
                ReportItem(
                    "5.2", "5.2", "At least one rest day in seven", "每七天至少休息一天", "", ""
                ),
            ),
        ),
        ReportSection(
            "12",
            "Fire and emergency",
            "消防与应急",
            (
                ReportItem(
                    "12.3",
                    "12.3",
                    "Exits unobstructed and marked",
                    "安全出口畅通且有标识",
                    "Yes",
                    "Fire drill held 2024-02-20.",
                    (),
                    ("P02",),
                ),
            ),
        ),
    )
    findings = (
        ReportFinding(
            "F01",
            "zero_tolerance",
            "other",
            "Recruitment agency did not verify original ID documents.",
            "One worker in packing aged 15 years 8 months (under 16).",
            ("3.1",),
            ("P01",),
        ),
        ReportFinding(
            "F02",
            "transparency",
            "transparency",
            "HR kept a second set of attendance records for customers.",
            "Payroll hours do not match punch-card records for March; 考勤记录缺失。",
            ("1.1",),
        ),
        ReportFinding(
            "F03",
            "standard_nc",
            "working_hours",
            "Peak-season orders accepted without capacity planning.",
            "Weekly hours above 60 h in 9 of 12 sampled weeks.",
            ("5.1",),
        ),
    )
    cap_lines = (
        ReportCapLine(
            "F01",
            "Remove the worker from work, keep paying wages, arrange schooling.",
            "Verify original IDs at hiring; train HR.",
            "HR Manager 王丽",
            visit_day + timedelta(days=7),
            "open",
        ),
        ReportCapLine(
            "F02",
            "Hand over the complete attendance data for March.",
            "One attendance system; monthly reconciliation signed by the GM.",
            "Finance Manager",
            visit_day + timedelta(days=30),
            "remediation received",
            (RemediationRecord(date(2024, 4, 2), "March attendance export (全月打卡记录)"),),
        ),
        ReportCapLine(
            "F03",
            "Limit weekly hours to 60 from next week.",
            "Capacity planning before accepting orders.",
            "Production Director",
            visit_day + timedelta(days=60),
            "open",
        ),
    )
    return ReportData(
        factory=FACTORY,
        visit=ReportVisit(
            uuid=VISIT_UUID,
            revision=revision,
            revision_reason=(
                "Photo of fire exit replaced; CAP due date corrected" if revision > 1 else None
            ),
            status="completed",
            planned_date=date(2024, 3, 5),
            confirmed_date=visit_day,
            visit_dates=(visit_day, visit_day + timedelta(days=1)),
            man_days=Decimal("2"),
            specialist_name="Anna Berger",
            specialist_email="anna.berger@example.org",
            form_id="pv-checklist",
            form_version="2024.1",
        ),
        outcome=ReportOutcome(
            recommended="Termination (zero tolerance) — referred to IETP",
            final="Termination (zero tolerance) — referred to IETP",
            override_reason=None,
            drivers=(
                OutcomeDriver(("F01",), "Zero-tolerance finding confirmed: underage worker"),
                OutcomeDriver(("F02",), "Record inconsistency from lack of transparency"),
            ),
            tone="severe",
        ),
        attendees=(
            ReportAttendee("陈志强 Chen Zhiqiang", "General Manager 总经理", True, True, True),
            ReportAttendee("王丽 Wang Li", "HR Manager", False, True, True),
            ReportAttendee("Zhao Min", "Compliance Officer", False, True, False),
        ),
        sections=sections,
        findings=findings,
        cap_lines=cap_lines,
        photos=tuple(
            ReportPhoto(
                ref=f"P{i + 1:02d}",
                caption=(
                    "Packing line, worker ID checked 包装车间"
                    if i == 0
                    else "Fire exit, ground floor"
                    if i == 1
                    else f"Workshop view {i + 1}"
                ),
                image=data,
                item_ids=("3.1",) if i == 0 else ("12.3",) if i == 1 else (),
                finding_codes=("F01",) if i == 0 else (),
            )
            for i, data in enumerate(photos)
        ),
        workers=ReportWorkersAnalysis(
            period="2023-04 .. 2024-03",
            workforce=420,
            workers=tuple(_worker(i, weeks, rnd) for i in range(workers)),
            limits=HoursLimits(40, 49, 60),
            summary="旺季加班严重；Peak-season hours above the programme limit for most workers.",
        ),
        questions=(
            ReportQuestion(
                "Can overtime be averaged over a quarter?",
                "Only with an approved comprehensive working-hours permit (综合工时制批复).",
                "factory",
                "Factory to send the permit if it has one.",
            ),
            ReportQuestion(
                "宿舍是否需要单独的消防验收？",
                "Yes, dormitories need their own fire acceptance certificate.",
                "Chen Zhiqiang (GM)",
            ),
        ),
        best_practices=(
            ReportBestPractice("12.3", "Monthly fire drills with night shift included."),
            ReportBestPractice("", "工人委员会每月开会，会议记录张贴在食堂。"),
        ),
        fee=ReportFeeNote(
            man_days=Decimal("2"),
            day_rate=Decimal("850"),
            currency="USD",
            uncapped_total=Decimal("1700"),
            capped_total=Decimal("1500"),
            cap=Decimal("1500"),
            cap_applied=True,
            invoice_received_on=date(2024, 3, 18),
            due_on=date(2024, 4, 8),
        ),
        signatures=(
            ReportSignature(
                "Specialist", "Anna Berger", signature_png(1), datetime(2024, 3, 13, 17, 5)
            ),
            ReportSignature(
                "Senior manager",
                "陈志强 Chen Zhiqiang",
                signature_png(2),
                datetime(2024, 3, 13, 17, 9),
            ),
        ),
        generated_at=datetime(2024, 3, 13, 18, 0),
    )


def sample_letter_data() -> PreparationLetterData:
    return PreparationLetterData(
        factory=FACTORY,
        letter_date=date(2024, 2, 26),
        confirmed_date=date(2024, 3, 12),
        visit_days=2,
        specialist_name="Anna Berger",
        specialist_email="anna.berger@example.org",
        specialist_phone="+86 138 0000 0000",
        contact_name="陈志强 Chen Zhiqiang",
        extra_records=("Dormitory fire acceptance certificate 宿舍消防验收合格证",),
        visit_uuid=VISIT_UUID,
    )


def sample_cap_form_data() -> CapFormData:
    data = sample_report_data()
    return CapFormData(
        factory=data.factory,
        visit_uuid=data.visit.uuid,
        revision=data.visit.revision,
        visit_dates=data.visit.visit_dates,
        findings=data.findings,
        cap_lines=data.cap_lines,
        return_by=date(2024, 4, 12),
        specialist_name=data.visit.specialist_name,
        specialist_email=data.visit.specialist_email,
    )
