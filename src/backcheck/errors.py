"""Every domain error backcheck raises, in one place.

Errors carry what the user needs to act: the file, the line, the value and what to do.
They are caught only at the edges (the CLI and the web handler), which turn them into a
message and an exit code (2 for bad input or usage).
"""

from __future__ import annotations

from pathlib import Path


class BackcheckError(Exception):
    """Base of every error backcheck reports to a user (exit code 2 unless stated)."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(BackcheckError):
    """A file the user gave cannot be read as what it claims to be (PATH:LINE: what is wrong)."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class UnknownFormatError(InputError):
    """No importer recognises the file (wrong format, or not a workout export at all)."""


class UsageError(BackcheckError):
    """An option or argument has a value that cannot be used (names the parameter)."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


class NotFoundError(BackcheckError):
    """Something asked for (an athlete, a job, a video result) is not stored."""


class StoreError(BackcheckError):
    """The database cannot be opened or is at a schema version this backcheck does not know."""


class MissingExtraError(BackcheckError):
    """An optional dependency is needed: says which extra to install."""

    def __init__(self, extra: str, module: str) -> None:
        self.extra = extra
        super().__init__(
            f"this needs the '{extra}' extra ({module} is not installed): "
            f"pip install 'backcheck[{extra}]'"
        )


class ToolError(BackcheckError):
    """A program backcheck runs (Chromium to print a PDF) is missing or failed: says what to do."""
