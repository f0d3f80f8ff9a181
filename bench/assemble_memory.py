"""Peak memory of the final assembly (tables and archive-wide indexes) as the run grows.

    python bench/assemble_memory.py                 400 pages, assembled 1, 5 and 50 times over
    python bench/assemble_memory.py --pages 200 --times 1 10

One run of the pipeline on a generated corpus (bench/throughput.py builds it) leaves its
shard parts; each figure is a fresh process that assembles those parts N times over (the
same part listed N times: N times the rows, as a run N times the size would give) and prints
its peak resident memory, once with the C library's malloc (what newsfacts picks for Arrow,
ARROW_DEFAULT_MEMORY_POOL=system) and once with pyarrow's own default, mimalloc, which keeps
freed memory for reuse.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from throughput import REPO, SHARED, build_corpus


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def assemble_times(output: Path, target: Path, times: int) -> dict:
    """(In a child) assemble the parts of `output` `times` over into `target`."""
    from pipeline.batch.shards import assemble, parts_dir, state_dir

    manifest = json.loads((state_dir(output) / "run.json").read_text())["manifest"]
    state_dir(target).mkdir(parents=True)
    parts_dir(target).symlink_to(parts_dir(output).resolve())
    before = peak_mb()
    rows = assemble(target, manifest * times)
    return {"times": times, "rows": rows, "before_mb": before, "peak_mb": peak_mb()}


def main() -> None:
    """Command line of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=400, help="pages of the generated corpus")
    parser.add_argument("--times", type=int, nargs="+", default=[1, 5, 50])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        output, target, times = args.child
        print(json.dumps(assemble_times(Path(output), Path(target), int(times))))
        return
    from pipeline.batch.run import run

    with tempfile.TemporaryDirectory(prefix="newsfacts-assemble-") as tmp:
        corpus, output = Path(tmp) / "corpus", Path(tmp) / "out"
        build_corpus(corpus, args.pages, args.shared)
        run(corpus, output)
        print(f"{args.pages} pages; peak RSS of a process assembling their parts N times over:")
        for times in args.times:
            peaks = []
            for pool in ("system", "mimalloc"):
                env = dict(os.environ, PYTHONPATH=str(REPO), ARROW_DEFAULT_MEMORY_POOL=pool)
                target = f"{tmp}/x{times}-{pool}"
                done = subprocess.run(
                    [sys.executable, __file__, "--child", str(output), target, str(times)],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                result = json.loads(done.stdout.strip().splitlines()[-1])
                peaks.append(f"{result['peak_mb']:.0f} MB with the {pool} allocator")
            rows = result["rows"]
            print(
                f"  N={times:3d}: {rows['projects']:7d} project rows, {rows['partners']:7d} "
                f"partner rows; started at {result['before_mb']:.0f} MB, peak " + ", ".join(peaks)
            )


if __name__ == "__main__":
    main()
