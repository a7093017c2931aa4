"""The web app's layers, read from its source (ast): routes parse, call one service and render;
they never open a transaction nor reach into the store; `Depends` is written only in
web/deps.py, in the `Annotated` aliases that routes name (`user: PageUser`, `who: ApiOwner`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WEB = Path(__file__).parent.parent / "src" / "backcheck" / "web"
ROUTES = sorted(WEB.glob("routes_*.py"))
#: The one store name a route may import: the value type of "whose athlete, as whom".
ALLOWED_STORE_NAMES = {("backcheck.store.webstore", "Access")}
#: Calls that mean talking to the database.
DATABASE_CALLS = {"transaction", "begin", "connect", "execute", "scalar", "scalars"}


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_there_are_route_modules() -> None:
    assert {p.name for p in ROUTES} >= {"routes_account.py", "routes_api.py", "routes_pages.py"}


@pytest.mark.parametrize("path", ROUTES, ids=lambda p: p.name)
def test_routes_open_no_transaction(path: Path) -> None:
    found = [
        f"{path.name}:{node.lineno}: .{node.func.attr}("
        for node in ast.walk(parsed(path))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in DATABASE_CALLS
    ]
    found += [
        f"{path.name}:{node.lineno}: .{node.attr}"
        for node in ast.walk(parsed(path))
        if isinstance(node, ast.Attribute) and node.attr in ("store", "engine")
    ]
    assert not found, "routes call a service (web.services, web.accounts) instead:\n" + "\n".join(
        found
    )


@pytest.mark.parametrize("path", ROUTES, ids=lambda p: p.name)
def test_routes_import_no_store_internals(path: Path) -> None:
    bad = []
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            bad += [
                a.name for a in node.names if a.name.startswith(("backcheck.store", "sqlalchemy"))
            ]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("sqlalchemy") or (
                node.module == "backcheck" and any(a.name == "store" for a in node.names)
            ):
                bad.append(node.module)
            elif node.module.startswith("backcheck.store"):
                bad += [
                    f"{node.module}.{a.name}"
                    for a in node.names
                    if (node.module, a.name) not in ALLOWED_STORE_NAMES
                ]
    assert not bad, f"{path.name} imports store internals: {bad}"


def _depends_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "Depends")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "Depends")
        )
    ]


def test_depends_is_written_only_in_the_aliases_of_deps() -> None:
    outside = [
        f"{path.name}:{call.lineno}"
        for path in sorted(WEB.glob("*.py"))
        if path.name != "deps.py"
        for call in _depends_calls(parsed(path))
    ]
    assert not outside, f"use an alias of web/deps.py instead of Depends(...): {outside}"
    deps = parsed(WEB / "deps.py")
    in_aliases = {
        id(call)
        for node in deps.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for call in _depends_calls(node)
    }
    loose = [call.lineno for call in _depends_calls(deps) if id(call) not in in_aliases]
    assert not loose, f"deps.py: Depends outside a module-level alias on lines {loose}"
    assert len(in_aliases) >= 8


def test_every_route_names_its_dependencies_by_alias() -> None:
    """A route parameter annotated with a bare dependency type (User, Access) would be read as
    a request body or query: the aliases are what make it a dependency."""
    bare = []
    for path in ROUTES:
        for node in ast.walk(parsed(path)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if not any(
                isinstance(d, ast.Call)
                and isinstance(d.func, ast.Attribute)
                and d.func.attr in ("get", "post", "put", "delete", "patch")
                for d in node.decorator_list
            ):
                continue
            for arg in node.args.args + node.args.kwonlyargs:
                if isinstance(arg.annotation, ast.Name) and arg.annotation.id in (
                    "User",
                    "Access",
                    "AppState",
                ):
                    bare.append(f"{path.name}:{node.name}({arg.arg})")
    assert not bare, bare
