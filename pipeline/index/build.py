"""One record per project and per partner across the whole archive (docs/tables.md).

`build_project_index` merges the per-document rows of `projects.parquet`, reconciles each
field, converts the amounts to EUR and records every disagreement; `build_partner_index`
merges the partner rows of each merged project. Both are pure functions over tables.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import pyarrow as pa

from pipeline.document import PARTNER_ROLES, strongest_evidence
from pipeline.index.currency import amount_eur, convert
from pipeline.index.dates import date_fields, date_values
from pipeline.index.grants import GrantCheck, check_grant
from pipeline.index.names import name_key, name_keys, org_keys, programme_key

STRING = pa.string()
STRINGS = pa.list_(STRING)

PROJECT_INDEX_SCHEMA = pa.schema(
    [
        ("project_key", STRING),
        ("name", STRING),
        ("acronym", STRING),
        ("aliases", STRINGS),
        ("programme", STRING),
        ("grant_number", STRING),
        ("start_date", STRING),
        ("end_date", STRING),
        ("duration_months", pa.int64()),
        ("total_budget", pa.float64()),
        ("eu_contribution", pa.float64()),
        ("currency", STRING),
        ("total_budget_eur", pa.float64()),
        ("eu_contribution_eur", pa.float64()),
        ("rate_date", STRING),
        ("doc_ids", STRINGS),
        ("n_documents", pa.int64()),
        ("conflicts", STRINGS),
        ("grant_valid", pa.bool_()),
        ("grant_programme", STRING),
        ("notes", STRINGS),
        *date_fields("start_date"),
        *date_fields("end_date"),
        *date_fields("rate_date"),
    ]
)

PARTNER_INDEX_SCHEMA = pa.schema(
    [
        ("project_key", STRING),
        ("organization", STRING),
        ("variants", STRINGS),
        ("country", STRING),
        ("countries", STRINGS),
        ("role", STRING),
        ("roles", STRINGS),
        ("evidence", STRING),
        ("doc_ids", STRINGS),
        ("n_documents", pa.int64()),
        ("conflicts", STRINGS),
    ]
)

FUZZY_MIN_LENGTH = 15  # name keys shorter than this must match exactly
FUZZY_RATIO = 0.9  # difflib ratio above which two long name keys are the same name
FUZZY_WINDOW = 10  # each name key is compared with this many neighbours in sorted order
# Documents named on each side of a conflict; past it they are counted ("and 1990 more"), so
# that a value seen on thousands of pages gives a readable line, not a list growing with the
# archive (`doc_ids` and the projects table give them all).
CONFLICT_DOCS = 10
AMOUNT_TOLERANCE = 0.05  # amounts in two currencies agree within this share (rates move)
TIED_PARENS = re.compile(r"^(?P<a>[^()]+?)\s*\((?P<b>[^()]+)\)$")
TIED_DASH = re.compile(r"^(?P<a>.+?)\s+[-–—]\s+(?P<b>.+)$")


def _text(value: object) -> str | None:
    """A stripped string, or None for null and blank values."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


class _UnionFind:
    """Disjoint sets over row indexes; each set keeps the facts that block a merge."""

    def __init__(self, n: int, facts: list[dict[str, set]]) -> None:
        self.parent = list(range(n))
        self.facts = facts

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def facts_of(self, i: int) -> dict[str, set]:
        """The facts of the set that holds i."""
        return self.facts[self.find(i)]

    def compatible(self, i: int, j: int, kinds: Iterable[str]) -> bool:
        a, b = self.facts_of(i), self.facts_of(j)
        return all(not (a[k] and b[k] and a[k].isdisjoint(b[k])) for k in kinds)

    def union(self, i: int, j: int, kinds: Iterable[str] = ()) -> bool:
        """Merge the sets of i and j unless a fact of `kinds` differs; True when merged."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        if not self.compatible(ri, rj, kinds):
            return False
        keep, drop = min(ri, rj), max(ri, rj)
        self.parent[drop] = keep
        for kind, values in self.facts[drop].items():
            self.facts[keep][kind] |= values
        return True

    def join(self, members: list[int], kinds: Iterable[str] = ()) -> None:
        """Merge each member into the first set before it that it is compatible with.

        Members that no earlier set takes start sets of their own, which later members may
        join: two pages that agree are merged even when a third, earlier, page conflicts.
        """
        anchors: list[int] = []
        for i in members:
            if not any(self.union(anchor, i, kinds) for anchor in anchors):
                anchors.append(i)

    def groups(self) -> list[list[int]]:
        members: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            members[self.find(i)].append(i)
        return [members[root] for root in sorted(members)]


@dataclass
class _ProjectRow:
    """The rows of `projects.parquet` that state the same facts: they merge as one.

    `first` is the smallest (doc_id, project_id) of those rows and fixes the merge order;
    `docs` lists each row's document (repeats allowed). A row with no key to merge on
    (no grant, acronym or name) never merges and keeps a class of its own.
    """

    first: tuple[str, str]
    docs: list[str]
    name: str | None
    acronym: str | None
    aliases: list[str]
    programme: str | None
    grant: GrantCheck | None
    start_date: str | None
    end_date: str | None
    duration_months: int | None
    total_budget: float | None
    eu_contribution: float | None
    currency: str | None
    notes: set[str] = field(default_factory=set)
    acronym_key: str | None = None
    programme_key: str | None = None
    labels: tuple[str, ...] = field(default_factory=tuple)


FACT_COLUMNS = (
    "name",
    "acronym",
    "aliases",
    "programme",
    "grant_number",
    "start_date",
    "end_date",
    "duration_months",
    "total_budget",
    "eu_contribution",
    "currency",
)


def _facts(row: dict) -> tuple:
    """What a projects row states, hashable (a NaN amount made comparable)."""
    values = []
    for column in FACT_COLUMNS:
        value = row.get(column)
        if isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, float) and math.isnan(value):
            value = "nan"
        values.append(value)
    return tuple(values)


def _new_class(row: dict) -> _ProjectRow:
    """An empty class for the facts of a projects row, with its merge keys."""
    grant = _text(row.get("grant_number"))
    currency = _text(row.get("currency"))
    cls = _ProjectRow(
        first=(row["doc_id"], row["project_id"]),
        docs=[],
        name=_text(row.get("name")),
        acronym=_text(row.get("acronym")),
        aliases=[a for a in (_text(x) for x in row.get("aliases") or []) if a],
        programme=_text(row.get("programme")),
        grant=check_grant(grant) if grant else None,
        start_date=_text(row.get("start_date")),
        end_date=_text(row.get("end_date")),
        duration_months=row.get("duration_months"),
        total_budget=row.get("total_budget"),
        eu_contribution=row.get("eu_contribution"),
        currency=currency.upper() if currency else None,
    )
    cls.acronym_key = next(iter(name_keys(cls.acronym)), None)
    cls.programme_key = programme_key(cls.programme)
    cls.labels = tuple(k for text in (cls.name, *cls.aliases) for k in name_keys(text))
    return cls


def _mergeable(cls: _ProjectRow) -> bool:
    """Whether rows of these facts can merge with anything (they have a key to merge on)."""
    return bool(cls.grant or cls.acronym_key or cls.labels)


def _published(documents: pa.Table) -> dict[str, str]:
    """doc_id -> publication date, for the documents that give one."""
    if "published" not in documents.column_names:
        return {}
    pairs = zip(
        documents.column("doc_id").to_pylist(),
        documents.column("published").to_pylist(),
        strict=True,
    )
    return {doc: date for doc, value in pairs if (date := _text(value))}


class ProjectIndexBuilder:
    """Builds `project_index` from the projects rows of a run, fed a shard part at a time.

    Memory grows with the distinct facts stated (one class per set of facts) and the
    documents, not with the rows: a page that repeats a known project costs a list entry.
    After `finish`, `key(row)` gives any projects row its `project_key`.
    """

    def __init__(self) -> None:
        self._classes: dict[tuple, _ProjectRow] = {}
        self._unmergeable: set[tuple] = set()
        self._published: dict[str, str] = {}
        self._keys: dict[tuple, str] = {}

    def _signature(self, facts: tuple, project_id: str) -> tuple:
        """Rows merge into one class by their facts, unless those facts cannot merge."""
        return (facts, project_id if facts in self._unmergeable else None)

    def add(self, projects: pa.Table, documents: pa.Table) -> None:
        """Add the projects rows of some documents (and those documents' dates)."""
        if not projects.num_rows:
            return
        dates = _published(documents)
        for row in projects.to_pylist():
            doc = sys.intern(row["doc_id"])
            if doc in dates:
                self._published[doc] = sys.intern(dates[doc])
            facts = _facts(row)
            cls = self._classes.get(self._signature(facts, row["project_id"]))
            if cls is None:
                cls = _new_class(row)
                if not _mergeable(cls):
                    self._unmergeable.add(facts)
                self._classes[self._signature(facts, row["project_id"])] = cls
            cls.first = min(cls.first, (doc, row["project_id"]))
            cls.docs.append(doc)
            cls.notes.update(f"{note} ({doc})" for note in row.get("notes") or [])

    def finish(self) -> pa.Table:
        """The `project_index` table (one row per merged project, sorted by key)."""
        signatures = sorted(self._classes, key=lambda s: self._classes[s].first)
        rows = [self._classes[s] for s in signatures]
        merged = []
        for members in _merge_projects(rows):
            group = [rows[i] for i in members]
            record = _project_record(group, self._published)
            merged.append(([signatures[i] for i in members], record, _key_material(record, group)))
        counts: dict[str, int] = defaultdict(int)
        for _, _, material in merged:
            counts[material] += 1
        records = []
        for group_signatures, record, material in merged:
            if counts[material] > 1:  # same facts, not merged (blocked): tell them apart by pages
                material += "#" + ",".join(record["doc_ids"])
            key = _hash(material)
            records.append({"project_key": key, **record})
            self._keys.update(dict.fromkeys(group_signatures, key))
        self._classes.clear()
        records.sort(key=lambda rec: rec["project_key"])
        return pa.Table.from_pylist(records, schema=PROJECT_INDEX_SCHEMA)

    def key(self, row: dict) -> str:
        """The `project_key` of a projects row that was added (after `finish`)."""
        return self._keys[self._signature(_facts(row), row["project_id"])]


def _by(rows: list, key: Callable[[object], Iterable[Hashable]]) -> dict[Hashable, list[int]]:
    """Row indexes per key value (a row may give several keys), in row order."""
    index: dict[Hashable, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        for k in dict.fromkeys(key(row)):
            if k is not None:
                index[k].append(i)
    return index


def _similar_label_pairs(rows: list[_ProjectRow]) -> list[tuple[int, int]]:
    """Row pairs with long name keys that are near-identical (typos, transliteration).

    Sorted neighbourhood: the distinct keys are sorted, once as written and once reversed,
    and each is compared with the next FUZZY_WINDOW keys only, so the cost stays linear.
    """
    rows_of: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        for label in dict.fromkeys(row.labels):
            if len(label) >= FUZZY_MIN_LENGTH:
                rows_of[label].append(i)
    labels = sorted(rows_of)
    similar: set[tuple[str, str]] = set()
    matcher = SequenceMatcher(None, autojunk=False)
    for order in (labels, sorted(labels, key=lambda k: k[::-1])):
        for n, a in enumerate(order):
            matcher.set_seq2(a)  # the matcher caches its second sequence
            for b in order[n + 1 : n + 1 + FUZZY_WINDOW]:
                pair = (a, b) if a < b else (b, a)
                if pair in similar or 2 * min(len(a), len(b)) < FUZZY_RATIO * (len(a) + len(b)):
                    continue
                matcher.set_seq1(b)
                if matcher.quick_ratio() >= FUZZY_RATIO and matcher.ratio() >= FUZZY_RATIO:
                    similar.add(pair)
    return [(rows_of[a][0], rows_of[b][0]) for a, b in sorted(similar)]


def _merge_projects(rows: list[_ProjectRow]) -> list[list[int]]:
    """Group row indexes into projects: grant number, then acronym+programme, then name."""
    facts = [
        {
            "grant": {r.grant.key} if r.grant else set(),
            "programme": {r.programme_key} if r.programme_key else set(),
            "acronym": {r.acronym_key} if r.acronym_key else set(),
        }
        for r in rows
    ]
    sets = _UnionFind(len(rows), facts)
    for members in _by(rows, lambda r: [r.grant.key if r.grant else None]).values():
        sets.join(members)
    by_acronym = _by(rows, lambda r: [r.acronym_key])
    for members in by_acronym.values():
        programmes = {rows[i].programme_key for i in members if rows[i].programme_key}
        for prog in sorted(programmes):
            sets.join([i for i in members if rows[i].programme_key == prog], ("grant", "programme"))
        if len(programmes) <= 1:  # a missing programme joins only an unambiguous acronym...
            sets.join(members, ("grant", "programme"))
        else:  # ...else the bare mentions (no programme, no name) join each other only
            bare = [i for i in members if not (rows[i].labels or sets.facts_of(i)["programme"])]
            sets.join(bare, ("grant",))
    strict = ("grant", "programme", "acronym")
    for members in _by(rows, lambda r: r.labels).values():
        sets.join(members, strict)
    for i, j in _similar_label_pairs(rows):
        sets.union(i, j, strict)
    return sets.groups()


def _docs(docs: Iterable[str]) -> str:
    """The documents of one side of a conflict: the first CONFLICT_DOCS by id, then a count."""
    names = sorted(set(docs))
    if len(names) <= CONFLICT_DOCS:
        return ", ".join(names)
    return ", ".join(names[:CONFLICT_DOCS]) + f" and {len(names) - CONFLICT_DOCS} more"


@dataclass
class _Choice:
    """The reconciled value of one field and what disagreed with it."""

    value: object = None
    docs: list[str] = field(default_factory=list)
    others: list[tuple[object, list[str]]] = field(default_factory=list)


def _choose(
    candidates: list[tuple[object, Iterable[str]]],
    specificity: Callable[[object], float] = lambda v: 0,
    agree: Callable[[object, object], bool] = lambda a, b: a == b,
) -> _Choice:
    """Pick a value: the agreeing class backed by most pages, then its most specific value.

    Each candidate is a value and documents that give it (a value may come more than once).
    Values that agree (a month and a day of it, a rounded and an exact sum, two spellings of
    a name) form a class. The class backed by the most documents wins; ties go to the class
    with the most specific value. Inside it, the most specific value, then the one on most
    documents, then the smallest as text.
    """
    docs_of: dict[object, set[str]] = defaultdict(set)
    for value, docs in candidates:
        docs_of[value].update(docs)
    if not docs_of:
        return _Choice()
    order = sorted(docs_of, key=lambda v: (-specificity(v), -len(docs_of[v]), str(v)))
    classes: list[list[object]] = []
    for value in order:
        home = next((c for c in classes if agree(c[0], value)), None)
        if home is None:
            classes.append([value])
        else:
            home.append(value)
    rank = {v: n for n, v in enumerate(order)}
    best = min(classes, key=lambda c: (-len(set().union(*(docs_of[v] for v in c))), rank[c[0]]))[0]
    others = [(v, sorted(docs_of[v])) for v in order if v != best]
    return _Choice(best, sorted(docs_of[best]), others)


def _conflicts(
    name: str, choice: _Choice, agree: Callable[[object, object], bool], show=str
) -> list[str]:
    return [
        f"{name}: {show(choice.value)} ({_docs(choice.docs)}) vs {show(v)} ({_docs(docs)})"
        for v, docs in choice.others
        if not agree(choice.value, v)
    ]


def _date_agrees(a: object, b: object) -> bool:
    """'2020-09' and '2020-09-01' agree: one only refines the other."""
    return str(a).startswith(str(b)) or str(b).startswith(str(a))


def _significant_digits(amount: float) -> int:
    digits = f"{abs(amount):.2f}".replace(".", "").strip("0")
    return len(digits)


def _rounded(amount: float, digits: int) -> float:
    """`amount` rounded half up to `digits` significant digits."""
    if amount == 0:
        return 0.0
    scale = 10.0 ** (len(str(int(abs(amount)))) - digits)
    return math.floor(abs(amount) / scale + 0.5) * scale * (1 if amount > 0 else -1)


def _amounts_agree(a: float, b: float) -> bool:
    """Equal, or the less precise one is the other rounded to its significant digits."""
    if abs(a - b) <= 0.005:
        return True
    rough, exact = sorted((a, b), key=_significant_digits)
    return abs(_rounded(exact, _significant_digits(rough)) - rough) <= 0.005


def _money(value: object) -> str:
    amount, currency = value
    text = str(int(amount)) if float(amount).is_integer() else f"{amount:.2f}"
    return f"{text} {currency}"


def _reconcile_amount(
    name: str,
    rows: list[_ProjectRow],
    currency: str | None,
    date_of_doc: Callable[[str], str | None],
) -> tuple[float | None, list[str], list[str]]:
    """(amount in `currency` for one money field, its documents, the disagreements)."""
    candidates = [
        ((getattr(r, name), r.currency), r.docs)
        for r in rows
        if getattr(r, name) is not None and r.currency
    ]
    if not candidates or currency is None:
        return None, [], []
    pool = [c for c in candidates if c[0][1] == currency] or [
        ((value, currency), [doc])
        for (amount, code), docs in candidates
        for doc in docs
        if (value := convert(amount, code, currency, date_of_doc(doc))) is not None
    ]
    choice = _choose(
        pool,
        specificity=lambda v: _significant_digits(v[0]),
        agree=lambda a, b: _amounts_agree(a[0], b[0]),
    )
    if choice.value is None:
        return None, [], []
    docs_of: dict[tuple, set[str]] = defaultdict(set)
    for value, docs in candidates:
        docs_of[value].update(docs)
    choice.others = sorted(
        ((v, sorted(d)) for v, d in docs_of.items() if v != choice.value), key=lambda o: str(o[0])
    )
    date_of = {v: date_of_doc(min(d)) for v, d in docs_of.items()}
    date_of[choice.value] = date_of_doc(choice.docs[0])

    def agree(a: tuple, b: tuple) -> bool:
        if a[1] == b[1]:
            return _amounts_agree(a[0], b[0])
        a_eur, b_eur = amount_eur(*a, date_of[a])[0], amount_eur(*b, date_of[b])[0]
        if a_eur is None or b_eur is None:
            return False
        return abs(a_eur - b_eur) <= AMOUNT_TOLERANCE * max(abs(a_eur), abs(b_eur))

    return choice.value[0], choice.docs, _conflicts(name, choice, agree, show=_money)


def _currency(rows: list[_ProjectRow]) -> str | None:
    """The currency used by most pages that give an amount (EUR first on a tie)."""
    docs: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r.currency and (r.total_budget is not None or r.eu_contribution is not None):
            docs[r.currency].update(r.docs)
    ranked = sorted(docs, key=lambda c: (-len(docs[c]), c != "EUR", c))
    return ranked[0] if ranked else None


def _project_record(rows: list[_ProjectRow], published_on: dict[str, str]) -> dict:
    """Reconcile the rows of one project into one index record (without its key)."""
    conflicts: list[str] = []

    def pairs(attr: str) -> list[tuple[object, list[str]]]:
        return [(getattr(r, attr), r.docs) for r in rows if getattr(r, attr) is not None]

    same_name = lambda a, b: name_key(a) == name_key(b)  # noqa: E731
    same_programme = lambda a, b: programme_key(a) == programme_key(b)  # noqa: E731
    name = _choose(pairs("name"), agree=same_name)
    acronym = _choose(pairs("acronym"), agree=same_name)
    programme = _choose(pairs("programme"), agree=same_programme)
    conflicts += _conflicts("programme", programme, same_programme)
    grants = [(r.grant, r.docs) for r in rows if r.grant]
    grant = _choose(grants, specificity=lambda g: len(g.key) + len(g.text) / 1000)
    check: GrantCheck | None = grant.value
    grant_programme = None
    if check is not None and check.valid:
        grant_programme = (
            programme.value if programme.value and check.fits(programme.value) else check.programme
        )
        stated: dict[str, list[str]] = defaultdict(list)
        for value, docs in pairs("programme"):
            if not check.fits(value):
                stated[value].extend(docs)
        conflicts += [
            f"programme: {value} ({_docs(docs)}) vs {check.programme} (grant number {check.text})"
            for value, docs in sorted(stated.items())
        ]
    start = _choose(pairs("start_date"), lambda v: len(str(v)), _date_agrees)
    conflicts += _conflicts("start_date", start, _date_agrees)
    end = _choose(pairs("end_date"), lambda v: len(str(v)), _date_agrees)
    conflicts += _conflicts("end_date", end, _date_agrees)
    duration = _choose(pairs("duration_months"))
    conflicts += _conflicts("duration_months", duration, lambda a, b: a == b)

    def date_of_doc(doc: str) -> str | None:
        return published_on.get(doc) or start.value

    currency = _currency(rows)
    total, total_docs, total_conflicts = _reconcile_amount(
        "total_budget", rows, currency, date_of_doc
    )
    eu, eu_docs, eu_conflicts = _reconcile_amount("eu_contribution", rows, currency, date_of_doc)
    conflicts += total_conflicts + eu_conflicts
    dated = [published_on[d] for d in (total_docs or eu_docs) if published_on.get(d)]
    on_date = dated[0] if dated else start.value
    total_eur, total_date = amount_eur(total, currency, on_date)
    eu_eur, eu_date = amount_eur(eu, currency, on_date)

    chosen = {name.value, acronym.value}
    aliases = {v for v, _ in name.others} | {v for v, _ in acronym.others}
    aliases |= {a for r in rows for a in r.aliases}
    doc_ids = sorted({doc for r in rows for doc in r.docs})
    return {
        "name": name.value,
        "acronym": acronym.value,
        "aliases": sorted(a for a in aliases if a not in chosen),
        "programme": programme.value,
        "grant_number": check.text if check else None,
        "start_date": start.value,
        "end_date": end.value,
        "duration_months": duration.value,
        "total_budget": total,
        "eu_contribution": eu,
        "currency": currency if (total is not None or eu is not None) else None,
        "total_budget_eur": total_eur,
        "eu_contribution_eur": eu_eur,
        "rate_date": total_date or eu_date,
        "doc_ids": doc_ids,
        "n_documents": len(doc_ids),
        "conflicts": conflicts,
        "grant_valid": check.valid if check else None,
        "grant_programme": grant_programme,
        "notes": sorted({note for r in rows for note in r.notes}),
        **date_values("start_date", start.value),
        **date_values("end_date", end.value),
        **date_values("rate_date", total_date or eu_date),
    }


def _key_material(record: dict, rows: list[_ProjectRow]) -> str:
    """What identifies a merged project: grant, else acronym+programme, else name+programme."""
    programme = programme_key(record["programme"]) or ""
    grants = [r.grant.key for r in rows if r.grant]
    if grants:
        return "grant:" + min(grants)
    acronym = next(iter(name_keys(record["acronym"])), None)
    if acronym:
        return f"acronym:{acronym}|{programme}"
    name = next(iter(name_keys(record["name"])), None)
    if name:
        return f"name:{name}|{programme}"
    return "rows:" + ",".join(
        sorted(f"{doc}:{project}" for doc, project in (r.first for r in rows))
    )


def _hash(material: str) -> str:
    return hashlib.sha1(material.encode("utf-8")).hexdigest()[:16]


def build_project_index(projects: pa.Table, documents: pa.Table) -> tuple[pa.Table, dict[str, str]]:
    """`project_index` (one row per merged project) and the map project_id -> project_key."""
    builder = ProjectIndexBuilder()
    builder.add(projects, documents)
    table = builder.finish()
    mapping = {row["project_id"]: builder.key(row) for row in projects.to_pylist()}
    return table, dict(sorted(mapping.items()))


def tied_names(organization: str) -> list[str]:
    """The parts of 'Full Name (ACR)', 'ACR (Full Name)' or 'ACR – Full Name', else [].

    The acronym is one token of 3+ characters, mostly upper case; the full name has 2+ words.
    """
    for pattern in (TIED_PARENS, TIED_DASH):
        match = pattern.match(organization.strip())
        if match:
            a, b = match.group("a").strip(), match.group("b").strip()
            if (_looks_like_acronym(a) and " " in b) or (_looks_like_acronym(b) and " " in a):
                return [a, b]
    return []


def _looks_like_acronym(text: str) -> bool:
    """One token of 3+ characters, at least half of its letters upper case (any script)."""
    if " " in text or len(text) < 3:
        return False
    letters = [c for c in text if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    return upper >= 2 and upper * 2 >= len(letters)


class PartnerIndexBuilder:
    """Builds `partner_index` from the partners rows of a run, fed a shard part at a time.

    Rows that give the same organisation, variants, country and role for the same project
    are kept once, with the list of their documents.
    """

    def __init__(self) -> None:
        self._classes: dict[tuple, dict] = {}

    def add(self, partners: pa.Table, project_keys: dict[str, str]) -> None:
        """Add partners rows; `project_keys` maps their project_id to its project_key."""
        for r in partners.to_pylist():
            organization = _text(r.get("organization"))
            if organization is None:
                continue
            variants = [organization, *(a for a in (_text(x) for x in r.get("aliases") or []) if a)]
            country = _text(r.get("country"))
            role = _text(r.get("role"))
            project_key = project_keys.get(r.get("project_id") or "")
            country = country.upper() if country else None
            role = role.lower() if role else None
            signature = (project_key, tuple(variants), country, role)
            cls = self._classes.get(signature)
            if cls is None:
                keys = [k for v in (*variants, *tied_names(organization)) for k in org_keys(v)]
                cls = self._classes[signature] = {
                    "project_key": project_key,
                    "first": r["doc_id"],
                    "docs": [],
                    "organization": organization,
                    "variants": variants,
                    "keys": keys,
                    "country": country,
                    "role": role,
                    "evidence": None,
                }
            cls["evidence"] = strongest_evidence([cls["evidence"], r.get("evidence")])
            doc = sys.intern(r["doc_id"])
            cls["first"] = min(cls["first"], doc)
            cls["docs"].append(doc)

    def finish(self) -> pa.Table:
        """The `partner_index` table: one row per (project_key, organisation)."""
        rows = sorted(
            self._classes.values(),
            key=lambda r: (r["project_key"] or "", r["first"], r["organization"]),
        )
        sets = _UnionFind(len(rows), [{} for _ in rows])
        for members in _by(rows, lambda r: [(r["project_key"], k) for k in r["keys"]]).values():
            for i in members[1:]:
                sets.union(members[0], i)
        records = [_partner_record([rows[i] for i in members]) for members in sets.groups()]
        self._classes.clear()
        records.sort(
            key=lambda rec: (
                rec["project_key"] is None,
                rec["project_key"] or "",
                next(iter(org_keys(rec["organization"])), ""),
                rec["organization"],
            )
        )
        return pa.Table.from_pylist(records, schema=PARTNER_INDEX_SCHEMA)


def build_partner_index(partners: pa.Table, project_keys: dict[str, str]) -> pa.Table:
    """`partner_index`: one row per (project_key, organisation), name variants merged."""
    builder = PartnerIndexBuilder()
    builder.add(partners, project_keys)
    return builder.finish()


def _partner_record(rows: list[dict]) -> dict:
    """Reconcile the rows of one organisation of one project."""
    name = _choose([(r["organization"], r["docs"]) for r in rows])
    country = _choose([(r["country"], r["docs"]) for r in rows if r["country"]])
    # on equal counts the alphabet happens to give coordinator, lead, partner
    role = _choose([(r["role"], r["docs"]) for r in rows if r["role"]])
    conflicts = _conflicts("country", country, lambda a, b: a == b)
    conflicts += _conflicts("role", role, lambda a, b: a == b)
    roles = sorted(
        {r["role"] for r in rows if r["role"]},
        key=lambda v: (PARTNER_ROLES.index(v) if v in PARTNER_ROLES else len(PARTNER_ROLES), v),
    )
    doc_ids = sorted({doc for r in rows for doc in r["docs"]})
    return {
        "project_key": rows[0]["project_key"],
        "organization": name.value,
        "variants": sorted({v for r in rows for v in r["variants"]}),
        "country": country.value,
        "countries": sorted({r["country"] for r in rows if r["country"]}),
        "role": role.value,
        "roles": roles,
        "evidence": strongest_evidence(r["evidence"] for r in rows),
        "doc_ids": doc_ids,
        "n_documents": len(doc_ids),
        "conflicts": conflicts,
    }
