"""Photo preparation: downscale and re-encode before placing, in parallel.

Placing 4000×3000 originals would make reports huge; a photo is printed at most about 17 cm
wide, where 1600 px is ~240 dpi.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from ietp_desktop.domain.errors import UserError

MAX_SIDE = 1600
JPEG_QUALITY = 80


@dataclass(frozen=True)
class PreparedImage:
    jpeg: bytes
    width: int
    height: int


def downscale(
    data: bytes, *, what: str, max_side: int = MAX_SIDE, quality: int = JPEG_QUALITY
) -> PreparedImage:
    """Decode `data` (PNG/JPEG), shrink it so its long side is at most `max_side`, return JPEG."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            # JPEG draft mode decodes at 1/2, 1/4 or 1/8 scale directly: much faster than a
            # full decode followed by a resize.
            img.draft("RGB", (max_side, max_side))
            img = ImageOps.exif_transpose(img)
            if img.mode != "RGB":
                background = Image.new("RGB", img.size, "white")
                rgba = img.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                img = background
            img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            img.save(out, "JPEG", quality=quality, optimize=True)
            return PreparedImage(out.getvalue(), img.width, img.height)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UserError(f"{what} is not a readable PNG or JPEG image ({exc})") from exc


def downscale_all(
    items: Sequence[tuple[str, bytes]],
    progress: Callable[[int], None] | None = None,
) -> dict[str, PreparedImage]:
    """Downscale every (key, bytes) pair; Pillow releases the GIL while decoding and resizing,
    so a thread pool uses every core."""
    if not items:
        return {}
    workers = max(1, min(len(items), os.cpu_count() or 1))
    done: dict[str, PreparedImage] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {key: pool.submit(downscale, data, what=f"photo {key}") for key, data in items}
        for count, (key, future) in enumerate(futures.items(), start=1):
            done[key] = future.result()
            if progress:
                progress(count)
    return done
