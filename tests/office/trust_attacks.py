"""Bundles an enrolled specialist could really send: made with the program's own writer and a
real specialist key, their content changed the way an attacker would change it."""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ietp_desktop.office.intake import import_bundles
from ietp_desktop.office.setup import enroll
from ietp_desktop.paths import DataFolder
from ietp_desktop.security.certificates import SigningIdentity
from ietp_desktop.security.enrolment import import_enrolment, load_identity
from ietp_desktop.services.sync.bundles import export_visits
from ietp_desktop.sync import visit_payload as vp
from ietp_desktop.sync.bundle import PayloadSource, open_bundle, write_bundle
from tests.bundle_world import SPECIALIST_PASSPHRASE, World, office_state

BOB_PASSPHRASE = "bob's long passphrase 2026"
Mutation = Callable[[dict[str, Any], dict[str, bytes]], None]


def lin_mei(world: World) -> SigningIdentity:
    identity = load_identity(DataFolder(world.data_dir).identity)
    assert identity is not None
    return identity.unlock(SPECIALIST_PASSPHRASE)


def second_specialist(world: World, tmp_path: Path) -> SigningIdentity:
    """Bob, enrolled at the same office in his own right."""
    enrolment = tmp_path / "bob.ietp-enrol"
    enroll(
        world.office_dir,
        "Bob Chan",
        "bob.chan@example.org",
        enrolment,
        specialist_passphrase=BOB_PASSPHRASE,
    )
    identity = import_enrolment(enrolment, tmp_path / "bob-identity", BOB_PASSPHRASE)
    return identity.unlock(BOB_PASSPHRASE)


def exported(world: World, tmp_path: Path, name: str = "good.ietpbundle") -> Path:
    db = world.laptop()
    try:
        return export_visits(
            db, [world.visit_uuid], tmp_path / name, passphrase=SPECIALIST_PASSPHRASE
        ).path
    finally:
        db.dispose()


def rewritten(
    world: World,
    tmp_path: Path,
    mutate: Mutation,
    *,
    signer: SigningIdentity | None = None,
    name: str = "forged.ietpbundle",
) -> Path:
    """Lin Mei's real export, decrypted, changed by `mutate(document, entries)` and written
    again by the program's writer, signed by `signer` (Lin Mei unless given)."""
    source = exported(world, tmp_path, f"source-{name}")
    office = world.office()
    bundle = open_bundle(
        source, office.ca_cert, "visit-results", office.encryption_key, office.encryption_cert
    )
    entries = {entry: bundle.read_entry(entry, 1 << 30) for entry in bundle.names()}
    source.unlink()
    [visit_entry] = [e for e in entries if e.startswith("visit-")]
    document = json.loads(entries.pop(visit_entry))
    mutate(document, entries)
    visit = document["visit"]
    # the manifest names what the document says when that is a uuid and a whole number
    ref_uuid = visit["uuid"] if _is_uuid(visit["uuid"]) else world.visit_uuid
    ref_revision = visit["revision"] if type(visit["revision"]) is int else 1
    entries[vp.visit_entry_name(ref_uuid, ref_revision)] = vp.encode(document)
    out = tmp_path / name
    write_bundle(
        out,
        "visit-results",
        [PayloadSource.from_bytes(entry, data) for entry, data in entries.items()],
        signer or lin_mei(world),
        [office.encryption_cert],
        [{"uuid": ref_uuid, "revision": ref_revision}],
        vp.SCHEMA,
    )
    return out


def _is_uuid(value: object) -> bool:
    try:
        return str(uuid.UUID(str(value))) == value
    except ValueError:
        return False


def set_revision(document: dict[str, Any], entries: dict[str, bytes], revision: int) -> None:
    """The visit as revision `revision`, its report entry renamed to match."""
    visit = document["visit"]
    report = document["report"]
    data = entries.pop(report["entry"])
    visit["revision"] = revision
    report["entry"] = vp.report_entry_name(visit["uuid"], revision)
    entries[report["entry"]] = data


def replace_photo(document: dict[str, Any], entries: dict[str, bytes], data: bytes) -> None:
    """Swap the visit's photo for `data`, keeping every hash and name consistent."""
    [photo] = document["attachments"]
    del entries[photo["entry"]]
    sha = hashlib.sha256(data).hexdigest()
    photo.update(sha256=sha, original_sha256=sha, entry=f"photo-{sha}", size_bytes=len(data))
    entries[photo["entry"]] = data


def replace_report(document: dict[str, Any], entries: dict[str, bytes], data: bytes) -> None:
    report = document["report"]
    entries[report["entry"]] = data
    sha = hashlib.sha256(data).hexdigest()
    report["sha256"] = document["visit"]["report_sha256"] = sha


def files_of(folder: Path) -> dict[str, str]:
    """Every file under `folder` but receipts, by content, for 'nothing was written' checks."""
    found = {}
    for root, _, names in os.walk(folder):
        for file in names:
            path = Path(root) / file
            relative = str(path.relative_to(folder))
            if not relative.startswith("receipts"):
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def assert_refused_unchanged(
    world: World, bad: Path, pattern: str, db_url: str | None = None
) -> str:
    """The bundle is refused with `pattern` in its one-line message, and the office database
    (row for row) and folder (file for file) are as they were."""
    before_rows = office_state(world.office_dir, db_url)
    before_files = files_of(world.office_dir)
    [outcome] = import_bundles(world.office_dir, [bad], db_url)
    assert outcome.status == "refused", outcome
    assert outcome.message.startswith(f"bundle {bad.name} refused: "), outcome.message
    assert re.search(pattern, outcome.message), outcome.message
    assert "\n" not in outcome.message
    assert office_state(world.office_dir, db_url) == before_rows
    assert files_of(world.office_dir) == before_files
    return outcome.message
