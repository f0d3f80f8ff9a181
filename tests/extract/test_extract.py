"""The extract stage on real page text: offsets, overlaps, order, values, routing."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from corpus_sets import CORPUS, train_pages

from pipeline import extract_facts
from pipeline.document import Document
from pipeline.extract.mentions import extract, fold_homoglyphs, mask_long_tokens, standalone
from pipeline.extract.prefilter import (
    RulePrefilters,
    is_cased,
    rule_prefilter,
    search_fold,
    start_guard,
)
from pipeline.extract.rules import load_rules
from pipeline.langdata import available_languages

FIXTURES = Path(__file__).parents[1] / "fixtures" / "extract"
PAGES = [
    ("en", "en_cosme_launch.txt"),
    ("bg", "bg_interreg_municipality.txt"),
    ("en", "en_horizon_archive.txt"),
]


def _doc(lang: str, text: str) -> Document:
    return extract(Document.from_source("t.txt", text=text, language=lang))


@pytest.fixture(scope="module")
def pages(english_ner) -> dict[str, Document]:
    return {name: _doc(lang, (FIXTURES / name).read_text(encoding="utf-8")) for lang, name in PAGES}


def _found(doc: Document, kind: str) -> set[str | None]:
    return {m.value for m in doc.mentions if m.kind == kind}


@pytest.mark.parametrize(("lang", "name"), PAGES)
def test_extract_surface_is_the_text_slice(pages, lang, name):
    doc = pages[name]
    assert doc.mentions
    for m in doc.mentions:
        assert doc.text[m.start : m.end] == m.text


@pytest.mark.parametrize(("lang", "name"), PAGES)
def test_extract_sorted_and_deterministic(pages, lang, name):
    doc = pages[name]
    keys = [(m.start, m.end, m.kind, m.rule) for m in doc.mentions]
    assert keys == sorted(keys)
    again = _doc(lang, doc.text)
    assert again.mentions == doc.mentions


@pytest.mark.parametrize(("lang", "name"), PAGES)
def test_extract_no_overlap_within_a_kind(pages, lang, name):
    by_kind: dict[str, list] = {}
    for m in pages[name].mentions:
        by_kind.setdefault(m.kind, []).append(m)
    for ms in by_kind.values():
        for a in ms:
            for b in ms:
                if a is not b and a.start < b.end and b.start < a.end:
                    assert (a.start, a.end, a.rule) == (b.start, b.end, b.rule)  # a range's ends


def test_extract_english_page_facts(pages):
    doc = pages["en_cosme_launch.txt"]
    assert _found(doc, "programme") == {"COSME"}
    assert _found(doc, "grant_number") == {"COS-CLUSINT-2019-3-01-951206"}
    assert {(m.amount, m.currency) for m in doc.mentions if m.kind == "money"} == {
        (498686.0, "EUR"),
        (448815.0, "EUR"),
    }
    assert _found(doc, "date") == {"2020-09-01"}
    assert _found(doc, "duration") == {"24"}
    assert {"ES", "BE", "DK", "PL", "US", "SG", "CN"} <= _found(doc, "country")
    orgs = _found(doc, "organization")
    assert {"Cluster Sofia Knowledge City", "GAIA", "HOEN", "DSP Valley", "CSKC", "FDKO"} <= orgs
    assert "eT4S" not in orgs  # a project, not an organisation
    assert "European Technology for Sustainable Development" not in orgs


def test_extract_bulgarian_page_facts(pages):
    doc = pages["bg_interreg_municipality.txt"]
    assert _found(doc, "programme") == {"Interreg"}
    assert {(m.amount, m.currency) for m in doc.mentions if m.kind == "money"} == {
        (1306474.0, "BGN"),
        (1306474.4, "BGN"),
        (312928.0, "BGN"),
        (234000.0, "EUR"),
        (457657.2, "BGN"),
    }
    assert _found(doc, "country") == {"GR", "BG"}
    assert "Община Благоевград" in _found(doc, "organization")
    assert not any("Комитета" in (v or "") for v in _found(doc, "organization"))


def test_extract_acronyms_and_call_codes(pages):
    doc = pages["en_horizon_archive.txt"]
    orgs = _found(doc, "organization")
    assert {"Media City Bergen AS", "MCB", "Athens Technology Center", "ATC", "F6S"} <= orgs
    assert "Thessaloniki" not in orgs
    assert _found(doc, "grant_number") == {"871552"}
    assert _found(doc, "programme") == {"Horizon 2020"}
    assert {"2020-02-24", "2020-02-25", "2020-01-01", "2022-01-31"} <= _found(doc, "date")


def test_extract_homoglyphs_fold_inside_latin_words():
    assert fold_homoglyphs("Cluster Sofia Кnowledge City") == "Cluster Sofia Knowledge City"
    assert fold_homoglyphs("Τhe tour") == "The tour"
    assert fold_homoglyphs("Клъстер София") == "Клъстер София"


def test_extract_homoglyph_name_gets_a_latin_value(english_ner):
    doc = _doc("en", "The capacity of Cluster Sofia Кnowledge City grows.")
    orgs = [m for m in doc.mentions if m.kind == "organization"]
    assert [(m.text, m.value) for m in orgs] == [
        ("Cluster Sofia Кnowledge City", "Cluster Sofia Knowledge City")
    ]


def test_extract_language_without_folder_uses_common_and_english_rules():
    doc = _doc("lb", "De Projet 2020-1-LU01-KA202-078912 huet e Budget vun 250.000 EUR.")
    assert _found(doc, "grant_number") == {"2020-1-LU01-KA202-078912"}
    assert _found(doc, "programme") == {"Erasmus+"}
    assert {(m.amount, m.currency) for m in doc.mentions if m.kind == "money"} == {
        (250000.0, "EUR")
    }


def test_extract_empty_text_gives_no_mentions():
    assert _doc("en", "").mentions == []


# Per-field F1 floors on real pages in cs, it, de, fr, ro, el, pl, sr (tests/corpus/hidden_like).
# A floor moves only by an explicit update, with the reason in the commit message.
HIDDEN_LIKE_FLOORS = {
    "programmes": 0.95,
    "grant_numbers": 0.95,
    "amounts": 0.95,
    "dates": 0.95,
    "organizations": 0.72,
    "countries": 0.95,
}


def test_extract_hidden_like_pages_meet_the_floors():
    from pipeline.tools.evaluate import evaluate_extraction

    scores = evaluate_extraction(CORPUS / "hidden_like.gold.jsonl", CORPUS / "hidden_like")
    below = {f: scores[f]["f1"] for f, low in HIDDEN_LIKE_FLOORS.items() if scores[f]["f1"] < low}
    assert below == {}


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        ("cs", "společnost ABC s.r.o. a firma", "ABC s.r.o."),
        ("de", "gemeinsam mit Naturpark Bayerwald e.V. aus Zwiesel", "Naturpark Bayerwald e.V."),
        ("el", "η εταιρεία Τεχνική Α.Ε. ανέλαβε", "Τεχνική Α.Ε."),
        ("de", "Die Nordwind GmbH baut", "Nordwind GmbH"),
        ("it", "Il Comune di Udine e la Regione Veneto", "Comune di Udine"),
        ("fr", "La Région Grand Est soutient", "Région Grand Est"),
        ("pt", "A empresa Biofabics, S.A. integra o consórcio", "Biofabics, S.A."),
        ("pt", "A Universidade de Aveiro coordena", "Universidade de Aveiro"),
        ("nl", "De Provincie Zeeland is partner", "Provincie Zeeland"),
        ("sk", "zmluvu podpísala firma Stavby Nitra s.r.o. s obcou", "Stavby Nitra s.r.o."),
    ],
)
def test_extract_org_keeps_legal_form_dot_and_drops_article(lang, text, name):
    assert name in _found(_doc(lang, text), "organization")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Die Mitglieder haben 10 Projekte mit rund 12,8 Mio. EUR (EFRE) genehmigt."),
        ("it", "Il Fondo europeo di sviluppo regionale (FESR) finanzia la Regione Veneto."),
        ("el", "από το Ευρωπαϊκό Ταμείο Περιφερειακής Ανάπτυξης - ΕΤΠΑ (80%)"),
    ],
)
def test_extract_funds_are_not_organizations(lang, text):
    orgs = _found(_doc(lang, text), "organization")
    assert not {"EFRE", "FESR", "ΕΤΠΑ"} & orgs


def test_extract_name_found_by_a_project_rule_is_not_an_organization():
    text = (
        "De volgende projecten werden goedgekeurd:\n\n4A - Lerende Euregio Scheldemond\n1B - OPAV\n"
    )
    doc = _doc("nl", text)
    assert "Lerende Euregio Scheldemond" in _found(doc, "project")
    assert "Lerende Euregio Scheldemond" not in _found(doc, "organization")


def test_extract_acronym_of_an_organization_stays_an_organization():
    text = "Predkladateľom je Slovenská akadémia vied (SAV). Cieľom projektu SAV je centrum."
    assert "SAV" in _found(_doc("sk", text), "organization")


@pytest.mark.parametrize(
    ("lang", "text", "kept", "dropped"),
    [
        (
            "en",
            "partners from Belgium (European Projects Association), from Croatia (Informo) met",
            {"European Projects Association", "Informo"},
            {"Croatia (Informo"},
        ),
        (
            "en",
            "The Project Office and the Programme Committee approved the Erasmus Projects.",
            set(),
            {"Project Office", "Programme Committee"},
        ),
        # plans, platforms and handbooks are no bodies; a legal form makes one
        (
            "en",
            "The Financial Handbook and the Knowledge-Sharing Platform were written by "
            "Priority Ltd for the partners.",
            {"Priority Ltd"},
            {"Financial Handbook", "Knowledge-Sharing Platform"},
        ),
    ],
)
def test_extract_org_head_word_outweighs_reject_word(lang, text, kept, dropped):
    orgs = _found(_doc(lang, text), "organization")
    assert kept <= orgs
    assert not dropped & orgs


def test_extract_an_eu_institution_is_no_organisation():
    # a real line of a train page: the Commission, inflected (CONVENTIONS)
    line = "získal nejvyšší příspěvek na kofinancování od Evropské komise – přes 5 milionů"
    assert _found(_doc("cs", line), "organization") == set()


def test_extract_no_organisation_inside_a_project_name():
    text = (
        "The University of Forestry is the Coordinator of the project “B-LAND: Promote and "
        "Strengthen Business Development Skills in Rural Communities”, No. "
        "2020-1-BG01-KA202-079089."
    )
    orgs = _found(_doc("en", text), "organization")
    assert "University of Forestry" in orgs
    assert "Business Development Skills" not in orgs


def test_extract_listed_project_ends_before_the_organisation_that_carries_it():
    # items under a header that counts the selected projects: each title goes on with its
    # beneficiary, joined by a preposition (with or without an article)
    text = (
        "Su 476 proposte la Commissione ha selezionato 64 progetti, di cui 9 italiani:\n"
        "- Acque Vive del Ticino dell'Università di Pavia;\n"
        "- Boschi Antichi della Regione Toscana;\n"
    )
    doc = _doc("it", text)
    assert _found(doc, "project") == {"Acque Vive del Ticino", "Boschi Antichi"}
    assert {"Università di Pavia", "Regione Toscana"} <= _found(doc, "organization")


def test_extract_project_acronym_is_never_an_organisation_elsewhere():
    text = (
        "On October 13-14, 2020 the Kick Off Meeting of the EFFECTOR project took place "
        "virtually. Sixteen partners got together to launch the EFFECTOR activities."
    )
    assert "EFFECTOR" not in _found(_doc("en", text), "organization")


def test_extract_finnish_project_glued_to_its_word_is_no_organisation():
    text = "EU myönsi UNITE!-hankkeelle kahden miljoonan euron lisärahoituksen. UNITE!-verkosto"
    doc = _doc("fi", text)
    assert "UNITE" in _found(doc, "project")
    assert "UNITE" not in _found(doc, "organization")


def test_extract_interreg_partner_numbers_are_not_acronyms():
    text = (
        "На срещата присъстваха представители на община Свиленград, представители на община "
        "Любимец (PB2) и на Общински регионален театър Комотини (PB4)."
    )
    orgs = _found(_doc("bg", text), "organization")
    assert orgs == {"община Свиленград", "община Любимец", "Общински регионален театър Комотини"}


@pytest.mark.parametrize(
    ("lang", "text", "org", "project"),
    [
        (
            "ro",
            "Partener este Școala Gimnazială „Ion Creangă” Lunca, iar proiectul „Verde” a început.",
            "Școala Gimnazială „Ion Creangă”",
            "Verde",
        ),
        (
            "bg",
            'Водещ партньор по проекта е организация "Sole Verde Plus", Италия.',
            'организация "Sole Verde Plus"',
            None,
        ),
        (
            "sr",
            "• OŠ “Vuk Jelić” za projekat “Zajedno učimo” 12.000 evra",
            "OŠ “Vuk Jelić”",
            "Zajedno učimo",
        ),
        ("bg", "ХГ “Иван Петров“ спечели проекта", "ХГ “Иван Петров“", None),
        (
            "hr",
            "Partneri su Javna ustanova “Park prirode Modri otoci” i Grad Zadar.",
            "Javna ustanova “Park prirode Modri otoci”",
            None,
        ),
    ],
)
def test_extract_quoted_name_after_a_type_word_is_an_organisation(lang, text, org, project):
    doc = _doc(lang, text)
    assert org in _found(doc, "organization")
    assert _found(doc, "project") == ({project} if project else set())


@pytest.mark.parametrize(
    ("lang", "text", "orgs", "projects"),
    [
        # the initials of a project's name in brackets are its acronym, no organisation
        (
            "sv",
            "Projektet kallas för Gröna Bygder Norr (GBN) och startar i maj. GBN har tio partner.",
            set(),
            {"Gröna Bygder Norr"},
        ),
        # other letters after a project's name name its coordinator
        (
            "pt",
            "três são coordenados por instituições nacionais: Waste2BioComp – Converting organic "
            "waste into sustainable bio-based componentes (CITEVE).",
            {"CITEVE"},
            {"Waste2BioComp", "Converting organic waste into sustainable bio-based componentes"},
        ),
        # a country code after an organisation is its country; its own initials are its acronym
        (
            "en",
            "Partners are the Technical University of Valmora (DE) and the University of Gdańsk "
            "(UG).",
            {"Technical University of Valmora", "University of Gdańsk", "UG"},
            set(),
        ),
        ("et", "Projekti nimetus on BoostAlfa, selle kestvus on 36 kuud.", set(), {"BoostAlfa"}),
    ],
)
def test_extract_bracketed_acronym_after_a_name(lang, text, orgs, projects):
    doc = _doc(lang, text)
    assert _found(doc, "organization") == orgs
    assert _found(doc, "project") == projects


@pytest.mark.parametrize(
    ("lang", "text", "org"),
    [
        # an English-named body on a page in another language
        (
            "de",
            "Partner sind Quintaro Solutions und Kilbarra County Council aus Irland.",
            "Kilbarra County Council",
        ),
        # legal forms written in lower case or rarer ones
        (
            "hu",
            "egy tanácsadó céggel (Brightlane Consultants Sarl) együtt.",
            "Brightlane Consultants Sarl",
        ),
        ("it", "con LUMA Snc e il Colegio Valle SCA di Siviglia", "Colegio Valle SCA"),
        # schools by the abbreviation of their type
        ("es", "participan el CEIP Virgen de Lipa y otros centros", "CEIP Virgen de Lipa"),
        ("it", "con l'IIS Merendino e altre scuole", "IIS Merendino"),
    ],
)
def test_extract_organisation_heads_and_legal_forms_of_any_language(lang, text, org):
    assert org in _found(_doc(lang, text), "organization")


def test_extract_country_code_in_brackets_after_a_name_is_its_country():
    text = (
        "Partners are the Technical University of Valmora (DE), Lyon Tech Institute (FR) and "
        "the University of Gdańsk (UG)."
    )
    doc = _doc("en", text)
    assert _found(doc, "country") == {"DE", "FR"}
    assert {"Technical University of Valmora", "Lyon Tech Institute", "UG"} <= _found(
        doc, "organization"
    )


def test_extract_initials_without_letters_are_no_acronym():
    # the word initials of a year range ("2014-2020" -> "22") are no organisation's acronym
    text = (
        "Проектът е по програма Еразъм+ за периода 2014-2020. Втората среща се проведе в "
        "Унгария - 22 Март до 26 Март 2022г."
    )
    assert "22" not in _found(_doc("bg", text), "organization")


def _golden_texts(lang: str) -> list[str]:
    """The train pages of `lang` (by file name), and the English-named dev and seed pages."""
    names = train_pages(f"{lang}_*.txt")
    if lang == "en":
        names += sorted((CORPUS / "dev").glob("*.txt")) + sorted((CORPUS / "seeds").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in names]


@pytest.mark.parametrize("lang", available_languages())
def test_extract_literal_prefilter_admits_every_rule_that_matches(lang):
    ruleset = load_rules(lang)
    texts = [ex.text for r in ruleset.rules for ex in r.examples]
    texts += [t for r in ruleset.rules for t in r.counter_examples] + _golden_texts(lang)
    for text in texts:
        folded = mask_long_tokens(fold_homoglyphs(text))
        admitted = set(ruleset.literal_index.admitted(folded))
        matching = {i for i, r in enumerate(ruleset.rules) if r.pattern.search(folded)}
        assert matching <= admitted, [ruleset.rules[i].id for i in matching - admitted]


@pytest.mark.parametrize(
    ("pattern", "needles"),
    [
        (r"(?<![\p{L}])(?P<m>\p{Lu}+) (?:GmbH|AG)", ("ag", "gmbh")),
        (r"^(?P<m>\d+) (?i:Partners)|(?P<m>\d+)\s*€", ("partners", "€")),
        (r"\\p\{x\}\(\?P<", ("\\p{x}(?p<",)),  # escaped: literal text
        (r"\p{Lu}{2,6}", None),
        (r"^(?=.*\bcookies?\b)(?=.*(?:site|web))", ("cookie",)),  # lookaheads hold literals
        (r"(?!.*cookie)\w+", None),  # a negative one does not
    ],
)
def test_extract_rule_prefilter_reads_literals_of_regex_syntax(pattern, needles):
    check = rule_prefilter(pattern)
    assert (check.needles if check else None) == needles


@pytest.mark.parametrize(
    ("pattern", "flags", "guard"),
    [
        (r"(?<![\p{L}])(?i:projects?|hanke)\s(?P<m>\p{Lu}+)", 0, "(?=(?i:[hp]))"),
        (r"^(?=\d)(?:19|20)\d\d", 0, "(?=[12])"),
        (r"Interreg|INTERREG|Интеррег", 0, "(?=[IИ])"),
        (r"interreg", regex.IGNORECASE, "(?=(?i:[i]))"),
        (r"\p{Lu}\w+ AS", 0, ""),  # starts with a class
        (r"(?:the )?project", 0, ""),  # may start with either word
        (r"able|bold|cold|dull|each", 0, ""),  # five first letters: too many to gain
    ],
)
def test_extract_start_guard_holds_the_first_characters_of_every_match(pattern, flags, guard):
    assert start_guard(pattern, flags) == guard


@pytest.mark.parametrize("lang", ["en", "bg", "fi"])
def test_extract_guarded_rules_match_where_their_source_pattern_matches(lang):
    guarded = regex.compile(r"\(\?=(?:\(\?i:)?\[[^\]]+\]\)?\)\(\?:(?P<source>.*)\)", regex.DOTALL)
    rules = [(r, guarded.fullmatch(r.pattern.pattern)) for r in load_rules(lang).rules]
    rules = [(r, found) for r, found in rules if found]
    assert len(rules) >= 10
    for rule, found in rules:
        source = regex.compile(found.group("source"), rule.pattern.flags)
        for text in [ex.text for ex in rule.examples] + list(rule.counter_examples):
            assert [m.span() for m in rule.pattern.finditer(text)] == [
                m.span() for m in source.finditer(text)
            ], rule.id


def test_extract_search_fold_reads_dotted_and_dotless_i_as_i():
    assert search_fold("İSTANBUL Diyarbakır") == "istanbul diyarbakir"


@pytest.mark.parametrize(
    "words",
    [
        ["EU", "ERDF", "CSKC", "АИКБ", "UN", "E"],
        ["Ⅰ", "EU", "UN"],  # "Ⅰ" is upper case but no letter: the pattern runs
        ["EU", "EU2"],
    ],
)
def test_extract_standalone_finds_what_the_whole_word_pattern_finds(words):
    pattern = regex.compile(
        r"(?<![\p{L}\d])(?:"
        + "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?![\p{L}\d])"
    )
    texts = _golden_texts("en") + _golden_texts("bg")
    texts.append("EU, EU2 and EUR; ЕUN (UN) Ⅰ ⅠⅠ АИКБ-EU E.U. CSKC2 E")
    for text in texts:
        found = [(m.start(), m.end()) for m in standalone(text, words)]
        assert found == [(m.start(), m.end()) for m in pattern.finditer(text)]


@pytest.mark.parametrize(
    ("text", "admitted"),
    [
        ("Media City Bergen AS", (0, 1)),
        ("it was as planned", (1,)),  # "as" is no upper-case "AS"
        ("nothing here", ()),
    ],
)
def test_extract_rule_prefilters_look_up_case_sensitive_literals_as_written(text, admitted):
    patterns = [regex.compile(r"\p{Lu}\w+ AS\b"), regex.compile(r"(?i:\bas\b)")]
    assert [is_cased(p) for p in patterns] == [True, False]
    assert RulePrefilters(patterns).admitted(text) == admitted


def test_extract_forms_of_one_organisation_take_one_value():
    doc = extract_facts(
        "Općina Lipik potpisala je ugovor za projekt „Zeleni grad“. Općini Lipik odobreno je "
        "1,2 milijuna eura iz programa Interreg. Općina Lipik projekt provodi s Gradom "
        "Pakracom.",
        language="hr",
    )
    lipik = [m for m in doc.mentions if m.kind == "organization" and "Lipik" in m.text]
    assert [m.text for m in lipik] == ["Općina Lipik", "Općini Lipik", "Općina Lipik"]
    assert {m.value for m in lipik} == {"Općina Lipik"}
