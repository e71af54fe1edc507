"""The laptops' endpoints: resumable bundle upload with the signed receipt, and assignments.

Authentication is a signed request (sync/request_signature.py): the specialist certificate
must chain to this office's CA with the specialist role, must not be revoked, the timestamp
must be within the allowed clock skew and the nonce unseen (nonces are rows in the office
database, so a replay is refused by every worker).

Upload protocol (every step signed; refusals are JSON {"code", "reason"}):
    POST /api/v1/uploads            {"sha256", "size", "name"} → {"upload", "offset", "size"}
    GET  /api/v1/uploads/{id}       → {"upload", "offset", "size", "done"}
    PUT  /api/v1/uploads/{id}?offset=N   raw bytes, at most max_chunk_bytes, appended at N
    POST /api/v1/uploads/{id}/finish     → the signed receipt (application/json)
The upload id is derived from the signer and the file's sha256, so sending the same bundle
again finds the same upload: an interrupted transfer resumes at its offset, and a finished one
answers with the receipt it already has. The part file lives in `<office>/uploads/<id>/`, so
any worker of the office can continue it. The bundle is imported by the same function as
`office import` (office.intake.import_bundles): limits, signature, trust, hashes, one
transaction, idempotent by bundle id.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office import intake
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.accounts.specialists import revocation_of
from ietp_desktop.office.console.outbox import outbox_dir
from ietp_desktop.office.console.web import Console, remote_of
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.certificates import CertificateRejected, Role
from ietp_desktop.security.office_ca import Office, load_office, load_office_certificate
from ietp_desktop.storage.office_models import OfficeRequestNonce
from ietp_desktop.storage.types import utcnow
from ietp_desktop.sync import manifest as mf
from ietp_desktop.sync.request_signature import (
    RequestSignatureInvalid,
    read_headers,
    verify_signature,
)

UPLOADS_DIR = "uploads"
READ_TIMEOUT_SECONDS = 60.0
MAX_JSON_BODY = 16 << 10
NONCE_KEEP = timedelta(minutes=15)


class ApiRefusal(Exception):
    """A refusal the laptop shows: `reason` is an English template with `params`, sent with
    them so the laptop can show it in its user's language (the catalogue is shared)."""

    def __init__(self, status: int, code: str, reason: str, **params: object) -> None:
        self.template = reason
        self.params = {name: str(value) for name, value in params.items()}
        self.reason = reason.format(**params) if params else reason
        super().__init__(self.reason)
        self.status = status
        self.code = code


def refusal(exc: ApiRefusal) -> JSONResponse:
    return JSONResponse(
        {"code": exc.code, "reason": exc.reason, "template": exc.template, "params": exc.params},
        status_code=exc.status,
    )


@dataclass(frozen=True)
class Specialist:
    certificate: x509.Certificate
    fingerprint: str
    name: str
    email: str
    content_sha256: str

    @property
    def label(self) -> str:
        return f"{self.name} <{self.email}>"


def _target(request: Request) -> str:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string", b"")
    return raw.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")


def _authenticate_sync(console: Console, request: Request) -> Specialist:
    headers = {k.lower(): v for k, v in request.headers.items()}
    try:
        signed = read_headers(headers)
    except RequestSignatureInvalid as exc:
        raise ApiRefusal(401, "unauthenticated", str(exc)) from exc
    ca = load_office_certificate(console.config.office_dir, "ca")
    try:
        verify_signature(signed, request.method, _target(request), certs.fingerprint(ca))
    except RequestSignatureInvalid as exc:
        raise ApiRefusal(401, "unauthenticated", str(exc)) from exc
    skew = abs(time.time() - signed.timestamp)
    if skew > console.config.clock_skew_seconds:
        raise ApiRefusal(
            401,
            "clock",
            "the laptop's clock is {seconds} s away from the office's",
            seconds=int(skew),
        )
    cert = signed.certificate
    try:
        certs.check_issued_by(cert, ca, Role.SPECIALIST, what="the request's certificate")
    except CertificateRejected as exc:
        raise ApiRefusal(403, "untrusted", str(exc)) from exc
    fingerprint = certs.fingerprint(cert)
    now = utcnow()
    try:
        with console.database.session() as session:
            revoked = revocation_of(session, fingerprint)
            if revoked is not None:
                raise ApiRefusal(
                    403,
                    "revoked",
                    "this certificate was revoked on {date}",
                    date=f"{revoked.revoked_at:%Y-%m-%d}",
                )
            session.execute(
                delete(OfficeRequestNonce).where(OfficeRequestNonce.at < now - NONCE_KEEP)
            )
            session.add(OfficeRequestNonce(nonce=signed.nonce, signer=fingerprint, at=now))
    except IntegrityError as exc:
        raise ApiRefusal(401, "replayed", "this request was already received") from exc
    return Specialist(
        cert, fingerprint, certs.common_name(cert), certs.email_of(cert), signed.content_sha256
    )


async def authenticate(console: Console, request: Request) -> Specialist:
    return await run_in_threadpool(_authenticate_sync, console, request)


async def _small_body(request: Request, who: Specialist) -> bytes:
    if int(request.headers.get("content-length") or 0) > MAX_JSON_BODY:
        raise ApiRefusal(413, "too-large", "the request body is too large")
    body = b""
    async for chunk in _timed_stream(request):
        body += chunk
        if len(body) > MAX_JSON_BODY:
            raise ApiRefusal(413, "too-large", "the request body is too large")
    if hashlib.sha256(body).hexdigest() != who.content_sha256:
        raise ApiRefusal(400, "digest-mismatch", "the body does not match its signed digest")
    return body


async def _timed_stream(request: Request):  # type: ignore[no-untyped-def]
    """The request body, refusing a sender that stalls (slow drip) for READ_TIMEOUT_SECONDS."""
    stream = request.stream().__aiter__()
    while True:
        try:
            chunk = await asyncio.wait_for(stream.__anext__(), READ_TIMEOUT_SECONDS)
        except StopAsyncIteration:
            return
        except TimeoutError as exc:
            raise ApiRefusal(408, "timeout", "the upload stalled; send the rest again") from exc
        except ClientDisconnect as exc:
            raise ApiRefusal(400, "disconnected", "the connection closed mid-request") from exc
        yield chunk


# --- uploads -------------------------------------------------------------------------------


def _upload_dir(console: Console, upload_id: str) -> Path:
    if len(upload_id) != 32 or any(c not in "0123456789abcdef" for c in upload_id):
        raise ApiRefusal(404, "not-found", "no such upload")
    return console.config.office_dir / UPLOADS_DIR / upload_id


def _meta(folder: Path, who: Specialist) -> dict[str, Any]:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ApiRefusal(404, "not-found", "no such upload") from exc
    if meta.get("signer") != who.fingerprint:
        raise ApiRefusal(404, "not-found", "no such upload")
    return dict(meta)


def _state(folder: Path, meta: dict[str, Any], upload_id: str) -> dict[str, Any]:
    part = folder / "data.part"
    done = (folder / "receipt.json").is_file()
    offset = int(meta["size"]) if done else (part.stat().st_size if part.exists() else 0)
    return {"upload": upload_id, "offset": offset, "size": int(meta["size"]), "done": done}


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One writer per upload across every worker process (POSIX advisory lock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: single-process servers only
        yield
        return
    with open(folder / "lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ApiRefusal(409, "busy", "another request is writing this upload") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


async def upload_create(console: Console, request: Request) -> Response:
    try:
        who = await authenticate(console, request)
        body = await _small_body(request, who)
        try:
            fields = json.loads(body)
            sha = str(fields["sha256"]).lower()
            size = int(fields["size"])
            name = str(fields.get("name", "bundle.ietpbundle"))[:200]
        except (ValueError, KeyError, TypeError) as exc:
            raise ApiRefusal(400, "malformed", "expected {sha256, size, name}") from exc
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ApiRefusal(400, "malformed", "sha256 must be 64 hex digits")
        if not 0 < size <= console.config.max_bundle_bytes:
            raise ApiRefusal(
                413,
                "too-large",
                "a bundle may have at most {limit} bytes",
                limit=console.config.max_bundle_bytes,
            )
        upload_id = hashlib.sha256(f"{who.fingerprint}:{sha}".encode()).hexdigest()[:32]
        folder = console.config.office_dir / UPLOADS_DIR / upload_id
        folder.mkdir(parents=True, exist_ok=True)
        meta_path = folder / "meta.json"
        if meta_path.is_file():
            meta = _meta(folder, who)
            if int(meta["size"]) != size:
                raise ApiRefusal(409, "conflict", "this file was announced with another size")
        else:
            meta = {
                "signer": who.fingerprint,
                "sha256": sha,
                "size": size,
                "name": name,
                "created": utcnow().isoformat(timespec="seconds"),
            }
            tmp = folder / f"meta.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(meta), encoding="utf-8")
            tmp.replace(meta_path)
            await run_in_threadpool(
                audit.log,
                console.database,
                who.label,
                "upload.start",
                name,
                f"{size} bytes",
                remote_of(request),
            )
        return JSONResponse(_state(folder, meta, upload_id))
    except ApiRefusal as exc:
        return refusal(exc)


async def upload_status(console: Console, request: Request) -> Response:
    try:
        who = await authenticate(console, request)
        upload_id = request.path_params["upload_id"]
        folder = _upload_dir(console, upload_id)
        return JSONResponse(_state(folder, _meta(folder, who), upload_id))
    except ApiRefusal as exc:
        return refusal(exc)


async def upload_chunk(console: Console, request: Request) -> Response:
    try:
        who = await authenticate(console, request)
        upload_id = request.path_params["upload_id"]
        folder = _upload_dir(console, upload_id)
        meta = _meta(folder, who)
        try:
            offset = int(request.query_params["offset"])
            length = int(request.headers["content-length"])
        except (KeyError, ValueError) as exc:
            raise ApiRefusal(411, "malformed", "give ?offset= and a Content-Length") from exc
        if length > console.config.max_chunk_bytes:
            raise ApiRefusal(
                413,
                "too-large",
                "a chunk may have at most {limit} bytes",
                limit=console.config.max_chunk_bytes,
            )
        if offset + length > int(meta["size"]):
            raise ApiRefusal(413, "too-large", "the chunk goes past the announced size")
        with _locked(folder):
            part = folder / "data.part"
            current = part.stat().st_size if part.exists() else 0
            if (folder / "receipt.json").is_file() or offset != current:
                state = _state(folder, meta, upload_id)
                return JSONResponse(
                    {
                        "code": "offset-mismatch",
                        "reason": f"the office holds {state['offset']} bytes",
                    }
                    | state,
                    status_code=409,
                )
            digest = hashlib.sha256()
            received = 0
            fd = os.open(part, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                os.lseek(fd, offset, os.SEEK_SET)
                try:
                    async for chunk in _timed_stream(request):
                        received += len(chunk)
                        if received > length:
                            raise ApiRefusal(400, "malformed", "more bytes than Content-Length")
                        digest.update(chunk)
                        await run_in_threadpool(os.write, fd, chunk)
                    if received != length:
                        raise ApiRefusal(400, "disconnected", "fewer bytes than Content-Length")
                    if digest.hexdigest() != who.content_sha256:
                        raise ApiRefusal(
                            400, "digest-mismatch", "the chunk does not match its signed digest"
                        )
                    os.fsync(fd)
                except ApiRefusal:
                    os.ftruncate(fd, offset)  # a chunk lands whole or not at all
                    raise
            finally:
                os.close(fd)
        return JSONResponse(_state(folder, meta, upload_id))
    except ApiRefusal as exc:
        return refusal(exc)


def _bundle_signer(path: Path) -> str:
    """The signer certificate's sha256 the manifest names (the import then checks the
    signature against exactly that certificate)."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(mf.MANIFEST_NAME)
            if info.file_size > 16 << 20:
                raise ValueError("manifest too large")
            manifest = mf.parse(mf.check_format(archive.read(info)))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, mf.ManifestProblem) as exc:
        raise ApiRefusal(422, "bundle-refused", f"this is not a readable bundle ({exc})") from exc
    return manifest.signer_cert_sha256


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_SQLITE_IMPORTS = threading.Lock()
_OFFICES: dict[Path, Office] = {}  # the office's keys, loaded once per process (read-only)


def _office(console: Console) -> Office:
    folder = console.config.office_dir
    if folder not in _OFFICES:
        _OFFICES[folder] = load_office(folder, console.config.office_passphrase)
    return _OFFICES[folder]


def _one_import_at_a_time(console: Console) -> contextlib.AbstractContextManager[object]:
    """SQLite has one writer at a time: this process's imports queue instead of colliding on
    its lock (another process's are retried by the import). PostgreSQL runs them together."""
    url = console.config.db_url
    return _SQLITE_IMPORTS if url is None or url.startswith("sqlite") else contextlib.nullcontext()


def _finish_sync(
    console: Console, folder: Path, meta: dict[str, Any], who: Specialist, remote: str
) -> Response:
    with _locked(folder):
        receipt = folder / "receipt.json"
        if receipt.is_file():
            return Response(
                receipt.read_bytes(),
                media_type="application/json",
                headers={"X-IETP-Status": (folder / "status").read_text()},
            )
        part = folder / "data.part"
        size = part.stat().st_size if part.exists() else 0
        if size != int(meta["size"]):
            raise ApiRefusal(
                409,
                "incomplete",
                "the office holds {size} of {total} bytes",
                size=size,
                total=meta["size"],
            )
        if _file_sha256(part) != meta["sha256"]:
            shutil.rmtree(folder, ignore_errors=True)
            raise ApiRefusal(
                422,
                "digest-mismatch",
                "the file that arrived does not match its sha256; send it again",
            )
        bundle = folder / "bundle.ietpbundle"
        part.replace(bundle)
        try:
            if _bundle_signer(bundle) != who.fingerprint:
                raise ApiRefusal(
                    403,
                    "wrong-signer",
                    "a bundle is accepted only from the specialist who signed it",
                )
            with _one_import_at_a_time(console):
                outcome = intake.import_bundles(
                    console.config.office_dir,
                    [bundle],
                    console.config.db_url,
                    office=_office(console),
                    database=console.database,
                )[0]
        except ApiRefusal:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        audit.log(
            console.database,
            who.label,
            f"upload.{outcome.status}",
            meta.get("name", ""),
            f"bundle {outcome.bundle_id[:8]}: {outcome.message}"[:2000],
            remote,
        )
        if outcome.receipt is None:  # refused before anyone vouched for it
            shutil.rmtree(folder, ignore_errors=True)
            raise ApiRefusal(422, "bundle-refused", outcome.message)
        data = outcome.receipt.read_bytes()
        (folder / "status").write_text(outcome.status)
        tmp = folder / "receipt.tmp"
        tmp.write_bytes(data)
        tmp.replace(receipt)
        bundle.unlink(missing_ok=True)  # imported: the office database and folders hold it now
        _check_reports(console, outcome)
        return Response(
            data, media_type="application/json", headers={"X-IETP-Status": outcome.status}
        )


def _check_reports(console: Console, outcome: intake.ImportOutcome) -> None:
    """Verify each report that arrived now, so the inbox shows its status from the start.

    Only a head start: the visit page verifies a report the first time it is opened. So a
    check that cannot be stored now (another import holds SQLite's write lock; another
    server process stored the same check first) never turns an import into an error.
    """
    from sqlalchemy import select

    from ietp_desktop.office.console.report_check import check
    from ietp_desktop.storage.models import Visit

    for visit in outcome.visits:
        if visit.result == "refused":
            continue
        with contextlib.suppress(UserError, SQLAlchemyError), console.database.session() as session:
            visit_id = session.scalars(select(Visit.id).where(Visit.uuid == visit.uuid)).first()
            if visit_id is not None:
                check(session, console.config.office_dir, visit_id, visit.uuid, visit.revision)


async def upload_finish(console: Console, request: Request) -> Response:
    try:
        who = await authenticate(console, request)
        await _small_body(request, who)
        upload_id = request.path_params["upload_id"]
        folder = _upload_dir(console, upload_id)
        meta = _meta(folder, who)
        return await run_in_threadpool(_finish_sync, console, folder, meta, who, remote_of(request))
    except ApiRefusal as exc:
        return refusal(exc)


# --- assignments ---------------------------------------------------------------------------


async def assignments_list(console: Console, request: Request) -> Response:
    try:
        who = await authenticate(console, request)
        folder = outbox_dir(console.config.office_dir, who.email)
        items = []
        for path in sorted(folder.glob("*.ietpbundle")) if folder.is_dir() else []:
            stat = path.stat()
            items.append({"name": path.name, "size": stat.st_size, "modified": int(stat.st_mtime)})
        return JSONResponse({"office": console.config.office_dir.name, "bundles": items})
    except ApiRefusal as exc:
        return refusal(exc)


async def assignments_get(console: Console, request: Request) -> Response:
    try:
        who = await authenticate(console, request)
        name = request.path_params["name"]
        folder = outbox_dir(console.config.office_dir, who.email)
        path = folder / name
        if "/" in name or "\\" in name or not name.endswith(".ietpbundle") or not path.is_file():
            raise ApiRefusal(404, "not-found", "no such assignments bundle")
        await run_in_threadpool(
            audit.log,
            console.database,
            who.label,
            "assignments.fetch",
            name,
            "",
            remote_of(request),
        )
        return Response(path.read_bytes(), media_type="application/octet-stream")
    except ApiRefusal as exc:
        return refusal(exc)


async def hello(console: Console, request: Request) -> Response:
    """Who the office thinks is asking: the laptop's connection test."""
    try:
        who = await authenticate(console, request)
        return JSONResponse({"name": who.name, "email": who.email, "fingerprint": who.fingerprint})
    except ApiRefusal as exc:
        return refusal(exc)
