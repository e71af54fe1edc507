"""The long crash test: `python -m tests.reliability.crash_bench [--kills 100] [--seed N]`.

Prints one line per kill, then the acknowledged changes lost (target 0) and how many
integrity checks were ok (target: all). Exits non-zero when either target is missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tests.reliability.crash_workload import CrashSummary, KillResult, run_kills


def run(kills: int, seed: int, verbose: bool = True) -> CrashSummary:
    def report(index: int, result: KillResult) -> None:
        if verbose:
            print(
                f"kill {index:3d}: {result.acknowledged:3d} acknowledged, lost {result.lost}, "
                f"integrity {result.integrity}",
                flush=True,
            )

    with tempfile.TemporaryDirectory(prefix="ietp-crash-") as folder:
        return run_kills(Path(folder) / "data", kills, seed, Path(folder), report)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    summary = run(args.kills, args.seed)
    seconds = time.perf_counter() - start
    print(
        f"seed {args.seed}: {summary.kills} kills in {seconds:.0f} s, "
        f"{summary.acknowledged} changes acknowledged"
    )
    print(f"acknowledged changes lost = {summary.lost}")
    print(f"integrity_check ok = {summary.integrity_ok}/{summary.kills}")
    for problem in summary.problems:
        print(f"  {problem}")
    return 0 if summary.lost == 0 and summary.integrity_ok == summary.kills else 1


if __name__ == "__main__":
    sys.exit(main())
