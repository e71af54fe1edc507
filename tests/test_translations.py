"""Every string the program shows through tr("…") has a Chinese translation with the same
placeholders, in the one catalogue shared by the window, the reports and the messages."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import ietp_desktop
from ietp_desktop.i18n import catalogue

PACKAGE = Path(ietp_desktop.__file__).parent
# tr() and both() translate; user errors and phrases (notes, problem lines) carry a message
# template rendered where shown.
MESSAGE_CALLS = (
    "tr",
    "Phrase",
    "CellError",
    "both",
    "UserError",
    "NotFound",
    "ValidationFailed",
    "CertificateRejected",
    "SignInRefused",
)


def _msgids() -> dict[str, str]:
    """msgid → the first file that uses it."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in MESSAGE_CALLS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, str(path.relative_to(PACKAGE)))
            # an importer's row problem: log.error(row, column, "reason"), RowProblem.of(…)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("error", "warning", "of")
                and _receiver(node.func.value) in ("log", "RowProblem")
            ):
                for arg in node.args[2:4]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                        found.setdefault(arg.value, str(path.relative_to(PACKAGE)))
    return found


def _receiver(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def msgids() -> dict[str, str]:
    return _msgids()


def test_every_message_has_a_chinese_translation(msgids: dict[str, str]) -> None:
    assert len(msgids) > 300
    zh = catalogue("zh")
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in msgids.items() if msgid not in zh)
    assert missing == []


def test_translations_keep_the_placeholders(msgids: dict[str, str]) -> None:
    zh = catalogue("zh")
    wrong = sorted(
        f"{msgid!r} → {zh[msgid]!r}"
        for msgid in msgids
        if msgid in zh and _fields(zh[msgid]) != _fields(msgid)
    )
    assert wrong == []
