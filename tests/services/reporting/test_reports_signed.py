"""Signed visit reports built from the demo data, read back as a reader would: text, fonts,
signature verdict, pictures of the pages, and the lock that signing puts on the visit."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ietp_desktop.demo.build import seed_demo
from ietp_desktop.demo.identity import DEMO_PASSPHRASE, OFFICE_DIR
from ietp_desktop.domain.checklist import format_answer
from ietp_desktop.domain.errors import UserError
from ietp_desktop.security.enrolment import write_enrolment
from ietp_desktop.security.office_ca import create_office, load_office
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.identity.keys import import_identity
from ietp_desktop.services.reporting import report_data, reports
from ietp_desktop.services.visits import answers, lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from tests.reports.pdftext import page_texts, squash, unembedded_fonts

PNG_DIR = Path("/tmp/report-pngs")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "data"
    seed_demo(folder)
    return folder


@pytest.fixture
def demo(demo_dir: Path, tmp_path: Path) -> Iterator[tuple[Database, dict[str, str]]]:
    """A private copy of the seeded demo (tests sign and change visits)."""
    folder = tmp_path / "data"
    shutil.copytree(demo_dir, folder)
    db = open_workspace(folder, actor="tester")
    labels = {
        "completed-cap": _uuid_of(db, "Certificate maintained — CAP required", "completed"),
        "signed": _uuid_of(db, None, "signed"),
        "in-progress": _uuid_of(db, None, "in_progress"),
    }
    yield db, labels
    db.dispose()


def _uuid_of(db: Database, outcome_label: str | None, status: str) -> str:
    from ietp_desktop.services.visits.read import list_visits

    for summary in list_visits(db):
        if summary.status == status and outcome_label in (None, summary.outcome_label):
            return summary.uuid
    raise AssertionError(f"the demo has no {status} visit")


@pytest.fixture(scope="module")
def built(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The CAP-required demo visit signed once: (pdf, data dir, uuid)."""
    folder = tmp_path_factory.mktemp("built") / "data"
    shutil.copytree(demo_dir, folder)
    db = open_workspace(folder, actor="tester")
    uuid = _uuid_of(db, "Certificate maintained — CAP required", "completed")
    out = folder.parent / "report.pdf"
    reports.build_report(db, uuid, out, "both", DEMO_PASSPHRASE)
    db.dispose()
    return out, folder, uuid


def test_report_text_has_factory_items_findings_and_outcome(built: tuple[Path, Path, str]) -> None:
    pdf, folder, uuid = built
    db = open_workspace(folder)
    detail = load_detail(db, uuid)
    with db.session() as session:
        form = definitions.form_by_sha(session, detail.form_sha256)
    db.dispose()
    text = squash("".join(page_texts(pdf)))
    assert squash(detail.factory.name_zh) in text  # 东莞市宏达玩具有限公司
    assert detail.answers, "the demo visit has answers"
    for item_id, answer in detail.answers.items():
        assert item_id in text, f"answered item {item_id} is missing"
        shown = format_answer(form.item(item_id), answer.value, "en")
        assert squash(shown.split(",")[0]) in text, f"answer of {item_id} ({shown}) is missing"
        if answer.note:
            assert squash(answer.note)[:30] in text
    assert len(detail.findings) >= 2
    for finding in detail.findings:
        assert finding.code in text
        assert squash(finding.title) in text
    assert squash(detail.outcome.final_label) in text  # Certificate maintained — CAP required
    assert "W01" in text and "王芳" not in text  # sampled workers by code, never by name
    assert unembedded_fonts(pdf) == []


def test_signature_is_intact_and_trusted_by_the_demo_office(
    built: tuple[Path, Path, str],
) -> None:
    pdf, folder, _uuid = built
    ca = (folder / OFFICE_DIR / "ca.pem").read_bytes()
    verdict = reports.verify_report(pdf, ca)
    assert verdict.intact and verdict.trusted and verdict.covers_whole_document
    assert verdict.signer_name == "Lin Mei (林梅)"
    assert verdict.signing_time is not None


def test_flipped_byte_in_the_signed_range_is_not_intact(
    built: tuple[Path, Path, str], tmp_path: Path
) -> None:
    pdf, folder, _uuid = built
    data = bytearray(pdf.read_bytes())
    data[data.index(b"/Producer") + 3] ^= 0x01  # in the document info, inside the signed range
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    verdict = reports.verify_report(tampered, (folder / OFFICE_DIR / "ca.pem").read_bytes())
    assert not verdict.ok
    assert not verdict.intact


def test_report_from_another_office_is_untrusted(
    demo: tuple[Database, dict[str, str]], tmp_path: Path
) -> None:
    db, labels = demo
    assert db.data_dir is not None
    demo_ca = (db.data_dir / OFFICE_DIR / "ca.pem").read_bytes()
    other = tmp_path / "other-office"
    create_office(other, "Other Office", None)
    enrolment = tmp_path / "mallory.ietp-enrol"
    write_enrolment(load_office(other, None), "Mallory", "m@example.net", "pw-mallory", enrolment)
    import_identity(db.data_dir, enrolment, "pw-mallory", replace=True)
    out = tmp_path / "mallory.pdf"
    reports.build_report(db, labels["completed-cap"], out, "en", "pw-mallory")
    verdict = reports.verify_report(out, demo_ca)
    assert verdict.intact
    assert not verdict.trusted
    assert verdict.signer_name == "Mallory"


def test_signing_locks_the_visit_until_a_new_revision_with_a_reason(
    demo: tuple[Database, dict[str, str]], tmp_path: Path
) -> None:
    db, labels = demo
    uuid = labels["completed-cap"]
    first = reports.build_report(db, uuid, tmp_path / "r1.pdf", "en", DEMO_PASSPHRASE)
    detail = load_detail(db, uuid)
    assert detail.summary.status == "signed"
    assert detail.signed_at is not None
    assert first.stored_path.name == f"{uuid}-r1.pdf"
    assert first.stored_path.read_bytes() == (tmp_path / "r1.pdf").read_bytes()
    with pytest.raises(UserError, match="open a new revision"):
        answers.record_answer(db, uuid, "OM-06", 600)
    with pytest.raises(UserError, match="reason"):
        lifecycle.open_new_revision(db, uuid, "   ")
    reason = "Factory sent corrected overtime records 工厂补交了加班记录"
    assert lifecycle.open_new_revision(db, uuid, reason) == 2
    answers.record_answer(db, uuid, "OM-06", 600)
    lifecycle.complete_visit(db, uuid)
    second = reports.build_report(db, uuid, tmp_path / "r2.pdf", "en", DEMO_PASSPHRASE)
    assert second.revision == 2
    assert second.stored_path.name == f"{uuid}-r2.pdf"
    assert first.stored_path.exists()  # revision 1 stays
    text = squash("".join(page_texts(tmp_path / "r2.pdf")))
    assert "Revision2" in text
    assert squash(reason) in text


def test_signed_visit_gives_a_copy_of_its_report(
    demo: tuple[Database, dict[str, str]], tmp_path: Path
) -> None:
    db, labels = demo
    copy = reports.build_report(db, labels["signed"], tmp_path / "copy.pdf")
    assert copy.already_signed
    assert copy.path.read_bytes() == copy.stored_path.read_bytes()
    assert reports.verify_report_here(db, copy.path).ok


def test_only_completed_visits_are_signed_and_a_wrong_passphrase_changes_nothing(
    demo: tuple[Database, dict[str, str]], tmp_path: Path
) -> None:
    db, labels = demo
    with pytest.raises(UserError, match="complete it"):
        reports.build_report(db, labels["in-progress"], tmp_path / "x.pdf", "en", DEMO_PASSPHRASE)
    with pytest.raises(UserError, match="wrong passphrase"):
        reports.build_report(db, labels["completed-cap"], tmp_path / "y.pdf", "en", "guess")
    assert load_detail(db, labels["completed-cap"]).summary.status == "completed"
    assert not (tmp_path / "y.pdf").exists()


def test_pages_render_and_are_not_blank(built: tuple[Path, Path, str]) -> None:
    pdf, _folder, _uuid = built
    document = pdfium.PdfDocument(str(pdf))
    document.init_forms()
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    assert len(document) >= 5
    for index in range(len(document)):
        image = document[index].render(scale=0.8, may_draw_forms=True).to_pil().convert("L")
        inked = sum(image.histogram()[:200])
        assert inked > 0.005 * image.width * image.height, f"page {index + 1} is blank"
        if index in (0, len(document) - 1):
            image.save(PNG_DIR / f"demo-report-p{index + 1}.png")


def test_letter_and_cap_form(demo: tuple[Database, dict[str, str]], tmp_path: Path) -> None:
    db, labels = demo
    letter = reports.build_preparation_letter(db, labels["completed-cap"], tmp_path / "l.pdf")
    text = squash("".join(page_texts(letter)))
    assert squash("东莞市宏达玩具有限公司") in text and "Agenda" in text
    cap = reports.build_cap_form(db, labels["completed-cap"], tmp_path / "c.pdf", "zh")
    text = squash("".join(page_texts(cap)))
    assert "F01" in text and "F02" in text
    assert unembedded_fonts(cap) == []


def test_worker_evidence_is_written_in_the_report_language(
    demo: tuple[Database, dict[str, str]],
) -> None:
    db, labels = demo
    uuid = labels["completed-cap"]
    chinese = report_data.report_data(db, uuid, "zh").workers
    english = report_data.report_data(db, uuid, "en").workers
    assert chinese is not None and english is not None
    zh_lines = [line for w in chinese.workers for line in w.breaches]
    en_lines = [line for w in english.workers for line in w.breaches]
    assert zh_lines and len(zh_lines) == len(en_lines)
    assert any("连续工作" in line and "规定：每 7 天至少休息一天" in line for line in zh_lines)
    assert not any("worked" in line for line in zh_lines)
    assert all(line.count("PRC Labour Law art. 38") <= 1 for line in en_lines)
