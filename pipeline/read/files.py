"""Read stage: input files (.txt, .html, .warc, gzip-compressed) -> Documents with decoded raw text.

Every problem with an input becomes one Document with status "error" and a reason a person
understands; nothing here raises on bad input.
"""

from __future__ import annotations

import codecs
import errno
import gzip
import os
import re
import stat
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import charset_normalizer
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecord

from pipeline.document import STATUS_ERROR, Document

MAX_BYTES = 64 * 2**20
"""Largest input (a file, the uncompressed content of a .gz, or one WARC record) that is read."""

PAGE_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html"}
WARC_SUFFIXES = (".warc", ".warc.gz")

MAGIC_NUMBERS = (
    (b"\x89PNG", "PNG"),
    (b"%PDF-", "PDF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x1f\x8b", "GZIP"),
    (b"\x7fELF", "ELF"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"\xd0\xcf\x11\xe0", "MS Office (OLE)"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\xfd7zXZ\x00", "XZ"),
    (b"\x28\xb5\x2f\xfd", "Zstandard"),
    (b"SQLite format 3\x00", "SQLite"),
)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF_BYTES = 64 * 1024
BLOCK_BYTES = 64 * 1024
BINARY_CONTROL_SHARE = 0.05
"""Above this share of control bytes (other than NUL and whitespace) a file is binary."""

DETECT_CANDIDATES = [
    "cp1250",
    "cp1251",
    "cp1252",
    "cp1253",
    "cp1254",
    "cp1257",
    "iso8859_2",
    "iso8859_5",
    "iso8859_7",
    "iso8859_15",
    "iso8859_16",
    "koi8_r",
    "koi8_u",
]
"""Legacy encodings of European news pages, tried before the detector's full list."""
NON_CHUNKED_GZIP = "non-chunked gzip file detected"
"""What warcio says about a WARC gzipped as a whole, which it cannot read record by record."""
WEB_ALIASES = {"iso-8859-1": "windows-1252", "ascii": "windows-1252"}
"""Labels that browsers read as a superset (WHATWG Encoding Standard)."""

_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\x00\t\n\x0b\x0c\r\x1b")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
_HTML_START = re.compile(rb"<(!doctype\s+html|html|head|body|title|meta|div|p)\b", re.I)
_UNWANTED_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f]")
_LETTERS = re.compile(r"[^\W\d_]+")


class ReadError(Exception):
    """An input that cannot be read; the message is the reason shown to the user."""


def list_inputs(input_dir: Path) -> tuple[list[Path], list[Path]]:
    """Files under `input_dir` as (inputs, skipped), each sorted by relative POSIX path.

    Hidden files and folders are ignored. Symlinked folders are followed, but a folder seen
    before (a symlink loop) is skipped, as are files of other types and unlistable folders.
    """
    input_dir = Path(input_dir)
    inputs: list[Path] = []
    skipped: list[Path] = []
    seen: set[tuple[int, int]] = set()

    def unlistable(error: OSError) -> None:
        skipped.append(Path(error.filename))

    for folder, dirnames, filenames in os.walk(input_dir, followlinks=True, onerror=unlistable):
        info = os.stat(folder)
        seen.add((info.st_dev, info.st_ino))
        kept = []
        for name in sorted(name for name in dirnames if not name.startswith(".")):
            info = os.stat(os.path.join(folder, name))
            if (info.st_dev, info.st_ino) in seen:
                skipped.append(Path(folder, name))
            else:
                seen.add((info.st_dev, info.st_ino))
                kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            if not name.startswith("."):
                path = Path(folder, name)
                (inputs if _is_input(path) else skipped).append(path)

    def order(path: Path) -> str:
        return path.relative_to(input_dir).as_posix()

    return sorted(inputs, key=order), sorted(skipped, key=order)


def _is_input(path: Path) -> bool:
    """A supported file name that is a regular file, or a link that cannot be followed."""
    if _kind(path) is None:
        return False
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # broken link or link loop: reading it reports the reason


def read_path(
    path: Path,
    input_dir: Path,
    max_bytes: int = MAX_BYTES,
    skipped: list[tuple[str, str]] | None = None,
    span: tuple[int, int] | None = None,
) -> Iterator[Document]:
    """Documents in one input file: one for a page, one per HTML/text response for a WARC.

    `skipped` receives (`path#offset`, reason) for each WARC response or revisit record that
    gives no document (an error status, a redirect, an image, a revisit...). `span` (start,
    end) reads only the WARC records that start in that byte range, as cut by `scan_warc`;
    the sources keep the records' offsets in the whole file.
    """
    source = Path(path).relative_to(input_dir).as_posix()
    kind = _kind(Path(path))
    if kind == "warc":
        yield from _read_warc(
            Path(path), source, max_bytes, [] if skipped is None else skipped, span
        )
        return
    try:
        data = _load_bytes(Path(path), max_bytes)
        raw, encoding = decode(data, html=kind == "html")
    except ReadError as error:
        yield unreadable(source, str(error))
        return
    yield Document.from_source(source, raw=raw, format=kind or "text", encoding=encoding)


def decode(data: bytes, declared: str | None = None, html: bool = False) -> tuple[str, str]:
    """Decode page bytes to cleaned text: (text, encoding); raises ReadError for binary data.

    Order: BOM; valid UTF-8 (it wins over a declaration when the bytes hold non-ASCII, since
    legacy text is practically never valid UTF-8 and mislabelled UTF-8 pages are common);
    the declared charset (`declared`, else `<meta>`/XML declaration in HTML); detection.
    """
    binary = sniff_binary(data)
    if binary:
        raise ReadError(f"not HTML or text: looks like {binary}")
    for bom, codec in BOMS:
        if data.startswith(bom):
            return _finish(data.decode(codec, errors="replace")), _codec_name(codec)
    if html and declared is None:
        declared = html_charset(data)
    utf8_first = None if data.isascii() else "utf-8"
    for label in filter(None, (utf8_first, declared, "utf-8")):
        codec = _usable_codec(label)
        if codec is not None:
            try:
                return _finish(data.decode(codec)), codec
            except UnicodeDecodeError:
                continue
    codec = detect_codec(data)
    return _finish(data.decode(codec, errors="replace")), codec


def sniff_binary(data: bytes) -> str | None:
    """What binary format `data` looks like ("PNG", "binary data"...), or None for text."""
    for magic, name in MAGIC_NUMBERS:
        if data.startswith(magic):
            return name
    sample = data[:SNIFF_BYTES]
    if not sample or any(data.startswith(bom) for bom, _ in BOMS):
        return None
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return "binary data" if controls > BINARY_CONTROL_SHARE * len(sample) else None


def html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a `<meta>` tag or XML declaration, if any."""
    head = data[:SNIFF_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def detect_codec(data: bytes) -> str:
    """Best guess of a legacy encoding, preferring European single-byte code pages."""
    results = charset_normalizer.from_bytes(data, cp_isolation=DETECT_CANDIDATES)
    codecs_found = [match.encoding for match in results or charset_normalizer.from_bytes(data)]
    if not codecs_found:
        return "utf-8"
    sample = data[:SNIFF_BYTES]
    best = min(codecs_found, key=lambda codec: _mojibake_words(sample.decode(codec, "replace")))
    return _codec_name(best)


def _mojibake_words(text: str) -> int:
    """How many words look like a wrong code page (see `_is_mojibake`)."""
    return sum(_is_mojibake(word) for word in _LETTERS.findall(text) if not word.isascii())


def _is_mojibake(word: str) -> bool:
    """A Latin word made mostly of accents: Cyrillic or Greek decoded with a Latin code page."""
    if len(word) < 3 or not all(unicodedata.name(char, "").startswith("LATIN") for char in word):
        return False
    return sum(not char.isascii() for char in word) * 2 > len(word)


def _finish(text: str) -> str:
    """Newlines as \\n, no C0 control characters but \\n and \\t; blank text becomes ""."""
    text = _UNWANTED_CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text if text.strip() else ""


def _codec_name(label: str) -> str:
    """A normalised codec name: "utf-8", "windows-1251", "iso-8859-5", "koi8-r"..."""
    name = codecs.lookup(label).name
    if name == "utf-8-sig":
        return "utf-8"
    if re.fullmatch(r"cp125\d", name):
        return "windows-" + name[2:]
    if re.fullmatch(r"iso8859-\d+", name):
        return "iso-" + name[3:]
    return name


def _usable_codec(label: str) -> str | None:
    """The codec for a declared label, or None when Python does not know it or it cannot apply."""
    try:
        name = _codec_name(label.strip().lower())
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # declared in ASCII bytes, so not really UTF-16/32 (no BOM was found)
    return WEB_ALIASES.get(name, name)


def input_kind(rel: str) -> str | None:
    """What an input file name is read as: "text", "html", "warc", or None (skipped)."""
    return _kind(Path(rel))


def _kind(path: Path) -> str | None:
    """Input kind by file name ("text", "html" or "warc", any letter case); None otherwise."""
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    name = name.removesuffix(".gz")
    return PAGE_SUFFIXES.get(os.path.splitext(name)[1])


def _load_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, uncompressed when its name ends in .gz."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(f"file too large ({_megabytes(size)} > {_megabytes(max_bytes)} limit)")
        if path.name.lower().endswith(".gz"):
            return _gunzip(path, max_bytes)
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise ReadError(_os_reason(error)) from error


def _gunzip(path: Path, max_bytes: int) -> bytes:
    """Uncompressed content of a gzip file, at most `max_bytes`."""
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except EOFError as error:
        raise ReadError("gzip stream truncated") from error
    except (gzip.BadGzipFile, zlib.error) as error:
        raise ReadError(f"corrupt gzip: {error}") from error
    if len(data) > max_bytes:
        raise ReadError(f"file too large (over {_megabytes(max_bytes)} uncompressed)")
    return data


def _read_warc(
    path: Path,
    source: str,
    max_bytes: int,
    skipped: list[tuple[str, str]],
    span: tuple[int, int] | None = None,
) -> Iterator[Document]:
    """One Document per HTML or text response record; a damaged WARC ends with an error.

    The records before the damage are kept; the error's source names the offset of the first
    record that could not be read whole.
    """
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if span is None:
                yield from _warc_records(handle, source, max_bytes, skipped, size)
            else:
                handle.seek(span[0])
                end = min(span[1], size)
                reader = SpanReader(handle, end)
                yield from _warc_records(reader, source, max_bytes, skipped, end)
    except OSError as error:
        yield unreadable(source, _os_reason(error))


class SpanReader:
    """A binary file read up to byte `end` of it, which then looks like its end."""

    def __init__(self, handle: BinaryIO, end: int) -> None:
        self.handle, self.end = handle, end

    def read(self, size: int = -1) -> bytes:
        """At most `size` bytes (all when negative), never past `end`."""
        left = max(self.end - self.handle.tell(), 0)
        return self.handle.read(left if size < 0 else min(size, left))

    def readline(self, size: int = -1) -> bytes:
        """One line, never past `end`."""
        left = max(self.end - self.handle.tell(), 0)
        return self.handle.readline(left if size < 0 else min(size, left))

    def tell(self) -> int:
        """The position in the whole file."""
        return self.handle.tell()

    def close(self) -> None:
        """Closing is left to the owner of the file."""


@dataclass
class WarcLayout:
    """Where the records of a WARC start, and which of them give a document."""

    offsets: list[int] = field(default_factory=list)
    pages: list[bool] = field(default_factory=list)
    whole: bool = True
    """False when the file is damaged or not gzipped record by record: it is read as one."""


def scan_warc(handle: BinaryIO, size: int, max_bytes: int = MAX_BYTES) -> WarcLayout:
    """The layout of an open WARC of `size` bytes: each record's offset, and whether reading
    it gives a page.

    A page is a record `read_path` turns into a document: a successful HTML or text response
    (an undeclared payload must not look binary). Damage, as `read_path` finds it, stops the
    scan with `whole` False.
    """
    layout = WarcLayout()
    archive = ArchiveIterator(handle)
    try:
        for record in archive:
            start = archive.offset
            response = _page_response(record)
            page = response is not None
            if response is not None and response[0] is None:
                page = not sniff_binary(record.content_stream().read(max_bytes + 1))
            if not _read_whole(record, archive, handle, size):
                layout.whole = False
                return layout
            layout.offsets.append(start)
            layout.pages.append(page)
        layout.whole = archive.offset >= size
    except Exception:  # warcio raises many types on damaged input
        layout.whole = False
    return layout


def _warc_records(
    handle: BinaryIO | SpanReader,
    source: str,
    max_bytes: int,
    skipped: list[tuple[str, str]],
    size: int,
) -> Iterator[Document]:
    """The documents of an open WARC file that ends at byte `size`, then an error if it ends
    before its last record."""
    archive = ArchiveIterator(handle)
    records = 0
    try:
        for record in archive:
            start = archive.offset
            response = _page_response(record)
            payload = record.content_stream().read(max_bytes + 1) if response else b""
            if not _read_whole(record, archive, handle, size):
                break
            records += 1
            where = f"{source}#{start}"
            if response is not None:
                document = _response_document(record, response, payload, where, max_bytes)
                if document is not None:
                    yield document
                else:
                    skipped.append((where, "binary payload, not a page"))
            elif reason := _skip_reason(record):
                skipped.append((where, reason))
        else:
            start = archive.offset
            if start >= size:
                return
        reason = f"WARC truncated after {_count(records)}"
    except Exception as error:  # warcio raises many types on damaged input
        start = archive.offset
        reason = f"WARC truncated or damaged after {_count(records)} ({_warc_damage(error)})"
        if NON_CHUNKED_GZIP in str(error):
            start, reason = (
                -1,
                "WARC gzipped as one stream, not record by record (warcio recompress)",
            )
    yield unreadable(f"{source}#{start}" if start >= 0 else source, reason)


def _read_whole(
    record: ArcWarcRecord, archive: ArchiveIterator, handle: BinaryIO | SpanReader, size: int
) -> bool:
    """Read to the end of the record; whether it was whole (its length and gzip member ended)."""
    while record.raw_stream.read(BLOCK_BYTES):
        pass
    declared = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not declared.isdigit():
        return False  # the header was cut short or is broken
    if not (isinstance(record.raw_stream, LimitReader) and record.raw_stream.limit == 0):
        return False
    archive.get_record_offset()  # consumes the rest of the record's gzip member
    decompressor = archive.reader.decompressor  # None for an uncompressed WARC
    at_end = handle.tell() >= size
    return decompressor is None or decompressor.eof or not at_end


def _warc_damage(error: Exception) -> str:
    """What warcio's exception says about the damage, or a general reason for other types."""
    message = str(error).strip()
    if isinstance(error, ArchiveLoadFailed) and message:
        return message.splitlines()[0]
    return "unreadable record header"


def _response_document(
    record: ArcWarcRecord,
    response: tuple[str | None, str | None],
    payload: bytes,
    source: str,
    max_bytes: int,
) -> Document | None:
    """The Document of a page response; None when an undeclared payload is not a page."""
    mime, charset = response
    if mime is None and sniff_binary(payload):
        return None
    if mime is None:
        mime = "text/html" if _HTML_START.search(payload[:1024]) else "text/plain"
    fmt = "text" if mime == "text/plain" else "html"
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        if len(payload) > max_bytes:
            raise ReadError(f"record too large (over {_megabytes(max_bytes)})")
        raw, encoding = decode(payload, declared=charset, html=fmt == "html")
    except ReadError as error:
        return unreadable(source, str(error), url=url)
    return Document.from_source(source, url=url, raw=raw, format=fmt, encoding=encoding)


def _page_response(record: ArcWarcRecord) -> tuple[str | None, str | None] | None:
    """(MIME type, charset) of a successful HTTP response that may hold a page, else None.

    The MIME type is None when the response does not declare one (the payload is sniffed).
    """
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if not record.http_headers.get_statuscode().startswith("2"):
        return None
    mime, charset = _content_type(record.http_headers.get_header("Content-Type"))
    if mime is not None and not _is_page_type(mime):
        return None
    return mime, charset


def _skip_reason(record: ArcWarcRecord) -> str | None:
    """Why a response or revisit record gives no document; None for other record types."""
    if record.rec_type == "revisit":
        return "revisit record (the page was captured before)"
    if record.rec_type != "response":
        return None
    if record.http_headers is None:
        return "response without HTTP headers"
    status = record.http_headers.get_statuscode()
    if not status.startswith("2"):
        where = record.http_headers.get_header("Location")
        return f"HTTP status {status}" + (f" (to {where})" if where else "")
    mime, _ = _content_type(record.http_headers.get_header("Content-Type"))
    return f"not a page: {mime}"


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    """(MIME type in lower case, charset) from a Content-Type header; None where absent."""
    if not value or not value.split(";")[0].strip():
        return None, None
    match = _HEADER_CHARSET.search(value)
    return value.split(";")[0].strip().lower(), match.group(1) if match else None


def _is_page_type(mime: str) -> bool:
    """Whether a MIME type is an HTML page or plain text."""
    return mime == "text/plain" or "html" in mime


def _os_reason(error: OSError) -> str:
    """A short reason for an operating-system error."""
    if isinstance(error, PermissionError):
        return "permission denied"
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    if isinstance(error, FileNotFoundError):
        return "file not found (broken link?)"
    return f"cannot read file: {error.strerror or error}"


def _count(records: int) -> str:
    """A record count in words: "1 record", "2 records"."""
    return f"{records} record" + ("" if records == 1 else "s")


def _megabytes(size: int) -> str:
    """A size as "12.3 MB", or in bytes below one megabyte."""
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size} bytes"


def unreadable(source: str, reason: str, url: str | None = None) -> Document:
    """A Document that records why its input could not be read."""
    return Document.from_source(source, url=url, status=STATUS_ERROR, error=f"read: {reason}")
