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

import bisect
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import regex

from pipeline.document import NER_RULE_PREFIX, Document, Mention
from pipeline.extract.ner import organization_candidates
from pipeline.extract.normalize import NORMALIZERS, Hit, Normalized
from pipeline.extract.rules import Rule, RuleSet, load_rules
from pipeline.index.names import inflected_forms
from pipeline.langdata import (
    Language,
    alternation,
    country_codes,
    eu_institution,
    homoglyphs,
    words,
)

# Look-alike letters (Cyrillic, Greek) -> Latin, applied only inside words with Latin letters.
HOMOGLYPHS = str.maketrans(homoglyphs())
LOOK_ALIKE = regex.compile("[" + regex.escape("".join(sorted(homoglyphs()))) + "]")
LATIN = regex.compile(r"\p{Script=Latin}")
MAX_TOKEN = 256
LONG_TOKEN = regex.compile(rf"\S{{{MAX_TOKEN + 1},}}")
MASK = "\x00"  # a character no rule matches as part of a word, number or code
# A whole word (maximal run of letters) holding at least one Latin letter.
LATIN_WORD = regex.compile(r"(?<![\p{L}\p{M}])(?=[\p{L}\p{M}]*?\p{Script=Latin})[\p{L}\p{M}]+")
LEADING_THE = regex.compile(r"(?:[Tt]he\s+)?")
TRAILING_JUNK = regex.compile(r"(?:['’]s?)?[\s,.;:–-]*$")
ABBREVIATION_END = regex.compile(r"\.\p{L}{1,3}$")
NAME_WORD = regex.compile(r"[\p{L}\d]+")
# A label's colon inside an entity ("Austria: University of Graz"): the name starts after it.
LABEL_COLON = regex.compile(r":[ \t]+")
ACRONYM_AFTER = regex.compile(r"\s*\((\p{Lu}[\p{Lu}\p{Ll}0-9&.]{1,9})\)")
TRAILING_ACRONYM = regex.compile(r"\s(\p{Lu}{2,6})$")
COUNTRY_IN_BRACKETS = regex.compile(r"\s*\(([A-Z]{2})\)$")
PARENTHESES_AFTER = regex.compile(r"[ \t]*\(([^()\n]{1,12})\)")
LEADING_NON_LETTERS = regex.compile(r"[^\p{L}\d]*")
SINGLE_PLAIN_WORD = regex.compile(r"\p{Lu}\p{Ll}+")
NER_RULE = NER_RULE_PREFIX + "{model}.org"
ACRONYM_RULE = "{lang}.organization.acronym_of_name"
COUNTRY_CODE_RULE = "common.country.code_after_name"
QUOTE = regex.compile(r"[„“”\"«»]")
# Kinds whose spans other kinds may not enter (a grant number holds digits, codes, years).
CONTAINERS = ("grant_number",)
# An organisation that overlaps one of these is dropped (NER tags programmes and sums as ORG).
# Head words of generic bodies: a name ending in one of them is not exempt from reject
# words ("Programme Committee", "Project Office").
GENERIC_HEADS = frozenset(words("generic_heads"))
ORG_BLOCKERS = ("programme", "money", "date", "grant_number", "duration")
# A name, then one or two short lower-case words (a preposition, an article) or an elided
# preposition ("dell'"), right before an organisation.
JOINED_BEFORE = regex.compile(
    r"(?P<head>\S.*?\S)(?:[ \t]+\p{Ll}{1,5}){1,2}[ \t]+|(?P<head>\S.*?\S)[ \t]+\p{Ll}{1,5}['’]"
)


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
    if not LOOK_ALIKE.search(text):
        return text

    def sub(m: regex.Match) -> str:
        word = m.group(0)
        if not LOOK_ALIKE.search(word):
            return word  # nothing to replace: skip counting its Latin letters
        latin = sum(1 for ch in word if LATIN.match(ch))
        if latin * 2 < len(word) and len(word) > 2:
            return word
        return word.translate(HOMOGLYPHS)

    return LATIN_WORD.sub(sub, text)


def mask_long_tokens(text: str) -> str:
    """`text` with every run of more than MAX_TOKEN non-space characters blanked out (same length).

    No mention lies inside such a run (a word, number, code or URL is far shorter), and rules
    that scan a word to its end would take time quadratic in its length on it.
    """
    return LONG_TOKEN.sub(lambda m: MASK * len(m.group(0)), text)


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


@cache
def _article_pattern(articles: tuple[str, ...]) -> regex.Pattern:
    """Any of `articles` before a capital, longest first (an elided "L'" needs no space)."""
    branches = [
        regex.escape(article) + ("" if article.endswith(("'", "’")) else r"\s+") + r"(?=\p{Lu})"
        for article in sorted(articles, key=len, reverse=True)
    ]
    return regex.compile("|".join(branches))


def _trim_org(text: str, start: int, end: int, articles: tuple[str, ...] = ()) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive, punctuation or country code in
    brackets ("… Valmora (DE)") from an org span.

    `articles` are the language's capitalised articles ("Die", "La", "L'"; language.toml
    `org_articles`), dropped before a name as "the" is. The dot that closes an abbreviated
    legal form ("s.r.o.", "e.V.", "Α.Ε.") is kept.
    """
    code = COUNTRY_IN_BRACKETS.search(text, start, end)
    if code and code.group(1) in country_codes():
        end = code.start()
    span = text[start:end]
    lead = LEADING_THE.match(span).end()
    if articles and (found := _article_pattern(articles).match(span[lead:])):
        lead += found.end()
    tail = TRAILING_JUNK.search(span[lead:])
    cut = tail.start() if tail else len(span) - lead
    kept = span[lead : lead + cut]
    if span[lead + cut : lead + cut + 1] == "." and ABBREVIATION_END.search(kept):
        cut += 1
    return start + lead, start + lead + cut


def ner_candidates(text: str, lang: Language, order: int) -> list[Candidate]:
    """Organisation candidates from the language's NER model (none when it names no model),
    cut at line breaks and after a label's colon."""
    model = lang.get("ner_model", "")
    out = []
    pieces = []
    for ent in organization_candidates(text, lang):
        offset = ent.start
        for piece in text[ent.start : ent.end].split("\n"):
            labels = list(LABEL_COLON.finditer(piece))
            lead = labels[-1].end() if labels else 0
            pieces.append((offset + lead, offset + len(piece)))
            offset += len(piece) + 1
    for piece_start, piece_end in pieces:
        start, end = _trim_org(text, piece_start, piece_end)
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


def _abbreviates(acronym: str, name: str) -> bool:
    """The acronym's letters are the name's initials (or their start)."""
    letters = "".join(ch for ch in acronym.upper() if ch.isalpha())
    return len(letters) >= 2 and any(
        ini.startswith(letters) for ini in (_initials(name), _word_initials(name))
    )


def _word_initials(name: str) -> str:
    """First letters of a name's words of four letters or more, or capitalised ones, upper-cased.

    "Асоциацията на индустриалния капитал в България" -> "АИКБ".
    """
    words = NAME_WORD.findall(name)
    return "".join(w[0].upper() for w in words if len(w) >= 4 or w[0].isupper())


def standalone(text: str, words: Iterable[str]) -> list[regex.Match]:
    """Where any of `words` stands in `text` outside a longer run of letters and digits.

    When every word is itself such a run (NAME_WORD), a match is a whole run, found by one
    scan of the runs and a set lookup instead of a pattern compiled per page; other words
    (an upper-case "Ⅰ" is no letter) take the pattern.
    """
    wanted = list(dict.fromkeys(words))
    if all(NAME_WORD.fullmatch(w) for w in wanted):
        lookup = set(wanted)
        return [m for m in NAME_WORD.finditer(text) if m.group(0) in lookup]
    pattern = regex.compile(
        r"(?<![\p{L}\d])(?:"
        + "|".join(regex.escape(k) for k in sorted(wanted, key=len, reverse=True))
        + r")(?![\p{L}\d])"
    )
    return list(pattern.finditer(text))


def acronym_candidates(
    text: str, found: list[Candidate], lang: Language, order: int
) -> list[Candidate]:
    """Acronyms of found organisations: "(CSKC)" after the name, or the same acronym elsewhere.

    An upper-case word counts when its letters are the initials of an organisation name
    found in the page (Cluster Sofia Knowledge City -> CSKC, АИКБ), or when it stands in
    parentheses right after a name found: an organisation's, or another name's when they are
    not its initials (a project's coordinator: "Converting waste into components (CITEVE)";
    "Gröna Bygder Norr (GBN)" is the project's own acronym). A country code in brackets that
    is not the name's initials is a country mention ("Lyon Tech Institute (FR)").
    """
    rule = ACRONYM_RULE.format(lang=lang.code)
    countries = country_codes()
    out: list[Candidate] = []
    initials = {}
    for c in found:
        if c.kind != "organization":
            continue
        name = text[c.start : c.end]
        letters = "".join(ch for ch in name if ch.isalnum())
        for ini in {_initials(name), _word_initials(name)}:
            # an acronym-like name ("NETTAG+") is its own initials, not another name's; the
            # initials need letters ("22" from a name with a year is none)
            if sum(ch.isalpha() for ch in ini) >= 2 and ini != letters:
                initials[ini] = c
    for c in found:
        after = ACRONYM_AFTER.match(text, c.end)
        if not after or sum(ch.isupper() for ch in after.group(1)) < 2:
            continue
        acronym, name = after.group(1), text[c.start : c.end]
        # the initials of a project's name are its acronym; a country code is the country of
        # the name before it ("Lyon Tech Institute (FR)")
        own = _abbreviates(acronym, name)
        span = after.span(1)
        if not own and acronym in countries:
            out.append(Candidate("country", *span, COUNTRY_CODE_RULE, order, Normalized(acronym)))
        elif not own or c.kind == "organization":
            out.append(Candidate("organization", *span, rule, order, Normalized(acronym)))
    if initials:
        for m in standalone(text, initials):
            out.append(
                Candidate("organization", m.start(), m.end(), rule, order, Normalized(m.group(0)))
            )
    return out


def split_trailing_acronym(text: str, c: Candidate, lang: Language, order: int) -> list[Candidate]:
    """ "Media City Bergen AS MCB" -> the name and the acronym MCB, when MCB are its initials."""
    span = text[c.start : c.end]
    m = TRAILING_ACRONYM.search(span)
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


def _inside(c: Candidate, others: list[Candidate], strictly: bool = False) -> bool:
    """True when `c` lies within one of `others` (`strictly`: within a longer one)."""
    return any(
        o.start <= c.start
        and c.end <= o.end
        and (not strictly or o.end - o.start > c.end - c.start)
        for o in others
    )


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
        chosen: list[Candidate] = []  # by start; spans that differ never overlap
        starts: list[int] = []
        for c in sorted(by_kind[kind], key=lambda c: (c.start - c.end, c.start, c.order, c.rule)):
            clash = []
            j = bisect.bisect_left(starts, c.end) - 1
            while j >= 0 and chosen[j].end > c.start:
                clash.append(chosen[j])
                j -= 1
            if not clash or all(
                (k.start, k.end, k.rule) == (c.start, c.end, c.rule) and k.norm != c.norm
                for k in clash
            ):
                at = bisect.bisect_right(starts, c.start)
                starts.insert(at, c.start)
                chosen.insert(at, c)
        kept += sorted(chosen, key=lambda c: (c.start - c.end, c.start, c.order, c.rule))
    containers = [c for c in kept if c.kind in CONTAINERS]
    blockers = [c for c in kept if c.kind in ORG_BLOCKERS]
    country_spans = {(k.start, k.end) for k in kept if k.kind == "country"}
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
        if c.kind == "organization" and (c.start, c.end) in country_spans:
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


def _alternation(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _project_cue_patterns(
    after: tuple[str, ...], before: tuple[str, ...]
) -> tuple[regex.Pattern | None, regex.Pattern | None]:
    """The patterns of `project_names` for a language's project cues (compiled once)."""
    name = r"(?-i:\p{Lu})[\p{L}\d.+-]*"  # a capital even though the cues ignore case
    joiner = rf"(?:,[ \t]*|[ \t]+(?:{alternation('project_cue_joiners')})[ \t]+)"
    after_pattern = before_pattern = None
    if after:
        after_pattern = regex.compile(
            rf"^\)?[ \t]*(?:\([^()\n]{{1,40}}\)[ \t]*)?[\"”“»]?(?:{joiner}{name}){{0,5}}[ \t]*"
            rf"(?:{_alternation(list(after))})(?!\p{{L}})",
            regex.IGNORECASE,
        )
    if before:
        before_pattern = regex.compile(
            rf"(?<!\p{{L}})(?:{_alternation(list(before))})[ \t]*(?:[\"„“«][ \t]*)?"
            rf"(?:{name}{joiner}){{0,6}}$",
            regex.IGNORECASE,
        )
    return after_pattern, before_pattern


def project_names(text: str, orgs: list[Candidate], lang: Language) -> set[str]:
    """Values of organisation candidates that the text presents as projects.

    A name directly before a `project_after` cue ("the MME project", "Media Motor Europe
    (MME) project", "the CLINES and ESCT projects") or directly after a `project_before` cue
    ("the project Skills4Cities", "projects DIONYSOS, LACOSTO and VINESOS") is a project,
    not an organisation. An organisation whose acronym in parentheses is such a project
    is one too.
    """
    after, before = _project_cue_patterns(
        tuple(lang.cues("project_after")), tuple(lang.cues("project_before"))
    )
    names = set()
    for c in orgs:
        after_text = text[c.end : c.end + 80]
        if (after is not None and after.match(after_text)) or (
            before is not None and before.search(text[max(0, c.start - 80) : c.start])
        ):
            names.add(_stop_key(c.norm.value or ""))
    for c in orgs:
        acr = PARENTHESES_AFTER.match(text[c.end : c.end + 20])
        if acr and _stop_key(acr.group(1)) in names:
            names.add(_stop_key(c.norm.value or ""))
    return names


def _clean_org(text: str, c: Candidate, lang: Language) -> Candidate | None:
    """Trim bullets and articles off an organisation span; None when nothing is left."""
    start, end = _trim_org(text, c.start, c.end, tuple(lang.get("org_articles", [])))
    lead = LEADING_NON_LETTERS.match(text[start:end]).end()
    start += lead
    if end - start < 2:
        return None
    if (start, end) == (c.start, c.end):
        return c
    norm = NORMALIZERS["organization"](Hit(text[start:end], {}, text, start, end), lang)
    if not isinstance(norm, Normalized):
        return None
    return Candidate(c.kind, start, end, c.rule, c.order, norm)


@cache
def _cue_before_pattern(cues: tuple[str, ...]) -> regex.Pattern:
    """One of `cues` right before the end of the text (then spaces)."""
    return regex.compile(rf"(?<!\p{{L}})(?:{_alternation(list(cues))})[ \t]+$")


def _org_heads(lang: Language) -> set[str]:
    """The language's organisation head words (ORG_HEAD), folded, without the generic ones,
    and the legal forms (a name may end in either)."""
    heads = {h.casefold() for h in lang.get("fragments", {}).get("ORG_HEAD", [])} - GENERIC_HEADS
    return heads | {w.casefold().rstrip(".") for w in lang.cues("legal_form")}


def _keep_org(
    text: str, c: Candidate, lang: Language, stop: set[str], reject: set[str], heads: set[str]
) -> bool:
    value = c.norm.value or ""
    if _stop_key(value) in stop or eu_institution(value):
        return False
    before = tuple(lang.cues("not_organization_before"))
    if before and _cue_before_pattern(before).search(text[max(0, c.start - 30) : c.start]):
        return False
    words = NAME_WORD.findall(value)
    # a name that ends in a head word ("European Projects Association") or a legal form
    # ("Priority Ltd.") is a body even when it holds a reject word
    if words and words[-1].casefold() not in heads and any(w.casefold() in reject for w in words):
        return False
    is_single_plain = SINGLE_PLAIN_WORD.fullmatch(value) is not None
    return not (c.rule.startswith(NER_RULE_PREFIX) and is_single_plain)


def _before_organisation(text: str, c: Candidate, orgs: list[Candidate]) -> Candidate:
    """A name cut before the organisation that ends it, joined by a preposition and perhaps an
    article ("Acque Vive del Ticino dell'Università di Pavia" -> "Acque Vive del Ticino"); the
    first such organisation wins."""
    for o in sorted(orgs, key=lambda o: o.start):
        if not (c.start < o.start < c.end <= o.end):
            continue
        head = JOINED_BEFORE.fullmatch(text, c.start, o.start)
        if head:
            end = c.start + len(head.group("head"))
            return Candidate(c.kind, c.start, end, c.rule, c.order, Normalized(head.group("head")))
    return c


def find_candidates(text: str, ruleset: RuleSet) -> list[Candidate]:
    """All candidates of all rules (and NER) over `text`, before overlap resolution."""
    folded = mask_long_tokens(fold_homoglyphs(text))
    lang = ruleset.language
    cands: list[Candidate] = []
    # a rule whose literals are not in the text finds nothing: skip its search
    for i in ruleset.literal_index.admitted(folded):
        cands += run_rule(ruleset.rules[i], folded, lang)
    n = len(ruleset.rules)
    cands += ner_candidates(folded, lang, n)
    stop = {_stop_key(k) for k in lang.table("organization", "stop")}
    reject = {k.casefold() for k in lang.table("organization", "reject_words")}
    heads = _org_heads(lang)
    orgs: list[Candidate] = []
    rest: list[Candidate] = []
    for c in cands:
        if c.kind != "organization":
            rest.append(c)
            continue
        cleaned = _clean_org(folded, c, lang)
        if cleaned is None:
            continue
        for o in split_trailing_acronym(folded, cleaned, lang, n + 1):
            if _keep_org(folded, o, lang, stop, reject, heads):
                orgs.append(o)
            else:
                acr = PARENTHESES_AFTER.match(folded[o.end : o.end + 20])
                if acr:
                    stop.add(_stop_key(acr.group(1)))
    orgs = [o for o in orgs if _stop_key(o.norm.value or "") not in stop]
    cut = ruleset.cut_before_organization
    rest = [_before_organisation(folded, c, orgs) if c.rule in cut else c for c in rest]
    project_cands = resolve([c for c in rest if c.kind == "project"])
    # a candidate inside a longer project name is no project name of its own (the alliance
    # "EUTOPIA" inside the project "EUTOPIA MORE")
    projects = project_names(
        folded, [o for o in orgs if not _inside(o, project_cands, strictly=True)], lang
    )
    # A name a project rule found ("4A - Lerende Euregio Scheldemond") is a project too,
    # unless the text gives it as an organisation's acronym ("Slovenská akadémia vied (SAV)").
    acronyms = {
        _stop_key(a.group(1))
        for o in orgs
        if _stop_key(o.norm.value or "") not in projects
        and (a := PARENTHESES_AFTER.match(folded[o.end : o.end + 20]))
    }
    projects |= {_stop_key(c.norm.value or "") for c in project_cands} - acronyms
    # words inside a project's name are not an organisation ("… Business Development Skills
    # in Rural Communities”)
    orgs = [o for o in orgs if not _inside(o, project_cands)]
    orgs = [o for o in orgs if _stop_key(o.norm.value or "") not in projects]
    # a quoted name inside an organisation's ("OŠ “Vuk Karadžić”") is no project title
    named = [o for o in orgs if QUOTE.search(folded, o.start, o.end)]
    rest = [c for c in rest if c.kind != "project" or not _inside(c, named, strictly=True)]
    for a in acronym_candidates(folded, resolve(orgs + rest), lang, n + 1):
        if a.kind != "organization":
            rest.append(a)
        elif _stop_key(a.norm.value or "") not in projects | stop and (
            a.norm.value or ""
        ).casefold() not in reject:
            orgs.append(a)
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
    mentions.sort(key=Mention.order)
    one_value_per_organisation(mentions)
    doc.mentions = mentions
    return doc


def one_value_per_organisation(mentions: list[Mention]) -> None:
    """Organisation mentions whose values are forms of one name ("Općina Lipik", "Općini
    Lipik") take one value: the form written most often, the first one on a tie."""
    groups: list[list[Mention]] = []
    for m in mentions:
        if m.kind != "organization" or not m.value:
            continue
        group = next((g for g in groups if inflected_forms(g[0].value or "", m.value)), None)
        if group is None:
            groups.append([m])
        else:
            group.append(m)
    for group in groups:
        values = [m.value for m in group]
        counts = Counter(values)
        best = max(counts, key=lambda v: (counts[v], -values.index(v)))
        for m in group:
            m.value = best
