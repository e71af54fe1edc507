"""Where a builder writes: a path (written atomically) or an open binary stream."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ietp_desktop.security.atomic import atomic_writer

Output = Path | str | BinaryIO


@contextmanager
def open_output(out: Output) -> Iterator[BinaryIO]:
    if isinstance(out, str | os.PathLike):
        with atomic_writer(Path(out)) as stream:
            yield stream
    else:
        yield out
