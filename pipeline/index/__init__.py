"""The index stage: projects and partners merged across pages into the archive-wide index."""
