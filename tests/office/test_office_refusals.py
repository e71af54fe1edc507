"""The issue's bad-input list at the office: each refused with a specific message, the office
database unchanged row for row, and no receipt written."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ietp_desktop.office.intake import import_bundles
from ietp_desktop.security.certificates import Role, SigningIdentity, fingerprint, new_rsa_key
from ietp_desktop.security.office_ca import create_office, load_office
from ietp_desktop.services.sync.bundles import export_visits
from ietp_desktop.services.visits import lifecycle
from ietp_desktop.sync.bundle import PayloadSource, write_bundle
from ietp_desktop.sync.writer import role_name
from tests.bundle_world import (
    SPECIALIST_PASSPHRASE,
    World,
    office_state,
    sign_visit,
    signed_report,
    world,
    world_template,
)
from tests.sync.bundle_forgery import (
    deflated,
    entries_of,
    forge_declared_size,
    manifest_of,
    with_manifest,
    write_entries,
)

__all__ = ["world", "world_template"]


def exported(world: World, tmp_path: Path, name: str = "good.ietpbundle") -> Path:
    db = world.laptop()
    try:
        return export_visits(
            db, [world.visit_uuid], tmp_path / name, passphrase=SPECIALIST_PASSPHRASE
        ).path
    finally:
        db.dispose()


def assert_refused(world: World, bad: Path, pattern: str, db_url: str | None = None) -> None:
    before = office_state(world.office_dir, db_url)
    receipts = world.office_dir / "receipts"
    receipts_before = sorted(os.listdir(receipts)) if receipts.is_dir() else []
    [outcome] = import_bundles(world.office_dir, [bad], db_url)
    assert outcome.status == "refused", outcome
    assert outcome.message.startswith(f"bundle {bad.name} refused: "), outcome.message
    assert re.search(pattern, outcome.message), outcome.message
    assert office_state(world.office_dir, db_url) == before
    after = sorted(os.listdir(receipts)) if receipts.is_dir() else []
    if outcome.bundle_id == "":
        assert after == receipts_before  # nobody vouches for the file: no receipt


def _flip(raw: bytes, at: int) -> bytes:
    return raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1 :]


def _resign(entries: list[tuple[str, bytes]], signer: SigningIdentity | None, **changes: object):  # type: ignore[no-untyped-def]
    document = manifest_of(entries) | changes
    if signer is not None:
        document["signer"] = {
            "cert_sha256": fingerprint(signer.certificate),
            "role": role_name(signer.certificate),
        }
    return with_manifest(entries, document, signer)


Forgery = Callable[[Path, Path, World], Path]


def flipped_payload(good: Path, out: Path, world: World) -> Path:
    raw = good.read_bytes()
    out.write_bytes(_flip(raw, len(raw) // 3))
    return out


def flipped_manifest(good: Path, out: Path, world: World) -> Path:
    raw = good.read_bytes()
    out.write_bytes(_flip(raw, raw.index(b'"bundle_id"') + 20))
    return out


def edited_manifest(good: Path, out: Path, world: World) -> Path:
    return write_entries(out, _resign(entries_of(good), None, created_at="2020-01-01T00:00:00"))


def missing_entry(good: Path, out: Path, world: World) -> Path:
    entries = [e for e in entries_of(good) if not e[0].startswith("payload/photo-")]
    return write_entries(out, entries)


def extra_entry(good: Path, out: Path, world: World) -> Path:
    entries = entries_of(good)
    return write_entries(out, [*entries[:1], ("payload/extra.enc", b"x" * 64), *entries[1:]])


def duplicated_entry(good: Path, out: Path, world: World) -> Path:
    entries = entries_of(good)
    return write_entries(out, [entries[0], *entries])


def dotdot_name(good: Path, out: Path, world: World) -> Path:
    entries = entries_of(good)
    return write_entries(out, [("payload/../evil.enc", b"x"), *entries])


def absolute_name(good: Path, out: Path, world: World) -> Path:
    return write_entries(out, [("/etc/evil.enc", b"x"), *entries_of(good)])


def backslash_name(good: Path, out: Path, world: World) -> Path:
    return write_entries(out, [("payload\\evil.enc", b"x"), *entries_of(good)])


def size_too_large(good: Path, out: Path, world: World) -> Path:
    raw = good.read_bytes()
    name = next(n for n, _ in entries_of(good) if n.startswith("payload/visit-"))
    out.write_bytes(forge_declared_size(raw, name, 0xFFFFFFF0))
    return out


def too_many_entries(good: Path, out: Path, world: World) -> Path:
    extra = [(f"payload/junk-{i}.enc", b"") for i in range(20_001)]
    return write_entries(out, [*entries_of(good), *extra])


def compressed_entry(good: Path, out: Path, world: World) -> Path:
    entries = entries_of(good)
    name = next(n for n, _ in entries if n.startswith("payload/visit-"))
    out.write_bytes(deflated(entries, name))
    return out


def unknown_major(good: Path, out: Path, world: World) -> Path:
    office = world.office()
    # even a well-signed bundle in an unknown major version is refused
    entries = _resign(entries_of(good), office.signing, format_version="2.0")
    return write_entries(out, entries)


def truncated(good: Path, out: Path, world: World) -> Path:
    out.write_bytes(good.read_bytes()[: good.stat().st_size - 100])
    return out


FORGERIES: dict[str, tuple[Forgery, str]] = {
    "flipped byte in a payload": (flipped_payload, r"sha256|damaged|CRC"),
    "flipped byte in the manifest": (flipped_manifest, r"damaged|CRC|signature|manifest"),
    "edited manifest": (edited_manifest, r"signature"),
    "missing entry": (missing_entry, r"missing"),
    "extra entry": (extra_entry, r"not listed in the manifest"),
    "duplicated entry": (duplicated_entry, r"appears twice"),
    "name with ..": (dotdot_name, r"parent folder"),
    "absolute name": (absolute_name, r"absolute path"),
    "backslash name": (backslash_name, r"backslash"),
    "declared size too large": (size_too_large, r"declares|bytes|size"),
    "too many entries": (too_many_entries, r"entries"),
    "compressed entry": (compressed_entry, r"compressed|header"),
    "unknown major version": (unknown_major, r"format 2\.0"),
    "truncated file": (truncated, r"."),
}


@pytest.mark.parametrize("case", list(FORGERIES))
def test_bad_bundle_is_refused_and_changes_nothing(case: str, world: World, tmp_path: Path) -> None:
    forge, pattern = FORGERIES[case]
    good = exported(world, tmp_path)
    bad = forge(good, tmp_path / "bad.ietpbundle", world)
    assert_refused(world, bad, pattern)
    [ok] = import_bundles(world.office_dir, [good])  # the genuine one still goes in
    assert ok.status == "imported", ok.message


def _bundle_signed_by(world: World, signer: SigningIdentity, recipient, out: Path) -> Path:  # type: ignore[no-untyped-def]
    good = exported(world, out.parent, "for-resign.ietpbundle")
    return write_entries(out, _resign(entries_of(good), signer))


def test_bundle_for_another_office(world: World, tmp_path: Path) -> None:
    create_office(tmp_path / "other", "Shenzhen Office", None)
    other = load_office(tmp_path / "other", None)
    home = world.office()
    specialist = home.issue_specialist("Lin Mei", "lin.mei@example.org")
    out = tmp_path / "elsewhere.ietpbundle"
    write_bundle(
        out,
        "visit-results",
        [PayloadSource.from_bytes("visit-x.json", b"{}")],
        specialist,
        [other.encryption_cert],
        [],
        "ietp-visit/1",
    )
    assert_refused(world, out, r"not encrypted for this office")


def test_untrusted_signer(world: World, tmp_path: Path) -> None:
    create_office(tmp_path / "other", "Shenzhen Office", None)
    other = load_office(tmp_path / "other", None)
    stranger = other.issue_specialist("Lin Mei", "lin.mei@example.org")
    bad = _bundle_signed_by(world, stranger, None, tmp_path / "stranger.ietpbundle")
    assert_refused(world, bad, r"not issued by this office's CA")


def test_expired_signer(world: World, tmp_path: Path) -> None:
    home = world.office()
    key = new_rsa_key()
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=800)
    cert = home.issue_certificate(
        key.public_key(),
        role=Role.SPECIALIST,
        name="Old Timer",
        email="old@example.org",
        not_before=past,
        not_after=past + dt.timedelta(days=365),
    )
    bad = _bundle_signed_by(
        world, SigningIdentity(key, cert, [home.ca_cert]), None, tmp_path / "old.ietpbundle"
    )
    assert_refused(world, bad, r"expired|not valid")


def test_signer_not_a_specialist(world: World, tmp_path: Path) -> None:
    home = world.office()
    bad = _bundle_signed_by(world, home.signing, None, tmp_path / "office.ietpbundle")
    assert_refused(world, bad, r"not a Progress Visit Specialist certificate")


def test_replayed_older_revision(world: World, tmp_path: Path) -> None:
    first = exported(world, tmp_path, "r1-a.ietpbundle")
    held_back = exported(world, tmp_path, "r1-b.ietpbundle")  # same revision, another bundle
    import_bundles(world.office_dir, [first])
    db = world.laptop()
    lifecycle.open_new_revision(db, world.visit_uuid, "fixed a typo")
    lifecycle.complete_visit(db, world.visit_uuid)
    sign_visit(db, world.visit_uuid, signed_report(world.data_dir, "r2"))
    db.dispose()
    second = exported(world, tmp_path, "r2.ietpbundle")
    [ok] = import_bundles(world.office_dir, [second])
    assert ok.status == "imported"
    before = office_state(world.office_dir)
    [outcome] = import_bundles(world.office_dir, [held_back])
    assert outcome.status == "refused"
    assert "revision 1 is older than revision 2" in outcome.message
    assert office_state(world.office_dir) == before
    assert outcome.receipt is not None  # the laptop learns that the office refused it


def test_conflicting_revision(world: World, tmp_path: Path) -> None:
    first = exported(world, tmp_path, "a.ietpbundle")
    import_bundles(world.office_dir, [first])
    db = world.laptop()
    sign_visit(db, world.visit_uuid, signed_report(world.data_dir, "another report, same revision"))
    db.dispose()
    other = exported(world, tmp_path, "b.ietpbundle")
    before = office_state(world.office_dir)
    [outcome] = import_bundles(world.office_dir, [other])
    assert outcome.status == "refused"
    assert "conflicts with the revision the office already holds" in outcome.message
    assert office_state(world.office_dir) == before
