"""Progress of a run: a bar on a terminal, plain log lines everywhere else.

The lines go to the `newsfacts` logger (the command line sends it to stderr and to
`--log-file`): one each time the files done pass another tenth of the input, and at least one
every LINE_SECONDS. They are INFO when progress was asked for, else DEBUG (seen with `-v` and
in the log file). A run's tables never depend on any of this.
"""

from __future__ import annotations

import logging
import sys
import time

from tqdm import tqdm

LOG = logging.getLogger("newsfacts")
LINE_SECONDS = 30.0
STEPS = 10


class Progress:
    """Counts the pages done (of the pages planned) and the bytes read; shows them as a bar or
    as log lines."""

    def __init__(self, total: int, shown: bool) -> None:
        self.total = total
        self.pages = 0
        self.input_bytes = 0
        self.started = self.last_line = time.perf_counter()
        self.step = 0
        self.level = logging.INFO if shown else logging.DEBUG
        self.bar = tqdm(total=total, unit="page", file=sys.stderr) if shown and _tty() else None

    def update(self, pages: int, input_bytes: int) -> None:
        """Count a finished shard's pages; `input_bytes` is the run's total read so far."""
        self.pages += pages
        self.input_bytes = input_bytes
        if self.bar is not None:
            self.bar.set_postfix_str(f"{input_bytes / 2**20:.1f} MB", refresh=False)
            self.bar.update(pages)
            return
        step = self.pages * STEPS // self.total if self.total else STEPS
        now = time.perf_counter()
        if step > self.step or now - self.last_line >= LINE_SECONDS:
            self.step, self.last_line = step, now
            LOG.log(self.level, self.line(now - self.started))

    def line(self, seconds: float) -> str:
        """"progress: 120/400 pages (30 %), 3.1 MB read, 2.5 pages/s, 52 s"."""
        share = min(100 * self.pages // self.total, 100) if self.total else 100
        rate = self.pages / seconds if seconds else 0.0
        return (
            f"progress: {self.pages}/{self.total} pages ({share} %), "
            f"{self.input_bytes / 2**20:.1f} MB read, {rate:.1f} pages/s, {seconds:.0f} s"
        )

    def close(self) -> None:
        """Put the bar away."""
        if self.bar is not None:
            self.bar.close()


def _tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
