"""What a passphrase for a key must be: long, and not one of the passwords everyone tries first.

Applies to the specialist's key (chosen at enrolment) and to the office keys (chosen at
`office init`). The key derivation cost stays where security/pkcs12 sets it; this only refuses
passphrases a guesser would try in the first few thousand attempts.
"""

from __future__ import annotations

import string

from ietp_desktop.domain.errors import UserError

MIN_LENGTH = 12

# The most common passwords of public breach lists (SecLists' top lists) that a length rule
# alone lets through, in the forms people stretch them to twelve characters.
_COMMON = frozenset(
    (
        "123456789012",
        "1234567890123",
        "12345678901234",
        "123456123456",
        "111111111111",
        "000000000000",
        "123123123123",
        "121212121212",
        "abcdefghijkl",
        "abc123abc123",
        "qwertyuiopas",
        "qwertyuiop12",
        "qwertyuiop123",
        "qwerty123456",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "zaq12wsxcde3",
        "asdfghjkl123",
        "password1234",
        "password12345",
        "password123456",
        "passwordpassword",
        "password@123",
        "p@ssw0rd1234",
        "iloveyou1234",
        "iloveyouiloveyou",
        "letmein12345",
        "welcome12345",
        "welcome@1234",
        "admin1234567",
        "administrator",
        "sunshine1234",
        "football1234",
        "baseball1234",
        "princess1234",
        "dragon123456",
        "monkey123456",
        "changeme1234",
        "trustno11234",
        "superman1234",
        "michael12345",
        "shadow123456",
        "woaini1314520",
        "woaini123456",
        "5201314520131",
        "qazwsxedcrfv",
        "1234qwerasdf",
        "qwerasdfzxcv",
    )
)


def passphrase_problem(passphrase: bytes | str) -> str | None:
    """Why `passphrase` is refused, in English, or None when it is acceptable."""
    text = passphrase.decode("utf-8", "replace") if isinstance(passphrase, bytes) else passphrase
    stripped = text.strip()
    if len(stripped) < MIN_LENGTH:
        return f"at least {MIN_LENGTH} characters (spaces at either end do not count)"
    folded = "".join(stripped.casefold().split())
    if folded in _COMMON or _is_common_stem(folded):
        return "not a common password"
    if len(set(folded)) <= 2:
        return "more than one or two different characters"
    if _is_run(folded):
        return "not a run of keys such as 1234… or abcd…"
    return None


def _is_common_stem(folded: str) -> bool:
    """'password' followed by digits or symbols is as weak as 'password' itself."""
    stem = folded.rstrip(string.digits + string.punctuation)
    return len(stem) < 6 or stem in {
        "password",
        "passw0rd",
        "p@ssw0rd",
        "qwerty",
        "iloveyou",
        "welcome",
        "letmein",
        "admin",
        "woaini",
        "abc",
    }


def _is_run(folded: str) -> bool:
    for alphabet in (string.digits * 3, string.ascii_lowercase * 2, "qwertyuiopasdfghjklzxcvbnm"):
        if folded in alphabet or folded[::-1] in alphabet:
            return True
    return False


def check_passphrase(passphrase: bytes | str, whose: str) -> None:
    """Refuse a weak passphrase for `whose` key ("the specialist's", "the office's")."""
    problem = passphrase_problem(passphrase)
    if problem is not None:
        raise UserError(
            "{whose} passphrase is too weak: it must have {problem}", whose=whose, problem=problem
        )
