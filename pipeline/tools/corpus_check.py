"""Check an annotated corpus: every gold fact stands in its page, and no page or site repeats.

A corpus folder holds gold sets side by side: `<set>.gold.jsonl` with its pages in `<set>/`. A
set whose name starts with `blind` (`blind`, `blind2`) is sealed; every other set is `train`.
For each page the check asks that the strings the gold quotes (title, raw amounts and dates,
grant numbers, organisations, project names, acronyms, aliases, partners) occur in the page,
that boilerplate lines are whole lines of it, that project budgets are among the amounts, and
that dates, countries, currencies and roles are well formed. Across the corpus it refuses a URL
given twice, two pages that share over 30 % of their 8-word shingles, a site on both sides of
the split and a site with more than four pages.

Problems on blind pages name the page, the field and the index, never the text, so that the
people who write rules can read the report. Standard library only: annotators run it with any
Python 3 as `python3 pipeline/tools/corpus_check.py CORPUS_DIR`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

BLIND = "blind"
SHINGLE_WORDS = 8
SAME_PAGE_SHARE = 0.30
MAX_PAGES_PER_SITE = 4
# The five seed pages, the specification's own examples, all come from one cluster's site;
# they stay in the corpus and are left out of that site's page count.
UNCOUNTED_SETS = {"seeds"}
ROLES = {"coordinator", "lead", "partner", None}
SECOND_LEVEL = {"co", "com", "gov", "org", "ac", "edu", "net", "gv", "or", "nic", "gob"}
REQUIRED_KEYS = (
    "doc",
    "url",
    "language",
    "title",
    "published",
    "projects",
    "programmes",
    "grant_numbers",
    "amounts",
    "dates",
    "organizations",
    "countries",
    "boilerplate_lines",
)
CORPUS_DATA = tomllib.loads(
    (Path(__file__).parents[1] / "rules" / "common" / "corpus.toml").read_text(encoding="utf-8")
)
COUNTRY_CODES = frozenset(CORPUS_DATA["countries"].split())
CURRENCY_CODES = frozenset(CORPUS_DATA["currencies"].split())
PROGRAMME_FAMILIES: dict[str, list[str]] = CORPUS_DATA["families"]
OTHER_FAMILY = "national or regional programme"


@dataclass
class Page:
    """One annotated page: its set, gold record and text."""

    set_name: str
    gold: dict[str, Any]
    text: str

    @property
    def split(self) -> str:
        return BLIND if is_blind(self.set_name) else "train"

    @property
    def label(self) -> str:
        return f"{self.set_name}/{self.gold.get('doc')}"


@dataclass
class Report:
    """The problems found, one line each, and what was read."""

    problems: list[str] = field(default_factory=list)
    pages: int = 0
    sites: int = 0

    def add(self, page: Page, what: str, value: object = None) -> None:
        shown = "" if page.split == BLIND or value is None else f": {value!r}"
        self.problems.append(f"{page.label}: {what}{shown}")


def is_blind(set_name: str) -> bool:
    """A set whose name starts with `blind` is sealed."""
    return set_name.startswith(BLIND)


def site_of(url: str | None) -> str:
    """The registrable part of a URL's host: `news.uni-sofia.bg` -> `uni-sofia.bg`."""
    host = urlparse(url or "").netloc.lower().split(":")[0].removeprefix("www.")
    parts = host.split(".")
    keep = 3 if len(parts) >= 3 and parts[-2] in SECOND_LEVEL else 2
    return ".".join(parts[-keep:])


def read_corpus(root: Path) -> Iterator[Page | str]:
    """Every page of every set under `root`, or a problem line where a page cannot be read."""
    if not root.is_dir():
        yield f"{root}: no such folder"
        return
    for gold_path in sorted(root.glob("*.gold.jsonl")):
        set_name = gold_path.name.removesuffix(".gold.jsonl")
        folder = root / set_name
        for n, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                gold = json.loads(line)
            except json.JSONDecodeError as err:
                yield f"{gold_path.name}:{n}: not JSON ({err.msg})"
                continue
            page_path = folder / str(gold.get("doc"))
            if not page_path.is_file():
                yield f"{set_name}/{gold.get('doc')}: no such page file"
                continue
            yield Page(set_name, gold, page_path.read_text(encoding="utf-8"))


def squeeze(text: str, *, spaces: str = " ") -> str:
    """The text with every run of white space made one `spaces` (a page may wrap a name)."""
    return re.sub(r"\s+", spaces, text).strip()


def _iso_date(value: object, precisions: tuple[str, ...]) -> bool:
    formats = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
    for precision in precisions:
        try:
            dt.datetime.strptime(str(value), formats[precision])
        except ValueError:
            continue
        if re.fullmatch(r"\d{4}(-\d\d){0,2}", str(value)):
            return True
    return False


def _quoted(gold: dict[str, Any]) -> Iterator[tuple[str, object]]:
    """(where, string) for every string the gold says is written in the page."""
    if gold.get("title"):
        yield "title", gold["title"]
    for key in ("grant_numbers", "organizations"):
        for i, value in enumerate(gold.get(key) or []):
            yield f"{key}[{i}]", value
    for key in ("amounts", "dates"):
        for i, item in enumerate(gold.get(key) or []):
            yield f"{key}[{i}].raw", item.get("raw")
    for i, project in enumerate(gold.get("projects") or []):
        for key in ("name", "acronym"):
            if project.get(key):
                yield f"projects[{i}].{key}", project[key]
        for j, alias in enumerate(project.get("aliases") or []):
            yield f"projects[{i}].aliases[{j}]", alias
        for j, partner in enumerate(project.get("partners") or []):
            yield f"projects[{i}].partners[{j}].name", partner.get("name")
            for k, alias in enumerate(partner.get("aliases") or []):
                yield f"projects[{i}].partners[{j}].aliases[{k}]", alias


def _amount_listed(budget: dict[str, Any], amounts: list[dict[str, Any]]) -> bool:
    value, currency = float(budget.get("amount") or 0), budget.get("currency")
    return any(
        a.get("currency") == currency
        and abs(float(a.get("amount") or 0) - value) <= max(1.0, 0.005 * value)
        for a in amounts
    )


def check_page(page: Page, report: Report) -> None:
    """Every per-page rule of the module docstring."""
    gold = page.gold
    text, bare = squeeze(page.text), squeeze(page.text, spaces="")
    missing = [k for k in REQUIRED_KEYS if k not in gold]
    if missing:
        report.add(page, f"missing keys {missing}")
        return
    for where, value in _quoted(gold):
        if not isinstance(value, str) or not value.strip():
            report.add(page, f"{where} is empty or not a string")
        elif squeeze(value) not in text and not (
            where.startswith("grant") and squeeze(value, spaces="") in bare
        ):
            report.add(page, f"{where} is not in the page", value)
    lines = set(page.text.splitlines())
    for i, line in enumerate(gold["boilerplate_lines"]):
        if not str(line).strip():
            report.add(page, f"boilerplate_lines[{i}] is blank")
        elif line not in lines:
            report.add(page, f"boilerplate_lines[{i}] is not a whole line of the page", line)
    if gold["published"] is not None and not _iso_date(gold["published"], ("day",)):
        report.add(page, "published is not YYYY-MM-DD", gold["published"])
    for i, item in enumerate(gold["dates"]):
        if not _iso_date(item.get("date"), ("day",)):
            report.add(page, f"dates[{i}].date is not YYYY-MM-DD", item.get("date"))
    for i, item in enumerate(gold["amounts"]):
        if item.get("currency") not in CURRENCY_CODES:
            report.add(page, f"amounts[{i}].currency is no ISO 4217 code", item.get("currency"))
        if not isinstance(item.get("amount"), int | float):
            report.add(page, f"amounts[{i}].amount is not a number", item.get("amount"))
    for i, code in enumerate(gold["countries"]):
        if code not in COUNTRY_CODES:
            report.add(page, f"countries[{i}] is no ISO alpha-2 code", code)
    for i, project in enumerate(gold["projects"]):
        if not project.get("name") and not project.get("acronym"):
            report.add(page, f"projects[{i}] has neither name nor acronym")
        for key in ("start_date", "end_date"):
            value = project.get(key)
            if value is not None and not _iso_date(value, ("day", "month", "year")):
                report.add(page, f"projects[{i}].{key} is not an ISO date", value)
        for key in ("total_budget", "eu_contribution"):
            budget = project.get(key)
            if budget is None:
                continue
            if budget.get("currency") not in CURRENCY_CODES:
                report.add(page, f"projects[{i}].{key} has no ISO 4217 currency")
            elif not _amount_listed(budget, gold["amounts"]):
                report.add(page, f"projects[{i}].{key} is not among the amounts")
        for j, partner in enumerate(project.get("partners") or []):
            if partner.get("role") not in ROLES:
                report.add(page, f"projects[{i}].partners[{j}].role is unknown", partner["role"])
            country = partner.get("country")
            if country is not None and country not in COUNTRY_CODES:
                report.add(page, f"projects[{i}].partners[{j}].country is no ISO code", country)


def shingles(text: str) -> set[int]:
    """Hashes of the page's 8-word runs (lower case, words of letters and digits)."""
    words = re.findall(r"\w+", text.casefold())
    return {hash(tuple(words[i : i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS)}


def check_corpus(pages: list[Page], report: Report) -> None:
    """The rules across pages: URLs, near-duplicate pages, sites and the split."""
    urls = Counter(p.gold.get("url") for p in pages if p.gold.get("url"))
    for page in pages:
        if urls[page.gold.get("url")] > 1:
            report.add(page, "its URL is given to another page too", page.gold.get("url"))
    by_site: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        if page.set_name not in UNCOUNTED_SETS:
            by_site[site_of(page.gold.get("url"))].append(page)
    for site, members in sorted(by_site.items()):
        if not site:
            continue
        if len({p.split for p in members}) > 1:
            report.add(members[0], "its site is on both sides of the split", site)
        if len(members) > MAX_PAGES_PER_SITE:
            report.add(members[0], f"its site has {len(members)} pages", site)
    report.sites = len([s for s in by_site if s])
    owners: dict[int, list[int]] = defaultdict(list)
    sets = [shingles(p.text) for p in pages]
    for i, s in enumerate(sets):
        for h in s:
            owners[h].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for members in owners.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                shared[members[a], members[b]] += 1
    for (a, b), n in sorted(shared.items()):
        if n > SAME_PAGE_SHARE * min(len(sets[a]), len(sets[b])):
            report.add(pages[a], f"is the same page as {pages[b].label}")


def check(root: Path) -> Report:
    """Read and check the corpus under `root`."""
    report = Report()
    pages: list[Page] = []
    for item in read_corpus(root):
        if isinstance(item, str):
            report.problems.append(item)
        else:
            pages.append(item)
            check_page(item, report)
    report.pages = len(pages)
    check_corpus(pages, report)
    return report


def programme_family(name: str) -> str:
    """The family of a canonical programme name (`OTHER_FAMILY` when none is listed)."""
    folded = name.casefold()
    for family, prefixes in PROGRAMME_FAMILIES.items():
        if any(folded.startswith(prefix.casefold()) for prefix in prefixes):
            return family
    return OTHER_FAMILY


def statistics(root: Path) -> str:
    """Counts of the corpus by split: pages, sites, languages, shapes, programme families."""
    pages = [p for p in read_corpus(root) if isinstance(p, Page)]
    lines = []
    for split in ("train", BLIND, "all"):
        part = [p for p in pages if split in ("all", p.split)]
        sites = {site_of(p.gold.get("url")) for p in part} - {""}
        lines.append(f"{split}: {len(part)} pages, {len(sites)} sites")
        counts: dict[str, Counter[str]] = {
            "languages": Counter(str(p.gold.get("language")) for p in part),
            "shapes": Counter(shape for p in part for shape in p.gold.get("shape") or ["-"]),
            "programme families (pages)": Counter(
                family
                for p in part
                for family in {programme_family(x) for x in p.gold.get("programmes") or []}
            ),
        }
        for name, counter in counts.items():
            row = ", ".join(f"{k} {v}" for k, v in sorted(counter.items()))
            lines.append(f"  {name}: {row}")
        projects = sum(len(p.gold.get("projects") or []) for p in part)
        partners = sum(len(x.get("partners") or []) for p in part for x in p.gold["projects"])
        lines.append(f"  projects {projects}, partners {partners}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`corpus_check.py [--stats] CORPUS_DIR`: print the problems (exit 1 when any) or counts."""
    args = sys.argv[1:] if argv is None else list(argv)
    stats = "--stats" in args
    args = [a for a in args if a != "--stats"]
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: corpus_check.py [--stats] CORPUS_DIR", file=sys.stderr)
        return 2
    if stats:
        print(statistics(Path(args[0])))
        return 0
    report = check(Path(args[0]))
    for line in report.problems:
        print(line)
    verdict = f"{len(report.problems)} problems" if report.problems else "no problems"
    print(f"{report.pages} pages, {report.sites} sites: {verdict}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
