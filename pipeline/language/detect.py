"""Language stage: seeded langdetect on the main text, ISO 639-1 or "und"."""

from __future__ import annotations

from functools import cache

import regex
from langdetect.lang_detect_exception import LangDetectException

from pipeline.document import Document
from pipeline.langdata import common_data
from pipeline.language.fast_detect import detect_langs

UNDETERMINED = "und"
MIN_LETTERS = 20
# langdetect's cost grows with the sample; 2,000 characters gave the same answer as 4,000 on
# every golden page and on 400 generated ones (600 did not: see bench/README.md).
SAMPLE_CHARS = 2000
LETTER = regex.compile(r"\p{L}")
# langdetect names Chinese variants with a region; the contract wants ISO 639-1 only.
ISO_639_1 = {"zh-cn": "zh", "zh-tw": "zh"}
# In an override's `detected`, whatever langdetect answered (for languages it has no profile of).
ANY_DETECTED = "*"


@cache
def overrides() -> tuple[dict, ...]:
    """The script and spelling cues of rules/common/languages.toml."""
    data = common_data("languages")
    return tuple(data["override"])


def _settle(detected: str, text: str) -> str:
    """Apply the first override whose cues the text carries."""
    lowered = text.lower()
    letters = len(LETTER.findall(lowered)) or 1
    for rule in overrides():
        if detected not in rule["detected"] and ANY_DETECTED not in rule["detected"]:
            continue
        if "letters" in rule:
            share = sum(lowered.count(ch) for ch in rule["letters"]) / letters
            if share >= rule["min_share"]:
                return rule["to"]
        if "words" in rule and sum(w in lowered for w in rule["words"]) >= rule["min_hits"]:
            return rule["to"]
    return detected


def guess_language(text: str) -> str:
    """ISO 639-1 code of `text`, or "und" when it is too short or detection fails."""
    sample = text[:SAMPLE_CHARS]
    if len(LETTER.findall(sample)) < MIN_LETTERS:
        return UNDETERMINED
    try:
        best = detect_langs(sample, seed=0)[0].lang
    except LangDetectException:
        return UNDETERMINED
    return _settle(ISO_639_1.get(best, best), sample)


def detect_language(doc: Document) -> Document:
    """Fill `doc.language` from the main text."""
    doc.language = guess_language(doc.text)
    return doc
