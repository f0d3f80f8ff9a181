"""Work units: whole input files, and WARCs with many pages cut into record ranges.

A WARC is read once in the main process (`read.files.scan_warc`: where each record starts,
which records give a page). One holding more than SPLIT_PAGES pages is cut into spans of
SPLIT_PAGES pages, and each span becomes a shard of its own: one big file keeps every worker
busy, a killed run resumes span by span, and progress moves page by page. A span starts at
the offset of a record and ends where the next span starts (the last one at the end of the
file), so the spans read in order give exactly the documents of the whole file, with the
same sources, and the tables are those of the unsplit run. A damaged WARC, or one gzipped as
a single stream, is not cut: reading it whole reports the damage as before.

`--limit N` counts pages: a page file is one, a WARC the pages the scan found in it (a
damaged one also gives its error row), a file the reader skips none. The last WARC is cut
after its N-th page.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.batch.shards import plan_shards, unit_key
from pipeline.read import inputs
from pipeline.read.files import input_kind, scan_warc

SPLIT_PAGES = 16
"""Pages of a WARC span (about the files of a shard, shards.SHARD_FILES)."""


@dataclass(frozen=True)
class Unit:
    """One input file, or the span of a WARC's records, with its pages and bytes."""

    rel: str
    span: inputs.Span | None = None
    pages: int = 1

    @property
    def key(self) -> str:
        """The unit's name in the reuse index (shards.unit_key)."""
        return unit_key(self.rel, self.span)


def plan_units(input_dir: str, rels: list[str], limit: int | None = None) -> list[Unit]:
    """The work units of the input files (in input order), at most `limit` pages of them."""
    units: list[Unit] = []
    pages = 0
    for rel in rels:
        if limit is not None and pages >= limit:
            break
        kind = input_kind(rel)
        if kind != "warc":
            units.append(Unit(rel, pages=int(kind is not None)))
            pages += units[-1].pages
            continue
        left = None if limit is None else limit - pages
        found = warc_units(input_dir, rel, left)
        units.extend(found)
        pages += sum(unit.pages for unit in found)
    return units


def warc_units(input_dir: str, rel: str, limit: int | None = None) -> list[Unit]:
    """A WARC as units: spans of SPLIT_PAGES pages, or the whole file when it holds fewer
    (or is damaged); with `limit`, only the records up to its `limit`-th page (a damaged
    file's error row counts as a page)."""
    try:
        with inputs.open_file(input_dir, rel) as (handle, size):
            layout = scan_warc(handle, size)
    except OSError:
        return [Unit(rel)]  # the reader reports why it cannot be read
    starts = [i for i, page in enumerate(layout.pages) if page]
    end = size
    if limit is not None and len(starts) > limit:
        end = layout.offsets[starts[limit]]  # before any damage
        starts = starts[:limit]
    elif not layout.whole:
        return [Unit(rel, pages=len(starts) + 1)]
    if len(starts) <= SPLIT_PAGES and end == size:
        return [Unit(rel, pages=len(starts))]
    cuts = [0] + [layout.offsets[i] for i in starts[SPLIT_PAGES::SPLIT_PAGES]] + [end]
    units = []
    for number, (start, stop) in enumerate(zip(cuts, cuts[1:], strict=False)):
        pages = min(SPLIT_PAGES, len(starts) - number * SPLIT_PAGES)
        units.append(Unit(rel, span=(start, stop), pages=pages))
    return units


def shard_units(units: list[Unit]) -> list[list[Unit]]:
    """Shards of the units, in input order: whole files cut as `shards.plan_shards` cuts
    them, and each span of a WARC alone."""
    planned: list[list[Unit]] = []
    whole: list[Unit] = []
    for unit in [*units, None]:
        if unit is not None and unit.span is None:
            whole.append(unit)
            continue
        by_rel = {each.rel: each for each in whole}
        for files in plan_shards([each.rel for each in whole]):
            planned.append([by_rel[rel] for rel in files])
        whole = []
        if unit is not None:
            planned.append([unit])
    return planned
