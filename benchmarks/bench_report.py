"""Benchmark: a full visit (30 workers' analysis, 60 photos of 4000×3000) → signed PDF.

Prints the time and size against a floor built in the same run: a plain reportlab document
that only places the same 60 original images, one per page. Target: under 5 s and under
15 MB on a 2-core machine.

    .venv/bin/python benchmarks/bench_report.py [--photos 60] [--workers 30]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ietp_desktop.reports.sample import photo_bytes, sample_report_data
from ietp_desktop.reports.signing import sign_pdf
from ietp_desktop.reports.visit_report import build_visit_report
from tests.reports.conftest import PASSPHRASE, make_identity

CACHE = Path(tempfile.gettempdir()) / "ietp-bench-photos-v2"


def _noisy_photo(seed: int, width: int = 4000, height: int = 3000) -> bytes:
    """Shapes and gradients plus coarse colour noise: ~2.3 MB at q90, and the texture survives
    downscaling, so the report's JPEGs are as large as real photos' (~110 kB at 1000 px)."""
    base = Image.open(io.BytesIO(photo_bytes(width // 4, height // 4, seed)))
    base = base.resize((width, height), Image.Resampling.BICUBIC)
    channels = [
        Image.effect_noise((width // 4, height // 4), 40).resize(
            (width, height), Image.Resampling.BILINEAR
        )
        for _ in range(3)
    ]
    image = Image.blend(base, Image.merge("RGB", channels), 0.35)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _make_photo(index: int) -> Path:
    path = CACHE / f"photo-{index:02d}.jpg"
    if not path.exists():
        data = _noisy_photo(seed=1000 + index)
        temp = path.with_suffix(".part")
        temp.write_bytes(data)
        temp.replace(path)
    return path


def photos(count: int) -> list[Path]:
    """4000×3000 photo-like JPEGs, generated once and kept in the temp folder."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(_make_photo, range(count)))


def floor(paths: list[Path], out: Path, *, ascii85: bool) -> float:
    """A reportlab document that only places the same images (originals, one per page)."""
    rl_config.useA85 = int(ascii85)
    start = time.perf_counter()
    canvas = Canvas(str(out), pagesize=A4)
    _width, height = A4
    for path in paths:
        canvas.drawImage(str(path), 18 * mm, height / 2 - 60 * mm, 170 * mm, 127.5 * mm)
        canvas.showPage()
    canvas.save()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=60)
    parser.add_argument("--workers", type=int, default=30)
    parser.add_argument(
        "--a85-floor",
        action="store_true",
        help="also time reportlab's default (ASCII85, pure Python here: about a minute)",
    )
    args = parser.parse_args()

    print(f"cores: {os.cpu_count()}")
    t = time.perf_counter()
    paths = photos(args.photos)
    print(
        f"photos ready ({args.photos} × 4000×3000, "
        f"{sum(p.stat().st_size for p in paths) / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s"
    )

    with tempfile.TemporaryDirectory(prefix="ietp-bench-") as folder:
        work = Path(folder)
        identity = make_identity(work, "Bench Office CA", "Anna Berger", "anna@example.org")
        floor_pdf = work / "floor.pdf"
        if args.a85_floor:
            default_pdf = work / "floor-a85.pdf"
            default_s = floor(paths, default_pdf, ascii85=True)
            print(
                f"floor  (reportlab defaults, ASCII85): {default_s:6.2f} s  "
                f"{default_pdf.stat().st_size / 1e6:7.1f} MB"
            )
        # The report writes binary streams (no ASCII85), so the fair floor does too.
        floor_s = floor(paths, floor_pdf, ascii85=False)
        floor_mb = floor_pdf.stat().st_size / 1e6

        start, cpu_start = time.perf_counter(), time.process_time()
        data = sample_report_data(
            workers=args.workers, photos=[p.read_bytes() for p in paths], weeks=52
        )
        unsigned, signed = work / "report.pdf", work / "report-signed.pdf"
        build_visit_report(data, unsigned, "both")
        built = time.perf_counter()
        sign_pdf(
            unsigned,
            signed,
            identity.p12,
            PASSPHRASE,
            signer_name="Anna Berger",
            reason="Progress Visit report",
            location="Dongguan",
            visible_box_text="东莞市宏达玩具有限公司",
            language="both",
        )
        total_s = time.perf_counter() - start
        cpu_s = time.process_time() - cpu_start
        size_mb = signed.stat().st_size / 1e6

    print(f"floor  (reportlab, images only):      {floor_s:6.2f} s  {floor_mb:7.1f} MB")
    print(
        f"report (bilingual, signed):           {total_s:6.2f} s  {size_mb:7.1f} MB"
        f"   (build {built - start:.2f} s, sign {total_s - (built - start):.2f} s)"
    )
    print(
        f"report CPU time (all threads): {cpu_s:.2f} s; load average now: "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} (other work competes for the cores)"
    )
    print(f"ratio to floor: time ×{total_s / floor_s:.2f}, size ×{size_mb / floor_mb:.3f}")
    print(
        f"targets: time < 5 s: {'met' if total_s < 5 else 'MISSED'}; "
        f"size < 15 MB: {'met' if size_mb < 15 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
