"""Uploads: size caps checked before the body is read, type checked by content before work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from webtools import STRONG, TestClient, Web, clean_name, create_app, make_settings, sniff

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
MB = 1024 * 1024


@pytest.fixture
def small(tmp_path: Path):
    """An app with 1 MB upload and 2 MB video caps, and a signed-in user with a token."""
    cfg = make_settings(tmp_path, max_upload_mb=1, max_video_mb=2)
    with TestClient(create_app(cfg), base_url="https://testserver") as client:
        web = Web(client).signup()
        yield web, web.api_token(), cfg


def raw_post(
    client: TestClient, path: str, headers: dict[str, str], chunks: list[bytes]
) -> tuple[int, bytes, list[int]]:
    """Send a request straight to the ASGI app; returns status, body and the sizes of the body
    chunks the app actually pulled."""
    pulled: list[int] = []
    queue = list(chunks)

    async def receive() -> dict[str, Any]:
        if queue:
            chunk = queue.pop(0)
            pulled.append(len(chunk))
            return {"type": "http.request", "body": chunk, "more_body": bool(queue)}
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "server": ("testserver", 443),
        "client": ("127.0.0.1", 5000),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }

    async def call() -> None:
        await client.app(scope, receive, send)

    assert client.portal is not None
    client.portal.call(call)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body, pulled


def test_declared_oversize_is_refused_before_reading(small, tmp_path: Path) -> None:
    web, h, _cfg = small
    headers = {
        **h,
        "content-type": "multipart/form-data; boundary=xyz",
        "content-length": str(50 * MB),
    }
    status, body, pulled = raw_post(
        web.client, f"/api/athletes/{web.athlete}/imports", headers, [b"x" * 65536] * 8
    )
    assert status == 413 and b"too_large" in body and b"1 MB" in body
    assert pulled == []  # not one byte of the body was read
    status, _, pulled = raw_post(
        web.client,
        f"/api/athletes/{web.athlete}/pain",
        {**h, "content-type": "application/json", "content-length": str(5 * MB)},
        [b"{}"],
    )
    assert status == 413 and pulled == []


def test_streamed_oversize_stops_at_the_cap(small) -> None:
    web, h, cfg = small
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n'
    ).encode()
    chunks = [head] + [b"1,2,3\n" * 10000] * 100  # ~6 MB, no Content-Length (chunked)
    headers = {**h, "content-type": f"multipart/form-data; boundary={boundary}"}
    status, _body, pulled = raw_post(
        web.client, f"/api/athletes/{web.athlete}/imports", headers, chunks
    )
    assert status == 413
    assert sum(pulled) <= cfg.max_upload_bytes + len(chunks[1])  # stopped at the first chunk over
    uploads = cfg.data_dir / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())  # the partial file was removed


def test_video_cap_is_its_own(small) -> None:
    web, h, _cfg = small
    data = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * int(1.5 * MB)
    files = [("files", ("set.mp4", data, "video/mp4"))]
    r = web.client.post(f"/api/athletes/{web.athlete}/imports", files=files, headers=h)
    assert r.status_code == 413  # over the 1 MB export cap
    r = web.client.post(f"/api/athletes/{web.athlete}/videos", files=files, headers=h)
    assert r.status_code == 202  # within the 2 MB video cap
    big = [("files", ("set.mp4", data + b"\x00" * MB, "video/mp4"))]
    r = web.client.post(f"/a/{web.athlete}/videos", files=big)
    assert r.status_code == 413 and "2 MB" in r.text


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("export.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        ("back.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "an image"),
        ("strong.csv", b"PK\x03\x04\x14\x00\x06\x00xl/workbook.xml", "an Excel spreadsheet"),
        ("set.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", "a video"),
    ],
)
def test_wrong_type_gets_a_clear_message(small, name: str, content: bytes, found: str) -> None:
    web, h, cfg = small
    r = web.client.post(
        f"/api/athletes/{web.athlete}/imports",
        files=[("files", (name, content, "text/csv"))],
        headers=h,
    )
    assert r.status_code == 415
    error = r.json()["error"]
    assert error["code"] == "unsupported_type"
    assert error["message"].startswith(f"{name}: this is {found}, not a workout export")
    assert "Strong, Hevy" in error["message"]
    uploads = cfg.data_dir / "uploads"
    assert not any(uploads.iterdir())


def test_page_upload_wrong_type_shows_message(small) -> None:
    web, _h, _cfg = small
    r = web.client.post(
        f"/a/{web.athlete}/pain/files",
        files=[("files", ("pain.pdf", b"%PDF-1.4 x", "application/pdf"))],
    )
    assert r.status_code == 415
    assert "pain.pdf: this is a PDF document, not a pain diary CSV" in r.text


def test_no_file_empty_file_and_not_multipart(small) -> None:
    web, h, _cfg = small
    url = f"/api/athletes/{web.athlete}/imports"
    r = web.client.post(
        url, data={"format": "strong"}, files={"x": ("", b"", "text/plain")}, headers=h
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "no_file"
    r = web.client.post(url, files=[("files", ("empty.csv", b"", "text/csv"))], headers=h)
    assert r.status_code == 422 and "empty.csv: empty file" in r.json()["error"]["message"]
    r = web.client.post(url, json={"files": []}, headers=h)
    assert r.status_code == 415
    r = web.client.post(
        url,
        files=[("files", ("a.csv", STRONG.read_bytes(), "text/csv"))],
        data={"format": "excel"},
        headers=h,
    )
    assert r.status_code == 400 and r.json()["error"]["details"]["parameter"] == "format"


def test_sniff_and_names() -> None:
    assert sniff(STRONG.read_bytes()[:65536]) == "text"
    fit = next((Path(__file__).parent / "data" / "logs" / "fit").glob("*.fit")).read_bytes()
    assert sniff(fit[:65536]) == "fit"
    assert sniff("Datum;Übung\n".encode()[:9]) == "text"  # a character cut at the boundary
    assert sniff(b"\xef\xbb\xbf<?xml version='1.0'?><HealthData>") == "xml"
    assert sniff(b"PK\x03\x04rest") == "zip"
    assert sniff(b"\x1a\x45\xdf\xa3webm") == "video"
    assert sniff(b"text\x00with nul") == "binary"
    assert sniff(b"\xff\xfe\x00\x00") == "image" or sniff(b"\xff\xfe\x00\x00") == "binary"
    assert clean_name("../../etc/passwd", 0) == "passwd"
    assert clean_name("C:\\Users\\me\\strong export.csv", 0) == "strong export.csv"
    assert clean_name("..", 3) == "upload-3"
