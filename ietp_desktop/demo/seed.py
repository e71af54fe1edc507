"""Realistic demo data: Guangdong factories and visits in every lifecycle state.

Everything goes through the same services a specialist uses, so the demo exercises the
real rules (gates, outcome engine, audit trail).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from ietp_desktop.demo.records import answers_from_records, seed_demo_records
from ietp_desktop.domain.checklist import (
    AnswerValue,
    Form,
    Item,
    is_noncompliant,
    validate_answer,
    visible_items,
)
from ietp_desktop.domain.errors import UserError
from ietp_desktop.reports.sample import signature_png
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.hours import proposals
from ietp_desktop.services.outcome import cap, findings
from ietp_desktop.services.visits import answers, attendees, factories, lifecycle, qa, signatures
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import FormDefinition

DEMO_SPECIALIST = "Lin Mei (林梅)"
DEMO_SPECIALIST_EMAIL = "lin.mei@pv-specialists.example"

FACTORIES = (
    factories.FactoryInput(
        ietp_id="IETP-GD-10231",
        name_en="Dongguan Hongda Toys Co., Ltd.",
        name_zh="东莞市宏达玩具有限公司",
        address="东莞市常平镇工业大道18号 / 18 Industrial Ave, Changping",
        city="Dongguan",
        region="CN-GD-Dongguan",
        headcount=640,
        contact_name="Chen Wei (陈伟)",
        contact_email="chen.wei@hongda-toys.example",
    ),
    factories.FactoryInput(
        ietp_id="IETP-GD-20417",
        name_en="Shenzhen Starbright Plastic Toys Ltd.",
        name_zh="深圳星辉塑胶玩具有限公司",
        address="深圳市宝安区沙井街道新和大道66号",
        city="Shenzhen",
        region="CN-GD-Shenzhen",
        headcount=1150,
        contact_name="Liu Fang (刘芳)",
        contact_email="hr@starbright.example",
    ),
    factories.FactoryInput(
        ietp_id="IETP-GD-30952",
        name_en="Guangzhou Panyu Happy Kids Manufacturing",
        name_zh="广州番禺乐童制品厂",
        address="广州市番禺区石碁镇金山大道东3号",
        city="Guangzhou",
        region="CN-GD-Guangzhou",
        headcount=380,
        contact_name="Huang Jun (黄军)",
        contact_email="admin@happykids.example",
    ),
    factories.FactoryInput(
        ietp_id="IETP-GD-41108",
        name_en="Zhongshan Sunrise Wooden Toys Factory",
        name_zh="中山市旭日木制玩具厂",
        address="中山市小榄镇工业区北路9号",
        city="Zhongshan",
        region="CN-GD-Zhongshan",
        headcount=210,
        contact_name="Zhou Li (周丽)",
        contact_email="zhouli@sunrise-wood.example",
    ),
    factories.FactoryInput(
        ietp_id="IETP-GD-52376",
        name_en="Foshan Nanhai Bright Future Plush Co.",
        name_zh="佛山市南海明天毛绒玩具有限公司",
        address="佛山市南海区里水镇和顺工业园",
        city="Foshan",
        region="CN-GD-Foshan",
        headcount=455,
        contact_name="Wu Hao (吴浩)",
        contact_email="wuhao@brightfuture.example",
    ),
)


def sign_closing(db: Database, uuid: str) -> None:
    """The specialist and the senior manager sign at the closing meeting (completion needs
    both saved signatures)."""
    signatures.save_signature(db, uuid, "specialist", DEMO_SPECIALIST, signature_png(3))
    signatures.save_signature(
        db, uuid, "factory", SENIOR.name, signature_png(5), signer_role=SENIOR.role
    )


SENIOR = attendees.AttendeeInput("Chen Wei (陈伟)", "General Manager / 总经理", True, True, True)
HR = attendees.AttendeeInput("Zhang Min (张敏)", "HR Manager / 人事经理", False, True, True)


@dataclass
class DemoResult:
    data_dir: Path
    factories: int
    visits: dict[str, str] = field(default_factory=dict)  # label → visit uuid


# Plausible figures for the number items of the shipped checklist.
DEMO_NUMBERS: dict[str, float] = {
    "OM-06": 640,
    "TR-06": 25,
    "WH-03": 58,
    "WH-04": 34,
    "WH-05": 10.5,
    "WH-07": 6,
    "WG-02": 2500,  # v1 only: Guangzhou, from 2025-03-01
    "WG-03": 2650,
    "WG-10": 100,
    "EM-04": 3,
    "EH-14": 2,
}


def _compliant_value(item: Item, visit_day: date) -> AnswerValue:
    """A value that passes validation and is not non-compliant, for demo answers."""
    candidates: list[AnswerValue]
    if item.choice_values():
        values = item.choice_values()
        candidates = [[values[0]]] if item.type == "multi_choice" else list(values)
    elif item.type == "number":
        low, high = item.min or 0.0, item.max if item.max is not None else 100.0
        candidates = [float(round(low + (high - low) * f)) for f in (0.1, 0.3, 0.5, 0.0)]
        if item.id in DEMO_NUMBERS:
            candidates.insert(0, DEMO_NUMBERS[item.id])
    elif item.type == "date":
        candidates = [(visit_day - timedelta(days=d)).isoformat() for d in (30, 90, 5, 0)]
    else:
        candidates = ["Reviewed with HR; records consistent. 已与人事核对，记录一致。"]
    for value in candidates:
        if validate_answer(item, value) is None and not is_noncompliant(item, {item.id: value}):
            return value
    return candidates[0]


def answer_everything(
    db: Database,
    visit_ref: str,
    form: Form,
    visit_day: date,
    overrides: Mapping[str, AnswerValue] | None = None,
    notes: Mapping[str, str] | None = None,
    stop_after: int | None = None,
) -> None:
    """Answer every visible item (compliantly unless overridden) until nothing is left; items
    derived from elsewhere (attendees, CAP, rule set) are never typed."""
    overrides, notes = overrides or {}, notes or {}
    given: dict[str, AnswerValue] = {}
    count = 0
    while True:
        pending = [i for i in visible_items(form, given) if i.id not in given and not i.derived]
        if not pending:
            return
        for item in pending:
            value = overrides.get(item.id, _compliant_value(item, visit_day))
            answers.record_answer(db, visit_ref, item.id, value, notes.get(item.id))
            given[item.id] = value
            count += 1
            if stop_after is not None and count >= stop_after:
                return
        if all(i.id in given or i.derived for i in visible_items(form, given)):
            return


def _first_item(form: Form, predicate: Callable[[Item], bool]) -> Item:
    return next(i for i in form.items() if predicate(i))


def seed_demo_visits(data_dir: Path, today: date | None = None) -> DemoResult:
    """Factories and visits in every lifecycle state; `demo.build` adds the identity and office."""
    today = today or date.today()
    db = open_workspace(data_dir, actor="demo")
    if factories.list_factories(db):
        raise UserError(
            "{data_dir} already holds data; choose an empty folder for the demo", data_dir=data_dir
        )
    made = []
    for offset, data in zip((75, 100, 140, 80, 170), FACTORIES, strict=True):
        seal = today - timedelta(days=offset)
        made.append(
            factories.add_factory(
                db, factories.FactoryInput(**{**data.__dict__, "seal_issued_on": seal})
            )
        )
    with db.session() as session:
        form = definitions.form_by_sha(session, definitions.latest_form_sha(session))
        # One completed visit stays on checklist v1, as a visit started before v2 shipped.
        form_v1_sha = session.scalars(
            select(FormDefinition.sha256).where(
                FormDefinition.form_id == form.form_id, FormDefinition.version == "1"
            )
        ).one()
        form_v1 = definitions.form_by_sha(session, form_v1_sha)
    result = DemoResult(data_dir, len(made))

    def plan(factory_index: int, label: str, days_ago: int, form_sha256: str | None = None) -> str:
        factory = made[factory_index]
        when = today - timedelta(days=days_ago)
        planned = lifecycle.plan_visit(
            db,
            factory.ietp_id,
            when,
            specialist_name=DEMO_SPECIALIST,
            specialist_email=DEMO_SPECIALIST_EMAIL,
            man_days=Decimal("1.5"),
            form_sha256=form_sha256,
        )
        lifecycle.set_visit_fields(db, planned.uuid, day_rate_usd=Decimal("850"))
        result.visits[label] = planned.uuid
        return planned.uuid

    def run(uuid: str, days_ago: int) -> date:
        day = today - timedelta(days=days_ago)
        lifecycle.confirm_visit(db, uuid, day, day - timedelta(days=14))
        lifecycle.start_visit(db, uuid, day)
        attendees.add_attendee(db, uuid, SENIOR)
        attendees.add_attendee(db, uuid, HR)
        sign_closing(db, uuid)
        return day

    # Completed on checklist v1, no finding: certificate maintained. v1 still asks what v2
    # reads from elsewhere (senior manager present, CAP due date, report language, wage).
    uuid = plan(2, "completed-clean", 20, form_sha256=form_v1_sha)
    day = run(uuid, 20)
    answer_everything(db, uuid, form_v1, day, overrides={"CM-06": None, "CM-07": "both"})
    qa.add_qa(
        db,
        uuid,
        "How should we plan overtime for the Christmas peak? 圣诞旺季加班应如何安排？",
        "Plan staffing from the order forecast; keep within 36 h/month. "
        "按订单预测安排人手，每月加班不超过36小时。",
        "factory",
        follow_up=False,
    )
    lifecycle.complete_visit(db, uuid, day)

    # Completed with standard non-compliances found in the records and on the floor: CAP.
    uuid = plan(0, "completed-cap", 12)
    day = run(uuid, 12)
    seed_demo_records(db, uuid, day)
    answer_everything(
        db,
        uuid,
        form,
        day,
        overrides={**answers_from_records(db, uuid), "EH-02": "partial"},
        notes={
            "WH-03": "Assembly line, peak season: 7 days a week, 08:00–20:00. "
            "装配线旺季：每周7天，08:00–20:00。",
            "EH-02": "East exit of warehouse B blocked by cartons. B仓东侧出口被纸箱堵塞。",
        },
    )
    for proposal in proposals.proposed_findings(db, uuid)[:3]:
        proposals.accept_proposal(db, uuid, proposal)
    fire_exit = findings.add_finding(
        db,
        uuid,
        findings.FindingInput(
            classification="standard_nc",
            category="ehs",
            root_cause="health_safety_awareness",
            title="Fire exit partially blocked in warehouse",
            description="Cartons stored in front of the east exit of warehouse B.",
            title_zh="仓库安全出口部分堵塞",
            description_zh="B仓东侧安全出口前堆放纸箱。",
            item_ids=("EH-02",),
        ),
    )
    lifecycle.complete_visit(db, uuid, day)
    for line in cap.list_cap_lines(db, uuid):
        planning = line.finding_code != fire_exit.code
        cap.update_cap_line(
            db,
            uuid,
            line.finding_code,
            cap.CapChanges(
                corrective_action=(
                    "Hire 12 seasonal workers for the assembly line; cap overtime at 36 h/month. "
                    "旺季为装配线增聘12名季节工；每月加班不超过36小时。"
                    if planning
                    else "Clear the east exit and mark a no-storage zone. "
                    "清理东侧出口并划定禁放区。"
                ),
                preventive_action=(
                    "Monthly capacity review with sales before accepting peak orders. "
                    "接单前每月与销售评审产能。"
                    if planning
                    else "Daily exit check by the EHS officer. 安全主任每日检查出口。"
                ),
                responsible="Chen Wei (陈伟), General Manager"
                if planning
                else "Zhao Gang (赵刚), EHS",
                status="in_progress" if planning else "closed",
            ),
        )
    cap.agree_cap(db, uuid, SENIOR.name, day)

    # Completed with a zero-tolerance finding: termination referral.
    uuid = plan(1, "completed-zero-tolerance", 8)
    day = run(uuid, 8)
    answer_everything(db, uuid, form, day)
    findings.add_finding(
        db,
        uuid,
        findings.FindingInput(
            classification="zero_tolerance",
            category="transparency",
            root_cause="management_system",
            title="Second set of attendance records found",
            description="A second attendance ledger for the moulding workshop was found in the "
            "office, with hours that differ from the records presented.",
            title_zh="发现第二套考勤记录",
            description_zh="在办公室发现注塑车间的第二套考勤记录，与提供的记录工时不一致。",
        ),
    )
    lifecycle.complete_visit(db, uuid, day)

    # In progress: partly answered; the records are in and their proposals wait for review.
    uuid = plan(3, "in-progress", 0)
    day = run(uuid, 0)
    answer_everything(db, uuid, form, day, stop_after=18)
    seed_demo_records(db, uuid, day)

    # Confirmed, planned, refused.
    uuid = plan(4, "confirmed", -6)
    lifecycle.confirm_visit(db, uuid, today + timedelta(days=6), today - timedelta(days=1))
    plan(1, "planned", -30)
    uuid = plan(2, "refused", 45)
    lifecycle.confirm_visit(db, uuid, today - timedelta(days=45), today - timedelta(days=60))
    lifecycle.refuse_visit(
        db,
        uuid,
        "General manager refused entry at the gate; said the factory was too busy. "
        "总经理在门口拒绝入场，称工厂太忙。",
    )
    db.dispose()
    return result
