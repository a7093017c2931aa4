"""The batch output: one Parquet file, written safely while results arrive.

Rows are buffered and written as numbered part files in `<out>.parts/` (each written whole,
then renamed into place) every `flush_every` rows or `flush_seconds` seconds. A run that ends
normally compacts the parts (and, on --resume, the previous output) into `<out>`, rows sorted
by athlete, then deletes the parts. A killed run leaves its parts: `--resume` reads the
athletes already in `<out>` and in the parts and skips them. Polars only: no pyarrow needed.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import polars as pl

from backcheck.batch.rows import ROW_SCHEMA, rows_frame
from backcheck.errors import InputError

FLUSH_EVERY = 500
FLUSH_SECONDS = 10.0


def parts_dir(out: Path) -> Path:
    """Folder of the part files of output `out`."""
    return out.with_name(out.name + ".parts")


def _athletes_in(paths: list[Path]) -> set[str]:
    if not paths:
        return set()
    try:
        names = pl.scan_parquet(paths).select("athlete").collect(engine="streaming")
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(paths[0], None, f"cannot read the earlier batch output ({exc})") from None
    return set(names["athlete"].drop_nulls().to_list())


class ResultWriter:
    """Collects result rows (batch.rows) into the output file `out`.

    with ResultWriter(out, resume=True) as writer:
        todo = [a for a in athletes if a not in writer.done]
        for row in results: writer.add(row)

    Leaving the block normally compacts everything into `out`; leaving it on an exception
    writes the buffered rows as a part and keeps the parts for --resume.
    """

    def __init__(
        self,
        out: str | Path,
        *,
        resume: bool = False,
        flush_every: int = FLUSH_EVERY,
        flush_seconds: float = FLUSH_SECONDS,
    ) -> None:
        self.out = Path(out)
        self.parts = parts_dir(self.out)
        self.resume = resume
        self.flush_every = max(1, flush_every)
        self.flush_seconds = flush_seconds
        self.buffer: list[dict[str, Any]] = []
        self.written = 0
        self.done: set[str] = set()
        self._last_flush = time.monotonic()
        self._seq = 0

    def __enter__(self) -> ResultWriter:
        if self.out.is_dir():
            raise InputError(self.out, None, "--out is a folder; give a FILE.parquet")
        self.out.parent.mkdir(parents=True, exist_ok=True)
        if self.resume:
            earlier = [self.out] if self.out.exists() else []
            self.done = _athletes_in([*earlier, *self._part_files()])
            self._seq = max((int(p.stem.split("-")[1]) for p in self._part_files()), default=0)
        else:
            shutil.rmtree(self.parts, ignore_errors=True)
        self.parts.mkdir(exist_ok=True)
        return self

    def _part_files(self) -> list[Path]:
        if not self.parts.is_dir():
            return []
        return sorted(self.parts.glob("part-*.parquet"))

    def add(self, row: dict[str, Any]) -> None:
        """Buffer one row; flush a part when enough rows or time have gathered."""
        self.buffer.append(row)
        due = time.monotonic() - self._last_flush >= self.flush_seconds
        if len(self.buffer) >= self.flush_every or due:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows as the next part file (whole, then renamed into place)."""
        self._last_flush = time.monotonic()
        if not self.buffer:
            return
        self._seq += 1
        path = self.parts / f"part-{self._seq:06d}.parquet"
        tmp = self.parts / f".{path.name}.{os.getpid()}.tmp"
        rows_frame(self.buffer).write_parquet(tmp)
        os.replace(tmp, path)
        self.written += len(self.buffer)
        self.buffer.clear()

    def compact(self) -> None:
        """Merge the previous output (on resume) and every part into `out`, sorted by athlete."""
        self.flush()
        parts = self._part_files()
        sources = [*([self.out] if self.resume and self.out.exists() else []), *parts]
        tmp = self.out.with_name(f".{self.out.name}.{os.getpid()}.tmp")
        if parts:
            pl.scan_parquet(sources).sort("athlete").sink_parquet(tmp)
            os.replace(tmp, self.out)
        elif not sources:
            pl.DataFrame(schema=ROW_SCHEMA).write_parquet(tmp)
            os.replace(tmp, self.out)
        shutil.rmtree(self.parts, ignore_errors=True)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.compact()
        else:
            self.flush()  # keep what was done for --resume
