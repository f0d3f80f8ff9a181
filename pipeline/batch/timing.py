"""Lightweight per-stage timing: seconds per stage name, summed over documents.

The run times every stage in `run.STAGES` plus "read" and "write" on its own. Code inside a
stage can time a part of its work with `timed("name")` (it lands in `SECONDS`), and setting
`NEWSFACTS_TIME_NER=1` times every spaCy call as "ner" without any change to the stages.
"""

from __future__ import annotations

import functools
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

SECONDS: Counter[str] = Counter()
NER_ENV = "NEWSFACTS_TIME_NER"
_hooked = False


@contextmanager
def timed(name: str, into: Counter | None = None) -> Iterator[None]:
    """Add the seconds spent in the body to `into[name]` (default: the process-wide `SECONDS`)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        (SECONDS if into is None else into)[name] += time.perf_counter() - started


def _timed_pipe(pipe: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    @functools.wraps(pipe)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        results = pipe(self, *args, **kwargs)
        while True:
            with timed("ner"):
                try:
                    doc = next(results)
                except StopIteration:
                    return
            yield doc

    return wrapper


def _timed_call(call: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(call)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with timed("ner"):
            return call(self, *args, **kwargs)

    return wrapper


def time_spacy_calls() -> None:
    """Time every spaCy `nlp(text)` and `nlp.pipe(texts)` as "ner" when NEWSFACTS_TIME_NER=1."""
    global _hooked
    if _hooked or os.environ.get(NER_ENV) != "1":
        return
    from spacy.language import Language

    Language.__call__ = _timed_call(Language.__call__)
    Language.pipe = _timed_pipe(Language.pipe)
    _hooked = True
