"""Small generated corpora for the run tests: English and Bulgarian, text and HTML pages."""

from __future__ import annotations

import shutil
from pathlib import Path

from corpus_sets import CORPUS

from pipeline.batch import shards
from pipeline.tables import OUTPUT_TABLES

EN = (
    "The Smart Skills for Smarter Cities project (Skills4Cities) is funded by Erasmus+.",
    "The partners from Spain, Austria and Bulgaria met in Sofia on 12 March 2021.",
    "Its total budget is 248,370 EUR and the project runs for 24 months.",
    "The COSME programme supports small firms that export to new markets.",
    "Training sessions for teachers took place in Valencia and in Graz.",
    "The coordinator is the Cluster Sofia Knowledge City.",
)
BG = (
    "Проектът „Умни умения за умни градове“ се финансира по програма Еразъм+.",
    "Партньори от Испания, Австрия и България се срещнаха в София на 12 март 2021 г.",
    "Общият бюджет на проекта е 248 370 евро, а продължителността му е 24 месеца.",
    "Програмата COSME подкрепя малки фирми, които изнасят на нови пазари.",
    "Обученията за учители се проведоха във Валенсия и в Грац.",
)


def page_text(index: int) -> str:
    """The text of page `index`: a few sentences of one language, different for each page."""
    sentences = BG if index % 3 == 2 else EN
    picked = [sentences[(index + k * (index % 4 + 1)) % len(sentences)] for k in range(4)]
    return f"Page {index}. " + " ".join(picked) + "\n"


def page_html(index: int) -> str:
    """Page `index` as a small HTML document."""
    body = "".join(f"<p>{line}</p>" for line in page_text(index).split(". "))
    return (
        f"<html><head><title>News {index}</title></head><body><nav>Home | About</nav>"
        f"<article><h1>News {index}</h1>{body}</article><footer>(c) site</footer></body></html>"
    )


def make_corpus(folder: Path, pages: int) -> Path:
    """Write `pages` pages into `folder` (two subfolders, text and HTML mixed); return it."""
    for index in range(pages):
        sub = folder / ("a" if index % 2 else "b")
        sub.mkdir(parents=True, exist_ok=True)
        if index % 5 == 4:
            (sub / f"p{index:04d}.html").write_text(page_html(index), encoding="utf-8")
        else:
            (sub / f"p{index:04d}.txt").write_text(page_text(index), encoding="utf-8")
    return folder


def table_bytes(output: Path) -> dict[str, bytes]:
    """The bytes of every table a run wrote into `output`, by table name."""
    return {name: (output / f"{name}.parquet").read_bytes() for name in OUTPUT_TABLES}


def make_warc(path: Path, pages: int, compress: bool = True) -> Path:
    """Write a WARC of `pages` HTML responses, with a 404 and a request record after every
    fifth page (records that give no document); return its path."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def record(writer: WARCWriter, uri: str, kind: str, body: bytes, status: str) -> None:
        http = StatusAndHeaders(status, [("Content-Type", "text/html")], protocol="HTTP/1.1")
        if kind == "request":
            http = StatusAndHeaders(f"GET {uri} HTTP/1.1", [], is_http_request=True)
        payload = io.BytesIO(body)
        writer.write_record(writer.create_warc_record(uri, kind, payload, http_headers=http))

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        for index in range(pages):
            uri = f"https://news.example.org/{index}"
            record(writer, uri, "response", page_html(index).encode("utf-8"), "200 OK")
            if index % 5 == 0:
                record(writer, uri + "/gone", "response", b"gone", "404 Not Found")
                record(writer, uri, "request", b"", "")
    return path


# Real pages of the train set in many small shards, for runs stopped halfway (signals).
PAGES = 60
# Every second page opens a shard: thirty shards of two real pages, so that shards finish one
# after the other while the run goes on, on an idle machine too (a shard takes a few tenths
# of a second there: each interrupted run must leave shards to do).
SHARD_EVERY = 2


def shard_folder(folder: Path) -> Path:
    """Real pages of the train set, named so that a shard starts at every SHARD_EVERY-th."""
    folder.mkdir(parents=True)
    for index, page in enumerate(sorted((CORPUS / "train").glob("*.txt"))[:PAGES]):
        suffix = 0
        while shards.starts_shard(f"p{index:03d}_{suffix}.txt") != (index % SHARD_EVERY == 0):
            suffix += 1
        shutil.copy(page, folder / f"p{index:03d}_{suffix}.txt")
    return folder


def finished_shards(out: Path) -> int:
    return len(list(shards.parts_dir(out).glob(f"*/{shards.MARKER}")))
