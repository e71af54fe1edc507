"""Laptop ↔ office server over TLS on 127.0.0.1: real server processes, real bundles."""

from __future__ import annotations

import json
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from ietp_desktop.cli import main
from ietp_desktop.office.accounts import specialists
from ietp_desktop.office.console.tls import issue_server_certificate
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.setup import init_office
from ietp_desktop.services.sync.bundles import export_visits, identity_dir_of, require_identity
from ietp_desktop.services.sync.office_link import fetch_from_office, send_to_office
from ietp_desktop.storage.models import ReceivedBundle, Visit
from ietp_desktop.sync import office_client
from ietp_desktop.sync.office_client import (
    OfficeClient,
    OfficeNotTrusted,
    OfficeRefused,
    OfficeUnreachable,
)

from ..bundle_world import SPECIALIST_PASSPHRASE, World, database_state
from .conftest import Server, start_server


def _laptop_status(world: World, uuid: str) -> str:
    db = world.laptop()
    try:
        with db.session() as session:
            return session.scalars(select(Visit.status).where(Visit.uuid == uuid)).one()
    finally:
        db.dispose()


def _office_rows(world: World) -> dict[str, list[tuple[object, ...]]]:
    """The office's data tables (its own audit trail and request nonces grow on every request)."""
    db = open_office_db(world.office_dir)
    try:
        state = database_state(db)
    finally:
        db.dispose()
    return {k: v for k, v in state.items() if not k.startswith("office_")}


def _export(world: World, out: Path) -> Path:
    db = world.laptop()
    try:
        visits = [world.visit_uuid, world.second_uuid]
        export_visits(db, visits, out, passphrase=SPECIALIST_PASSPHRASE)
    finally:
        db.dispose()
    return out


def _send(world: World, url: str, files: list[Path] | None = None):  # type: ignore[no-untyped-def]
    db = world.laptop()
    try:
        return send_to_office(db, url, passphrase=SPECIALIST_PASSPHRASE, files=files)
    finally:
        db.dispose()


def test_send_visits_gets_a_receipt_and_marks_them_received(
    office: World,
    server: Server,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _laptop_status(office, office.visit_uuid) == "signed"
    monkeypatch.setenv("IETP_SPECIALIST_PASSPHRASE", SPECIALIST_PASSPHRASE)
    code = main(["--data-dir", str(office.data_dir), "bundle", "send", "--to", server.url])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "imported by Shenzhen Office" in out
    assert f"{office.visit_uuid[:8]}  received" in out
    assert f"{office.second_uuid[:8]}  received" in out
    assert _laptop_status(office, office.visit_uuid) == "received"
    db = open_office_db(office.office_dir)
    with db.session() as session:
        uuids = set(session.scalars(select(Visit.uuid).where(Visit.received_at.is_not(None))))
    db.dispose()
    assert {office.visit_uuid, office.second_uuid} <= uuids


def test_the_same_bundle_twice_is_one_import_and_the_same_receipt(
    office: World, server: Server, tmp_path: Path
) -> None:
    bundle = _export(office, tmp_path / "visits.ietpbundle")
    first = _send(office, server.url, [bundle])[0]
    receipt_once = first.receipt_file.read_bytes()
    second = _send(office, server.url, [bundle])[0]
    assert second.receipt_file.read_bytes() == receipt_once
    assert first.office_status == second.office_status == "imported"
    db = open_office_db(office.office_dir)
    with db.session() as session:
        assert len(session.scalars(select(ReceivedBundle)).all()) == 1
    db.dispose()


def test_a_tampered_bundle_is_refused_and_nothing_is_imported(
    office: World, server: Server, tmp_path: Path
) -> None:
    bundle = _export(office, tmp_path / "visits.ietpbundle")
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01  # a byte inside an encrypted payload entry
    bundle.write_bytes(bytes(data))
    before = _office_rows(office)
    with pytest.raises(OfficeRefused) as refused:
        _send(office, server.url, [bundle])
    assert refused.value.code == "bundle-refused"
    assert "refused" in str(refused.value)
    assert _office_rows(office) == before
    assert _laptop_status(office, office.visit_uuid) == "exported"  # not received
    assert list((office.office_dir / "uploads").iterdir()) == []  # nothing left half-stored


def test_a_revoked_certificate_is_refused(office: World, server: Server, tmp_path: Path) -> None:
    bundle = _export(office, tmp_path / "visits.ietpbundle")
    db = open_office_db(office.office_dir)
    lin = next(
        s for s in specialists.list_specialists(office.office_dir, db) if s.name == "Lin Mei"
    )
    specialists.revoke(office.office_dir, db, lin.fingerprint, "laptop stolen", actor="test")
    db.dispose()
    before = _office_rows(office)
    with pytest.raises(OfficeRefused) as refused:
        _send(office, server.url, [bundle])
    assert refused.value.code == "revoked"
    assert "revoked this laptop's certificate" in str(refused.value)
    assert _office_rows(office) == before


def test_a_server_of_another_office_is_refused_before_anything_is_sent(
    office: World, tmp_path: Path
) -> None:
    other = tmp_path / "other-office"
    init_office(other, "Impostor Office")
    issue_server_certificate(other, ["127.0.0.1"])
    (office.office_dir / "tls").mkdir(exist_ok=True)
    for name in ("server.pem", "server-key.pem"):
        shutil.copy(other / "tls" / name, office.office_dir / "tls" / name)
    impostor = start_server(office.office_dir)
    try:
        with pytest.raises(OfficeNotTrusted, match="not the office this laptop is enrolled with"):
            _send(office, impostor.url, [_export(office, tmp_path / "v.ietpbundle")])
    finally:
        impostor.stop()
    assert not (office.office_dir / "uploads").exists()


def test_plain_http_is_refused_for_a_remote_office(office: World) -> None:
    db = office.laptop()
    identity = require_identity(identity_dir_of(db))
    db.dispose()
    with pytest.raises(Exception, match="must be reached over https"):
        OfficeClient(
            "http://office.example.org:8443",
            identity.office_ca,
            identity.unlock(SPECIALIST_PASSPHRASE),
        )


def test_a_replayed_request_is_refused(office: World, server: Server) -> None:
    db = office.laptop()
    identity = require_identity(identity_dir_of(db))
    db.dispose()
    client = OfficeClient(server.url, identity.office_ca, identity.unlock(SPECIALIST_PASSPHRASE))
    recorded: dict[str, str] = {}
    original = office_client.sign_request

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        headers = original(*args, **kwargs)
        if not recorded:
            recorded.update(headers)
        return headers

    office_client.sign_request = recording  # type: ignore[assignment]
    try:
        assert client.hello()["name"] == "Lin Mei"
        replay = dict(recorded)
        office_client.sign_request = lambda *a, **k: dict(replay)  # type: ignore[assignment]
        with pytest.raises(OfficeRefused) as refused:
            client.hello()
        assert refused.value.code == "replayed"
    finally:
        office_client.sign_request = original  # type: ignore[assignment]
        client.close()


def test_an_upload_cut_off_by_a_killed_server_resumes_where_it_stopped(
    office: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = _export(office, tmp_path / "visits.ietpbundle")
    size = bundle.stat().st_size
    monkeypatch.setattr(office_client, "CHUNK_BYTES", max(1024, size // 10))
    server = start_server(office.office_dir)
    port = int(server.url.rsplit(":", 1)[1])
    state: dict[str, Server | None] = {"restarted": None}

    def kill_then_restart(done: int, total: int) -> None:
        if done > total // 3 and state["restarted"] is None and server.process.poll() is None:
            server.stop(signal.SIGKILL)

            def restart() -> None:
                time.sleep(1.0)
                state["restarted"] = start_server(office.office_dir, port=port)

            threading.Thread(target=restart, daemon=True).start()

    db = office.laptop()
    try:
        results = send_to_office(
            db, server.url, passphrase=SPECIALIST_PASSPHRASE, files=[bundle],
            progress=kill_then_restart,
        )  # fmt: skip
    finally:
        db.dispose()
        restarted = state["restarted"]
        if restarted is not None:
            restarted.stop()
    assert restarted is not None, "the server was never killed"
    uploaded = results[0]
    assert uploaded.office_status == "imported"
    assert _laptop_status(office, office.visit_uuid) == "received"
    receipt = json.loads(uploaded.receipt_file.read_text())
    assert receipt["format"] == "ietp-receipt"


def test_a_second_send_continues_an_interrupted_upload(
    office: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop gave up (server down); the next send starts at the bytes the office holds."""
    bundle = _export(office, tmp_path / "visits.ietpbundle")
    size = bundle.stat().st_size
    monkeypatch.setattr(office_client, "CHUNK_BYTES", max(1024, size // 8))
    monkeypatch.setattr(office_client, "RETRIES", 0)
    server = start_server(office.office_dir)
    port = int(server.url.rsplit(":", 1)[1])

    def stop_half_way(done: int, total: int) -> None:
        if done >= total // 2:
            server.stop(signal.SIGKILL)

    db = office.laptop()
    try:
        with pytest.raises(OfficeUnreachable, match="could not be reached"):
            send_to_office(
                db, server.url, passphrase=SPECIALIST_PASSPHRASE, files=[bundle],
                progress=stop_half_way,
            )  # fmt: skip
    finally:
        db.dispose()
    assert _laptop_status(office, office.visit_uuid) == "exported"  # not received
    again = start_server(office.office_dir, port=port)
    try:
        result = _send(office, again.url, [bundle])[0]
    finally:
        again.stop()
    assert size // 2 <= result.resumed_from < size
    assert _laptop_status(office, office.visit_uuid) == "received"


def test_fetch_imports_the_assignments_the_office_published(
    office: World, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IETP_OFFICE_PASSPHRASE", raising=False)
    _send(office, server.url)  # the office learns the factories from the visits it receives
    office_db = open_office_db(office.office_dir)
    with office_db.session() as session:
        factory = session.scalars(select(Visit).where(Visit.uuid == office.visit_uuid)).one()
        ietp_id = factory.factory.ietp_id
    office_db.dispose()
    code = main(
        [
            "office", "assign", "--office-dir", str(office.office_dir),
            "--specialist", "lin.mei@example.org", "--visit", f"{ietp_id}:2027-01-12",
            "--publish",
        ]
    )  # fmt: skip
    assert code == 0
    db = office.laptop()
    try:
        results = fetch_from_office(db, server.url, passphrase=SPECIALIST_PASSPHRASE)
        again = fetch_from_office(db, server.url, passphrase=SPECIALIST_PASSPHRASE)
    finally:
        db.dispose()
    assert len(results) == 1 and not results[0].result.already_imported
    assert len(results[0].result.visits_added) == 1
    assert again[0].result.already_imported
