"""`office serve`: uvicorn over the console app, HTTPS with the office CA's certificate.

Workers are separate processes; each builds its app from the environment (`app_from_env`),
so nothing but the database and the office folder is shared, as with several machines.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from starlette.applications import Starlette

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.office.console.app import create_app
from ietp_desktop.office.console.config import ConsoleConfig
from ietp_desktop.office.console.tls import tls_paths
from ietp_desktop.office.folder import require_office
from ietp_desktop.security.office_ca import load_office

OFFICE_DIR_ENV = "IETP_OFFICE_DIR"
OFFICE_DB_ENV = "IETP_OFFICE_DB"
OFFICE_PASSPHRASE_ENV = "IETP_OFFICE_PASSPHRASE"
PLAIN_HTTP_ENV = "IETP_OFFICE_PLAIN_HTTP"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_from_env() -> Starlette:
    """The app a uvicorn worker builds (factory=True), configured by `serve`'s environment."""
    return create_app(
        ConsoleConfig(
            office_dir=Path(os.environ[OFFICE_DIR_ENV]),
            db_url=os.environ.get(OFFICE_DB_ENV) or None,
            office_passphrase=os.environ.get(OFFICE_PASSPHRASE_ENV) or None,
            secure_cookies=os.environ.get(PLAIN_HTTP_ENV) != "1",
        )
    )


def serve(
    office_dir: Path,
    *,
    db_url: str | None = None,
    host: str = "0.0.0.0",
    port: int = 8443,
    workers: int = 1,
    plain_http: bool = False,
    office_passphrase: str | None = None,
) -> None:
    import uvicorn

    require_office(office_dir)
    load_office(
        office_dir, office_passphrase
    )  # a wrong passphrase stops here, not at the first upload
    if plain_http and not is_loopback(host):
        raise UserError(
            tr(
                "plain HTTP is only allowed on 127.0.0.1; drop --http to serve HTTPS on {host}",
                host=host,
            )
        )
    cert, key = tls_paths(office_dir)
    if not plain_http and not (cert.is_file() and key.is_file()):
        raise UserError(
            tr(
                "{dir} has no TLS certificate yet; run 'ietp-desktop office tls' first",
                dir=office_dir,
            )
        )
    os.environ[OFFICE_DIR_ENV] = str(Path(office_dir).resolve())
    os.environ[OFFICE_DB_ENV] = db_url or ""
    os.environ[OFFICE_PASSPHRASE_ENV] = office_passphrase or ""
    os.environ[PLAIN_HTTP_ENV] = "1" if plain_http else "0"
    tls: dict[str, object] = (
        {}
        if plain_http
        else {
            "ssl_certfile": str(cert),
            "ssl_keyfile": str(key),
            "ssl_keyfile_password": office_passphrase or None,
        }
    )
    uvicorn.run(
        "ietp_desktop.office.console.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=max(1, workers),
        proxy_headers=False,
        server_header=False,
        timeout_keep_alive=15,
        timeout_graceful_shutdown=10,
        log_level="info",
        **tls,  # type: ignore[arg-type]
    )
