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
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.document import Document, Mention

FIELDS = ("programmes", "grant_numbers", "amounts", "dates", "organizations", "countries")
PROGRAMME_ALIASES = {
    "erasmus": "erasmus+",
    "erasmus plus": "erasmus+",
    "еразъм": "erasmus+",
    "еразъм+": "erasmus+",
    "h2020": "horizon 2020",
    "хоризонт 2020": "horizon 2020",
    "horizon2020": "horizon 2020",
    "интеррег": "interreg",
    "косме": "cosme",
}
PROGRAMME_NOISE = re.compile(
    r"\b(programme|program|programa|programul|програма|the|eu|european|union s|of the|s|op|"
    r"operational|оперативна|оп)\b"
)
IGNORED_ORGS = (
    "European Union",
    "EU",
    "European Commission",
    "EC",
    "EASME",
    "the Commission",
    "the Agency",
    "European Commission s",
    "Европейски съюз",
    "ЕС",
    "Европейската комисия",
)


def norm(s: object) -> str:
    """Case-folded NFKC text with punctuation turned into single spaces ("+" kept)."""
    if s is None:
        return ""
    t = unicodedata.normalize("NFKC", str(s)).casefold().replace("&", " and ")
    t = re.sub(r"[^\w+]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


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

    ignored = {norm(x) for x in IGNORED_ORGS}
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
            dedup([o for o in g["organizations"] if norm(o) not in ignored], norm),
            dedup([o for o in orgs if norm(o) not in ignored], norm),
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
    from pipeline.extract import extract

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
