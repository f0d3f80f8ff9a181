"""Compiled rule sets kept on disk between runs.

Compiling the rules of every language takes seconds in each process (the `regex` module
parses patterns in Python). A compiled rule set is stored as a pickle in the cache folder,
once per language and per version of the code and the rule files (pipeline/version.py):
`regex` pickles a compiled pattern as its compiled code, so loading one costs no parsing,
and every process after the first that met a language loads it in milliseconds.

The folder is `NEWSFACTS_CACHE_DIR`, else `$XDG_CACHE_HOME/newsfacts`, else
`~/.cache/newsfacts`; `NEWSFACTS_CACHE_DIR=""` turns the cache off. Only the user's own
folder should be given: loading a pickle runs what it holds. A folder that cannot be written
or a file that cannot be read only means compiling again; a file of another code version is
never read, and a language keeps the files of its three newest versions.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from pipeline import langdata
from pipeline.version import package_version, rules_digest

CACHE_ENV = "NEWSFACTS_CACHE_DIR"
LOG = logging.getLogger("newsfacts")
# Packages whose objects the pickles hold (compiled patterns, literal automata).
PICKLED_PACKAGES = ("regex", "pyahocorasick")
# Files kept per language: the newest versions (two checkouts run side by side keep theirs).
KEPT_VERSIONS = 3


def cache_dir() -> Path | None:
    """The cache folder, None when the cache is turned off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured).expanduser() if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsfacts"


def cache_key() -> str:
    """What a stored rule set depends on: the code, the rule files the engine reads, and the
    versions of Python and of the pickled packages."""
    parts = [rules_digest(langdata.RULES_DIR), sys.version.split()[0]]
    parts += [f"{name}=={package_version(name)}" for name in PICKLED_PACKAGES]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def _path(folder: Path, lang: str, key: str) -> Path:
    return folder / f"rules-{lang}-{key}.pickle"


def read(lang: str) -> Any | None:
    """The stored rule set of `lang` for this code version, None when there is none."""
    folder = cache_dir()
    if folder is None:
        return None
    path = _path(folder, lang, cache_key())
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a damaged file of any kind is compiled anew
        LOG.debug("rule cache %s not read (%s): compiling", path, exc)
        return None


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def write(lang: str, ruleset: object) -> None:
    """Store the rule set of `lang` (atomically); of its files, the newest `KEPT_VERSIONS`
    stay."""
    folder = cache_dir()
    if folder is None:
        return
    key = cache_key()
    path = _path(folder, lang, key)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as fh:
            pickle.dump(ruleset, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        stored = sorted(folder.glob(f"rules-{lang}-*.pickle"), key=_modified, reverse=True)
        for old in stored[KEPT_VERSIONS:]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        LOG.debug("rule cache %s not written (%s)", path, exc)
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
