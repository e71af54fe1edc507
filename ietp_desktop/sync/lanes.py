"""Ordered background work for the bundle pipelines.

sha256, CRC-32, AES-GCM and file writes all release the GIL on large buffers, so hashing one
chunk can run while the next is read or encrypted. A `Lane` is one worker thread that runs jobs
in the order they were submitted; at most `depth` jobs wait, so memory stays bounded (a job
holds one chunk). The first error a job raises is raised again by the next `submit` or `drain`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Any

DEPTH = 3


class Lane:
    def __init__(self, depth: int = DEPTH) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-lane")
        self._pending: deque[Future[Any]] = deque()
        self._depth = depth

    def submit(self, job: Callable[..., object], *args: Any) -> Future[Any]:
        while len(self._pending) >= self._depth:
            self._pending.popleft().result()
        future = self._executor.submit(job, *args)
        self._pending.append(future)
        return future

    def drain(self) -> None:
        """Wait until every submitted job has run; raise the first error one of them raised."""
        while self._pending:
            self._pending.popleft().result()

    def close(self, *, cancel: bool = False) -> None:
        """Stop the thread; with `cancel`, jobs not started yet never run and errors are dropped."""
        if cancel:
            for future in self._pending:
                future.cancel()
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._pending.clear()
            return
        try:
            self.drain()
        finally:
            self._executor.shutdown(wait=True)


@contextmanager
def lanes(count: int, depth: int = DEPTH) -> Iterator[list[Lane]]:
    """`count` lanes, drained on a clean exit and cancelled (their threads joined) on an error."""
    opened = [Lane(depth) for _ in range(count)]
    with ExitStack() as stack:
        for lane in opened:
            stack.callback(_close_quietly, lane)
        try:
            yield opened
        except BaseException:
            for lane in opened:
                lane.close(cancel=True)
            raise
        for lane in opened:
            lane.close()


def _close_quietly(lane: Lane) -> None:
    lane.close(cancel=True)  # a no-op for a lane already closed


class Ring:
    """`count` slots of preallocated buffers (one per size given), handed out in turn.

    A slot is handed out again only after the jobs recorded against it have finished, so the
    same few buffers serve a whole stream and no chunk is allocated or copied on the way.
    """

    def __init__(self, count: int, *sizes: int) -> None:
        self._sizes = sizes
        self._slots: list[list[bytearray] | None] = [None] * count  # allocated when first used
        self._jobs: list[list[Future[Any]]] = [[] for _ in range(count)]
        self._next = 0

    def take(self) -> tuple[list[bytearray], list[Future[Any]]]:
        """The next slot's buffers and the list to record the jobs that read them in."""
        index = self._next
        self._next = (index + 1) % len(self._slots)
        for job in self._jobs[index]:
            job.result()
        self._jobs[index] = []
        slot = self._slots[index]
        if slot is None:
            slot = self._slots[index] = [bytearray(size) for size in self._sizes]
        return slot, self._jobs[index]
