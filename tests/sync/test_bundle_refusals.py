"""Every way a bundle can be bad is refused with a message naming the file and the problem."""

from __future__ import annotations

import hashlib
import re
import struct
import zipfile
from pathlib import Path

import pytest

from ietp_desktop.sync import manifest as mf
from ietp_desktop.sync.bundle import BundleLimits, BundleRefused, open_bundle, verify_bundle
from ietp_desktop.sync.zipstore import END

from .bundle_forgery import (
    central_record_offsets,
    deflated,
    entries_of,
    forge_declared_size,
    manifest_of,
    open_home,
    with_manifest,
    write_entries,
)
from .conftest import Offices, SmallBundle, make_small_bundle


def refused(path: Path, offices: Offices, pattern: str, **kwargs: object) -> str:
    with pytest.raises(BundleRefused) as caught:
        open_home(path, offices, **kwargs)
    message = str(caught.value)
    assert message.startswith(f"bundle {path.name} refused: "), message
    assert re.search(pattern, message), message
    assert "\n" not in message
    return message


def _flip(raw: bytes, offset: int) -> bytes:
    return raw[:offset] + bytes([raw[offset] ^ 0x01]) + raw[offset + 1 :]


def _offsets(raw: bytes) -> dict[str, int]:
    with zipfile.ZipFile(__import__("io").BytesIO(raw)) as archive:
        data_start = {
            info.filename: info.header_offset + 30 + len(info.filename)
            for info in archive.infolist()
        }
    central = central_record_offsets(raw)
    return {
        "manifest": data_start[mf.MANIFEST_NAME] + 40,
        "signature": data_start[mf.SIGNATURE_NAME] + 200,
        "signature-last-byte": raw.index(b"PK\x01\x02") - 1 - 0,
        "payload-header": data_start["payload/photo-1.jpg.enc"] + 10,
        "payload-middle": data_start["payload/photo-1.jpg.enc"] + 1500,
        "payload-tag": data_start["payload/visit.json.enc"] + 24 + len(b"x") + 60,
        "local-header-crc": 14,
        "central-directory-name": central["payload/visit.json.enc"] + 46 + 9,
        "central-directory-crc": central["payload/visit.json.enc"] + 16,
        "central-directory-attributes": central["manifest.json"] + 38,
        "end-record": len(raw) - END.size + 12,
    }


OFFSET_NAMES = [
    "manifest",
    "signature",
    "signature-last-byte",
    "payload-header",
    "payload-middle",
    "payload-tag",
    "local-header-crc",
    "central-directory-name",
    "central-directory-crc",
    "central-directory-attributes",
    "end-record",
]


@pytest.mark.parametrize("where", OFFSET_NAMES)
def test_flipped_byte_is_refused(
    where: str, offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    raw = small_bundle.path.read_bytes()
    damaged = tmp_path / "damaged.ietpbundle"
    damaged.write_bytes(_flip(raw, _offsets(raw)[where]))
    refused(damaged, offices, ".")


@pytest.mark.slow
def test_every_single_flipped_byte_is_refused(
    offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    raw = small_bundle.path.read_bytes()
    damaged = tmp_path / "damaged.ietpbundle"
    accepted = []
    for offset in range(len(raw)):
        damaged.write_bytes(_flip(raw, offset))
        try:
            open_home(damaged, offices)
        except BundleRefused:
            continue
        accepted.append(offset)
    assert accepted == []


def test_edited_manifest_is_refused(
    offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    entries = entries_of(small_bundle.path)
    document = manifest_of(entries)
    document["visits"][0]["revision"] = 3
    edited = write_entries(tmp_path / "edited.ietpbundle", with_manifest(entries, document, None))
    refused(edited, offices, "the manifest does not match its signature")


def test_missing_entry(offices: Offices, small_bundle: SmallBundle, tmp_path: Path) -> None:
    entries = [e for e in entries_of(small_bundle.path) if e[0] != "payload/visit.json.enc"]
    path = write_entries(tmp_path / "missing.ietpbundle", entries)
    refused(path, offices, r"entry 'payload/visit\.json\.enc' listed in the manifest is missing")


def test_missing_signature(offices: Offices, small_bundle: SmallBundle, tmp_path: Path) -> None:
    entries = [e for e in entries_of(small_bundle.path) if e[0] != mf.SIGNATURE_NAME]
    path = write_entries(tmp_path / "unsigned.ietpbundle", entries)
    refused(path, offices, r"it has no manifest\.json\.p7s")


def test_extra_payload_entry(offices: Offices, small_bundle: SmallBundle, tmp_path: Path) -> None:
    entries = entries_of(small_bundle.path)
    entries.insert(0, ("payload/extra.enc", b"sneaked in"))
    path = write_entries(tmp_path / "extra.ietpbundle", entries)
    refused(path, offices, r"entry 'payload/extra\.enc' is not listed in the manifest")


def test_unexpected_entry(offices: Offices, small_bundle: SmallBundle, tmp_path: Path) -> None:
    entries = [*entries_of(small_bundle.path), ("readme.txt", b"hello")]
    path = write_entries(tmp_path / "extra.ietpbundle", entries)
    refused(path, offices, r"entry name 'readme\.txt' is not an entry bundles contain")


def test_duplicated_entry(offices: Offices, small_bundle: SmallBundle, tmp_path: Path) -> None:
    entries = entries_of(small_bundle.path)
    entries.append(next(e for e in entries if e[0] == "payload/visit.json.enc"))
    path = write_entries(tmp_path / "dup.ietpbundle", entries)
    refused(path, offices, r"entry 'payload/visit\.json\.enc' appears twice")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("payload/../visit.json.enc", r"refers to a parent folder \(\.\.\)"),
        ("../manifest.json", r"refers to a parent folder \(\.\.\)"),
        ("/etc/passwd", "is an absolute path"),
        ("payload\\visit.json.enc", "contains a backslash"),
        ("C:/Windows/evil.enc", "starts with a drive letter"),
        ("payload/a\x00b.enc", "contains control characters"),
        ("payload/.hidden.enc", "is not an entry bundles contain"),
    ],
)
def test_bad_entry_names(
    name: str, problem: str, offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    entries = [*entries_of(small_bundle.path), (name, b"x")]
    path = write_entries(tmp_path / "names.ietpbundle", entries)
    refused(path, offices, f"entry name '{re.escape(name)}' {problem}")


def test_declared_size_over_the_limit(
    offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    refused(
        small_bundle.path,
        offices,
        r"entry 'payload/photo-1\.jpg\.enc' declares \d+ bytes; the limit is 1000",
        limits=BundleLimits(max_entry_bytes=1000),
    )


def test_declared_size_larger_than_the_data(
    offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    raw = forge_declared_size(small_bundle.path.read_bytes(), "payload/visit.json.enc", 10**9)
    path = tmp_path / "forged.ietpbundle"
    path.write_bytes(raw)
    refused(path, offices, r"declared size or position of entry 'payload/visit\.json\.enc'")


def test_declared_size_beyond_any_limit(
    offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    raw = forge_declared_size(small_bundle.path.read_bytes(), "manifest.json", 0xFFFFFFF0)
    path = tmp_path / "forged.ietpbundle"
    path.write_bytes(raw)
    refused(path, offices, r"entry 'manifest\.json' declares 4294967280 bytes; the limit is")


def test_too_many_entries(offices: Offices, small_bundle: SmallBundle) -> None:
    refused(
        small_bundle.path,
        offices,
        "it holds 5 entries; at most 4 are allowed",
        limits=BundleLimits(max_entries=4),
    )


def test_compressed_entry(offices: Offices, small_bundle: SmallBundle, tmp_path: Path) -> None:
    path = tmp_path / "deflated.ietpbundle"
    path.write_bytes(deflated(entries_of(small_bundle.path), "payload/photo-1.jpg.enc"))
    refused(path, offices, r"entry 'payload/photo-1\.jpg\.enc' is compressed")


def test_zip_written_by_other_tools_is_refused(
    offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    path = tmp_path / "rezipped.ietpbundle"
    path.write_bytes(deflated(entries_of(small_bundle.path), "none"))
    refused(path, offices, "has a header bundles are not written with")


def test_encrypted_to_another_office(offices: Offices, small_bundle: SmallBundle) -> None:
    other = offices.other
    with pytest.raises(BundleRefused, match="not encrypted for this office"):
        open_bundle(
            small_bundle.path,
            offices.home.ca_cert,  # signed by a home specialist, but opened with other's key
            "visit-results",
            other.encryption_key,
            other.encryption_cert,
        )


def test_signer_from_another_ca(offices: Offices, tmp_path: Path) -> None:
    bundle = make_small_bundle(offices, tmp_path / "x.ietpbundle", offices.foreign_specialist)
    refused(
        bundle.path,
        offices,
        r"the signer \(Li Wei\): certificate was not issued by this office's CA",
    )


def test_expired_signer(offices: Offices, tmp_path: Path) -> None:
    bundle = make_small_bundle(offices, tmp_path / "x.ietpbundle", offices.expired)
    refused(bundle.path, offices, r"the signer \(Old Timer\): certificate is not valid at")


def test_signer_not_a_specialist(offices: Offices, tmp_path: Path) -> None:
    bundle = make_small_bundle(offices, tmp_path / "x.ietpbundle", offices.home.signing)
    refused(bundle.path, offices, "certificate is not a Progress Visit Specialist certificate")


def test_specialist_cannot_send_assignments(offices: Offices, small_bundle: SmallBundle) -> None:
    home = offices.home
    with pytest.raises(BundleRefused, match="it is a visit-results bundle, not assignments"):
        open_bundle(
            small_bundle.path,
            home.ca_cert,
            "assignments",
            home.encryption_key,
            home.encryption_cert,
        )


def test_unknown_major_version(offices: Offices, small_bundle: SmallBundle, tmp_path: Path) -> None:
    entries = entries_of(small_bundle.path)
    document = manifest_of(entries)
    document["format_version"] = "2.0"
    path = write_entries(
        tmp_path / "v2.ietpbundle", with_manifest(entries, document, offices.specialist)
    )
    refused(path, offices, "it uses bundle format 2.0; this program reads format 1.0")
    with pytest.raises(BundleRefused, match=r"format 2\.0"):
        verify_bundle(path, offices.home.ca_cert)


def test_newer_minor_version_is_read(
    offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    entries = entries_of(small_bundle.path)
    document = manifest_of(entries)
    document["format_version"] = "1.7"
    path = write_entries(
        tmp_path / "v17.ietpbundle", with_manifest(entries, document, offices.specialist)
    )
    assert open_home(path, offices).read_entry("visit.json") == small_bundle.payload["visit.json"]


@pytest.mark.parametrize("keep", [0, 21, 100, 2000, -23, -22, -1])
def test_truncated_file(
    keep: int, offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    raw = small_bundle.path.read_bytes()
    path = tmp_path / "cut.ietpbundle"
    path.write_bytes(raw[:keep])
    refused(path, offices, "truncated|not a bundle|ZIP directory")


def test_ciphertext_that_fails_authentication(
    offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    """Hashes re-computed and manifest re-signed: only AES-GCM can notice the change."""
    entries = entries_of(small_bundle.path)
    document = manifest_of(entries)
    target = "payload/photo-1.jpg.enc"
    forged = []
    for name, data in entries:
        if name == target:
            data = data[:-1] + bytes([data[-1] ^ 1])
            item = next(e for e in document["entries"] if e["path"] == target)
            item["sha256"] = hashlib.sha256(data).hexdigest()
        forged.append((name, data))
    path = write_entries(
        tmp_path / "forged.ietpbundle", with_manifest(forged, document, offices.specialist)
    )
    bundle = open_home(path, offices)
    assert bundle.read_entry("visit.json") == small_bundle.payload["visit.json"]
    with pytest.raises(BundleRefused, match=r"entry 'photo-1\.jpg' cannot be decrypted"):
        bundle.read_entry("photo-1.jpg")


def test_chunks_cannot_move_between_entries(
    offices: Offices, small_bundle: SmallBundle, tmp_path: Path
) -> None:
    """Swap two payload ciphertexts under re-signed names: the AAD binds chunks to the name."""
    entries = dict(entries_of(small_bundle.path))
    a, b = "payload/visit.json.enc", "payload/empty.bin.enc"
    document = manifest_of(list(entries.items()))
    for item in document["entries"]:
        other = b if item["path"] == a else a if item["path"] == b else None
        if other:
            item.update(
                sha256=hashlib.sha256(entries[other]).hexdigest(),
                size=len(entries[other]),
                plain_size=next(
                    e for e in manifest_of(list(entries.items()))["entries"] if e["path"] == other
                )["plain_size"],
            )
    entries[a], entries[b] = entries[b], entries[a]
    path = write_entries(
        tmp_path / "swapped.ietpbundle",
        with_manifest(list(entries.items()), document, offices.specialist),
    )
    bundle = open_home(path, offices)
    with pytest.raises(BundleRefused, match="cannot be decrypted"):
        bundle.read_entry("visit.json")


def test_not_a_zip_at_all(offices: Offices, tmp_path: Path) -> None:
    path = tmp_path / "photo.ietpbundle"
    path.write_bytes(b"\xff\xd8\xff" + b"\x00" * 5000)
    refused(path, offices, "not a bundle")
    assert struct.calcsize("<I") == 4


def test_missing_file(offices: Offices, tmp_path: Path) -> None:
    refused(tmp_path / "nowhere.ietpbundle", offices, "the file does not exist")
