"""Partners: the organisations of a page tied to its projects, with role and country.

Organisations bound to a role cue (coordinator, lead, partner) in a sentence about a
project (evidence `role`), listed right after a partner-list cue (`list`), or the subject of
a participation cue (`participation`); on a page that names no project, they are partners of
no named project. On a page with projects, any other organisation is a partner on evidence
`page` unless it is a funder (a ministry, the body a funding phrase names) or no name. A
country is kept only when it stands right next to the organisation ("Media City Bergen AS
MCB, Norway"); inflected forms of one name make one row.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from pipeline.document import Document, Mention, Partner, Project, strongest_evidence
from pipeline.index.names import inflected_forms, org_keys, unaccented
from pipeline.langdata import (
    FALLBACK_LANGUAGE,
    Language,
    alternation,
    literal_alternation,
    load_language,
)
from pipeline.link.attributes import has_project_word, owner
from pipeline.link.cues import Cue, cue_pattern, find_cues, ignorecase
from pipeline.link.layout import Layout
from pipeline.link.project_names import Record, initials, is_acronym_like, name_key

ROLE_RANK = {"coordinator": 3, "lead": 3, "partner": 1}
ROLE_KINDS = ("coordinator", "lead", "partner")
SENTENCE_INSIDE = regex.compile(r"(?<=\p{Ll}{2}|\))\.\s+(?=\p{Lu})")
LIST_SEPARATOR = regex.compile(
    rf"(?:[\s,;:/()\[\]•·*–—-]+|(?:{alternation('list_separator_words')})(?![\p{{L}}]))+"
)
SHORT_LINE_WORDS = 10
CUE_AFTER_NAME = regex.compile(
    r"[ \t]*(?:\(|,[ \t]*|[ \t][-–][ \t])?[ \t]*"
    rf"(?:(?:{alternation('cue_linking_verbs')})[ \t]+)?"
    rf"(?:(?:{alternation('cue_articles')})[ \t]+)?"
    r"|[ \t]*\([^()\n]{0,40}"
)
# A nationality adjective starts a noun phrase: sentence start, an article or punctuation.
ADJECTIVE_PLACE = regex.compile(
    rf"(?:^|[.,;:(\n]\s*|(?<![\p{{L}}])(?:{alternation('adjective_articles')})\s)$"
)
# The same place with one lowercase noun before the adjective ("a empresa portuguesa X").
NOUN_ADJECTIVE_PLACE = regex.compile(
    rf"(?:^|[.,;:(\n]\s*|(?<![\p{{L}}])(?:{alternation('adjective_articles')})\s)\p{{Ll}}+[ \t]+$"
)
# One lowercase noun between a nationality adjective and the name ("UK partners X").
ONE_NOUN_GAP = regex.compile(r'[ \t]+\p{Ll}+[ \t]+[„"“«]?')
# A nationality adjective right before the name, perhaps in quotes ("die österreichische „X“").
ADJECTIVE_GAP = regex.compile(r'[ \t][„"“«]?')
# A country label heads its part of a list ("Italy: Province of Gorizia; Slovenia: ...",
# "five universities from Romania:" and numbered lines): it holds up to the next label, a
# sentence's end (not a list number's dot) or a blank line.
LABEL_COLON = regex.compile(r"[ \t]*:")
LABEL_SPAN_END = regex.compile(r"\n[ \t]*\n|(?<!(?:^|\n)[ \t]*\d{1,2})[.!?](?:\s|$)")
ROLE_IN_PARENTHESES = regex.compile(r"[ \t]*\([\p{Ll} ]{3,25}\)")
LIST_FILLER = 40
# A city written after a list item ("Thermi Business Incubator, Thessaloniki;").
LIST_PLACE = regex.compile(r"\p{Lu}\p{Ll}+(?=[ \t]*;)")
# The place after a preposition of origin inside a list ("... от България и ...").
PLACE_AFTER = regex.compile(r"[ \t]+\p{Lu}\p{Ll}+")
# what may follow a programme's name before its own cue: a bracket's end, a period of years
PROGRAMME_PERIOD = regex.compile(
    r"[ \t]*\)?[ \t]*(?:(?:19|20)\d\d(?:[ \t]*[-–/][ \t]*(?:19|20)?\d\d)?)?"
)
BOUND_BEFORE = 60
BOUND_AFTER = 100
PARTICIPANT_GAP = 70
# A funder is named within this many characters after a funding phrase.
FUNDER_GAP = 60
# A country is a participation cue's subject when the cue starts this few characters after it.
COUNTRY_SUBJECT_GAP = 2
# Compiled once here: a module-level `regex.search(string, ...)` costs a cache lookup per call.
LEADING_THE = regex.compile(rf"(?:(?:{alternation('name_articles')})\s+)?")
SEPARATOR_AT_END = regex.compile(r"\s*[-–,;]\s*$")
LEGAL_FORM_GAP = regex.compile(r",?[ \t]")
ALIAS_GAP = regex.compile(r"[ \t]*\(?[ \t]*")
ALIAS_NAME = regex.compile(r"\p{Lu}[\p{Lu}\d&.]{1,7}")
# An acronym written in two or three upper-case parts ("RRA ÚK", "TZ KZŽ").
SPACED_ACRONYM = regex.compile(r"\p{Lu}{1,5}(?: \p{Lu}{1,5}){1,2}")
LIST_LINE_REST = regex.compile(
    rf"[\s,;:()\-–•*·]*(?:{alternation('list_line_joiners')})?[\s,;:()\-–•*·]*"
)
SPACES = regex.compile(r"[ \t]+")
CAPITALISED_WORD = regex.compile(r"\p{Lu}\p{Ll}+[ \t]+")
SENTENCE_BREAK = regex.compile(r"[.!?:]\s")
OPEN_BRACKET_GAP = regex.compile(r"[ \t]*\([ \t]*")
# A bullet or a list number; a bulleted or numbered line; any line.
LIST_MARK = r"(?:[•*·▪◦►–-]|\d{1,2}[.)])"
LIST_ITEM = regex.compile(rf"[ \t]*{LIST_MARK}[ \t]")
LINE = regex.compile(r"(?m)^[^\n]*")
CLOSE_BRACKET = regex.compile(r"[ \t]*\)")
# A cue that labels its line: only a bullet or a number before it, a colon or a dash after it
# ("Lead Partner: Aalborg University", "• Partners – City of Turku, …").
LABEL_BEFORE = regex.compile(rf"[ \t]*(?:{LIST_MARK}[ \t]*)?")
LABEL_AFTER = regex.compile(r"[ \t]*(?::|[–—-][ \t])")


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


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
    lead = LEADING_THE.match(text[start:end])
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
    keys = set().union(*(r.match_keys() for r in records)) if records else set()
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
                    sep = SEPARATOR_AT_END.search(text[start : c.start])
                    if sep:
                        country, end = c, start + sep.start()
            if end - start < 2 or any(_overlaps((start, end), p) for p in project_spans):
                continue
            if any(c.start <= start and end <= c.end for c in countries):
                continue
            name = " ".join(text[start:end].split())
            if name_key(name) in keys:
                continue
            if _ends_in_cue(name, network):
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
            and LEGAL_FORM_GAP.fullmatch(gap)
        ):
            prev.name = f"{prev.name}{gap}{o.name}"
            prev.end = o.end
            prev.extra.append(o.mention)
            continue
        if (
            prev is not None
            and gap is not None
            and ALIAS_GAP.fullmatch(gap)
            and ALIAS_NAME.fullmatch(o.name)
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
    evidence: str = "role"
    # a role word gave the role (else it is the default of its evidence)
    cued: bool = True


def _org_between(a: int, b: int, orgs: list[Org], me: Org) -> bool:
    lo, hi = min(a, b), max(a, b)
    return any(o is not me and o.alias_of is not me and o.start >= lo and o.end <= hi for o in orgs)


def _cue_owner(text: str, cue: Cue, orgs: list[Org]) -> Org | None:
    """The organisation a cue is written right after ("GAIA (coordinator)", "X, as the …")."""
    for o in orgs:
        if o.end <= cue.start and CUE_AFTER_NAME.fullmatch(text, o.end, cue.start):
            return o.alias_of or o
    return None


def _programme_cues(text: str, cues: list[Cue], programmes: list[Mention]) -> frozenset[int]:
    """Starts of the role cues written right after a programme's name (and its years): they
    say who runs the programme ("Programul Operațional Regional (POR) 2014-2020, coordonat de
    Ministerul …"), not the project."""
    owned = set()
    for c in cues:
        for m in programmes:
            if m.end > c.start:
                continue
            period = PROGRAMME_PERIOD.match(text, m.end, c.start)  # all optional: always matches
            if CUE_AFTER_NAME.fullmatch(text, period.end(), c.start):
                owned.add(c.start)
    return frozenset(owned)


def bound_role(
    text: str,
    org: Org,
    orgs: list[Org],
    cues: list[Cue],
    lay: Layout,
    backward: frozenset[int] = frozenset(),
    of_programme: frozenset[int] = frozenset(),
) -> str | None:
    """The role cue nearest to an organisation in its sentence with no other organisation
    between (coordinator and lead before partner); a cue written right after another
    organisation, or right after a programme's name (`of_programme`, by start), belongs to
    that one; a coordinator/lead cue in a relative clause (`backward`, by start) refers back,
    so an organisation written after it is only a partner."""
    s = lay.sentences[lay.sentence_of(org.start)]
    best = None
    for c in cues:
        if not (s[0] <= c.start < s[1]) or _overlaps((c.start, c.end), (org.start, org.end)):
            continue
        if c.start in of_programme:
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


def label_role(text: str, org: Org, cues: list[Cue]) -> str | None:
    """The role of a record page's label line right above the organisation's line, or one
    blank line above it ("Vezető kedvezményezett" / "Lead partner" over "Obec Tureň"): a
    line that is one cue."""
    line_start = text.rfind("\n", 0, org.start) + 1
    if text[line_start : org.start].strip():
        return None
    prev_end = line_start - 1
    if prev_end <= 0:
        return None
    prev_start = text.rfind("\n", 0, prev_end) + 1
    if not text[prev_start:prev_end].strip() and prev_start > 1:
        prev_end = prev_start - 1
        prev_start = text.rfind("\n", 0, prev_end) + 1
    label = text[prev_start:prev_end].strip(" \t:")
    for c in cues:
        if prev_start <= c.start and c.end <= prev_end and text[c.start : c.end] == label:
            return c.name
    return None


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
    return bool(LIST_LINE_REST.fullmatch(rest))


def list_members(
    text: str,
    orgs: list[Org],
    countries: list[Mention],
    cues: list[Cue],
    lay: Layout,
    origin: regex.Pattern | None = None,
) -> dict[int, Cue]:
    """Organisations (by index) enumerated right after a partner-list cue, or alone on the
    short lines below a list header ("the consortium consists of:", "Beneficiary 2018 - 2021").
    A preposition of origin `origin` before a country is part of the list ("partners from
    Germany (X), from Italy (Y)")."""
    members: dict[int, Cue] = {}
    starts = {o.start: i for i, o in enumerate(orgs)}
    country_at = {c.start: c for c in countries}
    for cue in cues:
        pos, filler_used, found = cue.end, False, False  # `found`: a member of this cue's list
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
                found = True
                pos = orgs[i].end
                continue
            if pos in country_at:
                pos = country_at[pos].end
                continue
            before_country = origin.match(text, pos) if origin is not None else None
            if before_country:
                after = SPACES.match(text[before_country.end() :])
                if after and before_country.end() + after.end() in country_at:
                    pos = before_country.end() + after.end()
                    continue
            word = CAPITALISED_WORD.match(text[pos:])
            if word and (pos + word.end()) in country_at:
                pos += word.end()
                continue
            place = LIST_PLACE.match(text, pos)
            if found and place:
                pos = place.end()
                continue
            nxt = min((o.start for o in orgs if o.start > pos), default=None)
            if (
                not filler_used
                and not found
                and nxt is not None
                and nxt - pos <= LIST_FILLER
                and nxt < s_end
                and not SENTENCE_BREAK.search(text[pos:nxt])
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
    rf"[ \t]*(?:[,;.)]|(?:{alternation('country_list_joiners')})(?![\p{{L}}])|$)", regex.MULTILINE
)


def tied_country(
    text: str,
    org: Org,
    countries: list[Mention],
    orgs: list[Org],
    origin: regex.Pattern | None = None,
) -> Mention | None:
    """A country written right after the organisation (", Norway", "; Italy", " - Belgium",
    " (Chambéry, France)", after a preposition of origin `origin`: " din Serbia"), a
    nationality adjective right before it ("the Serbian Ecopanonia Cluster"), a country
    with the organisation in brackets after it ("from Germany (EUFRAK GmbH)") or a country
    inside the name ("Hungarian Academy of Sciences", "Latvijas Universitāte")."""
    if org.country is not None:
        return org.country
    for c in countries:
        if (
            c.end <= org.start
            and OPEN_BRACKET_GAP.fullmatch(text[c.end : org.start])
            and CLOSE_BRACKET.match(text, org.end)
        ):
            return c
        if org.end <= c.start <= org.end + 24:
            gap = text[org.end : c.start]
            if (
                origin is not None
                and c.text[:1].isupper()
                and ignorecase(rf"[ \t]+(?:{origin.pattern})[ \t]*").fullmatch(gap)
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
    inside = next((c for c in countries if org.start <= c.start and c.end <= org.end), None)
    return (
        inside
        or _labelled_country(text, org, countries)
        or _adjective_country(text, org, countries)
    )


def _labelled_country(text: str, org: Org, countries: list[Mention]) -> Mention | None:
    """The country whose label ("Italy:") heads the part of a list the organisation is in."""
    labels = [c for c in countries if c.end <= org.start and LABEL_COLON.match(text, c.end)]
    if not labels:
        return None
    label = labels[-1]
    return None if LABEL_SPAN_END.search(text, label.end, org.start) else label


def _adjective_country(text: str, org: Org, countries: list[Mention]) -> Mention | None:
    """A nationality adjective right before the name or one noun away from it: before the
    noun ("a svéd Lund Egyetemmel", "the Portuguese company X", "UK partners X") or after it
    ("a empresa portuguesa X")."""
    for c in countries:
        if c.end >= org.start or org.start - c.end > 40:
            continue
        gap = text[c.end : org.start]
        if (ADJECTIVE_GAP.fullmatch(gap) or ONE_NOUN_GAP.fullmatch(gap)) and ADJECTIVE_PLACE.search(
            text, 0, c.start
        ):
            return c
        if ADJECTIVE_GAP.fullmatch(gap) and NOUN_ADJECTIVE_PLACE.search(text, 0, c.start):
            return c
    return None


def _names_a_network(doc: Document, lang: Language) -> bool:
    """True when an organisation's name ends in a `not_project` word of the page's language
    or of the fallback language ("SmartCityTech Partnership", "Nordic Cluster Network")."""
    languages = (lang, load_language(FALLBACK_LANGUAGE))
    patterns = [cue_pattern(language, "not_project") for language in languages]
    names = [m.text for m in doc.mentions if m.kind == "organization"]
    return any(_ends_in_cue(name, p) for name in names for p in patterns)


def _ends_in_cue(name: str, cue: regex.Pattern | None) -> bool:
    """True when `name` ends in one of the words of a cue pattern ("… Network", "… Cluster")."""
    return cue is not None and ignorecase(rf"(?:{cue.pattern})$").search(name) is not None


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
    """Partner ties of the page's organisations. On a page that names no project (no project
    mention at all: a page whose names were all networks or programmes has its reasons) and
    no network (an organisation whose name ends in a `not_project` word: "… Partnership"),
    the organisations that roles, partner lists or participation tie to the page are
    partners of no named project (the page is read as about one project). On a page with
    projects, the other organisations that read like names are partners on evidence `page`."""
    if not records and (
        any(m.kind == "project" for m in doc.mentions) or _names_a_network(doc, lang)
    ):
        return []
    text = doc.text
    orgs = organisations(doc, records, lang)
    if not orgs:
        return []
    countries = [m for m in doc.mentions if m.kind == "country"]
    programmes = [m for m in doc.mentions if m.kind == "programme"]
    role_cues = find_cues(text, lang, ROLE_KINDS)
    list_cues = find_cues(text, lang, ["partner_list"])
    part_cues = find_cues(text, lang, ["participant"])
    side_cues = find_cues(text, lang, ["country_side"])
    funding_cues = find_cues(text, lang, ["funding"])
    funders = _funder_stems(lang)
    origin = cue_pattern(lang, "country_from")
    members = list_members(text, orgs, countries, list_cues, lay, origin)
    backward = _relative_cues(text, role_cues, lang)
    of_programme = _programme_cues(text, role_cues, programmes)
    single = len(records) <= 1
    labels = _label_lines(text, role_cues + list_cues)
    ties: list[Tie] = []
    by_org: dict[int, Tie] = {}
    for i, org in enumerate(orgs):
        if org.alias_of is not None:
            continue
        s = lay.sentences[lay.sentence_of(org.start)]
        about_project = has_project_word(text, s, lang, records)
        member = i in members
        if member:
            cs = lay.sentences[lay.sentence_of(members[i].start)]
            member = (
                single
                or has_project_word(text, cs, lang, records)
                or _line_of(text, members[i].start)[0] in labels
            )
        role = bound_role(text, org, orgs, role_cues, lay, backward, of_programme)
        labelled = label_role(text, org, role_cues) if single else None
        label_line = _line_of(text, org.start)[0] in labels
        if labelled:
            role, member = labelled, True
        # a sentence naming the coordinator by a relative clause lists the consortium
        relative_here = single and any(s[0] <= b < org.start for b in backward)
        if relative_here and role is None:
            role = "partner"
        if not (
            about_project
            or member
            or relative_here
            or ((single or label_line) and role is not None)
        ):
            role = None
        subject = _country_subject(org, orgs, countries, part_cues, s) if about_project else None
        participant = subject is not None or (
            about_project and _participates(text, org, orgs, part_cues, s, origin)
        )
        evidence = (
            "role" if role else "list" if member else "participation" if participant else "page"
        )
        if evidence == "page" and not (
            records and _named_like_partner(org, s, funding_cues, funders)
        ):
            continue
        cued = role is not None
        if role is None and (
            evidence == "page"
            or member
            or any(c.name == "partner" and s[0] <= c.start < s[1] for c in role_cues)
            or _partner_cue_earlier(text, org, lay, lang)
        ):
            role = "partner"
        recs = tie_records(org, records, lay, text, lang)
        country = subject or tied_country(text, org, countries, orgs, origin)
        side = _side_country(text, org, countries, side_cues, s)
        header = _list_header_country(text, org, countries)
        tie = Tie(org, role, recs, country or side or header, evidence, cued)
        ties.append(tie)
        by_org[id(org)] = tie
    for org in orgs:
        if org.alias_of is not None and id(org.alias_of) in by_org:
            tie = by_org[id(org.alias_of)]
            tie.org.extra.append(org.mention)
            if tie.country is None:
                tie.country = tied_country(text, org, countries, orgs, origin)
    _anaphoric_roles(text, ties, orgs, role_cues, lay)
    _item_beneficiaries(text, ties, orgs, records, lay)
    return ties


def _item_beneficiaries(
    text: str, ties: list[Tie], orgs: list[Org], records: list[Record], lay: Layout
) -> None:
    """A list whose items each name one organisation, an item whose sentence also names one
    project ("- Acque Vive del Ticino dell'Università di Pavia;", "• Grad Niš za projekat
    „Zeleni grad“ 120.000 evra") gives the organisation as the project's beneficiary: its
    coordinator, unless a role word or taking part ("participates") said otherwise. A list
    with items of several organisations ("• SCALE-UP, Turun kaupunki, 1 433 174 €; Vinka Oy,
    134 297 €") gives each participant's share of a consortium's project."""
    lines: list[tuple[int, int]] = []
    for t in ties:
        if t.cued or t.evidence != "page":
            continue
        line = _line_of(text, t.org.start)
        if not LIST_ITEM.match(text, *line):
            continue
        s = lay.sentences[lay.sentence_of(t.org.start)]
        start, end = max(line[0], s[0]), min(line[1], s[1])
        named = [r for r in records if any(start <= a[0] < end for a in r.anchors)]
        if len(named) != 1:
            continue
        lines = lines or [(m.start(), m.end()) for m in LINE.finditer(text)]
        if all(len(_line_orgs(orgs, item)) <= 1 for item in _list_items(text, lines, line)):
            t.role, t.records = "coordinator", named


def _label_lines(text: str, cues: list[Cue]) -> frozenset[int]:
    """Starts of the lines a cue labels: on a page of several projects, the card lines under a
    project ("Lead Partner: X", "Partners: A, B") tie their organisations to it without a
    project word in their sentence."""
    found: set[int] = set()
    for c in cues:
        line_start = _line_of(text, c.start)[0]
        if LABEL_BEFORE.fullmatch(text, line_start, c.start) and LABEL_AFTER.match(text, c.end):
            found.add(line_start)
    return frozenset(found)


def _line_of(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _line_orgs(orgs: list[Org], line: tuple[int, int]) -> list[Org]:
    """The organisations named on a line, an acronym given beside a name counted once."""
    return [o for o in orgs if line[0] <= o.start < line[1] and o.alias_of is None]


def _list_items(
    text: str, lines: list[tuple[int, int]], line: tuple[int, int]
) -> list[tuple[int, int]]:
    """The bulleted or numbered lines of the list that holds `line` (blank lines between);
    `lines` are the spans of all the text's lines."""
    at = lines.index(line)
    items = [line]
    for step in (-1, 1):
        i = at + step
        while 0 <= i < len(lines):
            here = lines[i]
            if text[here[0] : here[1]].strip():
                if not LIST_ITEM.match(text, *here):
                    break
                items.append(here)
            i += step
    return items


def _named_like_partner(
    org: Org, sentence: tuple[int, int], funding_cues: list[Cue], funders: regex.Pattern
) -> bool:
    """True for an organisation that a page about named projects may list as a partner without
    saying so: a name (capital or digit first, three characters or more), no funding body (a
    word starts with a `funder_stems` stem, `funders`: ministries fund and manage) and not the
    funder a funding phrase of its sentence names ("co-funded by the Region of ...")."""
    if len(org.name) < 3 or not (org.name[0].isupper() or org.name[0].isdigit()):
        return False
    if funders.search(org.name):
        return False
    return not any(
        sentence[0] <= c.start and c.end <= sentence[1] and c.end <= org.start < c.end + FUNDER_GAP
        for c in funding_cues
    )


def _funder_stems(lang: Language) -> regex.Pattern:
    stems = [k for k, v in lang.table("organization", "funder_stems").items() if v]
    return _stem_pattern(tuple(sorted(stems)))


@functools.cache
def _stem_pattern(stems: tuple[str, ...]) -> regex.Pattern:
    """A case-insensitive pattern for a word that starts with one of `stems`, or holds one
    written with a leading "*" ("*ministerium": "Bundesministerium"); never matches when
    there are none."""
    starts = [s for s in stems if not s.startswith("*")]
    inside = [s[1:] for s in stems if s.startswith("*")]
    parts = [rf"(?<![\p{{L}}]){literal_alternation(starts)}"] if starts else []
    parts += [literal_alternation(inside)] if inside else []
    return ignorecase("|".join(parts) or "(?!)")


def _relative_cues(text: str, cues: list[Cue], lang: Language) -> frozenset[int]:
    """Starts of the role cues written in a relative clause ("…, che ne è capofila, …")."""
    rel = cue_pattern(lang, "relative_role")
    if rel is None:
        return frozenset()
    tail = ignorecase(rf"(?:{rel.pattern})\s*$")  # the cue right before a position
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


def _list_header_country(text: str, org: Org, countries: list[Mention]) -> Mention | None:
    """The one country of the header a list item stands under ("Seven universities from
    Poland take part:" above "1. Politechnika Gdańska"): the lines above the organisation's
    are list items up to a line that ends with a colon and names one country only."""
    line = _line_of(text, org.start)
    if not LIST_ITEM.match(text, *line):
        return None
    while line[0] > 0:
        line = _line_of(text, line[0] - 1)
        body = text[line[0] : line[1]].strip()
        if not body or LIST_ITEM.match(text, *line):
            continue
        if not body.endswith(":"):
            return None
        named = [c for c in countries if line[0] <= c.start < line[1]]
        return named[0] if len({c.value for c in named}) == 1 else None
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
    text: str,
    org: Org,
    orgs: list[Org],
    cues: list[Cue],
    s: tuple[int, int],
    origin: regex.Pattern | None = None,
) -> bool:
    """The organisation is the subject of a participation cue written shortly after it, alone
    or first of a list of subjects ("A от България и B участват")."""
    for c in cues:
        if not (s[0] <= c.start < s[1] and org.end <= c.start):
            continue
        last = org.end
        for other in sorted(
            (o for o in orgs if o is not org and org.end <= o.start and o.end <= c.start),
            key=lambda o: o.start,
        ):
            if not _joins_list(text, last, other.start, origin):
                break
            last = other.end
        else:
            if c.start <= last + PARTICIPANT_GAP and not _org_between(last, c.start, orgs, org):
                return True
    return False


def _joins_list(text: str, start: int, end: int, origin: regex.Pattern | None) -> bool:
    """text[start:end] only joins two list items: separators and conjunctions, or a country
    of origin after the first item ("от България")."""
    pos = start
    while pos < end:
        sep = LIST_SEPARATOR.match(text, pos, end)
        if sep and sep.end() > pos:
            pos = sep.end()
            continue
        prep = origin.match(text, pos, end) if origin else None
        place = PLACE_AFTER.match(text, prep.end(), end) if prep else None
        if place is None:
            return False
        pos = place.end()
    return True


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


def _written_alike(a: str, b: str) -> bool:
    """One organisation's name written two ways: equal (look-alike letters and a trailing
    legal form aside), an acronym of the other (spaced "RRA ÚK" too), or the other with its
    first words abbreviated ("TZ Krapinsko-zagorske županije")."""
    if name_key(a) == name_key(b) or set(org_keys(a)) & set(org_keys(b)):
        return True
    for x, y in ((a, b), (b, a)):
        compact = x.replace(" ", "") if SPACED_ACRONYM.fullmatch(x) else x
        if (
            is_acronym_like(compact)
            and compact.isupper()
            and len(compact) >= max(2, len(initials(y)) - 1)
            and _initials_start(compact, y)
        ):
            return True
        if _abbreviated_head(x, y):
            return True
    return False


def _same_org(a: str, b: str) -> bool:
    """The same organisation written twice: written alike (`_written_alike`), one name's
    words all inside the other's with the same first word, or forms of one name."""
    if _written_alike(a, b):
        return True
    wa, wb = a.casefold().split(), b.casefold().split()
    if len(wa) >= 2 and len(wb) >= 2 and wa[0] == wb[0]:
        short, long_ = sorted((wa, wb), key=len)
        if set(short) <= set(long_):
            return True
    # accents aside: a Greek ending moves the accent ("Επιμελητήριο", "Επιμελητηρίου")
    return inflected_forms(unaccented(a), unaccented(b))


def _abbreviated_head(short: str, full: str) -> bool:
    """`short` writes the first words of `full` as their initials and the rest alike: "TZ
    Krapinsko-zagorske županije" for "Turistička zajednica Krapinsko-zagorske županije"."""
    head, *rest = short.split() or [""]
    words = full.split()
    n = len(head)
    return (
        bool(rest)
        and 2 <= n <= 5
        and head.isupper()
        and len(words) == n + len(rest)
        and "".join(w[0] for w in words[:n]).casefold() == head.casefold()
        and [w.casefold() for w in words[n:]] == [w.casefold() for w in rest]
    )


def lead_by_programme(partners: list[Partner], projects: list[Project], lang: Language) -> None:
    """ "Lead" is the Interreg/transnational wording: under another named programme
    (Erasmus+ "capofila", Horizon "lead partner") the organisation is the coordinator."""
    lead = {name_key(k) for k, v in lang.table("project", "lead_programmes").items() if v}
    programme = {p.project_id: p.programme for p in projects}
    for row in partners:
        prog = programme.get(row.project_id)
        if row.role == "lead" and prog and not any(name_key(prog).startswith(k) for k in lead):
            row.role = "coordinator"


def partner_rows(ties: list[Tie]) -> list[Partner]:
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
            partner.evidence = strongest_evidence([partner.evidence, t.evidence])
            if partner.country is None and t.country is not None:
                partner.country = t.country.value
                used.append(t.country)
            used += [t.org.mention, *t.org.extra]
    for partner, used in rows:
        if partner.project_id is not None:
            for m in used:
                m.project_id = partner.project_id
    return [p for p, _ in rows]
