"""Inputs by relative path: a local folder or an fsspec URL give the same tables."""

from __future__ import annotations

from pathlib import Path

from scale_pages import make_corpus, table_bytes

from pipeline.batch.run import run
from pipeline.read import inputs


def test_inputs_sorted_folder_by_folder() -> None:
    rels = ["a-b/x.txt", "a/z.txt", "a/b/y.txt", "a.txt"]
    assert sorted(rels, key=inputs.sort_key) == ["a/b/y.txt", "a/z.txt", "a-b/x.txt", "a.txt"]


def test_inputs_url_and_local_folder_list_the_same_files(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "in", 12)
    local, _ = inputs.list_files(corpus)
    remote, _ = inputs.list_files(corpus.as_uri())
    assert remote == local and len(local) == 12
    assert inputs.hash_files(corpus.as_uri(), local) == inputs.hash_files(corpus, local)
    assert [size for size, _ in inputs.stat_files(corpus.as_uri(), local)] == [
        (corpus / rel).stat().st_size for rel in local
    ]


def test_inputs_url_run_gives_the_local_tables(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "in", 30)
    (corpus / "a" / "notes.csv").write_text("not,a,page\n")
    local = run(corpus, tmp_path / "local", workers=1)
    remote = run(corpus.as_uri(), tmp_path / "remote", workers=1)
    assert table_bytes(tmp_path / "remote") == table_bytes(tmp_path / "local")
    assert remote.documents == local.documents == 30
    assert remote.skipped_files == 1
