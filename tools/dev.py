#!/usr/bin/env python3
"""Set up the project's virtual environment and run it: the README's Quick start.

    python3 tools/dev.py demo   # create .venv, seed demo-data/, open the window on it
    python3 tools/dev.py office # create .venv, seed demo-data/, serve the demo office console
    python3 tools/dev.py test   # create .venv, run the whole test suite headless

Only the standard library is used here, so this works on a fresh machine with Python 3.11+
and its venv module. The environment is rebuilt when requirements.lock or pyproject.toml
change.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import venv
import webbrowser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".ietp-installed"
DEMO_DIR = ROOT / "demo-data"
OFFICE_PORT = 8765
# Idempotent: a demo-data/ seeded before the demo office had users gets its administrator.
_SEED_ADMIN = (
    "import sys; from pathlib import Path; "
    "from ietp_desktop.demo.office_admin import DEMO_ADMIN_PASSWORD, seed_demo_admin; "
    "print(seed_demo_admin(Path(sys.argv[1])), DEMO_ADMIN_PASSWORD)"
)


def _python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    exe = "python.exe" if os.name == "nt" else "python"
    return VENV / scripts / exe


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 (this script may run on an older python3)
        sys.exit(f"IETP PV Desktop needs Python 3.11 or newer (this is {sys.version.split()[0]})")
    if not _python().exists():
        print(f"creating the virtual environment in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text() != _fingerprint():
        print("installing the locked dependencies …", flush=True)
        pip = [str(_python()), "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run(
            [*pip, "install", "-c", str(ROOT / "requirements.lock"), "-e", f"{ROOT}[dev]"],
            check=True,
        )
        STAMP.write_text(_fingerprint())
    return _python()


def _seed_demo(python: Path) -> None:
    if not (DEMO_DIR / "ietp.sqlite3").exists():
        subprocess.run(
            [str(python), "-m", "ietp_desktop", "demo", "--data-dir", str(DEMO_DIR)], check=True
        )


def demo(extra: list[str]) -> int:
    python = ensure_venv()
    _seed_demo(python)
    return subprocess.call([str(python), "-m", "ietp_desktop", "--data-dir", str(DEMO_DIR), *extra])


def test(extra: list[str]) -> int:
    python = ensure_venv()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory(prefix="ietp-coverage-") as tmp:
        # domain/ is pure Python and stays at 100 % branch coverage (issue 2); the coverage
        # data goes to a temporary folder, never into the checkout.
        data_file = f"--data-file={Path(tmp) / '.coverage'}"
        measure_domain = [
            str(python), "-m", "coverage", "run", data_file, "--branch",
            "--source=ietp_desktop/domain",
            "-m", "pytest", "tests/domain", "tests/forms", "-q", "-p", "no:cacheprovider",
        ]  # fmt: skip
        domain_fully_covered = [
            str(python), "-m", "coverage", "report", data_file, "-m", "--skip-covered",
            "--fail-under=100",
        ]  # fmt: skip
        steps = [
            [str(python), "-m", "ruff", "check", "ietp_desktop", "tests", "benchmarks", "tools"],
            [str(python), "-m", "ruff", "format", "--check", "ietp_desktop", "tests", "benchmarks"],
            [str(python), "-m", "mypy", "ietp_desktop"],
            measure_domain,
            domain_fully_covered,
            [str(python.parent / "lint-imports")],
            [str(python), "-m", "pytest", *extra],
        ]
        for step in steps:
            print(
                "$",
                " ".join(Path(step[0]).name if i == 0 else a for i, a in enumerate(step)),
                flush=True,
            )
            code = subprocess.call(step, cwd=ROOT, env=env)
            if code != 0:
                return code
    return 0


def _wait_for_port(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def office(extra: list[str]) -> int:
    """Serve the demo office's console on 127.0.0.1 (plain HTTP: this computer only)."""
    python = ensure_venv()
    _seed_demo(python)
    office_dir = DEMO_DIR / "office"
    seeded = subprocess.run(
        [str(python), "-c", _SEED_ADMIN, str(office_dir)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    user, password = seeded.stdout.split()[-2:]
    port = int(extra[extra.index("--port") + 1]) if "--port" in extra else OFFICE_PORT
    url = f"http://127.0.0.1:{port}/"
    command = [
        str(python), "-m", "ietp_desktop", "office", "serve", "--office-dir", str(office_dir),
        "--host", "127.0.0.1", "--port", str(port), "--http",
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "IETP_OFFICE_PASSPHRASE"}
    server = subprocess.Popen(command, stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
    signal.signal(signal.SIGTERM, _interrupt)  # stopping this script stops the server too
    try:
        if not _wait_for_port(port, server):
            print("the office server did not start (see its messages above)", file=sys.stderr)
            server.terminate()
            return server.wait() or 1
        print(f"\ndemo office console: {url}\n  user: {user}\n  password: {password}\n", flush=True)
        print("Ctrl+C stops the server.", flush=True)
        if "--no-browser" not in extra:
            webbrowser.open(url)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(20)


def main() -> int:
    commands = {"demo": demo, "test": test, "office": office}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
