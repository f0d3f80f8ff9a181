"""Score mentions against a gold file, field by field, with the shared scorer's matching rules.

`score_mentions(gold, mentions_by_doc)` takes gold records (one dict per page, the gold
format of corpus/README.md) and, per gold `doc`, the list of Mentions found; it returns
precision, recall and F1 for programmes, grant numbers, amounts, dates, organisations and
countries. Matching follows the shared scorer: programme names compared without
"programme"/"operational"/"OP"/periods; grant numbers without spaces and "№"; amounts equal
in currency and within 0.5 %; dates only as YYYY-MM-DD; organisations case-insensitive with
small spelling differences allowed; each side de-duplicated, then a greedy one-to-one match
(exact pairs first, then fuzzy ones).

`evaluate_extraction(gold_path, input_dir)` runs the extract stage on each gold page (the raw
text minus the gold boilerplate lines, the gold language) for an extraction-only measure.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from pipeline.document import Document, Mention
from pipeline.langdata import common_data, eu_institution
from pipeline.langdata import folded_name as norm

FIELDS = ("programmes", "grant_numbers", "amounts", "dates", "organizations", "countries")
SCORER_DATA = common_data("corpus")
PROGRAMME_ALIASES: dict[str, str] = SCORER_DATA["programme_aliases"]
PROGRAMME_NOISE = regex.compile(
    r"\b(" + "|".join(regex.escape(w) for w in SCORER_DATA["programme_noise"]) + r")\b"
)


def programme_key(s: str) -> str:
    """A programme name reduced to what the scorer compares."""
    t = PROGRAMME_NOISE.sub(" ", norm(s))
    t = re.sub(r"\b(?:19|20)\d\d (?:19|20)\d\d\b", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    return PROGRAMME_ALIASES.get(t, t)


def grant_key(s: object) -> str:
    """A grant number without spaces, "№", "#", in upper case."""
    return re.sub(r"[\s№#]+", "", str(s or "")).upper().strip(".")


def name_match(a: str, b: str) -> bool:
    """Organisation names that are equal, one inside the other, or nearly the same."""
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 5 and len(short) >= 0.5 * len(long_) and short in long_:
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.88


def grant_match(g: str, p: str) -> bool:
    """Equal grant numbers, or a long enough prediction inside the gold one."""
    gk, pk = grant_key(g), grant_key(p)
    return gk == pk or (len(pk) >= 6 and pk in gk and len(pk) >= 0.8 * len(gk))


def amount_match(g: tuple[float, str], p: tuple[float, str]) -> bool:
    """Same currency and within 0.5 % (at least 1 unit)."""
    return g[1] == p[1] and abs(float(g[0]) - float(p[0])) <= max(1.0, 0.005 * float(g[0]))


@dataclass
class Counts:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: list[Any], pred: list[Any], match: Callable[[Any, Any], bool]) -> None:
        """Greedy one-to-one matching: exact pairs first, then pairs that `match`."""
        used: set[int] = set()
        done: set[int] = set()
        for strict in (True, False):
            for j, g in enumerate(gold):
                if j in done:
                    continue
                for i, p in enumerate(pred):
                    if i not in used and (g == p if strict else match(g, p)):
                        used.add(i)
                        done.add(j)
                        break
        self.tp += len(done)
        self.fn += len(gold) - len(done)
        self.fp += len(pred) - len(used)

    def prf(self) -> tuple[float, float, float]:
        """(precision, recall, F1); an empty field with nothing predicted scores 1."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (0.0 if self.fn else 1.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def dedup(items: Iterable[Any], key: Callable[[Any], Any]) -> list[Any]:
    """Items with a distinct, non-empty key, first one kept."""
    seen, out = set(), []
    for x in items:
        k = key(x)
        if k and k not in seen:
            seen.add(k)
            out.append(x)
    return out


def _field_pairs(g: dict[str, Any], ms: list[Mention]) -> dict[str, tuple[list, list, Callable]]:
    def kind(k: str) -> list[Mention]:
        return [m for m in ms if m.kind == k]

    money = dedup(
        [(m.amount, m.currency) for m in kind("money") if m.amount is not None],
        lambda x: (round(float(x[0]), 2), x[1]),
    )
    dates = [str(m.value) for m in kind("date") if re.fullmatch(r"\d{4}-\d\d-\d\d", str(m.value))]
    orgs = [m.value or m.text for m in kind("organization")]
    return {
        "programmes": (
            dedup(g["programmes"], programme_key),
            dedup([m.value or m.text for m in kind("programme")], programme_key),
            lambda x, y: programme_key(x) == programme_key(y),
        ),
        "grant_numbers": (
            dedup(g["grant_numbers"], grant_key),
            dedup([m.value or m.text for m in kind("grant_number")], grant_key),
            grant_match,
        ),
        "amounts": (
            dedup([(x["amount"], x["currency"]) for x in g["amounts"]], lambda x: x),
            money,
            amount_match,
        ),
        "dates": (
            dedup([x["date"] for x in g["dates"] if len(x["date"]) == 10], lambda x: x),
            dedup(dates, lambda x: x),
            lambda x, y: x == y,
        ),
        "organizations": (
            dedup([o for o in g["organizations"] if not eu_institution(o)], norm),
            dedup([o for o in orgs if not eu_institution(o)], norm),
            name_match,
        ),
        "countries": (
            dedup(g["countries"], lambda x: x),
            dedup([str(m.value).upper() for m in kind("country")], lambda x: x),
            lambda x, y: x == y,
        ),
    }


def score_mentions(
    gold: list[dict[str, Any]], mentions: dict[str, list[Mention]]
) -> dict[str, dict[str, float]]:
    """Per-field precision/recall/F1 (plus tp/fp/fn) and an "overall" mean F1."""
    counts = {f: Counts() for f in FIELDS}
    for g in gold:
        for field, (gl, pl, match) in _field_pairs(g, mentions.get(g["doc"], [])).items():
            counts[field].add(gl, pl, match)
    out: dict[str, dict[str, float]] = {}
    for field, c in counts.items():
        p, r, f = c.prf()
        out[field] = {"p": p, "r": r, "f1": f, "tp": c.tp, "fp": c.fp, "fn": c.fn}
    out["overall"] = {"f1": sum(v["f1"] for v in out.values()) / len(FIELDS)}
    return out


def field_errors(g: dict[str, Any], ms: list[Mention]) -> dict[str, tuple[list, list]]:
    """Per field: (gold items not found, predicted items not in gold) for one page."""
    out = {}
    for field, (gl, pl, match) in _field_pairs(g, ms).items():
        missed = [x for x in gl if not any(x == y or match(x, y) for y in pl)]
        extra = [y for y in pl if not any(x == y or match(x, y) for x in gl)]
        out[field] = (missed, extra)
    return out


def read_gold(path: Path) -> list[dict[str, Any]]:
    """The records of a gold .jsonl file."""
    with Path(path).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gold_text(raw: str, record: dict[str, Any]) -> str:
    """The raw page minus the gold boilerplate lines: the text a perfect cleaner would give."""
    drop = set(record.get("boilerplate_lines") or [])
    return "\n".join(line for line in raw.split("\n") if line not in drop)


def extract_gold_pages(gold_path: Path, input_dir: Path) -> dict[str, Document]:
    """Run the extract stage on every gold page (gold boilerplate removed, gold language)."""
    from pipeline.extract.mentions import extract

    docs = {}
    for record in read_gold(gold_path):
        raw = (Path(input_dir) / record["doc"]).read_text(encoding="utf-8", errors="replace")
        doc = Document.from_source(
            record["doc"], raw=raw, text=gold_text(raw, record), language=record["language"]
        )
        docs[record["doc"]] = extract(doc)
    return docs


def evaluate_extraction(gold_path: Path, input_dir: Path) -> dict[str, dict[str, float]]:
    """Extraction-only scores of the extract stage on a gold set."""
    docs = extract_gold_pages(gold_path, input_dir)
    return score_mentions(read_gold(gold_path), {k: d.mentions for k, d in docs.items()})


def format_scores(scores: dict[str, dict[str, float]]) -> str:
    """A table of the scores, one field a line."""
    lines = [f"{'field':15s} {'P':>6s} {'R':>6s} {'F1':>6s}   tp fp fn"]
    for field in FIELDS:
        s = scores[field]
        lines.append(
            f"{field:15s} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f}   "
            f"{s['tp']} {s['fp']} {s['fn']}"
        )
    lines.append(f"overall F1 {scores['overall']['f1']:.3f}")
    return "\n".join(lines)


SHORT_BOILERPLATE = 40  # a boilerplate line shorter than this counts as kept only whole
RUN_FIELDS = ("projects", *FIELDS[:-1], "countries", "partners")
TABLE_NAMES = ("documents", "mentions", "projects", "partners")


def read_tables(output_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """The rows of a run's four tables (an absent table reads as no rows)."""
    import pyarrow.parquet as pq

    out = {}
    for name in TABLE_NAMES:
        path = Path(output_dir) / f"{name}.parquet"
        out[name] = pq.read_table(path).to_pylist() if path.exists() else []
    return out


def project_names_of(row: dict[str, Any]) -> tuple[str | None, str | None]:
    """(name, acronym) of a predicted project row."""
    return row.get("name"), row.get("acronym")


def gold_project_match(gold_project: dict[str, Any], names: tuple) -> bool:
    """True when a predicted (name, acronym) matches the gold project's name, acronym or alias."""
    wanted = [gold_project.get("name"), gold_project.get("acronym")]
    wanted += gold_project.get("aliases", [])
    return any(name_match(x, y) for x in wanted if x for y in names if y)


def _within(amount: float | None, gold: dict[str, Any] | None, currency: str | None) -> bool:
    if amount is None or gold is None:
        return False
    close = abs(float(amount) - gold["amount"]) <= max(1.0, 0.005 * gold["amount"])
    return close and currency == gold["currency"]


def attribute_checks(gp: dict[str, Any], pp: dict[str, Any]) -> dict[str, bool]:
    """Which gold attributes of a project the matched predicted row gets right."""
    checks = {
        "programme": lambda v: programme_key(v) == programme_key(gp["programme"]),
        "grant_number": lambda v: grant_key(v) == grant_key(gp["grant_number"]),
        "start_date": lambda v: str(v) == gp["start_date"],
        "duration_months": lambda v: int(v) == gp["duration_months"],
        "total_budget": lambda v: _within(v, gp["total_budget"], pp.get("currency")),
        "eu_contribution": lambda v: _within(v, gp["eu_contribution"], pp.get("currency")),
    }
    return {
        key: pp.get(key) is not None and bool(ok(pp[key]))
        for key, ok in checks.items()
        if gp.get(key) is not None
    }


def boilerplate_kept(line: str, kept_lines: set[str], text: str) -> bool:
    """True when a gold boilerplate line is still in the main text, by the shared scorer's rule:
    a short line must be a whole kept line (stripped), a longer one may stand anywhere."""
    s = line.strip()
    return s in kept_lines if len(s) < SHORT_BOILERPLATE else s in text


def _boilerplate(raw: str, text: str, record: dict[str, Any]) -> tuple[int, int, int, int]:
    """(boilerplate removed, boilerplate lines, content kept, content lines) of one page."""
    lines = {line.strip() for line in text.split("\n")}
    boilerplate = set(record.get("boilerplate_lines") or [])
    title = (record.get("title") or "").strip()
    removed = total = kept = content = 0
    seen_title = False
    for line in raw.split("\n"):
        s = line.strip()
        if not s:
            continue
        if line in boilerplate:
            total += 1
            removed += not boilerplate_kept(line, lines, text)
        elif title and s == title:
            seen_title = True
        else:
            content += 1
            kept += s in text
    del seen_title
    return removed, total, kept, content


@dataclass
class RunScores:
    """The shared scorer's figures for one run against a gold set."""

    fields: dict[str, Counts]
    attributes: Counts
    attribute_detail: dict[str, list[int]]
    language_ok: int
    title_ok: int
    pages: int
    missing: int
    boilerplate: tuple[int, int, int, int]

    @property
    def attribute_accuracy(self) -> float:
        return self.attributes.tp / self.attributes.fn if self.attributes.fn else 0.0

    @property
    def overall(self) -> float:
        f1s = [c.prf()[2] for c in self.fields.values()]
        return (sum(f1s) + self.attribute_accuracy) / (len(f1s) + 1)


@dataclass
class RunPage:
    """One gold page beside the rows the run wrote for it (an empty document when none)."""

    gold: dict[str, Any]
    document: dict[str, Any]
    mentions: list[Mention]
    projects: list[dict[str, Any]]
    partners: list[dict[str, Any]]


def pages_of_run(
    gold: list[dict[str, Any]], tables: dict[str, list[dict[str, Any]]]
) -> list[RunPage]:
    """Each gold page joined to its document row (by file name) and that document's rows."""
    by_source = {
        Path(str(d.get("source") or "").split("#")[0]).name: d for d in tables["documents"]
    }
    per_doc: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name in ("mentions", "projects", "partners"):
        for row in tables[name]:
            per_doc.setdefault(row["doc_id"], {}).setdefault(name, []).append(row)
    pages = []
    for g in gold:
        d = by_source.get(g["doc"]) or {}
        rows = per_doc.get(d.get("doc_id"), {})
        mentions = [
            Mention(**{k: r[k] for k in Mention.__dataclass_fields__})
            for r in rows.get("mentions", [])
        ]
        pages.append(RunPage(g, d, mentions, rows.get("projects", []), rows.get("partners", [])))
    return pages


def score_run(
    gold: list[dict[str, Any]], raw_dir: Path, tables: dict[str, list[dict[str, Any]]]
) -> RunScores:
    """Score a run's tables against gold records, as ../shared/tools/score.py does."""
    fields = {f: Counts() for f in RUN_FIELDS}
    attributes, detail = Counts(), {}
    language_ok = title_ok = missing = 0
    bp = [0, 0, 0, 0]
    for page in pages_of_run(gold, tables):
        g, d, mentions = page.gold, page.document, page.mentions
        projects, partners = page.projects, page.partners
        missing += not d
        language_ok += d.get("language") == g["language"]
        title_ok += norm(d.get("title")) == norm(g.get("title"))
        predicted = [project_names_of(p) for p in projects]
        nameless = sum(1 for x in predicted if not norm(x[0]) and not norm(x[1]))
        predicted = dedup(predicted, lambda x: norm(x[1] or x[0])) + [(None, None)] * nameless
        fields["projects"].add(g["projects"], predicted, gold_project_match)
        for field, (gl, pl, match) in _field_pairs(g, mentions).items():
            fields[field].add(gl, pl, match)
        gold_partners = dedup(
            [pt for gp in g["projects"] for pt in gp.get("partners", [])],
            lambda pt: norm(pt["name"]),
        )
        fields["partners"].add(
            gold_partners,
            dedup([q.get("organization") for q in partners], norm),
            lambda gp, o: any(name_match(x, o) for x in [gp["name"], *gp.get("aliases", [])]),
        )
        for gpt in gold_partners:
            names = [gpt["name"], *gpt.get("aliases", [])]
            matched = [
                q for q in partners if any(name_match(x, q.get("organization")) for x in names)
            ]
            for key in ("role", "country"):
                if gpt.get(key) is not None:
                    good = any(
                        str(q.get(key) or "").lower() == str(gpt[key]).lower() for q in matched
                    )
                    _tally(attributes, detail, "partner_" + key, good)
        for gp in g["projects"]:
            match = next((p for p in projects if gold_project_match(gp, project_names_of(p))), {})
            for key, good in attribute_checks(gp, match).items():
                _tally(attributes, detail, key, good)
        raw = (Path(raw_dir) / g["doc"]).read_text(encoding="utf-8", errors="replace")
        for i, n in enumerate(_boilerplate(raw, d.get("text") or "", g)):
            bp[i] += n
    return RunScores(
        fields, attributes, detail, language_ok, title_ok, len(gold), missing, tuple(bp)
    )


def _tally(counts: Counts, detail: dict[str, list[int]], key: str, good: bool) -> None:
    """Count one attribute check: tp = correct, fn = checked."""
    counts.tp += good
    counts.fn += 1
    pair = detail.setdefault(key, [0, 0])
    pair[0] += good
    pair[1] += 1


def format_run_scores(scores: RunScores) -> str:
    """The figures in the layout of the shared scorer."""
    removed, total, kept, content = scores.boilerplate
    lines = [
        f"documents scored: {scores.pages}  missing from output: {scores.missing}",
        f"language accuracy: {scores.language_ok}/{scores.pages}",
        f"title accuracy: {scores.title_ok}/{scores.pages}",
        f"{'field':15s} {'P':>6s} {'R':>6s} {'F1':>6s}   tp fp fn",
    ]
    for field, c in scores.fields.items():
        p, r, f = c.prf()
        lines.append(f"{field:15s} {p:6.3f} {r:6.3f} {f:6.3f}   {c.tp} {c.fp} {c.fn}")
    detail = " ".join(f"{k}={v[0]}/{v[1]}" for k, v in scores.attribute_detail.items())
    lines.append(
        f"project attributes correct: {scores.attributes.tp}/{scores.attributes.fn} = "
        f"{scores.attribute_accuracy:.3f}  {detail}"
    )
    lines.append(
        f"boilerplate lines removed: {removed}/{total} = {removed / total if total else 1:.3f}; "
        f"content lines kept: {kept}/{content} = {kept / content if content else 1:.3f}"
    )
    lines.append(f"overall F1 {scores.overall:.3f}")
    return "\n".join(lines)


def worst_pages(
    gold: list[dict[str, Any]], raw_dir: Path, tables: dict[str, list[dict[str, Any]]], n: int = 5
) -> list[tuple[float, str]]:
    """The `n` gold pages with the lowest overall score, as (score, doc)."""
    scored = [(score_run([g], raw_dir, tables).overall, g["doc"]) for g in gold]
    return sorted(scored)[:n]


LANGUAGE_COLUMNS = (*RUN_FIELDS, "attributes", "boilerplate", "content", "title", "overall")


def language_figures(scores: RunScores) -> dict[str, float | None]:
    """The figures of one row of the language table (None where nothing was checked)."""
    removed, total, kept, content = scores.boilerplate
    out: dict[str, float | None] = {f: c.prf()[2] for f, c in scores.fields.items()}
    out["attributes"] = scores.attribute_accuracy if scores.attributes.fn else None
    out["boilerplate"] = removed / total if total else None
    out["content"] = kept / content if content else None
    out["title"] = scores.title_ok / scores.pages if scores.pages else None
    out["overall"] = scores.overall
    return out


def scores_by_language(
    gold: list[dict[str, Any]], raw_dir: Path, tables: dict[str, list[dict[str, Any]]]
) -> dict[str, RunScores]:
    """The run scored separately on the pages of each gold language, in code order."""
    languages = sorted({str(g.get("language")) for g in gold})
    return {
        lang: score_run([g for g in gold if str(g.get("language")) == lang], raw_dir, tables)
        for lang in languages
    }


def format_language_table(by_language: dict[str, RunScores], total: RunScores) -> str:
    """One row a language, one column a field (F1; accuracy or share for the last five)."""
    short = {"grant_numbers": "grants", "organizations": "orgs", "programmes": "progr"}
    names = [short.get(c, c)[:8] for c in LANGUAGE_COLUMNS]
    lines = [f"{'lang':5s} {'pages':>5s} " + " ".join(f"{n:>8s}" for n in names)]
    for lang, scores in [*by_language.items(), ("all", total)]:
        figures = language_figures(scores)
        cells = ["       -" if v is None else f"{v:8.3f}" for v in figures.values()]
        lines.append(f"{lang:5s} {scores.pages:5d} " + " ".join(cells))
    return "\n".join(lines)
