"""The corpus check: it passes on the corpus, and it catches each kind of gold error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from corpus_sets import CORPUS

from pipeline.tools.corpus_check import check, main, site_of

PAGE = "et_1.txt"
SET = "langs_et_lv_lt"


def test_corpus_check_finds_no_problem_in_the_corpus():
    report = check(CORPUS)
    assert report.problems == []
    assert report.pages >= 100


def _gold(name: str) -> dict:
    for line in (CORPUS / f"{SET}.gold.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["doc"] == name:
            return record
    raise KeyError(name)


def _corpus_with(tmp_path: Path, set_name: str, records: list[dict]) -> Path:
    """A corpus folder holding the real page once per record, under each record's doc."""
    (tmp_path / set_name).mkdir()
    for record in records:
        shutil.copy(CORPUS / SET / PAGE, tmp_path / set_name / record["doc"])
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    (tmp_path / f"{set_name}.gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_corpus_check_accepts_a_real_page_with_its_gold(tmp_path):
    report = check(_corpus_with(tmp_path, "train", [_gold(PAGE)]))
    assert report.problems == [] and report.pages == 1 and report.sites == 1


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda g: g["organizations"].append("Tartu Ülikooli Kosmos"), "organizations["),
        (lambda g: g["projects"][0].update(acronym="ePerMedX"), "projects[0].acronym"),
        (
            lambda g: (
                g["dates"].append({"date": "2020-02-30", "raw": g["dates"][0]["raw"]})
                if g["dates"]
                else g["dates"].append({"date": "2020-02-30", "raw": "x"})
            ),
            "dates[",
        ),
        (lambda g: g["countries"].append("UK"), "is no ISO alpha-2 code"),
        (lambda g: g["boilerplate_lines"].append("Loe edasi"), "boilerplate_lines["),
        (lambda g: g["amounts"].clear(), "is not among the amounts"),
        (lambda g: g["projects"][0]["partners"][0].update(role="leader"), "role is unknown"),
        (
            lambda g: g["amounts"].append({"amount": 5.0, "currency": "EURO", "raw": "5"}),
            "no ISO 4217 code",
        ),
    ],
)
def test_corpus_check_reports_each_kind_of_gold_error(tmp_path, edit, problem):
    gold = _gold(PAGE)
    edit(gold)
    report = check(_corpus_with(tmp_path, "train", [gold]))
    assert any(problem in line for line in report.problems), report.problems


@pytest.mark.parametrize("blind_set", ["blind", "blind2"])
def test_corpus_check_quotes_no_text_of_a_blind_page(tmp_path, blind_set):
    gold = _gold(PAGE)
    gold["organizations"].append("Tartu Ülikooli Kosmos")
    report = check(_corpus_with(tmp_path, blind_set, [gold]))
    assert report.problems == [
        f"{blind_set}/{PAGE}: organizations[{len(gold['organizations']) - 1}] is not in the page"
    ]


def test_corpus_check_refuses_a_page_twice_and_a_site_on_both_sides(tmp_path):
    first, second = _gold(PAGE), _gold(PAGE)
    second["doc"], second["url"] = "copy.txt", first["url"] + "?print=1"
    report = check(_corpus_with(tmp_path, "train", [first, second]))
    assert any("is the same page as train/copy.txt" in p for p in report.problems)
    blind = _gold(PAGE)
    blind["url"] = "https://www.ut.ee/en/another-page"
    _corpus_with(tmp_path, "blind", [blind])
    assert any("both sides of the split" in p for p in check(tmp_path).problems)


def test_corpus_check_counts_sites_by_registrable_domain():
    assert site_of("https://news.uni-sofia.bg/x") == "uni-sofia.bg"
    assert site_of("http://www.ncl.ac.uk/press") == "ncl.ac.uk"


def test_corpus_check_command_exits_1_on_problems_and_2_without_a_folder(tmp_path, capsys):
    gold = _gold(PAGE)
    gold["title"] = "Not the headline of this page"
    assert main([str(_corpus_with(tmp_path, "train", [gold]))]) == 1
    assert "1 pages, 1 sites: 1 problems" in capsys.readouterr().out
    assert main([str(tmp_path / "nowhere")]) == 2
