"""Boilerplate cues: load, validate and compile `rules/*/boilerplate.toml`.

Each file holds `[[rule]]` records (STYLE.md shape) and an optional `[fragments]` table of
named regex pieces that patterns use as `{NAME}`. A cue matches one stripped line of a
scrape (case-insensitive `regex.search`). Its `action` says what a match means:

- `drop`: the line is boilerplate (navigation, share buttons, disclaimers...). The default.
- `keep`: the line is content even when a `drop` cue matches (a grant-number sentence).
- `footer`: the line is boilerplate and so are the short lines after it (a copyright line).
- `heading`: the line is content, but a generic section heading, never the headline.
- `title_prefix`: a scrape artefact at the start of the headline; cut from the title only.
- `title_suffix`: a scrape artefact at the end of the headline (a glued date and source,
  the site's name); cut from the title only.

Every rule carries `examples` (lines it must match) and may carry `not` (lines it must not
match); tests run both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

from pipeline.extract.prefilter import LiteralIndex, prefilter, search_fold, set_bits
from pipeline.langdata import RULES_DIR, RuleError, expand, read_toml

KIND = "boilerplate"
ACTIONS = ("drop", "keep", "footer", "heading", "title_prefix", "title_suffix")
RULE_KEYS = {"name", "pattern", "action", "examples", "not", "note"}


@dataclass(frozen=True)
class Cue:
    """One compiled boilerplate cue; `rule_id` is `<lang>.boilerplate.<name>`."""

    rule_id: str
    action: str
    pattern: regex.Pattern
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]

    def matches(self, line: str) -> bool:
        """True when the cue fires on this (stripped) line."""
        return self.pattern.search(line) is not None


def _str_list(value: object, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{where}: `{key}` must be a list of strings")
    return tuple(value)


def load_cue_file(path: Path, lang: str) -> list[Cue]:
    """Parse and compile one boilerplate.toml; raise RuleError naming file and rule."""
    data = read_toml(path)
    unknown_top = set(data) - {"rule", "fragments"}
    if unknown_top:
        raise RuleError(f"{path}: unknown top-level keys {sorted(unknown_top)}")
    fragments = data.get("fragments", {})
    if not isinstance(fragments, dict) or not all(isinstance(v, str) for v in fragments.values()):
        raise RuleError(f"{path}: [fragments] must map names to regex strings")
    groups = {name: f"(?:{text})" for name, text in fragments.items()}
    cues: list[Cue] = []
    seen: set[str] = set()
    for i, rule in enumerate(data.get("rule", [])):
        name = rule.get("name")
        where = f"{path} rule #{i + 1} ({name or 'unnamed'})"
        if not isinstance(name, str) or not regex.fullmatch(r"[a-z0-9_]+", name):
            raise RuleError(f"{where}: `name` must be snake_case")
        if name in seen:
            raise RuleError(f"{where}: duplicate rule name")
        seen.add(name)
        extra = set(rule) - RULE_KEYS
        if extra:
            raise RuleError(f"{where}: unknown keys {sorted(extra)}")
        action = rule.get("action", "drop")
        if action not in ACTIONS:
            raise RuleError(f"{where}: action {action!r} is not one of {ACTIONS}")
        if not isinstance(rule.get("pattern"), str):
            raise RuleError(f"{where}: `pattern` must be a string")
        examples = _str_list(rule.get("examples"), "examples", where)
        if not examples:
            raise RuleError(f"{where}: every rule needs at least one example")
        counter = _str_list(rule.get("not", []), "not", where)
        try:
            pattern = regex.compile(expand(rule["pattern"], groups, where), regex.IGNORECASE)
        except regex.error as exc:
            raise RuleError(f"{where}: bad pattern: {exc}") from exc
        cues.append(Cue(f"{lang}.{KIND}.{name}", action, pattern, examples, counter))
    return cues


class CueSet:
    """The cues of all files, in a fixed order, grouped by action for fast classification.

    Most lines match no cue, and a search over a long line costs. Each cue's `Prefilter` is
    checked first, for all cues at once by one `LiteralIndex` (its bits: the cues grouped by
    action, in `ACTIONS` order): a cue it rules out cannot match and is skipped. `candidates`
    gives that scan of a line, which `first` takes for every action asked about the line.
    """

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = tuple(cues)
        self.by_action = {a: tuple(c for c in cues if c.action == a) for a in ACTIONS}
        grouped = [c for action in ACTIONS for c in self.by_action[action]]
        self._index = LiteralIndex([prefilter(c.pattern.pattern) for c in grouped])
        self._slots: dict[str, tuple[int, int]] = {}  # action -> (first bit, mask)
        offset = 0
        for action in ACTIONS:
            size = len(self.by_action[action])
            self._slots[action] = (offset, (1 << size) - 1)
            offset += size

    def __iter__(self) -> Iterator[Cue]:
        return iter(self.cues)

    def __len__(self) -> int:
        return len(self.cues)

    def candidates(self, line: str) -> int:
        """The cues (of any action) that may fire on the line, as bits for `first`."""
        return self._index.bits(search_fold(line))

    def first(self, action: str, line: str, candidates: int | None = None) -> Cue | None:
        """The first cue of this action that fires on the line; `candidates` is the line's
        `candidates(line)` when the caller has it already (one scan for all actions)."""
        if candidates is None:
            candidates = self.candidates(line)
        offset, mask = self._slots[action]
        group = self.by_action[action]
        for i in set_bits(candidates >> offset & mask):
            if group[i].pattern.search(line):
                return group[i]
        return None


@cache
def load_cues(rules_dir: Path = RULES_DIR) -> CueSet:
    """All boilerplate cues of every language folder, in a fixed (sorted) order."""
    cues: list[Cue] = []
    for path in sorted(rules_dir.glob(f"*/{KIND}.toml")):
        cues.extend(load_cue_file(path, path.parent.name))
    return CueSet(cues)
