"""The ASGI application: `create_app(config)` for uvicorn, the tests and the benchmark."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ietp_desktop.office.console.config import ConsoleConfig
from ietp_desktop.office.console.routes import ROUTES
from ietp_desktop.office.console.web import (
    RESOURCES,
    SPECIALIST,
    Console,
    guarded,
    make_templates,
)
from ietp_desktop.office.folder import open_office_db, require_office


def _api_endpoint(
    handler: Callable[[Console, Request], Awaitable[Response]], console: Console
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await handler(console, request)

    return endpoint


def create_app(config: ConsoleConfig) -> Starlette:
    require_office(config.office_dir)
    database = open_office_db(config.office_dir, config.db_url)
    console = Console(config, database, make_templates())
    routes: list[Any] = []
    for route in ROUTES:
        if route.roles is SPECIALIST:
            endpoint = _api_endpoint(route.handler, console)  # type: ignore[arg-type]
        else:
            endpoint = guarded(route.handler, route.roles, console)  # type: ignore[arg-type]
        routes.append(Route(route.path, endpoint, methods=list(route.methods), name=route.name))
    routes.append(Mount("/static", StaticFiles(directory=RESOURCES / "static"), name="static"))

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # What exists at start-up (modules, templates, the register) lives as long as the
        # server: kept out of the collector's full passes, which otherwise stall a request
        # for 100-170 ms every few dozen pages (bench_office_planning's p95).
        gc.collect()
        gc.freeze()
        yield
        database.dispose()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.console = console

    async def not_found(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("not found", status_code=404)

    app.add_exception_handler(404, not_found)
    return app
