"""The link stage: mentions -> project records with their attributes and partners.

1. Projects. The `project` mentions (rules/<lang>/project.toml) are split into name and
   acronym ("Skills4Cities - Smart Skills for Smarter Cities", "Name (ACR)") and grouped
   into one record per project: the same name or acronym (spaces and case ignored), or an
   acronym whose letters fit the initials of a name (eT4S ~ European Technology for
   Sustainable Development). Mentions that are programme names are dropped, and so is a
   record the page also calls a network, cluster or initiative (a `not_project` cue word
   right before or after one of its names).
2. Anchors: every place the text names a project (its mentions and later repeats).
3. Attributes. A programme, grant number, sum, date or duration goes to the project named
   nearest to it in its sentence, else to the project named last before it. Sums need a
   budget or EU-contribution cue, dates a start or end cue (language.toml [cues]); a
   partner's share or a signature date is left out. A page that names one programme gives
   it to every project that has none of its own.
4. Partners (only on pages with a project): organisations bound to a role cue
   (coordinator, lead, partner) in a sentence about a project, listed right after a
   partner-list cue, or the subject of a participation cue. A country is kept only when
   it stands right next to the organisation ("Media City Bergen AS MCB, Norway").

Every record traces back: the mentions it came from get its project_id.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import regex

from pipeline.document import Document, Mention, Partner, Project
from pipeline.rules import Language, load_language

ROLE_RANK = {"coordinator": 3, "lead": 3, "partner": 1}
VETO_CUES = ("share", "not_start")
ROLE_KINDS = ("coordinator", "lead", "partner")
ATTRIBUTE_KINDS = ("programme", "grant_number", "money", "date", "duration")
SENTENCE_END = regex.compile(r"(?<=[.!?…])[\"'”“»)]*\s+|\n")
ABBREVIATION = regex.compile(
    r"(?:^|[\s(])(?:\p{Lu}|No|Nr|nr|incl|approx|ca|Mr|Mrs|Ms|Dr|Prof|St|vs|e\.g|i\.e|т\.нар|напр|г|гр|ул|бул|проф|д-р|инж|Sr|Sra|Dª|núm)\.$"
)
SENTENCE_INSIDE = regex.compile(r"(?<=\p{Ll}{2}|\))\.\s+(?=\p{Lu})")
PARAGRAPH_BREAK = regex.compile(r"\n[ \t]*\n")
SPACED_DASH = regex.compile(r"\s[-–—]\s")
QUOTES = " \t\"'“”„«»‘’`"
NAME_TOKEN = regex.compile(r"[\p{L}\p{M}\d]+")
CAMEL_HUMP = regex.compile(r"\p{Lu}[\p{Ll}\p{M}]*|\p{Ll}[\p{Ll}\p{M}]*|\d+")
CONNECTORS = {
    "of",
    "for",
    "the",
    "and",
    "in",
    "on",
    "to",
    "a",
    "an",
    "de",
    "del",
    "la",
    "y",
    "и",
    "за",
    "на",
}
LIST_SEPARATOR = regex.compile(
    r"(?:[\s,;:/()\[\]•·*–—-]+"
    r"|(?:and|&|as well as|namely|и|както и|y|e|et|und|i|oraz|și|si|a|και"
    r"|the|die|der|das|den|dem|la|le|les|l'|l’|il|lo|gli|el|los|las|ο|η|το|οι|τον|την)(?![\p{L}]))+"
)
SHORT_LINE_WORDS = 10
CUE_AFTER_NAME = regex.compile(
    r"[ \t]*(?:\(|,[ \t]*|[ \t][-–][ \t])?[ \t]*"
    r"(?:(?:as|is|е|като|como|es)[ \t]+)?(?:(?:the|a|an)[ \t]+)?"
    r"|[ \t]*\([^()\n]{0,40}"
)
# A nationality adjective starts a noun phrase: sentence start, an article or punctuation.
ADJECTIVE_PLACE = regex.compile(r"(?:^|[.,;:(\n]\s*|(?<![\p{L}])(?:the|a|an|The|A|An)\s)$")
ROLE_IN_PARENTHESES = regex.compile(r"[ \t]*\([\p{Ll} ]{3,25}\)")
LIST_FILLER = 40
# A city written after a list item ("Thermi Business Incubator, Thessaloniki;").
LIST_PLACE = regex.compile(r"\p{Lu}\p{Ll}+(?=[ \t]*;)")
YEAR_PAIR_GAP = 16
BOUND_BEFORE = 60
BOUND_AFTER = 100
PARTICIPANT_GAP = 70
COUNTRY_SUBJECT_GAP = 2
PROGRAMME_PERIODS = {(2000, 2006), (2007, 2013), (2014, 2020), (2021, 2027), (2028, 2034)}


# ---------------------------------------------------------------- cue words


@dataclass(frozen=True)
class Cue:
    """One cue word found in the text."""

    start: int
    end: int
    name: str


def _cue_alternation(words: Iterable[str]) -> str:
    parts = []
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        if w.endswith("*"):
            parts.append(regex.escape(w[:-1]) + r"\p{L}{0,5}")
        else:
            parts.append(regex.escape(w).replace(r"\ ", r"\s+"))
    return "|".join(parts)


def cue_pattern(lang: Language, name: str) -> regex.Pattern | None:
    """The cue words `name` of a language as one case-insensitive, word-bounded pattern."""
    return _compile_cues(tuple(w for w in lang.cues(name) if w.strip()))


@functools.cache
def _compile_cues(words: tuple[str, ...]) -> regex.Pattern | None:
    if not words:
        return None
    return regex.compile(
        rf"(?<![\p{{L}}\d])(?:{_cue_alternation(words)})(?![\p{{L}}])", regex.IGNORECASE
    )


def find_cues(
    text: str, lang: Language, names: Iterable[str], start: int = 0, end: int = -1
) -> list[Cue]:
    """Cue words of the lists `names` in text[start:end]; a cue inside a longer one is dropped."""
    end = len(text) if end < 0 else end
    found: list[Cue] = []
    for name in names:
        pattern = cue_pattern(lang, name)
        if pattern is None:
            continue
        found += [Cue(m.start(), m.end(), name) for m in pattern.finditer(text, start, end)]
    found.sort(key=lambda c: (c.start, -(c.end - c.start), c.name))
    out: list[Cue] = []
    reach = -1  # furthest end of the cues that start before the current start
    group_start, group_end = -1, -1  # the current start, and the furthest end of its cues
    for c in found:
        if c.start != group_start:
            reach, group_start, group_end = max(reach, group_end), c.start, -1
        if reach < c.end and group_end <= c.end:
            out.append(c)
        group_end = max(group_end, c.end)
    return out


# ---------------------------------------------------------------- text structure


@dataclass
class Layout:
    """Sentence and paragraph spans of a text; sentences never cut through a mention."""

    sentences: list[tuple[int, int]]
    paragraphs: list[tuple[int, int]]

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence holding position `pos`."""
        return _index_of(self.sentences, pos)

    def paragraph_of(self, pos: int) -> int:
        """Index of the paragraph holding position `pos`."""
        return _index_of(self.paragraphs, pos)


def _index_of(spans: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(spans) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if spans[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


def layout(text: str, mentions: list[Mention]) -> Layout:
    """Split text into sentences (at . ! ? and line ends) and paragraphs (at blank lines)."""
    protected = [(m.start, m.end) for m in mentions]
    cuts = [0]
    for m in SENTENCE_END.finditer(text):
        cut = m.end() if m.group(0) != "\n" else m.end()
        if m.group(0) != "\n" and ABBREVIATION.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        if any(s < m.start() < e for s, e in protected):
            continue
        cuts.append(cut)
    cuts.append(len(text))
    sentences = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a] or [(0, len(text))]
    pcuts = [0] + [m.end() for m in PARAGRAPH_BREAK.finditer(text)] + [len(text)]
    paragraphs = [(a, b) for a, b in zip(pcuts, pcuts[1:], strict=False) if b > a] or [
        (0, len(text))
    ]
    return Layout(sentences, paragraphs)


# ---------------------------------------------------------------- project names


def name_key(s: str) -> str:
    """Comparison key of a name: case, spaces, punctuation and accents ignored."""
    s = unicodedata.normalize("NFKD", s).casefold()
    return "".join(ch for ch in s if ch.isalnum())


def is_acronym_like(s: str) -> bool:
    """One token without spaces (eT4S, MME, InvesTech, TRAIN4.0, Degrebe)."""
    return bool(s) and " " not in s.strip() and len(s) <= 25


def split_name(value: str) -> tuple[str | None, str | None]:
    """(acronym, name) of one project mention's value."""
    v = " ".join(value.strip(QUOTES).split())
    if not v:
        return None, None
    parts = SPACED_DASH.split(v, maxsplit=1)
    if len(parts) == 2:
        a, b = (p.strip(QUOTES + ".,;:") for p in parts)
        wa, wb = len(a.split()), len(b.split())
        if a and b and wa <= 3 and wb >= 2 * wa + 1:
            return a, b
        if a and b and wb <= 3 and wa >= 2 * wb + 1:
            return b, a
    if is_acronym_like(v):
        return v, None
    return None, v


def initials(name: str, connectors: bool = False) -> list[str]:
    """Lower-cased initials of a name's words and camel-case humps (connectors left out
    unless asked for)."""
    out = []
    for token in NAME_TOKEN.findall(name):
        if not connectors and token.casefold() in CONNECTORS:
            continue
        out += [h[0].casefold() for h in CAMEL_HUMP.findall(token)]
    return out


def acronym_fits(acronym: str, name: str) -> bool:
    """True when the acronym's first letter and capitals follow the name's initials in order."""
    if not acronym or not name or name_key(acronym) == name_key(name):
        return False
    letters = [
        ch.casefold() for i, ch in enumerate(acronym) if ch.isalpha() and (i == 0 or ch.isupper())
    ]
    inits = initials(name, connectors=True)
    if len(letters) < 2 or not inits or letters[0] != inits[0]:
        return False
    i = 1
    for ch in letters[1:]:
        while i < len(inits) and inits[i] != ch:
            i += 1
        if i == len(inits):
            return False
        i += 1
    return True


@dataclass
class Record:
    """A project under construction: its names, acronyms, mentions and anchors."""

    names: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    anchors: list[tuple[int, int]] = field(default_factory=list)
    project_id: str = ""

    @property
    def first(self) -> int:
        return min((m.start for m in self.mentions), default=0)

    def keys(self) -> set[str]:
        return {name_key(x) for x in self.names + self.acronyms if name_key(x)}

    def add(self, acronym: str | None, name: str | None, mention: Mention) -> None:
        if acronym and acronym not in self.acronyms:
            self.acronyms.append(acronym)
        if name and name not in self.names:
            self.names.append(name)
        if mention not in self.mentions:
            self.mentions.append(mention)

    def merge(self, other: Record) -> None:
        for a in other.acronyms:
            if a not in self.acronyms:
                self.acronyms.append(a)
        for n in other.names:
            if n not in self.names:
                self.names.append(n)
        self.mentions += [m for m in other.mentions if m not in self.mentions]

    def settle(self) -> tuple[str | None, str | None, list[str]]:
        """(name, acronym, aliases): a one-token "acronym" equal to a name is the name."""
        names = list(self.names)
        acronyms = [a for a in self.acronyms if name_key(a) not in {name_key(n) for n in names}]
        if not names and len(acronyms) > 1:
            longest = max(acronyms, key=len)
            if any(acronym_fits(a, longest) for a in acronyms if a != longest):
                names, acronyms = [longest], [a for a in acronyms if a != longest]
        name = names[0] if names else None
        acronym = acronyms[0] if acronyms else None
        aliases = [x for x in names[1:] + acronyms[1:]]
        return name, acronym, aliases


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _stop_keys(lang: Language) -> set[str]:
    return {name_key(k) for k, v in lang.table("project", "stop").items() if v}


def project_records(doc: Document, lang: Language) -> list[Record]:
    """The projects named in the page, one record each, in order of first appearance."""
    text = doc.text
    blocked = [(m.start, m.end) for m in doc.mentions if m.kind in ("programme", "country")]
    stop = _stop_keys(lang)
    mentions = [
        m
        for m in doc.mentions
        if m.kind == "project"
        and (m.value or m.text).strip(QUOTES)
        and not any(b[0] <= m.start and m.end <= b[1] for b in blocked)
        and name_key(m.value or m.text) not in stop
    ]
    mentions.sort(key=lambda m: (m.start, m.end))
    records: list[Record] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        acronym, name = split_name(m.value or m.text)
        rec = Record()
        rec.add(acronym, name, m)
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt is not None:
            gap = text[m.end : nxt.start]
            value = nxt.value or nxt.text
            if regex.fullmatch(r"[\s\"'“”„«»]*\(\s*", gap) and is_acronym_like(value):
                rec.names = [x for x in rec.names + rec.acronyms if x]
                rec.acronyms = []
                rec.add(value, None, nxt)
                i += 1
            elif regex.fullmatch(r"\s*[-–—]\s*", gap):
                a2, n2 = split_name(f"{m.value or m.text} - {value}")
                rec = Record()
                rec.add(a2, n2, m)
                rec.mentions.append(nxt)
                i += 1
        records.append(rec)
        i += 1
    records = _merge_records(records)
    records = [r for r in records if not _is_network(r, doc, lang)]
    for rec in records:
        rec.anchors = _anchors(text, rec)
    records.sort(key=lambda r: r.first)
    return records


def _merge_records(records: list[Record]) -> list[Record]:
    merged: list[Record] = []
    for rec in records:
        target = next((r for r in merged if r.keys() & rec.keys()), None)
        if target is None:
            merged.append(rec)
        else:
            target.merge(rec)
    # an acronym-only record joins the one named record whose initials it fits
    out: list[Record] = []
    for rec in merged:
        if rec.names or not rec.acronyms:
            out.append(rec)
            continue
        fits = [
            r
            for r in merged
            if r is not rec
            and r.names
            and not r.acronyms
            and any(acronym_fits(a, n) for a in rec.acronyms for n in r.names)
        ]
        if len(fits) == 1:
            fits[0].merge(rec)
        else:
            out.append(rec)
    return [r for r in out if r.names or r.acronyms]


def _surface_pattern(surface: str) -> regex.Pattern:
    body = r"\s+".join(regex.escape(w) for w in surface.split())
    flags = 0 if is_acronym_like(surface) else regex.IGNORECASE
    return regex.compile(rf"(?<![\p{{L}}\d])(?:{body})(?![\p{{L}}\d])", flags)


def _anchors(text: str, rec: Record) -> list[tuple[int, int]]:
    spans = {(m.start, m.end) for m in rec.mentions}
    for surface in rec.names + rec.acronyms:
        if len(surface) >= 3 or surface.isupper():
            spans |= {(m.start(), m.end()) for m in _surface_pattern(surface).finditer(text)}
    return sorted(spans)


def _is_network(rec: Record, doc: Document, lang: Language) -> bool:
    """True when the page also calls one of the record's names a network, cluster, initiative."""
    cue = cue_pattern(lang, "not_project")
    if cue is None:
        return False
    text = doc.text
    for surface in rec.names + rec.acronyms:
        for m in _surface_pattern(surface).finditer(text):
            before = text[max(0, m.start() - 40) : m.start()]
            after = text[m.end() : m.end() + 30]
            b = regex.search(rf"(?:{cue.pattern})[\s\"'“”„«»]*$", before, regex.IGNORECASE)
            a = regex.match(
                rf"[\s\"'“”„«»]*(?:\(\p{{Lu}}{{2,8}}\)\s*)?(?:{cue.pattern})",
                after,
                regex.IGNORECASE,
            )
            if b or a:
                return True
    return False


# ---------------------------------------------------------------- attributes


@dataclass(frozen=True)
class Claim:
    """A mention offered to a project: lower tier and distance win."""

    tier: int
    distance: int
    mention: Mention
    value: object


def owner(
    pos: tuple[int, int], records: list[Record], lay: Layout
) -> tuple[Record, int, int] | None:
    """The project a span belongs to: nearest named in its sentence, else the last named before."""
    s = lay.sentences[lay.sentence_of(pos[0])]
    best = None
    for rec in records:
        for a in rec.anchors:
            if s[0] <= a[0] < s[1]:
                d = max(a[0] - pos[1], pos[0] - a[1], 0)
                key = (d, 0 if a[1] <= pos[0] else 1)
                if best is None or key < best[0]:
                    best = (key, rec)
    if best is not None:
        return best[1], 0, best[0][0]
    before = [(pos[0] - a[1], rec) for rec in records for a in rec.anchors if a[1] <= pos[0]]
    if before:
        d, rec = min(before, key=lambda x: x[0])
        return rec, 1, d
    if len(records) == 1:
        return records[0], 2, 0
    return None


def classify(
    text: str,
    m: Mention,
    same_kind: list[Mention],
    lay: Layout,
    lang: Language,
    names: tuple[str, ...],
) -> str | None:
    """The nearest cue category around a mention: before it first, then after it. A veto
    cue (a partner's share, a signature date) anywhere before it in its clause wins."""
    s0, s1 = lay.sentences[lay.sentence_of(m.start)]
    prev_end = max([x.end for x in same_kind if x.end <= m.start and x is not m] + [s0])
    next_start = min([x.start for x in same_kind if x.start >= m.end and x is not m] + [s1])
    before = find_cues(text, lang, names, prev_end, m.start)
    veto = [c for c in before if c.name in VETO_CUES]
    if veto:
        return veto[-1].name
    if before:
        return max(before, key=lambda c: c.end).name
    after = find_cues(text, lang, names, m.end, max(m.end, next_start))
    if after:
        return min(after, key=lambda c: c.start).name
    return None


def _year_pair(m: Mention, mentions: list[Mention]) -> tuple[int, int] | None:
    """(start year, end year) when a year range is given as two date values on one span."""
    same = sorted(
        int(x.value)
        for x in mentions
        if x.kind == "date"
        and (x.start, x.end) == (m.start, m.end)
        and regex.fullmatch(r"\d{4}", x.value or "")
    )
    if (
        len(same) != 2
        or same[0] >= same[1]
        or tuple(same) in PROGRAMME_PERIODS
        or same[1] - same[0] > 8
    ):
        return None
    return same[0], same[1]


def _near_project_or_programme(
    text: str, m: Mention, records: list[Record], mentions: list[Mention]
) -> bool:
    spans = [a for r in records for a in r.anchors] + [
        (x.start, x.end) for x in mentions if x.kind == "programme"
    ]
    for a in spans:
        gap = text[a[1] : m.start] if a[1] <= m.start else ""
        if a[1] <= m.start and len(gap) <= YEAR_PAIR_GAP and "\n" not in gap:
            return True
    return False


def _has_project_word(
    text: str, span: tuple[int, int], lang: Language, records: list[Record]
) -> bool:
    if any(span[0] <= a[0] < span[1] for r in records for a in r.anchors):
        return True
    return bool(find_cues(text, lang, ["project_word"], span[0], span[1]))


def assign_attributes(
    doc: Document, records: list[Record], lay: Layout, lang: Language
) -> dict[int, dict[str, Claim]]:
    """Per record index, the winning claim for each attribute."""
    text = doc.text
    index = {id(r): i for i, r in enumerate(records)}
    won: dict[int, dict[str, Claim]] = {i: {} for i in range(len(records))}
    by_kind: dict[str, list[Mention]] = {}
    for m in doc.mentions:
        by_kind.setdefault(m.kind, []).append(m)

    def offer(field_: str, m: Mention, value: object, tier_bonus: int = 0) -> None:
        got = owner((m.start, m.end), records, lay)
        if got is None:
            return
        rec, tier, dist = got
        claim = Claim(tier + tier_bonus, dist, m, value)
        slot = won[index[id(rec)]]
        old = slot.get(field_)
        if old is None or (claim.tier, claim.distance, m.start) < (
            old.tier,
            old.distance,
            old.mention.start,
        ):
            slot[field_] = claim

    for m in by_kind.get("programme", []):
        got = owner((m.start, m.end), records, lay)
        if got is not None and got[1] == 0:
            offer("programme", m, m.value)
    for m in by_kind.get("grant_number", []):
        offer("grant_number", m, m.value)
    money = by_kind.get("money", [])
    for m in money:
        if m.amount is None:
            continue
        kind = classify(text, m, money, lay, lang, ("budget", "eu_contribution", "share"))
        if kind in ("budget", "eu_contribution"):
            offer(
                "total_budget" if kind == "budget" else "eu_contribution", m, (m.amount, m.currency)
            )
    dates = by_kind.get("date", [])
    seen_pairs: set[tuple[int, int]] = set()
    # "between July 2017 and January 2019": the date joined to a start date ends the range
    join = regex.compile(rf"\s*(?:{lang.get('fragments', {}).get('RANGE_JOIN') or '[-–]'})\s*")
    last_start: Mention | None = None
    for m in dates:
        pair = _year_pair(m, dates)
        if pair is not None:
            if (m.start, m.end) in seen_pairs or not _near_project_or_programme(
                text, m, records, doc.mentions
            ):
                continue
            seen_pairs.add((m.start, m.end))
            offer("start_date", m, str(pair[0]), tier_bonus=3)
            offer("end_date", m, str(pair[1]), tier_bonus=3)
            continue
        if (m.start, m.end) in seen_pairs:
            continue
        kind = classify(text, m, dates, lay, lang, ("start", "end", "not_start"))
        if (
            kind is None
            and last_start is not None
            and join.fullmatch(text, last_start.end, m.start)
        ):
            kind = "end"
        if kind == "start":
            offer("start_date", m, m.value)
        elif kind == "end":
            offer("end_date", m, m.value)
        last_start = m if kind == "start" else None
    for m in by_kind.get("duration", []):
        s = lay.sentences[lay.sentence_of(m.start)]
        if find_cues(text, lang, ["duration"], s[0], s[1]) or _has_project_word(
            text, s, lang, records
        ):
            try:
                offer("duration_months", m, int(float(m.value or "")))
            except ValueError:
                continue
    _fill_programme(by_kind.get("programme", []), records, won, lay)
    return won


def _fill_programme(
    programmes: list[Mention], records: list[Record], won: dict[int, dict[str, Claim]], lay: Layout
) -> None:
    """A project without a programme in its sentence takes the programme named last before
    its first mention in the same paragraph (the heading or introduction its list hangs
    from), else the page's programme when the page names a single one."""
    named = [m for m in programmes if m.value]
    canon = {m.value for m in named}
    for i, rec in enumerate(records):
        if "programme" in won[i] or not rec.anchors:
            continue
        first = min(a[0] for a in rec.anchors)
        para = lay.paragraphs[lay.paragraph_of(first)]
        before = [m for m in named if para[0] <= m.start and m.end <= first]
        if before:
            won[i]["programme"] = Claim(9, first - before[-1].end, before[-1], before[-1].value)
        elif len(canon) == 1:
            won[i]["programme"] = Claim(9, 0, named[0], named[0].value)


# ---------------------------------------------------------------- partners


@dataclass
class Org:
    """An organisation span (a mention, or one line of a mention that spans several)."""

    start: int
    end: int
    name: str
    mention: Mention
    country: Mention | None = None
    extra: list[Mention] = field(default_factory=list)
    alias_of: Org | None = None


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut an organisation span at a sentence end inside it ("City. The") and trim it."""
    cut = SENTENCE_INSIDE.search(text, start, end)
    if cut:
        end = cut.start()
    while end > start and text[end - 1] in " ,;:-–.\t":
        end -= 1
    lead = regex.match(r"(?:[Tt]he\s+)?", text[start:end])
    return start + (lead.end() if lead else 0), end


def organisations(doc: Document, records: list[Record], lang: Language) -> list[Org]:
    """Organisation spans that may be partners: no project names, programmes or networks.

    A country written at the end of the span ("… NV - Belgium") becomes the organisation's
    country; an acronym right after a name ("Media City Bergen AS MCB") is its alias; a legal
    form on its own ("Martrain, CRL") joins the name before it.
    """
    text = doc.text
    project_spans = [a for r in records for a in r.anchors] + [
        (m.start, m.end) for m in doc.mentions if m.kind in ("project", "programme")
    ]
    countries = [m for m in doc.mentions if m.kind == "country"]
    keys = set().union(*(r.keys() for r in records)) if records else set()
    network = cue_pattern(lang, "network")
    legal = {w.casefold() for w in lang.cues("legal_form")}
    out: list[Org] = []
    for m in doc.mentions:
        if m.kind != "organization":
            continue
        pieces = _line_pieces(text, m.start, m.end)
        for piece in pieces:
            if len(pieces) > 1 and any(_overlaps(piece, (c.start, c.end)) for c in countries):
                continue
            start, end = _clean_span(text, *piece)
            country = None
            for c in countries:
                if start < c.start and c.end == end:
                    sep = regex.search(r"\s*[-–,;]\s*$", text[start : c.start])
                    if sep:
                        country, end = c, start + sep.start()
            if end - start < 2 or any(_overlaps((start, end), p) for p in project_spans):
                continue
            if any(c.start <= start and end <= c.end for c in countries):
                continue
            name = " ".join(text[start:end].split())
            if name_key(name) in keys:
                continue
            if network is not None and regex.search(
                rf"(?:{network.pattern})$", name, regex.IGNORECASE
            ):
                continue
            out.append(Org(start, end, name, m, country))
    out.sort(key=lambda o: (o.start, o.end))
    kept: list[Org] = []
    for o in out:
        prev = kept[-1] if kept else None
        gap = text[prev.end : o.start] if prev is not None and prev.end <= o.start else None
        if (
            prev is not None
            and gap is not None
            and o.name.casefold() in legal
            and regex.fullmatch(r",?[ \t]", gap)
        ):
            prev.name = f"{prev.name}{gap}{o.name}"
            prev.end = o.end
            prev.extra.append(o.mention)
            continue
        if (
            prev is not None
            and gap is not None
            and regex.fullmatch(r"[ \t]*\(?[ \t]*", gap)
            and regex.fullmatch(r"\p{Lu}[\p{Lu}\d&.]{1,7}", o.name)
            and ("(" in gap or _initials_start(o.name, prev.name))
        ):
            o.alias_of = prev.alias_of or prev
        kept.append(o)
    return kept


def _initials_start(acronym: str, name: str) -> bool:
    ini = "".join(initials(name))
    return bool(ini) and (ini.startswith(acronym.casefold()) or ini == acronym.casefold())


def _line_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The non-empty lines of a span (NER sometimes joins the rows of a table)."""
    pieces = []
    pos = start
    for line in text[start:end].split("\n"):
        s = pos + len(line) - len(line.lstrip())
        e = pos + len(line.rstrip())
        if e > s:
            pieces.append((s, e))
        pos += len(line) + 1
    return pieces


@dataclass
class Tie:
    """An organisation found to be a partner, with its role, country and projects."""

    org: Org
    role: str | None
    records: list[Record]
    country: Mention | None = None


def _org_between(a: int, b: int, orgs: list[Org], me: Org) -> bool:
    lo, hi = min(a, b), max(a, b)
    return any(o is not me and o.alias_of is not me and o.start >= lo and o.end <= hi for o in orgs)


def _cue_owner(text: str, cue: Cue, orgs: list[Org]) -> Org | None:
    """The organisation a cue is written right after ("GAIA (coordinator)", "X, as the …")."""
    for o in orgs:
        if o.end <= cue.start and CUE_AFTER_NAME.fullmatch(text, o.end, cue.start):
            return o.alias_of or o
    return None


def bound_role(
    text: str,
    org: Org,
    orgs: list[Org],
    cues: list[Cue],
    lay: Layout,
    backward: frozenset[int] = frozenset(),
) -> str | None:
    """The role cue nearest to an organisation in its sentence with no other organisation
    between (coordinator and lead before partner); a cue written right after another
    organisation belongs to that one; a coordinator/lead cue in a relative clause (`backward`,
    by start) refers back, so an organisation written after it is only a partner."""
    s = lay.sentences[lay.sentence_of(org.start)]
    best = None
    for c in cues:
        if not (s[0] <= c.start < s[1]) or _overlaps((c.start, c.end), (org.start, org.end)):
            continue
        owner_ = _cue_owner(text, c, orgs)
        if owner_ is not None and owner_ is not org:
            continue
        name = c.name
        if c.end <= org.start:
            d = org.start - c.end
            if d > BOUND_BEFORE or _org_between(c.end, org.start, orgs, org):
                continue
            if c.start in backward:
                name = "partner"
        else:
            d = c.start - org.end
            if d > BOUND_AFTER or _org_between(org.end, c.start, orgs, org):
                continue
        key = (0 if name in ("coordinator", "lead") else 1, d)
        if best is None or key < best[0]:
            best = (key, name)
    return best[1] if best else None


def _line_is_list_item(
    text: str, a: int, b: int, orgs: list[Org], countries: list[Mention]
) -> bool:
    """A line that holds only organisations, countries and separators."""
    spans = [(o.start, o.end) for o in orgs if a <= o.start < b]
    if not spans:
        return False
    spans += [(c.start, c.end) for c in countries if a <= c.start < b]
    rest = "".join(
        ch for i, ch in enumerate(text[a:b], start=a) if not any(s <= i < e for s, e in spans)
    )
    return bool(regex.fullmatch(r"[\s,;:()\-–•*·]*(?:and|и|y)?[\s,;:()\-–•*·]*", rest))


def list_members(
    text: str, orgs: list[Org], countries: list[Mention], cues: list[Cue], lay: Layout
) -> dict[int, Cue]:
    """Organisations (by index) enumerated right after a partner-list cue, or alone on the
    short lines below a list header ("the consortium consists of:", "Beneficiary 2018 - 2021")."""
    members: dict[int, Cue] = {}
    starts = {o.start: i for i, o in enumerate(orgs)}
    country_at = {c.start: c for c in countries}
    for cue in cues:
        pos, filler_used = cue.end, False
        s_end = lay.sentences[lay.sentence_of(cue.start)][1]
        while pos < len(text):
            role = ROLE_IN_PARENTHESES.match(text, pos)
            if role:
                pos = role.end()
                continue
            sep = LIST_SEPARATOR.match(text, pos)
            if sep and sep.end() > pos:
                pos = sep.end()
                continue
            if pos in starts:
                i = starts[pos]
                members.setdefault(i, cue)
                pos = orgs[i].end
                continue
            if pos in country_at:
                pos = country_at[pos].end
                continue
            word = regex.match(r"\p{Lu}\p{Ll}+[ \t]+", text[pos:])
            if word and (pos + word.end()) in country_at:
                pos += word.end()
                continue
            place = LIST_PLACE.match(text, pos)
            if members and place:
                pos = place.end()
                continue
            nxt = min((o.start for o in orgs if o.start > pos), default=None)
            if (
                not filler_used
                and not members
                and nxt is not None
                and nxt - pos <= LIST_FILLER
                and nxt < s_end
                and not regex.search(r"[.!?:]\s", text[pos:nxt])
            ):
                filler_used = True
                pos = nxt
                continue
            break
        line_start = text.rfind("\n", 0, cue.start) + 1
        line_end = text.find("\n", cue.end)
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        header = len(line.split()) <= 6 and cue.start - line_start <= 3
        if header or line.rstrip().endswith(":"):
            pos = line_end + 1
            while pos < len(text):
                nl = text.find("\n", pos)
                nl = len(text) if nl < 0 else nl
                if len(text[pos:nl].split()) > SHORT_LINE_WORDS:
                    break
                if _line_is_list_item(text, pos, nl, orgs, countries):
                    for i, o in enumerate(orgs):
                        if pos <= o.start < nl:
                            members.setdefault(i, cue)
                pos = nl + 1
    return members


COUNTRY_GAP = regex.compile(
    r"[ \t]*(?:\(?\p{Lu}[\p{Lu}\d]{1,7}\)?[ \t]*)?(?:[,;(–-][ \t]*|[ \t])?"
    r"(?:\p{Lu}\p{Ll}+,?[ \t]+)?"
)
COUNTRY_END = regex.compile(
    r"[ \t]*(?:[,;.)]|(?:and|und|et|e|i|y|și|si|и|και|oraz|a)(?![\p{L}])|$)", regex.MULTILINE
)


def tied_country(
    text: str,
    org: Org,
    countries: list[Mention],
    orgs: list[Org],
    origin: regex.Pattern | None = None,
) -> Mention | None:
    """A country written right after the organisation (", Norway", "; Italy", " - Belgium",
    " (Chambéry, France)", after a preposition of origin `origin`: " din Serbia") or a
    nationality adjective right before it ("the Serbian Ecopanonia Cluster")."""
    if org.country is not None:
        return org.country
    for c in countries:
        if org.end <= c.start <= org.end + 24:
            gap = text[org.end : c.start]
            if (
                origin is not None
                and c.text[:1].isupper()
                and regex.fullmatch(rf"[ \t]+(?:{origin.pattern})[ \t]*", gap, regex.IGNORECASE)
                and COUNTRY_END.match(text, c.end)
            ):
                return c
            others = [
                o
                for o in orgs
                if o is not org and o.alias_of is not org and org.end <= o.start < c.start
            ]
            if not others and COUNTRY_GAP.fullmatch(gap) and COUNTRY_END.match(text, c.end):
                return c
        if (
            c.end < org.start
            and text[c.end : org.start] == " "
            and c.text[:1].isupper()
            and ADJECTIVE_PLACE.search(text, 0, c.start)
        ):
            return c
    return None


def tie_records(
    org: Org, records: list[Record], lay: Layout, text: str, lang: Language
) -> list[Record]:
    """The projects an organisation is a partner of: named in its sentence, else in the next
    sentence of the paragraph, else the project named last before it, else the only one."""
    si = lay.sentence_of(org.start)
    s = lay.sentences[si]
    here = [r for r in records if any(s[0] <= a[0] < s[1] for a in r.anchors)]
    if here:

        def dist(r: Record) -> int:
            return min(
                max(a[0] - org.end, org.start - a[1], 0) for a in r.anchors if s[0] <= a[0] < s[1]
            )

        return [min(here, key=dist)]
    if si + 1 < len(lay.sentences) and find_cues(text, lang, ["project_word"], s[0], s[1]):
        n = lay.sentences[si + 1]
        if lay.paragraph_of(n[0]) == lay.paragraph_of(s[0]):
            nxt = [r for r in records if any(n[0] <= a[0] < n[1] for a in r.anchors)]
            if nxt:
                return nxt
    got = owner((org.start, org.end), records, lay)
    return [got[0]] if got else []


def find_partners(doc: Document, records: list[Record], lay: Layout, lang: Language) -> list[Tie]:
    """Partner ties of the page's organisations (none on a page without a project)."""
    if not records:
        return []
    text = doc.text
    orgs = organisations(doc, records, lang)
    if not orgs:
        return []
    countries = [m for m in doc.mentions if m.kind == "country"]
    role_cues = find_cues(text, lang, ROLE_KINDS)
    list_cues = find_cues(text, lang, ["partner_list"])
    part_cues = find_cues(text, lang, ["participant"])
    side_cues = find_cues(text, lang, ["country_side"])
    members = list_members(text, orgs, countries, list_cues, lay)
    backward = _relative_cues(text, role_cues, lang)
    origin = cue_pattern(lang, "country_from")
    single = len(records) == 1
    ties: list[Tie] = []
    by_org: dict[int, Tie] = {}
    for i, org in enumerate(orgs):
        if org.alias_of is not None:
            continue
        s = lay.sentences[lay.sentence_of(org.start)]
        about_project = _has_project_word(text, s, lang, records)
        member = i in members
        if member:
            cs = lay.sentences[lay.sentence_of(members[i].start)]
            member = single or _has_project_word(text, cs, lang, records)
        role = bound_role(text, org, orgs, role_cues, lay, backward)
        # a sentence naming the coordinator by a relative clause lists the consortium
        relative_here = single and any(s[0] <= b < org.start for b in backward)
        if relative_here and role is None:
            role = "partner"
        if not (
            about_project or member or relative_here or (single and role in ("coordinator", "lead"))
        ):
            role = None
        subject = _country_subject(org, orgs, countries, part_cues, s) if about_project else None
        participant = subject is not None or (
            about_project and _participates(text, org, orgs, part_cues, s)
        )
        if not (member or participant or role):
            continue
        if role is None and (
            member
            or any(c.name == "partner" and s[0] <= c.start < s[1] for c in role_cues)
            or _partner_cue_earlier(text, org, lay, lang)
        ):
            role = "partner"
        recs = tie_records(org, records, lay, text, lang)
        country = subject or tied_country(text, org, countries, orgs, origin)
        tie = Tie(org, role, recs, country or _side_country(text, org, countries, side_cues, s))
        ties.append(tie)
        by_org[id(org)] = tie
    for org in orgs:
        if org.alias_of is not None and id(org.alias_of) in by_org:
            tie = by_org[id(org.alias_of)]
            tie.org.extra.append(org.mention)
            if tie.country is None:
                tie.country = tied_country(text, org, countries, orgs, origin)
    _anaphoric_roles(text, ties, orgs, role_cues, lay)
    return ties


def _relative_cues(text: str, cues: list[Cue], lang: Language) -> frozenset[int]:
    """Starts of the role cues written in a relative clause ("…, che ne è capofila, …")."""
    rel = cue_pattern(lang, "relative_role")
    if rel is None:
        return frozenset()
    tail = regex.compile(rf"(?:{rel.pattern})\s*$", regex.IGNORECASE)
    return frozenset(c.start for c in cues if tail.search(text, max(0, c.start - 40), c.start))


def _country_subject(
    org: Org, orgs: list[Org], countries: list[Mention], cues: list[Cue], s: tuple[int, int]
) -> Mention | None:
    """ "Bulgaria participates in this project through the Cluster …": a country that is the
    subject of a participation cue belongs to the one organisation of its sentence."""
    if sum(1 for o in orgs if s[0] <= o.start < s[1] and o.alias_of is None) != 1:
        return None
    for c in countries:
        if (
            s[0] <= c.start < s[1]
            and c.end <= org.start
            and c.text[:1].isupper()
            and any(0 <= q.start - c.end <= COUNTRY_SUBJECT_GAP for q in cues)
        ):
            return c
    return None


def _side_country(
    text: str, org: Org, countries: list[Mention], cues: list[Cue], s: tuple[int, int]
) -> Mention | None:
    """ "From the Greek side, the Region of Epirus …": the last "<nationality> side" written
    before the organisation in its sentence gives its country."""
    best = None
    for c in countries:
        if (
            s[0] <= c.start
            and c.end <= org.start
            and any(
                q.start > c.end and q.end <= org.start and not text[c.end : q.start].strip()
                for q in cues
            )
        ):
            best = c
    return best


def _participates(
    text: str, org: Org, orgs: list[Org], cues: list[Cue], s: tuple[int, int]
) -> bool:
    """The organisation is the subject of a participation cue: written shortly before it."""
    for c in cues:
        if (
            s[0] <= c.start < s[1]
            and org.end <= c.start <= org.end + PARTICIPANT_GAP
            and not _org_between(org.end, c.start, orgs, org)
        ):
            return True
    return False


def _partner_cue_earlier(text: str, org: Org, lay: Layout, lang: Language) -> bool:
    """A partner-list cue earlier in the organisation's paragraph or the one before."""
    pi = lay.paragraph_of(org.start)
    start = lay.paragraphs[max(0, pi - 1)][0]
    return bool(find_cues(text, lang, ["partner_list"], start, org.start))


def _anaphoric_roles(
    text: str, ties: list[Tie], orgs: list[Org], cues: list[Cue], lay: Layout
) -> None:
    """A coordinator/lead cue in a sentence without organisations ("The institution is the
    coordinator") gives its role to the partner named last in the sentence before."""
    for c in cues:
        if c.name not in ("coordinator", "lead"):
            continue
        si = lay.sentence_of(c.start)
        s = lay.sentences[si]
        if si == 0 or any(s[0] <= o.start < s[1] for o in orgs):
            continue
        p = lay.sentences[si - 1]
        prev = [t for t in ties if p[0] <= t.org.start < p[1]]
        if prev and lay.paragraph_of(p[0]) == lay.paragraph_of(s[0]):
            last = max(prev, key=lambda t: t.org.start)
            if ROLE_RANK.get(c.name, 0) > ROLE_RANK.get(last.role or "", 0):
                last.role = c.name


def _same_org(a: str, b: str) -> bool:
    """The same organisation written twice: equal, an acronym of the other, or one name's
    words all inside the other's with the same first word."""
    ka, kb = name_key(a), name_key(b)
    if ka == kb:
        return True
    for x, y in ((a, b), (b, a)):
        if (
            is_acronym_like(x)
            and x.isupper()
            and len(x) >= max(2, len(initials(y)) - 1)
            and _initials_start(x, y)
        ):
            return True
    wa, wb = a.casefold().split(), b.casefold().split()
    if len(wa) >= 2 and len(wb) >= 2 and wa[0] == wb[0]:
        short, long_ = sorted((wa, wb), key=len)
        return set(short) <= set(long_)
    return False


# ---------------------------------------------------------------- the stage


def link(doc: Document) -> Document:
    """Fill doc.projects and doc.partners from doc.mentions; set Mention.project_id."""
    doc.projects, doc.partners = [], []
    for m in doc.mentions:
        m.project_id = None
    if not doc.text or not doc.mentions:
        return doc
    lang = load_language(doc.language or "und")
    records = project_records(doc, lang)
    lay = layout(doc.text, doc.mentions)
    for n, rec in enumerate(records, start=1):
        rec.project_id = f"{doc.doc_id}-p{n}"
    won = assign_attributes(doc, records, lay, lang)
    for i, rec in enumerate(records):
        doc.projects.append(_project(rec, won[i]))
        for m in rec.mentions:
            m.project_id = rec.project_id
        for claim in won[i].values():
            if claim.tier < 9:
                claim.mention.project_id = rec.project_id
    doc.partners = _partner_rows(find_partners(doc, records, lay, lang))
    _lead_by_programme(doc.partners, doc.projects, lang)
    return doc


def _lead_by_programme(partners: list[Partner], projects: list[Project], lang: Language) -> None:
    """ "Lead" is the Interreg/transnational wording: under another named programme
    (Erasmus+ "capofila", Horizon "lead partner") the organisation is the coordinator."""
    lead = {name_key(k) for k, v in lang.table("project", "lead_programmes").items() if v}
    programme = {p.project_id: p.programme for p in projects}
    for row in partners:
        prog = programme.get(row.project_id)
        if row.role == "lead" and prog and not any(name_key(prog).startswith(k) for k in lead):
            row.role = "coordinator"


def _project(rec: Record, won: dict[str, Claim]) -> Project:
    name, acronym, aliases = rec.settle()
    p = Project(project_id=rec.project_id, name=name, acronym=acronym, aliases=aliases)
    get = {k: c.value for k, c in won.items()}
    p.programme = get.get("programme")  # type: ignore[assignment]
    p.grant_number = get.get("grant_number")  # type: ignore[assignment]
    p.start_date = get.get("start_date")  # type: ignore[assignment]
    p.end_date = get.get("end_date")  # type: ignore[assignment]
    p.duration_months = get.get("duration_months")  # type: ignore[assignment]
    total, eu = get.get("total_budget"), get.get("eu_contribution")
    if total is not None:
        p.total_budget, p.currency = total  # type: ignore[misc]
    if eu is not None and (p.currency is None or eu[1] == p.currency):  # type: ignore[index]
        p.eu_contribution, p.currency = eu  # type: ignore[misc]
    return p


def _partner_rows(ties: list[Tie]) -> list[Partner]:
    """One row per (project, organisation): variants merged, the strongest role kept."""
    rows: list[tuple[Partner, list[Mention]]] = []
    for t in ties:
        for rec in t.records or [None]:
            pid = rec.project_id if rec is not None else None
            row = next(
                (
                    r
                    for r in rows
                    if r[0].project_id == pid and _same_org(r[0].organization, t.org.name)
                ),
                None,
            )
            if row is None:
                row = (Partner(organization=t.org.name, project_id=pid), [])
                rows.append(row)
            partner, used = row
            if is_acronym_like(partner.organization) and not is_acronym_like(t.org.name):
                partner.organization = t.org.name
            if ROLE_RANK.get(t.role or "", 0) > ROLE_RANK.get(partner.role or "", 0):
                partner.role = t.role
            if partner.country is None and t.country is not None:
                partner.country = t.country.value
                used.append(t.country)
            used += [t.org.mention, *t.org.extra]
    for partner, used in rows:
        if partner.project_id is not None:
            for m in used:
                m.project_id = partner.project_id
    return [p for p, _ in rows]
