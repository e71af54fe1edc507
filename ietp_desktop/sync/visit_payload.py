"""A visit as versioned JSON (`schema: "ietp-visit/1"`), the data entry of a results bundle.

docs/bundle-visit-schema.md describes the document. Rows are written column by column from
the storage models, so a column added to a model travels without touching this module; links
between rows (a CAP line's finding, a photo's finding) use `ref`, the row's id on the laptop.
Photos and the signed report travel as their own payload entries, named here.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Date, DateTime, LargeBinary, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import UserError
from ietp_desktop.storage.models import (
    Answer,
    Attachment,
    AttachmentLink,
    Attendee,
    AuditEvent,
    Base,
    Factory,
    Finding,
    FindingItem,
    FormDefinition,
    PayRecord,
    QaEntry,
    RuleSetDefinition,
    Signature,
    TimeRecord,
    Visit,
    VisitRevision,
    Worker,
)
from ietp_desktop.storage.types import DecimalText, UtcDateTime
from ietp_desktop.sync.wire.base import parse_json
from ietp_desktop.sync.wire.visit import VisitDocument

SCHEMA = "ietp-visit/1"
SCHEMA_MAJOR = "ietp-visit/1"
MAX_VISIT_JSON_BYTES = 64 << 20

# Columns that describe where the visit is on this laptop, not what was found: left out, so the
# same signed revision exported twice has the same content.
VISIT_LOCAL_COLUMNS = {"id", "factory_id", "status", "exported_at", "received_at", "updated_at"}
_LINK_COLUMNS = {
    "id",
    "visit_id",
    "finding_id",
    "corrective_action_id",
    "attachment_id",
    "worker_id",
}


def visit_entry_name(visit_uuid: str, revision: int) -> str:
    return f"visit-{visit_uuid}-r{revision}.json"


def report_entry_name(visit_uuid: str, revision: int) -> str:
    return f"report-{visit_uuid}-r{revision}.pdf"


def photo_entry_name(sha256: str) -> str:
    return f"photo-{sha256}"


def _encode_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def row_to_json(obj: Base, skip: set[str] = _LINK_COLUMNS) -> dict[str, Any]:
    mapper = obj.__mapper__
    return {
        attr.key: _encode_value(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in skip
    }


def _decode_value(column_type: Any, value: Any, where: str) -> Any:
    if value is None:
        return None
    try:
        if isinstance(column_type, LargeBinary):
            return base64.b64decode(str(value), validate=True)
        if isinstance(column_type, UtcDateTime):
            parsed = datetime.fromisoformat(str(value))
            if parsed.tzinfo is None:
                raise ValueError("a UTC time without its zone")
            return parsed
        if isinstance(column_type, DateTime):
            return datetime.fromisoformat(str(value))
        if isinstance(column_type, Date):
            return date.fromisoformat(str(value))
        if isinstance(column_type, DecimalText):
            return Decimal(str(value))
    except (ValueError, ArithmeticError) as exc:
        raise UserError(
            "{where}: {value!r} is not valid ({error})", where=where, value=value, error=exc
        ) from exc
    return value


def json_to_columns(
    model: type[Base], record: Any, where: str, skip: set[str] = _LINK_COLUMNS
) -> dict[str, Any]:
    """Column values for an insert into `model`; unknown keys (a newer minor schema) are
    ignored, missing ones take the column default."""
    if not isinstance(record, dict):
        raise UserError("{where} is not an object", where=where)
    values: dict[str, Any] = {}
    for attr in model.__mapper__.column_attrs:
        key = attr.key
        if key in skip or key not in record:
            continue
        column = attr.columns[0]
        values[key] = _decode_value(column.type, record[key], f"{where}.{key}")
    return values


def _all(session: Session, stmt: Any) -> list[Any]:
    return list(session.scalars(stmt))


def build_document(session: Session, visit: Visit) -> dict[str, Any]:
    """Everything of one visit, in the order docs/bundle-visit-schema.md lists it."""
    vid = visit.id
    form = session.get(FormDefinition, visit.form_sha256)
    assert form is not None  # a foreign key
    rules = session.get(RuleSetDefinition, visit.rule_set_sha256) if visit.rule_set_sha256 else None
    findings = []
    for finding in _all(
        session, select(Finding).where(Finding.visit_id == vid).order_by(Finding.id)
    ):
        record = row_to_json(finding, {"visit_id"}) | {"ref": finding.id}
        record.pop("id")
        record["items"] = sorted(
            _all(session, select(FindingItem.item_id).where(FindingItem.finding_id == finding.id))
        )
        action = finding.corrective_action
        if action is not None:
            record["corrective_action"] = row_to_json(action) | {
                "records": [
                    row_to_json(r) | {"attachment_ref": r.attachment_id} for r in action.records
                ]
            }
        else:
            record["corrective_action"] = None
        findings.append(record)
    workers = []
    for worker in _all(session, select(Worker).where(Worker.visit_id == vid).order_by(Worker.id)):
        workers.append(
            row_to_json(worker)
            | {
                "time_records": [
                    row_to_json(t)
                    for t in _all(
                        session,
                        select(TimeRecord)
                        .where(TimeRecord.worker_id == worker.id)
                        .order_by(TimeRecord.id),
                    )
                ],
                "pay_records": [
                    row_to_json(p)
                    for p in _all(
                        session,
                        select(PayRecord)
                        .where(PayRecord.worker_id == worker.id)
                        .order_by(PayRecord.id),
                    )
                ],
            }
        )
    attachments = []
    for att in _all(
        session, select(Attachment).where(Attachment.visit_id == vid).order_by(Attachment.id)
    ):
        links = _all(
            session,
            select(AttachmentLink)
            .where(AttachmentLink.attachment_id == att.id)
            .order_by(AttachmentLink.id),
        )
        attachments.append(
            row_to_json(att)
            | {
                "ref": att.id,
                "entry": photo_entry_name(att.sha256),
                "links": [{"item_id": lk.item_id, "finding_ref": lk.finding_id} for lk in links],
            }
        )

    def rows(model: Any, order: Any) -> list[dict[str, Any]]:
        return [
            row_to_json(r)
            for r in _all(session, select(model).where(model.visit_id == vid).order_by(order))
        ]

    return {
        "schema": SCHEMA,
        "visit": row_to_json(visit, VISIT_LOCAL_COLUMNS),
        "factory": row_to_json(visit.factory, {"id", "created_at", "updated_at"}),
        "form": {
            "sha256": form.sha256,
            "form_id": form.form_id,
            "version": form.version,
            "source": form.source,
            "content": form.content,
        },
        "rule_set": None
        if rules is None
        else {
            "sha256": rules.sha256,
            "rule_set_id": rules.rule_set_id,
            "version": rules.version,
            "source": rules.source,
            "content": rules.content,
        },
        "attendees": rows(Attendee, Attendee.id),
        "answers": rows(Answer, Answer.item_id),
        "findings": findings,
        "qa": rows(QaEntry, QaEntry.position),
        "workers": workers,
        "attachments": attachments,
        "signatures": rows(Signature, Signature.role),
        "revisions": rows(VisitRevision, VisitRevision.revision),
        "report": None,
        "audit": rows(AuditEvent, AuditEvent.id),
    }


def encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def content_sha256(document: dict[str, Any]) -> str:
    """What decides 'same revision, same content': everything but the audit trail, which
    grows with every export of the same signed revision."""
    return hashlib.sha256(encode({k: v for k, v in document.items() if k != "audit"})).hexdigest()


def parse(raw: bytes, source: str) -> dict[str, Any]:
    """The visit document of entry `source`, checked against the wire model (sync/wire/visit).

    Another schema or major version is refused; so is any value out of its bounds, with the
    field path in the message. What comes back holds only what the model kept, normalised.
    """
    schema = _schema_of(raw, source)
    if schema is None:
        raise UserError("{source} holds no IETP visit data", source=source)
    if schema.split(".")[0] != SCHEMA_MAJOR:
        raise UserError(
            "{source} uses visit data schema {schema}; this program reads {mine}",
            source=source,
            schema=schema[:40],
            mine=SCHEMA,
        )
    document = parse_json(VisitDocument, raw, source)
    return document.model_dump(mode="json", by_alias=True)


def check_document(document: dict[str, Any], source: str) -> None:
    """What the laptop builds is checked by the same model before it leaves, so the office
    never refuses a visit for a value the laptop could have told the specialist about."""
    parse(encode(document), source)


class _SchemaOnly(BaseModel):
    model_config = ConfigDict(extra="ignore")
    schema_: object = Field(default=None, alias="schema")


def _schema_of(raw: bytes, source: str) -> str | None:
    """The document's schema, read without building the whole document in memory."""
    try:
        schema = _SchemaOnly.model_validate_json(raw).schema_
    except ValidationError as exc:
        raise UserError("{source} is not valid visit JSON", source=source) from exc
    if not isinstance(schema, str) or not schema.startswith("ietp-visit/"):
        return None
    return schema


def visit_columns(document: dict[str, Any], source: str) -> dict[str, Any]:
    return json_to_columns(Visit, document["visit"], f"{source}: visit", VISIT_LOCAL_COLUMNS)


def factory_columns(document: dict[str, Any], source: str) -> dict[str, Any]:
    return json_to_columns(
        Factory, document["factory"], f"{source}: factory", {"id", "created_at", "updated_at"}
    )
