"""Before a program installs its catalogue, a user error reads as its English template."""

from __future__ import annotations

from ietp_desktop.domain.errors import english


def test_the_default_renderer_fills_in_the_english_template() -> None:
    assert english("row {row}: no date", {"row": 7}) == "row 7: no date"
    assert english("no date {here}", {}) == "no date {here}"
