"""The crash test's two halves: the writes a child makes, and the parent's ledger of them.

The child prints `BEGIN <json>` before each services call and `ACK <json>` after it returns
(the unit of work has committed by then). The parent kills the child at a random moment,
then checks that every acknowledged change is in the database. The one call in flight at
the kill may or may not have landed; anything else is a phantom and counts as a failure.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ietp_desktop.domain.checklist import validate_answer
from ietp_desktop.paths import DataFolder
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.outcome import findings
from ietp_desktop.services.visits import answers, attendees, factories, lifecycle
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database

REPO_ROOT = Path(__file__).resolve().parents[2]
ATTENDEE_PREFIX = "Crash attendee "
FINDING_PREFIX = "Crash finding "
ROUND_TIMEOUT_S = 120.0

Op = dict[str, Any]


def prepare_workspace(data_dir: Path) -> str:
    """A factory and a started visit to write into; returns the visit uuid."""
    db = open_workspace(data_dir, actor="crash-setup")
    try:
        factory = factories.add_factory(
            db,
            factories.FactoryInput(
                ietp_id="IETP-GD-CRASH1",
                name_en="Crash Test Toys Co.",
                name_zh="崩溃测试玩具厂",
                city="Dongguan",
                region="CN-GD-Dongguan",
                headcount=300,
                seal_issued_on=date(2026, 8, 1),
            ),
        )
        planned = lifecycle.plan_visit(db, factory.ietp_id, date(2026, 10, 12), specialist_name="T")
        lifecycle.confirm_visit(db, planned.uuid, date(2026, 10, 12), date(2026, 9, 28))
        lifecycle.start_visit(db, planned.uuid, date(2026, 10, 12))
        return planned.uuid
    finally:
        db.dispose()


def text_items(db: Database, visit_uuid: str) -> list[str]:
    """Items that take free text, so each write can carry a unique, checkable value."""
    from ietp_desktop.services.visits.refs import resolve_visit

    with db.session() as session:
        form = definitions.form_by_sha(session, resolve_visit(session, visit_uuid).form_sha256)
    probe = "crash answer 0"
    return [i.id for i in form.items() if i.type == "text" and validate_answer(i, probe) is None]


def next_op(rng: random.Random, seq: int, items: list[str]) -> Op:
    kind = rng.choice(("answer", "answer", "answer", "attendee", "finding"))
    if kind == "answer":
        return {"seq": seq, "kind": kind, "item": rng.choice(items), "value": f"crash answer {seq}"}
    if kind == "attendee":
        return {"seq": seq, "kind": kind, "name": f"{ATTENDEE_PREFIX}{seq}"}
    return {"seq": seq, "kind": kind, "description": f"{FINDING_PREFIX}{seq}"}


def apply_op(db: Database, visit_uuid: str, op: Op) -> None:
    if op["kind"] == "answer":
        answers.record_answer(db, visit_uuid, op["item"], op["value"])
    elif op["kind"] == "attendee":
        attendees.add_attendee(db, visit_uuid, attendees.AttendeeInput(op["name"], "Worker"))
    else:
        findings.add_finding(
            db,
            visit_uuid,
            findings.FindingInput(classification="observation", description=op["description"]),
        )


@dataclass
class StoredState:
    answers: dict[str, str]  # item → text value
    attendees: set[str]
    findings: set[str]


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return ";".join(row[0] for row in conn.execute("PRAGMA integrity_check"))


def read_state(data_dir: Path, visit_uuid: str) -> StoredState:
    """Reopen as the program does (migrations run and must not complain), then read."""
    open_workspace(data_dir, actor="crash-check").dispose()
    with sqlite3.connect(DataFolder(data_dir).database) as conn:
        (visit_id,) = conn.execute("SELECT id FROM visits WHERE uuid = ?", (visit_uuid,)).fetchone()
        stored_answers = {
            item: json.loads(value)
            for item, value in conn.execute(
                "SELECT item_id, value_json FROM answers WHERE visit_id = ?", (visit_id,)
            )
        }
        names = {
            n for (n,) in conn.execute("SELECT name FROM attendees WHERE visit_id = ?", (visit_id,))
        }
        descriptions = {
            d
            for (d,) in conn.execute(
                "SELECT description FROM findings WHERE visit_id = ?", (visit_id,)
            )
        }
    return StoredState(
        {k: v for k, v in stored_answers.items() if isinstance(v, str) and v.startswith("crash")},
        {n for n in names if n.startswith(ATTENDEE_PREFIX)},
        {d for d in descriptions if d.startswith(FINDING_PREFIX)},
    )


@dataclass
class Ledger:
    """What the database must hold after every kill, and what it may hold."""

    answers: dict[str, list[str | None]] = field(default_factory=dict)  # item → allowed values
    answers_acked: dict[str, str] = field(default_factory=dict)
    attendees: set[str] = field(default_factory=set)
    findings: set[str] = field(default_factory=set)
    maybe_attendees: set[str] = field(default_factory=set)
    maybe_findings: set[str] = field(default_factory=set)
    acknowledged: int = 0

    def ack(self, op: Op) -> None:
        self.acknowledged += 1
        if op["kind"] == "answer":
            self.answers[op["item"]] = [op["value"]]
            self.answers_acked[op["item"]] = op["value"]
        elif op["kind"] == "attendee":
            self.attendees.add(op["name"])
        else:
            self.findings.add(op["description"])

    def in_flight(self, op: Op) -> None:
        """The call the kill interrupted: its change may or may not have been committed."""
        if op["kind"] == "answer":
            # A first answer to an item that did not land leaves the item unanswered (None).
            self.answers.setdefault(op["item"], [None]).append(op["value"])
        elif op["kind"] == "attendee":
            self.maybe_attendees.add(op["name"])
        else:
            self.maybe_findings.add(op["description"])

    def check(self, state: StoredState) -> tuple[int, list[str]]:
        """(acknowledged changes lost, every discrepancy in words)."""
        lost: list[str] = []
        other: list[str] = []
        for item, allowed in self.answers.items():
            stored = state.answers.get(item)
            if stored not in allowed:
                target = lost if item in self.answers_acked else other
                target.append(f"answer {item}: stored {stored!r}, expected one of {allowed}")
        lost += [f"attendee {n!r} missing" for n in sorted(self.attendees - state.attendees)]
        lost += [f"finding {d!r} missing" for d in sorted(self.findings - state.findings)]
        phantom_attendees = state.attendees - self.attendees - self.maybe_attendees
        phantom_findings = state.findings - self.findings - self.maybe_findings
        phantom_answers = set(state.answers) - set(self.answers)
        other += [f"attendee {n!r} was never written" for n in sorted(phantom_attendees)]
        other += [f"finding {d!r} was never written" for d in sorted(phantom_findings)]
        other += [f"answer {i} was never written" for i in sorted(phantom_answers)]
        return len(lost), lost + other


@dataclass
class ChildRun:
    """A child process whose stdout lines are collected by a thread as they arrive."""

    process: subprocess.Popen[str]
    lines: queue.Queue[str | None]
    ended: bool = False  # the end of the child's output was already taken from `lines`

    @classmethod
    def start(cls, args: list[str], stderr_path: Path) -> ChildRun:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with stderr_path.open("w") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.reliability.crash_child", *args],
                cwd=REPO_ROOT,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env=env,
            )
        lines: queue.Queue[str | None] = queue.Queue()

        def pump() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.put(line.rstrip("\n"))
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        return cls(process, lines)

    def next_line(self, deadline: float) -> str | None:
        """The next line, or None when the child's output ended."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the crash child stopped answering")
        try:
            line = self.lines.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError("the crash child stopped answering") from None
        self.ended = line is None
        return line

    def kill(self) -> list[str]:
        """SIGKILL, then every line the child managed to print before it died."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        rest: list[str] = []
        while not self.ended:
            line = self.lines.get(timeout=30)
            self.ended = line is None
            rest += [] if line is None else [line]
        return rest


@dataclass
class KillResult:
    acknowledged: int  # in this round
    lost: int
    problems: list[str]
    integrity: str


def _parse(line: str) -> tuple[str, Op | None]:
    word, _, payload = line.partition(" ")
    return word, (json.loads(payload) if payload else None)


def kill_round(
    data_dir: Path,
    visit_uuid: str,
    ledger: Ledger,
    rng: random.Random,
    start_seq: int,
    log_dir: Path,
) -> tuple[KillResult, int]:
    """One child run killed at a random moment, then checked. Returns the next free seq."""
    target_acks = rng.choice((0, 1, 2, 5, 10, 20, 40))
    extra_delay = rng.uniform(0.0, 0.05)
    child = ChildRun.start(
        ["writes", str(data_dir), visit_uuid, str(start_seq), str(rng.randrange(1 << 30))],
        log_dir / f"child-{start_seq}.stderr",
    )
    deadline = time.monotonic() + ROUND_TIMEOUT_S
    acked = 0
    pending: Op | None = None
    next_seq = start_seq

    transcript = (log_dir / f"child-{start_seq}.stdout").open("w")

    def take(line: str) -> None:
        nonlocal acked, pending, next_seq
        transcript.write(line + "\n")  # what the parent saw, kept for a failing round
        word, op = _parse(line)
        if word == "BEGIN" and op is not None:
            pending = op
            next_seq = op["seq"] + 1
        elif word == "ACK" and op is not None:
            ledger.ack(op)
            acked += 1
            pending = None

    try:
        ready = False
        while not ready or acked < target_acks:
            line = child.next_line(deadline)
            if line is None:
                stderr = (log_dir / f"child-{start_seq}.stderr").read_text()
                raise RuntimeError(f"the crash child ended by itself:\n{stderr[-3000:]}")
            ready = ready or line == "READY"
            take(line)
        time.sleep(extra_delay)
    finally:
        for line in child.kill():
            take(line)
        transcript.close()
    if pending is not None:
        ledger.in_flight(pending)
    result = integrity(DataFolder(data_dir).database)
    lost, problems = ledger.check(read_state(data_dir, visit_uuid))
    return KillResult(acked, lost, problems, result), next_seq


@dataclass
class CrashSummary:
    kills: int
    acknowledged: int
    lost: int
    integrity_ok: int
    problems: list[str]


def run_kills(
    data_dir: Path,
    kills: int,
    seed: int,
    log_dir: Path,
    on_round: Callable[[int, KillResult], None] | None = None,
) -> CrashSummary:
    visit_uuid = prepare_workspace(data_dir)
    rng = random.Random(seed)
    ledger = Ledger()
    seq = 1
    lost = ok = 0
    problems: list[str] = []
    for index in range(kills):
        result, seq = kill_round(data_dir, visit_uuid, ledger, rng, seq, log_dir)
        seq += 1  # never reuse the in-flight call's value
        lost += result.lost
        ok += result.integrity == "ok"
        problems += [f"kill {index + 1}: {p}" for p in result.problems]
        if result.integrity != "ok":
            problems.append(f"kill {index + 1}: integrity_check said {result.integrity}")
        if on_round:
            on_round(index + 1, result)
    return CrashSummary(kills, ledger.acknowledged, lost, ok, problems)
