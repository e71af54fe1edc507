"""Building damaged bundles for the refusal tests."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path
from typing import Any

from ietp_desktop.security.certificates import SigningIdentity
from ietp_desktop.sync import manifest as mf
from ietp_desktop.sync.bundle import open_bundle
from ietp_desktop.sync.cms_signature import sign_detached
from ietp_desktop.sync.reader import VerifiedBundle
from ietp_desktop.sync.zipstore import CENTRAL, CENTRAL_SIG, LOCAL, StoredZipWriter


def entries_of(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def write_entries(path: Path, entries: list[tuple[str, bytes]]) -> Path:
    with open(path, "wb") as stream:
        writer = StoredZipWriter(stream)
        for name, data in entries:
            writer.write_entry(name, data)
        writer.close()
    return path


def manifest_of(entries: list[tuple[str, bytes]]) -> dict[str, Any]:
    return json.loads(dict(entries)[mf.MANIFEST_NAME])


def with_manifest(
    entries: list[tuple[str, bytes]], document: dict[str, Any], signer: SigningIdentity | None
) -> list[tuple[str, bytes]]:
    """Replace the manifest; re-sign it when `signer` is given, else keep the old signature."""
    raw = mf.encode(document)
    result = []
    for name, data in entries:
        if name == mf.MANIFEST_NAME:
            data = raw
        elif name == mf.SIGNATURE_NAME and signer is not None:
            data = sign_detached(raw, signer)
        result.append((name, data))
    return result


def central_record_offsets(raw: bytes) -> dict[str, int]:
    offsets = {}
    position = raw.index(struct.pack("<I", CENTRAL_SIG))
    while raw[position : position + 4] == struct.pack("<I", CENTRAL_SIG):
        name_len = struct.unpack_from("<H", raw, position + 28)[0]
        name = raw[position + CENTRAL.size : position + CENTRAL.size + name_len].decode()
        offsets[name] = position
        position += CENTRAL.size + name_len
    return offsets


def forge_declared_size(raw: bytes, name: str, size: int) -> bytes:
    """Change both size fields of `name` in the central directory and its local header."""
    data = bytearray(raw)
    central = central_record_offsets(raw)[name]
    struct.pack_into("<II", data, central + 20, size, size)
    local = struct.unpack_from("<I", raw, central + 42)[0]
    struct.pack_into("<II", data, local + 18, size, size)
    assert LOCAL.size == 30
    return bytes(data)


def deflated(entries: list[tuple[str, bytes]], compressed: str) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, data in entries:
            method = zipfile.ZIP_DEFLATED if name == compressed else zipfile.ZIP_STORED
            archive.writestr(name, data, compress_type=method)
    return stream.getvalue()


def open_home(path: Path, offices: Any, **kwargs: Any) -> VerifiedBundle:
    home = offices.home
    return open_bundle(
        path, home.ca_cert, "visit-results", home.encryption_key, home.encryption_cert, **kwargs
    )


def all_plaintext(bundle: VerifiedBundle) -> dict[str, bytes]:
    return {name: bundle.read_entry(name) for name in bundle.names()}
