"""The real CLI with one storage fault installed: `python -m tests.reliability.faulty_cli
FAULT [CLI arguments...]`, FAULT one of tests.reliability.faults.FAULTS."""

from __future__ import annotations

import sys

from ietp_desktop.cli import main
from tests.reliability.faults import install

if __name__ == "__main__":
    install(sys.argv[1])
    sys.exit(main(sys.argv[2:]))
