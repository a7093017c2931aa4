"""`backcheck serve`: the web app on this machine (127.0.0.1 unless told otherwise)."""

from __future__ import annotations

from typing import Annotated

import typer

from backcheck.cli import err, settings
from backcheck.errors import MissingExtraError


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
    err.print(f"backcheck web app on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(
        create_app(cfg),
        host=host,
        port=port,
        log_level="info",
        proxy_headers=False,
        server_header=False,
    )
