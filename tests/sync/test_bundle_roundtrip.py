from __future__ import annotations

import hashlib
import json
import os
import tracemalloc
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest

from ietp_desktop.sync import manifest as mf
from ietp_desktop.sync.bundle import PayloadSource, open_bundle, verify_bundle, write_bundle
from ietp_desktop.sync.errors import SourceChanged

from .bundle_forgery import all_plaintext, entries_of, open_home
from .conftest import Offices, SmallBundle


def test_small_bundle_round_trip(offices: Offices, small_bundle: SmallBundle) -> None:
    bundle = open_home(small_bundle.path, offices)
    assert all_plaintext(bundle) == small_bundle.payload
    assert bundle.kind == "visit-results"
    assert [(v.uuid, v.revision) for v in bundle.visits] == [(small_bundle.visit_uuid, 2)]
    assert (bundle.signer.name, bundle.signer.email, bundle.signer.role) == (
        "Li Wei",
        "li.wei@example.org",
        "specialist",
    )
    assert bundle.schema_version == "1"


def test_standard_zip_tools_see_stored_entries(small_bundle: SmallBundle) -> None:
    with zipfile.ZipFile(small_bundle.path) as archive:
        assert archive.testzip() is None
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}
        assert sorted(archive.namelist()) == [
            "manifest.json",
            "manifest.json.p7s",
            "payload/empty.bin.enc",
            "payload/photo-1.jpg.enc",
            "payload/visit.json.enc",
        ]


def test_no_personal_data_outside_the_encrypted_payload(small_bundle: SmallBundle) -> None:
    raw = small_bundle.path.read_bytes()
    assert b"Wang Fang" not in raw and b"Dongguan" not in raw
    document = json.loads(dict(entries_of(small_bundle.path))[mf.MANIFEST_NAME])
    assert document["visits"] == [{"uuid": small_bundle.visit_uuid, "revision": 2}]
    assert document["format"] == "ietp-bundle" and document["format_version"] == "1.0"


def test_visit_list_refuses_extra_fields(offices: Offices, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="exactly 'uuid' and 'revision'"):
        write_bundle(
            tmp_path / "x.ietpbundle",
            "visit-results",
            [],
            offices.specialist,
            [offices.home.encryption_cert],
            [{"uuid": str(uuid.uuid4()), "revision": 1, "factory": "Happy Toys"}],
            "1",
        )
    assert list(tmp_path.iterdir()) == []


class _Pattern:
    """A large reproducible stream (byte i is i % 251) generated on the fly, never held whole."""

    _BLOCK = bytes(range(251)) * 4200

    def __init__(self, size: int) -> None:
        self.position = 0
        self.size = size

    def read(self, n: int = -1) -> bytes:
        n = self.size - self.position if n < 0 else min(n, self.size - self.position)
        parts = []
        while n > 0:
            start = self.position % 251
            part = self._BLOCK[start : start + n]
            parts.append(part)
            self.position += len(part)
            n -= len(part)
        return b"".join(parts)

    def __enter__(self) -> _Pattern:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _sha256_of(stream: Any) -> str:
    digest = hashlib.sha256()
    while block := stream.read(100_000):
        digest.update(block)
    return digest.hexdigest()


def _round_trip_peak(offices: Offices, folder: Path, size: int) -> int:
    """Write a bundle with a file entry and a streamed entry of `size` bytes each, open it and
    read both back; returns the peak traced memory (and checks the content came back)."""
    expected = _sha256_of(_Pattern(size))
    folder.mkdir()
    photo = folder / "photo.jpg"
    with open(photo, "wb") as stream:
        source = _Pattern(size)
        while block := source.read(1 << 20):
            stream.write(block)
    out = folder / "photos.ietpbundle"
    tracemalloc.start()
    try:
        info = write_bundle(
            out,
            "visit-results",
            [
                PayloadSource.from_path("photo.jpg", photo, expected),
                PayloadSource("stream.bin", lambda: _Pattern(size)),  # type: ignore[arg-type, return-value]
            ],
            offices.specialist,
            [offices.home.encryption_cert],
            [],
            "1",
        )
        bundle = open_home(out, offices)
        digests = []
        for name in ("photo.jpg", "stream.bin"):
            with bundle.open_entry(name) as stream:
                digests.append(_sha256_of(stream))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digests == [expected, expected]
    assert [e.plain_size for e in info.entries] == [size, size]
    assert out.stat().st_size > 2 * size
    return peak


def test_multi_megabyte_entry_streams_with_flat_memory(offices: Offices, tmp_path: Path) -> None:
    """Memory is a few chunks in flight, whatever the entry size: doubling it adds nothing."""
    size = 24 * 1024 * 1024 + 17
    small = _round_trip_peak(offices, tmp_path / "small", size)
    large = _round_trip_peak(offices, tmp_path / "large", 2 * size)
    assert large < small + (2 << 20), f"peak {small} bytes for 24 MB entries, {large} for 48 MB"
    assert large < 2 * size, f"peak traced memory {large} bytes for two 48 MB entries"


def test_source_with_another_sha256_writes_no_bundle(offices: Offices, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"now" * 5000)
    recorded = hashlib.sha256(b"then" * 5000).hexdigest()
    out = tmp_path / "out.ietpbundle"
    with pytest.raises(SourceChanged) as raised:
        write_bundle(
            out,
            "visit-results",
            [PayloadSource.from_path("photo.jpg", photo, recorded)],
            offices.specialist,
            [offices.home.encryption_cert],
            [],
            "1",
            chunk_size=1000,
        )
    assert raised.value.name == "photo.jpg"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


def test_entry_read_in_tiny_pieces(offices: Offices, small_bundle: SmallBundle) -> None:
    bundle = open_home(small_bundle.path, offices)
    with bundle.open_entry("photo-1.jpg") as stream:
        pieces = iter(lambda: stream.read(7), b"")
        assert b"".join(pieces) == small_bundle.payload["photo-1.jpg"]


def test_interrupted_export_leaves_no_file(offices: Offices, tmp_path: Path) -> None:
    class Exploding:
        def __init__(self) -> None:
            self.calls = 0

        def read(self, n: int = -1) -> bytes:
            self.calls += 1
            if self.calls > 3:
                raise OSError("disk unplugged")
            return os.urandom(min(n, 4096))

        def __enter__(self) -> Exploding:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    out = tmp_path / "visit.ietpbundle"
    with pytest.raises(OSError, match="disk unplugged"):
        write_bundle(
            out,
            "visit-results",
            [PayloadSource("photo.jpg", Exploding)],  # type: ignore[arg-type]
            offices.specialist,
            [offices.home.encryption_cert],
            [],
            "1",
        )
    assert list(tmp_path.iterdir()) == []


def test_assignments_from_office_to_specialist(offices: Offices, tmp_path: Path) -> None:
    out = tmp_path / "assign.ietpbundle"
    write_bundle(
        out,
        "assignments",
        [PayloadSource.from_bytes("assignments.json", b'{"visits": []}')],
        offices.home.signing,
        [offices.specialist.certificate],
        [],
        "1",
    )
    bundle = open_bundle(
        out,
        offices.home.ca_cert,
        "assignments",
        offices.specialist.private_key,  # type: ignore[arg-type]
        offices.specialist.certificate,
    )
    assert bundle.read_entry("assignments.json") == b'{"visits": []}'
    assert bundle.signer.role == "office"


def test_verify_reports_signer_visits_and_trust(
    offices: Offices, small_bundle: SmallBundle
) -> None:
    report = verify_bundle(small_bundle.path, offices.home.ca_cert)
    assert report.intact and report.trusted and report.problems == []
    assert report.signer is not None and report.signer.name == "Li Wei"
    assert [(v.uuid, v.revision) for v in report.visits] == [(small_bundle.visit_uuid, 2)]
    assert sorted(e.name for e in report.entries) == ["empty.bin", "photo-1.jpg", "visit.json"]


def test_verify_against_another_office_is_intact_but_untrusted(
    offices: Offices, small_bundle: SmallBundle
) -> None:
    report = verify_bundle(small_bundle.path, offices.other.ca_cert)
    assert report.intact and not report.trusted
    assert report.problems == [
        "the signer (Li Wei): certificate was not issued by this office's CA"
    ]
