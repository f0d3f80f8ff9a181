"""FastDetector gives langdetect's own probabilities, bit for bit, on real and odd texts."""

from __future__ import annotations

import pytest
from corpus_sets import train_pages
from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect import detector_factory
from langdetect.lang_detect_exception import LangDetectException

from pipeline.language.fast_detect import FastDetector, detect_langs

PAGES = train_pages()
ODD_TEXTS = [
    "See https://example.org/a?b=1 or write to info@example.org today, please.",
    "ПРОЕКТ BG05M2OP001-2.016-0001 „Модернизация на висшите училища“ – Sofia University",
    "Tiếng Việt có dấu: Hà Nội, Thành phố Hồ Chí Minh, người Việt",
    "東京大学と京都大学は共同研究プロジェクトを開始しました。ひらがな カタカナ",
    "Bună ziua: proiectul ș ț Ș Ț și țară",
    "دانشگاه تهران ی ي في المشروع",
    "한국어 문장입니다 프로젝트",
    "ALL CAPITALS WORDS HERE AND THERE   with    spaces\t\tand tabs",
    "x" * 30 + "   " + "Ελληνικά κείμενα για το έργο " * 3,
]


def stock(text: str) -> list[tuple[str, float]]:
    detector_factory.init_factory()
    factory = detector_factory._factory
    factory.set_seed(0)
    detector = factory.create()
    detector.append(text)
    return [(x.lang, x.prob) for x in detector.get_probabilities()]


def fast(text: str) -> list[tuple[str, float]]:
    return [(x.lang, x.prob) for x in detect_langs(text, seed=0)]


def both(text: str) -> tuple[object, object]:
    """The two detectors' results, or the exception type each raised."""
    out = []
    for detect in (stock, fast):
        try:
            out.append(detect(text))
        except LangDetectException as exc:
            out.append(type(exc))
    return out[0], out[1]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_detect_equals_langdetect_on_golden_pages(path):
    text = path.read_text(encoding="utf-8")[:2000]
    expected, got = both(text)
    assert got == expected


@pytest.mark.parametrize("text", ODD_TEXTS, ids=lambda t: t[:40])
def test_fast_detect_equals_langdetect_on_odd_texts(text):
    expected, got = both(text)
    assert got == expected


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_fast_detect_equals_langdetect_on_any_text(text):
    expected, got = both(text)
    assert got == expected


def test_fast_detect_is_a_langdetect_detector():
    detector_factory.init_factory()
    detector = FastDetector(detector_factory._factory)
    detector.append("Der Projektpartner aus Österreich leitet das Arbeitspaket.")
    assert detector.detect() == "de"
