"""Every string of the console (templates, t(...) in handlers, labels, refusal codes) has
Chinese with the same placeholders; the catalogue test of the program covers tr(...)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import ietp_desktop
from ietp_desktop.i18n import catalogue
from ietp_desktop.office.console.pages import DONE_MESSAGES
from ietp_desktop.office.console.web import LABELS, RESOURCES
from ietp_desktop.sync.office_client import REFUSALS

PACKAGE = Path(ietp_desktop.__file__).parent


def _console_msgids() -> set[str]:
    found: set[str] = set()
    for template in (RESOURCES / "templates").glob("*.html"):
        for match in re.finditer(r"""\bt\((["'])(.*?)\1""", template.read_text(encoding="utf-8")):
            found.add(match.group(2))
    for path in (PACKAGE / "office").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(str(node.args[0].value))
    for labels in LABELS.values():
        found.update(labels.values())
    found.update(DONE_MESSAGES.values())
    found.update(REFUSALS.values())
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_console_string_has_chinese_with_the_same_placeholders() -> None:
    msgids = _console_msgids()
    assert len(msgids) > 100
    zh = catalogue("zh")
    assert sorted(m for m in msgids if m not in zh) == []
    assert sorted(m for m in msgids if _fields(zh[m]) != _fields(m)) == []
