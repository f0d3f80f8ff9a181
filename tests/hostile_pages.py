"""A hostile corpus: broken, binary, huge, deep, crafted and unreadable inputs, plus seed pages.

`make_hostile_corpus` writes it into a folder and returns what each input should give, so
the batch test can count rows and check every reason.
"""

from __future__ import annotations

import gzip
import io
import os
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SEEDS = Path(__file__).resolve().parent / "corpus" / "seeds"
SEED_PAGES = {
    "seeds/000_406c4b2facab01f7.txt": {"eT4S", "CLINES"},
    "seeds/001_6d3df0d40d9084ce.txt": {"C2Future"},
    "seeds/004_9d0d5de624afebb1.txt": {"Skills4Cities"},
}
"""Normal pages among the hostile ones, with acronyms of projects they must still give."""

BULGARIAN = (
    "Клъстер „София – град на знанието“ стартира проекта eT4S по програма COSME.\n"
    "Бюджетът е 438 722 лв., а партньорите са от Испания, Белгия, Дания и Полша.\n"
)
ENGLISH = (
    "The Smart Skills for Smarter Cities project (Skills4Cities) is funded by Erasmus+ "
    "with a budget of 248,370 EUR. Partners from Spain and Austria met in Sofia.\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
RUN = 20_000
"""Repetitions in the texts crafted against the rules."""


@dataclass(frozen=True)
class Expect:
    """What one input (or WARC record) must give: its status and words its reason contains."""

    status: str | tuple[str, ...]
    words: tuple[str, ...] = ()


def crafted_texts() -> dict[str, str]:
    """Texts made of the runs each rule family matches, thousands of tokens long."""
    caps = " ".join(
        chr(65 + i % 26) + chr(97 + i // 26 % 26) * 2 + chr(97 + i % 7) for i in range(RUN // 4)
    )
    return {
        "money_spaced": "The budget is EUR " + " ".join(str(i % 10) for i in range(RUN)) + ".",
        "money_dotted": "Budget: " + ".".join("1" for _ in range(RUN)) + " EUR.",
        "money_commas": "Funding of €1" + ",000" * RUN + " was granted.",
        "money_mixed": "Бюджет " + " ".join("1.000,00 лв." for _ in range(RUN // 10)),
        "organisations": f"The partners are {caps} and the University of {caps}.",
        "grant_codes": "Grant agreement No " + "-".join(f"AB-{i % 100:02d}" for i in range(RUN)),
        "project_quotes": "The project „" + "„“\"'«»—–-" * (RUN // 5) + " was launched.",
        "project_dashes": "Project " + "— " * RUN + "ends.",
        "dates_dotted": "Started on " + ".".join("1" for _ in range(RUN)) + " and ran 24 months.",
        "dates_months": "From " + " ".join(f"{i % 28 + 1} March" for i in range(RUN // 5)) + ".",
        "acronyms": "The project (" + "A" * RUN + ") by " + "X4Y " * (RUN // 4) + "ended.",
        "durations": "It lasts " + " and ".join("24 months" for _ in range(RUN // 5)) + ".",
    }


def _response(writer: WARCWriter, uri: str, content_type: str, body: bytes, status: str) -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
    writer.write_record(record)


def mixed_warc() -> bytes:
    """A WARC of warcinfo, request, metadata, resource, non-HTML and failed responses, 2 pages."""
    handle = io.BytesIO()
    writer = WARCWriter(handle, gzip=False)
    writer.write_record(writer.create_warcinfo_record("mixed.warc", {"software": "tests"}))
    request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.bg")], is_http_request=True)
    writer.write_record(
        writer.create_warc_record(
            "https://example.bg/", "request", payload=io.BytesIO(b""), http_headers=request
        )
    )
    _response(
        writer,
        "https://example.bg/a",
        "text/html; charset=utf-8",
        f"<html><body><p>{ENGLISH}</p></body></html>".encode(),
        "200 OK",
    )
    _response(writer, "https://example.bg/logo.png", "image/png", PNG, "200 OK")
    _response(writer, "https://example.bg/doc.pdf", "application/pdf", PDF, "200 OK")
    _response(writer, "https://example.bg/gone", "text/html", b"<p>Not found</p>", "404 Not Found")
    writer.write_record(
        writer.create_warc_record(
            "dns:example.bg",
            "resource",
            payload=io.BytesIO(b"example.bg 300 IN A 10.0.0.1"),
            warc_content_type="text/dns",
        )
    )
    writer.write_record(
        writer.create_warc_record(
            "https://example.bg/a",
            "metadata",
            payload=io.BytesIO(b"outlink: /b\n"),
            warc_content_type="application/warc-fields",
        )
    )
    _response(
        writer,
        "https://example.bg/b",
        "text/plain; charset=windows-1251",
        BULGARIAN.encode("cp1251"),
        "200 OK",
    )
    return handle.getvalue()


def make_hostile_corpus(folder: Path) -> dict[str, Expect]:
    """Write the hostile corpus into `folder`; source -> expectation (WARC records by offset).

    WARC files are keyed by file name: their expectation covers all their records.
    """
    expect: dict[str, Expect] = {}

    def put(name: str, data: bytes, outcome: Expect) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expect[name] = outcome

    empty = Expect("empty", ("no main text",))
    put("blank/empty.txt", b"", empty)
    put("blank/whitespace.html", b"  \n\t\r\n \n", empty)
    put(
        "blank/scripts-only.html",
        b"<html><head><style>p{color:red}</style><script>var a = '<p>x</p>';</script></head>"
        b"<body><script>document.write('hello world')</script><style>.a{}</style></body></html>",
        empty,
    )
    put("binary/image.html", PNG + bytes(range(256)) * 40, Expect("error", ("read", "PNG")))
    put("binary/report.html", PDF + bytes(range(256)) * 40, Expect("error", ("read", "PDF")))
    put("binary/nul.txt", ENGLISH.encode().replace(b" ", b" \x00"), Expect("ok"))
    put(
        "encodings/invalid-utf8.txt",
        ENGLISH.encode() + b"\xff\xfe\xc3(" + ENGLISH.encode(),
        Expect("ok"),
    )
    put("encodings/windows-1251.txt", BULGARIAN.encode("cp1251"), Expect("ok"))
    put("encodings/utf-16.txt", BULGARIAN.encode("utf-16"), Expect("ok"))
    put("encodings/имена с интервали/новини № 1.txt", BULGARIAN.encode(), Expect("ok"))
    put(
        "encodings/Ελληνικά άρθρα.html",
        f"<html><body><p>{ENGLISH * 5}</p></body></html>".encode(),
        Expect("ok"),
    )
    article = f"<html><body><article><h1>News</h1><p>{ENGLISH * 5}</p></article>".encode()
    junk = b"<script>var data = '" + b"x" * 1000 + b"';</script><style>.a{}</style><!-- ad -->\n"
    put(
        "huge/fifty-megabytes.html",
        article + junk * (50 * 2**20 // len(junk)) + b"</body></html>",
        Expect("ok"),
    )
    put(
        "huge/deep-nesting.html",
        b"<html><body>" + b"<div>" * 10_000 + article[12:] + b"</div>" * 10_000 + b"</body></html>",
        Expect("ok"),
    )
    put(
        "huge/one-line.txt",
        (ENGLISH.strip() + " ").encode() * (2 * 2**20 // len(ENGLISH)),
        Expect("ok"),
    )
    put(
        "compressed/truncated.txt.gz",
        gzip.compress(ENGLISH.encode() * 50)[:-20],
        Expect("error", ("read", "gzip", "truncated")),
    )
    for name, text in crafted_texts().items():
        put(f"crafted/{name}.txt", text.encode(), Expect("ok"))
    for name, acronyms in SEED_PAGES.items():
        put(name, (SEEDS / Path(name).name).read_bytes(), Expect("ok", tuple(sorted(acronyms))))
    warc = mixed_warc()
    put("warc/mixed.warc", warc, Expect("ok"))
    put("warc/truncated.warc", warc[: len(warc) - 40], Expect("error", ("read", "truncated")))
    links = folder / "links"
    links.mkdir()
    os.symlink("loop-b.html", links / "loop-a.html")
    os.symlink("loop-a.html", links / "loop-b.html")
    os.symlink("missing.html", links / "dangling.html")
    expect["links/loop-a.html"] = Expect("error", ("read", "symbolic link loop"))
    expect["links/loop-b.html"] = Expect("error", ("read", "symbolic link loop"))
    expect["links/dangling.html"] = Expect("error", ("read", "not found"))
    os.mkfifo(links / "pipe.html")
    os.symlink("..", links / "up")  # a folder loop: listed once
    return expect
