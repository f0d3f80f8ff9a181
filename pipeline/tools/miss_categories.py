"""Name the kinds of error a run makes on a gold set, in words of our own, quoting no page.

The sealed half of the corpus may be read only as figures and error categories. Each
category here is built from the shape of what was missed or added (a name in quotes, an
acronym, a list item, a `key: value` line, a line before the headline...) and from how the
record layer failed (a partner lost with its project, an attribute left empty), never from
a page's words, so the report can be read by the people who write the rules.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.tools.evaluate import (
    RunPage,
    attribute_checks,
    boilerplate_kept,
    dedup,
    field_errors,
    gold_project_match,
    name_match,
    norm,
    pages_of_run,
    project_names_of,
)

QUOTES = "\"'„“”«»‚‘’‹›「」"
BULLET = re.compile(r"^\s*(?:[-–—•*·▪►✓]|\d{1,2}[.)]|[a-z][.)])\s+")
KEY_VALUE = re.compile(r"^[^:]{1,40}:\s*\S")
URL_OR_MAIL = re.compile(r"https?://|www\.|\S+@\S+\.\w+")


def _words(text: str) -> int:
    return len(text.split())


def name_shape(name: str) -> str:
    """The shape of a project or organisation name: acronym, capitalised words, sentence."""
    letters = [c for c in name if c.isalpha()]
    if _words(name) == 1:
        upper = sum(c.isupper() for c in letters)
        return "one-word acronym" if upper >= max(2, len(letters) // 2) else "one word"
    if letters and all(c.isupper() for c in letters):
        return "several upper-case words"
    if _words(name) > 8:
        return "long title (over 8 words)"
    return "several words"


def _where_on_page(name: str, raw: str) -> list[str]:
    """How the page writes a name: in quotes, as a list item, after a label, on its own line."""
    found = []
    for line in raw.splitlines():
        at = line.find(name)
        if at < 0:
            continue
        before, after = line[:at].rstrip(), line[at + len(name) :].lstrip()
        if (before[-1:] and before[-1] in QUOTES) or (after[:1] and after[:1] in QUOTES):
            found.append("in quotes")
        if BULLET.match(line):
            found.append("in a list item")
        if KEY_VALUE.match(line) and line.index(":") < at:
            found.append("after a field label")
        if line.strip(" -–•*:") == name:
            found.append("alone on its line")
    return sorted(set(found)) or ["inside a sentence"]


def line_shape(line: str) -> str:
    """The shape of a page line, for boilerplate kept and content lost."""
    s = line.strip()
    if s.startswith("#") or s.count("#") >= 2:
        return "hashtag line"
    if URL_OR_MAIL.search(s):
        return "line with a link or e-mail"
    if re.search(r"\.(?:jpe?g|png|gif|webp|pdf|docx?)\b|\d{2,4}\s*[x×]\s*\d{2,4}", s, re.I):
        return "file name or image size"
    if not re.search(r"[^\W\d_]", s):
        return "digits and symbols only"
    if KEY_VALUE.match(s) and _words(s) <= 12:
        return "key: value line"
    if BULLET.match(s):
        return "list item"
    if _words(s) <= 3:
        return "short line (3 words or fewer)"
    if s[-1:] in ".!?…" and _words(s) > 12:
        return "sentence-length line"
    return "line of 4 or more words"


def _position(raw_lines: list[str], line: str, content: set[str]) -> str:
    """Where a line stands: before the first content line, after the last, or among them."""
    index = [i for i, x in enumerate(raw_lines) if x.strip() in content]
    at = raw_lines.index(line) if line in raw_lines else -1
    if not index or at < 0:
        return "on a page without content"
    if at < index[0]:
        return "before the article"
    return "after the article" if at > index[-1] else "inside the article"


def _project_categories(page: RunPage, raw: str, out: Counter[str]) -> set[int]:
    """Count missed and added projects; return the indices of the gold projects found."""
    gold_projects = page.gold.get("projects") or []
    predicted = [project_names_of(p) for p in page.projects]
    several = "a page with several projects" if len(gold_projects) > 1 else "a one-project page"
    found = set()
    for i, gp in enumerate(gold_projects):
        if any(gold_project_match(gp, names) for names in predicted):
            found.add(i)
            continue
        name = gp.get("acronym") or gp.get("name") or ""
        out[f"project missed: {name_shape(name)}, on {several}"] += 1
        for where in _where_on_page(name, raw):
            out[f"project missed: its name stands {where}"] += 1
        if gp.get("name") and gp.get("acronym"):
            out["project missed: the page gives both a name and an acronym"] += 1
    for names in dedup(predicted, lambda x: norm(x[1] or x[0])):
        if any(gold_project_match(gp, names) for gp in gold_projects):
            continue
        name = names[1] or names[0] or ""
        kind = "on a page with no funded project" if not gold_projects else "beside real ones"
        out[f"false project: {name_shape(name) if name else 'no name'}, {kind}"] += 1
        for where in _where_on_page(name, raw) if name else []:
            out[f"false project: its name stands {where}"] += 1
    return found


def _partner_categories(page: RunPage, found: set[int], out: Counter[str]) -> None:
    mentioned = [m.value or m.text for m in page.mentions if m.kind == "organization"]
    predicted = [str(q.get("organization") or "") for q in page.partners]
    for i, gp in enumerate(page.gold.get("projects") or []):
        for partner in gp.get("partners") or []:
            names = [partner["name"], *partner.get("aliases", [])]
            rows = [
                q for q in page.partners if any(name_match(x, q.get("organization")) for x in names)
            ]
            if rows:
                for key in ("role", "country"):
                    given = {str(q.get(key) or "").lower() for q in rows}
                    if partner.get(key) and str(partner[key]).lower() not in given:
                        how = "left empty" if given == {""} else "a wrong value"
                        out[f"partner {key}: {how} on a found partner"] += 1
                continue
            project = "its project found" if i in found else "its project missed"
            seen = any(name_match(x, o) for x in names for o in mentioned)
            source = "among the organisation mentions" if seen else "not even a mention"
            out[f"partner missed: {project}, {source}"] += 1
    gold_names = [
        x
        for gp in page.gold.get("projects") or []
        for pt in gp.get("partners") or []
        for x in [pt["name"], *pt.get("aliases", [])]
    ]
    for name in dedup(predicted, norm):
        if not any(name_match(x, name) for x in gold_names):
            known = any(name_match(o, name) for o in page.gold.get("organizations") or [])
            what = "a real organisation of the page" if known else "no organisation in gold"
            out[f"false partner: {what}"] += 1


def _attribute_categories(page: RunPage, found: set[int], out: Counter[str]) -> None:
    for i, gp in enumerate(page.gold.get("projects") or []):
        if i not in found:
            continue
        match = next(p for p in page.projects if gold_project_match(gp, project_names_of(p)))
        for key, good in attribute_checks(gp, match).items():
            if not good:
                how = "left empty" if match.get(key) is None else "a wrong value"
                out[f"attribute {key}: {how} on a found project"] += 1


def _field_categories(page: RunPage, out: Counter[str]) -> None:
    for field, (missed, extra) in field_errors(page.gold, page.mentions).items():
        for item in missed:
            out[f"{field} missed: {_item_shape(field, item)}"] += 1
        for item in extra:
            out[f"{field} false: {_item_shape(field, item)}"] += 1


def _item_shape(field: str, item: Any) -> str:
    if field == "amounts":
        return f"in {item[1]}"
    if field == "organizations":
        return name_shape(str(item))
    if field == "countries":
        return "a country code"
    if field == "dates":
        return "a full date"
    return "an item"


def _line_categories(page: RunPage, raw: str, out: Counter[str]) -> None:
    text = page.document.get("text") or ""
    kept_lines = {line.strip() for line in text.split("\n")}
    boilerplate = set(page.gold.get("boilerplate_lines") or [])
    title = (page.gold.get("title") or "").strip()
    raw_lines = raw.split("\n")
    content = {x.strip() for x in raw_lines if x.strip() and x not in boilerplate} - {title}
    for line in boilerplate:
        s = line.strip()
        if s and boilerplate_kept(line, kept_lines, text):
            where = _position(raw_lines, line, content)
            out[f"boilerplate kept: {line_shape(line)}, {where}"] += 1
    for s in sorted(content):
        if s not in text:
            out[f"content lost: {line_shape(s)}"] += 1
    predicted = (page.document.get("title") or "").strip()
    if norm(predicted) != norm(title):
        if not title:
            out["title given where the page has none (a listing or an excerpt)"] += 1
        elif not predicted:
            out["title missed: none given"] += 1
        else:
            where = "a line of the page" if predicted in raw else "not a line of the page"
            out[f"title wrong: another line taken ({where})"] += 1


def miss_categories(
    gold: list[dict[str, Any]], raw_dir: Path, tables: dict[str, list[dict[str, Any]]]
) -> Counter[str]:
    """How often each kind of error occurs over the gold pages."""
    out: Counter[str] = Counter()
    for page in pages_of_run(gold, tables):
        raw = (Path(raw_dir) / page.gold["doc"]).read_text(encoding="utf-8", errors="replace")
        if not page.document:
            out["page missing from the output"] += 1
            continue
        found = _project_categories(page, raw, out)
        _partner_categories(page, found, out)
        _attribute_categories(page, found, out)
        _field_categories(page, out)
        _line_categories(page, raw, out)
    return out


def format_categories(counts: Counter[str], n: int) -> str:
    """The `n` most frequent categories, most frequent first (ties by name)."""
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return "\n".join(f"{count:5d}  {name}" for name, count in rows)
