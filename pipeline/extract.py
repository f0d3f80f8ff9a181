"""The extract stage: language rules + common rules (+ NER) over doc.text -> doc.mentions.

Steps: fold homoglyphs (Cyrillic/Greek look-alikes inside Latin words, one character for
one, so offsets hold); run every rule; add NER organisation candidates; derive acronyms of
organisations; resolve overlaps per kind (longest, then earliest, then rule order); drop
spans that sit inside a grant number or clash with a stronger kind; sort by
(start, end, kind, rule). `doc.text[m.start:m.end] == m.text` always.

Language routing: the rules of `doc.language` plus common/; a language without a folder
runs common/ plus the English rules (Latin-script numbers, codes, cue words) without NER.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.document import Document, Mention
from pipeline.ner import organization_candidates
from pipeline.normalize import NORMALIZERS, Hit, Normalized
from pipeline.rules import Language, Rule, RuleSet, load_rules

# Look-alike letters (Cyrillic, Greek) -> Latin, applied only inside words with Latin letters.
HOMOGLYPHS = str.maketrans(
    "АВЕКМНОРСТУХаеорсухіјѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοϲ",
    "ABEKMHOPCTYXaeopcyxijsdqwABEZHIKMNOPTYXoc",
)
LATIN = regex.compile(r"\p{Script=Latin}")
WORD = regex.compile(r"[\p{L}\p{M}]+")
NER_RULE = "ner.{model}.org"
ACRONYM_RULE = "{lang}.organization.acronym_of_name"
# Kinds whose spans other kinds may not enter (a grant number holds digits, codes, years).
CONTAINERS = ("grant_number",)
# An organisation that overlaps one of these is dropped (NER tags programmes and sums as ORG).
ORG_BLOCKERS = ("programme", "money", "date", "grant_number", "duration")


@dataclass(frozen=True)
class Candidate:
    """A proposed mention before overlap resolution."""

    kind: str
    start: int
    end: int
    rule: str
    order: int
    norm: Normalized


def fold_homoglyphs(text: str) -> str:
    """Replace Cyrillic/Greek look-alike letters inside Latin words by Latin ones (same length)."""

    def sub(m: regex.Match) -> str:
        word = m.group(0)
        if not LATIN.search(word):
            return word
        latin = sum(1 for ch in word if LATIN.match(ch))
        if latin * 2 < len(word) and len(word) > 2:
            return word
        return word.translate(HOMOGLYPHS)

    return WORD.sub(sub, text)


def run_rule(rule: Rule, text: str, lang: Language) -> list[Candidate]:
    """Every candidate of one rule over `text` (already folded)."""
    out: list[Candidate] = []
    normalizer = NORMALIZERS[rule.normalize]
    has_m = "m" in rule.pattern.groupindex
    for match in rule.pattern.finditer(text, overlapped=False):
        groups = {k: v for k, v in match.groupdict().items() if v is not None and k != "m"}
        spans = (
            list(zip(match.starts("m"), match.ends("m"), strict=True)) if has_m else [match.span()]
        )
        for start, end in spans:
            if start < 0 or end <= start:
                continue
            hit = Hit(text[start:end], groups, text, start, end, rule.value)
            result = normalizer(hit, lang)
            if result is None:
                continue
            for norm in result if isinstance(result, list) else [result]:
                out.append(Candidate(rule.kind, start, end, rule.id, rule.order, norm))
    return out


def _trim_org(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the" and a trailing possessive or punctuation from an org span."""
    span = text[start:end]
    lead = regex.match(r"(?:[Tt]he\s+)?", span).end()
    tail = regex.search(r"(?:['’]s?)?[\s,.;:–-]*$", span[lead:])
    cut = tail.start() if tail else len(span) - lead
    return start + lead, start + lead + cut


def ner_candidates(text: str, lang: Language, order: int) -> list[Candidate]:
    """Organisation candidates from the language's NER model (none when it names no model)."""
    model = lang.get("ner_model", "")
    out = []
    for ent in organization_candidates(text, lang):
        start, end = _trim_org(text, ent.start, ent.end)
        if end - start < 2:
            continue
        norm = NORMALIZERS["organization"](Hit(text[start:end], {}, text, start, end), lang)
        if isinstance(norm, Normalized):
            out.append(
                Candidate("organization", start, end, NER_RULE.format(model=model), order, norm)
            )
    return out


def _initials(name: str) -> str:
    """Capitals of a name's words, camelCase humps included: "FastTrack" -> "FT"."""
    return "".join(ch for ch in name if ch.isupper())


def acronym_candidates(
    text: str, orgs: list[Candidate], lang: Language, order: int
) -> list[Candidate]:
    """Acronyms of found organisations: "(CSKC)" after the name, or the same acronym elsewhere.

    An upper-case word counts when its letters are the initials of an organisation name
    found in the page (Cluster Sofia Knowledge City -> CSKC, АИКБ), or when it stands in
    parentheses or right after the name.
    """
    rule = ACRONYM_RULE.format(lang=lang.code)
    out: list[Candidate] = []
    initials = {}
    for c in orgs:
        name = text[c.start : c.end]
        ini = _initials(name)
        if len(ini) >= 2:
            initials[ini] = c
    for c in orgs:
        after = regex.match(r"\s*\((\p{Lu}[\p{Lu}\p{Ll}0-9&.]{1,9})\)", text[c.end :])
        if after and sum(ch.isupper() for ch in after.group(1)) >= 2:
            s = c.end + after.start(1)
            e = c.end + after.end(1)
            out.append(Candidate("organization", s, e, rule, order, Normalized(after.group(1))))
    if initials:
        pattern = regex.compile(
            r"(?<![\p{L}\d])(?:"
            + "|".join(regex.escape(k) for k in sorted(initials, key=len, reverse=True))
            + r")(?![\p{L}\d])"
        )
        for m in pattern.finditer(text):
            out.append(
                Candidate("organization", m.start(), m.end(), rule, order, Normalized(m.group(0)))
            )
    return out


def split_trailing_acronym(text: str, c: Candidate, lang: Language, order: int) -> list[Candidate]:
    """ "Media City Bergen AS MCB" -> the name and the acronym MCB, when MCB are its initials."""
    span = text[c.start : c.end]
    m = regex.search(r"\s(\p{Lu}{2,6})$", span)
    if not m:
        return [c]
    head = span[: m.start()].rstrip()
    if not _initials(head).startswith(m.group(1)) and _initials(head) != m.group(1):
        return [c]
    rule = ACRONYM_RULE.format(lang=lang.code)
    name_end = c.start + len(head)
    return [
        Candidate(c.kind, c.start, name_end, c.rule, c.order, Normalized(head)),
        Candidate(c.kind, c.start + m.start(1), c.end, rule, order, Normalized(m.group(1))),
    ]


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def resolve(cands: list[Candidate]) -> list[Candidate]:
    """Per kind: keep the longest, then earliest, then first-ruled of overlapping candidates.

    Candidates on exactly the same span from the same rule with different values (both ends
    of a date range) are all kept.
    """
    kept: list[Candidate] = []
    by_kind: dict[str, list[Candidate]] = {}
    for c in cands:
        by_kind.setdefault(c.kind, []).append(c)
    for kind in sorted(by_kind):
        chosen: list[Candidate] = []
        for c in sorted(by_kind[kind], key=lambda c: (c.start - c.end, c.start, c.order, c.rule)):
            clash = [k for k in chosen if _overlaps(c, k)]
            if not clash or all(
                (k.start, k.end, k.rule) == (c.start, c.end, c.rule) and k.norm != c.norm
                for k in clash
            ):
                chosen.append(c)
        kept += chosen
    containers = [c for c in kept if c.kind in CONTAINERS]
    blockers = [c for c in kept if c.kind in ORG_BLOCKERS]
    out = []
    for c in kept:
        if (
            c.kind not in CONTAINERS
            and c.kind != "programme"
            and any(k.start <= c.start and c.end <= k.end for k in containers)
        ):
            continue
        if c.kind == "organization" and any(_overlaps(c, b) for b in blockers):
            continue
        if c.kind == "organization" and any(
            (k.start, k.end) == (c.start, c.end) for k in kept if k.kind == "country"
        ):
            continue
        out.append(c)
    return out


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    seen, out = set(), []
    for c in cands:
        key = (c.kind, c.start, c.end, c.rule, c.norm)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _stop_key(name: str) -> str:
    return " ".join(name.casefold().split())


def find_candidates(text: str, ruleset: RuleSet) -> list[Candidate]:
    """All candidates of all rules (and NER) over `text`, before overlap resolution."""
    folded = fold_homoglyphs(text)
    lang = ruleset.language
    cands: list[Candidate] = []
    for rule in ruleset.rules:
        cands += run_rule(rule, folded, lang)
    n = len(ruleset.rules)
    cands += ner_candidates(folded, lang, n)
    orgs: list[Candidate] = []
    rest: list[Candidate] = []
    stop = {_stop_key(k) for k in lang.table("organization", "stop")}
    for c in cands:
        if c.kind == "organization":
            orgs += [
                o
                for o in split_trailing_acronym(folded, c, lang, n + 1)
                if _stop_key(o.norm.value or "") not in stop
            ]
        else:
            rest.append(c)
    orgs += acronym_candidates(folded, resolve(orgs + rest), lang, n + 1)
    return _dedupe(rest + orgs)


def extract(doc: Document) -> Document:
    """Fill doc.mentions from doc.text with the rules of doc.language (+ common, + NER)."""
    if not doc.text:
        doc.mentions = []
        return doc
    ruleset = load_rules(doc.language or "und")
    mentions = []
    for c in resolve(find_candidates(doc.text, ruleset)):
        m = Mention(
            kind=c.kind,
            text=doc.text[c.start : c.end],
            start=c.start,
            end=c.end,
            rule=c.rule,
            value=c.norm.value,
            amount=c.norm.amount,
            currency=c.norm.currency,
        )
        mentions.append(m)
    mentions.sort(key=lambda m: (m.start, m.end, m.kind, m.rule, m.value or ""))
    doc.mentions = mentions
    return doc
