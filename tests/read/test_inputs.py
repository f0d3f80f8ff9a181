"""Inputs by relative path: a local folder or an fsspec URL (file://, s3:// on a local S3
server) give the same tables, from Python and from the command line."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from scale_pages import make_corpus, make_warc, table_bytes

from pipeline.batch import split
from pipeline.batch.run import run
from pipeline.cli import main
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(command: list[str], port: int) -> Iterator[str]:
    """A server process listening on localhost at `port`, stopped on exit: its URL."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):  # up to 30 s on a loaded machine
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, f"{command[2]} did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """A real S3 API on localhost (moto's server, a process of its own): its endpoint URL."""
    port = free_port()
    with server(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], port
    ) as url:
        yield url


@pytest.fixture(scope="module")
def gcs_server() -> Iterator[str]:
    """A Google Cloud Storage API on localhost (gcp-storage-emulator): its URL."""
    port = free_port()
    command = [sys.executable, "-m", "gcp_storage_emulator", "start", "--host", "127.0.0.1"]
    with server([*command, "--port", str(port), "--in-memory"], port) as url:
        yield url


@pytest.fixture
def s3_env(s3_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Credentials and endpoint in the environment, as boto reads them."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "newsfacts-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "newsfacts-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_server)
    return s3_server


@pytest.fixture
def gcs_env(gcs_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The emulator's address in the environment, where gcsfs looks for it."""
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", gcs_server)
    return gcs_server


def upload(folder: Path, url: str) -> None:
    """Every file under `folder` into a new bucket, at the same relative paths under `url`."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url, skip_instance_cache=True)
    fs.mkdir(root.split("/")[0])
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        fs.put_file(str(path), f"{root}/{path.relative_to(folder).as_posix()}")


@pytest.mark.parametrize("scheme", ["s3", "gs"])
def test_inputs_bucket_from_the_command_line_gives_the_local_tables(
    scheme: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    request.getfixturevalue({"s3": "s3_env", "gs": "gcs_env"}[scheme])
    monkeypatch.setattr(split, "SPLIT_PAGES", 4)  # the WARC comes in spans (ranged reads)
    corpus = make_corpus(tmp_path / "in", 12)
    make_warc(corpus / "c" / "crawl.warc.gz", 9)
    (corpus / "a" / "notes.csv").write_text("not,a,page\n")
    upload(corpus, f"{scheme}://pages/crawl")
    local = ["run", str(corpus), str(tmp_path / "local"), "--workers", "1", "--quiet"]
    remote = [
        "run",
        f"{scheme}://pages/crawl",
        str(tmp_path / "remote"),
        "--workers",
        "1",
        "--quiet",
    ]
    assert main(local) == 0 and main(remote) == 0
    assert table_bytes(tmp_path / "remote") == table_bytes(tmp_path / "local")
    sources = pq.read_table(tmp_path / "remote" / "documents.parquet").column("source")
    assert len(sources) == 12 + 9


def test_inputs_s3_errors_are_one_clear_line(
    s3_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where an URL output taken as a path would make a folder
    assert main(["run", "s3://no-such-bucket/crawl", str(tmp_path / "out"), "--quiet"]) == 2
    assert (
        capsys.readouterr().err
        == "newsfacts: error: input folder not found: s3://no-such-bucket/crawl\n"
    )
    assert main(["run", str(tmp_path), "s3://pages/out"]) == 2
    assert "must be a local or mounted path, not s3://pages/out" in capsys.readouterr().err
    assert main(["run", "foo://pages", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        "newsfacts: error: cannot read foo://pages: ValueError: Protocol not known: foo\n"
    )
    assert not Path("s3:").exists()


def test_inputs_file_url_from_the_command_line(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "in", 6)
    assert main(["run", corpus.as_uri(), str(tmp_path / "url"), "--workers", "1", "--quiet"]) == 0
    assert main(["run", str(corpus), str(tmp_path / "path"), "--workers", "1", "--quiet"]) == 0
    assert table_bytes(tmp_path / "url") == table_bytes(tmp_path / "path")


@pytest.mark.parametrize(
    ("url", "package"),
    [("gs://bucket/crawl", "gcsfs"), ("s3://b/c", "s3fs"), ("file:///srv/crawl", "fsspec")],
)
def test_inputs_missing_remote_package_names_what_to_install(
    url: str, package: str, tmp_path: Path
) -> None:
    code = (
        "import sys\n"
        f"sys.modules[{package!r}] = None  # not installed\n"
        "from pipeline.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "run", url, str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    install = "pip install 'newsfacts[remote]'"
    assert line.startswith(
        f"newsfacts: error: reading {url} needs the package {package}: {install}"
    )
