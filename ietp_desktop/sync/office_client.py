"""The laptop's side of the office server: signed requests over HTTPS pinned to the office CA.

Only the office CA the laptop enrolled with is trusted for TLS (no system CAs), and the host
name must match the server certificate, so a network that intercepts the connection, or an
office server of another office, is refused before anything is sent. Plain http:// is
accepted for a loopback address only (development).

Uploads are resumable: the file is announced by its sha256 and size, sent in chunks, and
after a dropped connection the client asks the server how much it holds and goes on from
there (a bounded number of retries). No Qt here; the window and the CLI both call this.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import json
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import catalogue, tr
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.certificates import SigningIdentity
from ietp_desktop.sync.request_signature import EMPTY_SHA256, sign_request

CHUNK_BYTES = 8 << 20
RETRIES = 6
BUSY_WAITS = 120  # × BUSY_SECONDS: how long to wait for another connection writing the upload
BUSY_SECONDS = 0.5
TIMEOUT_SECONDS = 120.0
Progress = Callable[[int, int], None]  # bytes the office holds, total

# The server's refusal codes, in words the specialist understands (translated).
REFUSALS = {
    "unauthenticated": "the office could not check who sent the request",
    "clock": "this laptop's clock is wrong; set the date and time, then try again",
    "untrusted": "the office does not trust this laptop's certificate",
    "revoked": (
        "the office has revoked this laptop's certificate; ask the office to enrol you again"
    ),
    "replayed": "the office received this request twice; try again",
    "too-large": "the bundle is larger than the office accepts",
    "timeout": "the connection was too slow; try again",
    "digest-mismatch": "the data was damaged on the way; try again",
    "bundle-refused": "the office refused the bundle",
    "wrong-signer": "the bundle was signed by another specialist than this laptop's",
    "not-found": "the office does not know this upload or file",
    "busy": "the office is still receiving this bundle from another connection; try again",
}


def _reason(document: dict[str, Any]) -> str:
    """The office's reason in this laptop's language: the office sends its English template
    and values, and a template this program knows is translated here (anything else is shown
    as the office wrote it)."""
    reason = str(document.get("reason", ""))
    template, params = document.get("template"), document.get("params")
    if not isinstance(template, str) or not isinstance(params, dict):
        return reason
    if template not in catalogue("zh"):  # only our own messages, never a stranger's format
        return reason
    try:
        return tr(template, **{str(k): str(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return reason


class OfficeUnreachable(UserError):
    """The office server could not be reached, or the connection was not trusted."""


class OfficeNotTrusted(UserError):
    """The server's certificate was not issued by the enrolled office CA: never retried."""


class OfficeRefused(UserError):
    def __init__(self, code: str, reason: str) -> None:
        text = tr(REFUSALS[code]) if code in REFUSALS else tr("the office refused the request")
        super().__init__(f"{text}: {reason}" if reason else text)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class UploadResult:
    receipt: bytes
    status: str  # imported | already-imported | refused (as the office's receipt says)
    resumed_from: int  # bytes the office already held when this call started
    retries: int
    resumed_at: tuple[int, ...] = ()  # offsets the office reported after each reconnection


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class OfficeClient:
    def __init__(
        self,
        url: str,
        office_ca: x509.Certificate,
        identity: SigningIdentity,
        *,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise UserError(
                tr("'{url}' is not an office address like https://office:8443", url=url)
            )
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise UserError(
                tr("the office must be reached over https:// (plain http only on this computer)")
            )
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.prefix = parts.path.rstrip("/")
        self.identity = identity
        self.ca_fingerprint = certs.fingerprint(office_ca)
        self.timeout = timeout
        self._context: ssl.SSLContext | None = None
        if self.scheme == "https":
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.load_verify_locations(
                cadata=office_ca.public_bytes(Encoding.PEM).decode("ascii")
            )
            context.check_hostname = True
            context.verify_mode = ssl.CERT_REQUIRED
            self._context = context
        self._connection: http.client.HTTPConnection | None = None

    # --- transport ------------------------------------------------------------------------

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            if self._context is not None:
                self._connection = http.client.HTTPSConnection(
                    self.host, self.port, timeout=self.timeout, context=self._context
                )
            else:
                self._connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> OfficeClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def request(
        self, method: str, path: str, body: bytes = b"", content_type: str = "application/json"
    ) -> tuple[int, dict[str, str], bytes]:
        """One signed request; connection problems raise OfficeUnreachable."""
        target = self.prefix + path
        digest = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
        headers = sign_request(self.identity, method, target, digest, self.ca_fingerprint)
        headers["Content-Type"] = content_type
        headers["Content-Length"] = str(len(body))
        try:
            connection = self._connect()
            connection.request(method, target, body=body or None, headers=headers)
            response = connection.getresponse()
            data = response.read()
            if response.getheader("connection", "").lower() == "close":
                self.close()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        except ssl.SSLCertVerificationError as exc:
            self.close()
            raise OfficeNotTrusted(
                tr(
                    "{host} is not the office this laptop is enrolled with (its certificate "
                    "was not issued by the office CA): {error}",
                    host=self.host,
                    error=exc.verify_message or exc,
                )
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise OfficeUnreachable(
                tr(
                    "cannot reach the office at {host}:{port}: {error}",
                    host=self.host,
                    port=self.port,
                    error=exc,
                )
            ) from exc

    def _json(
        self, method: str, path: str, document: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        body = json.dumps(document).encode() if document is not None else b""
        status, _headers, data = self.request(method, path, body)
        return self._decode(status, data)

    @staticmethod
    def _decode(status: int, data: bytes) -> dict[str, Any]:
        try:
            document = json.loads(data.decode("utf-8")) if data else {}
        except (UnicodeDecodeError, ValueError):
            document = {}
        if status >= 400:
            if not isinstance(document, dict) or "code" not in document:
                raise OfficeRefused("", tr("HTTP status {status}", status=status))
            raise OfficeRefused(str(document.get("code")), _reason(document))
        if not isinstance(document, dict):
            raise OfficeRefused("", tr("the office answered something unexpected"))
        return document

    # --- requests -------------------------------------------------------------------------

    def hello(self) -> dict[str, Any]:
        return self._json("GET", "/api/v1/hello")

    def upload(self, path: Path, progress: Progress | None = None) -> UploadResult:
        path = Path(path)
        size = path.stat().st_size
        digest = hashlib.sha256()
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        sha = digest.hexdigest()
        retries = 0
        while True:
            try:
                state = self._json(
                    "POST", "/api/v1/uploads", {"sha256": sha, "size": size, "name": path.name}
                )
                break
            except OfficeUnreachable:
                retries = self._wait(retries)
        upload_id = str(state["upload"])
        offset = int(state["offset"])
        started = offset
        busy = 0
        resumed_at: list[int] = []
        with open(path, "rb") as stream:
            while True:
                try:
                    if progress:
                        progress(offset, size)
                    if offset < size:
                        stream.seek(offset)
                        chunk = stream.read(CHUNK_BYTES)
                        status, _h, data = self.request(
                            "PUT",
                            f"/api/v1/uploads/{upload_id}?offset={offset}",
                            chunk,
                            "application/octet-stream",
                        )
                        if status == 409:  # the office holds another amount: go on from there
                            offset, busy = self._after_conflict(upload_id, data, busy)
                            continue
                        offset = int(self._decode(status, data)["offset"])
                        busy = 0
                        continue
                    status, headers, data = self.request(
                        "POST", f"/api/v1/uploads/{upload_id}/finish"
                    )
                    if status == 409:
                        offset, busy = self._after_conflict(upload_id, data, busy)
                        continue
                    if status >= 400:
                        self._decode(status, data)  # raises OfficeRefused with the reason
                    return UploadResult(
                        data, headers.get("x-ietp-status", ""), started, retries, tuple(resumed_at)
                    )
                except OfficeUnreachable:
                    retries = self._wait(retries)
                    try:
                        offset = int(self._json("GET", f"/api/v1/uploads/{upload_id}")["offset"])
                        resumed_at.append(offset)
                    except OfficeUnreachable:
                        continue

    def _after_conflict(self, upload_id: str, data: bytes, busy: int) -> tuple[int, int]:
        """Where to go on after a 409, and how many times the upload was busy in a row.

        The office answers 409 when it holds another amount than the chunk assumed (its
        offset is in the answer), when a finish came too early, and when another connection
        (or another server process) is writing the same upload at this moment ("busy"): then
        wait a little and ask again, for a bounded time.
        """
        try:
            document = json.loads(data)
        except ValueError:
            document = None
        if not isinstance(document, dict):
            raise OfficeRefused("", tr("the office answered something unexpected"))
        if document.get("code") == "busy":
            if busy >= BUSY_WAITS:
                raise OfficeRefused("busy", "")
            time.sleep(BUSY_SECONDS)
            busy += 1
        elif "offset" in document:
            return int(document["offset"]), busy
        return int(self._json("GET", f"/api/v1/uploads/{upload_id}")["offset"]), busy

    @staticmethod
    def _wait(retries: int) -> int:
        if retries >= RETRIES:
            raise OfficeUnreachable(
                tr("the office could not be reached after {n} tries; send again later", n=retries)
            )
        time.sleep(min(8.0, 0.5 * 2**retries))
        return retries + 1

    def assignments(self) -> list[dict[str, Any]]:
        document = self._json("GET", "/api/v1/assignments")
        items = document.get("bundles", [])
        return [i for i in items if isinstance(i, dict) and isinstance(i.get("name"), str)]

    def download_assignment(self, name: str, out: Path) -> Path:
        status, _headers, data = self.request("GET", f"/api/v1/assignments/{quote(name, safe='')}")
        if status >= 400:
            self._decode(status, data)
        Path(out).write_bytes(data)
        return Path(out)
