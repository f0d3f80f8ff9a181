"""Cue words of a language (rules/<lang>/language.toml [cues]) found in a text."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from pipeline.langdata import Language


@dataclass(frozen=True)
class Cue:
    """One cue word found in the text."""

    start: int
    end: int
    name: str


def _cue_alternation(words: Iterable[str]) -> str:
    parts = []
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        if w.endswith("*"):
            parts.append(regex.escape(w[:-1]) + r"\p{L}{0,5}")
        else:
            parts.append(regex.escape(w).replace(r"\ ", r"\s+"))
    return "|".join(parts)


def cue_pattern(lang: Language, name: str) -> regex.Pattern | None:
    """The cue words `name` of a language as one case-insensitive, word-bounded pattern."""
    return _compile_cues(tuple(w for w in lang.cues(name) if w.strip()))


@functools.cache
def _compile_cues(words: tuple[str, ...]) -> regex.Pattern | None:
    if not words:
        return None
    return regex.compile(
        rf"(?<![\p{{L}}\d])(?:{_cue_alternation(words)})(?![\p{{L}}])", regex.IGNORECASE
    )


def find_cues(
    text: str, lang: Language, names: Iterable[str], start: int = 0, end: int = -1
) -> list[Cue]:
    """Cue words of the lists `names` in text[start:end]; a cue inside a longer one is dropped."""
    end = len(text) if end < 0 else end
    found: list[Cue] = []
    for name in names:
        pattern = cue_pattern(lang, name)
        if pattern is None:
            continue
        found += [Cue(m.start(), m.end(), name) for m in pattern.finditer(text, start, end)]
    found.sort(key=lambda c: (c.start, -(c.end - c.start), c.name))
    out: list[Cue] = []
    reach = -1  # furthest end of the cues that start before the current start
    group_start, group_end = -1, -1  # the current start, and the furthest end of its cues
    for c in found:
        if c.start != group_start:
            reach, group_start, group_end = max(reach, group_end), c.start, -1
        if reach < c.end and group_end <= c.end:
            out.append(c)
        group_end = max(group_end, c.end)
    return out


@functools.cache
def ignorecase(pattern: str) -> regex.Pattern:
    """`pattern` compiled case-insensitively, once per process (cue patterns built per call)."""
    return regex.compile(pattern, regex.IGNORECASE)
