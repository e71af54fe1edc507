"""The bundle manifest: what the signature covers.

    {"format": "ietp-bundle", "format_version": "1.0", "bundle_id": uuid, "kind": kind,
     "created_at": ISO 8601 UTC, "signer": {"cert_sha256": hex, "role": "specialist"|"office"},
     "schema_version": str, "chunk_size": int,
     "visits": [{"uuid": uuid, "revision": int}],
     "recipients": [{"cert_sha256": hex, "wrapped_key": base64 (RSA-OAEP-SHA256)}],
     "entries": [{"path": "payload/<name>.enc", "sha256": hex of ciphertext, "size": int,
                  "plain_size": int}]}

Nothing personal goes here: visits are named only by uuid and revision; names, factories and
answers are inside the encrypted payload.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from ietp_desktop.i18n import tr
from ietp_desktop.sync.wire.base import MAX_REVISION

FORMAT = "ietp-bundle"
FORMAT_VERSION = "1.0"
KINDS = ("visit-results", "assignments")
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.json.p7s"
PAYLOAD_PREFIX = "payload/"
PAYLOAD_SUFFIX = ".enc"
PAYLOAD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,150}")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class ManifestProblem(Exception):
    """Why a manifest is unacceptable (turned into BundleRefused by the caller)."""


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    sha256: str
    size: int
    plain_size: int

    @property
    def name(self) -> str:
        return self.path[len(PAYLOAD_PREFIX) : -len(PAYLOAD_SUFFIX)]


@dataclass(frozen=True)
class Recipient:
    cert_sha256: str
    wrapped_key: bytes


@dataclass(frozen=True)
class VisitRef:
    uuid: str
    revision: int


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    kind: str
    format_version: str
    created_at: str
    signer_cert_sha256: str
    signer_role: str
    schema_version: str
    chunk_size: int
    visits: list[VisitRef]
    recipients: list[Recipient]
    entries: list[ManifestEntry]


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def payload_path(name: str) -> str:
    return f"{PAYLOAD_PREFIX}{name}{PAYLOAD_SUFFIX}"


def is_payload_name(name: str) -> bool:
    return bool(PAYLOAD_NAME.fullmatch(name)) and ".." not in name


def encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ManifestProblem(tr("the manifest has the key '{key}' twice", key=key))
        result[key] = value
    return result


def _field(document: dict[str, Any], key: str, kind: type, where: str = "") -> Any:
    value = document.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ManifestProblem(
            tr("the manifest field '{key}' is missing or of the wrong type", key=where + key)
        )
    return value


def check_format(raw: bytes) -> dict[str, Any]:
    """Parse the manifest and refuse an unknown format or major version."""
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ManifestProblem(tr("the manifest is not valid JSON")) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ManifestProblem(tr("the manifest is not an IETP bundle manifest"))
    version = _field(document, "format_version", str)
    if version.split(".")[0] != FORMAT_VERSION.split(".")[0]:
        raise ManifestProblem(
            tr(
                "it uses bundle format {version}; this program reads format {mine}",
                version=version,
                mine=FORMAT_VERSION,
            )
        )
    return document


def parse(document: dict[str, Any]) -> Manifest:
    """Check every field's presence and type (the document already passed check_format)."""
    bundle_id = _field(document, "bundle_id", str)
    try:
        uuid.UUID(bundle_id)
    except ValueError as exc:
        raise ManifestProblem(tr("the bundle id is not a UUID")) from exc
    kind = _field(document, "kind", str)
    if kind not in KINDS:
        raise ManifestProblem(tr("the bundle kind '{kind}' is unknown", kind=kind))
    signer = _field(document, "signer", dict)
    visits = []
    for item in _field(document, "visits", list):
        if not isinstance(item, dict) or set(item) != {"uuid", "revision"}:
            raise ManifestProblem(tr("a visit in the manifest is malformed"))
        revision = _field(item, "revision", int, "visits.")
        visit_uuid = _field(item, "uuid", str, "visits.")
        if not _is_uuid(visit_uuid):
            raise ManifestProblem(tr("a visit in the manifest has no UUID"))
        if not 1 <= revision <= MAX_REVISION:
            raise ManifestProblem(
                tr(
                    "visit {id} has revision {revision}; revisions run from 1 to {limit}",
                    id=visit_uuid[:8],
                    revision=str(revision)[:24],
                    limit=MAX_REVISION,
                )
            )
        visits.append(VisitRef(visit_uuid, revision))
    recipients = []
    for item in _field(document, "recipients", list):
        if not isinstance(item, dict):
            raise ManifestProblem(tr("a recipient in the manifest is malformed"))
        try:
            wrapped = base64.b64decode(
                _field(item, "wrapped_key", str, "recipients."), validate=True
            )
        except binascii.Error as exc:
            raise ManifestProblem(tr("a wrapped key in the manifest is not base64")) from exc
        recipients.append(Recipient(_field(item, "cert_sha256", str, "recipients."), wrapped))
    entries = []
    for item in _field(document, "entries", list):
        if not isinstance(item, dict):
            raise ManifestProblem(tr("an entry in the manifest is malformed"))
        entry = ManifestEntry(
            path=_field(item, "path", str, "entries."),
            sha256=_field(item, "sha256", str, "entries."),
            size=_field(item, "size", int, "entries."),
            plain_size=_field(item, "plain_size", int, "entries."),
        )
        if not _HEX64.fullmatch(entry.sha256) or entry.size < 0 or entry.plain_size < 0:
            raise ManifestProblem(
                tr("the manifest entry for '{path}' is malformed", path=entry.path)
            )
        entries.append(entry)
    return Manifest(
        bundle_id=bundle_id,
        kind=kind,
        format_version=document["format_version"],
        created_at=_field(document, "created_at", str),
        signer_cert_sha256=_field(signer, "cert_sha256", str, "signer."),
        signer_role=_field(signer, "role", str, "signer."),
        schema_version=_field(document, "schema_version", str),
        chunk_size=_field(document, "chunk_size", int),
        visits=visits,
        recipients=recipients,
        entries=entries,
    )
