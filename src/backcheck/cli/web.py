"""`backcheck serve`: the web app on this machine (127.0.0.1 unless told otherwise)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from backcheck.cli import settings
from backcheck.cli.console import err
from backcheck.errors import MissingExtraError, UsageError


def register(app: typer.Typer) -> None:
    """Attach the serve command to the main app."""
    app.command("serve")(serve_cmd)


def serve_cmd(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. The default serves this computer only; use 0.0.0.0 "
            "to serve the network (put it behind HTTPS).",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Worker processes (use with a PostgreSQL --db for clinics; each also runs "
            "background jobs, and no job runs twice).",
        ),
    ] = 1,
) -> None:
    """The web app: sign up, upload exports and videos, log pain on a body map, see why it
    hurts and the plan; REST API under /api/ (OpenAPI at /openapi.json)."""
    try:
        import uvicorn

        from backcheck.web.app import create_app
        from backcheck.web.config import web_settings
    except ImportError as exc:
        raise MissingExtraError("web", exc.name or "fastapi") from None
    cfg = web_settings(settings(ctx))
    cfg.zone()
    check_listen(host, port)
    cfg.serve_started = datetime.now(UTC)
    err.print(f"backcheck web app on http://{host}:{port}/ (Ctrl+C to stop)")
    common = {
        "host": host,
        "port": port,
        "log_level": "info",
        "proxy_headers": False,
        "server_header": False,
    }
    try:
        run_server(uvicorn, create_app(cfg) if workers == 1 else None, cfg, workers, common)
    except SystemExit as exc:  # uvicorn exits 3 when it cannot start: only 0, 1, 2 are ours
        if exc.code not in (0, None):
            raise UsageError("--port", "the server could not start (see above)") from None
        raise


def check_listen(host: str, port: int) -> None:
    """UsageError naming --host/--port when this process cannot listen there (an address in
    use, a port that needs privileges, a host that is not this machine's)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as exc:
        raise UsageError("--host", f"cannot listen on {host!r}: {exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise UsageError("--port", f"cannot listen on {host}:{port}: {exc.strerror}") from None


def run_server(uvicorn: Any, app: Any, cfg: Any, workers: int, common: dict[str, Any]) -> None:
    """Run `app` with uvicorn in this process (one worker), or worker processes that each
    build their own app (`app` None)."""
    if app is not None:
        uvicorn.run(app, **common)
        return
    # Worker processes build the app from the environment: pass the settings on.
    os.environ.update(
        {
            "BACKCHECK_DB": cfg.db,
            "BACKCHECK_ATHLETE": cfg.athlete,
            "BACKCHECK_TZ": cfg.tz,
            "BACKCHECK_SERVE_STARTED": cfg.serve_started.isoformat(),
        }
    )
    uvicorn.run("backcheck.web.app:create_app", factory=True, workers=workers, **common)
