"""newsfacts: facts about EU-funded projects from archived news pages."""

from pipeline.document import Document, Mention, Partner, Project

__all__ = ["Document", "Mention", "Partner", "Project"]
