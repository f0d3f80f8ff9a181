"""Normalizers: tables of raw text -> value, with the language as the first column."""

from __future__ import annotations

import pytest

from pipeline.extract.mentions import find_candidates, resolve
from pipeline.extract.normalize import NORMALIZERS, Hit, parse_date, parse_number
from pipeline.extract.rules import load_rules
from pipeline.langdata import load_language


def _values(lang: str, text: str, kind: str) -> list[tuple[str, str | None]]:
    """(surface, value) of the `kind` mentions the rules of `lang` find in `text`."""
    cands = sorted(resolve(find_candidates(text, load_rules(lang))), key=lambda c: c.start)
    return [(text[c.start : c.end], c.norm.value) for c in cands if c.kind == kind]


MONEY = [
    ("en", "with total budget of 498.686 €, of which", "498.686 €", 498686.0, "EUR"),
    ("en", "is funded with 200,000 euros from", "200,000 euros", 200000.0, "EUR"),
    ("en", "Total project cost: BGN 438 722.00, incl.", "BGN 438 722.00", 438722.0, "BGN"),
    ("bg", "на стойност 1 306 474,40 лева. Те", "1 306 474,40 лева", 1306474.4, "BGN"),
    ("bg", "е или 312 928,00 лв. Вторият", "312 928,00 лв.", 312928.0, "BGN"),
    (
        "en",
        "The value of the project is EUR 1.952 million and",
        "EUR 1.952 million",
        1952000.0,
        "EUR",
    ),
    ("en", "raised €2.5 Million last year", "€2.5 Million", 2500000.0, "EUR"),
    ("bg", "взимат близо 230 хил. евро за", "230 хил. евро", 230000.0, "EUR"),
    ("es", "con 2,3 millones de euros para", "2,3 millones de euros", 2300000.0, "EUR"),
    ("de", "mit 3 Mio. EUR gefördert", "3 Mio. EUR", 3000000.0, "EUR"),
    ("pl", "kosztem 1,2 mld. zł z", "1,2 mld. zł", 1200000000.0, "PLN"),
    ("en", "is 21,333,333.33 Euros, with", "21,333,333.33 Euros", 21333333.33, "EUR"),
    (
        "bg",
        "общ бюджет от 207,45 милиона евро, посветен",
        "207,45 милиона евро",
        207450000.0,
        "EUR",
    ),
    (
        "es",
        "Financiado con casi 1,5 millones de euros por",
        "1,5 millones de euros",
        1500000.0,
        "EUR",
    ),
    ("cs", "za téměř 14,7 miliardy korun 28.11.2016", "14,7 miliardy korun", 14.7e9, "CZK"),
    ("cs", "Výše dotace EU: 428 969,00 EUR\n", "428 969,00 EUR", 428969.0, "EUR"),
    ("cs", "dotaci ve výši téměř sedmi milionů korun, což", "sedmi milionů korun", 7e6, "CZK"),
    ("pl", "Ponad dwa miliony euro otrzymał", "dwa miliony euro", 2e6, "EUR"),
    ("pl", "w maksymalnej kwocie 2 mln zł. Realizacja", "2 mln zł", 2e6, "PLN"),
    ("ro", "este de 453.982,04 euro, din care", "453.982,04 euro", 453982.04, "EUR"),
    ("el", "ανέρχεται στα €60.082.625, από τα", "€60.082.625", 60082625.0, "EUR"),
    ("el", "προϋπολογισμό 1,5 εκατ. ευρώ για", "1,5 εκατ. ευρώ", 1.5e6, "EUR"),
    ("sr", "je 12 687 304,24 евра.\n", "12 687 304,24 евра", 12687304.24, "EUR"),
    ("sr", "vrednost je 120 mil. dinara za", "120 mil. dinara", 120e6, "RSD"),
    ("sr", "Ukupnа vrednost je 28,9 milionа evrа, а u", "28,9 milionа evrа", 28.9e6, "EUR"),
    ("de", "in der Höhe von EUR 2.552.000 für", "EUR 2.552.000", 2552000.0, "EUR"),
    ("de", "mit rund 2,3 Mio. EURO an", "2,3 Mio. EURO", 2.3e6, "EUR"),
    ("fr", "à hauteur de 2,19 millions de francs, les", "2,19 millions de francs", 2.19e6, "CHF"),
    ("fr", "représentant plus de 15 M€ de subventions", "15 M€", 15e6, "EUR"),
    ("it", "budget complessivo di quasi 1.400.000 euro e", "1.400.000 euro", 1.4e6, "EUR"),
    ("pt", "pode captar cerca de 2.000 milhões de euros até", "2.000 milhões de euros", 2e9, "EUR"),
    ("pt", "Portugal capta mais 73,4 M€ no Horizonte Europa", "73,4 M€", 73.4e6, "EUR"),
    ("pt", "e 298 mil euros na elaboração", "298 mil euros", 298000.0, "EUR"),
    ("nl", "Toegekende subsidie: 1.107.784,01 euro (50%)", "1.107.784,01 euro", 1107784.01, "EUR"),
    ("nl", "in totaal 7 miljoen euro in de grensregio", "7 miljoen euro", 7e6, "EUR"),
    ("sk", "Grant vo výške takmer 4 milióny eur si", "4 milióny eur", 4e6, "EUR"),
    ("sk", "Prešov zase získa 362-tisíc eur na", "362-tisíc eur", 362000.0, "EUR"),
    ("sk", "Viac než jeden milión eur v najbližších", "jeden milión eur", 1e6, "EUR"),
]


@pytest.mark.parametrize(("lang", "text", "surface", "amount", "currency"), MONEY)
def test_normalize_money(lang, text, surface, amount, currency):
    cands = resolve(find_candidates(text, load_rules(lang)))
    money = [c for c in cands if c.kind == "money"]
    assert [(text[c.start : c.end], c.norm.amount, c.norm.currency) for c in money] == [
        (surface, amount, currency)
    ]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "between 2% and 5% of GDP"),
        ("en", "75% of the total eligible planned cost"),
        ("en", "the excerpt stops at €10"),
        ("es", "al 80 por ciento"),
        ("pl", "sięga nawet do kilkuset milionów euro."),
        ("cs", "to jest 70 % alokace programu"),
        ("fr", "un prêt de 500 francs CFA à"),
    ],
)
def test_normalize_money_rejects_percentages_and_cut_off_sums(lang, text):
    assert _values(lang, text, "money") == []


@pytest.mark.parametrize(
    ("raw", "scaled", "value"),
    [
        ("498.686", False, 498686.0),
        ("1.952", True, 1.952),
        ("207,45", True, 207.45),
        ("1 306 474,40", False, 1306474.4),
        ("21,333,333.33", False, 21333333.33),
        ("1.234.567,89", False, 1234567.89),
        ("12,5", False, 12.5),
        ("1,2,3", False, None),
    ],
)
def test_normalize_parse_number(raw, scaled, value):
    assert parse_number(raw, scaled) == value


@pytest.mark.parametrize(
    ("raw", "decimal", "value"),
    [("2.000", ",", 2000.0), ("1,500", ",", 1.5), ("1.952", ".", 1.952), ("1,952", ".", 1952.0)],
)
def test_normalize_parse_number_scaled_uses_the_decimal_mark(raw, decimal, value):
    assert parse_number(raw, scaled=True, decimal=decimal) == value


DATES = [
    ("en", "On September 1, 2020, was launched", [("September 1, 2020", "2020-09-01")]),
    ("bg", "На 19 март 2024 г. в Антверпен", [("19 март 2024 г.", "2024-03-19")]),
    ("en", "On 22.11.2017 Cluster", [("22.11.2017", "2017-11-22")]),
    (
        "en",
        "held on 21-23 February 2018 in",
        [("21-23 February 2018", "2018-02-21"), ("21-23 February 2018", "2018-02-23")],
    ),
    ("en", "from 3rd of March 2020 on", [("3rd of March 2020", "2020-03-03")]),
    ("en", "Friday 20th of October 2023, the", [("20th of October 2023", "2023-10-20")]),
    ("en", "on October 29th, 2018 in Rome", [("October 29th, 2018", "2018-10-29")]),
    ("en", "Oct 23, 2023\n", [("Oct 23, 2023", "2023-10-23")]),
    (
        "en",
        "period 1.11.2021-1.11.2023 covered",
        [("1.11.2021", "2021-11-01"), ("1.11.2023", "2023-11-01")],
    ),
    ("it", "il 24 settembre 2025 a Roma", [("24 settembre 2025", "2025-09-24")]),
    (
        "cs",
        "ve dnech 23. a 24. října 2018 v Praze",
        [("23. a 24. října 2018", "2018-10-23"), ("23. a 24. října 2018", "2018-10-24")],
    ),
    (
        "en",
        "On February 24 and February 25, 2020, in Brussels",
        [
            ("February 24 and February 25, 2020", "2020-02-24"),
            ("February 24 and February 25, 2020", "2020-02-25"),
        ],
    ),
    ("en", "meeting on 20.12. 2023. The", [("20.12. 2023", "2023-12-20")]),
    ("bg", "на 30 ноември 2022 г.", [("30 ноември 2022 г.", "2022-11-30")]),
    ("en", "Closure Seminar_14.7.2023", [("14.7.2023", "2023-07-14")]),
    ("en", "Start of implementation: February 2018", [("February 2018", "2018-02")]),
    (
        "en",
        "MediaMotor Europe (2020-2022) project",
        [("(2020-2022)", "2020"), ("(2020-2022)", "2022")],
    ),
    ("el", "Στις 26/10/2023, πραγματοποιήθηκε", [("26/10/2023", "2023-10-26")]),
    ("en", "the workshop on 10/26/2023 in", [("10/26/2023", "2023-10-26")]),
    ("cs", "Zahájení projektu: 16. 5. 2017\n", [("16. 5. 2017", "2017-05-16")]),
    ("cs", "do 30. dubna 2016. Celkově", [("30. dubna 2016", "2016-04-30")]),
    ("pl", "według danych z 3 września 2020 r.).", [("3 września 2020 r.", "2020-09-03")]),
    ("ro", "a organizat la 23 octombrie 2017 Conferința", [("23 octombrie 2017", "2017-10-23")]),
    ("el", "στις 23 Οκτωβρίου 2018 στη", [("23 Οκτωβρίου 2018", "2018-10-23")]),
    ("sr", "Објављују 17. августа 2015. године први", [("17. августа 2015. године", "2015-08-17")]),
    (
        "sr",
        "do 18. jаnuаrа 2016. godine, opredeljeno",
        [("18. jаnuаrа 2016. godine", "2016-01-18")],
    ),
    (
        "de",
        "fand am 2. und 3. April 2024 in Brno statt",
        [("2. und 3. April 2024", "2024-04-02"), ("2. und 3. April 2024", "2024-04-03")],
    ),
    ("fr", "C’est le 1er janvier 2021 qu’a débuté", [("1er janvier 2021", "2021-01-01")]),
    ("pt", "a executar até 30 de junho de 2019.", [("30 de junho de 2019", "2019-06-30")]),
    ("pt", "Lusa, 13 de Outubro de 2017, Porto", [("13 de Outubro de 2017", "2017-10-13")]),
    ("nl", "Gepubliceerd op 21 december 2016\n", [("21 december 2016", "2016-12-21")]),
    ("nl", "donderdag, 28 september, 2017", [("28 september, 2017", "2017-09-28")]),
    ("sk", "Dátum vyhlásenia: 20. septembra 2016 Dátum", [("20. septembra 2016", "2016-09-20")]),
    ("sk", "Dňom 25.04.2023 bola zahájená", [("25.04.2023", "2023-04-25")]),
    (
        "en",
        "On October 13-14, 2020 the Kick Off Meeting",
        [("October 13-14, 2020", "2020-10-13"), ("October 13-14, 2020", "2020-10-14")],
    ),
    (
        "hu",
        "A találkozóra 2016. június 3-8-án került sor Szegeden.",
        [("2016. június 3-8", "2016-06-03"), ("2016. június 3-8", "2016-06-08")],
    ),
    (
        "lt",
        "Susitikimas vyko 2015 m. birželio 3-4 d. Vilniuje.",
        [("2015 m. birželio 3-4 d.", "2015-06-03"), ("2015 m. birželio 3-4 d.", "2015-06-04")],
    ),
    (
        "it",
        "Il corso si è svolto dal 3 all'8 giugno 2019 a Roma.",
        [("3 all'8 giugno 2019", "2019-06-03"), ("3 all'8 giugno 2019", "2019-06-08")],
    ),
    (
        "sr",
        "Састанак је одржан од 3. до 8. јуна 2016. у Нишу, а други 4. марта, 2018.",
        [
            ("3. до 8. јуна 2016.", "2016-06-03"),
            ("3. до 8. јуна 2016.", "2016-06-08"),
            ("4. марта, 2018.", "2018-03-04"),
        ],
    ),
    (
        "en",
        "On the 14th and 15th of October 2019 the",
        [
            ("14th and 15th of October 2019", "2019-10-14"),
            ("14th and 15th of October 2019", "2019-10-15"),
        ],
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), DATES)
def test_normalize_dates(lang, text, expected):
    assert sorted(_values(lang, text, "date")) == sorted(expected)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "On August 21 the team met"),
        ("en", "© 2022 SOFIA - Knowledge City - cluster."),
        ("en", "you may 2 weeks later"),
        ("bg", "© 2024 СОФИЯ - Град на знанието - клъстер."),
        ("de", "Details: pressetext_2020-03-30_interreg_at-cz_9"),
        ("sr", "otvoren od 17. аvgustа ove godine"),
        ("it", "il progetto, partito l'1 novembre - ha detto"),
        ("pt", "no dia 14 de abril realiza-se ainda"),
        ("nl", "Op 21 en 22 september zaten de partners"),
        ("sk", "do 16. októbra tohto roku"),
    ],
)
def test_normalize_no_date_without_day_month_and_year(lang, text):
    assert [v for _, v in _values(lang, text, "date") if v and len(v) == 10] == []


@pytest.mark.parametrize(
    ("groups", "normalizer", "expected"),
    [
        ({"year": "2020", "month": "liepos", "day": "1"}, "date", "2020-07-01"),
        ({"year": "2022", "month": "birželio", "day": "30"}, "date", "2022-06-30"),
        ({"year": "2016", "month": "balandžio"}, "month", "2016-04"),
        ({"year": "2021", "month": "vasario", "day": "30"}, "date", None),
        ({"year": "2021", "month": "vasaros", "day": "3"}, "date", None),
    ],
)
def test_normalize_date_from_year_month_day_groups(groups, normalizer, expected):
    hit = Hit("2020 m. liepos 1 d.", groups)
    got = NORMALIZERS[normalizer](hit, load_language("lt"))
    assert (got.value if got else None) == expected


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ({"year": "2015", "month": "birželio", "a": "3", "b": "4"}, ["2015-06-03", "2015-06-04"]),
        ({"year": "2017", "month": "05", "a": "02", "b": "06"}, ["2017-05-02", "2017-05-06"]),
        ({"year": "2015", "month": "birželio", "a": "8", "b": "3"}, None),
        ({"year": "2015", "month": "birželio", "a": "29", "b": "31"}, None),
    ],
)
def test_normalize_day_range_gives_both_ends_within_one_month(groups, expected):
    got = NORMALIZERS["day_range"](Hit("2015 m. birželio 3-4 d.", groups), load_language("lt"))
    assert ([n.value for n in got] if got else None) == expected


def test_normalize_date_does_not_depend_on_today():
    lang = load_language("en")
    assert parse_date("March 3rd, 2020", lang) == "2020-03-03"
    assert parse_date("3 March", lang) is None


DURATIONS = [
    ("en", "The project's duration is 24 months, with", "24"),
    ("en", "We present a two-year project", "24"),
    ("bg", "за срок от 2 години", "24"),
    ("es", "una duración de 18 meses", "18"),
    ("en", "over the next four years", "48"),
    ("es", "durante los próximos cuatro años.", "48"),
    ("pt", "com a duração de dois anos", "24"),
    ("nl", "met een looptijd van 36 maanden", "36"),
    ("sk", "Maximálna dĺžka trvania projektu je 48 mesiacov.", "48"),
]


@pytest.mark.parametrize(("lang", "text", "months"), DURATIONS)
def test_normalize_duration(lang, text, months):
    assert [v for _, v in _values(lang, text, "duration")] == [months]


PROGRAMMES = [
    ("en", "funded by the ERASMUS+ program", "Erasmus+"),
    ("bg", "по програма „Еразъм+“", "Erasmus+"),
    ("bg", "по програма Хоризонт 2020", "Horizon 2020"),
    ("bg", "Интеррег V-A Гърция – България 2014 – 2020", "Interreg"),
    ("bg", "Програмата Interreg-ИПП за трансгранично", "Interreg"),
    ("bg", "по ОПИК", "OP Innovation and Competitiveness"),
    ("en", "funded under Horizon 2020 - H2020-ICT-2019-2 in", "Horizon 2020"),
    ("en", "the COSME Programme", "COSME"),
    ("es", "Interreg V-A España-Portugal (POCTEP)", "Interreg"),
    ("cs", "Operační program: INTERREG V-A Česká republika - Polsko", "Interreg"),
    (
        "cs",
        "MPO dosud v rámci OP PIK schválilo",
        "OP Enterprise and Innovations for Competitiveness",
    ),
    ("cs", "z Operačního programu Zaměstnanost", "OP Employment"),
    ("cs", "Program Horizont Evropa", "Horizon Europe"),
    ("pl", "z programu Unii Europejskiej Horyzont Europa", "Horizon Europe"),
    ("pl", "dofinansowanych z Horyzontu Europa", "Horizon Europe"),
    ("pl", "z Programu Operacyjnego Inteligentny Rozwój", "OP Smart Growth"),
    ("pl", "ze środków Programu Rozwoju Obszarów Wiejskich", "Rural Development Programme"),
    ("ro", "în cadrul Programului Interreg VI-A România-Bulgaria", "Interreg"),
    ("ro", "prin Programul Operațional Regional 2014-2020", "Regional Operational Programme"),
    ("ro", "finanțat prin Orizont 2020", "Horizon 2020"),
    ("el", "Πρόγραμμα Διασυνοριακής Συνεργασίας INTERREG IV Ελλάδα – Κύπρος", "Interreg"),
    ("el", "χρηματοδότηση από τον Ορίζοντα 2020", "Horizon 2020"),
    ("sr", "у оквиру Интеррег-ИПА Програма прекограничне сарадње", "Interreg"),
    ("de", "des Programms Interreg Österreich-Tschechien 2021-2027", "Interreg"),
    ("fr", "le programme Interreg V Rhin supérieur", "Interreg"),
    ("it", "finanziati dal Programma Interreg V-A Grecia –Italia", "Interreg"),
    ("it", "finanziato da Orizzonte Europa", "Horizon Europe"),
    ("it", "con i fondi del PSR 2014-2020", "Rural Development Programme"),
    ("pt", "O programa Norte 2020 aprovou", "Regional Operational Programme"),
    ("pt", "do programa Horizonte Europa (Clima", "Horizon Europe"),
    ("pt", "Interreg Espanha-Portugal (POCTEP) 2021-2027", "Interreg"),
    ("nl", "het Horizon2020-programma", "Horizon 2020"),
    (
        "sk",
        "pre Integrovaný regionálny operačný program.",
        "Integrated Regional Operational Programme",
    ),
    ("sk", "v programe Horizont Európa", "Horizon Europe"),
    ("el", "του προγράμματος «Ορίζων 2020» της ΕΕ", "Horizon 2020"),
    ("hr", "sufinanciran iz programa Obzor 2020", "Horizon 2020"),
    ("fi", "rahoitusta Horisontti Eurooppa -ohjelmasta", "Horizon Europe"),
    ("cs", "projekt podpořený z Fondů EHP a Norska", "EEA and Norway Grants"),
    ("ro", "finanțat prin Granturile SEE și Norvegiene 2014-2021", "EEA and Norway Grants"),
    ("sk", "Partnerstvá Comenius Regio medzi regiónmi", "Comenius"),
    ("it", "finanziato su asse Grundtvig, ha preso avvio", "Grundtvig"),
    ("bg", "по програма „Младежта в действие” на ЕС", "Youth in Action"),
    (
        "pl",
        "dofinansowany z programu „Uczenie się przez całe życie”",
        "Lifelong Learning Programme",
    ),
    ("en", "a Leonardo da Vinci mobility project for apprentices", "Leonardo da Vinci"),
    ("ro", "prin Programul de Cooperare URBACT III al Comisiei", "URBACT"),
]


@pytest.mark.parametrize(("lang", "text", "canonical"), PROGRAMMES)
def test_normalize_programme(lang, text, canonical):
    assert {v for _, v in _values(lang, text, "programme")} == {canonical}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Its projects are funded by the European Regional Development Fund (ERDF)."),
        ("bg", "съфинансиран от ЕФРР"),
        ("es", "cofinanciado por el FEDER"),
        ("cs", "z Evropského fondu pro regionální rozvoj (EFRR)"),
        ("de", "Gesamtsumme von rund 12,8 Mio. EUR (EFRE) genehmigt"),
        ("it", "Fondo europeo di sviluppo regionale (FESR)"),
        ("ro", "Fondul European de Dezvoltare Regională (FEDR)"),
        ("el", "Ευρωπαϊκό Ταμείο Περιφερειακής Ανάπτυξης - ΕΤΠΑ"),
        ("pl", "Europejskiego Funduszu Rozwoju Regionalnego (EFRR)"),
        ("sr", "из Инструмента за претприступну помоћ II (ИПА II фонд)"),
        ("pt", "4,9 milhões de euros de FEDER (Fundo Europeu de Desenvolvimento Regional)"),
        ("nl", "uit het Europees Fonds voor Regionale Ontwikkeling (EFRO)"),
        ("sk", "zo zdrojov EÚ – Európsky fond regionálneho rozvoja"),
        ("en", "key action 2: Cooperation for innovation"),
    ],
)
def test_normalize_funds_and_key_actions_are_not_programmes(lang, text):
    assert _values(lang, text, "programme") == []


GRANTS = [
    ("en", "project № 2020-1-BG01-KA202-079071.", "2020-1-BG01-KA202-079071"),
    ("en", "project No COS-CLUSINT-2019-3-01-951206.", "COS-CLUSINT-2019-3-01-951206"),
    ("en", "under Project 871552 - MediaMotorEurope", "871552"),
    ("en", "grant agreement No 123456 funds", "123456"),
    ("en", "programme under agreement No 945275\n", "945275"),
    (
        "en",
        "the project “INTRuST”, No. 2021-1-DE02-KA220-VET-000034723. The",
        "2021-1-DE02-KA220-VET-000034723",
    ),
    ("en", "project № BG16RFOP002-2.009-0018-C01 - Creating", "BG16RFOP002-2.009-0018-C01"),
    ("bg", "по проект CB007.2.13.091 „Танцуваме", "CB007.2.13.091"),
    (
        "cs",
        "Registrační číslo: CZ.11.4.120/0.0/0.0/16_026/0001078\n",
        "CZ.11.4.120/0.0/0.0/16_026/0001078",
    ),
    ("pl", "umowa nr POIR.01.01.01-00-0045/17 z", "POIR.01.01.01-00-0045/17"),
    ("pt", "Projeto NORTE-01-0145-FEDER-000029, cofinanciado", "NORTE-01-0145-FEDER-000029"),
    ("sk", "Kód projektu v ITMS2014+: 302021P581\n", "302021P581"),
]


@pytest.mark.parametrize(("lang", "text", "number"), GRANTS)
def test_normalize_grant_number(lang, text, number):
    assert [v for _, v in _values(lang, text, "grant_number")] == [number]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "funded under Horizon 2020 - H2020-ICT-2019-2 in"),
        ("en", "signed a Grant Contract BG16RFOP002-2.009 - Development"),
        ("en", "procedure BG16RFOP001-1.001-039 for"),
        ("en", "the call COS-CLUSTER-2014-3-03 is open"),
        ("pl", "konkursu zamkniętego nr RPSW.06.05.00-IZ.00-26-156/17 dla"),
        ("el", "με την απόφαση C(2008)1131/28-03-2008."),
    ],
)
def test_normalize_call_codes_are_not_grant_numbers(lang, text):
    assert _values(lang, text, "grant_number") == []


COUNTRIES = [
    ("en", "partners from Spain, Belgium, Denmark, and Poland", ["ES", "BE", "DK", "PL"]),
    ("en", "Greece and England", ["GR", "GB"]),
    ("en", "North Macedonia", ["MK"]),
    ("en", "Macedonia", ["MK"]),
    ("bg", "Северна Македония", ["MK"]),
    ("es", "Macedonia del Norte", ["MK"]),
    ("en", "the Bulgarian Ministry of Interior", ["BG"]),
    ("en", "Presentation of one BG project partner", ["BG"]),
    ("en", "Сluster in Вulgaria", ["BG"]),
    ("en", "across Europe and South-East Asia, in Bavaria and Sofia", []),
    ("cs", "Veřejné zdroje ČR: 75 704,80 EUR", ["CZ"]),
    ("cs", "aktivit v česko-polském příhraničí", ["CZ", "PL"]),
    ("pl", "piątą najlepiej dofinansowaną polską uczelnią", ["PL"]),
    ("ro", "cu Primăria Vetovo, Bulgaria.", ["BG"]),
    ("el", "Εθνικών Πόρων της Ελλάδας και της Ιταλίας", ["GR", "IT"]),
    ("sr", "између Бугарске и Србије као", ["BG", "RS"]),
    ("de", "gemeinsam mit tschechischen Partnern", ["CZ"]),
    ("fr", "à Offenbourg (Allemagne). Ces projets", ["DE"]),
    ("it", "Chambéry, Francia), Saragozza (Spagna)", ["FR", "ES"]),
    ("pt", "a Zakladni Skola na República Checa, Stichting SintLucas na Holanda", ["CZ", "NL"]),
    ("nl", "in de Vlaams-Nederlandse grensregio", ["NL"]),
    ("sk", "Spolu s Portugalskom; poskytovateľom je MIRRI SR", ["PT", "SK"]),
]


@pytest.mark.parametrize(("lang", "text", "codes"), COUNTRIES)
def test_normalize_country(lang, text, codes):
    assert [v for _, v in _values(lang, text, "country")] == codes


def test_normalize_registry_names_are_functions_of_hit_and_language():
    lang = load_language("en")
    assert NORMALIZERS["text"](Hit("a  b"), lang).value == "a b"
    assert (
        NORMALIZERS["const"](Hit("H2020", rule_value="Horizon 2020"), lang).value == "Horizon 2020"
    )


@pytest.mark.parametrize(
    ("text", "surface", "amount"),
    [
        ("The project receives €2.5M from Horizon Europe.", "€2.5M", 2_500_000.0),
        ("a grant of EUR 2.5mn was awarded", "EUR 2.5mn", 2_500_000.0),
        ("EUR 450K for the pilot", "EUR 450K", 450_000.0),
        ("a budget of 1.2M € for three years", "1.2M €", 1_200_000.0),
    ],
)
def test_normalize_a_scale_letter_glued_to_the_figure_scales_the_sum(text, surface, amount):
    assert _values("en", text, "money") == [(surface, f"{amount:.0f} EUR")]
