"""Project attributes: programme, grant number, sums, dates and duration to their project.

A programme, grant number, sum, date or duration goes to the project named nearest to it
in its sentence, else to the project named last before it. Sums need a budget or
EU-contribution cue, dates a start or end cue (language.toml [cues]); a partner's share or
a signature date is left out. A project with no programme of its own takes the one named
last before it in its paragraph, else the programme the page names most often.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import regex

from pipeline.document import Document, Mention
from pipeline.langdata import Language, eu_institution
from pipeline.link.cues import find_cues
from pipeline.link.layout import Layout
from pipeline.link.project_names import Record

VETO_CUES = ("share", "not_start")
YEAR_PAIR_GAP = 16
# Up to three words, no punctuation, between a sum and the programme that pays it.
PROGRAMME_GAP = 40
PROGRAMME_JOIN = regex.compile(r"(?:[ \t]+[\p{L}'’]+){0,3}[ \t]+")
# The words after a sum, up to the sentence's punctuation: where the EU may be named.
WORDS_AFTER = regex.compile(r"(?:[ \t]+[\p{L}'’]+){1,6}")
EU_JOIN_WORDS = 3  # words between the sum and the EU's name, as between a sum and a programme
EU_NAME_WORDS = 4
PROGRAMME_PERIODS = {(2000, 2006), (2007, 2013), (2014, 2020), (2021, 2027), (2028, 2034)}
# A project's name, a few words on its line, then a bracket holding a sum and nothing else.
NAME_TO_BRACKET = regex.compile(r"[^\n().;:!?]{0,40}")
BRACKET_OPEN = regex.compile(r"\([ \t]*")
BRACKET_CLOSE = regex.compile(r"[ \t]*\)")


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


def _from_programme(text: str, m: Mention, programmes: list[Mention], lang: Language) -> bool:
    """A sum that up to three words join to a programme, a fund (a `funding` cue) or the EU
    itself written right after it ("400 mila euro provenienti dal Fondo europeo di sviluppo
    regionale", "€2 million from Interreg Europe", "14 milijonov evrov evropskih sredstev",
    "funded by €376,000 from the EU"): the EU's share."""
    funds = find_cues(text, lang, ["funding"], m.end, m.end + PROGRAMME_GAP + 80)
    starts = [p.start for p in programmes] + [c.start for c in funds]
    return any(
        m.end < start <= m.end + PROGRAMME_GAP and PROGRAMME_JOIN.fullmatch(text, m.end, start)
        for start in starts
    ) or _from_the_eu(text, m)


def _from_the_eu(text: str, m: Mention) -> bool:
    """The EU, the Commission or an EU agency named in the words right after a sum, at most
    three words between ("€376,000 from the EU", "1,2 milioane de euro de la Uniunea
    Europeană")."""
    after = WORDS_AFTER.match(text, m.end)
    if after is None:
        return False
    words = after.group().split()
    return any(
        eu_institution(" ".join(words[i : i + k]))
        for i in range(min(EU_JOIN_WORDS + 1, len(words)))
        for k in range(1, EU_NAME_WORDS + 1)
        if i + k <= len(words)
    )


def _bracketed_after_name(text: str, m: Mention, records: list[Record]) -> bool:
    """A sum in brackets a few words after a project's name on its line, with nothing else
    in the brackets ("LIFE-IP PREPAIR, Emilia-Romagna (16,8 milioni di euro);"): a list of
    projects with their budgets."""
    opening = text.rfind("(", 0, m.start)
    if opening < 0 or not BRACKET_OPEN.fullmatch(text, opening, m.start):
        return False
    closing = BRACKET_CLOSE.match(text, m.end)
    if closing is None:
        return False
    return any(
        a[1] <= opening and NAME_TO_BRACKET.fullmatch(text, a[1], opening)
        for rec in records
        for a in rec.anchors
    )


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
    text: str, m: Mention, records: list[Record], mentions: list[Mention], lang: Language
) -> bool:
    """A year range written right after a project's name, a programme or a word for a
    project ("During the project (2020-2023)")."""
    spans = (
        [a for r in records for a in r.anchors]
        + [(x.start, x.end) for x in mentions if x.kind == "programme"]
        + [(c.start, c.end) for c in find_cues(text, lang, ["project_word"], 0, m.start)]
    )
    for a in spans:
        gap = text[a[1] : m.start] if a[1] <= m.start else ""
        if a[1] <= m.start and len(gap) <= YEAR_PAIR_GAP and "\n" not in gap:
            return True
    return False


def _range_end(text: str, m: Mention, dates: list[Mention], join: regex.Pattern) -> Mention | None:
    """The date that ends a range starting at `m` ("1 October 2023 to 30 September 2025",
    "10/2017 – 10/2019"): joined to it, later and in another month (two days of one month
    joined by "and" are two events)."""
    for n in dates:
        if n.start >= m.end and join.fullmatch(text, m.end, n.start):
            a, b = str(m.value), str(n.value)
            return n if a < b and a[:7] != b[:7] else None
    return None


def has_project_word(
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
        if kind is None and _from_programme(text, m, by_kind.get("programme", []), lang):
            kind = "eu_contribution"
        if kind is None and _bracketed_after_name(text, m, records):
            kind = "budget"
        if kind in ("budget", "eu_contribution"):
            offer(
                "total_budget" if kind == "budget" else "eu_contribution", m, (m.amount, m.currency)
            )
    dates = by_kind.get("date", [])
    seen_pairs: set[tuple[int, int]] = set()
    # "between July 2017 and January 2019": the date joined to a start date ends the range
    # (a date may end in an ordinal dot: "01.10.2021. – 30.09.2023.")
    join = regex.compile(rf"\.?\s*(?:{lang.get('fragments', {}).get('RANGE_JOIN') or '[-–]'})\s*")
    last_start: Mention | None = None
    for m in dates:
        pair = _year_pair(m, dates)
        if pair is not None:
            if (m.start, m.end) in seen_pairs:
                continue
            if _near_project_or_programme(text, m, records, doc.mentions, lang):
                bonus = 3
            elif has_project_word(text, lay.sentences[lay.sentence_of(m.start)], lang, records):
                bonus = 4
            else:
                continue
            seen_pairs.add((m.start, m.end))
            offer("start_date", m, str(pair[0]), tier_bonus=bonus)
            offer("end_date", m, str(pair[1]), tier_bonus=bonus)
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
        until = _range_end(text, m, dates, join) if kind in (None, "end") else None
        # an end cue right after a date that opens a range is the range's joiner ("vom
        # 1. März 2021 bis 28. Februar 2023"); with no cue, the sentence must be the project's
        # or the range a duration's ("Duration: 01.09.2022 - 31.08.2024")
        sentence = lay.sentences[lay.sentence_of(m.start)]
        if until is not None and (
            kind == "end"
            or has_project_word(text, sentence, lang, records)
            or find_cues(text, lang, ["duration"], sentence[0], m.start)
        ):
            bonus = 0 if kind == "end" else 4
            seen_pairs.add((until.start, until.end))
            offer("start_date", m, m.value, tier_bonus=bonus)
            offer("end_date", until, until.value, tier_bonus=bonus)
            continue
        if kind == "start":
            offer("start_date", m, m.value)
        elif kind == "end":
            offer("end_date", m, m.value)
        last_start = m if kind == "start" else None
    for m in by_kind.get("duration", []):
        s = lay.sentences[lay.sentence_of(m.start)]
        if find_cues(text, lang, ["duration"], s[0], s[1]) or has_project_word(
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
    from), else the programme the page names most often (the first of equals)."""
    named = [m for m in programmes if m.value]
    for i, rec in enumerate(records):
        if "programme" in won[i] or not rec.anchors:
            continue
        first = min(a[0] for a in rec.anchors)
        para = lay.paragraphs[lay.paragraph_of(first)]
        before = [m for m in named if para[0] <= m.start and m.end <= first]
        if before:
            won[i]["programme"] = Claim(9, first - before[-1].end, before[-1], before[-1].value)
        elif named:
            counts = Counter(m.value for m in named)
            top = max(named, key=lambda m: counts[m.value])
            won[i]["programme"] = Claim(9, 0, top, top.value)
