from __future__ import annotations

from pathlib import Path

import pytest

from ietp_desktop.security.enrolment import EnrolmentInfo, write_enrolment
from ietp_desktop.security.office_ca import Office, create_office, load_office

OFFICE_PASSPHRASE = b"office passphrase"
SPECIALIST_PASSPHRASE = "specialist passphrase"


@pytest.fixture(scope="session")
def office_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("office")
    create_office(directory, "Shenzhen Office", OFFICE_PASSPHRASE)
    return directory


@pytest.fixture(scope="session")
def office(office_dir: Path) -> Office:
    return load_office(office_dir, OFFICE_PASSPHRASE)


@pytest.fixture(scope="session")
def enrolment(office: Office, tmp_path_factory: pytest.TempPathFactory) -> EnrolmentInfo:
    out = tmp_path_factory.mktemp("enrol") / "li-wei.ietp-enrol"
    return write_enrolment(office, "Li Wei", "li.wei@example.org", SPECIALIST_PASSPHRASE, out)
