"""Language stage: seeded langdetect, ISO 639-1, "und" for too little text, script cues."""

import pytest

from pipeline.document import Document
from pipeline.language.detect import detect_language, guess_language, overrides

SAMPLES = [
    ("en", "The project is funded by the ERASMUS+ program, key action 2."),
    ("bg", "Община Благоевград спечели три проекта на стойност 1 306 474 лева по програмата."),
    ("es", "La Diputación de Teruel refuerza su papel de liderazgo europeo en el proyecto."),
    ("it", "Il progetto è finanziato dal programma Interreg e coinvolge otto partner europei."),
    ("de", "Das Projekt wird von der Europäischen Union im Rahmen von Horizont Europa gefördert."),
    ("fr", "Le projet est financé par le programme Erasmus+ de l'Union européenne pour trois ans."),
    ("cs", "Projekt je financován z programu Interreg a bulharský projektový partner se zapojil."),
    ("pl", "Projekt jest współfinansowany ze środków Unii Europejskiej w ramach Interreg."),
    ("el", "Το έργο χρηματοδοτείται από το πρόγραμμα Interreg Ελλάδα – Βουλγαρία 2014-2020."),
    ("ro", "Proiectul este finanțat prin programul Interreg România-Bulgaria timp de trei ani."),
    ("hu", "A projekt az Európai Unió támogatásával, az Európai Regionális Fejlesztési Alap "
     "társfinanszírozásával valósul meg. A támogatás összege 150 millió forint."),
    # Slovenian with mesto, upravna, na primer; Croatian with Srbija, Beograd, upravljačko:
    # words Serbian shares with them do not make the page Serbian.
    ("sl", "Mestna občina Koper je skupaj z upravno enoto pripravila projekt, ki bo mesto "
     "povezal s Trstom. Na primer, nova kolesarska pot bo zgrajena do leta 2026, vrednost "
     "projekta je 1,2 milijona evrov."),
    ("hr", "Projekt Interreg IPA Hrvatska-Srbija provodi Grad Vukovar u suradnji s partnerima "
     "iz Beograda. Upravljačko tijelo programa odobrilo je sredstva, a Srbija i Hrvatska "
     "nastavljaju suradnju."),
    ("pt", "O projeto é cofinanciado pelo FEDER através do programa Norte 2020 e tem parceiros."),
    ("nl", "Het project wordt gefinancierd door de Europese Unie en de partners werken samen."),
    ("sk", "Projekt je spolufinancovaný Európskou úniou z Integrovaného regionálneho programu."),
    ("et", "Projekti rahastab Euroopa Liit Interreg programmist, partnerid on Soomest ja Lätist."),
    ("lv", "Projekts tiek finansēts no Eiropas Reģionālās attīstības fonda, partneri ir no "
     "Lietuvas."),
    ("lt", "Projektas finansuojamas Europos Sąjungos lėšomis, partneriai iš Latvijos ir Lenkijos."),
    ("lt", "LIFE GEBĖJIMŲ STIPRINIMAS LIETUVOJE"),
]


@pytest.mark.parametrize(("expected", "text"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_language_detects_eu_languages(expected, text):
    assert guess_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "2020 - 2022", "Image", "© 2024"])
def test_language_too_little_text_is_und(text):
    assert guess_language(text) == "und"


def test_language_same_answer_every_time():
    short = "Блог публикации и новини от клъстера"
    assert len({guess_language(short) for _ in range(12)}) == 1


@pytest.mark.parametrize(
    ("rule", "example"),
    [(rule, example) for rule in overrides() for example in rule["examples"]],
    ids=lambda value: value["to"] if "to" in value else value["expected"],
)
def test_language_override_examples(rule, example):
    assert guess_language(example["text"]) == example["expected"]


def test_language_stage_fills_document():
    doc = Document.from_source("a.txt", text=SAMPLES[1][1])
    assert detect_language(doc).language == "bg"
