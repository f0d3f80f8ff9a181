"""Literal prefilters for regex rules: which rules can match a text, found without a search.

A pattern's literals (the words every match must contain, or start with) are checked on the
case-folded text first; only the rules a `LiteralIndex` admits are searched. The rules engine
(extract/rules.py) keeps one `RulePrefilters` a rule set, and the clean stage's boilerplate cues
one `LiteralIndex` for all their actions.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from re import _constants as sre
from re import _parser as sre_parser

import ahocorasick
import regex


@dataclass(frozen=True)
class Prefilter:
    """What a line must hold for a cue to match it, checked on the case-folded line: it
    starts with one of `prefixes` (the cue's anchored branches) or contains one of `needles`
    (its other branches)."""

    prefixes: tuple[str, ...]
    needles: tuple[str, ...]

    def admits(self, folded: str) -> bool:
        """False only when the cue cannot match the line whose `search_fold` is `folded`
        (`LiteralIndex` answers this for many prefilters at once)."""
        return folded.startswith(self.prefixes) or any(n in folded for n in self.needles)


def prefilter(pattern: str, fold: Callable[[str], str] | None = None) -> Prefilter | None:
    """The prefilter of a pattern, or None when some branch gives no literal to check (or
    Python's own parser does not take the pattern, or could misread it). Literals are folded
    by `fold` (default `search_fold`). `regex` syntax Python's parser does not take but that
    holds no literal (a property class such as `\\p{L}`) is read as a class it takes."""
    fold = fold or search_fold
    tree = _parsed(pattern)
    if tree is None:
        return None
    top = tree[0][1][1] if len(tree) == 1 and tree[0][0] is sre.BRANCH else [tree]
    prefixes: set[str] = set()
    needles: set[str] = set()
    for branch in map(list, top):
        if branch and branch[0] in ((sre.AT, sre.AT_BEGINNING), (sre.AT, sre.AT_BEGINNING_STRING)):
            starts = _prefixes(branch[1:], fold)
            if starts:
                prefixes |= starts
                continue
        found = _needles(branch, fold)
        if not found:
            return None
        needles |= found
    return Prefilter(tuple(sorted(prefixes)), tuple(sorted(needles)))


# `regex` syntax that Python's parser would take for literal text: a brace that is no
# quantifier (fuzzy matching "{e<=1}"), a nested set ("[[:alpha:]]", set operations).
MISREAD_SYNTAX = regex.compile(r"\{(?!\d*(?:,\d*)?\})|\[\[")
ESCAPE = regex.compile(r"\\[pPN]\{[^}]*\}|\\.", regex.DOTALL)

# What Python's parser does not take in a `regex` pattern, and a stand-in that keeps the
# literals: a property class becomes another class (`\w`, no literal either way), a named
# group (`regex` allows a name twice) a plain group. Escapes are matched first, so an escaped
# backslash or parenthesis is kept as it is.
REGEX_ONLY_SYNTAX = regex.compile(r"\\[pP]\{[^}]*\}|\\.|\(\?P<\w+>", regex.DOTALL)


def _parsed(pattern: str) -> list | None:
    """Python's parse of a `regex` pattern, its own syntax read as a class (None when the
    parser does not take the pattern or could misread it)."""
    if MISREAD_SYNTAX.search(ESCAPE.sub("", pattern)):
        return None
    try:
        return list(sre_parser.parse(REGEX_ONLY_SYNTAX.sub(_python_syntax, pattern)))
    except (re.error, RecursionError, OverflowError):
        return None


def _python_syntax(match: regex.Match) -> str:
    token = match.group(0)
    if token[1] in "pP" and token.endswith("}"):
        return r"\w"
    return "(" if token.startswith("(?P<") else token


def search_fold(text: str) -> str:
    """`text` folded so that a rule's literal, folded alike, is in it whenever the rule (any
    case flags) can match: case-folded, and the dotted and dotless i read as `i` (a
    case-insensitive `i` matches `İ` and `ı`, which case-fold to `i̇` and `ı`)."""
    return text.casefold().replace("\u0307", "").replace("ı", "i")


@cache
def rule_prefilter(pattern: str, cased: bool = False) -> Prefilter | None:
    """The prefilter of a mention rule's `regex` pattern, checked on `search_fold` text, or
    with `cased` (a pattern without any case-insensitive part) on the text as it is.
    Remembered per pattern: most common rules expand to the same pattern in every language.

    Rules are multi-line, so a `^` branch starts a line, not the text: its literals count as
    needles. Each literal is folded as the text is.
    """
    fold = str if cased else search_fold  # str: each literal as it is
    check = prefilter(REGEX_ONLY_SYNTAX.sub(_python_syntax, pattern), fold)
    if check is None:
        return None
    return Prefilter((), tuple(sorted(set(check.prefixes + check.needles))))


# An inline flag group that may turn case-insensitivity on: "(?i)", "(?i:", "(?si)".
INLINE_IGNORECASE = regex.compile(r"\(\?[a-zA-Z]*i")
NO_LITERAL = Prefilter((), ())  # admits no text (its rule is checked by the other index)


def is_cased(pattern: regex.Pattern) -> bool:
    """True when the pattern matches case-sensitively everywhere: no IGNORECASE flag and no
    inline flag that could set it (an escaped "\\(?i" also counts: the safe side)."""
    return not pattern.flags & regex.IGNORECASE and not INLINE_IGNORECASE.search(pattern.pattern)


ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
GUARD_CHARS = 4  # a guard of more first characters than this rejects too few positions


def start_guard(pattern: str, flags: int) -> str:
    """A lookahead for the characters every match of `pattern` starts with ("" when some
    match may start with a class or nothing): `regex` then tries a position only where one of
    them stands, instead of the rule's lookbehinds and long alternation ("(?i:projects?|…)")
    at every character. Cased patterns get the characters as they are, the others the guard
    with case ignored, so it admits every position the pattern could match at."""
    tree = _parsed(pattern)
    if tree is None:
        return ""
    consuming = list(itertools.dropwhile(lambda item: item[0] in ZERO_WIDTH, tree))
    starts = _prefixes(consuming, str)
    firsts = {s[0] for s in starts or ()}
    if not firsts or len({c.casefold() for c in firsts}) > GUARD_CHARS:
        return ""
    chars = "".join(regex.escape(c) for c in sorted(firsts))
    cased = not flags & regex.IGNORECASE and not INLINE_IGNORECASE.search(pattern)
    return f"(?=[{chars}])" if cased else f"(?=(?i:[{chars}]))"


class RulePrefilters:
    """Which mention rules may match a text, in one scan per fold of the text.

    A case-sensitive rule's literals are looked up in the text as it is (an upper-case
    "AS" is rare where "as" is everywhere); the other rules' in its `search_fold`.
    """

    def __init__(self, patterns: Sequence[regex.Pattern]) -> None:
        exact: list[Prefilter | None] = []
        folded: list[Prefilter | None] = []
        for pattern in patterns:
            if is_cased(pattern):
                exact.append(rule_prefilter(pattern.pattern, cased=True))
                folded.append(NO_LITERAL)
            else:
                exact.append(NO_LITERAL)
                folded.append(rule_prefilter(pattern.pattern))
        self._exact = LiteralIndex(exact)
        self._folded = LiteralIndex(folded)

    def admitted(self, text: str) -> tuple[int, ...]:
        """Positions (ascending) of the rules that may match `text`."""
        return set_bits(self._exact.bits(text) | self._folded.bits(search_fold(text)))


def _prefixes(items: list, fold: Callable[[str], str]) -> frozenset[str] | None:
    """Literals (folded by `fold`) one of which every match of `items` starts with."""
    run = ""
    for op, av in items:
        if op is not sre.LITERAL:
            break
        run += chr(av)
    if run:
        return frozenset({fold(run)})
    if not items:
        return None
    op, av = items[0]
    if op is sre.SUBPATTERN:
        return _prefixes(list(av[-1]), fold)
    if op is sre.BRANCH:
        starts = [_prefixes(list(b), fold) for b in av[1]]
        return frozenset().union(*starts) if starts and all(starts) else None
    return None


def _needles(
    items: Iterable[tuple[object, object]], fold: Callable[[str], str]
) -> frozenset[str] | None:
    """Literals (folded by `fold`) one of which every text that `items` match in contains: the
    most selective of its literal runs and of its groups, branches, repeated items (at least
    once) and positive lookarounds."""
    best: frozenset[str] | None = None

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        if run:
            consider(frozenset({fold("".join(run))}))
            run = []
        if op is sre.SUBPATTERN:
            consider(_needles(av[-1], fold))  # type: ignore[index]
        elif op is sre.BRANCH:
            branches = [_needles(b, fold) for b in av[1]]  # type: ignore[index]
            if branches and all(branches):
                consider(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            if av[0] >= 1:  # type: ignore[index]
                consider(_needles(av[2], fold))  # type: ignore[index]
        elif op is sre.ATOMIC_GROUP:
            consider(_needles(av, fold))  # type: ignore[arg-type]
        elif op is sre.ASSERT:  # a positive lookaround: what it sees is in the text too
            consider(_needles(av[1], fold))  # type: ignore[index]
    if run:
        consider(frozenset({fold("".join(run))}))
    return best


class LiteralIndex:
    """Which of many prefilters admit a case-folded text, found in one scan of the text.

    `admitted` gives the same positions as testing `Prefilter.admits` one by one (None always
    admits). The needles of all prefilters share one Aho-Corasick automaton, which reports
    every needle the text holds in a single pass, whatever their number; the prefixes (the
    literals a text must start with) are looked up by the text's first characters.
    """

    def __init__(self, prefilters: Sequence[Prefilter | None]) -> None:
        self._always = 0
        self._at_start: dict[str, int] = {}
        anywhere: dict[str, int] = {}
        for i, check in enumerate(prefilters):
            if check is None or "" in check.prefixes or "" in check.needles:
                self._always |= 1 << i
                continue
            for literal in check.prefixes:
                self._at_start[literal] = self._at_start.get(literal, 0) | 1 << i
            for literal in check.needles:
                anywhere[literal] = anywhere.get(literal, 0) | 1 << i
        self._start_lengths = sorted({len(literal) for literal in self._at_start})
        self._scan: ahocorasick.Automaton | None = None
        if anywhere:
            self._scan = ahocorasick.Automaton()
            for literal, bits in anywhere.items():
                self._scan.add_word(literal, bits)
            self._scan.make_automaton()

    def admitted(self, folded: str) -> tuple[int, ...]:
        """Positions (ascending) of the prefilters that admit the text `folded`."""
        return set_bits(self.bits(folded))

    def bits(self, folded: str) -> int:
        """The prefilters that admit the text `folded`, one bit each (bit i: prefilter i)."""
        bits = self._always
        if self._scan is not None:
            for _, found in self._scan.iter(folded):
                bits |= found
        for length in self._start_lengths:
            bits |= self._at_start.get(folded[:length], 0)
        return bits


@lru_cache(maxsize=4096)
def set_bits(bits: int) -> tuple[int, ...]:
    """Positions of the set bits of `bits`, ascending (most texts give one of a few sets)."""
    positions = []
    while bits:
        lowest = bits & -bits
        positions.append(lowest.bit_length() - 1)
        bits ^= lowest
    return tuple(positions)
