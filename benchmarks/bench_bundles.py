"""Export and office import of a bundle holding SIZE MB of photos (default 1024).

Each step runs in its own child process so its peak memory (ru_maxrss) is its own. The floor,
measured in the same run over the same bytes, is reading the photos with sha256 + chunked
AES-256-GCM and nothing else. Targets (issue 7): at least half the floor's throughput; peak
memory under 300 MB whatever the size. Also printed, for context: writing the same bytes to a
new file with fsync, which the floor leaves out but export (the bundle) and import (the photos)
cannot; on a VM that backs fresh page-cache pages lazily this alone can be slower than the floor.
Run: .venv/bin/python benchmarks/bench_bundles.py [--size-mb 1024]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select

from ietp_desktop.office.intake import import_bundles
from ietp_desktop.office.setup import enroll, init_office
from ietp_desktop.paths import DataFolder
from ietp_desktop.security.enrolment import import_enrolment
from ietp_desktop.services.sync.bundles import export_visits
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.visits.read import attachment_path
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.models import Attachment, Visit
from ietp_desktop.sync.envelope import CHUNK_SIZE

PHOTO_MB = 8
PASSPHRASE = "benchmark passphrase"


def peak_mb() -> float:
    kilobytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kilobytes / 1024


def prepare(root: Path, size_mb: int) -> str:
    data_dir, office_dir = root / "laptop", root / "office"
    db = open_workspace(data_dir, actor="bench")
    factory = factories.add_factory(
        db,
        factories.FactoryInput(
            ietp_id="IETP-BENCH-1",
            name_en="Bench Toys",
            region="CN-GD-Dongguan",
            seal_issued_on=date(2026, 1, 1),
        ),
    )
    planned = lifecycle.plan_visit(db, factory.ietp_id, date(2026, 4, 1))
    count = max(1, size_mb // PHOTO_MB)
    with db.session() as session:
        visit = session.scalars(select(Visit).where(Visit.uuid == planned.uuid)).one()
        for index in range(count):
            data = os.urandom(min(PHOTO_MB, size_mb) << 20)
            sha = hashlib.sha256(data).hexdigest()
            target = Path(attachment_path(db, sha))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            session.add(
                Attachment(
                    visit_id=visit.id,
                    sha256=sha,
                    original_sha256=sha,
                    filename=f"photo-{index}.jpg",
                    size_bytes=len(data),
                )
            )
        visit.status = "signed"
        visit.signed_at = datetime.now(UTC)
    db.dispose()
    init_office(office_dir, "Bench Office")
    enrolment = root / "bench.ietp-enrol"
    enroll(office_dir, "Bench", "bench@example.org", enrolment, specialist_passphrase=PASSPHRASE)
    import_enrolment(enrolment, DataFolder(data_dir).identity, PASSPHRASE)
    return planned.uuid


def child(step: str, root: Path) -> dict[str, float]:
    data_dir, office_dir = root / "laptop", root / "office"
    bundle = root / "bench.ietpbundle"
    if step == "floor":
        db = open_workspace(data_dir)
        with db.session() as session:
            shas = list(session.scalars(select(Attachment.sha256)))
        key = AESGCM(AESGCM.generate_key(bit_length=256))
        start = time.perf_counter()
        done = 0
        for index, sha in enumerate(shas):
            digest = hashlib.sha256()
            with open(attachment_path(db, sha), "rb") as stream:
                for chunk_no, block in enumerate(iter(lambda: stream.read(CHUNK_SIZE), b"")):
                    nonce = (index << 32 | chunk_no).to_bytes(12, "big")
                    digest.update(key.encrypt(nonce, block, None))
                    done += len(block)
        seconds = time.perf_counter() - start
        db.dispose()
    elif step == "write":
        seconds, done = _copy_to_new_file(root)
    elif step == "export":
        db = open_workspace(data_dir)
        start = time.perf_counter()
        export_visits(db, None, bundle, passphrase=PASSPHRASE)
        seconds = time.perf_counter() - start
        done = bundle.stat().st_size
        db.dispose()
    else:
        start = time.perf_counter()
        [outcome] = import_bundles(office_dir, [bundle])
        seconds = time.perf_counter() - start
        assert outcome.status == "imported", outcome.message
        done = bundle.stat().st_size
    return {"seconds": seconds, "bytes": done, "peak_mb": peak_mb()}


def _copy_to_new_file(root: Path) -> tuple[float, int]:
    """Write the photos' bytes to one new file and fsync it: what this machine's page cache
    and disk allow for writing that much (export writes the bundle, import writes photos)."""
    data_dir = root / "laptop"
    db = open_workspace(data_dir)
    with db.session() as session:
        paths = [
            Path(attachment_path(db, sha)) for sha in session.scalars(select(Attachment.sha256))
        ]
    db.dispose()
    target = root / "write-floor.bin"
    buffer = bytearray(CHUNK_SIZE)
    done = 0
    start = time.perf_counter()
    with open(target, "wb", buffering=0) as sink:
        for path in paths:
            with open(path, "rb", buffering=0) as source:
                while count := source.readinto(buffer):
                    sink.write(memoryview(buffer)[:count])
                    done += count
        os.fsync(sink.fileno())
    seconds = time.perf_counter() - start
    target.unlink()
    return seconds, done


def run_child(step: str, root: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, "--root", str(root)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--child")
    parser.add_argument("--root", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.root)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-bundles-") as tmp:
        root = Path(tmp)
        prepare(root, args.size_mb)
        floor = run_child("floor", root)
        write = run_child("write", root)
        results = {"export": run_child("export", root), "import": run_child("import", root)}
    floor_rate = floor["bytes"] / floor["seconds"] / 1e6
    write_rate = write["bytes"] / write["seconds"] / 1e6
    # the least a writer or importer could do: the floor's work, then writing the same bytes
    with_write = floor["bytes"] / (floor["seconds"] + write["seconds"]) / 1e6
    print(f"photos: {floor['bytes'] / 1e6:.0f} MB")
    print(f"floor (sha256 + AES-256-GCM): {floor_rate:.0f} MB/s, peak {floor['peak_mb']:.0f} MB")
    print(
        f"new file write + fsync of the same bytes: {write_rate:.0f} MB/s "
        f"(not in the floor; floor then write: {with_write:.0f} MB/s)"
    )
    for step, result in results.items():
        rate = result["bytes"] / result["seconds"] / 1e6
        ratio = rate / floor_rate
        met = "met" if ratio >= 0.5 and result["peak_mb"] < 300 else "MISSED"
        print(
            f"{step}: {result['seconds']:.1f} s, {rate:.0f} MB/s = {ratio:.2f} x floor "
            f"(target >= 0.5), peak memory {result['peak_mb']:.0f} MB (target < 300) {met}; "
            f"{rate / with_write:.2f} x floor-then-write"
        )


if __name__ == "__main__":
    main()
