"""The body of an office receipt (services/receipt_file): what the office answers a bundle."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ietp_desktop.sync.wire.base import Note, Revision, Sha256, Str200, UtcTime, Uuid, WireModel

RECEIPT_STATUSES = Literal["imported", "refused"]
VISIT_RESULTS = Literal["imported", "unchanged", "stored-beside", "refused"]


class ReceiptVisitWire(WireModel):
    uuid: Uuid
    revision: Revision
    result: VISIT_RESULTS


class ReceiptBody(WireModel):
    bundle_id: Uuid
    manifest_sha256: Sha256
    office: Str200
    issued_at: UtcTime
    status: RECEIPT_STATUSES
    message: Note = ""
    visits: Annotated[list[ReceiptVisitWire], Field(max_length=5_000)]
