"""What an operation changed, so pages refresh only what they show (after Anki's OpChanges).

events.announce(Changes.FINDINGS | Changes.CAP)
def refresh(self, changes: Changes = Changes.ALL) -> None:
    if changes & (Changes.FINDINGS | Changes.CAP): ...
"""

from __future__ import annotations

from enum import Flag, auto
from typing import Protocol


class Changes(Flag):
    NONE = 0
    ANSWERS = auto()  # checklist answers and notes
    FINDINGS = auto()
    CAP = auto()  # corrective actions, fee note, outcome override
    RECORDS = auto()  # worker sample, time and pay records, proposed findings
    ATTACHMENTS = auto()  # photos and their links
    VISIT_STATUS = auto()  # lifecycle: completed, signed, new revision, refused …
    VISIT_DETAILS = auto()  # dates, man-days, specialist
    ATTENDEES = auto()
    QA = auto()
    SIGNATURES = auto()
    IDENTITY = auto()  # the signing identity on this device
    ALL = (
        ANSWERS
        | FINDINGS
        | CAP
        | RECORDS
        | ATTACHMENTS
        | VISIT_STATUS
        | VISIT_DETAILS
        | ATTENDEES
        | QA
        | SIGNATURES
        | IDENTITY
    )


class Announcer(Protocol):
    """Whoever tells the open pages what changed (the window's VisitEvents)."""

    def announce(self, changes: Changes) -> None: ...
