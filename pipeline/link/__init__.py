"""The link stage: Mentions grouped into project records, their attributes and their partners."""
