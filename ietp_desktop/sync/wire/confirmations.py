"""confirmations.json in a results bundle: the visit dates a specialist agreed with factories
since the office assigned them (laptop → office, beside the signed visits of the bundle)."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import Field

from ietp_desktop.sync.wire.base import Day, Uuid, WireModel

CONFIRMATIONS_ENTRY = "confirmations.json"
CONFIRMATIONS_SCHEMA = "ietp-confirmations/1"
MAX_CONFIRMATIONS = 5_000
MAX_CONFIRMATIONS_BYTES = 2 * 1024 * 1024


class ConfirmationWire(WireModel):
    uuid: Uuid
    confirmed_date: Day
    announcement_sent_on: Day | None = None


class ConfirmationsDocument(WireModel):
    schema_: Literal["ietp-confirmations/1"] = Field(alias="schema")
    visits: Annotated[list[ConfirmationWire], Field(max_length=MAX_CONFIRMATIONS)]


def encode(visits: list[ConfirmationWire]) -> bytes:
    document = {
        "schema": CONFIRMATIONS_SCHEMA,
        "visits": [v.model_dump(mode="json") for v in visits],
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
