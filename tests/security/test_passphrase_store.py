from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from ietp_desktop.security import passphrase_store


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def test_remember_recall_forget(restore_keyring: None) -> None:
    keyring.set_keyring(MemoryKeyring())
    assert passphrase_store.remember("abc", "secret")
    assert passphrase_store.recall("abc") == "secret"
    passphrase_store.forget("abc")
    assert passphrase_store.recall("abc") is None
    passphrase_store.forget("abc")  # forgetting twice is fine


def test_without_backend_nothing_is_remembered(
    restore_keyring: None, caplog: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(fail.Keyring())
    caplog.set_level("INFO")
    assert not passphrase_store.remember("abc", "secret")
    assert passphrase_store.recall("abc") is None
    passphrase_store.forget("abc")
    assert "no OS keyring available" in caplog.text
