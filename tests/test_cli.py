"""CLI wiring of `report`, `explain` and `rules check` (the rule checker itself is tested
with the rules; here a stand-in module gives its answers)."""

import sys
import types

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
