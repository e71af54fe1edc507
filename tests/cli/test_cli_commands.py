"""Every command loads and registers; only the command asked for is imported."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from ietp_desktop.cli import COMMANDS, build_parser, load_command, requested_command


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_registers_with_the_listed_help(name: str) -> None:
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers(dest="command")
    load_command(name).register(subparsers)
    (action,) = [a for a in subparsers._choices_actions if a.dest == name]
    assert action.help == COMMANDS[name][1]


def test_requested_command_skips_global_options() -> None:
    assert requested_command(["--data-dir", "visits", "report", "build"]) == "report"
    assert requested_command(["--actor", "Lin", "visits", "list"]) == "visits"
    assert requested_command(["--version"]) is None
    assert requested_command(["nonsense"]) is None


def test_full_parser_lists_every_command() -> None:
    help_text = build_parser().format_help()
    for name in COMMANDS:
        assert name in help_text


def test_a_light_command_does_not_load_the_report_stack() -> None:
    code = (
        "import sys; from ietp_desktop.cli import main;"
        "main(['forms', 'check', '/nonexistent.json']);"
        "print(sorted(m for m in ('reportlab', 'pyhanko', 'openpyxl') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr
