"""The command line: `rules check` wiring against a stand-in rule-check module, then `explain`,
`extract`, `rules check`, `evaluate` and `run` end to end on real pages, and as a process of its
own: exit codes and messages for input without pages and for rule files in error."""

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from scale_pages import make_corpus, table_bytes
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline import extract_facts
from pipeline.batch import shards
from pipeline.batch.worker import NOT_A_PAGE
from pipeline.cli import build_parser, main, version
from pipeline.langdata import RULES_DIR, RuleError
from pipeline.tables import TABLES


@pytest.fixture
def rules_module(monkeypatch):
    """A stand-in `pipeline.extract.rule_check` whose `check_examples` answers from `answer`."""
    module = types.ModuleType("pipeline.extract.rule_check")
    module.calls = []

    def check_examples(lang):
        module.calls.append(lang)
        if isinstance(module.answer, Exception):
            raise module.answer
        return module.answer

    module.check_examples = check_examples
    monkeypatch.setitem(sys.modules, "pipeline.extract.rule_check", module)
    monkeypatch.setattr("pipeline.extract.rule_check", module, raising=False)
    return module


def test_cli_rules_check_prints_failures_and_exits_1(rules_module, capsys):
    rules_module.answer = [
        "bg.money.leva (pipeline/rules/bg/money.toml): example '1 306 474 лева' gave no match",
        "bg.date.month_year (pipeline/rules/bg/date.toml): counter-example 'май' matched",
    ]
    assert main(["rules", "check", "bg"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == rules_module.answer
    assert "2 rule check failures (language bg)" in err
    assert rules_module.calls == ["bg"]


def test_cli_rules_check_all_languages_passing_exits_0(rules_module, capsys):
    rules_module.answer = []
    assert main(["rules", "check"]) == 0
    assert rules_module.calls == [None]
    assert "every example passes (all languages)" in capsys.readouterr().err


def test_cli_rules_check_invalid_rule_file_exits_1(rules_module, capsys):
    rules_module.answer = RuleError("pipeline/rules/en/money.toml: rule 'x' has no example")
    assert main(["rules", "check", "en"]) == 1
    assert "error: pipeline/rules/en/money.toml: rule 'x' has no example" in capsys.readouterr().err


def test_cli_explain_missing_file_exits_2(tmp_path, capsys):
    assert main(["explain", str(tmp_path / "nope.html")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_cli_parser_knows_every_subcommand():
    parser = build_parser()
    args = parser.parse_args(["explain", "page.html", "--color", "never"])
    assert (args.command, args.colour, args.input_dir) == ("explain", "never", None)
    assert parser.parse_args(["report", "out"]).command == "report"
    args = parser.parse_args(["extract", "-", "--indent", "0"])
    assert (args.command, args.page, args.indent, args.url, args.language) == (
        "extract", "-", 0, None, None
    )
    with pytest.raises(SystemExit):
        parser.parse_args(["extract", "-", "--indent", "-1"])
    with pytest.raises(SystemExit):
        parser.parse_args(["rules"])


REPO = Path(__file__).parents[1]
SEEDS = Path(__file__).parent / "corpus" / "seeds"
SKILLS4CITIES = SEEDS / "004_9d0d5de624afebb1.txt"


def test_cli_explain_marks_a_real_page_and_shows_its_project(capsys):
    assert main(["explain", str(SKILLS4CITIES), "--colour", "never"]) == 0
    out = capsys.readouterr().out
    assert "[[189.982 €|money=189982 EUR|" in out
    assert "acronym='Skills4Cities'" in out and "programme='Erasmus+'" in out


def test_cli_rules_check_real_rules_pass(capsys):
    assert main(["rules", "check", "bg"]) == 0
    assert "every example passes" in capsys.readouterr().err


def test_cli_evaluate_prints_the_scorer_table_and_worst_pages(capsys):
    gold = SEEDS.parent / "seeds.gold.jsonl"
    assert main(["evaluate", str(gold), str(SEEDS), "--worst", "2"]) == 0
    out = capsys.readouterr().out
    assert "documents scored: 5  missing from output: 0" in out
    worst = out.split("worst pages:\n")[1].splitlines()
    assert len(worst) == 2 and all(line.endswith(".txt") for line in worst)
    assert "overall F1 0.9" in out
    table = out.split("per language")[1].split("most frequent kinds of error:")[0]
    rows = {line.split()[0]: line.split() for line in table.splitlines()[2:]}
    assert sorted(rows) == ["all", "bg", "en"]
    assert rows["bg"][1] == "1" and rows["en"][1] == "4" and rows["all"][1] == "5"


def test_cli_evaluate_sealed_names_no_page_and_quotes_no_text(capsys):
    gold = SEEDS.parent / "seeds.gold.jsonl"
    assert main(["evaluate", str(gold), str(SEEDS), "--sealed", "--categories", "50"]) == 0
    out = capsys.readouterr().out
    assert "worst pages" not in out and ".txt" not in out
    categories = out.split("most frequent kinds of error:\n")[1].splitlines()
    assert categories, "the seed pages have errors to list"
    words = {w.casefold() for p in SEEDS.glob("*.txt") for w in p.read_text().split()}
    for line in categories:
        count, _, name = line.strip().partition("  ")
        assert count.isdigit() and not any(
            w.casefold() in words for w in name.split() if w[:1].isupper() and len(w) > 3
        ), line


def test_cli_run_help_shows_examples(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--help"])
    assert exit_.value.code == 0
    assert "newsfacts run raw output" in capsys.readouterr().out


def test_cli_run_missing_input_is_a_clear_error(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nowhere"), str(tmp_path / "out")]) == 2
    assert "input folder not found" in capsys.readouterr().err


def _newsfacts(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """`python -m pipeline ARGS` in a child process, with this repository's package."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        input=stdin, capture_output=True, env=env, cwd=REPO, timeout=300, check=False,
    )


def test_cli_extract_prints_the_facts_of_a_real_page_as_the_api_gives_them():
    done = _newsfacts("extract", str(SKILLS4CITIES))
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout)
    text = facts["document"]["text"]
    assert facts["document"]["status"] == "ok" and facts["document"]["language"] == "en"
    assert facts["mentions"] and all(
        text[m["start"] : m["end"]] == m["text"] for m in facts["mentions"]
    )
    money = next(m for m in facts["mentions"] if m["kind"] == "money")
    assert (money["text"], money["amount"], money["currency"]) == ("189.982 €", 189982.0, "EUR")
    assert [(p["acronym"], p["programme"], p["grant_number"]) for p in facts["projects"]] == [
        ("Skills4Cities", "Erasmus+", "2020-1-BG01-KA202-079071")
    ]
    doc = extract_facts(SKILLS4CITIES.read_bytes())
    assert facts["document"]["doc_id"] == doc.doc_id
    assert sorted((m["kind"], m["start"], m["end"]) for m in facts["mentions"]) == sorted(
        (m.kind, m.start, m.end) for m in doc.mentions
    )
    assert [p["organization"] for p in facts["partners"]] == sorted(
        p.organization for p in doc.partners
    )


def test_cli_extract_reads_standard_input_with_url_language_and_indent():
    page = Path(__file__).parent / "data" / "clean" / "html" / "project_news.html"
    url = "https://example.org/news/1"
    done = _newsfacts(
        "extract", "-", "--url", url, "--language", "de", "--indent", "0",
        stdin=page.read_bytes(),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8").count("\n") == 1
    document = json.loads(done.stdout)["document"]
    assert (document["url"], document["language"], document["format"]) == (url, "de", "html")
    assert document["title"] == "Partners of the GreenBridge project meet in Sofia"


def test_cli_extract_reads_a_gzip_page(tmp_path, capsys):
    page = tmp_path / "page.txt.gz"
    page.write_bytes(gzip.compress(SKILLS4CITIES.read_bytes()))
    assert main(["extract", str(page), "--language", "en", "--indent", "0"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["document"]["text"].startswith("CSKC coordinates an ERASMUS+ project")
    assert [p["acronym"] for p in facts["projects"]] == ["Skills4Cities"]


def test_cli_extract_clear_errors_for_bad_input(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nope.html")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["extract", str(SKILLS4CITIES), "--language", "xx"]) == 2
    assert "unknown language 'xx'" in capsys.readouterr().err
    archive = tmp_path / "pages.warc"
    archive.write_bytes(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n\r\n")
    assert main(["extract", str(archive)]) == 2
    assert "is a WARC archive" in capsys.readouterr().err
    broken = tmp_path / "page.txt.gz"
    broken.write_bytes(gzip.compress(SKILLS4CITIES.read_bytes())[:200])
    assert main(["extract", str(broken)]) == 2
    assert "not a readable gzip file" in capsys.readouterr().err
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" + bytes(range(256)) * 4)
    assert main(["extract", str(binary)]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["document"]["status"] == "error"
    assert "looks like binary data" in err and "Traceback" not in err
REPO = Path(__file__).resolve().parent.parent
# The command line in a process of its own, with the rules folder moved to argv[1].
WITH_RULES = """
import sys
from pathlib import Path
from pipeline import langdata
from pipeline.extract import rules
langdata.RULES_DIR = rules.RULES_DIR = Path(sys.argv[1])
from pipeline.cli import main
sys.exit(main(sys.argv[2:]))
"""


def newsfacts(
    *args: str | Path, rules: Path | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """`python -m pipeline ARGS` (with `rules`: the same main, reading that rules folder)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "pipeline"]
    if rules is not None:
        command = [sys.executable, "-c", WITH_RULES, str(rules)]
    return subprocess.run(
        [*command, *map(str, args)], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding the tables of a finished run over three pages."""
    out = tmp_path_factory.mktemp("finished") / "out"
    corpus = make_corpus(tmp_path_factory.mktemp("pages"), 3)
    assert main(["run", str(corpus), str(out), "--workers", "1", "--quiet"]) == 0
    return out, table_bytes(out)


def test_cli_run_input_without_a_page_exits_2_and_keeps_the_tables(
    tmp_path: Path, finished: tuple[Path, dict[str, bytes]]
) -> None:
    out, before = finished
    (tmp_path / "empty").mkdir()
    done = newsfacts("run", tmp_path / "empty", out, "--quiet")
    assert done.returncode == 2, done.stderr
    assert f"no page found in {tmp_path / 'empty'} (0 input files" in done.stderr
    assert "Traceback" not in done.stderr
    done = newsfacts("run", tmp_path / "unmounted", out, "--quiet")
    assert done.returncode == 2, done.stderr
    assert f"input folder not found: {tmp_path / 'unmounted'}" in done.stderr
    assert table_bytes(out) == before


def test_cli_run_allow_empty_writes_empty_tables(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = newsfacts("run", tmp_path / "empty", tmp_path / "out", "--allow-empty", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "0 documents" in done.stderr
    for name in TABLES:
        assert pq.read_metadata(tmp_path / "out" / f"{name}.parquet").num_rows == 0


BROKEN_RULES = [
    (
        "de/money.toml",
        "\n[[rule]]\nname = \"broken\"\npattern = '''(?P<m>\\d+ EUR'''\n"
        'examples = [{ text = "5 EUR", match = "5 EUR" }]\n',
        "rules/de/money.toml: rule de.money.broken: bad regex",
    ),
    ("fr/language.toml", 'ner_modle = ""\n', "rules/fr/language.toml: unknown keys"),
]


@pytest.mark.parametrize(("path", "addition", "message"), BROKEN_RULES, ids=["regex", "settings"])
def test_cli_run_rule_file_in_error_exits_2_before_the_first_page(
    tmp_path: Path, finished: tuple[Path, dict[str, bytes]], path: str, addition: str, message: str
) -> None:
    out, before = finished
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    text = (rules / path).read_text(encoding="utf-8")
    # A rule goes at the end, a setting at the top (before the file's first table).
    text = text + addition if "[[rule]]" in addition else addition + text
    (rules / path).write_text(text, encoding="utf-8")
    parts = set(shards.parts_dir(out).iterdir())
    done = newsfacts("run", make_corpus(tmp_path / "in", 3), out, "--quiet", rules=rules)
    assert done.returncode == 2, done.stderr
    assert f"rule file in error, no page processed: {message}" in done.stderr
    assert "Traceback" not in done.stderr
    assert set(shards.parts_dir(out).iterdir()) == parts
    assert table_bytes(out) == before


def test_cli_rules_check_unknown_language_exits_2() -> None:
    done = newsfacts("rules", "check", "xx")
    assert done.returncode == 2
    assert "unknown language 'xx' (rule folders: bg, cs," in done.stderr


def warc_with_three_responses(path: Path, page: bytes) -> None:
    """A WARC holding an HTML page, a 404 and an image."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for uri, status, kind, body in [
            ("https://e.example/news", "200 OK", "text/html", page),
            ("https://e.example/gone", "404 Not Found", "text/html", b"<p>Gone</p>"),
            ("https://e.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
        ]:
            http = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            payload = io.BytesIO(body)
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=payload, http_headers=http)
            )


def test_cli_run_names_what_it_skipped_flags_duplicates_and_logs(tmp_path: Path) -> None:
    pages = sorted(SEEDS.glob("*.txt"))[:2]
    folder = tmp_path / "in"
    (folder / "copies").mkdir(parents=True)
    for page in pages:
        shutil.copy(page, folder / page.name)
    shutil.copy(pages[1], folder / "copies" / "again.txt")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    html = f"<html><body><p>{pages[0].read_text(encoding='utf-8')}</p></body></html>"
    warc_with_three_responses(folder / "crawl.warc.gz", html.encode())
    out, log = tmp_path / "out", tmp_path / "run.log"
    done = newsfacts("run", folder, out, "--workers", "1", "-v", "--log-file", log)
    assert done.returncode == 0, done.stderr
    with open(folder / "crawl.warc.gz", "rb") as handle:
        archive = ArchiveIterator(handle)
        offsets = [archive.get_record_offset() for _ in archive]
    skipped = pq.read_table(out / "skipped.parquet").to_pylist()
    assert skipped == [
        {"source": f"crawl.warc.gz#{offsets[1]}", "reason": "HTTP status 404"},
        {"source": f"crawl.warc.gz#{offsets[2]}", "reason": "not a page: image/png"},
        {"source": "notes.pdf", "reason": NOT_A_PAGE},
    ]
    assert "4 documents (4 ok, 0 empty, 0 error), 1 files and 2 WARC records skipped" in done.stderr
    assert "newsfacts: progress: 4/4 pages (100 %), " in done.stderr
    assert f"newsfacts: skipped crawl.warc.gz#{offsets[1]}: HTTP status 404" in done.stderr
    written = log.read_text(encoding="utf-8")
    assert " DEBUG shard " in written and " INFO 4 documents (4 ok" in written
    documents = pq.read_table(out / "documents.parquet").to_pylist()
    by_source = {row["source"]: row for row in documents}
    assert by_source["copies/again.txt"]["duplicate_of"] == by_source[pages[1].name]["doc_id"]
    assert [row["source"] for row in documents if row["duplicate_of"]] == ["copies/again.txt"]
    assert len({row["content_hash"] for row in documents}) == 3


def test_cli_version() -> None:
    done = newsfacts("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"newsfacts {version()}" and version()[0].isdigit()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "in", "out", "--workers", "abc"], "--workers: 'abc' is not a whole number"),
        (["run", "in", "out", "--timeout", "soon"], "--timeout: 'soon' is not a number of seconds"),
        (["evaluate", "README.md", "tests"], "README.md is not a gold file"),
        (["report", "nowhere"], "nowhere/documents.parquet not found"),
        (["explain", "nowhere.html"], "file not found: nowhere.html"),
        (["run", "in", "out", "--log-file", "no/such/folder/run.log"], "cannot write the log file"),
        (["run", "README.md", "out"], "the input is not a folder: README.md"),
        (["report", "damaged"], "cannot read the tables in damaged"),
    ],
    ids=["workers", "timeout", "gold", "report", "explain", "log_file", "file_input", "bad_table"],
)
def test_cli_user_errors_are_one_line_not_a_traceback(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "damaged").mkdir()
    (tmp_path / "damaged" / "documents.parquet").write_text("not Parquet")
    shutil.copy(REPO / "README.md", tmp_path / "README.md")
    done = newsfacts(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_cli_evaluate_on_a_folder_missing_pages_names_them(tmp_path: Path) -> None:
    pages = sorted(SEEDS.glob("*.txt"))
    for page in pages[1:]:
        shutil.copy(page, tmp_path / page.name)
    done = newsfacts("evaluate", SEEDS.parent / "seeds.gold.jsonl", tmp_path)
    assert done.returncode == 2
    message = f"1 of the 5 gold pages are not in {tmp_path} (the first: {pages[0].name})"
    assert message in done.stderr
    assert "Traceback" not in done.stderr
