"""`backcheck exercises`: logged names and how each is understood; `exercises map NAME --as
KEY` / `exercises unmap NAME` give a name the athlete's own meaning (core: backcheck.exercises)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from backcheck.cli import open_cli_store, settings
from backcheck.cli.console import out, print_json
from backcheck.textsafe import literal

exercises_app = typer.Typer(
    help="Exercise names in your logs, how each is understood (movement pattern) and how many "
    "sets; `map` / `unmap` give a name your own meaning.",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    """Attach these commands to the main app."""
    app.add_typer(exercises_app, name="exercises")


@exercises_app.callback()
def exercises_cmd(
    ctx: typer.Context,
    unmapped: Annotated[
        bool,
        typer.Option(
            "--unmapped",
            help="Only names not understood (they are kept, but not counted per muscle region).",
        ),
    ] = False,
    catalog: Annotated[
        bool,
        typer.Option("--catalog", help="List every catalog key (for `exercises map --as KEY`)."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Exercise names in your logs, how each is understood (catalog key, movement pattern,
    and whether you or the catalog said so) and how many sets."""
    if ctx.invoked_subcommand is not None:
        return
    if catalog:
        _print_catalog(as_json)
        return
    from backcheck.queries import exercise_usage

    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        rows = exercise_usage(store, athlete=cfg.athlete, unmapped_only=unmapped)
    if as_json:
        print_json(rows)
        return
    table = Table(title="Names not understood" if unmapped else "Your exercises")
    for col in ("exercise as logged", "understood as", "pattern", "by", "sets"):
        table.add_column(col, justify="right" if col == "sets" else "left")
    for r in rows:
        table.add_row(
            literal(r["exercise"]),
            str(r["key"] or "-"),
            str(r["pattern"] or "-"),
            str(r["mapped_by"] or "-"),
            str(r["sets"]),
        )
    out.print(table)
    if unmapped and not rows:
        out.print("every exercise name is mapped")
    elif any(r["key"] is None for r in rows):
        out.print(
            "Give a name its meaning: backcheck exercises map NAME --as KEY "
            "(backcheck exercises --catalog lists the keys)"
        )


def _print_catalog(as_json: bool) -> None:
    from backcheck.exercises import catalog_listing

    rows = catalog_listing()
    if as_json:
        print_json(rows)
        return
    table = Table(title="Catalog keys")
    for col in ("key", "name", "pattern"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["key"], r["name"], r["pattern"])
    out.print(table)


@exercises_app.command("map")
def map_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The exercise name as you log it.", metavar="NAME")],
    key: Annotated[
        str,
        typer.Option(
            "--as", help="Catalog key it means (`exercises --catalog`).", show_default=False
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Say what a logged name means: `why` and `plan` count it as that exercise from now on."""
    from backcheck.exercises import map_exercise

    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        done = map_exercise(store, athlete=cfg.athlete, name=name, key=key)
    if as_json:
        print_json(done)
        return
    out.print(
        literal(
            f"{done['exercise']!r} now means {done['key']} ({done['pattern']}): "
            f"{done['sets']} logged sets"
        ),
        soft_wrap=True,
    )


@exercises_app.command("unmap")
def unmap_cmd(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="The exercise name as you mapped it.", metavar="NAME")
    ],
) -> None:
    """Forget your meaning of a logged name: the catalog's reading applies again."""
    from backcheck.exercises import unmap_exercise

    cfg = settings(ctx)
    with open_cli_store(cfg) as store:
        unmap_exercise(store, athlete=cfg.athlete, name=name)
    out.print(literal(f"{name.strip()!r}: your meaning removed"), soft_wrap=True)
