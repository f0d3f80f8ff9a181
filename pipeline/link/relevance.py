"""Is a page about funded projects? The first signal found, strongest first, is the reason.

1. `programme`: the page names a funding programme (a programme mention).
2. `grant number`: it gives a grant number.
3. `funding phrase`: it uses a phrase of its language's `funding` or `eu_contribution` cues
   (language.toml), or a fund's short name (rules/common/relevance.toml `fund_names`).
4. `project named after a programme`: a project's name starts or ends with a programme word
   (`programme_name_words`: LIFE projects).
5. `project facts`: a project comes with its own dates, duration, sum or partners.
6. `project word`: a project is named and the word for project occurs `min_project_words`
   times.

A page with none of them is not about funded projects: its mentions stay, its project and
partner rows are dropped (an ordinary news page names "projects" too: a car, a telescope).
"""

from __future__ import annotations

import functools

import regex

from pipeline.document import Document, Mention, Partner, Project
from pipeline.langdata import Language, common_data, literal_alternation
from pipeline.link.cues import find_cues

FACT_FIELDS = ("start_date", "end_date", "duration_months", "total_budget", "eu_contribution")


@functools.cache
def _settings() -> dict:
    return common_data("relevance")


@functools.cache
def _fund_names() -> regex.Pattern:
    names = literal_alternation(_settings()["fund_names"])
    return regex.compile(rf"(?<![\p{{L}}\d]){names}(?![\p{{L}}\d+])")


def _phrase(text: str, lang: Language) -> str | None:
    cues = find_cues(text, lang, ("funding", "eu_contribution"))
    fund = _fund_names().search(text)
    found = [(c.start, text[c.start : c.end]) for c in cues]
    if fund:
        found.append((fund.start(), fund.group(0)))
    return min(found)[1] if found else None


def _named_after_programme(projects: list[Project]) -> str | None:
    words = set(_settings()["programme_name_words"])
    for p in projects:
        for name in (p.name, p.acronym, *p.aliases):
            parts = (name or "").split()
            if len(parts) > 1 and (parts[0] in words or parts[-1] in words):
                return name
    return None


def _with_facts(projects: list[Project], partners: list[Partner]) -> str | None:
    tied = {p.project_id for p in partners if p.project_id and p.evidence != "page"}
    for p in projects:
        if p.project_id in tied or any(getattr(p, f) is not None for f in FACT_FIELDS):
            return p.name or p.acronym or p.project_id
    return None


def funding_reason(doc: Document, lang: Language) -> str | None:
    """Why the page is about funded projects (`<signal>: <evidence>`), or None when it is not."""
    by_kind: dict[str, list[Mention]] = {}
    for m in doc.mentions:
        by_kind.setdefault(m.kind, []).append(m)
    programme = next((m for m in by_kind.get("programme", []) if m.value), None)
    if programme is not None:
        return f"programme: {programme.value}"
    grant = next(iter(by_kind.get("grant_number", [])), None)
    if grant is not None:
        return f"grant number: {grant.value or grant.text}"
    phrase = _phrase(doc.text, lang)
    if phrase is not None:
        return f"funding phrase: {phrase}"
    if not doc.projects:
        return None
    named = _named_after_programme(doc.projects)
    if named is not None:
        return f"project named after a programme: {named}"
    facts = _with_facts(doc.projects, doc.partners)
    if facts is not None:
        return f"project facts: {facts}"
    words = len(find_cues(doc.text, lang, ("project_word",)))
    if words >= _settings()["min_project_words"]:
        return f"project word: {words} times"
    return None


def mark_relevance(doc: Document, lang: Language) -> None:
    """Set `about_funding` and its reason; a page that is not about funding loses its project
    and partner rows (and its mentions their project ids)."""
    reason = funding_reason(doc, lang) if doc.text else None
    doc.about_funding, doc.about_funding_reason = reason is not None, reason
    if reason is None:
        doc.projects, doc.partners = [], []
        for m in doc.mentions:
            m.project_id = None
