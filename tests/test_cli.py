"""The command line: `rules check` wiring against a stand-in rule-check module, then `explain`,
`extract`, `rules check`, `evaluate` and `run` end to end on real pages."""

import gzip
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from pipeline import extract_facts
from pipeline.cli import build_parser, main
from pipeline.langdata import RuleError


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
