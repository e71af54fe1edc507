"""SIGKILL during a report export, a bundle export and a large atomic write: afterwards no
half-written file stands under the final name, and the visit is as it was or fully done.

A SIGKILL leaves the writer's hidden `.NAME.XXXX.part` temporary file behind (nothing can
clean up after SIGKILL); it never stands under the final name and the next export ignores it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ietp_desktop.demo.build import seed_demo
from ietp_desktop.demo.identity import DEMO_PASSPHRASE
from ietp_desktop.security.office_ca import load_office_certificate
from tests.reliability.export_crash import (
    copy_workspace,
    database_ok,
    run_export_child,
    settle,
    sha256,
    signed_visits,
    visit_row,
)

FRACTIONS = (0.1, 0.5, 0.9)  # of an uninterrupted export's duration


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    data_dir = tmp_path_factory.mktemp("pristine") / "data"
    result = seed_demo(data_dir, date(2026, 10, 20))
    settle(data_dir)
    return data_dir, result.visits


def test_killed_report_export_leaves_no_partial_pdf_and_the_visit_intact(
    demo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    from ietp_desktop.services.reporting.reports import verify_report

    pristine, uuids = demo
    uuid = uuids["completed-cap"]
    before = visit_row(pristine, uuid)
    assert before["status"] == "completed"
    ca_pem = (pristine / "identity" / "office-ca.pem").read_bytes()

    whole = copy_workspace(pristine, tmp_path / "whole")
    out = tmp_path / "whole-out" / "report.pdf"
    run = run_export_child(
        "report", [str(whole), uuid, str(out), DEMO_PASSPHRASE], tmp_path / "whole.log", None
    )
    assert run.acked and run.ready_to_ack_s is not None
    assert verify_report(out, ca_pem).ok

    interrupted = 0
    for index, fraction in enumerate(FRACTIONS):
        data_dir = copy_workspace(pristine, tmp_path / f"round-{index}")
        out = tmp_path / f"out-{index}" / "report.pdf"
        killed = run_export_child(
            "report",
            [str(data_dir), uuid, str(out), DEMO_PASSPHRASE],
            tmp_path / f"round-{index}.log",
            run.ready_to_ack_s * fraction,
        )
        assert database_ok(data_dir) == "ok"
        after = visit_row(data_dir, uuid)
        where = f"round {index} (acked {killed.acked}, status {after['status']})"
        assert {k: after[k] for k in ("answers", "findings", "attendees", "revision")} == {
            k: before[k] for k in ("answers", "findings", "attendees", "revision")
        }, where
        stored = data_dir / "reports" / f"{uuid}-r{before['revision']}.pdf"
        if out.exists():
            assert verify_report(out, ca_pem).ok, f"round {index}: a partial PDF at {out}"
        if stored.exists():
            assert verify_report(stored, ca_pem).ok, f"round {index}: a partial {stored}"
        if after["status"] == "signed":
            assert out.exists(), where
            assert sha256(out) == after["report_sha256"] == sha256(stored), where
        else:
            assert after["status"] == "completed", where
            assert after["report_sha256"] in (None, ""), where
            assert not killed.acked, where
        interrupted += not killed.acked
    assert interrupted, "no kill landed before the export finished"


def test_killed_bundle_export_leaves_no_partial_bundle_and_the_visits_intact(
    demo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    pytest.importorskip("ietp_desktop.services.sync.bundles")
    from ietp_desktop.services.sync.bundles import manifest_sha256
    from ietp_desktop.sync.reader import verify_bundle

    pristine, _ = demo
    signed = signed_visits(pristine)
    assert signed, "the demo has signed visits waiting to be sent"
    before = {uuid: visit_row(pristine, uuid) for uuid in signed}
    assert {row["status"] for row in before.values()} == {"signed"}
    ca = load_office_certificate(pristine / "office", "ca")

    whole = copy_workspace(pristine, tmp_path / "whole")
    out = tmp_path / "whole-out" / "visits.ietpbundle"
    run = run_export_child(
        "bundle", [str(whole), str(out), DEMO_PASSPHRASE], tmp_path / "whole.log", None
    )
    assert run.acked and run.ready_to_ack_s is not None
    assert verify_bundle(out, ca).intact

    interrupted = 0
    for index, fraction in enumerate(FRACTIONS):
        data_dir = copy_workspace(pristine, tmp_path / f"round-{index}")
        out = tmp_path / f"out-{index}" / "visits.ietpbundle"
        killed = run_export_child(
            "bundle",
            [str(data_dir), str(out), DEMO_PASSPHRASE],
            tmp_path / f"round-{index}.log",
            run.ready_to_ack_s * fraction,
        )
        assert database_ok(data_dir) == "ok"
        if out.exists():
            report = verify_bundle(out, ca)
            assert report.intact and report.trusted, f"round {index}: {report.problems}"
        for uuid in signed:
            after = visit_row(data_dir, uuid)
            for key in ("answers", "findings", "attendees", "revision", "report_sha256"):
                assert after[key] == before[uuid][key]
            if after["status"] == "exported":
                assert out.exists()
                assert [sha for sha, _ in after["exports"]] == [manifest_sha256(out)]
            else:
                assert after["status"] == "signed" and after["exports"] == []
        interrupted += not killed.acked
    assert interrupted, "no kill landed before the export finished"


def test_killed_large_atomic_write_leaves_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "out" / "big.bin"
    target.parent.mkdir()
    for index, delay in enumerate((0.0, 0.05, 0.2)):
        target.write_bytes(b"the previous complete file")
        run = run_export_child(
            "atomic", [str(target), "400"], tmp_path / f"atomic-{index}.log", delay
        )
        if run.acked:  # the machine wrote 400 MB faster than the kill: the new file is whole
            assert target.stat().st_size == 400 * 1024 * 1024
        else:
            assert target.read_bytes() == b"the previous complete file"
        leftovers = [p.name for p in target.parent.iterdir() if p.name != "big.bin"]
        assert all(name.startswith(".big.bin.") and name.endswith(".part") for name in leftovers)
        for name in leftovers:
            (target.parent / name).unlink()
