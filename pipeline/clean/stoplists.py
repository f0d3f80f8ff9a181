"""Function-word lists of the rules languages, as spaCy's language packages ship them.

The clean stage runs before the page's language is known, so a page takes the list that
covers most of its words (jusText's idea: running text is dense in function words, menus,
captions and bylines are not). A language without a list in spaCy (Maltese) is left out;
its pages take the best of the others.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Sequence
from pathlib import Path

import regex

from pipeline.langdata import available_languages

TOKEN = regex.compile(r"\p{L}+")


def _stop_words(path: Path) -> frozenset[str]:
    """The STOP_WORDS of one of spaCy's `stop_words.py` files, read without importing the
    language package around it (whose tokenizer exceptions take seconds to load)."""
    spec = importlib.util.spec_from_file_location(f"_stop_words_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(word.lower() for word in module.STOP_WORDS)


@functools.cache
def stoplists() -> dict[str, frozenset[str]]:
    """Language code -> its function words (lower case), for the languages with a list."""
    spacy = importlib.util.find_spec("spacy")
    folder = Path(spacy.origin).parent / "lang"
    return {
        lang: _stop_words(folder / lang / "stop_words.py")
        for lang in available_languages()
        if (folder / lang / "stop_words.py").is_file()
    }


@functools.cache
def _languages_of_word() -> dict[str, tuple[int, ...]]:
    """Word -> the positions (in `stoplists()` order) of the lists that hold it."""
    index: dict[str, list[int]] = {}
    for position, words in enumerate(stoplists().values()):
        for word in words:
            index.setdefault(word, []).append(position)
    return {word: tuple(positions) for word, positions in index.items()}


def line_tokens(text: str) -> list[str]:
    """The lower-case letter words of a line."""
    return TOKEN.findall(text.lower())


def stopword_counts(lines: Sequence[list[str]]) -> list[int]:
    """For each line's tokens, how many are function words of the list that fits the page best."""
    index = _languages_of_word()
    hits = [0] * len(stoplists())
    for tokens in lines:
        for token in tokens:
            for position in index.get(token, ()):
                hits[position] += 1
    if not any(hits):
        return [0] * len(lines)
    best = list(stoplists().values())[max(range(len(hits)), key=hits.__getitem__)]
    return [sum(token in best for token in tokens) for tokens in lines]
