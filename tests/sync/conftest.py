from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from ietp_desktop.security.certificates import Role, SigningIdentity, new_rsa_key
from ietp_desktop.security.office_ca import Office, create_office, load_office
from ietp_desktop.sync.bundle import PayloadSource, write_bundle

VISIT_JSON = b'{"factory": "Dongguan Happy Toys Ltd", "worker": "Wang Fang"}'


@dataclass(frozen=True)
class Offices:
    home: Office
    other: Office
    specialist: SigningIdentity
    expired: SigningIdentity
    foreign_specialist: SigningIdentity


@pytest.fixture(scope="session")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Offices:
    root = tmp_path_factory.mktemp("offices")
    create_office(root / "home", "Shenzhen Office", None)
    create_office(root / "other", "Shenzhen Office", None)  # same name, different CA
    home = load_office(root / "home", None)
    other = load_office(root / "other", None)
    key = new_rsa_key()
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=800)
    expired_cert = home.issue_certificate(
        key.public_key(),
        role=Role.SPECIALIST,
        name="Old Timer",
        email="old@example.org",
        not_before=past,
        not_after=past + dt.timedelta(days=365),
    )
    return Offices(
        home=home,
        other=other,
        specialist=home.issue_specialist("Li Wei", "li.wei@example.org", private_key=key),
        expired=SigningIdentity(key, expired_cert, [home.ca_cert]),
        foreign_specialist=other.issue_specialist("Li Wei", "li.wei@example.org", private_key=key),
    )


@dataclass(frozen=True)
class SmallBundle:
    path: Path
    payload: dict[str, bytes]
    visit_uuid: str


def make_small_bundle(
    offices: Offices, path: Path, signer: SigningIdentity | None = None
) -> SmallBundle:
    payload = {"visit.json": VISIT_JSON, "photo-1.jpg": bytes(range(256)) * 9, "empty.bin": b""}
    visit_uuid = str(uuid.uuid4())
    write_bundle(
        path,
        "visit-results",
        [PayloadSource.from_bytes(name, data) for name, data in payload.items()],
        signer or offices.specialist,
        [offices.home.encryption_cert],
        [{"uuid": visit_uuid, "revision": 2}],
        "1",
        chunk_size=1000,  # several chunks per entry even in a small bundle
    )
    return SmallBundle(path, payload, visit_uuid)


@pytest.fixture(scope="session")
def small_bundle(offices: Offices, tmp_path_factory: pytest.TempPathFactory) -> SmallBundle:
    return make_small_bundle(offices, tmp_path_factory.mktemp("bundle") / "visit.ietpbundle")
