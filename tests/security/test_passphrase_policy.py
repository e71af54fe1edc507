"""Issue 17 problem 6, passphrases: the short and the common are refused for a specialist's key
and for the office keys, and nothing is written when they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.setup import enroll, init_office
from ietp_desktop.security.passphrase_policy import passphrase_problem

WEAK = [
    "12345678",
    "password",
    " " * 8,
    "a",
    " " * 20,
    "password1234",
    "123456789012",
    "qwertyuiop12",
    "aaaaaaaaaaaaaaaa",
    "abcdefghijklmnop",
    "woaini1314520",
]


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passphrases_have_a_reason(weak: str) -> None:
    assert passphrase_problem(weak) is not None


@pytest.mark.parametrize(
    "good", ["correct horse battery", "Tr0ub4dor&3xyz", "林梅的护照号码不告诉别人"]
)
def test_long_uncommon_passphrases_pass(good: str) -> None:
    assert passphrase_problem(good) is None


def test_office_keys_refuse_a_one_letter_passphrase(tmp_path: Path) -> None:
    with pytest.raises(
        UserError, match="the office keys' passphrase is too weak: it must have at least 12"
    ):
        init_office(tmp_path / "office", "Shenzhen Office", "a")
    assert not (tmp_path / "office").exists()


@pytest.mark.parametrize("weak", ["12345678", "password", " " * 8])
def test_a_specialist_key_refuses_what_the_issue_found(tmp_path: Path, weak: str) -> None:
    office = tmp_path / "office"
    init_office(office, "Shenzhen Office")
    issued = sorted((office / "issued").glob("*.pem"))
    out = tmp_path / "lin.ietp-enrol"
    with pytest.raises(UserError, match="the specialist's passphrase is too weak"):
        enroll(office, "Lin Mei", "lin.mei@example.org", out, specialist_passphrase=weak)
    assert not out.exists()
    assert sorted((office / "issued").glob("*.pem")) == issued  # no certificate issued
