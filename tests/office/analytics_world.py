"""A small office history with hand-computed analytics: three factories, six received visits,
known root causes, hours and pay of a few workers.

Factories: A-001 Alpha (Shenzhen, Guangdong, 120 workers), B-002 Beta (Dongguan, Guangdong,
450 workers), C-003 Gamma (Ningbo, Zhejiang, 80 workers).

Visits (start date, specialist, non-compliances by root cause):
  V1 A-001 2026-01-15 Lin Mei    production_planning (hours), record_keeping (wages)
  V2 A-001 2026-04-20 Lin Mei    production_planning (hours); observation health_safety
  V3 B-002 2026-02-10 Zhang Wei  health_safety_awareness (ehs); transparency record_keeping
  V4 B-002 2026-05-12 Zhang Wei  health_safety_awareness (ehs)
  V5 C-003 2026-03-03 Lin Mei    production_planning (hours)
  V6 C-003 2026-07-07 Zhang Wei  none
Recurrences: A-001 production_planning (V1→V2), B-002 health_safety_awareness (V3→V4).
Training ranking (factories, recurrences): production_planning (2, 1), record_keeping (2, 0),
health_safety_awareness (1, 1).

Hours and pay (carried by V2, records of March 2026; Shenzhen minimum wage 2,520 CNY from
2025-03-01 in the shipped rule set; limits 60 h a week, 8 h a day, 36 h overtime a month, at
most 6 consecutive days):
  W01 sample     7 × 10 h from Mon 2 March (70 h), then 2 × 10 h: above 60 h, 9 days in a row
                 (no rest day in 7), overtime 9 × 2 = 18 h; base pay 2,000 (below the minimum)
  W02 sample     5 × 8 h (40 h): nothing; base pay 2,600
  W03 workforce  6 × 11 h, 6 × 11 h, 1 × 9 h: above 60 h, runs of 6 days, overtime 37 h (above
                 the cap); base pay 2,600
Sample (W01, W02): 50 % above 60 h, 0 % above the cap, 50 % without rest, 50 % below minimum.
Whole workforce (W01–W03): 66.7 %, 33.3 %, 33.3 %, 33.3 %.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import (
    CorrectiveAction,
    Factory,
    Finding,
    FormDefinition,
    PayRecord,
    RemediationRecord,
    TimeRecord,
    Visit,
    Worker,
)

FORM_SHA = "a" * 64

FACTORIES = (
    ("A-001", "Alpha Toys", "阿尔法玩具", "Shenzhen", "Guangdong", 120, date(2025, 11, 1)),
    ("B-002", "Beta Plastics", "贝塔塑胶", "Dongguan", "Guangdong", 450, date(2025, 12, 1)),
    ("C-003", "Gamma Crafts", "伽马工艺", "Ningbo", "Zhejiang", 80, date(2026, 1, 10)),
)

# (name, factory, start, specialist, outcome, [(classification, category, root cause)])
VISITS = (
    (
        "V1",
        "A-001",
        date(2026, 1, 15),
        "Lin Mei",
        "maintained_cap_required",
        [
            ("standard_nc", "working_hours", "production_planning"),
            ("standard_nc", "wages_benefits", "record_keeping"),
        ],
    ),
    (
        "V2",
        "A-001",
        date(2026, 4, 20),
        "Lin Mei",
        "maintained_cap_required",
        [
            ("standard_nc", "working_hours", "production_planning"),
            ("observation", "ehs", "health_safety_awareness"),
        ],
    ),
    (
        "V3",
        "B-002",
        date(2026, 2, 10),
        "Zhang Wei",
        "status_review_transparency",
        [
            ("standard_nc", "ehs", "health_safety_awareness"),
            ("transparency", "transparency", "record_keeping"),
        ],
    ),
    (
        "V4",
        "B-002",
        date(2026, 5, 12),
        "Zhang Wei",
        "maintained_cap_required",
        [("standard_nc", "ehs", "health_safety_awareness")],
    ),
    (
        "V5",
        "C-003",
        date(2026, 3, 3),
        "Lin Mei",
        "maintained_cap_required",
        [("standard_nc", "working_hours", "production_planning")],
    ),
    ("V6", "C-003", date(2026, 7, 7), "Zhang Wei", "maintained", []),
)


def add_history(db: Database) -> dict[str, int]:
    """Insert the history; returns visit name → database id."""
    ids: dict[str, int] = {}
    findings_of: dict[tuple[str, int], int] = {}
    with db.session() as session:
        if session.get(FormDefinition, FORM_SHA) is None:
            session.add(FormDefinition(sha256=FORM_SHA, form_id="pv", version="1", content="{}"))
        factories: dict[str, Factory] = {}
        for ietp, en, zh, city, region, headcount, seal in FACTORIES:
            factory = Factory(
                ietp_id=ietp,
                name_en=en,
                name_zh=zh,
                city=city,
                region=region,
                headcount=headcount,
                seal_issued_on=seal,
            )
            session.add(factory)
            factories[ietp] = factory
        session.flush()
        for name, ietp, start, specialist, outcome, findings in VISITS:
            visit = Visit(
                uuid=str(uuidlib.uuid4()),
                factory_id=factories[ietp].id,
                form_sha256=FORM_SHA,
                status="signed",
                visit_start=start,
                visit_end=start + timedelta(days=1),
                specialist_name=specialist,
                specialist_email=specialist.lower().replace(" ", ".") + "@example.org",
                outcome_recommended=outcome,
                received_at=datetime.combine(start + timedelta(days=5), datetime.min.time(), UTC),
            )
            session.add(visit)
            session.flush()
            ids[name] = visit.id
            for index, (classification, category, cause) in enumerate(findings, start=1):
                finding = Finding(
                    visit_id=visit.id,
                    code=f"F{index:02d}",
                    title=f"{name} finding {index}",
                    classification=classification,
                    category=category,
                    root_cause=cause,
                )
                session.add(finding)
                session.flush()
                findings_of[(name, index)] = finding.id
        _add_cap_lines(session, ids, findings_of)
        _add_records(session, ids["V2"])
    return ids


def _add_cap_lines(
    session: Session, ids: dict[str, int], findings_of: dict[tuple[str, int], int]
) -> None:
    """V1: one line closed with its last record 30 days after the visit's last day
    (16 Jan → 15 Feb), one still open and past due; V3: one line closed without a record."""
    closed = CorrectiveAction(
        finding_id=findings_of[("V1", 1)], visit_id=ids["V1"], status="closed"
    )
    still_open = CorrectiveAction(
        finding_id=findings_of[("V1", 2)],
        visit_id=ids["V1"],
        status="open",
        due_date=date(2026, 2, 15),
    )
    undated = CorrectiveAction(
        finding_id=findings_of[("V3", 1)], visit_id=ids["V3"], status="closed"
    )
    session.add_all([closed, still_open, undated])
    session.flush()
    for received_on in (date(2026, 2, 1), date(2026, 2, 15)):
        session.add(
            RemediationRecord(
                corrective_action_id=closed.id, visit_id=ids["V1"], received_on=received_on
            )
        )


def _days(worker: Worker, first: date, count: int, hours: int) -> list[TimeRecord]:
    records = []
    for offset in range(count):
        day = first + timedelta(days=offset)
        start = datetime(day.year, day.month, day.day, 8, 0)
        records.append(
            TimeRecord(
                worker_id=worker.id,
                work_date=day,
                start_at=start,
                end_at=start + timedelta(hours=hours),
            )
        )
    return records


def _add_records(session: Session, visit_id: int) -> None:
    w1 = Worker(visit_id=visit_id, code="W01", region="CN-GD-Shenzhen", in_sample=True)
    w2 = Worker(visit_id=visit_id, code="W02", region="CN-GD-Shenzhen", in_sample=True)
    w3 = Worker(visit_id=visit_id, code="W03", region="CN-GD-Shenzhen", in_sample=False)
    session.add_all([w1, w2, w3])
    session.flush()
    monday = date(2026, 3, 2)
    session.add_all(_days(w1, monday, 7, 10))  # 70 h, no rest day, 14 h overtime
    session.add_all(_days(w1, monday + timedelta(days=7), 2, 10))  # +4 h overtime
    session.add_all(_days(w2, monday, 5, 8))  # 40 h
    session.add_all(_days(w3, monday, 6, 11))  # 66 h, 18 h overtime
    session.add_all(_days(w3, monday + timedelta(days=7), 6, 11))  # +18 h: 36 h, at the cap
    session.add_all(_days(w3, monday + timedelta(days=14), 1, 9))  # +1 h: 37 h, above the cap
    for worker, base in ((w1, "2000"), (w2, "2600"), (w3, "2600")):
        session.add(
            PayRecord(
                worker_id=worker.id,
                period_start=date(2026, 3, 1),
                period_end=date(2026, 3, 31),
                base_pay=Decimal(base),
            )
        )
