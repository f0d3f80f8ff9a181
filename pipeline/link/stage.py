"""The link stage: mentions -> project records with their attributes and partners.

1. Projects (`lists`, `project_names`): the siblings of a list item that opens with a
   project's name become project mentions too; project mentions are split into name and
   acronym and grouped into one record per project, networks and programmes left out.
2. Attributes (`attributes`): each programme, grant number, sum, date and duration goes to
   the project it is written about; a sum that cannot be the project's (`sums`: above the
   ceiling, or the programme's budget) is left out and noted.
3. Partners (`list_orgs`, `partners`): a partner list's items that no rule recognised become
   organisations; organisations are tied to the projects by role cues, partner lists and
   participation verbs, or only named on the page of a funded project, with the country
   written next to them and the evidence that ties them.
4. Relevance (`relevance`): whether the page is about funded projects at all, and why; a
   page that is not keeps its mentions but gets no project or partner rows.

Every record traces back: the mentions it came from get its project_id.
"""

from __future__ import annotations

from pipeline.document import Document, Mention, Project
from pipeline.langdata import load_language
from pipeline.link.attributes import Claim, assign_attributes
from pipeline.link.layout import layout
from pipeline.link.list_orgs import list_member_orgs
from pipeline.link.lists import list_siblings, without_tagged_names
from pipeline.link.partners import find_partners, lead_by_programme, partner_rows
from pipeline.link.project_names import Record, project_records
from pipeline.link.relevance import mark_relevance
from pipeline.link.sums import drop_implausible_sums


def link(doc: Document) -> Document:
    """The stage: `link_projects`, then whether the page is about funded projects at all
    (`relevance`; a page that is not keeps its mentions and loses its project rows)."""
    link_projects(doc)
    mark_relevance(doc, load_language(doc.language or "und"))
    return doc


def link_projects(doc: Document) -> Document:
    """Fill doc.projects and doc.partners from doc.mentions; set Mention.project_id."""
    doc.projects, doc.partners = [], []
    for m in doc.mentions:
        m.project_id = None
    if not doc.text or not doc.mentions:
        return doc
    lang = load_language(doc.language or "und")
    siblings = list_siblings(doc, lang)
    if siblings:
        kept = without_tagged_names(doc.mentions, siblings)
        doc.mentions = sorted(kept + siblings, key=Mention.order)
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
    drop_implausible_sums(doc, doc.projects, lay, lang)
    members = list_member_orgs(doc, lay, lang)
    if members:
        doc.mentions = sorted(doc.mentions + members, key=Mention.order)
    doc.partners = partner_rows(find_partners(doc, records, lay, lang))
    lead_by_programme(doc.partners, doc.projects, lang)
    return doc


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
