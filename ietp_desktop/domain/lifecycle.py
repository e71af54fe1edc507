"""Visit lifecycle: planned → confirmed → in progress → completed → signed → exported → received.

A visit the factory refused ends in `refused` (outcome: Progress Audit required). A visit the
office moved to another specialist or cancelled before it was signed ends in `withdrawn`. After
signing, content is locked: a change opens a new revision, which goes back to in progress.
"""

from __future__ import annotations

from enum import StrEnum

from ietp_desktop.domain.errors import UserError


class VisitStatus(StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    SIGNED = "signed"
    EXPORTED = "exported"
    RECEIVED = "received"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"  # the office moved or cancelled it: kept, read-only, never sent

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def content_locked(self) -> bool:
        """Answers, attendees and findings can no longer change without a new revision."""
        return self in (VisitStatus.SIGNED, VisitStatus.EXPORTED, VisitStatus.RECEIVED)

    @property
    def editable(self) -> bool:
        return self in (VisitStatus.CONFIRMED, VisitStatus.IN_PROGRESS, VisitStatus.PLANNED)


STATUS_LABELS: dict[VisitStatus, str] = {
    VisitStatus.PLANNED: "Planned",
    VisitStatus.CONFIRMED: "Confirmed",
    VisitStatus.IN_PROGRESS: "In progress",
    VisitStatus.COMPLETED: "Completed",
    VisitStatus.SIGNED: "Signed",
    VisitStatus.EXPORTED: "Sent to office",
    VisitStatus.RECEIVED: "Received by office",
    VisitStatus.REFUSED: "Refused by factory",
    VisitStatus.WITHDRAWN: "Withdrawn by the office",
}

ALLOWED: dict[VisitStatus, frozenset[VisitStatus]] = {
    VisitStatus.PLANNED: frozenset({VisitStatus.CONFIRMED, VisitStatus.REFUSED}),
    VisitStatus.CONFIRMED: frozenset(
        {VisitStatus.IN_PROGRESS, VisitStatus.PLANNED, VisitStatus.REFUSED}
    ),
    VisitStatus.IN_PROGRESS: frozenset({VisitStatus.COMPLETED, VisitStatus.REFUSED}),
    VisitStatus.COMPLETED: frozenset({VisitStatus.SIGNED, VisitStatus.IN_PROGRESS}),
    VisitStatus.SIGNED: frozenset({VisitStatus.EXPORTED, VisitStatus.IN_PROGRESS}),
    VisitStatus.EXPORTED: frozenset({VisitStatus.RECEIVED, VisitStatus.IN_PROGRESS}),
    VisitStatus.RECEIVED: frozenset({VisitStatus.IN_PROGRESS}),
    VisitStatus.REFUSED: frozenset({VisitStatus.COMPLETED, VisitStatus.SIGNED}),
    VisitStatus.WITHDRAWN: frozenset(),
}


def check_transition(current: VisitStatus, target: VisitStatus, visit_label: str) -> None:
    if target not in ALLOWED[current]:
        raise UserError(
            "visit {visit_label} is {status}; it cannot become {status2}.",
            visit_label=visit_label,
            status=current.label.lower(),
            status2=target.label.lower(),
        )


def can_become(current: VisitStatus, target: VisitStatus) -> bool:
    """Whether a visit in `current` may move to `target` (the window offers only these)."""
    return target in ALLOWED[current]
