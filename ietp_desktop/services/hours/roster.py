"""The visit's roster: everyone the factory's files name, and the sample drawn from it.

Importing needs no sample: a person a file names who is not on the roster yet joins it (code
R0001 …, not sampled). The sample is drawn from the roster, about √headcount people,
stratified by department, gender and local/migrant where known, with a seed that is stored
and shown, so the same seed draws the same sample. Sampled people carry the codes W01, W02 …
that reports print instead of names; the specialist can add or remove people by hand.

A person may be named differently in two files (a 工号 in the payroll, an account name in
WeCom): linking the two merges their records, and the link is remembered for the factory.
"""

from __future__ import annotations

import math
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.services.visits.refs import require_editable, resolve_visit, short_id
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import PayRecord, TimeRecord, Visit, Worker, WorkerLink

ROSTER_PREFIX = "R"
SAMPLE_PREFIX = "W"


@dataclass(frozen=True)
class RosterPerson:
    code: str  # W01 … when sampled, else R0001 …
    employee_no: str  # how the factory's files name them
    name: str
    department: str
    gender: str
    origin: str
    in_sample: bool
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class SampleDraw:
    seed: int
    size: int
    headcount: int
    codes: tuple[str, ...]  # the sample, W01 …
    strata: dict[str, int]  # department → sampled


def _person(worker: Worker) -> RosterPerson:
    return RosterPerson(
        code=worker.code,
        employee_no=worker.employee_no or worker.code,
        name=worker.name,
        department=worker.department,
        gender=worker.gender,
        origin=worker.origin,
        in_sample=worker.in_sample,
        aliases=tuple(a for a in worker.aliases.splitlines() if a),
    )


def _order(worker: Worker) -> tuple[bool, str, int, str]:
    digits = "".join(ch for ch in worker.code if ch.isdigit())
    return (not worker.in_sample, worker.code[:1], int(digits or 0), worker.code)


def roster_workers(session: Session, visit: Visit) -> list[Worker]:
    return sorted(session.scalars(select(Worker).where(Worker.visit_id == visit.id)), key=_order)


def list_roster(db: Database, visit_ref: str | int) -> list[RosterPerson]:
    with db.session() as session:
        return [_person(w) for w in roster_workers(session, resolve_visit(session, visit_ref))]


def file_lookup(session: Session, visit: Visit) -> dict[str, Worker]:
    """Every name a file may give a person → the person: employee number, roster code,
    aliases on the person and links remembered for the factory."""
    workers = roster_workers(session, visit)
    lookup: dict[str, Worker] = {w.code: w for w in workers}
    by_employee = {w.employee_no: w for w in workers if w.employee_no}
    lookup.update(by_employee)
    for w in workers:
        for alias in w.aliases.splitlines():
            if alias:
                lookup[alias] = w
    links = session.scalars(select(WorkerLink).where(WorkerLink.factory_id == visit.factory_id))
    for link in links:
        target = by_employee.get(link.employee_no)
        if target is not None:
            lookup.setdefault(link.alias, target)
    return lookup


def _next_number(session: Session, visit_id: int, prefix: str) -> int:
    codes = session.scalars(select(Worker.code).where(Worker.visit_id == visit_id))
    numbers = [int(c[1:]) for c in codes if c.startswith(prefix) and c[1:].isdigit()]
    return max(numbers, default=0) + 1


def join_roster(
    session: Session,
    visit: Visit,
    people: dict[str, tuple[str, str]],
    lookup: dict[str, Worker],
) -> dict[str, Worker]:
    """Add everyone in `people` (file code → name, department) not yet on the roster;
    returns the lookup with them. Names and departments fill blanks of known people."""
    number = _next_number(session, visit.id, ROSTER_PREFIX)
    for file_code, (name, department) in sorted(people.items()):
        known = lookup.get(file_code)
        if known is not None:
            if name and not known.name:
                known.name = name[:120]
            if department and not known.department:
                known.department = department[:80]
            continue
        worker = Worker(
            visit_id=visit.id,
            code=f"{ROSTER_PREFIX}{number:04d}",
            employee_no=file_code[:40],
            name=name[:120],
            department=department[:80],
            in_sample=False,
        )
        number += 1
        session.add(worker)
        lookup[file_code] = worker
    session.flush()
    return lookup


def suggested_size(headcount: int) -> int:
    return min(headcount, math.ceil(math.sqrt(headcount))) if headcount > 0 else 0


def draw_sample(
    db: Database, visit_ref: str | int, size: int | None = None, seed: int | None = None
) -> SampleDraw:
    """Draw the sample from the roster (replacing an earlier draw); the seed is stored on
    the visit. People kept keep their W codes; people newly drawn get the next ones."""
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        workers = roster_workers(session, visit)
        if not workers:
            raise UserError(
                "visit {visit} has no one on its roster yet; import a time or pay file first",
                visit=short_id(visit.uuid),
            )
        headcount = len(workers)
        wanted = suggested_size(headcount) if size is None else size
        if not 1 <= wanted <= headcount:
            raise UserError(
                "a sample of {size} from a roster of {headcount}: choose 1 to {headcount}",
                size=wanted,
                headcount=headcount,
            )
        if seed is None:
            seed = secrets.randbelow(1_000_000)
        chosen = _stratified(workers, wanted, random.Random(seed))
        chosen_ids = {w.id for w in chosen}
        next_roster = _next_number(session, visit.id, ROSTER_PREFIX)
        next_sample = _next_number(session, visit.id, SAMPLE_PREFIX)
        # Codes are unique per visit: free the W codes of people leaving the sample first
        for worker in workers:
            if worker.id not in chosen_ids and worker.in_sample:
                worker.in_sample = False
                if worker.code.startswith(SAMPLE_PREFIX):
                    if not worker.employee_no:
                        worker.employee_no = worker.code
                    worker.code = f"{ROSTER_PREFIX}{next_roster:04d}"
                    next_roster += 1
        session.flush()
        for worker in sorted(chosen, key=lambda w: (w.department, w.employee_no, w.code)):
            worker.in_sample = True
            if not worker.code.startswith(SAMPLE_PREFIX):
                worker.code = f"{SAMPLE_PREFIX}{next_sample:02d}"
                next_sample += 1
        visit.sample_seed = seed
        session.flush()
        strata: dict[str, int] = defaultdict(int)
        for w in chosen:
            strata[w.department] += 1
        codes = tuple(w.code for w in sorted(chosen, key=_order))
        return SampleDraw(seed, wanted, headcount, codes, dict(sorted(strata.items())))


def _stratified(workers: list[Worker], size: int, rng: random.Random) -> list[Worker]:
    """Largest-remainder allocation over department × gender × origin, then a draw in each
    stratum; people in a stable order first, so the seed alone decides."""
    strata: dict[tuple[str, str, str], list[Worker]] = defaultdict(list)
    for w in sorted(workers, key=lambda w: (w.employee_no or w.code, w.code)):
        strata[(w.department, w.gender, w.origin)].append(w)
    total = len(workers)
    quotas = {key: size * len(members) / total for key, members in strata.items()}
    counts = {key: int(q) for key, q in quotas.items()}
    rest = size - sum(counts.values())
    by_remainder = sorted(quotas, key=lambda k: (-(quotas[k] - counts[k]), k))
    for key in by_remainder[:rest]:
        counts[key] += 1
    chosen: list[Worker] = []
    for key in sorted(strata):
        chosen.extend(rng.sample(strata[key], counts[key]))
    return chosen


def set_in_sample(db: Database, visit_ref: str | int, person: str, in_sample: bool) -> RosterPerson:
    """Add a person of the roster to the sample (the next W code) or take them out."""
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        worker = _find(session, visit, person)
        if worker.in_sample != in_sample:
            worker.in_sample = in_sample
            if in_sample and not worker.code.startswith(SAMPLE_PREFIX):
                worker.code = f"{SAMPLE_PREFIX}{_next_number(session, visit.id, SAMPLE_PREFIX):02d}"
            elif not in_sample and worker.code.startswith(SAMPLE_PREFIX):
                if not worker.employee_no:
                    worker.employee_no = worker.code
                worker.code = f"{ROSTER_PREFIX}{_next_number(session, visit.id, ROSTER_PREFIX):04d}"
        session.flush()
        return _person(worker)


def _find(session: Session, visit: Visit, person: str) -> Worker:
    found = file_lookup(session, visit).get(person.strip()) or file_lookup(session, visit).get(
        person.strip().upper()
    )
    if found is None:
        raise NotFound(
            "visit {visit} has no one on its roster named {person!r}",
            visit=short_id(visit.uuid),
            person=person,
        )
    return found


def link_names(db: Database, visit_ref: str | int, employee_no: str, alias: str) -> RosterPerson:
    """`alias` (e.g. a WeCom account) is the person with `employee_no`: the alias's records
    move to them and the link is remembered for the factory's next visits."""
    alias = alias.strip()
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        target = _find(session, visit, employee_no)
        other = file_lookup(session, visit).get(alias)
        if other is not None and other.id != target.id:
            if other.in_sample and not target.in_sample:
                raise UserError(
                    "{alias} is in the sample and {employee_no} is not: take {alias} out of "
                    "the sample first, or link the other way round",
                    alias=alias,
                    employee_no=employee_no,
                )
            for table in (TimeRecord, PayRecord):
                session.execute(
                    update(table).where(table.worker_id == other.id).values(worker_id=target.id)
                )
            merged = [*target.aliases.splitlines(), *other.aliases.splitlines(), alias]
            session.delete(other)
            session.flush()
        else:
            merged = [*target.aliases.splitlines(), alias]
        kept = (a for a in merged if a and a != target.employee_no)
        target.aliases = "\n".join(dict.fromkeys(kept))
        known = session.scalars(
            select(WorkerLink).where(
                WorkerLink.factory_id == visit.factory_id, WorkerLink.alias == alias
            )
        ).first()
        if known is None:
            session.add(
                WorkerLink(
                    factory_id=visit.factory_id,
                    alias=alias,
                    employee_no=target.employee_no or target.code,
                )
            )
        else:
            known.employee_no = target.employee_no or target.code
        session.flush()
        return _person(target)
