"""Uploads: streamed to disk under a size cap, their type checked by content before any work.

`receive_form` refuses a request whose Content-Length is over the cap before reading it
(413), streams the multipart body otherwise and stops at the first byte over the cap (413),
writes each file to its own folder under its own (cleaned) name, so error messages name it
as the user knows it. `require_kinds` then checks what each file really is (CSV text, FIT,
XML, zip, video) from its first bytes.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backcheck.web.problems import HttpProblem

SNIFF = 64 * 1024
MAX_FIELD = 64 * 1024
MAX_FILES = 20
MAX_FIELDS = 50

#: What each sniffed kind is, in words.
DESCRIBE = {
    "text": "a text (CSV) file",
    "fit": "a Garmin FIT file",
    "xml": "an XML file",
    "zip": "a zip archive",
    "video": "a video",
    "pdf": "a PDF document",
    "image": "an image",
    "spreadsheet": "an Excel spreadsheet",
    "binary": "binary data of an unknown kind",
}
_IMAGE_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"avif")


@dataclass(slots=True)
class Upload:
    """One uploaded file on disk: the form field, its cleaned name, size and sniffed kind."""

    field: str
    name: str
    path: Path
    size: int = 0
    kind: str = "binary"


@dataclass(slots=True)
class Form:
    """A received multipart form: text fields, files, and the folder holding the files."""

    folder: Path
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[Upload] = field(default_factory=list)

    def value(self, name: str, default: str | None = None) -> str | None:
        """The first value of a text field (None/default when absent or blank)."""
        values = self.fields.get(name) or []
        return values[0] if values and values[0].strip() else default

    def discard(self) -> None:
        """Delete the files (after a refusal, or once the work is done)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def clean_name(name: str, index: int) -> str:
    """A safe file name from a client's: no folders, no control characters, <= 100 chars."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = re.sub(r"[^\w.\- ()+,@]", "_", base).strip(" .")[:100]
    return base or f"upload-{index}"


def sniff(head: bytes) -> str:
    """The kind of a file from its first bytes: text, fit, xml, zip, video, pdf, image,
    spreadsheet or binary."""
    if len(head) >= 12 and head[8:12] == b".FIT":
        return "fit"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "image" if head[8:12] in _IMAGE_BRANDS else "video"
    if head[:4] == b"\x1a\x45\xdf\xa3" or (head[:4] == b"RIFF" and head[8:12] == b"AVI "):
        return "video"
    if head[:4] == b"PK\x03\x04":
        return "spreadsheet" if b"xl/" in head[:2000] else "zip"
    if head[:5] == b"%PDF-":
        return "pdf"
    if head[:8] == b"\x89PNG\r\n\x1a\n" or head[:3] == b"\xff\xd8\xff" or head[:4] == b"GIF8":
        return "image"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "spreadsheet"
    body = head.removeprefix(b"\xef\xbb\xbf")
    if not body.strip() or b"\x00" in body:
        return "binary" if body.strip() else "text"
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(body) - 3:  # not just a character cut at the sniff boundary
            return "binary"
    return "xml" if body.lstrip().startswith(b"<") else "text"


def too_large(limit: int) -> HttpProblem:
    """413 naming the limit in MB."""
    return HttpProblem(
        413,
        "too_large",
        f"the upload is larger than the limit of {limit / 1024 / 1024:g} MB",
        {"limit_bytes": limit},
    )


def check_length(request: Request, limit: int) -> None:
    """413 at once when the declared Content-Length is over `limit` (nothing is read)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)


class _Receiver:
    """python-multipart callbacks: fields into memory, files into their own folders."""

    def __init__(self, folder: Path) -> None:
        self.form = Form(folder=folder)
        self.headers: dict[str, str] = {}
        self._field = b""
        self._value = b""
        self._name = ""
        self._filename: str | None = None
        self._buffer = bytearray()
        self._out: BinaryIO | None = None
        self._upload: Upload | None = None
        self._skip = False

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": lambda d, s, e: setattr(self, "_field", self._field + d[s:e]),
            "on_header_value": lambda d, s, e: setattr(self, "_value", self._value + d[s:e]),
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self.headers = {}
        self._buffer = bytearray()
        self._upload = None
        self._skip = False

    def header_end(self) -> None:
        self.headers[self._field.decode("latin-1").lower()] = self._value.decode("latin-1")
        self._field, self._value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get("content-disposition", ""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        raw = options.get(b"filename")
        if raw is None:
            if sum(len(v) for v in self.form.fields.values()) >= MAX_FIELDS:
                raise HttpProblem(400, "bad_request", f"more than {MAX_FIELDS} form fields")
            return
        if not raw:  # a file input left empty: browsers send an empty part with no name
            self._skip = True
            return
        if len(self.form.files) >= MAX_FILES:
            raise HttpProblem(400, "bad_request", f"at most {MAX_FILES} files in one upload")
        index = len(self.form.files)
        name = clean_name(raw.decode("utf-8", "replace"), index)
        folder = self.form.folder / f"f{index}"
        folder.mkdir(parents=True)
        self._upload = Upload(field=self._name, name=name, path=folder / name)
        self._out = self._upload.path.open("wb")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self._skip:
            return
        if self._upload is not None and self._out is not None:
            self._out.write(data[start:end])
            self._upload.size += end - start
            return
        self._buffer += data[start:end]
        if len(self._buffer) > MAX_FIELD:
            raise HttpProblem(413, "too_large", f"form field {self._name!r} is too long")

    def part_end(self) -> None:
        if self._skip:
            return
        if self._upload is not None and self._out is not None:
            self._out.close()
            self._out = None
            self.form.files.append(self._upload)
            return
        text = bytes(self._buffer).decode("utf-8", "replace")
        self.form.fields.setdefault(self._name, []).append(text)

    def close(self) -> None:
        if self._out is not None:
            self._out.close()


async def receive_form(request: Request, *, folder: Path, limit: int) -> Form:
    """Stream a multipart/form-data body into `folder` (created; removed again on any error).

    413 when Content-Length or the bytes received pass `limit`; 415 when the body is not
    multipart; 400 for a malformed body.
    """
    check_length(request, limit)
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise HttpProblem(
            415, "unsupported_type", "send the files as multipart/form-data (a form upload)"
        )
    folder.mkdir(parents=True, exist_ok=False)
    receiver = _Receiver(folder)
    parser = MultipartParser(boundary, cast(Any, receiver.callbacks()))
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise too_large(limit)
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        receiver.close()
        receiver.form.discard()
        raise HttpProblem(400, "bad_request", f"malformed multipart body: {exc}") from None
    except BaseException:
        receiver.close()
        receiver.form.discard()
        raise
    receiver.close()
    for upload in receiver.form.files:
        with upload.path.open("rb") as fh:
            upload.kind = sniff(fh.read(SNIFF))
    return receiver.form


def require_kinds(form: Form, *, accept: Iterable[str], expected: str, hint: str) -> None:
    """415 naming the first file that is not one of the `accept` kinds (and what it is)."""
    allowed = set(accept)
    for upload in form.files:
        if upload.size == 0:
            raise HttpProblem(
                422,
                "bad_input",
                f"{upload.name}: empty file: nothing to import",
                {"file": upload.name, "line": None, "reason": "empty file"},
            )
        if upload.kind not in allowed:
            raise HttpProblem(
                415,
                "unsupported_type",
                f"{upload.name}: this is {DESCRIBE.get(upload.kind, upload.kind)}, not "
                f"{expected}. {hint}",
                {"file": upload.name, "found": upload.kind, "accepted": sorted(allowed)},
            )


class BodyTooLarge(StarletteHTTPException):
    """A request body over its limit (413); raised while the body is being received."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the limit of {limit:,} bytes")


class BodyLimitMiddleware:
    """Cap every request body: `form_limit` bytes (JSON, URL-encoded forms) or `upload_limit`
    (multipart uploads, whose routes apply their own, smaller caps as they stream).

    The cap is checked against Content-Length on the first read (nothing of the body is read
    then) and against the bytes received so far on every read after.
    """

    def __init__(self, app: ASGIApp, *, form_limit: int, upload_limit: int) -> None:
        self.app = app
        self.form_limit = form_limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        kind = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
        limit = self.upload_limit if kind == b"multipart/form-data" else self.form_limit
        declared = headers.get(b"content-length", b"")
        over = declared.isdigit() and int(declared) > limit
        received = 0

        async def capped() -> Message:
            nonlocal received
            if over:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, capped, send)
