"""No import cycle anywhere in src/backcheck, and the layers import only downwards.

Every module is parsed with `ast`, imports inside functions (lazy ones) and under
`TYPE_CHECKING` included, and the module graph is searched for cycles (Tarjan's strongly
connected components). `from package import name` is an edge to the submodule when `name` is
one, else to the package; the implicit import of a module's parent package is not an edge
(Python runs a package's __init__ before any of its modules, whoever imports them). Imports
built from strings at run time (importlib.import_module: the CLI's command registry, the
ingest formats, the migrations) cannot be read here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "backcheck"

#: Layer -> module prefixes it must never import (data flows one way: docs/architecture.md).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "backcheck.analysis": ("backcheck.store", "backcheck.web", "backcheck.cli"),
    "backcheck.catalog": ("backcheck.store", "backcheck.web", "backcheck.cli"),
    "backcheck.ingest": ("backcheck.store", "backcheck.web", "backcheck.cli"),
    "backcheck.store": ("backcheck.web", "backcheck.cli"),
}
#: (importer, imported) pairs that break a layer on purpose, with the reason. None today.
ALLOWED: dict[tuple[str, str], str] = {}


def modules() -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, whether it is a package's __init__)."""
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


def imported(module: str, path: Path, is_package: bool, known: set[str]) -> Iterator[str]:
    """The backcheck modules `module` imports anywhere in its file."""
    here = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                if sub in known:
                    yield sub
                elif source in known:
                    yield source


def import_graph() -> dict[str, set[str]]:
    """Module -> the backcheck modules it imports (itself excluded)."""
    found = modules()
    known = set(found)
    return {
        name: {m for m in imported(name, path, is_package, known) if m != name}
        for name, (path, is_package) in found.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def cycle_path(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One cycle through the first module of `component`, as a -> b -> ... -> a."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & members):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return component


def test_the_cycle_search_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e2"}, "e2": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycle_path(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert cycles({"x": {"y"}, "y": set()}) == []


def test_lazy_imports_are_edges_too(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from backcheck.store import engine\n"
        "def f():\n    from backcheck.store.snapshot import read_snapshot\n"
        "    import backcheck.why\n"
    )
    known = {
        "backcheck.store",
        "backcheck.store.engine",
        "backcheck.store.snapshot",
        "backcheck.why",
    }
    found = set(imported("backcheck.x.m", module, False, known))
    assert found == {"backcheck.store.engine", "backcheck.store.snapshot", "backcheck.why"}


def test_no_import_cycles() -> None:
    graph = import_graph()
    assert len(graph) > 100  # every module was found
    found = [" -> ".join(cycle_path(graph, c)) for c in cycles(graph)]
    assert not found, "import cycles:\n" + "\n".join(found)


def test_layers_import_only_downwards() -> None:
    broken = [
        f"{module} imports {target}"
        for module, targets in sorted(import_graph().items())
        for layer, forbidden in FORBIDDEN.items()
        if module == layer or module.startswith(layer + ".")
        for target in sorted(targets)
        if any(target == f or target.startswith((f + ".", f + "_")) for f in forbidden)
        and (module, target) not in ALLOWED
    ]
    assert not broken, "layering broken:\n" + "\n".join(broken)


def test_only_the_store_names_its_snapshot() -> None:
    # The rest of backcheck asks store.inputs for an athlete's inputs (docs/architecture.md).
    private = {"backcheck.store.snapshot", "backcheck.store.cache", "backcheck.store.reading"}
    outside = [
        f"{module} imports {target}"
        for module, targets in sorted(import_graph().items())
        if not module.startswith("backcheck.store")
        for target in sorted(targets & private)
    ]
    assert not outside, "\n".join(outside)
