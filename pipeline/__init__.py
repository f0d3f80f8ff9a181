"""newsfacts: facts about EU-funded projects from archived news pages.

`extract_facts(text_or_html)` gives one page's facts as a `Document`; `run(input_dir,
output_dir)` writes the Parquet tables of a whole folder. Importing the package loads
neither (nor spaCy, nor Arrow) and changes nothing in the environment: the stages load on
first use (`pipeline/api.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipeline.document import Document, Mention, Partner, Project

if TYPE_CHECKING:
    from pipeline.api import RunError, RunSummary, extract_facts, run

__all__ = [
    "Document",
    "Mention",
    "Partner",
    "Project",
    "RunError",
    "RunSummary",
    "extract_facts",
    "run",
]
API = {"RunError", "RunSummary", "extract_facts", "run"}


def __getattr__(name: str) -> Any:
    """The API names, imported from pipeline.api when first asked for."""
    if name in API:
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
