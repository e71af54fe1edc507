"""Pause the cyclic garbage collector around bulk record work.

A year of attendance is a few hundred thousand small records (named tuples, which the
collector keeps tracking, unlike plain tuples). While they pile up, the collector runs full
passes over every object in the program several times; for a 220,000-row import that was a
third of the time. None of this work builds reference cycles, so nothing is lost by waiting:
the collector is switched back on afterwards (if it was on) and catches up at its next run.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
