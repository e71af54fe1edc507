"""Write a sync bundle: encrypted payload entries, then the manifest and its signature."""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ietp_desktop.domain.errors import UserError
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.atomic import atomic_writer
from ietp_desktop.security.certificates import Role, SigningIdentity
from ietp_desktop.sync import manifest as mf
from ietp_desktop.sync.cms_signature import sign_detached
from ietp_desktop.sync.envelope import CHUNK_SIZE, TAG_SIZE, Sealer, readinto_full
from ietp_desktop.sync.errors import SourceChanged
from ietp_desktop.sync.lanes import Lane, Ring, lanes
from ietp_desktop.sync.model import BundleInfo, PayloadEntry, PayloadSource
from ietp_desktop.sync.zipstore import ArchiveTooLarge, EntryStream, StoredZipWriter

RING_SLOTS = 4  # chunks in flight: one being read ahead, one sealed, two in the lanes
OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def role_name(cert: x509.Certificate) -> str:
    roles = certs.roles_of(cert)
    if Role.SPECIALIST in roles:
        return "specialist"
    if Role.OFFICE_SIGNING in roles:
        return "office"
    return "none"


def _check_visits(visits: list[dict[str, Any]]) -> list[mf.VisitRef]:
    refs = []
    for visit in visits:
        if set(visit) != {"uuid", "revision"}:
            raise ValueError("a bundle's visit list holds exactly 'uuid' and 'revision' per visit")
        refs.append(mf.VisitRef(str(uuid.UUID(str(visit["uuid"]))), int(visit["revision"])))
    return refs


def wrap_key(data_key: bytes, recipient: x509.Certificate) -> dict[str, str]:
    public_key = recipient.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey) or public_key.key_size < 3072:
        raise UserError(
            "the recipient certificate '{name}' has no RSA key of 3072 bits or more",
            name=certs.common_name(recipient),
        )
    return {
        "cert_sha256": certs.fingerprint(recipient),
        "wrapped_key": base64.b64encode(public_key.encrypt(data_key, OAEP)).decode("ascii"),
    }


def write_bundle(
    out: Path,
    kind: str,
    entries: Iterable[PayloadSource],
    signer: SigningIdentity,
    recipient_certs: list[x509.Certificate],
    visits: list[dict[str, Any]],
    schema_version: str,
    *,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> BundleInfo:
    """Write the bundle atomically to `out`; `progress` gets the plaintext bytes done so far."""
    if kind not in mf.KINDS:
        raise ValueError(f"unknown bundle kind {kind!r}")
    if not recipient_certs:
        raise ValueError("a bundle needs at least one recipient")
    visit_refs = _check_visits(visits)
    data_key = AESGCM.generate_key(bit_length=256)
    recipients = [wrap_key(data_key, cert) for cert in recipient_certs]
    written: list[dict[str, Any]] = []
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done)

    try:
        with atomic_writer(out) as stream, lanes(3) as pipeline:
            archive = StoredZipWriter(stream)
            ring = Ring(RING_SLOTS, chunk_size, chunk_size + TAG_SIZE)
            for source in entries:
                if not mf.is_payload_name(source.name):
                    raise UserError(
                        "'{name}' cannot name a bundle entry (use letters, digits, . _ -)",
                        name=source.name,
                    )
                path = mf.payload_path(source.name)
                if any(item["path"] == path for item in written):
                    raise UserError("the bundle entry '{name}' is given twice", name=source.name)
                digest = hashlib.sha256()
                with archive.entry(path) as body, source.open() as plain:
                    sealer = Sealer(data_key, path, chunk_size)
                    plain_size = _seal_entry(
                        sealer, source, plain, body, digest, ring, pipeline, advance
                    )
                written.append(
                    {
                        "path": path,
                        "sha256": digest.hexdigest(),
                        "size": body.size,
                        "plain_size": plain_size,
                    }
                )
            bundle_id = str(uuid.uuid4())
            document = {
                "format": mf.FORMAT,
                "format_version": mf.FORMAT_VERSION,
                "bundle_id": bundle_id,
                "kind": kind,
                "created_at": certs.utcnow().isoformat(timespec="seconds"),
                "signer": {
                    "cert_sha256": certs.fingerprint(signer.certificate),
                    "role": role_name(signer.certificate),
                },
                "schema_version": schema_version,
                "chunk_size": chunk_size,
                "visits": [{"uuid": v.uuid, "revision": v.revision} for v in visit_refs],
                "recipients": recipients,
                "entries": written,
            }
            manifest_bytes = mf.encode(document)
            archive.write_entry(mf.MANIFEST_NAME, manifest_bytes)
            archive.write_entry(mf.SIGNATURE_NAME, sign_detached(manifest_bytes, signer))
            archive.close()
            size = stream.tell()
    except ArchiveTooLarge as exc:
        raise UserError(
            "the bundle {file} would exceed 4 GiB; export fewer visits at a time",
            file=Path(out).name,
        ) from exc
    return BundleInfo(
        path=Path(out),
        bundle_id=bundle_id,
        kind=kind,
        size=size,
        entries=[
            PayloadEntry(
                mf.ManifestEntry(e["path"], e["sha256"], e["size"], e["plain_size"]).name,
                e["size"],
                e["plain_size"],
            )
            for e in written
        ],
        visits=visit_refs,
    )


def _seal_entry(
    sealer: Sealer,
    source: PayloadSource,
    plain: BinaryIO,
    body: EntryStream,
    digest: Any,
    ring: Ring,
    pipeline: list[Lane],
    advance: Callable[[int], None],
) -> int:
    """Encrypt one entry into `body`; returns the plaintext size.

    The main thread reads and encrypts; the plaintext sha256 (when the source has one to
    check), the ciphertext sha256 and the CRC + write of each chunk run in three lanes beside
    it. The next chunk is read before a chunk is sealed, to know whether it is the last.
    """
    plain_lane, hash_lane, write_lane = pipeline
    plain_digest = hashlib.sha256() if source.sha256 is not None else None
    hash_lane.submit(digest.update, sealer.header)
    write_lane.submit(body.write, sealer.header)
    (buffer, sealed), jobs = ring.take()
    count = readinto_full(plain, buffer)
    total = 0
    while True:
        if count == sealer.chunk_size:
            (next_buffer, next_sealed), next_jobs = ring.take()
            next_count = readinto_full(plain, next_buffer)
        else:
            next_buffer, next_sealed, next_jobs, next_count = buffer, sealed, jobs, 0
        chunk = memoryview(buffer)[:count]
        if plain_digest is not None:
            jobs.append(plain_lane.submit(plain_digest.update, chunk))
        ciphertext = sealer.seal_into(chunk, next_count == 0, sealed)
        jobs.append(hash_lane.submit(digest.update, ciphertext))
        jobs.append(write_lane.submit(body.write, ciphertext))
        total += count
        advance(count)
        if next_count == 0:
            break
        buffer, sealed, jobs, count = next_buffer, next_sealed, next_jobs, next_count
    for lane in pipeline:
        lane.drain()
    if plain_digest is not None and plain_digest.hexdigest() != source.sha256:
        raise SourceChanged(source.name)
    return total
