"""The web app (`backcheck serve`): FastAPI pages and REST API on the same core calls as the CLI.

    from backcheck.web.app import create_app
    app = create_app(settings)

Needs the `web` extra (fastapi, uvicorn, python-multipart, argon2-cffi, jinja2).
"""
