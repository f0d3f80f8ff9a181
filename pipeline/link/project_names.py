"""Project names: split into name and acronym, grouped into one record per project.

The `project` mentions (rules/<lang>/project.toml) are split into name and acronym
("Skills4Cities - Smart Skills for Smarter Cities", "Name (ACR)") and grouped into one
record per project: the same name or acronym (spaces and case ignored), or an acronym whose
letters fit the initials of a name (eT4S ~ European Technology for Sustainable
Development). Mentions that are programme names are dropped, and so is a record the page
also calls a network, cluster or initiative (a `not_project` cue word right before or after
one of its names) or names only right after a call for proposals (a `call` cue). A
record's anchors are every place the text names it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

import regex

from pipeline.document import Document, Mention
from pipeline.langdata import Language, alternation, words
from pipeline.link.cues import cue_pattern, ignorecase

QUOTES_GAP = r"[\s\"'“”„«»]*"  # spaces and quotes between a cue and a name
ACRONYM_IN_BRACKETS = r"(?:\(\p{Lu}{2,8}\)\s*)?"  # an optional "(ACRONYM)"
SPACED_DASH = regex.compile(r"\s[-–—]\s")
# "B-LAND: Promote and Strengthen …": an acronym, a colon, the full name
ACRONYM_COLON = regex.compile(r"(\S*\p{Lu}\S*\p{Lu}\S*):\s+(\p{Lu}.*)")
# "… – Фаза II", "… – втора фаза", "… - Phase 2": a phase of the project, not its acronym.
PHASE = regex.compile(
    rf"(?i)^(?:(?:{alternation('phase_words')})\s+[\p{{L}}\d]+"
    rf"|[\p{{L}}\d]+\s+(?:{alternation('phase_words')}))$"
)
QUOTES = " \t\"'“”„«»‘’`"
DASH_GAP = regex.compile(r"\s*[-–—:]\s*")
SENTENCE_END = regex.compile(r"[.!?\n]")
NAME_TOKEN = regex.compile(r"[\p{L}\p{M}\d]+")
CAMEL_HUMP = regex.compile(r"\p{Lu}[\p{Ll}\p{M}]*|\p{Ll}[\p{Ll}\p{M}]*|\d+")
CONNECTORS = frozenset(words("name_connectors"))


@lru_cache(maxsize=16384)
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
        if PHASE.match(b):
            return None, v
        wa, wb = len(a.split()), len(b.split())
        if a and b and wa <= 3 and wb >= 2 * wa + 1:
            return a, b
        if a and b and wb <= 3 and wa >= 2 * wb + 1:
            return b, a
    colon = ACRONYM_COLON.fullmatch(v)
    if colon and len(colon[1]) <= 25 and len(colon[2].split()) >= 2:
        return colon[1], colon[2].strip(QUOTES + ".,;:")
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
    if name == name.upper():  # a name in capitals: its words' initials, not every letter
        inits = [t[0].casefold() for t in NAME_TOKEN.findall(name)]
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

    def match_keys(self) -> set[str]:
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


def _stop_keys(lang: Language) -> set[str]:
    return {name_key(k) for k, v in lang.table("project", "stop").items() if v}


@cache
def _acronym_gap(acronym_word: str | None) -> regex.Pattern:
    """The gap between a name and its acronym: " (", with the cue `acronym_word` (a pattern's
    source) perhaps ("(acronym: ")."""
    return regex.compile(
        r"[\s\"'“”„«»]*\(\s*"
        + (rf"(?:(?:{acronym_word})\s*:?\s*[\"'“”„«»]?)?" if acronym_word else ""),
        regex.IGNORECASE,
    )


def project_records(doc: Document, lang: Language) -> list[Record]:
    """The projects named in the page, one record each, in order of first appearance."""
    text = doc.text
    blocked = [(m.start, m.end) for m in doc.mentions if m.kind in ("programme", "country")]
    kept = {name_key(k) for k, v in lang.table("project", "programme_in_name").items() if v}
    programmes = [m for m in doc.mentions if m.kind == "programme"]
    strippable = [p for p in programmes if name_key(p.value or p.text) not in kept]
    acronym_word = cue_pattern(lang, "acronym")
    acronym_gap = _acronym_gap(acronym_word.pattern if acronym_word else None)
    stop = _stop_keys(lang)
    # a name the page also gives as an organisation ("Slovenská akadémia vied (SAV)", then
    # "cieľom projektu SAV") is the organisation, not a project
    orgs = {name_key(m.value or m.text) for m in doc.mentions if m.kind == "organization"}
    mentions = [
        m
        for m in doc.mentions
        if m.kind == "project"
        and (m.value or m.text).strip(QUOTES)
        and not any(b[0] <= m.start and m.end <= b[1] for b in blocked)
        and name_key(m.value or m.text) not in stop | orgs
    ]
    mentions.sort(key=lambda m: (m.start, m.end))
    records: list[Record] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        acronym, name = split_name(_without_programme(m, strippable))
        rec = Record()
        rec.add(acronym, name, m)
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt is not None:
            gap = text[m.end : nxt.start]
            value = nxt.value or nxt.text
            if acronym_gap.fullmatch(gap) and is_acronym_like(value):
                rec.names = [x for x in rec.names + rec.acronyms if x]
                rec.acronyms = []
                rec.add(value, None, nxt)
                i += 1
            elif DASH_GAP.fullmatch(gap):
                a2, n2 = split_name(f"{m.value or m.text} - {value}")
                rec = Record()
                rec.add(a2, n2, m)
                rec.mentions.append(nxt)
                i += 1
        records.append(rec)
        i += 1
    records = _merge_records(records)
    records = [r for r in records if not _is_not_project(r, doc, lang)]
    for rec in records:
        rec.anchors = _anchors(text, rec)
    records.sort(key=lambda r: r.first)
    return records


def _without_programme(m: Mention, programmes: list[Mention]) -> str:
    """A mention's value without a programme name written at its start: "Horizon 2020 Smart
    Schools" is Smart Schools; the strand words of the programme before a closing acronym
    go too ("Interreg Europe EURE" is the project EURE)."""
    value = m.value or m.text
    for p in programmes:
        if p.start == m.start and p.end < m.end:
            words = m.text[p.end - m.start :].strip(QUOTES + ".,;:-–").split()
            if (
                len(words) > 1
                and all(_capitals(w) < 2 for w in words[:-1])
                and (_capitals(words[-1]) >= 2)
            ):
                return words[-1]
            if words:
                return " ".join(words)
    return value


def _capitals(word: str) -> int:
    return sum(1 for ch in word if ch.isupper())


def _merge_records(records: list[Record]) -> list[Record]:
    merged: list[Record] = []
    for rec in records:
        target = next((r for r in merged if r.match_keys() & rec.match_keys()), None)
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
    return _merge_extended([r for r in out if r.names or r.acronyms])


EXTENSION = regex.compile(r"\s*[(–—:,-]")  # what joins a name to its longer form


def _merge_extended(records: list[Record]) -> list[Record]:
    """A record whose name a later or earlier one writes out with more after a bracket, a dash,
    a colon or a comma ("SEAWISE" and "SEAWISE (Sea Wise Islands)", "Green Routes" and
    "Green Routes – cycling without borders") is the same project: one record."""
    out: list[Record] = []
    for rec in records:
        target = next((r for r in out if _extends(r, rec) or _extends(rec, r)), None)
        if target is None:
            out.append(rec)
        else:
            target.merge(rec)
    return out


def _extends(short: Record, long: Record) -> bool:
    """A surface of `long` is a surface of `short` followed by an extension."""
    return any(
        big.startswith(small) and EXTENSION.match(big, len(small))
        for small in short.names + short.acronyms
        if len(small) >= 3
        for big in long.names + long.acronyms
        if len(big) > len(small)
    )


@lru_cache(maxsize=4096)
def _surface_pattern(surface: str) -> regex.Pattern:
    """`surface` as a whole word sequence, any spacing (any case unless acronym-like)."""
    body = r"\s+".join(regex.escape(w) for w in surface.split())
    flags = 0 if is_acronym_like(surface) else regex.IGNORECASE
    return regex.compile(rf"(?<![\p{{L}}\d])(?:{body})(?![\p{{L}}\d])", flags)


def _anchors(text: str, rec: Record) -> list[tuple[int, int]]:
    spans = {(m.start, m.end) for m in rec.mentions}
    for surface in rec.names + rec.acronyms:
        if len(surface) >= 3 or surface.isupper():
            spans |= {(m.start(), m.end()) for m in _surface_pattern(surface).finditer(text)}
    return sorted(spans)


def _is_not_project(rec: Record, doc: Document, lang: Language) -> bool:
    """True when the page also calls one of the record's names a network, cluster, initiative
    (a `not_project` cue right before or after it), or names the record only right after a
    call for proposals in the same sentence (a `call` cue)."""
    network = cue_pattern(lang, "not_project")
    call = cue_pattern(lang, "call")
    text = doc.text
    places = [m for s in rec.names + rec.acronyms for m in _surface_pattern(s).finditer(text)]
    for m in places:
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 30]
        # the cue at the end of the text before (perhaps before quotes), or at the start of
        # the text after (perhaps after an "(ACRONYM)")
        if network is not None and (
            ignorecase(rf"(?:{network.pattern}){QUOTES_GAP}$").search(before)
            or ignorecase(rf"{QUOTES_GAP}{ACRONYM_IN_BRACKETS}(?:{network.pattern})").match(after)
        ):
            return True
    if call is None or not places:
        return False
    return all(_after_call(text, m.start(), call) for m in places)


def _after_call(text: str, start: int, call: regex.Pattern) -> bool:
    """True when a call cue comes before `start` in the same sentence (60 characters back)."""
    sentence = SENTENCE_END.split(text[max(0, start - 60) : start])[-1]
    return call.search(sentence) is not None
