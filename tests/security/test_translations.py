"""Every message security/ and sync/ show a user has a Chinese translation in security.json.

sync/visit_*.py belong to the visit export work and keep their own catalogue."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import ietp_desktop

PACKAGE = Path(ietp_desktop.__file__).parent
CATALOGUE = PACKAGE.parent / "resources" / "i18n" / "zh" / "security.json"


def _msgids() -> set[str]:
    found = set()
    for folder in ("security", "sync"):
        for path in (PACKAGE / folder).glob("*.py"):
            if path.name.startswith("visit_"):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", None) == "tr"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    found.add(node.args[0].value)
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_is_translated_with_the_same_placeholders() -> None:
    catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    msgids = _msgids()
    assert len(msgids) > 50
    assert sorted(msgids - set(catalogue)) == []
    assert {m: _fields(catalogue[m]) for m in msgids} == {m: _fields(m) for m in msgids}
