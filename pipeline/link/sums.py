"""A project's sums that cannot be its own: prefer null to a wrong number.

A total budget or EU contribution is left out of the project, with the reason in its
`notes`, when it is above the ceiling of `rules/common/money.toml` [project_sums] (in EUR at
the page's date: a programme's or a fund's budget, tens of billions, is no project's), or
when it equals a sum the page states as a programme's or call's budget (the sentence before
the sum holds a `programme_budget` cue of language.toml).
"""

from __future__ import annotations

from pipeline.document import Document, Project
from pipeline.extract.normalize import format_amount
from pipeline.index.currency import amount_eur
from pipeline.langdata import Language
from pipeline.link.cues import find_cues
from pipeline.link.layout import Layout

SUM_FIELDS = ("total_budget", "eu_contribution")
CUES = ("programme_budget", "budget", "eu_contribution", "project_word")


def programme_budgets(doc: Document, lay: Layout, lang: Language) -> set[tuple[float, str]]:
    """(amount, currency) of every sum the page states as a programme's or call's budget: the
    cue nearest before it in its sentence is a `programme_budget` one (not a project's budget,
    EU contribution or the word for project)."""
    found = set()
    for m in doc.mentions:
        if m.kind != "money" or m.amount is None or not m.currency:
            continue
        s0 = lay.sentences[lay.sentence_of(m.start)][0]
        cues = find_cues(doc.text, lang, CUES, s0, m.start)
        if cues and max(cues, key=lambda c: c.end).name == "programme_budget":
            found.add((m.amount, m.currency))
    return found


def drop_implausible_sums(
    doc: Document, projects: list[Project], lay: Layout, lang: Language
) -> None:
    """Null each project sum above the ceiling or equal to a programme budget; say why in
    the project's notes."""
    ceiling = float(lang.table("money", "project_sums")["ceiling_eur"])
    budgets = programme_budgets(doc, lay, lang)
    for p in projects:
        for field in SUM_FIELDS:
            amount = getattr(p, field)
            if amount is None or not p.currency:
                continue
            shown = f"{format_amount(amount)} {p.currency}"
            eur, _ = amount_eur(amount, p.currency, doc.published or p.start_date)
            if (amount, p.currency) in budgets:
                p.notes.append(f"{field}: {shown} is the programme budget the page states")
            elif eur is not None and eur > ceiling:
                p.notes.append(f"{field}: {shown} is above {format_amount(ceiling)} EUR")
            else:
                continue
            setattr(p, field, None)
        if p.total_budget is None and p.eu_contribution is None:
            p.currency = None
