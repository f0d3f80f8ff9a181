"""The records that flow through the stages: the contract's vocabulary, typed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

STATUS_OK = "ok"
STATUS_EMPTY = "empty"
STATUS_ERROR = "error"

MENTION_KINDS = (
    "project",
    "programme",
    "grant_number",
    "money",
    "date",
    "duration",
    "organization",
    "country",
    "location",
    "person",
)

PARTNER_ROLES = ("coordinator", "lead", "partner")
# How the text ties a partner to its project, strongest first (the `evidence` columns).
PARTNER_EVIDENCE = ("role", "list", "participation", "page")


def strongest_evidence(values: Iterable[str | None]) -> str | None:
    """The strongest of partner evidence values (None when there is none)."""
    known = [v for v in values if v in PARTNER_EVIDENCE]
    return min(known, key=PARTNER_EVIDENCE.index) if known else None


def make_doc_id(source: str) -> str:
    """Stable id of a document: a hash of its source, the same on every run."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def make_content_hash(raw: str) -> str:
    """A hash of a page's decoded content: equal for identical pages wherever they are."""
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


# The `rule` of a mention a statistical model found starts with this ("ner.<model>.org").
NER_RULE_PREFIX = "ner."


@dataclass
class Mention:
    """One extracted span of `Document.text`; `text == doc.text[start:end]`."""

    kind: str
    text: str
    start: int
    end: int
    rule: str
    value: str | None = None
    amount: float | None = None
    currency: str | None = None
    project_id: str | None = None

    def order(self) -> tuple[int, int, str, str, str]:
        """The mentions' order in a document and in the table: span, kind, rule, value."""
        return (self.start, self.end, self.kind, self.rule, self.value or "")


@dataclass
class Project:
    """One project named in one document."""

    project_id: str
    name: str | None = None
    acronym: str | None = None
    aliases: list[str] = field(default_factory=list)
    programme: str | None = None
    grant_number: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    duration_months: int | None = None
    total_budget: float | None = None
    eu_contribution: float | None = None
    currency: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Partner:
    """One partner organisation of a project (or of an untied list) in one document."""

    organization: str
    project_id: str | None = None
    country: str | None = None
    role: str | None = None
    evidence: str | None = None


@dataclass
class Document:
    """A page on its way through the stages; each stage fills its own fields."""

    doc_id: str
    source: str
    url: str | None = None
    raw: str = ""
    format: str = "text"
    encoding: str | None = None
    title: str | None = None
    published: str | None = None
    language: str = "und"
    text: str = ""
    status: str = STATUS_OK
    error: str | None = None
    about_funding: bool | None = None
    about_funding_reason: str | None = None
    content_hash: str | None = None
    duplicate_of: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)

    @classmethod
    def from_source(cls, source: str, **fields: object) -> Document:
        """A new document whose id is derived from its source."""
        return cls(doc_id=make_doc_id(source), source=source, **fields)

    def fail(self, stage: str, reason: str) -> None:
        """Mark the document as failed in `stage`, dropping anything half-built."""
        self.status = STATUS_ERROR
        self.error = f"{stage}: {reason}"
        self.mentions, self.projects, self.partners = [], [], []
        self.about_funding = self.about_funding_reason = None
