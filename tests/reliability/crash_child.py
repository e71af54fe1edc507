"""The process the crash tests kill. Prints READY once the workspace is open, then for each
unit of work `BEGIN <json>` before it and `ACK <json>` after it returns (flushed at once).

    python -m tests.reliability.crash_child writes DATA_DIR VISIT_UUID START_SEQ SEED
    python -m tests.reliability.crash_child report DATA_DIR VISIT_UUID OUT PASSPHRASE
    python -m tests.reliability.crash_child bundle DATA_DIR OUT PASSPHRASE
    python -m tests.reliability.crash_child atomic PATH MEGABYTES
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

MAX_WRITES = 100_000  # a child whose parent died stops by itself


def say(word: str, payload: object = None) -> None:
    line = word if payload is None else f"{word} {json.dumps(payload)}"
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def writes(data_dir: str, visit_uuid: str, start_seq: str, seed: str) -> None:
    from ietp_desktop.services.workspace import open_workspace
    from tests.reliability.crash_workload import apply_op, next_op, text_items

    db = open_workspace(Path(data_dir), actor="crash-child")
    items = text_items(db, visit_uuid)
    rng = random.Random(int(seed))
    say("READY")
    for seq in range(int(start_seq), int(start_seq) + MAX_WRITES):
        op = next_op(rng, seq, items)
        say("BEGIN", op)
        apply_op(db, visit_uuid, op)
        say("ACK", op)


def report(data_dir: str, visit_uuid: str, out: str, passphrase: str) -> None:
    from ietp_desktop.services.reporting import reports
    from ietp_desktop.services.workspace import open_workspace

    db = open_workspace(Path(data_dir), actor="crash-child")
    say("READY")
    built = reports.build_report(db, visit_uuid, Path(out), "both", passphrase)
    say("ACK", {"sha256": built.sha256})


def bundle(data_dir: str, out: str, passphrase: str) -> None:
    from ietp_desktop.services.sync import bundles
    from ietp_desktop.services.workspace import open_workspace

    db = open_workspace(Path(data_dir), actor="crash-child")
    say("READY")
    result = bundles.export_visits(db, None, Path(out), passphrase=passphrase)
    say("ACK", {"bundle_id": result.bundle_id, "visits": [v.uuid for v in result.visits]})


def atomic(path: str, megabytes: str) -> None:
    from ietp_desktop.security.atomic import atomic_writer

    block = b"N" * (1024 * 1024)
    say("READY")
    with atomic_writer(Path(path)) as stream:
        for index in range(int(megabytes)):
            stream.write(block)
            if index == 0:
                say("WRITING")
    say("ACK")


MODES = {"writes": writes, "report": report, "bundle": bundle, "atomic": atomic}

if __name__ == "__main__":
    MODES[sys.argv[1]](*sys.argv[2:])
