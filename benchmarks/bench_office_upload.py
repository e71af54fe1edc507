"""The office server under laptops: N concurrent uploads over TLS, the inbox with K visits, and
the server's memory during a large upload.

A real `office serve` process on 127.0.0.1 with the office CA's TLS certificate; each laptop is
a thread with its own signed-request client (sync/office_client.py) uploading its own bundle
(the same signed visit exported once per laptop, so every bundle is a distinct file the office
checks and imports in full). Printed:

- uploads/s and p50/p95 latency of one upload (announce, chunks, finish with the receipt);
- the ratio of upload throughput to the floor: the same bytes, from the same number of
  concurrent clients, PUT over loopback to a bare `http.server` that reads and drops them
  (measured in the same run; no TLS, no signature, no import);
- the inbox page p95 with K received visits (signed in, server-rendered, over TLS);
- the server's resident memory before and after a large upload, and its peak (VmHWM): the
  upload is streamed to disk and imported from there, never held whole.

Nothing is asserted; `ROW` lines go into run_all.py's table.

    .venv/bin/python benchmarks/bench_office_upload.py                 # 10 laptops, ~1 min
    .venv/bin/python benchmarks/bench_office_upload.py --laptops 50 --bundle-mb 20 \\
        --visits 10000 --large-mb 1024 [--db postgresql+psycopg://…] [--workers 2]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import http.client
import http.server
import json
import os
import re
import shutil
import ssl
import tempfile
import threading
import time
import uuid as uuidlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
from common import Row, median, ms, p95, row_line
from sqlalchemy import insert, select

from ietp_desktop.demo.seed import seed_demo_visits
from ietp_desktop.office.accounts import users
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.setup import enroll, init_office
from ietp_desktop.paths import DataFolder
from ietp_desktop.security.enrolment import import_enrolment, load_identity
from ietp_desktop.services.sync.bundles import export_visits
from ietp_desktop.services.visits.read import attachment_path
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.models import Attachment, Visit
from ietp_desktop.sync.office_client import OfficeClient
from tests.bundle_world import sign_visit
from tests.office.conftest import Server, start_server

PASSPHRASE = "benchmark passphrase"
ADMIN, ADMIN_PASSWORD = "bench-admin", "bench office passphrase 2026"
PHOTO_MB = 8
INBOX_REQUESTS = 40


# --- set-up --------------------------------------------------------------------------------


def _add_photos(data_dir: Path, uuid: str, size_mb: float) -> None:
    """Random bytes as the factory's documents (scanned wage sheets as PDF): the office keeps
    them by their hash, so the figures are transport, streaming, hashing and the import. Photos
    would add the office re-encoding each image, which bench_bundles.py measures."""
    db = open_workspace(data_dir, actor="bench")
    remaining = int(size_mb * (1 << 20))
    with db.session() as session:
        visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).one()
        index = 0
        while remaining > 0:
            data = os.urandom(min(PHOTO_MB << 20, remaining))
            remaining -= len(data)
            sha = hashlib.sha256(data).hexdigest()
            target = Path(attachment_path(db, sha))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            session.add(
                Attachment(
                    visit_id=visit.id,
                    sha256=sha,
                    original_sha256=sha,
                    filename=f"wage-sheets-{index}.pdf",
                    media_type="application/pdf",
                    size_bytes=len(data),
                )
            )
            index += 1
    db.dispose()


def prepare(root: Path, args: argparse.Namespace) -> tuple[Path, list[Path], Path, str]:
    data_dir, office_dir = root / "laptop", root / "office"
    result = seed_demo_visits(data_dir)
    init_office(office_dir, "Bench Office")
    enrolment = root / "bench.ietp-enrol"
    enroll(office_dir, "Bench", "bench@example.org", enrolment, specialist_passphrase=PASSPHRASE)
    import_enrolment(enrolment, DataFolder(data_dir).identity, PASSPHRASE)
    small, large = result.visits["completed-clean"], result.visits["completed-cap"]
    _add_photos(data_dir, small, args.bundle_mb)
    _add_photos(data_dir, large, args.large_mb)
    db = open_workspace(data_dir, actor="bench")
    try:
        for uuid in (small, large):
            sign_visit(db, uuid, _report(data_dir, uuid))
        bundles = [
            export_visits(db, [small], root / f"laptop-{n}.ietpbundle", passphrase=PASSPHRASE).path
            for n in range(args.laptops)
        ]
        big = export_visits(db, [large], root / "large.ietpbundle", passphrase=PASSPHRASE).path
    finally:
        db.dispose()
    database = open_office_db(office_dir, args.db)
    try:
        users.add_user(database, ADMIN, ADMIN_PASSWORD, users.ADMINISTRATOR, actor="bench")
    finally:
        database.dispose()
    return office_dir, bundles, big, small


def _report(data_dir: Path, uuid: str) -> bytes:
    from tests.bundle_world import signed_report

    return signed_report(data_dir, f"report of {uuid}", PASSPHRASE)


def add_inbox_visits(office_dir: Path, db_url: str | None, count: int) -> int:
    """`count` received visits, cloned row by row from one the office imported."""
    database = open_office_db(office_dir, db_url)
    try:
        with database.session() as session:
            model = session.scalars(select(Visit).where(Visit.received_at.is_not(None))).first()
            assert model is not None, "import a visit first"
            columns = [c.name for c in Visit.__table__.columns if c.name != "id"]
            template = {name: getattr(model, name) for name in columns}
            now = datetime.now(UTC)
            rows = [
                template | {"uuid": str(uuidlib.uuid4()), "received_at": now}
                for _ in range(max(0, count - 1))
            ]
            for start in range(0, len(rows), 1000):
                session.execute(insert(Visit), rows[start : start + 1000])
        with database.session() as session:
            total = session.query(Visit).filter(Visit.received_at.is_not(None)).count()
    finally:
        database.dispose()
    return int(total)


# --- measurements -----------------------------------------------------------------------------


def _client(server: Server, data_dir: Path) -> OfficeClient:
    identity = load_identity(DataFolder(data_dir).identity)
    assert identity is not None
    return OfficeClient(server.url, identity.office_ca, identity.unlock(PASSPHRASE))


def concurrent(jobs: list[Path], work: Callable[[Path], None]) -> tuple[float, list[float]]:
    """Run `work` for every job at once (one thread each); wall time and each job's time."""
    latencies: list[float] = []
    barrier = threading.Barrier(len(jobs))

    def one(job: Path) -> None:
        barrier.wait()
        started = time.perf_counter()
        work(job)
        latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        for future in [pool.submit(one, job) for job in jobs]:
            future.result()
    return time.perf_counter() - started, latencies


class _Drop(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_PUT(self) -> None:
        left = int(self.headers["Content-Length"])
        while left:
            left -= len(self.rfile.read(min(left, 1 << 20)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


class _DropServer(http.server.ThreadingHTTPServer):
    request_queue_size = 256  # the default backlog (5) resets 50 laptops connecting at once


def floor_copy(bundles: list[Path]) -> tuple[float, list[float]]:
    """The same files, from as many threads, PUT to a bare HTTP server on loopback."""
    httpd = _DropServer(("127.0.0.1", 0), _Drop)
    port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def put(path: Path) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120, blocksize=1 << 20)
        with open(path, "rb") as body:
            connection.request(
                "PUT", "/", body=body, headers={"Content-Length": str(path.stat().st_size)}
            )
        connection.getresponse().read()
        connection.close()

    try:
        return concurrent(bundles, put)
    finally:
        httpd.shutdown()
        httpd.server_close()


def inbox_latencies(server: Server, office_dir: Path, count: int) -> list[float]:
    context = ssl.create_default_context(cafile=str(office_dir / "ca.pem"))
    with httpx.Client(verify=context, timeout=60, base_url=server.url) as browser:
        page = browser.get("/signin")
        token = re.search(r'name="csrf" value="([^"]*)"', page.text)
        assert token is not None
        signed_in = browser.post(
            "/signin",
            data={"csrf": token.group(1), "username": ADMIN, "password": ADMIN_PASSWORD},
        )
        assert signed_in.status_code == 303, signed_in.text[:300]
        browser.get("/inbox")  # warm: templates compiled, connections open
        latencies = []
        for _ in range(count):
            started = time.perf_counter()
            response = browser.get("/inbox")
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200
    return latencies


def server_pids(pid: int) -> list[int]:
    """The processes that serve requests: uvicorn's workers when it has several, else itself."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(c) for c in children.read_text().split()] if children.exists() else []
    return found or [pid]


def reset_peak(pid: int) -> None:
    """Start VmHWM again from the current RSS (Linux: clear_refs 5), so the peak measured is
    the large upload's, not the concurrent uploads' before it."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory now and its peak (VmRSS, VmHWM) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


# --- the run ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--laptops", type=int, default=10, help="concurrent laptops (10)")
    parser.add_argument("--bundle-mb", type=float, default=4, help="photos per bundle, MB (4)")
    parser.add_argument("--visits", type=int, default=1000, help="visits in the inbox (1000)")
    parser.add_argument("--large-mb", type=float, default=128, help="the large upload, MB (128)")
    parser.add_argument("--db", help="office database URL (default: SQLite in the office)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--quick", action="store_true", help="4 laptops, 1 MB, 500 visits, 32 MB")
    args = parser.parse_args()
    if args.quick:
        args.laptops, args.bundle_mb, args.visits, args.large_mb = 4, 1, 500, 32

    root = Path(tempfile.mkdtemp(prefix="bench-office-"))
    try:
        started = time.perf_counter()
        office_dir, bundles, big, _small = prepare(root, args)
        print(
            f"set-up: {args.laptops} bundles of {bundles[0].stat().st_size / 1e6:.1f} MB, one "
            f"of {big.stat().st_size / 1e6:.0f} MB ({time.perf_counter() - started:.1f} s)",
            flush=True,
        )
        rows = run(root, office_dir, bundles, big, args)
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    for row in rows:
        print(row_line(row))


def run(
    root: Path, office_dir: Path, bundles: list[Path], big: Path, args: argparse.Namespace
) -> list[Row]:
    data_dir = root / "laptop"
    total_mb = sum(b.stat().st_size for b in bundles) / 1e6
    floor_wall, _ = floor_copy(bundles)
    floor_rate = total_mb / floor_wall
    server = start_server(office_dir, db_url=args.db, workers=args.workers)
    try:
        statuses: list[str] = []

        def upload(path: Path) -> None:
            with _client(server, data_dir) as client:
                uploaded = client.upload(path)
                statuses.append(uploaded.status)
                if uploaded.status != "imported":
                    body = json.loads(base64.b64decode(json.loads(uploaded.receipt)["body"]))
                    print(f"{path.name}: {uploaded.status}: {body.get('message')}")

        wall, latencies = concurrent(bundles, upload)
        assert statuses.count("imported") == len(bundles), statuses
        rate = total_mb / wall
        print(
            f"{len(bundles)} laptops: {len(bundles) / wall:.2f} uploads/s, {rate:.1f} MB/s, "
            f"p50 {ms(median(latencies))}, p95 {ms(p95(latencies))}; bare HTTP copy of the "
            f"same bytes: {floor_rate:.0f} MB/s",
            flush=True,
        )
        visits = add_inbox_visits(office_dir, args.db, args.visits)
        inbox = inbox_latencies(server, office_dir, INBOX_REQUESTS)
        print(f"inbox with {visits} visits: p50 {ms(median(inbox))}, p95 {ms(p95(inbox))}")
        pids = server_pids(server.process.pid)
        for pid in pids:
            reset_peak(pid)
        before = max(rss_mb(pid)[0] for pid in pids)
        with _client(server, data_dir) as client:
            large_started = time.perf_counter()
            result = client.upload(big)
            large_seconds = time.perf_counter() - large_started
        after = max(rss_mb(pid)[0] for pid in pids)
        peak = max(rss_mb(pid)[1] for pid in pids)
        size_mb = big.stat().st_size / 1e6
        print(
            f"large upload {size_mb:.0f} MB: {result.status} in {large_seconds:.1f} s; server "
            f"RSS {before:.0f} MB before, {after:.0f} MB after, peak {peak:.0f} MB"
            + (f" (the largest of {len(pids)} worker processes)" if len(pids) > 1 else ""),
            flush=True,
        )
    finally:
        server.stop()
    return [
        Row(
            f"office upload, {len(bundles)} laptops × {total_mb / len(bundles):.1f} MB, TLS",
            f"{len(bundles) / wall:.2f} uploads/s, p50 {ms(median(latencies))}, "
            f"p95 {ms(p95(latencies))}",
            f"bare HTTP copy {floor_rate:.0f} MB/s",
            rate / floor_rate,
            "",
        ),
        Row(
            f"office inbox page, {visits} visits, p95",
            ms(p95(inbox)),
            "",
            None,
            "< 200 ms",
            p95(inbox) < 0.2,
        ),
        Row(
            f"office one large upload, {size_mb:.0f} MB, TLS",
            f"{size_mb / large_seconds:.0f} MB/s ({large_seconds:.1f} s with the import)",
            f"bare HTTP copy {floor_rate:.0f} MB/s",
            size_mb / large_seconds / floor_rate,
            "",
        ),
        Row(
            f"office server memory, {size_mb:.0f} MB upload",
            f"RSS {before:.0f} → {after:.0f} MB, peak {peak:.0f} MB",
            "",
            None,
            "peak grows < 100 MB",
            peak - before < 100,
        ),
    ]


if __name__ == "__main__":
    main()
