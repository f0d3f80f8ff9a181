"""Grant numbers: cleaned spelling, identity key, and the shape check against the programme.

The shapes are data in `rules/common/grant_shapes.toml`, each with its examples.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.index.names import programme_key, to_latin_lookalikes
from pipeline.langdata import RuleError, common_data, expand

SHAPES_FILE = Path(__file__).parents[1] / "rules" / "common" / "grant_shapes.toml"
DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]")
SPACE_AROUND = re.compile(r"\s*([-/._])\s*")
REQUIRED = ("name", "programme", "pattern", "key", "examples")


@dataclass(frozen=True)
class GrantShape:
    """One accepted shape of grant number and the programme(s) it implies."""

    name: str
    programme: str
    compatible: tuple[str, ...]
    pattern: re.Pattern
    key: str
    examples: tuple[dict, ...]
    counter_examples: tuple[str, ...]


@dataclass(frozen=True)
class GrantCheck:
    """What the shapes say about one grant number."""

    text: str
    key: str
    valid: bool
    shape: str | None = None
    programme: str | None = None
    compatible: tuple[str, ...] = ()

    def fits(self, programme: str | None) -> bool:
        """True when `programme` may carry a number of this shape (or nothing is known)."""
        if not self.valid or not programme:
            return True
        allowed = {programme_key(p) for p in (self.programme, *self.compatible)}
        return programme_key(programme) in allowed


def _compile(rule: dict, fragments: dict[str, str]) -> GrantShape:
    name = rule.get("name", "?")
    missing = [k for k in REQUIRED if k not in rule]
    if missing:
        raise RuleError(f"{SHAPES_FILE.name}: rule {name}: missing {', '.join(missing)}")
    try:
        pattern = re.compile(expand(rule["pattern"], fragments, f"{SHAPES_FILE.name}: rule {name}"))
    except re.error as exc:
        raise RuleError(f"{SHAPES_FILE.name}: rule {name}: bad pattern: {exc}") from exc
    groups = set(re.findall(r"\{(\w+)\}", rule["key"]))
    if not groups <= set(pattern.groupindex):
        raise RuleError(f"{SHAPES_FILE.name}: rule {name}: key uses unknown groups")
    if not rule["examples"]:
        raise RuleError(f"{SHAPES_FILE.name}: rule {name}: no examples")
    return GrantShape(
        name=name,
        programme=rule["programme"],
        compatible=tuple(rule.get("compatible", ())),
        pattern=pattern,
        key=rule["key"],
        examples=tuple(rule["examples"]),
        counter_examples=tuple(rule.get("not", ())),
    )


@cache
def load_shapes() -> tuple[GrantShape, ...]:
    """The grant shapes, compiled and checked, in file order."""
    data = common_data("grant_shapes")
    shapes = tuple(_compile(rule, data.get("fragments", {})) for rule in data["rule"])
    names = [s.name for s in shapes]
    if len(set(names)) != len(names):
        raise RuleError(f"{SHAPES_FILE.name}: duplicate rule names")
    return shapes


def clean_grant(text: str) -> str:
    """A grant number as it should be shown: upper case, Latin letters, no stray spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = to_latin_lookalikes(DASHES.sub("-", text)).upper()
    return SPACE_AROUND.sub(r"\1", " ".join(text.split()))


def compact_grant(text: str) -> str:
    """The form the shapes are matched on: cleaned, no whitespace, '_' as '-'."""
    return re.sub(r"\s+", "", clean_grant(text)).replace("_", "-")


def check_grant(text: str) -> GrantCheck:
    """Match a grant number against the shapes; unknown shapes are `valid=False`."""
    compact = compact_grant(text)
    for shape in load_shapes():
        match = shape.pattern.fullmatch(compact)
        if match:
            values = {k: v or "" for k, v in match.groupdict().items()}
            return GrantCheck(
                text=clean_grant(text),
                key=shape.key.format(**values),
                valid=True,
                shape=shape.name,
                programme=shape.programme,
                compatible=shape.compatible,
            )
    return GrantCheck(text=clean_grant(text), key=f"RAW:{compact}", valid=False)
