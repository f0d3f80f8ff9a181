"""The read stage on real and hostile inputs, written into a temporary folder by each test."""

from __future__ import annotations

import gzip
import io
import os
import re
import zlib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.document import Document, make_doc_id
from pipeline.read import files as read
from pipeline.read.files import list_inputs, read_path

RAW = Path(__file__).resolve().parents[2] / "raw"
SEED_PAGES = ["000_406c4b2facab01f7.txt", "001_6d3df0d40d9084ce.txt", "003_94cd8abd8df5c2c8.txt"]

BULGARIAN = (
    "Клъстер „София – град на знанието“ стартира проекта eT4S по програма COSME.\n"
    "Бюджетът е 438 722 лв., а партньорите са от Испания, Белгия, Дания и Полша."
)
BULGARIAN_SHORT = "Общината обяви резултатите"
HTML_1251 = (
    "<!DOCTYPE html><html><head>{meta}<title>Новини</title></head>"
    "<body><h1>Проект „Умни умения“</h1><p>{text}</p></body></html>"
)
CRAWL_PAGES = {1: "https://news.example.bg/a", 3: "https://news.example.bg/robots.txt"}
"""Record index -> URL of the records of `write_crawl` that are pages."""
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` to `folder/name`, creating sub-folders."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def read_one(path: Path, folder: Path, **options: int) -> Document:
    """The single document read from `path`."""
    documents = list(read_path(path, folder, **options))
    assert len(documents) == 1, documents
    return documents[0]


def response(
    writer: WARCWriter,
    uri: str,
    content_type: str | None,
    body: bytes,
    status: str = "200 OK",
    extra: tuple[tuple[str, str], ...] = (),
) -> None:
    """Append an HTTP response record to a WARC."""
    headers = [("Content-Type", content_type)] if content_type else []
    http = StatusAndHeaders(status, [*headers, *extra], protocol="HTTP/1.1")
    record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
    writer.write_record(record)


def write_crawl(path: Path, compress: bool) -> None:
    """A small crawl: warcinfo, HTML and text responses, a request, a PNG and metadata."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        page = HTML_1251.format(meta="", text=BULGARIAN).encode("cp1251")
        response(writer, "https://news.example.bg/a", "text/html; charset=windows-1251", page)
        request = StatusAndHeaders(
            "GET /a HTTP/1.1", [("Host", "news.example.bg")], is_http_request=True
        )
        writer.write_record(
            writer.create_warc_record(
                "https://news.example.bg/a",
                "request",
                payload=io.BytesIO(b""),
                http_headers=request,
            )
        )
        response(writer, "https://news.example.bg/robots.txt", "text/plain", b"User-agent: *\n")
        response(writer, "https://news.example.bg/logo.png", "image/png", PNG)
        metadata = writer.create_warc_record(
            "https://news.example.bg/a",
            "metadata",
            payload=io.BytesIO(b"outlink: /b\n"),
            warc_content_type="application/warc-fields",
        )
        writer.write_record(metadata)


def record_offsets(path: Path) -> dict[str, int]:
    """Offsets of response records by target URI, as warcio reports them."""
    offsets = {}
    with open(path, "rb") as handle:
        archive = ArchiveIterator(handle)
        for record in archive:
            if record.rec_type == "response":
                uri = record.rec_headers.get_header("WARC-Target-URI")
                offsets[uri] = archive.get_record_offset()
    return offsets


def test_read_list_inputs_sorted_by_relative_path(tmp_path: Path) -> None:
    names = ["b.txt", "a/z.html", "a b/c.htm", "A.TXT", "a/b/y.txt", "ж/статия.txt", "a.txt"]
    for name in names:
        write(tmp_path, name, b"x")
    inputs, skipped = list_inputs(tmp_path)
    relative = [path.relative_to(tmp_path).as_posix() for path in inputs]
    assert relative == [
        "A.TXT",
        "a b/c.htm",
        "a.txt",
        "a/b/y.txt",
        "a/z.html",
        "b.txt",
        "ж/статия.txt",
    ]
    assert skipped == []


def test_read_list_inputs_skips_other_extensions(tmp_path: Path) -> None:
    accepted = [
        "p.txt",
        "p.html",
        "p.htm",
        "c.warc",
        "c.warc.gz",
        "p.txt.gz",
        "p.html.gz",
        "p.htm.gz",
    ]
    rejected = ["logo.png", "notes.md", "dump.gz", "page.php", "archive.zip", "README"]
    for name in accepted + rejected:
        write(tmp_path, f"in/{name}", b"x")
    inputs, skipped = list_inputs(tmp_path)
    assert sorted(path.name for path in inputs) == sorted(accepted)
    assert [path.name for path in skipped] == sorted(rejected)


def test_read_list_inputs_ignores_hidden_files_and_folders(tmp_path: Path) -> None:
    write(tmp_path, ".git/notes.txt", b"x")
    write(tmp_path, ".draft.html", b"x")
    write(tmp_path, "sub/.cache/page.html", b"x")
    write(tmp_path, "sub/page.html", b"x")
    inputs, skipped = list_inputs(tmp_path)
    assert inputs == [tmp_path / "sub/page.html"]
    assert skipped == []


def test_read_list_inputs_survives_symlink_loops(tmp_path: Path) -> None:
    write(tmp_path, "site/page.html", b"<p>x</p>")
    os.symlink("..", tmp_path / "site/up")
    os.symlink("b.html", tmp_path / "site/a.html")
    os.symlink("a.html", tmp_path / "site/b.html")
    inputs, skipped = list_inputs(tmp_path)
    assert [path.name for path in inputs] == ["a.html", "b.html", "page.html"]
    assert skipped == [tmp_path / "site/up"]
    document = read_one(tmp_path / "site/a.html", tmp_path)
    assert (document.status, document.error) == ("error", "read: symbolic link loop")


def test_read_list_inputs_follows_symlinked_folder_once(tmp_path: Path) -> None:
    write(tmp_path, "real/page.txt", b"x")
    os.symlink("real", tmp_path / "zlink")
    inputs, skipped = list_inputs(tmp_path)
    assert inputs == [tmp_path / "real/page.txt"]
    assert skipped == [tmp_path / "zlink"]


@pytest.mark.parametrize("name", SEED_PAGES)
def test_read_txt_seed_page_verbatim(tmp_path: Path, name: str) -> None:
    data = (RAW / name).read_bytes()
    document = read_one(write(tmp_path, f"seeds/{name}", data), tmp_path)
    source = f"seeds/{name}"
    assert (document.source, document.doc_id) == (source, make_doc_id(source))
    assert (document.format, document.encoding, document.status) == ("text", "utf-8", "ok")
    assert document.raw == data.decode("utf-8").replace("\r\n", "\n")
    assert document.url is None


@pytest.mark.parametrize(
    "text", [BULGARIAN, BULGARIAN_SHORT, "Проекти"], ids=["paragraph", "one_line", "one_word"]
)
def test_read_txt_windows_1251_bulgarian(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, "bg.txt", text.encode("cp1251"))
    document = read_one(path, tmp_path)
    assert (document.raw, document.encoding) == (text, "windows-1251")


def test_read_txt_utf16_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "u16.txt", BULGARIAN.replace("\n", "\r\n").encode("utf-16"))
    document = read_one(path, tmp_path)
    assert (document.raw, document.encoding) == (BULGARIAN, "utf-16")


def test_read_txt_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", "\ufeff".encode() + BULGARIAN.encode())
    assert (read_one(path, tmp_path).raw, read_one(path, tmp_path).encoding) == (BULGARIAN, "utf-8")


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1251">',
        "<meta http-equiv='Content-Type' content='text/html; charset=windows-1251'>",
        '<META HTTP-EQUIV=Content-Type CONTENT="text/html; charset=CP1251">',
    ],
    ids=["charset", "http_equiv", "upper_case_alias"],
)
def test_read_html_meta_charset_windows_1251(tmp_path: Path, meta: str) -> None:
    page = HTML_1251.format(meta=meta, text=BULGARIAN)
    document = read_one(write(tmp_path, "news/page.html", page.encode("cp1251")), tmp_path)
    assert (document.raw, document.format, document.encoding) == (page, "html", "windows-1251")


def test_read_html_valid_utf8_beats_a_wrong_declaration(tmp_path: Path) -> None:
    page = HTML_1251.format(meta='<meta charset="windows-1251">', text=BULGARIAN_SHORT)
    assert page.encode("utf-8").decode("cp1251")  # the wrong declaration would not fail
    document = read_one(write(tmp_path, "page.htm", page.encode("utf-8")), tmp_path)
    assert (document.raw, document.encoding) == (page, "utf-8")


def test_read_html_declared_latin1_reads_as_windows_1252(tmp_path: Path) -> None:
    page = '<meta charset="iso-8859-1"><p>L\u2019Europe finance 498 686 \u20ac – «projet»</p>'
    document = read_one(write(tmp_path, "fr.html", page.encode("cp1252")), tmp_path)
    assert (document.raw, document.encoding) == (page, "windows-1252")


def test_read_gzip_page(tmp_path: Path) -> None:
    page = HTML_1251.format(meta='<meta charset="utf-8">', text=BULGARIAN)
    path = write(tmp_path, "page.html.gz", gzip.compress(page.encode()))
    document = read_one(path, tmp_path)
    assert (document.source, document.format, document.raw) == ("page.html.gz", "html", page)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (gzip.compress(BULGARIAN.encode() * 50)[:-40], "read: gzip stream truncated"),
        (b"\x1f\x8b" + b"not really gzip data", "read: corrupt gzip: "),
        (b"<html>plain, not compressed</html>", "read: corrupt gzip: "),
    ],
    ids=["truncated", "bad_header", "not_gzip"],
)
def test_read_corrupt_gzip_gives_error_row(tmp_path: Path, data: bytes, error: str) -> None:
    document = read_one(write(tmp_path, "page.html.gz", data), tmp_path)
    assert document.status == "error"
    assert document.error.startswith(error)
    assert (document.source, document.raw) == ("page.html.gz", "")


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc_gz"])
def test_read_warc_yields_html_and_text_responses_only(tmp_path: Path, compress: bool) -> None:
    path = tmp_path / "crawl" / ("c.warc.gz" if compress else "c.warc")
    path.parent.mkdir()
    write_crawl(path, compress)
    offsets = record_offsets(path)
    documents = list(read_path(path, tmp_path))
    assert [(doc.url, doc.source, doc.format, doc.status) for doc in documents] == [
        (
            "https://news.example.bg/a",
            f"crawl/{path.name}#{offsets['https://news.example.bg/a']}",
            "html",
            "ok",
        ),
        (
            "https://news.example.bg/robots.txt",
            f"crawl/{path.name}#{offsets['https://news.example.bg/robots.txt']}",
            "text",
            "ok",
        ),
    ]
    assert documents[0].raw == HTML_1251.format(meta="", text=BULGARIAN)
    assert documents[0].encoding == "windows-1251"
    assert documents[1].raw == "User-agent: *\n"
    assert documents[0].doc_id == make_doc_id(documents[0].source)


def test_read_warc_decodes_chunked_gzip_content(tmp_path: Path) -> None:
    body = gzip.compress(f"<p>{BULGARIAN}</p>".encode())
    chunks = [body[i : i + 16] for i in range(0, len(body), 16)]
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"
    path = tmp_path / "c.warc"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        encodings = (("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip"))
        response(writer, "https://e.example/c", "text/html", chunked, extra=encodings)
    assert read_one(path, tmp_path).raw == f"<p>{BULGARIAN}</p>"


def test_read_warc_sniffs_untyped_and_skips_failed_responses(tmp_path: Path) -> None:
    path = tmp_path / "c.warc"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        response(writer, "https://e.example/untyped", None, b"<!doctype html><p>Hi</p>")
        response(writer, "https://e.example/untyped.png", None, PNG)
        response(writer, "https://e.example/gone", "text/html", b"<p>Gone</p>", "404 Not Found")
        response(writer, "https://e.example/moved", "text/html", b"<p>Moved</p>", "301 Moved")
    documents = list(read_path(path, tmp_path))
    assert [(doc.url, doc.format, doc.raw) for doc in documents] == [
        ("https://e.example/untyped", "html", "<!doctype html><p>Hi</p>")
    ]


def test_read_warc_names_every_response_that_gives_no_document(tmp_path: Path) -> None:
    path = tmp_path / "c.warc"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        response(writer, "https://e.example/page", "text/html", b"<p>Kept</p>")
        response(writer, "https://e.example/untyped.png", None, PNG)
        response(writer, "https://e.example/gone", "text/html", b"<p>Gone</p>", "404 Not Found")
        response(writer, "https://e.example/logo.png", "image/png", PNG)
    write_crawl(tmp_path / "crawl.warc", compress=False)
    offsets = record_offsets(path)
    logo = record_offsets(tmp_path / "crawl.warc")["https://news.example.bg/logo.png"]
    skipped: list[tuple[str, str]] = []
    documents = list(read_path(path, tmp_path, skipped=skipped))
    documents += read_path(tmp_path / "crawl.warc", tmp_path, skipped=skipped)
    assert len(documents) == 3
    assert skipped == [
        (f"c.warc#{offsets['https://e.example/untyped.png']}", "binary payload, not a page"),
        (f"c.warc#{offsets['https://e.example/gone']}", "HTTP status 404"),
        (f"c.warc#{offsets['https://e.example/logo.png']}", "not a page: image/png"),
        (f"crawl.warc#{logo}", "not a page: image/png"),
    ]


def test_read_warc_html_response_holding_binary_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "c.warc"
    with open(path, "wb") as handle:
        response(WARCWriter(handle, gzip=False), "https://e.example/x", "text/html", PNG)
    document = read_one(path, tmp_path)
    assert (document.url, document.source) == ("https://e.example/x", "c.warc#0")
    assert document.error == "read: not HTML or text: looks like PNG"


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc_gz"])
@pytest.mark.parametrize("inside", ["header", "payload"])
@pytest.mark.parametrize(
    ("broken", "count"),
    [(1, "1 record"), (3, "3 records"), (5, "5 records")],
    ids=["html", "text", "metadata"],
)
def test_read_truncated_warc_keeps_earlier_records(
    tmp_path: Path, compress: bool, inside: str, broken: int, count: str
) -> None:
    whole = tmp_path / ("whole.warc.gz" if compress else "whole.warc")
    write_crawl(whole, compress)
    with open(whole, "rb") as handle:
        archive = ArchiveIterator(handle)
        starts = [archive.get_record_offset() for _ in archive]
    data = whole.read_bytes()
    ends = [*starts[1:], len(data)]
    size = starts[broken] + 12 if inside == "header" else ends[broken] - 12
    path = write(tmp_path, "cut/" + whole.name, data[:size])
    *kept, error = read_path(path, tmp_path)
    assert [(doc.url, doc.status) for doc in kept] == [
        (url, "ok") for index, url in CRAWL_PAGES.items() if index < broken
    ]
    assert (error.source, error.status) == (f"cut/{whole.name}#{starts[broken]}", "error")
    assert re.fullmatch(rf"read: WARC truncated (or damaged )?after {count}( \(.+\))?", error.error)


def test_read_warc_gzipped_as_one_stream_is_an_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain.warc"
    write_crawl(plain, compress=False)
    path = write(tmp_path, "one.warc.gz", gzip.compress(plain.read_bytes()))
    document = read_one(path, tmp_path)
    assert (document.source, document.status) == ("one.warc.gz", "error")
    assert document.error.startswith("read: WARC gzipped as one stream, not record by record")


def test_read_warc_that_is_not_a_warc(tmp_path: Path) -> None:
    document = read_one(write(tmp_path, "page.warc", b"<html><p>hello</p></html>\n"), tmp_path)
    assert document.status == "error"
    assert document.error.startswith("read: WARC truncated or damaged after 0 records (")
    assert "<html>" in document.error


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n  \n"], ids=["empty", "whitespace"])
def test_read_empty_and_whitespace_files_are_ok_with_no_text(tmp_path: Path, data: bytes) -> None:
    document = read_one(write(tmp_path, "blank.txt", data), tmp_path)
    assert (document.raw, document.status, document.error) == ("", "ok", None)


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (PNG, "PNG"),
        (PDF, "PDF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (gzip.compress(b"<html></html>"), "GZIP"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF"),
        (zlib.compress(bytes(range(256)) * 40)[2:] + bytes(range(32)) * 20, "binary data"),
    ],
    ids=["png", "pdf", "jpeg", "gif", "zip", "gzip", "elf", "unknown"],
)
def test_read_binary_named_html_is_an_error(tmp_path: Path, data: bytes, looks_like: str) -> None:
    document = read_one(write(tmp_path, "page.html", data), tmp_path)
    assert (document.status, document.raw) == ("error", "")
    assert document.error == f"read: not HTML or text: looks like {looks_like}"


def test_read_invalid_utf8_still_decodes(tmp_path: Path) -> None:
    text = "Das Projekt wird mit 3 Mio. \u20ac gef\u00f6rdert. Gr\u00fc\u00dfe aus M\u00fcnchen!"
    data = text.encode("utf-8") + b" \xff\xfe\xc3 Ende"
    document = read_one(write(tmp_path, "de.txt", data), tmp_path)
    assert document.status == "ok"
    assert document.encoding is not None
    assert document.raw.startswith("Das Projekt wird mit 3 Mio.")
    assert document.raw.endswith(" Ende")


def test_read_legacy_western_text_is_not_mistaken_for_cyrillic(tmp_path: Path) -> None:
    text = (
        "Das Projekt wird von der Europ\u00e4ischen Union gef\u00f6rdert. Gr\u00f6\u00dfe: 3 Mio."
    )
    document = read_one(write(tmp_path, "de.txt", text.encode("cp1252")), tmp_path)
    assert document.raw == text


def test_read_drops_nul_and_control_bytes_and_normalises_newlines(tmp_path: Path) -> None:
    data = b"Project\x00 budget:\x00\x00 498 686\x07 EUR\r\nline two\rline\tthree\x0c\x1b end"
    document = read_one(write(tmp_path, "nul.txt", data * 20), tmp_path)
    assert document.raw == "Project budget: 498 686 EUR\nline two\nline\tthree end" * 20


def test_read_file_names_with_spaces_and_cyrillic(tmp_path: Path) -> None:
    name = "новини 2021/статия за проекта (копие).txt"
    write(tmp_path, name, BULGARIAN.encode())
    [path], _ = list_inputs(tmp_path)
    document = read_one(path, tmp_path)
    assert (document.source, document.doc_id, document.raw) == (name, make_doc_id(name), BULGARIAN)


@pytest.mark.parametrize("name", ["page.html", "page.html.gz", "crawl.warc"])
def test_read_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    path = write(tmp_path, name, b"<p>secret</p>")

    def denied(file: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(read, "open", denied, raising=False)
    monkeypatch.setattr(read.gzip, "open", denied)
    document = read_one(path, tmp_path)
    assert (document.source, document.status) == (name, "error")
    assert document.error == "read: permission denied"


def test_read_file_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, "big.html", b"<p>" + b"word " * 400_000 + b"</p>")
    document = read_one(path, tmp_path, max_bytes=2**20)
    assert document.status == "error"
    assert document.error == "read: file too large (1.9 MB > 1.0 MB limit)"


def test_read_gzip_bomb_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, "bomb.txt.gz", gzip.compress(b" " * 3 * 2**20))
    document = read_one(path, tmp_path, max_bytes=2**20)
    assert document.error == "read: file too large (over 1.0 MB uncompressed)"


def test_read_fifty_megabyte_html_under_default_limit(tmp_path: Path) -> None:
    paragraph = f"<p>{BULGARIAN}</p>\n".encode()
    data = b"<html><body>\n" + paragraph * (50 * 2**20 // len(paragraph)) + b"</body></html>"
    document = read_one(write(tmp_path, "huge.html", data), tmp_path)
    assert len(data) > 49 * 2**20
    assert document.status == "ok"
    assert document.raw.count(BULGARIAN) == 50 * 2**20 // len(paragraph)
