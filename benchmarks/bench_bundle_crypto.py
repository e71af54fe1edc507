"""Throughput and peak memory of bundle write + open, against a floor measured in the same run.

    .venv/bin/python benchmarks/bench_bundle_crypto.py [total MB, default 200] [photo MB, default 5]

Floor: one pass of sha256 + AES-256-GCM (1 MiB chunks) over the same photo files, which is the
least work any encrypting, hashing bundle writer or reader must do. Figures are printed, not
asserted; the target is at least half the floor's throughput and flat memory.
"""

from __future__ import annotations

import hashlib
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ietp_desktop.security.office_ca import create_office, load_office
from ietp_desktop.sync.bundle import PayloadSource, open_bundle, write_bundle

MB = 1024 * 1024


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / MB


def make_photos(folder: Path, total_mb: int, photo_mb: int) -> list[Path]:
    paths = []
    block = os.urandom(MB)
    for index in range(max(1, total_mb // photo_mb)):
        path = folder / f"photo-{index:04d}.jpg"
        with open(path, "wb") as stream:
            for _ in range(photo_mb):
                stream.write(block[index % 7 :] + block[: index % 7])
        paths.append(path)
    return paths


def floor(paths: list[Path]) -> None:
    aead = AESGCM(AESGCM.generate_key(bit_length=256))
    nonce = os.urandom(12)
    for path in paths:
        digest = hashlib.sha256()
        with open(path, "rb") as stream:
            while block := stream.read(MB):
                digest.update(aead.encrypt(nonce, block, None))


def floor_with_write(paths: list[Path], out: Path) -> None:
    """The floor plus writing the ciphertext to one file and fsyncing it, as a writer must."""
    aead = AESGCM(AESGCM.generate_key(bit_length=256))
    nonce = os.urandom(12)
    with open(out, "wb") as sink:
        for path in paths:
            digest = hashlib.sha256()
            with open(path, "rb") as stream:
                while block := stream.read(MB):
                    sealed = aead.encrypt(nonce, block, None)
                    digest.update(sealed)
                    sink.write(sealed)
        sink.flush()
        os.fsync(sink.fileno())
    out.unlink()


def timed(label: str, total: int, work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    rate = total / MB / seconds
    print(
        f"{label:<28} {seconds:7.2f} s {rate:8.1f} MB/s   peak RSS so far {peak_rss_mb():6.1f} MB"
    )
    return rate


def main() -> None:
    total_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    photo_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        create_office(root / "office", "Bench Office", None)
        office = load_office(root / "office", None)
        specialist = office.issue_specialist("Bench Specialist", "bench@example.org")
        paths = make_photos(root, total_mb, photo_mb)
        total = sum(p.stat().st_size for p in paths)
        print(f"{len(paths)} photos, {total / MB:.0f} MB; peak RSS before: {peak_rss_mb():.1f} MB")
        floor_rate = timed("floor (sha256 + AES-GCM)", total, lambda: floor(paths))
        out = root / "bench.ietpbundle"
        disk_rate = timed(
            "floor + write file + fsync", total, lambda: floor_with_write(paths, root / "f.bin")
        )
        sources = [PayloadSource.from_path(p.name, p) for p in paths]
        write_rate = timed(
            "write_bundle",
            total,
            lambda: write_bundle(
                out, "visit-results", sources, specialist, [office.encryption_cert], [], "1"
            ),
        )

        def read_all() -> None:
            bundle = open_bundle(
                out, office.ca_cert, "visit-results", office.encryption_key, office.encryption_cert
            )
            for name in bundle.names():
                with bundle.open_entry(name) as stream:
                    while stream.read(MB):
                        pass

        open_rate = timed("open_bundle + decrypt all", total, read_all)
        print(
            f"write / floor = {write_rate / floor_rate:.2f} "
            f"(/ floor with file write = {write_rate / disk_rate:.2f})   "
            f"open / floor = {open_rate / floor_rate:.2f}"
        )
        size_mb = out.stat().st_size / MB
        print(f"peak RSS of the whole run: {peak_rss_mb():.1f} MB (bundle {size_mb:.0f} MB)")


if __name__ == "__main__":
    main()
