"""`with user_errors(show)`: the one way a page shows a problem the user can act on."""

from __future__ import annotations

import pytest

from ietp_desktop.domain.errors import NotFound
from ietp_desktop.ui.common.user_errors import user_errors


def test_a_user_error_is_shown_and_ends_the_block() -> None:
    shown: list[str] = []
    reached: list[str] = []
    with user_errors(shown.append) as outcome:
        raise NotFound("visit 1a2b3c4d not found")
        reached.append("after")  # never runs
    assert shown == ["visit 1a2b3c4d not found"]
    assert reached == []
    assert outcome.failed and outcome.message == "visit 1a2b3c4d not found"


def test_without_a_problem_nothing_is_shown() -> None:
    shown: list[str] = []
    with user_errors(shown.append) as outcome:
        value = 42
    assert value == 42 and shown == [] and not outcome.failed and outcome.message == ""


def test_a_bug_is_not_dressed_up_as_a_user_error() -> None:
    shown: list[str] = []
    with pytest.raises(ZeroDivisionError), user_errors(shown.append):
        print(1 / 0)
    assert shown == []
