"""Findings of a visit and the CAP line each non-compliance gets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.cap_policy import (
    RootCause,
    cap_due_date,
    parse_cap_due_days,
    parse_root_causes,
)
from ietp_desktop.domain.errors import NotFound, ValidationFailed
from ietp_desktop.domain.findings import Category, Classification, FindingSource
from ietp_desktop.paths import forms_dir
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.dto import FindingView
from ietp_desktop.services.visits.read import _finding_views
from ietp_desktop.services.visits.refs import require_editable, resolve_visit, short_id
from ietp_desktop.storage.audit import record_event
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import (
    AttachmentLink,
    CorrectiveAction,
    Finding,
    FindingItem,
    Visit,
)


@dataclass(frozen=True)
class FindingInput:
    classification: str
    description: str
    title: str = ""
    category: str = Category.OTHER.value
    root_cause: str = ""
    evidence: str = ""
    item_ids: tuple[str, ...] = field(default=())
    source: str = FindingSource.MANUAL.value
    title_zh: str = ""
    description_zh: str = ""
    evidence_zh: str = ""


@cache
def cap_due_days() -> dict[Classification, int]:
    path = forms_dir() / "cap_due_days.json"
    return parse_cap_due_days(path.read_text(encoding="utf-8"), path.name)


@cache
def root_causes() -> tuple[RootCause, ...]:
    """The root-cause list shipped in forms/root_causes.json (id, English and Chinese label)."""
    path = forms_dir() / "root_causes.json"
    return tuple(parse_root_causes(path.read_text(encoding="utf-8"), path.name))


def _check(session: Session, visit: Visit, data: FindingInput) -> None:
    label = f"visit {short_id(visit.uuid)}"
    problems = []
    try:
        Classification(data.classification)
    except ValueError:
        problems.append(
            f"classification {data.classification!r} is not one of "
            + ", ".join(c.value for c in Classification)
        )
    try:
        Category(data.category)
    except ValueError:
        problems.append(
            f"category {data.category!r} is not one of " + ", ".join(c.value for c in Category)
        )
    if not data.description.strip() and not data.description_zh.strip():
        problems.append("the description is empty (give it in English, Chinese or both)")
    causes = [cause.id for cause in root_causes()]
    if data.root_cause and data.root_cause not in causes:
        problems.append(
            f"root cause {data.root_cause!r} is not one of " + ", ".join(causes) + " (or empty)"
        )
    form = definitions.form_by_sha(session, visit.form_sha256)
    known = {item.id for item in form.items()}
    problems += [f"item {i} is not in the visit's form" for i in data.item_ids if i not in known]
    if problems:
        raise ValidationFailed(f"{label}, finding: " + "; ".join(problems), problems)


def _next_code(session: Session, visit: Visit) -> str:
    """F01, F02…: one more than the highest number ever issued in the visit, so the code of
    a deleted or merged finding is never given to another one."""
    codes = session.scalars(select(Finding.code).where(Finding.visit_id == visit.id))
    numbers = [int(c[1:]) for c in codes if c[1:].isdigit()]
    number = max(max(numbers, default=0), visit.findings_issued or 0) + 1
    visit.findings_issued = number
    return f"F{number:02d}"


def _default_due(visit: Visit, classification: Classification) -> date | None:
    start = visit.visit_end or visit.visit_start or date.today()
    return cap_due_date(start, classification, cap_due_days())


def sync_cap_line(
    session: Session, visit: Visit, finding: Finding, previous: str | None = None
) -> None:
    """A non-compliance has exactly one CAP line; other classifications have none.

    When `previous` (the classification before an edit) differs, a due date still at the old
    classification's default follows the new one; a date the specialist set is kept.
    """
    classification = Classification(finding.classification)
    action = finding.corrective_action
    if classification.needs_cap and action is None:
        finding.corrective_action = CorrectiveAction(
            visit_id=visit.id, due_date=_default_due(visit, classification), status="open"
        )
    elif not classification.needs_cap and action is not None:
        finding.corrective_action = None
    elif (
        action is not None
        and previous
        and previous != classification.value
        and action.due_date == _default_due(visit, Classification(previous))
    ):
        action.due_date = _default_due(visit, classification)


def _view(session: Session, visit_id: int, finding_id: int) -> FindingView:
    return next(v for v in _finding_views(session, visit_id) if v.id == finding_id)


def add_finding(db: Database, visit_ref: str | int, data: FindingInput) -> FindingView:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        return insert_finding(session, visit, data)


def insert_finding(session: Session, visit: Visit, data: FindingInput) -> FindingView:
    """Add a finding (and its CAP line) inside the caller's transaction."""
    _check(session, visit, data)
    finding = Finding(
        visit_id=visit.id,
        code=_next_code(session, visit),
        title=data.title.strip()
        or (
            data.description.strip() or data.title_zh.strip() or data.description_zh.strip()
        ).splitlines()[0][:120],
        description=data.description.strip(),
        title_zh=data.title_zh.strip(),
        description_zh=data.description_zh.strip(),
        classification=data.classification,
        category=data.category,
        root_cause=data.root_cause,
        evidence=data.evidence,
        evidence_zh=data.evidence_zh,
        source=data.source,
    )
    finding.items = [FindingItem(item_id=i, visit_id=visit.id) for i in data.item_ids]
    session.add(finding)
    sync_cap_line(session, visit, finding)
    session.flush()
    _carry_item_photos(session, visit, finding, data.item_ids)
    return _view(session, visit.id, finding.id)


def _carry_item_photos(
    session: Session, visit: Visit, finding: Finding, item_ids: tuple[str, ...]
) -> None:
    """A finding raised on items takes their photos as its evidence."""
    if not item_ids:
        return
    photos = set(
        session.scalars(
            select(AttachmentLink.attachment_id).where(
                AttachmentLink.visit_id == visit.id, AttachmentLink.item_id.in_(item_ids)
            )
        )
    )
    for attachment_id in sorted(photos):
        session.add(
            AttachmentLink(attachment_id=attachment_id, visit_id=visit.id, finding_id=finding.id)
        )
    session.flush()


def resolve_finding(session: Session, visit: Visit, ref: str | int) -> Finding:
    text = str(ref).strip()
    query = select(Finding).where(Finding.visit_id == visit.id)
    if text.upper().startswith("F"):
        query = query.where(Finding.code == text.upper())
    elif text.isdigit():
        query = query.where(Finding.id == int(text))
    finding = session.scalars(query).first() if text else None
    if finding is None:
        raise NotFound(
            "visit {visit} has no finding {text!r}", visit=short_id(visit.uuid), text=text
        )
    return finding


def update_finding(
    db: Database, visit_ref: str | int, finding_ref: str | int, data: FindingInput
) -> FindingView:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        _check(session, visit, data)
        finding = resolve_finding(session, visit, finding_ref)
        previous = finding.classification
        finding.title = data.title.strip() or finding.title
        finding.description = data.description.strip()
        finding.title_zh = data.title_zh.strip()
        finding.description_zh = data.description_zh.strip()
        finding.classification = data.classification
        finding.category = data.category
        finding.root_cause = data.root_cause
        finding.evidence = data.evidence
        finding.evidence_zh = data.evidence_zh
        if tuple(i.item_id for i in finding.items) != tuple(sorted(data.item_ids)):
            finding.items = [
                FindingItem(item_id=i, visit_id=visit.id) for i in sorted(set(data.item_ids))
            ]
        sync_cap_line(session, visit, finding, previous)
        session.flush()
        return _view(session, visit.id, finding.id)


def delete_finding(db: Database, visit_ref: str | int, finding_ref: str | int) -> None:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        session.delete(resolve_finding(session, visit, finding_ref))


def list_findings(db: Database, visit_ref: str | int) -> list[FindingView]:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        return list(_finding_views(session, visit.id))


_SEVERITY = (
    Classification.ZERO_TOLERANCE,
    Classification.TRANSPARENCY,
    Classification.STANDARD_NC,
    Classification.OBSERVATION,
    Classification.BEST_PRACTICE,
)


def _append(text: str, addition: str) -> str:
    addition = addition.strip()
    if not addition or addition in text:
        return text
    return f"{text.rstrip()}\n{addition}" if text.strip() else addition


def merge_findings(
    db: Database, visit_ref: str | int, keep_ref: str | int, other_ref: str | int
) -> FindingView:
    """Fold `other` into `keep`: its checklist items, photos, CAP answers and remediation
    records move to the kept finding, its text is added to the kept evidence, and it is
    deleted. Every step is a row change, so the audit trail shows what happened."""
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        keep = resolve_finding(session, visit, keep_ref)
        other = resolve_finding(session, visit, other_ref)
        if keep.id == other.id:
            raise ValidationFailed(
                "visit {visit}: cannot merge {code} with itself",
                visit=short_id(visit.uuid),
                code=keep.code,
            )
        moving = other.corrective_action
        keep_cls, other_cls = (
            Classification(keep.classification),
            Classification(other.classification),
        )
        if moving is not None and moving.records and not keep_cls.needs_cap:
            raise ValidationFailed(
                "visit {visit}: {code} has remediation records but {code2} is"
                " a {classification} without a CAP line; keep {code} and "
                "merge {code2} into it instead",
                visit=short_id(visit.uuid),
                code=other.code,
                code2=keep.code,
                classification=keep_cls.value.replace("_", " "),
            )
        if _SEVERITY.index(other_cls) < _SEVERITY.index(keep_cls):
            keep.classification = other_cls.value  # the merged finding keeps the worse grade
        items = {i.item_id for i in keep.items} | {i.item_id for i in other.items}
        if items != {i.item_id for i in keep.items}:
            keep.items = [FindingItem(item_id=i, visit_id=visit.id) for i in sorted(items)]
        keep_evidence = keep.evidence  # what the kept Chinese evidence falls back to
        keep.evidence = _append(
            keep.evidence, f"[{other.code}] {other.title}: {other.description}\n{other.evidence}"
        )
        # with no Chinese anywhere the English evidence stands for both languages
        if keep.evidence_zh or other.evidence_zh or other.title_zh or other.description_zh:
            keep.evidence_zh = _append(
                keep.evidence_zh or keep_evidence,
                f"[{other.code}] {other.title_zh or other.title}："
                f"{other.description_zh or other.description}\n"
                f"{other.evidence_zh or other.evidence}",
            )
        if not keep.root_cause:
            keep.root_cause = other.root_cause
        sync_cap_line(session, visit, keep, keep_cls.value)
        session.flush()
        _move_photos(session, visit, other.id, keep.id)
        if moving is not None and keep.corrective_action is not None:
            target = keep.corrective_action
            for name in ("corrective_action", "preventive_action", "responsible", "factory_remark"):
                setattr(target, name, _append(getattr(target, name), getattr(moving, name)))
            for record in moving.records:
                record.corrective_action_id = target.id
            session.flush()
            session.expire(moving, ["records"])
            session.expire(target, ["records"])
        record_event(session, visit.id, "Finding", "merge", f"{other.code} merged into {keep.code}")
        session.delete(other)
        session.flush()
        return _view(session, visit.id, keep.id)


def _move_photos(session: Session, visit: Visit, from_id: int, to_id: int) -> None:
    kept = set(
        session.scalars(
            select(AttachmentLink.attachment_id).where(AttachmentLink.finding_id == to_id)
        )
    )
    for link in session.scalars(
        select(AttachmentLink).where(
            AttachmentLink.visit_id == visit.id, AttachmentLink.finding_id == from_id
        )
    ):
        if link.attachment_id in kept:
            session.delete(link)
        else:
            link.finding_id = to_id
