"""Where the CLI writes: Rich consoles for stdout (`out`) and stderr (`err`), JSON output and
error messages."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, ProgressColumn


class _LazyConsole:
    """A rich Console made on first use: rich costs tens of milliseconds of start-up that
    machine-readable output (`--json`) never needs."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def resolve(self) -> Console:
        """The Console itself (made now if not yet), for code that needs the real object, not
        attribute access: Rich's live display enters it as a context manager."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.resolve(), name)


out = cast("Console", _LazyConsole(highlight=False))
err = cast("Console", _LazyConsole(stderr=True, highlight=False))


def progress_bar(*more: ProgressColumn) -> Progress:
    """A transient progress bar on stderr (label, bar, done of total, `more` columns, time
    left), for commands that run long on a terminal; rich.progress is imported only when one
    is shown."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        *more,
        TimeRemainingColumn(),
        console=cast("_LazyConsole", err).resolve(),
        transient=True,
    )


def print_json(doc: Any) -> None:
    """Machine-readable output on stdout (no colour, no wrapping)."""
    from backcheck.textsafe import json_safe

    text = json.dumps(doc, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(json_safe(text) + "\n")


def report_error(message: str) -> None:
    """An error message on stderr: shown literally (messages quote what a file held), control
    characters made visible."""
    from backcheck.textsafe import visible

    err.print(visible(message, multiline=True), markup=False, soft_wrap=True)
