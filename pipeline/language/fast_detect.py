"""langdetect's Detector with its per-character loops made cheaper; the answers are identical.

langdetect (pinned) spends most of its time in pure-Python loops: it normalizes every
character through a binary search of the Unicode blocks, then updates 55 language
probabilities one by one for each sampled n-gram. `FastDetector` keeps the same algorithm,
the same random draws and the same floating-point operations in the same order, and only
changes how the loops are written: character normalization and block lookups are cached per
character, and the probability updates are numpy operations on the 55 probabilities at once
(each element gets the same IEEE operations, `p * (weight + q)` and `p / total`; the total is
still summed left to right in Python). `tests/test_fast_detect.py`
checks that its probabilities equal the stock detector's, bit for bit.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import numpy as np
from langdetect import detector_factory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.language import Language
from langdetect.utils.ngram import NGram
from langdetect.utils.unicode_block import unicode_block

SPACE_RUN = re.compile(" {2,}")
LATIN_EXTENDED_ADDITIONAL = "Latin Extended Additional"


@functools.lru_cache(maxsize=65536)
def _normalized(ch: str) -> str:
    return NGram.normalize(ch)


@functools.lru_cache(maxsize=65536)
def _counts_as_non_latin(ch: str) -> bool:
    return ch >= "\u0300" and unicode_block(ch) != LATIN_EXTENDED_ADDITIONAL


# The n-gram maps of the profiles seen, by id: kept alive here so that an id is never reused.
_PROFILES: dict[int, dict] = {}
# Each profile's n-gram probabilities as arrays, filled as n-grams are met.
_VECTORS: dict[int, dict[str, np.ndarray]] = {}


@functools.lru_cache(maxsize=100_000)
def _word_grams(profile: int, padded: str) -> tuple[str, ...]:
    """The known grams of one word padded with spaces (" word " or " word" at the text's end):
    at each position its 1-, 2- and 3-gram ending there; none where two capitals meet
    (langdetect's capital-word rule)."""
    known = _PROFILES[profile]
    out = []
    for j in range(1, len(padded)):
        ch = padded[j]
        if ch.isupper() and padded[j - 1].isupper():
            continue
        grams = (ch, padded[j - 1 : j + 1], padded[j - 2 : j + 1]) if j >= 2 else (ch, padded[:2])
        out += [g for g in grams if g != " " and g in known]
    return tuple(out)


class FastDetector(Detector):
    """A Detector whose results equal langdetect's own for the same factory and seed."""

    def append(self, text: str) -> None:
        """Add text: URLs and e-mail addresses blanked, runs of spaces collapsed."""
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        self.text += SPACE_RUN.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        """Drop Latin letters from a text written mostly in another script."""
        text = self.text
        latin = non_latin = 0
        for ch, n in Counter(text).items():
            if "A" <= ch <= "z":
                latin += n
            elif _counts_as_non_latin(ch):
                non_latin += n
        if latin * 2 < non_latin:
            self.text = "".join(ch for ch in text if ch < "A" or ch > "z")

    def _extract_ngrams(self) -> list[str]:
        """The known 1- to 3-grams of each word, in text order (see `_word_grams`)."""
        known = self.word_lang_prob_map
        _PROFILES.setdefault(id(known), known)
        text = self.text
        words = text.translate({ord(ch): _normalized(ch) for ch in set(text)}).split(" ")
        last = len(words) - 1
        result: list[str] = []
        for k, word in enumerate(words):
            if word:
                result += _word_grams(id(known), " " + word + " " if k < last else " " + word)
        return result

    def _detect_block(self) -> None:
        """langdetect's trials, each drawing n-grams until one language dominates; the
        probabilities of a trial are one array, updated and normalized in place."""
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        known = self.word_lang_prob_map
        vectors = _VECTORS.setdefault(id(known), {})
        langprob = [0.0] * len(self.langlist)
        self.random.seed(self.seed)
        for _ in range(self.n_trial):
            prob = np.array(self._init_probability(), dtype=np.float64)
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            i = 0
            while True:
                word = self.random.choice(ngrams)
                vector = vectors.get(word)
                if vector is None:
                    vector = vectors[word] = np.array(known[word], dtype=np.float64)
                prob *= weight + vector
                if i % 5 == 0:
                    prob /= sum(prob.tolist())
                    if prob.max() > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                        break
                i += 1
            for j, p in enumerate(prob.tolist()):
                langprob[j] += p / self.n_trial
        self.langprob = langprob


def detect_langs(text: str, seed: int = 0) -> list[Language]:
    """langdetect's `detect_langs` with a fixed seed, through `FastDetector`."""
    detector_factory.init_factory()
    factory = detector_factory._factory
    factory.set_seed(seed)
    detector = FastDetector(factory)
    detector.append(text)
    return detector.get_probabilities()
