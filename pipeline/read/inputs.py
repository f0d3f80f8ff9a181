"""Input files by relative path: a local folder, or any fsspec URL (`s3://bucket/crawl`).

Local folders go through `read.list_inputs` and plain file access. A URL is listed with
fsspec (installed with the `remote` extra, with s3fs for `s3://` and gcsfs for `gs://`;
credentials and endpoint come from the environment, as boto and Google's libraries read
them) and each shard copies its own files into a local temporary folder, where
`read.list_inputs` decides which of them are pages and `read.read_path` reads them, so the
reader never sees a URL and `source` stays the path relative to the root.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.read.files import list_inputs

HASH_CHUNK = 1 << 20
Span = tuple[int, int]
"""Bytes [start, end) of a file: the records of a WARC cut into pieces."""
VERSION_KEYS = ("mtime", "LastModified", "last_modified", "ETag", "etag", "created")


REMOTE_PACKAGES = {"s3": "s3fs", "s3a": "s3fs", "gs": "gcsfs", "gcs": "gcsfs"}
"""The fsspec implementation a URL scheme needs, where it is a package of its own."""
REMOTE_EXTRA = "newsfacts[remote]"
"""The install extra that brings fsspec, s3fs and gcsfs."""


def is_url(path: str | Path) -> bool:
    """Whether `path` names a location with a scheme (`s3://`, `file://`...)."""
    return "://" in str(path)


def sort_key(rel: str) -> tuple[str, ...]:
    """Input order: relative paths compared folder by folder, as `pathlib` sorts them."""
    return tuple(rel.split("/"))


def missing_package(url: str, error: ImportError) -> str:
    """What to install to read `url`, after fsspec or its implementation failed to import."""
    package = REMOTE_PACKAGES.get(url.split("://", 1)[0].lower(), "fsspec")
    return f"reading {url} needs the package {package}: pip install '{REMOTE_EXTRA}' ({error})"


def _filesystem(url: str) -> tuple[Any, str]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    return fs, root.rstrip("/")


def input_exists(input_dir: str | Path) -> bool:
    """Whether the input folder exists."""
    if is_url(input_dir):
        fs, root = _filesystem(str(input_dir))
        return fs.isdir(root)
    return Path(input_dir).is_dir()


def list_files(input_dir: str | Path) -> tuple[list[str], list[str]]:
    """Relative posix paths of the input files in input order, and of the skipped ones.

    For a URL every file is listed: each shard copies its files into a local folder of the
    same layout, and `read.list_inputs` there takes the pages and skips the rest.
    """
    if is_url(input_dir):
        fs, root = _filesystem(str(input_dir))
        found = [p[len(root) + 1 :] for p in fs.find(root) if p.startswith(root + "/")]
        return sorted(found, key=sort_key), []
    base = Path(input_dir)
    inputs, skipped = list_inputs(base)
    return (
        sorted((_relative(p, base) for p in inputs), key=sort_key),
        sorted((_relative(p, base) for p in skipped), key=sort_key),
    )


def _relative(path: Path, base: Path) -> str:
    path = Path(path)
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.resolve().relative_to(base.resolve()).as_posix()


def stat_files(input_dir: str | Path, rels: list[str]) -> list[tuple[int, str]]:
    """(size, version) of each file: the cheap fingerprint of a resumed run."""
    if is_url(input_dir):
        fs, root = _filesystem(str(input_dir))
        stats = []
        for rel in rels:
            info = fs.info(f"{root}/{rel}")
            version = next((str(info[k]) for k in VERSION_KEYS if info.get(k) is not None), "")
            stats.append((int(info.get("size") or 0), version))
        return stats
    base = Path(input_dir)
    stats = []
    for rel in rels:
        try:
            st = os.stat(base / rel)
        except OSError:  # a broken link or a link loop: the reader reports why
            st = os.lstat(base / rel)
        stats.append((st.st_size, str(st.st_mtime_ns)))
    return stats


def file_hash(path: Path, span: Span | None = None) -> str:
    """SHA-256 of a local file's bytes (of bytes [start, end) with `span`); "" for a file that
    cannot be opened (never reused)."""
    try:
        with open(path, "rb") as fh:
            return _digest(fh, span)
    except OSError:
        return ""


def _digest(fh: BinaryIO, span: Span | None) -> str:
    digest = hashlib.sha256()
    left = -1
    if span is not None:
        fh.seek(span[0])
        left = span[1] - span[0]
    while left != 0 and (chunk := fh.read(HASH_CHUNK if left < 0 else min(HASH_CHUNK, left))):
        digest.update(chunk)
        left = left - len(chunk) if left > 0 else left
    return digest.hexdigest()


def hash_files(
    input_dir: str | Path, rels: list[str], spans: list[Span | None] | None = None
) -> list[str]:
    """SHA-256 of each input file's bytes (of its span, where `spans` gives one): the
    fingerprint of an incremental run."""
    spans = spans or [None] * len(rels)
    if is_url(input_dir):
        fs, root = _filesystem(str(input_dir))
        hashes = []
        for rel, span in zip(rels, spans, strict=True):
            with fs.open(f"{root}/{rel}", "rb") as fh:
                hashes.append(_digest(fh, span))
        return hashes
    return [file_hash(Path(input_dir) / rel, span) for rel, span in zip(rels, spans, strict=True)]


@contextmanager
def open_file(input_dir: str | Path, rel: str) -> Iterator[tuple[BinaryIO, int]]:
    """An input file open for reading, and its size in bytes."""
    if is_url(input_dir):
        fs, root = _filesystem(str(input_dir))
        with fs.open(f"{root}/{rel}", "rb") as fh:
            yield fh, int(fs.size(f"{root}/{rel}") or 0)
        return
    with open(Path(input_dir) / rel, "rb") as fh:
        yield fh, os.fstat(fh.fileno()).st_size


@contextmanager
def local_copy(
    input_dir: str | Path, rels: list[str], spans: dict[str, Span] | None = None
) -> Iterator[tuple[Path, set[str]]]:
    """A local folder holding `rels`, and which of them the reader takes as pages.

    Of a file with a span in `spans` only those bytes are copied, at the same offsets (the
    rest of the local file is a hole), so the records keep their offsets in the whole file.
    """
    if not is_url(input_dir):
        yield Path(input_dir), set(rels)
        return
    fs, root = _filesystem(str(input_dir))
    spans = spans or {}
    with tempfile.TemporaryDirectory(prefix="newsfacts-in-") as tmp:
        local = Path(tmp)
        for rel in rels:
            target = local / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if rel in spans:
                _copy_span(fs, f"{root}/{rel}", target, spans[rel])
            else:
                fs.get_file(f"{root}/{rel}", str(target))
        pages, _ = list_inputs(local)
        yield local, {_relative(p, local) for p in pages}


def _copy_span(fs: Any, remote: str, target: Path, span: Span) -> None:
    start, end = span
    with fs.open(remote, "rb") as src, open(target, "wb") as dst:
        src.seek(start)
        dst.seek(start)
        while start < end and (chunk := src.read(min(HASH_CHUNK, end - start))):
            dst.write(chunk)
            start += len(chunk)
