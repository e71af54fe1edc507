"""The worker sample of a visit: who is sampled (W01, W02 …), and how the sample covers the
factory's departments, genders and local / migrant workers."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, ValidationFailed
from ietp_desktop.domain.records import Origin, WageType
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.visits.refs import require_editable, resolve_visit, short_id
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory, PayRecord, TimeRecord, Visit, Worker

GENDERS = ("female", "male")
_GENDER_WORDS = {
    "f": "female",
    "female": "female",
    "女": "female",
    "m": "male",
    "male": "male",
    "男": "male",
}
_ORIGIN_WORDS = {
    "local": "local",
    "本地": "local",
    "migrant": "migrant",
    "外地": "migrant",
    "外来": "migrant",
    "外省": "migrant",
}
_WAGE_WORDS = {
    "monthly": "monthly",
    "月薪": "monthly",
    "hourly": "hourly",
    "计时": "hourly",
    "piece": "piece",
    "piece_rate": "piece",
    "计件": "piece",
}


@dataclass(frozen=True)
class WorkerInput:
    code: str = ""  # empty: the next free code, W01, W02 …
    name: str = ""  # personal data: optional, never printed in reports
    employee_no: str = ""  # the number in the factory's files (工号); else the code is used
    department: str = ""
    gender: str = ""  # female | male | ""
    origin: str = ""  # local | migrant | ""
    hire_date: date | None = None
    wage_type: str = WageType.MONTHLY.value
    base_rate: Decimal | None = None  # monthly wage, or hourly rate for hourly workers
    region: str = ""  # minimum-wage region; empty: the factory's


@dataclass(frozen=True)
class WorkerView:
    id: int
    code: str
    name: str
    employee_no: str
    department: str
    gender: str
    origin: str
    hire_date: date | None
    wage_type: str
    base_rate: Decimal | None
    region: str  # as used: the worker's own, else the factory's
    region_is_factory_default: bool
    time_records: int = 0
    pay_records: int = 0

    @property
    def file_code(self) -> str:
        """How the factory's files name this worker."""
        return self.employee_no or self.code


@dataclass(frozen=True)
class CoverageGap:
    """Something the sample does not cover; `template` is English, tr(template, **params)."""

    template: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.template.format(**self.params)


@dataclass(frozen=True)
class SampleCoverage:
    headcount: int | None
    suggested: int
    sampled: int
    departments: dict[str, int]
    genders: dict[str, int]  # female / male / "" (not recorded)
    origins: dict[str, int]  # local / migrant / ""
    gaps: tuple[CoverageGap, ...]


def suggest_sample_size(headcount: int | None) -> int:
    """About √headcount workers (social-audit practice), at least one for any workforce."""
    if not headcount or headcount <= 0:
        return 0
    return min(headcount, math.ceil(math.sqrt(headcount)))


def _choice(value: str, words: dict[str, str], what: str, problems: list[str]) -> str:
    text = value.strip()
    if not text:
        return ""
    found = words.get(text.lower())
    if found is None:
        problems.append(f"{what} {text!r} is not one of {', '.join(sorted(set(words.values())))}")
        return text
    return found


def _clean(session: Session, visit: Visit, data: WorkerInput, label: str) -> WorkerInput:
    problems: list[str] = []
    gender = _choice(data.gender, _GENDER_WORDS, "gender", problems)
    origin = _choice(data.origin, _ORIGIN_WORDS, "origin", problems)
    wage_type = _choice(data.wage_type or "monthly", _WAGE_WORDS, "wage type", problems)
    if data.base_rate is not None and data.base_rate < 0:
        problems.append(f"base rate {data.base_rate} is negative")
    code = data.code.strip().upper()
    if code and (len(code) > 20 or not code.isalnum()):
        problems.append(f"code {data.code!r} must be letters and digits (e.g. W01), at most 20")
    region = data.region.strip()
    if region and visit.rule_set_sha256:
        known = definitions.rules_by_sha(session, visit.rule_set_sha256).regions
        if region not in known:
            problems.append(
                f"region {region!r} has no minimum wage in the visit's rule set "
                f"(regions: {', '.join(sorted(known))})"
            )
    if data.hire_date is not None and data.hire_date > date.today():
        problems.append(f"hire date {data.hire_date.isoformat()} is in the future")
    if problems:
        raise ValidationFailed(f"{label}: " + "; ".join(problems), problems)
    return WorkerInput(
        code=code,
        name=data.name.strip(),
        employee_no=data.employee_no.strip(),
        department=data.department.strip(),
        gender=gender,
        origin=origin,
        hire_date=data.hire_date,
        wage_type=wage_type,
        base_rate=data.base_rate,
        region=region,
    )


def _next_code(session: Session, visit_id: int) -> str:
    codes = session.scalars(select(Worker.code).where(Worker.visit_id == visit_id))
    numbers = [int(c[1:]) for c in codes if c.upper().startswith("W") and c[1:].isdigit()]
    return f"W{max(numbers, default=0) + 1:02d}"


def _factory_region(session: Session, visit: Visit) -> str:
    factory = session.get(Factory, visit.factory_id)
    return factory.region if factory is not None else ""


def _view(worker: Worker, factory_region: str, counts: tuple[int, int] = (0, 0)) -> WorkerView:
    return WorkerView(
        id=worker.id,
        code=worker.code,
        name=worker.name,
        employee_no=worker.employee_no,
        department=worker.department,
        gender=worker.gender,
        origin=worker.origin,
        hire_date=worker.hire_date,
        wage_type=worker.wage_type,
        base_rate=worker.base_rate,
        region=worker.region or factory_region,
        region_is_factory_default=not worker.region,
        time_records=counts[0],
        pay_records=counts[1],
    )


def _check_unique(session: Session, visit: Visit, data: WorkerInput, own_id: int | None) -> None:
    label = f"visit {short_id(visit.uuid)}"
    for other in session.scalars(select(Worker).where(Worker.visit_id == visit.id)):
        if other.id == own_id:
            continue
        if other.code == data.code:
            raise ValidationFailed(
                "{label}: the sample already has a worker {code}", label=label, code=data.code
            )
        if data.employee_no and data.employee_no == other.employee_no:
            raise ValidationFailed(
                "{label}: employee number {employee_no} is already {code}",
                label=label,
                employee_no=data.employee_no,
                code=other.code,
            )


def add_worker(db: Database, visit_ref: str | int, data: WorkerInput) -> WorkerView:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        clean = _clean(session, visit, data, f"visit {short_id(visit.uuid)}, new worker")
        if not clean.code:
            clean = WorkerInput(**{**clean.__dict__, "code": _next_code(session, visit.id)})
        on_roster = (
            session.scalars(
                select(Worker).where(
                    Worker.visit_id == visit.id,
                    Worker.employee_no == clean.employee_no,
                    Worker.in_sample.is_(False),
                )
            ).first()
            if clean.employee_no
            else None
        )
        if on_roster is not None:  # already read from a file: sample them, keep their records
            on_roster.in_sample = True
            _check_unique(session, visit, clean, on_roster.id)
            for name, value in clean.__dict__.items():
                if value not in ("", None) and getattr(on_roster, name) != value:
                    setattr(on_roster, name, value)
            session.flush()
            return _view(on_roster, _factory_region(session, visit))
        _check_unique(session, visit, clean, None)
        worker = Worker(visit_id=visit.id, **clean.__dict__)
        session.add(worker)
        session.flush()
        return _view(worker, _factory_region(session, visit))


def resolve_worker(session: Session, visit: Visit, ref: str | int) -> Worker:
    text = str(ref).strip()
    query = select(Worker).where(Worker.visit_id == visit.id)
    worker = session.scalars(query.where(Worker.code == text.upper())).first()
    if worker is None and text.isdigit():
        worker = session.scalars(query.where(Worker.id == int(text))).first()
    if worker is None:
        raise NotFound(
            "visit {visit} has no sampled worker {text!r}", visit=short_id(visit.uuid), text=text
        )
    return worker


def update_worker(
    db: Database, visit_ref: str | int, worker_ref: str | int, data: WorkerInput
) -> WorkerView:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        worker = resolve_worker(session, visit, worker_ref)
        clean = _clean(session, visit, data, f"visit {short_id(visit.uuid)}, {worker.code}")
        if not clean.code:
            clean = WorkerInput(**{**clean.__dict__, "code": worker.code})
        _check_unique(session, visit, clean, worker.id)
        for name, value in clean.__dict__.items():
            if getattr(worker, name) != value:
                setattr(worker, name, value)
        session.flush()
        return _view(worker, _factory_region(session, visit))


def remove_worker(db: Database, visit_ref: str | int, worker_ref: str | int) -> None:
    """Removes the worker and, with them, their time and pay records."""
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        session.delete(resolve_worker(session, visit, worker_ref))


def list_workers(db: Database, visit_ref: str | int) -> list[WorkerView]:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        return workers_of(session, visit)


def workers_of(session: Session, visit: Visit) -> list[WorkerView]:
    """The sample (the roster's other people are listed by roster.list_roster)."""
    region = _factory_region(session, visit)
    rows = list(
        session.scalars(
            select(Worker).where(Worker.visit_id == visit.id, Worker.in_sample.is_(True))
        )
    )
    ids = [w.id for w in rows]
    times: dict[int, int] = {
        worker_id: n
        for worker_id, n in session.execute(
            select(TimeRecord.worker_id, func.count())
            .where(TimeRecord.worker_id.in_(ids))
            .group_by(TimeRecord.worker_id)
        )
    }
    pays: dict[int, int] = {
        worker_id: n
        for worker_id, n in session.execute(
            select(PayRecord.worker_id, func.count())
            .where(PayRecord.worker_id.in_(ids))
            .group_by(PayRecord.worker_id)
        )
    }
    views = [_view(w, region, (times.get(w.id, 0), pays.get(w.id, 0))) for w in rows]
    return sorted(views, key=_code_order)


def _code_order(view: WorkerView) -> tuple[str, int, str]:
    digits = "".join(ch for ch in view.code if ch.isdigit())
    prefix = "".join(ch for ch in view.code if not ch.isdigit())
    return (prefix, int(digits) if digits else 0, view.code)


def sample_coverage(db: Database, visit_ref: str | int) -> SampleCoverage:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        factory = session.get(Factory, visit.factory_id)
        headcount = factory.headcount if factory is not None else None
        return coverage_of(workers_of(session, visit), headcount)


def coverage_of(workers: list[WorkerView], headcount: int | None) -> SampleCoverage:
    suggested = suggest_sample_size(headcount)
    departments = Counter(w.department or "" for w in workers)
    genders = Counter(w.gender for w in workers)
    origins = Counter(w.origin for w in workers)
    gaps: list[CoverageGap] = []
    if suggested and len(workers) < suggested:
        gaps.append(
            CoverageGap(
                "{sampled} of about {suggested} workers sampled (√{headcount})",
                {
                    "sampled": str(len(workers)),
                    "suggested": str(suggested),
                    "headcount": str(headcount),
                },
            )
        )
    if workers:
        for gender, gap in (
            ("female", "No female workers sampled"),
            ("male", "No male workers sampled"),
        ):
            if not genders.get(gender):
                gaps.append(CoverageGap(gap))
        for origin, gap in (
            (Origin.LOCAL.value, "No local workers sampled"),
            (Origin.MIGRANT.value, "No migrant workers sampled"),
        ):
            if not origins.get(origin):
                gaps.append(CoverageGap(gap))
        if departments.get(""):
            gaps.append(
                CoverageGap(
                    "{count} sampled workers without a department", {"count": str(departments[""])}
                )
            )
        if len([d for d in departments if d]) == 1:
            gaps.append(CoverageGap("All sampled workers are from one department"))
    return SampleCoverage(
        headcount=headcount,
        suggested=suggested,
        sampled=len(workers),
        departments=dict(sorted(departments.items())),
        genders=dict(genders),
        origins=dict(origins),
        gaps=tuple(gaps),
    )
