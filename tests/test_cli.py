"""The command line: `rules check` wiring against a stand-in rules module, then `explain`,
`rules check`, `evaluate` and `run` end to end on real pages."""

import sys
import types
from pathlib import Path

import pytest

from pipeline.cli import build_parser, main


class FakeRuleError(Exception):
    pass


@pytest.fixture
def rules_module(monkeypatch):
    """A stand-in `pipeline.rules` whose `check_examples` answers from `module.answer`."""
    module = types.ModuleType("pipeline.rules")
    module.RuleError = FakeRuleError
    module.calls = []

    def check_examples(lang):
        module.calls.append(lang)
        if isinstance(module.answer, Exception):
            raise module.answer
        return module.answer

    module.check_examples = check_examples
    monkeypatch.setitem(sys.modules, "pipeline.rules", module)
    monkeypatch.setattr("pipeline.rules", module, raising=False)
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
    rules_module.answer = FakeRuleError("pipeline/rules/en/money.toml: rule 'x' has no example")
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
    with pytest.raises(SystemExit):
        parser.parse_args(["rules"])


SEEDS = Path(__file__).parent / "golden" / "seeds"
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
    assert out.count("\n  ") == 2 and "overall F1 0.9" in out


def test_cli_run_help_shows_examples(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--help"])
    assert exit_.value.code == 0
    assert "newsfacts run raw output" in capsys.readouterr().out


def test_cli_run_missing_input_is_a_clear_error(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nowhere"), str(tmp_path / "out")]) == 2
    assert "input folder not found" in capsys.readouterr().err
