"""Shards: contiguous cuts of the input, resumed after a crash, reused by incremental runs."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from scale_pages import make_corpus, page_text, table_bytes

from pipeline.batch import shards
from pipeline.batch import worker as run_module
from pipeline.batch.errors import RunError
from pipeline.batch.run import run
from pipeline.document import Document


def names(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    rels = {f"{rng.choice('abc')}/{rng.randrange(10**6):06d}.txt" for _ in range(count)}
    return sorted(rels, key=lambda rel: rel.split("/"))


def count_documents(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Count the documents that go through the stages (warm-up aside), by source."""
    seen: Counter = Counter()
    (first, clean), *rest = run_module.STAGES

    def counting_clean(doc: Document) -> Document:
        if doc.source != "warm-up.txt":
            seen[doc.source] += 1
        return clean(doc)

    monkeypatch.setattr(run_module, "STAGES", ((first, counting_clean), *rest))
    return seen


def test_shards_are_contiguous_runs_of_the_input_in_order() -> None:
    rels = names(500)
    planned = shards.plan_shards(rels)
    assert [rel for shard in planned for rel in shard] == rels
    assert all(1 <= len(shard) <= shards.MAX_SHARD_FILES for shard in planned)
    assert 500 / shards.SHARD_FILES / 3 < len(planned) < 500 / shards.SHARD_FILES * 3


def test_shards_adding_a_file_changes_only_the_shard_it_falls_in() -> None:
    rels = names(400)
    before = shards.plan_shards(rels)
    extra = sorted([*rels, "b/zz-new.txt"], key=lambda rel: rel.split("/"))
    after = shards.plan_shards(extra)
    changed = [shard for shard in after if shard not in before]
    assert len(changed) <= 2
    assert any("b/zz-new.txt" in shard for shard in changed)


def test_shards_never_exceed_the_maximum() -> None:
    rels = [rel for rel in names(3000) if not shards.starts_shard(rel)]
    assert max(len(shard) for shard in shards.plan_shards(rels)) == shards.MAX_SHARD_FILES


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("in"), 90)


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference")
    run(corpus, out, workers=1)
    return table_bytes(out)


def test_shards_crashed_run_resumes_from_finished_shards(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = count_documents(monkeypatch)
    (first, clean), *rest = run_module.STAGES

    def crashing_clean(doc: Document) -> Document:
        if sum(seen.values()) > 60:
            raise KeyboardInterrupt  # not a page error: the whole run stops
        return clean(doc)

    monkeypatch.setattr(run_module, "STAGES", ((first, crashing_clean), *rest))
    with pytest.raises(KeyboardInterrupt):
        run(corpus, tmp_path, workers=1)
    assert not (tmp_path / "documents.parquet").exists()
    monkeypatch.setattr(run_module, "STAGES", ((first, clean), *rest))
    seen.clear()
    summary = run(corpus, tmp_path, workers=1)
    assert summary.shards_reused > 0
    assert sum(seen.values()) < 60
    assert summary.documents == 90
    assert table_bytes(tmp_path) == reference


def test_shards_damaged_part_is_done_again(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path
) -> None:
    run(corpus, tmp_path, workers=1)
    state = json.loads((tmp_path / ".newsfacts" / "run.json").read_text())
    state["complete"] = False  # as if killed before the tables were swapped in
    (tmp_path / ".newsfacts" / "run.json").write_text(json.dumps(state))
    part = shards.parts_dir(tmp_path) / state["manifest"][1]
    (part / "mentions.parquet").write_bytes(b"PAR1")
    summary = run(corpus, tmp_path, workers=1)
    assert summary.shards_reused == summary.shards - 1
    assert table_bytes(tmp_path) == reference


def test_shards_completed_run_is_done_again_by_a_plain_rerun(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(corpus, tmp_path, workers=1)
    first_parts = set(shards.RunState.load(tmp_path).manifest)
    seen = count_documents(monkeypatch)
    summary = run(corpus, tmp_path, workers=1)
    assert summary.shards_reused == 0 and len(seen) == 90
    assert table_bytes(tmp_path) == reference
    kept = {part.name for part in shards.parts_dir(tmp_path).iterdir()}
    assert kept == set(shards.RunState.load(tmp_path).manifest)
    assert not kept & first_parts


def test_shards_incremental_run_processes_only_new_and_changed_files(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = tmp_path / "in"
    make_corpus(pages, 90)
    run(pages, tmp_path / "out", workers=1)
    (pages / "a" / "p0011.txt").write_text(page_text(11) + "Changed by COSME.\n", encoding="utf-8")
    (pages / "b" / "p0012.txt").touch()  # newer, same bytes
    (pages / "c").mkdir()
    (pages / "c" / "new.txt").write_text(page_text(500), encoding="utf-8")
    (pages / "b" / "p0020.txt").unlink()
    seen = count_documents(monkeypatch)
    summary = run(pages, tmp_path / "out", workers=1, incremental=True)
    assert sorted(seen) == ["a/p0011.txt", "c/new.txt"]
    assert summary.documents == 90
    monkeypatch.undo()
    run(pages, tmp_path / "clean", workers=1)
    assert table_bytes(tmp_path / "out") == table_bytes(tmp_path / "clean")
    seen = count_documents(monkeypatch)
    again = run(pages, tmp_path / "out", workers=1, incremental=True)
    assert not seen and again.shards_reused == again.shards
    assert table_bytes(tmp_path / "out") == table_bytes(tmp_path / "clean")


def test_shards_incremental_run_retries_pages_that_timed_out(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (first, clean), *rest = run_module.STAGES

    def stuck_clean(doc: Document) -> Document:
        while doc.source == "a/p0003.txt":
            pass
        return clean(doc)

    monkeypatch.setattr(run_module, "STAGES", ((first, stuck_clean), *rest))
    # 1.5 s: no other page comes near it, even on a loaded machine
    run(corpus, tmp_path, workers=1, timeout=1.5)
    seen = count_documents(monkeypatch)
    summary = run(corpus, tmp_path, workers=1, timeout=1.5, incremental=True)
    assert "a/p0003.txt" in seen
    assert summary.statuses["error"] == 1
    assert summary.shards_reused == summary.shards - 1


@pytest.mark.parametrize("chosen", [None, "mimalloc"])
def test_shards_arrow_allocates_with_malloc_unless_the_user_chose(
    chosen: str | None, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if chosen:
        env["ARROW_DEFAULT_MEMORY_POOL"] = chosen
    code = (
        "import os, sys, pyarrow as pa, pipeline\n"
        "before = 'ARROW_DEFAULT_MEMORY_POOL' in os.environ\n"
        "pipeline.run(sys.argv[1], sys.argv[2], workers=1)\n"
        "print(before, pa.default_memory_pool().backend_name)"
    )
    seeds = Path(__file__).parents[1] / "corpus" / "seeds"
    done = subprocess.run(
        [sys.executable, "-c", code, str(seeds), str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == [str(bool(chosen)), chosen or "system"]


def test_shards_a_stopped_run_finishes_no_part_and_the_next_run_does(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # what a Dask worker sees when the client was stopped while its shard ran
    (first, clean), *rest = run_module.STAGES

    def stop_then_clean(doc: Document) -> Document:
        shards.mark_stopped(tmp_path)
        return clean(doc)

    monkeypatch.setattr(run_module, "STAGES", ((first, stop_then_clean), *rest))
    with pytest.raises(RunError, match="the run was stopped"):
        run(corpus, tmp_path, workers=1)
    assert list(shards.parts_dir(tmp_path).glob(f"*/{shards.MARKER}")) == []
    monkeypatch.setattr(run_module, "STAGES", ((first, clean), *rest))
    summary = run(corpus, tmp_path, workers=1)
    assert summary.documents == 90 and not shards.stopped(tmp_path)
    assert table_bytes(tmp_path) == reference
