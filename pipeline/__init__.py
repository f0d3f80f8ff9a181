"""newsfacts: facts about EU-funded projects from archived news pages."""

import os

# Arrow's own allocator (mimalloc) keeps what it frees for reuse. The main process reads
# thousands of small shard parts when it assembles the tables, and with that allocator it
# grew with the run (streaming the documents of 1,268 parts: 172 MB at the peak, against
# 102 MB with the C library's malloc, which returns freed memory). Chosen before pyarrow
# is loaded; a value the user set wins. docs/scale.md, "Order, streaming and memory".
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

from pipeline.document import Document, Mention, Partner, Project  # noqa: E402

__all__ = ["Document", "Mention", "Partner", "Project"]
