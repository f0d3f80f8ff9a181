"""The link stage on real constructions: each case is named by its text."""

from __future__ import annotations

import copy

import pytest
from corpus_sets import CORPUS

import pipeline
from pipeline.document import Document, Mention
from pipeline.extract.mentions import extract
from pipeline.link.stage import link, link_projects


def linked(text: str, lang: str) -> Document:
    """A document with `text` in `lang`, extracted and linked (projects of a sentence, before
    the page-level relevance check of the stage: tests/link/test_relevance.py)."""
    doc = Document.from_source("case.txt", text=text, language=lang)
    return link_projects(extract(doc))


def names(doc: Document) -> list[tuple[str | None, str | None]]:
    return [(p.name, p.acronym) for p in doc.projects]


def case(lang: str, text: str, *expected: object) -> pytest.param:
    return pytest.param(lang, text, *expected, id=text[:90].replace("\n", " "))


# ---------------------------------------------------------------- project names

PROJECTS = [
    # a page's short title above a paragraph that opens with the word for the project
    case(
        "lt",
        "Jūrų Tiltas\n\nProjekto tikslas – stiprinti uostų bendradarbiavimą.",
        [("Jūrų Tiltas", None)],
    ),
    case("en", "Kick-off meeting in Riga\n\nThe project partners met in Riga in May.", []),
    case(
        "en",
        'On November 2, 2020, the project "Skills4Cities - Smart Skills for Smarter Cities" '
        "was launched.",
        [("Smart Skills for Smarter Cities", "Skills4Cities")],
    ),
    case(
        "en",
        "We present a two-year project Clusters for the City of the Future (C2Future).",
        [("Clusters for the City of the Future", "C2Future")],
    ),
    case(
        "en",
        "We launched three projects with European funding:\n\n"
        "  • Media Motor Europe (MME) - Horizon 2020;\n"
        "  • European Technology for Sustainability (eT4S) - COSME-GA;\n"
        "  • Smart Skills for Smarter Cities (Skills4Cities) - Erasmus+.\n",
        [
            ("Media Motor Europe", "MME"),
            ("European Technology for Sustainability", "eT4S"),
            ("Smart Skills for Smarter Cities", "Skills4Cities"),
        ],
    ),
    case(
        "fr",
        "Quelques projets de recherche financés par des fonds Erasmus+ :\n"
        "EDU-NET : former les enseignants au numérique\n"
        "- Le consortium réunit six écoles.\n"
        "MathsPlay : Apprendre les maths en jouant\n"
        "Pédagogie : Retour sur la journée d'étude\n",
        [(None, "EDU-NET"), (None, "MathsPlay")],
    ),
    case("en", "The eT4S project is funded by the COSME Program.", [(None, "eT4S")]),
    case(
        "en",
        "The winery receives financial support by the Programme through the project LACOSTO.",
        [(None, "LACOSTO")],
    ),
    case(
        "en",
        "The event continued with the results of the projects DIONYSOS, LACOSTO and VINESOS "
        "which all have in common the protection of local vine varieties.",
        [(None, "DIONYSOS"), (None, "LACOSTO"), (None, "VINESOS")],
    ),
    case(
        "en",
        "Kick-off meeting of the Erasmus+ BOSS project was held on October 29th, 2018 in Rome.",
        [(None, "BOSS")],
    ),
    case(
        "en",
        "The prepared proposal has the abbreviation TRAIN4.0 and the application will be "
        "submitted by the end of 2020.",
        [(None, "TRAIN4.0")],
    ),
    case(
        "en",
        "We started the implementation of MediaMotorEurope, an international project, funded "
        "under Horizon 2020. The Cluster has signed a contract for the implementation of the "
        "MediaMotorEurope (MME) project. MME will stimulate solutions for the media industry.",
        [("MediaMotorEurope", "MME")],
    ),
    case(
        "en",
        "On September 1, 2020, was launched the European Technology for Sustainable Development "
        "project in which the Cluster cooperates with 4 partners. The eT4S project is funded by "
        "the COSME Program.",
        [("European Technology for Sustainable Development", "eT4S")],
    ),
    case(
        "en",
        "The eT4S project within COSME is complementary to the CLINES and ESCT projects "
        "developed by the participating Clusters.",
        [(None, "eT4S"), (None, "CLINES"), (None, "ESCT")],
    ),
    case("en", "SmartCityTech partnership launched new COSME project", []),
    case("en", "Cities used the ERDF project money and the EU project grants.", []),
    case(
        "en",
        "One of the results of the successful MediaMotor Europe (2020-2022) project was to "
        "create the Future Media Hubs (FMH) network.",
        [("MediaMotor Europe", None)],
    ),
    case("en", "The project aims to nurture high-potential European deep tech innovators.", []),
    case(
        "en",
        "Presentation of one BG project partner\n\nTUES is a partner of the Cluster Sofia "
        "Knowledge City in the InvesTech project.",
        [(None, "InvesTech")],
    ),
    case(
        "bg",
        "Единият от проектите е с наименование „Green Crew - Зелена заетост при управление на  "
        "биоразградими отпадъци”. Дейностите са свързани с компостиране.",
        [("Зелена заетост при управление на биоразградими отпадъци", "Green Crew")],
    ),
    case(
        "bg",
        "Вторият проект е „Интегриране на културните ценности на България и Гърция в една "
        "устойчива туристическа дестинация – КУЛТУРА БЕЗ ГРАНИЦИ”.",
        [
            (
                "Интегриране на културните ценности на България и Гърция в една устойчива "
                "туристическа дестинация",
                "КУЛТУРА БЕЗ ГРАНИЦИ",
            )
        ],
    ),
    case(
        "bg",
        "Третият спечелен проект е „LYSIS - Съвместни действия за разработването и прилагането "
        "на нови т",
        [(None, "LYSIS")],
    ),
    case(
        "bg",
        "На 25.11.2019 откриваща пресконференция по проект CB007.2.13.091 „Танцуваме и играем, "
        "заедно “ , бе проведена.",
        [("Танцуваме и играем, заедно", None)],
    ),
    case(
        "bg",
        "30 428 евро е бюджетът на проекта „Past and current migration movements in Europe“, а за "
        "„Exploring Europe“ финансирането е 31 532 евро.",
        [("Past and current migration movements in Europe", None), ("Exploring Europe", None)],
    ),
    case(
        "bg",
        'Проф. Угърчински представи проекта "София град на знанието". Уточнено бе, че '
        "клъстерното обединение София град на знанието ще бъде от фирми.",
        [],
    ),
    case(
        "es",
        "La Diputación Provincial de Teruel va a gestionar y liderar el proyecto europeo Start in "
        "Mountains (SIM) durante los próximos cuatro años.",
        [("Start in Mountains", "SIM")],
    ),
    case(
        "it",
        "È stato presentato ieri a Genova il progetto Erasmus+ 'Scuole Aperte' dedicato ai "
        "docenti.",
        [("Scuole Aperte", None)],
    ),
    case("it", "Il progetto europeo MARLIN coinvolge sei porti.", [(None, "MARLIN")]),
    case(
        "fr",
        "Lancement du projet européen 4eSOLAR, porté par l'Université de Lille.",
        [(None, "4eSOLAR")],
    ),
    case(
        "fr",
        "Le projet transfrontalier « Rivières Vivantes » démarre au printemps.",
        [("Rivières Vivantes", None)],
    ),
    case(
        "ro",
        "Primăria a prezentat proiectul transfrontalier Blue Danube care va fi implementat în "
        "doi ani.",
        [("Blue Danube", None)],
    ),
    case("ro", "proiectul transfrontalier va fi implementat în doi ani.", []),
    case(
        "de",
        "Ziel des SOILFIT Projektes ist es, die Böden der Region zu untersuchen.",
        [(None, "SOILFIT")],
    ),
    case(
        "de",
        "Das Projekt Wald/Les verbindet zwei Gemeinden.",
        [(None, "Wald/Les")],
    ),
    case(
        "pl",
        "Celem przedsięwzięcia AQUANET jest poprawa jakości wody.",
        [(None, "AQUANET")],
    ),
    case(
        "it",
        "Presentati i due progetti finanziati.\nMarea: Maritime risk assessment tool ha "
        "l'obiettivo di proteggere le coste; Solaris: Solar energy for islands intende ridurre "
        "i consumi.",
        [(None, "Marea"), (None, "Solaris")],
    ),
    case(
        "pt",
        "Já no Cluster 5, dos quatro projetos selecionados, o EV4EU: Electric Vehicles "
        "Management for carbon neutrality in Europe é coordenado pelo INESC-ID.",
        [("Electric Vehicles Management for carbon neutrality in Europe", "EV4EU")],
    ),
    case(
        "nl",
        "De volgende projecten werden goedgekeurd door het Comité van Toezicht:\n\n"
        "4A - Lerende Euregio Scheldemond\n1B - OPAV\n",
        [("Lerende Euregio Scheldemond", None), (None, "OPAV")],
    ),
    case(
        "sk",
        "Úspešným predkladateľom je Slovenská akadémia vied (SAV). Hlavným cieľom projektu SAV "
        "je vytvorenie Centra excelentnosti pre aplikácie pokročilých materiálov (CEMEA).",
        [(None, "CEMEA")],
    ),
    case(
        "en",
        "On 11 July 2019, the official launch of the Interreg Europe EURE project took place "
        "in Santiago de Compostela.",
        [(None, "EURE")],
    ),
    case(
        "en",
        "The University of Forestry is the Coordinator of the project “B-LAND: Promote and "
        "Strengthen Business Development Skills in Rural Communities”, No. "
        "2020-1-BG01-KA202-079089.",
        [("Promote and Strengthen Business Development Skills in Rural Communities", "B-LAND")],
    ),
    case(
        "en",
        "The training of the project “Innovative Cultural Heritage the Root of European "
        "Identity” (acronym “INTERACT”) took place online.",
        [("Innovative Cultural Heritage the Root of European Identity", "INTERACT")],
    ),
    case(
        "en",
        "The new project ERA SHUTTLE – Accelerating ERA by Sharing Unique Talents for healThy "
        "Life and Environment has started in September. Eight Project Partners from Croatia "
        "met. We joined as leader of the UG project team.",
        [
            (
                "Accelerating ERA by Sharing Unique Talents for healThy Life and Environment",
                "ERA SHUTTLE",
            )
        ],
    ),
    case(
        "en",
        "On October 13-14, 2020 the Kick Off Meeting of the EFFECTOR project took place virtually.",
        [(None, "EFFECTOR")],
    ),
    case(
        "en",
        "The six organisations participating in the Agroinclusion project held an online "
        "kick-off meeting.",
        [(None, "Agroinclusion")],
    ),
    # shapes in every language (common/project.toml), each from a page of a site nobody
    # here had read (the train half of tests/corpus)
    case("en", "On 22 May, where the NETTAG+ project was presented.", [(None, "NETTAG+")]),
    case(
        "en",
        "Together 27 representatives of 13 LIFE programme projects currently ongoing in "
        "Latvia. LIFE CoHaBit, LIFE AskREACH, LIFE FitForReach, LIFE Restore, LIFE CRAFT.",
        [
            ("LIFE CoHaBit", None),
            ("LIFE AskREACH", None),
            ("LIFE FitForReach", None),
            ("LIFE Restore", None),
            ("LIFE CRAFT", None),
        ],
    ),
    case(
        "cs",
        "Jihočeský kraj bude spolu se svými partnery realizovat projekt s názvem CZ-SK South "
        "LIFE za 7 024 703 euro.",
        [("CZ-SK South LIFE", None)],
    ),
    case(
        "pl",
        "Gmina przystąpiła do wspólnego przygotowania oraz realizacji projektu pn. „Rewitalizacja "
        "Iwanisk obejmująca wielofunkcyjne zagospodarowanie przestrzeni publicznych”.",
        [
            (
                "Rewitalizacja Iwanisk obejmująca wielofunkcyjne zagospodarowanie przestrzeni "
                "publicznych",
                None,
            )
        ],
    ),
    case(
        "en",
        "The first international meeting under the “Catch the European Sun” project was held "
        "in Italy on November 26-28, 2019.",
        [("Catch the European Sun", None)],
    ),
    case(
        "el",
        "1η Συνάντηση στο πλαίσιο του Ευρωπαϊκού Προγράμματος Erasmus+ «Occupy the Future»",
        [("Occupy the Future", None)],
    ),
    case(
        "fi",
        "WATER-M-hanke on hyvä esimerkki siitä, miten vastaamme kansallisen biotalousstrategian "
        'päämääriin", kertoo Oulun yliopiston Centre for Environment and Energy -keskuksen (CEE) '
        "johtaja Pekka Tervonen.",
        [(None, "WATER-M")],
    ),
    case(
        "en",
        "But also tools of previous funded projects (especially of the CE projects PROLINE-CE, "
        "RAINMAN, FRAMWAT, SUSTREE).",
        [(None, "PROLINE-CE"), (None, "RAINMAN"), (None, "FRAMWAT"), (None, "SUSTREE")],
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), PROJECTS)
def test_link_projects_from_names_and_acronyms(lang, text, expected):
    assert names(linked(text, lang)) == expected


# ---------------------------------------------------------------- project attributes

ETS = (
    "The eT4S project is funded by the COSME Program. The project’s duration is 24 months, "
    "with total budget of 498.686 €, of which the EU contribution is 448.815 €."
)
H003 = (
    "On 22.11.2017 Cluster Sofia Knowledge City signed a Grant Contract under the Operational "
    "Program Innovation and Competitiveness. The contract is for the implementation of project "
    "№ BG16RFOP002-2.009-0018-C01 - Creating Organizational Capacity and Development Strategy "
    "for Cluster Sofia City of Knowledge.\n- Start of implementation: February 2018\n"
    "- Duration: 18 months,\n- Total project cost: BGN 438 722.00, incl. EU funding (ERDF) - "
    "BGN 298,330.96; National funding - BGN 52 646.64; Own contribution - BGN 87 744.40\n"
)
H010 = (
    "За проектното предложение „Let`s save water as a natural resource“ ОУ „Йордан Йовков“ ще "
    "получи финансова подкрепа от 30 283 евро. Образователната институция е координатор по "
    "проекта, общият бюджет на който е 160 408 евро.\n\nКато партньорски организации по проекти "
    "по програма „Еразъм+“ ще работят още шест варненски училища. СУ „Пейо Яворов“ е одобрено "
    "за финансиране в размер на 24 098 евро с проектното предложение „Flipped Classroom from "
    "students for students“."
)
H004 = (
    "Община Благоевград спечели три проекта по Програмата Интеррег V-A Гърция – България "
    "2014 – 2020.\n\nЕдиният от проектите е с наименование „Green Crew - Зелена заетост при "
    "управление на биоразградими отпадъци”. Бюджетът на община Благоевград е 312 928,00 лв."
)
H040 = (
    "La Diputación Provincial de Teruel va a gestionar y liderar el proyecto europeo Start in "
    "Mountains (SIM) durante los próximos cuatro años. Financiado con casi 1,5 millones de "
    "euros por Interreg Europe al 80 por ciento, cuenta con otros siete socios."
)
H014 = (
    "The Cluster Sofia Knowledge City has signed a contract for the implementation of the "
    "MediaMotorEurope (MME) project, funded under Horizon 2020 - H2020-ICT-2019-2. The value "
    "of the project is EUR 1.952 million and its implementation will start from January 1, "
    "2020, and continue until January 31, 2022."
)
LIST3 = (
    "We launched three projects with European funding:\n\n"
    "  • Media Motor Europe (MME) - Horizon 2020;\n"
    "  • European Technology for Sustainability (eT4S) - COSME-GA;\n"
    "  • Smart Skills for Smarter Cities (Skills4Cities) - Erasmus+.\n"
)

CARD = (
    "Zelená škola pro Krkonoše\n\n"
    "Operační program: INTERREG V-A Česká republika - Polsko\n"
    "Příjemce: Město Vrchlabí\n"
    "Zahájení projektu: 1. 3. 2018\n"
    "Ukončení projektu: 28. 2. 2020\n\n"
    "Celková částka: 250 000,00 EUR\n"
)

MULTI_PROGRAMME = (
    "Nos chercheurs ont obtenu des financements Horizon 2020 pour plusieurs projets :\n"
    "Lancement du projet européen AQUAVIVA sur la qualité de l'eau\n"
    "Le projet européen TERRAFIX étudie les sols pollués.\n"
    "Après Horizon 2020 : Horizon Europe\n\n"
    "Le lycée participe aussi au projet Erasmus+ SOLARIS avec trois écoles.\n"
)

B_LAND = (
    "The University of Forestry is the Coordinator of the project “B-LAND: Promote and "
    "Strengthen Business Development Skills in Rural Communities”.\n\nProject total "
    "duration: from 01.10.2020 to 30.09.2022 (24 months)\n\nTotal grant: 181 865,00 Euro.\n"
)
AGROINCLUSION = (
    "Six organisations participate in the Agroinclusion project, within the framework of the "
    "Erasmus+ programme.\n\nDuring the project (2020-2023) they will exchange good practices."
)

ALPI = (
    "Il progetto AlpiVerdi, finanziato dal programma Interreg, ha una durata di 24 mesi, dal 1º "
    "ottobre del 2023 al 30 settembre del 2025."
)
ZELENI = (
    "Проектът „Зелени училища“ е финансиран по програма Еразъм+ и се провежда в периода 2020-2023."
)
VOM_BIS = "Das Projekt GreenBridge läuft vom 1. März 2021 bis 28. Februar 2023."
MEETINGS = "Das Projekt GreenBridge traf sich am 5. Mai 2021 und 7. Mai 2021 in Riga."

ATTRIBUTES = [
    case(
        "bg",
        "Проектът „Зелени градове“ се финансира по програма Еразъм+ с бюджет 120 000 лв.",
        None,
        "total_budget",
        120000.0,
    ),
    case(
        "bg",
        "Проектът „Зелени градове“ е с бюджет в размер на 120 000 лв., а 30 000 лв. са от "
        "бюджета на общината.",
        None,
        "total_budget",
        120000.0,
    ),
    case("en", ETS, "eT4S", "duration_months", 24),
    case("en", ETS, "eT4S", "total_budget", 498686.0),
    case("en", ETS, "eT4S", "eu_contribution", 448815.0),
    case("en", ETS, "eT4S", "currency", "EUR"),
    case("en", ETS, "eT4S", "programme", "COSME"),
    case("en", H003, None, "start_date", "2018-02"),
    case("en", H003, None, "grant_number", "BG16RFOP002-2.009-0018-C01"),
    case("en", H003, None, "total_budget", 438722.0),
    case("en", H003, None, "eu_contribution", 298330.96),
    case("en", H003, None, "currency", "BGN"),
    case("en", H003, None, "programme", "OP Innovation and Competitiveness"),
    case(
        "en",
        "The launch of the C2Future project meeting. COSME program 2020-2022",
        "C2Future",
        "start_date",
        "2020",
    ),
    case(
        "en",
        "The launch of the C2Future project meeting. COSME program 2020-2022",
        "C2Future",
        "end_date",
        "2022",
    ),
    case("en", H014, "MME", "start_date", "2020-01-01"),
    case("en", H014, "MME", "end_date", "2022-01-31"),
    case("en", H014, "MME", "total_budget", 1952000.0),
    case("en", LIST3, "MME", "programme", "Horizon 2020"),
    case("en", LIST3, "eT4S", "programme", "COSME"),
    case("en", LIST3, "Skills4Cities", "programme", "Erasmus+"),
    case(
        "en",
        "Kick-off meeting of the Erasmus+ BOSS project was held on October 29th, 2018 in Rome.",
        "BOSS",
        "start_date",
        None,
    ),
    case(
        "en",
        "The Programme has a total budget of 207 million euros. The LACOSTO project was presented.",
        "LACOSTO",
        "total_budget",
        None,
    ),
    case("bg", H010, "Let`s save water as a natural resource", "total_budget", 160408.0),
    case("bg", H010, "Flipped Classroom from students for students", "total_budget", None),
    case("bg", H010, "Flipped Classroom from students for students", "programme", "Erasmus+"),
    case("bg", H004, "Green Crew", "total_budget", None),
    case("bg", H004, "Green Crew", "programme", "Interreg"),
    # the EU share after "от които": "X лв. европейско и Y лв. национално", "X евро от ЕФРР"
    case(
        "bg",
        "Община Русе стартира проект „Зелен град“. Общата стойност на проекта е 391 090,63 лв., "
        "от които 332 427,04 лв. европейско и 58 663,59 лв. национално съфинансиране.",
        "Зелен град",
        "eu_contribution",
        332427.04,
    ),
    case(
        "bg",
        "Проектът „ДАНУБИО“ е на обща стойност 1 200 000 евро, от които 1 020 000 евро от ЕФРР.",
        "ДАНУБИО",
        "eu_contribution",
        1020000.0,
    ),
    # a period of implementation written as a range of two dates with "г." after each
    case(
        "bg",
        "Проект „Мост“ е с продължителност 18 (осемнадесет) месеца. Период на изпълнение: "
        "15.06.2020 г. – 15.12.2021 г.",
        "Мост",
        "end_date",
        "2021-12-15",
    ),
    case(
        "bg",
        "Проект „Мост“ стартира. Период на изпълнение: 15.06.2020 г. – 15.12.2021 г.",
        "Мост",
        "start_date",
        "2020-06-15",
    ),
    # "стойността му" / "общият му бюджет": the budget cue with a pronoun inside
    case(
        "bg",
        "Община Плевен започна изпълнението на проект „Оптимизиране на общинските политики“. "
        "Стойността му е 79 807 лв.",
        "Оптимизиране на общинските политики",
        "total_budget",
        79807.0,
    ),
    case(
        "bg",
        "Заключителна пресконференция по проект: „С готовност за изпълнение на проекти” се "
        "проведе днес. Общият му бюджет е в размера на 412 хил.лв.",
        "С готовност за изпълнение на проекти",
        "total_budget",
        412000.0,
    ),
    case("es", H040, "SIM", "eu_contribution", 1500000.0),
    case("es", H040, "SIM", "duration_months", 48),
    case("es", H040, "SIM", "programme", "Interreg"),
    case(
        "ro",
        "Proiectul „Râuri Curate” are o valoare totală de 200.000 euro, din care 170.000 euro "
        "reprezintă contribuția Uniunii Europene.",
        "Râuri Curate",
        "eu_contribution",
        170000.0,
    ),
    case(
        "fr",
        "C'est le 1er mars 2022 qu'a débuté le projet européen AQUAFLOW, porté par l'Université "
        "de Nantes.",
        "AQUAFLOW",
        "start_date",
        "2022-03-01",
    ),
    case(
        "ro",
        "Proiectul „Râuri Curate” se derulează între martie 2018 și septembrie 2019.",
        "Râuri Curate",
        "end_date",
        "2019-09",
    ),
    case("cs", CARD, "Zelená škola pro Krkonoše", "programme", "Interreg"),
    case("cs", CARD, "Zelená škola pro Krkonoše", "start_date", "2018-03-01"),
    case("cs", CARD, "Zelená škola pro Krkonoše", "total_budget", 250000.0),
    case("fr", MULTI_PROGRAMME, "AQUAVIVA", "programme", "Horizon 2020"),
    case("fr", MULTI_PROGRAMME, "TERRAFIX", "programme", "Horizon 2020"),
    case("fr", MULTI_PROGRAMME, "SOLARIS", "programme", "Erasmus+"),
    case("en", B_LAND, "B-LAND", "start_date", "2020-10-01"),
    case("en", B_LAND, "B-LAND", "end_date", "2022-09-30"),
    case("en", B_LAND, "B-LAND", "duration_months", 24),
    case("en", B_LAND, "B-LAND", "eu_contribution", 181865.0),
    case("en", AGROINCLUSION, "Agroinclusion", "start_date", "2020"),
    case("en", AGROINCLUSION, "Agroinclusion", "end_date", "2023"),
    case(
        "en",
        "The new project ERA SHUTTLE – Accelerating ERA by Sharing Unique Talents has started. "
        "The financing granted from Horizon Europe to the consortium amounts to 3 million EUR, "
        "over 500 000 EUR is dedicated to ICCVS UG tasks.",
        "ERA SHUTTLE",
        "eu_contribution",
        3000000.0,
    ),
    # a sum joined by a few words to the fund or programme that pays it is the EU's share
    case(
        "it",
        "Il progetto AlpiVerdi è stato presentato a Torino. Il costo complessivo ammonta a 500 "
        "mila euro, di cui 400 mila euro provenienti dal Fondo europeo di sviluppo regionale.",
        "AlpiVerdi",
        "eu_contribution",
        400000.0,
    ),
    case(
        "en",
        "The project GreenBridge started in May. Partners share €2 million from Interreg Europe.",
        "GreenBridge",
        "eu_contribution",
        2000000.0,
    ),
    # no programme in the project's paragraph: the one the page names most often
    case(
        "en",
        "The cluster starts the project GreenBridge this month with six partners.\n\n"
        "Its members have worked in Horizon 2020 before. Since 2016 they have run four "
        "Interreg Europe projects, and the Interreg Europe secretariat has invited them to its "
        "annual meeting.",
        "GreenBridge",
        "programme",
        "Interreg",
    ),
    # a date range in a sentence about the project gives its start and end
    case("it", ALPI, "AlpiVerdi", "start_date", "2023-10-01"),
    case("it", ALPI, "AlpiVerdi", "end_date", "2025-09-30"),
    case("bg", ZELENI, "Зелени училища", "start_date", "2020"),
    case("bg", ZELENI, "Зелени училища", "end_date", "2023"),
    case("de", VOM_BIS, "GreenBridge", "start_date", "2021-03-01"),
    case("de", VOM_BIS, "GreenBridge", "end_date", "2023-02-28"),
    # two days of one month joined by "and" are two meetings, not a period
    case("de", MEETINGS, "GreenBridge", "start_date", None),
    case(
        "en",
        "The project GreenBridge ends on 28 February 2023.",
        "GreenBridge",
        "end_date",
        "2023-02-28",
    ),
    # a date range after a duration label, and dates that end in an ordinal dot (the labels
    # and ranges of langs_sk3/sk3_01.txt, train_b5/b5_lv_01.txt, langs_et2/et2_02.txt)
    case(
        "sk",
        "Projekt „Ochrana prírody“ sa realizuje v Bratislave.\n"
        "Dĺžka trvania: 01.01.2021 – 31.12.2030",
        None,
        "start_date",
        "2021-01-01",
    ),
    case(
        "lv",
        "Projekts “Ūdens kvalitātes uzlabošana” tiek īstenots Gaujas novadā.\n"
        "Projekta ieviešanas laiks: 01.07.2020.-31.10.2022.",
        None,
        "end_date",
        "2022-10-31",
    ),
    case(
        "et",
        "Kaks aastat (01.06.2020.-31.05.2022) kestava projekti WaterAct eelarve on kokku "
        "411 764.76 eurot.",
        "WaterAct",
        "start_date",
        "2020-06-01",
    ),
    # a sum followed by the EU's own name (langs_en3/en3_03.txt), a support label
    # (langs_lt3/lt3_01.txt)
    case(
        "en",
        "The USER-FACTOR project, funded by €376,000 from the EU, is led by PDR, a design "
        "consultancy which is part of Cardiff Metropolitan University.",
        "USER-FACTOR",
        "eu_contribution",
        376000.0,
    ),
    case(
        "lt",
        "Projekto pavadinimas: Europe where we want to live\n"
        "Projekto vadovas: Kelmės rajono savivaldybės administracija\n"
        "Paramos dydis: 18.145 eurų\n",
        None,
        "eu_contribution",
        18145.0,
    ),
    # a budget label line (train/lv_h8_11.txt)
    case(
        "lv",
        "Projekts “Ūdens kvalitāte” tiek īstenots Latvijā.\n\nBudžets: 19,49 milj. €",
        None,
        "total_budget",
        19490000.0,
    ),
]


def _project(doc: Document, key: str | None):
    if key is None:
        assert len(doc.projects) == 1, names(doc)
        return doc.projects[0]
    found = [p for p in doc.projects if key in (p.name, p.acronym)]
    assert found, names(doc)
    return found[0]


@pytest.mark.parametrize(("lang", "text", "key", "attribute", "expected"), ATTRIBUTES)
def test_link_project_attributes_from_cues(lang, text, key, attribute, expected):
    assert getattr(_project(linked(text, lang), key), attribute) == expected


# ---------------------------------------------------------------- partners

PARTNERS = [
    case(
        "ro",
        "Proiectul „Drumuri Sigure” este implementat de Asociația Pro Banat în parteneriat cu "
        "Primăria Negotin din Serbia.",
        {("Primăria Negotin", "partner", "RS")},
    ),
    case(
        "it",
        "L'Università di Padova è capofila del progetto Erasmus+ 'Green Skills Lab' avviato "
        "quest'anno.",
        {("Università di Padova", "coordinator", None)},
    ),
    case(
        "it",
        "Il Comune di Trieste è capofila del progetto Interreg 'Porti Verdi' avviato quest'anno.",
        {("Comune di Trieste", "lead", None)},
    ),
    case(
        "it",
        "Presentato il progetto Erasmus+ 'Scuole Aperte'.\n\nLe quattro scuole, oltre a quella "
        "di Bari, che ne è capofila, sono Istituto Tecnico Volta (Patrasso, Grecia) e "
        "Fondazione Mondo Digitale (Roma, Italia).",
        {
            ("Istituto Tecnico Volta", "partner", "GR"),
            ("Fondazione Mondo Digitale", "partner", "IT"),
        },
    ),
    case(
        "en",
        "The eT4S project is managed by a consortium which is embedded within the SmartCityTech "
        "partnership, and includes GAIA (coordinator), HOEN, DSP Valley, CSKC and FDKO.",
        {
            ("GAIA", "coordinator", None),
            ("HOEN", "partner", None),
            ("DSP Valley", "partner", None),
            ("CSKC", "partner", None),
            ("FDKO", "partner", None),
        },
    ),
    case(
        "en",
        "We present a two-year project Clusters for the City of the Future (C2Future). The project "
        "is funded with 200,000 euros from the European program COSME, and the consortium "
        "consists of:\n\nDigital Transformation and Innovation Cluster (DTI); Bulgaria\n"
        "Acclima, Hotel Spain\nICT Net, Serbia\nGreenHome; Italy\nHAMAC; Greece\n"
        "Lombard mobility cluster; Italy\n\nAbout the COSME program\n",
        {
            ("Digital Transformation and Innovation Cluster", "partner", "BG"),
            ("Acclima", "partner", "ES"),
            ("ICT Net", "partner", "RS"),
            ("GreenHome", "partner", "IT"),
            ("HAMAC", "partner", "GR"),
            ("Lombard mobility cluster", "partner", "IT"),
        },
    ),
    case(
        "en",
        "On November 2, 2020, the project Skills4Cities was launched, in which Cluster Sofia "
        "Knowledge City as a leading organization cooperates with 5 partners from Bulgaria, Spain "
        "and Austria. The project Skills4Cities will be realized in partnership with IBS, IDEC, "
        "GAIA, ECQA, and ARIES.",
        {
            ("Cluster Sofia Knowledge City", "coordinator", None),
            ("IBS", "partner", None),
            ("IDEC", "partner", None),
            ("GAIA", "partner", None),
            ("ECQA", "partner", None),
            ("ARIES", "partner", None),
        },
    ),
    case(
        "en",
        "Kick-off meeting of the partners under Project 871552 - MediaMotorEurope was held. The "
        "meeting was hosted by the project leader V.R.T. Innovation. All other partners in the "
        "project participated, namely De Vlaamse Radio Televisieomroeporganisatie NV - Belgium; "
        "Media City Bergen AS MCB, Norway; FastTrack FT, Portugal, and F6S, Ireland.",
        {
            ("V.R.T. Innovation", "coordinator", None),
            ("De Vlaamse Radio Televisieomroeporganisatie NV", "partner", "BE"),
            ("Media City Bergen AS", "partner", "NO"),
            ("FastTrack", "partner", "PT"),
            ("F6S", "partner", "IE"),
        },
    ),
    case(
        "en",
        "Funding of the CIU3A project\n\nBeneficiary 2018 - 2021\nEligible sum (€)\nERDF funds (€)"
        "\n\nUniversity of Seville\n\nUniversity of Evora\n\nMartrain, CRL\n\nTotal (€)\n\nThe "
        "conditions for carrying out the Project are established in the Agreement between the "
        "Managing Board and the University of Seville, as the Principal Beneficiary.",
        {
            ("University of Seville", "lead", None),
            ("University of Evora", "partner", None),
            ("Martrain, CRL", "partner", None),
        },
    ),
    case(
        "en",
        "Bulgaria participates in the MediaMotorEurope project through the Cluster Sofia "
        "Knowledge City.",
        {("Cluster Sofia Knowledge City", None, "BG")},
    ),
    case(
        "bg",
        H010,
        {
            ("ОУ „Йордан Йовков“", "coordinator", None),
            ("СУ „Пейо Яворов“", "partner", None),
        },
    ),
    case("es", H040, {("Diputación Provincial de Teruel", "lead", None)}),
    case(
        "ro",
        "Asociația Pro Dunărea, în calitate de Beneficiar de Proiect Conducător, a lansat "
        "proiectul „Râuri Curate”.",
        {("Asociația Pro Dunărea", "lead", None)},
    ),
    case(
        "el",
        "Στο έργο AQUANET συμμετέχουν από την Ελληνική πλευρά, η Περιφέρεια Κρήτης και η "
        "Περιφέρεια Ηπείρου.",
        {("Περιφέρεια Κρήτης", "partner", "GR"), ("Περιφέρεια Ηπείρου", "partner", "GR")},
    ),
    case(
        "fr",
        "Le projet européen AQUAFLOW, porté par l'Université de Nantes, a débuté en mars.",
        {("Université de Nantes", "coordinator", None)},
    ),
    case(
        "en",
        "On September 1, 2020, was launched the eT4S project in which the Cluster Sofia Knowledge "
        "City cooperates with 4 partner organizations from Spain, Belgium, Denmark, and Poland.",
        {("Cluster Sofia Knowledge City", "partner", None)},
    ),
    case(
        "bg",
        "На 19 март 2024 г. се проведе срещата на SmartCityTech Partnership. Присъстваха "
        "представители на партньорите ни от Aalborg Green Hub, Дания, GAIA Испания.",
        set(),
    ),
    case(
        "pt",
        "O projeto “Escolas Verdes” envolve três escolas europeias, a Zakladni Skola na "
        "República Checa e a Stichting SintLucas na Holanda. O agrupamento colabora ainda no "
        "projeto “No Place for Hate”, que envolve cinco escolas europeias, a Alec Hunter "
        "Academy no Reino Unido e a Szkola Podstawowa nr 7 na Polónia.",
        {
            ("Zakladni Skola", "partner", "CZ"),
            ("Stichting SintLucas", "partner", "NL"),
            ("Alec Hunter Academy", "partner", "GB"),
            ("Szkola Podstawowa nr 7", "partner", "PL"),
        },
    ),
    case(
        "en",
        "The kick-off meeting of the EU-Learning Project took place in Berlin. During the "
        "meeting partners from Germany (EUFRAK-EuroConsults Berlin GmbH), from Belgium "
        "(European Projects Association), from Croatia (Informo) agreed on the working plan.",
        {
            ("EUFRAK-EuroConsults Berlin GmbH", "partner", "DE"),
            ("European Projects Association", "partner", "BE"),
            ("Informo", "partner", "HR"),
        },
    ),
    case(
        "en",
        "Six organisations take part in the Agroinclusion project. The project partners are: "
        "Lebenshilfe Ennstal (Austria), Wonderchapter (Portugal) and Lišov Museum (Slovakia).",
        {
            ("Lebenshilfe Ennstal", "partner", "AT"),
            ("Wonderchapter", "partner", "PT"),
            ("Lišov Museum", "partner", "SK"),
        },
    ),
    case(
        "en",
        "On 24th and 25th September 2020, the partners gathered online to kick-off the PASTELS "
        "project. During the first day, the Project Coordinator, Michael Montout (EDF) and the "
        "WP leaders outlined the overall structure.",
        {("EDF", "coordinator", None)},
    ),
    case(
        "en",
        "The training of the project “Innovative Cultural Heritage the Root of European "
        "Identity” (acronym “INTERACT”) was held online. More information on the whole "
        "initiative coordinated by Find an Internship (UK) and developed with the cooperation "
        "of Youth Europe Service (Italy) and Logos Polska (Poland) can be found online.",
        {
            ("Find an Internship", "coordinator", "GB"),
            ("Youth Europe Service", "partner", "IT"),
            ("Logos Polska", "partner", "PL"),
        },
    ),
    case(
        "en",
        "The new project ERA SHUTTLE – Accelerating ERA by Sharing Unique Talents for healThy "
        "Life and Environment has started in September. ICCVS is one of the participating "
        "partners responsible for training.",
        {("ICCVS", "partner", None)},
    ),
    case(
        "en",
        "On 11 July 2019, the official launch of the Interreg Europe EURE project took place. As "
        "lead partner of the project, Atlantic Axis of Peninsular Northwest (Eixo Atlantico) "
        "welcomed the participants.",
        {("Atlantic Axis of Peninsular Northwest", "lead", None)},
    ),
    # subjects joined by "и", the first with its country of origin, share the verb
    case(
        "bg",
        "Проектът „Пресичане на пътищата на историята и културата“ стартира. Община Хасково от "
        "България и Общински регионален театър Комотини също участват в проекта като бенефициенти.",
        {
            ("Община Хасково", "partner", "BG"),
            ("Общински регионален театър Комотини", "partner", None),
        },
    ),
    # the sole beneficiary signs the grant contract: coordinator
    case(
        "bg",
        "Днес кметът на община Казанлък Галина Стоянова подписа договора с Управляващия орган за "
        "безвъзмездно финансиране на проекта „Светът на траките“.",
        {("община Казанлък", "coordinator", None)},
    ),
    # on a page with one project, a partner named in a sentence without the word "project"
    case(
        "bg",
        "Проектът „ДАНУБИО“ е на обща стойност 1 200 000 евро. Водещ партньор е Община Видин, "
        "а партньор е Община Калафат, Румъния.",
        {("Община Видин", "lead", None), ("Община Калафат", "partner", "RO")},
    ),
    case(
        "bg",
        "Технически университет – София участва като партньор в проект SMART-EDU по програма "
        "„Хоризонт 2020“.",
        {("Технически университет – София", "partner", None)},
    ),
    # "в качеството си на водещ партньор" refers back; two signers are not sole beneficiaries
    case(
        "bg",
        "Община Русе, в качеството си на водещ партньор, и Община Гюргево, Румъния, подписаха "
        "договор за проект „Зелени мостове“.",
        {("Община Русе", "lead", None), ("Община Гюргево", "partner", "RO")},
    ),
    # the organiser of a project's press conference is tied to it, with no role stated
    case(
        "bg",
        "Община Ботевград организира откриваща пресконференция по проект „Подай ръка”.",
        {("Община Ботевград", None, None)},
    ),
    # a country inside the organisation's name ties it
    case(
        "en",
        "The project SOILCARE is coordinated by the Hungarian Academy of Sciences. Partners are "
        "Wageningen University and the University of Latvia.",
        {
            ("Hungarian Academy of Sciences", "coordinator", "HU"),
            ("Wageningen University", "partner", None),
            ("University of Latvia", "partner", "LV"),
        },
    ),
    case(
        "lv",
        "Projektu SOILCARE koordinē Latvijas Universitāte, partneri ir Tartu Ülikool.",
        {("Latvijas Universitāte", "coordinator", "LV"), ("Tartu Ülikool", "partner", None)},
    ),
    # a country label heads its part of a partner list, up to the next label
    case(
        "en",
        "The RIVERLINK project is funded by Interreg.\nPartners: Austria: University of Graz; "
        "Slovenia: Municipality of Maribor, University of Ljubljana.",
        {
            ("University of Graz", "partner", "AT"),
            ("Municipality of Maribor", "partner", "SI"),
            ("University of Ljubljana", "partner", "SI"),
        },
    ),
    # a nationality adjective one noun away from the name, before or after the noun
    case(
        "pt",
        "O projeto AQUANET inclui na investigação a empresa espanhola Hidrotec, Lda.",
        {("Hidrotec, Lda", "partner", "ES")},
    ),
    case(
        "en",
        "In the BLUEFISH project, Irish partners University of Galway carry out the trials.",
        {("University of Galway", "partner", "IE")},
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), PARTNERS)
def test_link_partners_with_roles_and_countries(lang, text, expected):
    doc = linked(text, lang)
    tied = {(p.organization, p.role, p.country) for p in doc.partners if p.evidence != "page"}
    assert tied == expected


# An organisation a project's page names with nothing tying it is a partner on evidence
# `page`, unless it is a ministry (a funder or managing authority) or the funder a funding
# phrase names.
PAGE_PARTNERS = [
    case(
        "ro",
        "Proiectul „Drumuri Sigure” este implementat de Asociația Pro Banat în parteneriat cu "
        "Primăria Negotin din Serbia.",
        {("Asociația Pro Banat", "partner", "page"), ("Primăria Negotin", "partner", "list")},
    ),
    case(
        "en",
        "The GREENLOOP project is co-funded by Region Skåne. Lund University hosted the "
        "kick-off meeting in Malmö.",
        {("Lund University", "partner", "page")},
    ),
    case(
        "en",
        "The GREENLOOP project is supported by the Ministry of Education. Lund University "
        "hosted the kick-off meeting in Malmö.",
        {("Lund University", "partner", "page")},
    ),
    case(
        "de",
        "Das Projekt GREENLOOP wird vom Bundesministerium für Bildung und Forschung gefördert. "
        "Die Universität Hamburg richtete das Auftakttreffen aus.",
        {("Universität Hamburg", "partner", "page")},
    ),
    # a programme's national agency funds the project; it is no partner on a page's word
    case(
        "en",
        "The GREENLOOP project, funded by Erasmus+, started in May. The Irish National Agency "
        "visited the school, and Lund University hosted the kick-off meeting in Malmö.",
        {("Lund University", "partner", "page")},
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), PAGE_PARTNERS)
def test_link_partners_named_on_a_project_page(lang, text, expected):
    doc = linked(text, lang)
    assert {(p.organization, p.role, p.evidence) for p in doc.partners} == expected


def test_link_partners_of_funded_projects_on_a_real_page_by_evidence() -> None:
    # a list of funded projects, each followed by its beneficiaries: no partner cue, yet the
    # gold makes every beneficiary a partner; the page's ministry-free organisations come in
    # on evidence `page`
    doc = pipeline.extract_facts((CORPUS / "langs_da_sv_fi" / "fi_2.txt").read_bytes())
    page = {p.organization for p in doc.partners if p.evidence == "page"}
    assert {"Åbo Akademi", "Anders Innovations Oy", "Metgen Oy", "Deltamarin Oy"} <= page
    assert {p.role for p in doc.partners if p.evidence == "page"} == {"partner"}


def test_link_inflected_forms_of_one_partner_are_one_row():
    # a real page names the county as subject, in the genitive and in the instrumental
    doc = pipeline.extract_facts((CORPUS / "langs_hr_sl_hu" / "hr_3.txt").read_bytes())
    county = [p.organization for p in doc.partners if p.organization.startswith("Krapinsko")]
    assert county == ["Krapinsko-zagorska županija"]
    assert "Zagorskom razvojnom agencijom" in {p.organization for p in doc.partners}


def test_link_no_page_partners_without_a_project():
    doc = linked("Lund University hosted a meeting with Region Skåne in Malmö.", "en")
    assert [m.kind for m in doc.mentions].count("organization") == 2
    assert doc.partners == []


# ---------------------------------------------------------------- helpers and contract


def test_link_every_row_traces_back_to_its_mentions():
    doc = linked(ETS + " The project partners are GAIA (coordinator), HOEN and CSKC.", "en")
    assert doc.projects and doc.partners
    for p in doc.projects:
        assert p.project_id == f"{doc.doc_id}-p{doc.projects.index(p) + 1}"
        used = [m for m in doc.mentions if m.project_id == p.project_id]
        assert any(m.kind == "project" for m in used)
        assert {"money", "duration", "programme"} <= {m.kind for m in used}
    for q in doc.partners:
        assert any(
            m.kind == "organization" and m.project_id == q.project_id and m.value == q.organization
            for m in doc.mentions
        )


def test_link_project_ids_follow_first_appearance():
    doc = linked(LIST3, "en")
    assert [p.acronym for p in doc.projects] == ["MME", "eT4S", "Skills4Cities"]
    assert [p.project_id for p in doc.projects] == [f"{doc.doc_id}-p{n}" for n in (1, 2, 3)]


def test_link_is_deterministic():
    a, b = linked(H010, "bg"), linked(H010, "bg")
    assert a.projects == b.projects and a.partners == b.partners and a.mentions == b.mentions


def test_link_empty_document_gives_no_rows():
    doc = link(Document.from_source("empty.txt", text="", language="en"))
    assert (doc.projects, doc.partners) == ([], [])


def test_link_odd_mentions_do_not_crash():
    text = "The ABC project, „“, project X."
    doc = Document.from_source("odd.txt", text=text, language="xx")
    doc.mentions = [
        Mention("project", "", 0, 0, "t", value=""),
        Mention("project", "ABC", 4, 7, "t", value=None),
        Mention("project", "„“", 17, 19, "t", value="„“"),
        Mention("money", "ABC", 4, 7, "t", value="x", amount=None),
        Mention("date", "ABC", 4, 7, "t", value="not a date"),
        Mention("duration", "ABC", 4, 7, "t", value="many"),
        Mention("organization", "The", 0, 3, "t", value="The"),
        Mention("country", "X", 29, 30, "t", value=None),
    ]
    link_projects(doc)
    assert [(p.name, p.acronym) for p in doc.projects] == [(None, "ABC")]


def test_link_runs_again_on_a_linked_document():
    doc = linked(ETS, "en")
    again = link_projects(copy.deepcopy(doc))
    assert again.projects == doc.projects and again.partners == doc.partners


# ---------------------------------------------------------------- other languages

# A project announcement with its lead partner and a list of partners, in each language
# that has cue words.
OTHER_LANGUAGES = [
    case(
        "de",
        "Das Projekt „Grüne Dächer für Städte“ startete am 1. März 2021. Die Laufzeit beträgt"
        " 36 Monate, das Gesamtbudget 1,2 Millionen Euro. Koordinator ist die Universität "
        "Wien, Projektpartner sind die Technische Universität München, Österreich und die "
        "Stadt Graz.",
        ("Grüne Dächer für Städte", None),
        [
            ("Stadt Graz", "partner", None),
            ("Technische Universität München", "partner", "AT"),
            ("Universität Wien", "coordinator", None),
        ],
    ),
    case(
        "fr",
        "Le projet « Villes Vertes » (VIVE) est financé par Interreg Europe. Le chef de file "
        "est la Région Occitanie. Les partenaires sont l'Université de Lyon, France, et la "
        "Ville de Porto, Portugal. Le budget total est de 1,5 million d'euros.",
        ("Villes Vertes", "VIVE"),
        [
            ("Région Occitanie", "lead", None),
            ("Université de Lyon", "partner", "FR"),
            ("Ville de Porto", "partner", "PT"),
        ],
    ),
    case(
        "it",
        "Il progetto CIRCLE, finanziato dal programma Interreg Italia-Slovenia, ha un budget "
        "totale di 2.000.000 euro. Il capofila è l'Università di Trieste, mentre i partner "
        "del progetto sono il Comune di Udine e la Regione Veneto.",
        (None, "CIRCLE"),
        [
            ("Comune di Udine", "partner", None),
            ("Regione Veneto", "partner", None),
            ("Università di Trieste", "lead", None),
        ],
    ),
    case(
        "cs",
        "Projekt „Zelené město“ je financován z programu Interreg. Vedoucím partnerem je "
        "Město Brno, projektovými partnery jsou Univerzita Palackého v Olomouci a "
        "Jihomoravský kraj. Celkový rozpočet projektu je 1 200 000 EUR.",
        ("Zelené město", None),
        [("Město Brno", "lead", None), ("Univerzita Palackého v Olomouci", "partner", None)],
    ),
    case(
        "pl",
        "Projekt „Zielone Miasto” realizowany w ramach programu Interreg. Partnerem wiodącym "
        "jest Gmina Wrocław, a partnerami projektu są Uniwersytet Wrocławski i Politechnika "
        "Wrocławska. Całkowity budżet wynosi 1 500 000 euro.",
        ("Zielone Miasto", None),
        [
            ("Gmina Wrocław", "lead", None),
            ("Politechnika Wrocławska", "partner", None),
            ("Uniwersytet Wrocławski", "partner", None),
        ],
    ),
    case(
        "ro",
        "Proiectul „Orașe Verzi” este finanțat prin programul Interreg VI-A România-Bulgaria."
        " Partenerul principal este Primăria Municipiului Craiova, iar partenerii proiectului"
        " sunt Universitatea din Craiova și Municipiul Vidin, Bulgaria. Valoarea totală a "
        "proiectului este de 1.200.000 euro.",
        ("Orașe Verzi", None),
        [
            ("Municipiul Vidin", "partner", "BG"),
            ("Primăria Municipiului Craiova", "lead", None),
            ("Universitatea din Craiova", "partner", None),
        ],
    ),
    case(
        "el",
        "Το έργο «Πράσινες Πόλεις» (GREENCITY) χρηματοδοτείται από το πρόγραμμα Interreg "
        "Ελλάδα-Βουλγαρία. Επικεφαλής εταίρος είναι ο Δήμος Θεσσαλονίκης. Ο συνολικός "
        "προϋπολογισμός είναι 1.200.000 ευρώ.",
        ("Πράσινες Πόλεις", "GREENCITY"),
        [("Δήμος Θεσσαλονίκης", "lead", None)],
    ),
    case(
        "sr",
        "Projekat „Zeleni grad“ finansira se iz programa Interreg IPA Bugarska-Srbija. Vodeći"
        " partner je Grad Niš, a partneri na projektu su Univerzitet u Nišu i Opština Pirot. "
        "Ukupan budžet projekta je 1.200.000 evra.",
        ("Zeleni grad", None),
        [
            ("Grad Niš", "lead", None),
            ("Opština Pirot", "partner", None),
            ("Univerzitet u Nišu", "partner", None),
        ],
    ),
    case(
        "hr",
        "Projekt „Zeleni grad“ financira se iz programa Interreg V-A Slovenija-Hrvatska. Vodeći "
        "partner je Grad Varaždin, a partneri na projektu su Sveučilište u Zagrebu i Općina "
        "Sveti Martin na Muri. Ukupna vrijednost projekta je 1.200.000 eura.",
        ("Zeleni grad", None),
        [
            ("Grad Varaždin", "lead", None),
            ("Općina Sveti Martin na Muri", "partner", None),
            ("Sveučilište u Zagrebu", "partner", None),
        ],
    ),
    case(
        "sl",
        "Projekt »Zeleno mesto« se financira iz programa Interreg Slovenija-Hrvaška. Vodilni "
        "partner je Občina Ptuj, partnerji projekta so Univerza v Mariboru in Razvojna agencija "
        "Sotla. Celotna vrednost projekta je 1.200.000 evrov.",
        ("Zeleno mesto", None),
        [
            ("Občina Ptuj", "lead", None),
            ("Razvojna agencija Sotla", "partner", None),
            ("Univerza v Mariboru", "partner", None),
        ],
    ),
    case(
        "hu",
        "A „Zöld Város” projekt az Interreg Magyarország-Horvátország program támogatásával "
        "valósul meg. A projekt vezető partnere a Pécsi Tudományegyetem, a projekt partnerei: a "
        "Szegedi Tudományegyetem és az Eszéki Egyetem. A projekt teljes költségvetése 1 200 000 "
        "euró.",
        ("Zöld Város", None),
        [
            ("Eszéki Egyetem", "partner", None),
            ("Pécsi Tudományegyetem", "lead", None),
            ("Szegedi Tudományegyetem", "partner", None),
        ],
    ),
    case(
        "pt",
        "O projeto “Cidades Verdes” é financiado pelo programa Interreg Espanha-Portugal. O "
        "beneficiário principal é a Câmara Municipal de Braga e os parceiros são a Universidade "
        "do Minho e o Município de Vigo, Espanha. O investimento total é de 1.200.000 euros.",
        ("Cidades Verdes", None),
        [
            ("Câmara Municipal de Braga", "lead", None),
            ("Universidade do Minho", "partner", None),
            ("Município de Vigo", "partner", "ES"),
        ],
    ),
    case(
        "nl",
        "Het project „Groene Havens” wordt gefinancierd door Interreg Vlaanderen-Nederland. "
        "Penvoerder is de Provincie Zeeland, projectpartners zijn de Universiteit Gent en de "
        "Hogeschool Zeeland. De totale begroting bedraagt 1.200.000 euro.",
        ("Groene Havens", None),
        [
            ("Provincie Zeeland", "lead", None),
            ("Universiteit Gent", "partner", None),
            ("Hogeschool Zeeland", "partner", None),
        ],
    ),
    case(
        "sk",
        "Projekt „Zelené mesto“ je financovaný z programu Interreg Slovensko-Česko. Vedúcim "
        "partnerom je Mesto Trnava a partnermi projektu sú Univerzita Komenského a Obec "
        "Hodonín. Celkový rozpočet projektu je 1 200 000 EUR.",
        ("Zelené mesto", None),
        [
            ("Mesto Trnava", "lead", None),
            ("Univerzita Komenského", "partner", None),
            ("Obec Hodonín", "partner", None),
        ],
    ),
]


@pytest.mark.parametrize(("lang", "text", "project", "partners"), OTHER_LANGUAGES)
def test_link_other_languages_project_and_partners(lang, text, project, partners):
    doc = linked(text, lang)
    assert names(doc) == [project]
    assert {(p.organization, p.role, p.country) for p in doc.partners} == set(partners)


RECORD_PAGE = """A sport összeköt minket
Rövid cím Sport
Regisztrációs szám SKHU/WETA/1901/1.1/311
Teljes projekt költségvetés 57 379,80 EUR

Vezető kedvezményezett
Obec Tureň
Jóváhagyott ERFA támogatás
25 404,84 EUR
Kedvezményezett
Öttevény Község Önkormányzata
"""


def test_link_label_line_above_an_organisation_gives_its_role():
    doc = linked(RECORD_PAGE, "hu")
    assert names(doc) == [(None, "Sport")]
    assert {(p.organization, p.role) for p in doc.partners} == {
        ("Obec Tureň", "lead"),
        ("Öttevény Község Önkormányzata", "partner"),
    }
    assert doc.projects[0].total_budget == 57379.8


def test_link_label_line_one_blank_line_above_an_organisation_gives_its_role():
    page = (
        "Projekts “LLI-296 Pārrobežu novadu attīstība” tiek īstenots Interreg programmas "
        "ietvaros.\n\nProjekta vadošie partneri:\n\nBiržų rajono savivaldybės administracija\n"
    )
    doc = linked(page, "lv")
    assert {(p.organization, p.role) for p in doc.partners} == {
        ("Biržų rajono savivaldybės administracija", "lead")
    }


def test_link_partners_of_a_page_whose_project_has_no_name():
    text = (
        "The Erasmus+ project brings together five schools. The project is coordinated by "
        "Tartu Tamme Gymnasium (Estonia), and the partners are Liceo Scientifico Galilei "
        "(Italy) and Escola Secundária de Loulé (Portugal)."
    )
    doc = linked(text, "en")
    assert doc.projects == []
    assert {(p.organization, p.role, p.country, p.project_id) for p in doc.partners} == {
        ("Tartu Tamme Gymnasium", "coordinator", "EE", None),
        ("Liceo Scientifico Galilei", "partner", "IT", None),
        ("Escola Secundária de Loulé", "partner", "PT", None),
    }


def test_link_no_partners_when_every_project_name_was_left_out():
    # the only project name is a network's (a `not_project` cue): the page has its reasons
    text = (
        "The Interreg project SMARTNET network met in Antwerp. The partners are Aalborg "
        "Green Hub (Denmark) and Bayern Innovative (Germany)."
    )
    doc = linked(text, "en")
    assert [m.text for m in doc.mentions if m.kind == "project"] == ["SMARTNET"]
    assert doc.projects == [] and doc.partners == []


@pytest.mark.parametrize(
    ("lang", "text", "coordinator"),
    [
        (
            "en",
            "The TRAILS project, led by the University of Porto, connects nine rural schools.",
            "University of Porto",
        ),
        (
            "ro",
            "Au fost semnate contracte prin Programul Operațional Regional (POR) 2014-2020, "
            "coordonat de Ministerul Dezvoltării. Proiectul „Școala Verde” este coordonat de "
            "Primăria Vaslui.",
            "Primăria Vaslui",
        ),
    ],
)
def test_link_led_by_makes_the_coordinator_but_not_after_a_programme(lang, text, coordinator):
    doc = linked(text, lang)
    assert [p.organization for p in doc.partners if p.role == "coordinator"] == [coordinator]


def test_link_a_list_item_with_one_project_and_one_organisation_gives_its_beneficiary():
    doc = linked(
        "Su 476 proposte la Commissione ha selezionato 64 progetti, di cui 9 italiani:\n"
        "- Acque Vive del Ticino dell'Università di Pavia;\n"
        "- Boschi Antichi della Regione Toscana;\n",
        "it",
    )
    project = {p.project_id: p.name for p in doc.projects}
    assert {(p.organization, p.role, project[p.project_id]) for p in doc.partners} == {
        ("Università di Pavia", "coordinator", "Acque Vive del Ticino"),
        ("Regione Toscana", "coordinator", "Boschi Antichi"),
    }


def test_link_a_sentence_that_brings_organisations_together_lists_partners():
    doc = linked(
        "The Interreg project GREENLOOP brings together Lumenarts, Oulu Science Park and the "
        "University of Oulu.",
        "en",
    )
    assert {(p.organization, p.evidence) for p in doc.partners} == {
        ("Lumenarts", "list"),
        ("Oulu Science Park", "list"),
        ("University of Oulu", "list"),
    }


def test_link_a_nationality_adjective_right_before_the_name_gives_the_country():
    doc = linked("Az Interreg BALTICWAY projekt partnere a svéd Lund Egyetem.", "hu")
    assert [(p.organization, p.country) for p in doc.partners] == [("Lund Egyetem", "SE")]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # after a preposition, not an article
        (
            "da",
            "Projektet GREENPORT arbejder i Interreg-programmet med hollandske NOFA.",
            ("NOFA", "NL"),
        ),
        # the name in quotes after the adjective
        (
            "de",
            "Das Kleinprojekt „Grüne Brauerei“ wird mit 14.770 Euro gefördert. „Lead partner“ "
            "ist hier die österreichische „Mühlviertel Marken GmbH“.",
            ("Mühlviertel Marken GmbH", "AT"),
        ),
        (
            "nl",
            "Binnen het project AQUATREAT werkt het Duitse “Netzwerk Oberfläche NRW e.V.” uit "
            "Münster samen met hogescholen.",
            ("Netzwerk Oberfläche NRW e.V", "DE"),
        ),
    ],
)
def test_link_a_nationality_adjective_after_a_preposition_or_before_a_quote(lang, text, expected):
    doc = linked(text, lang)
    assert [(p.organization, p.country) for p in doc.partners] == [expected]


def test_link_a_country_heading_a_numbered_list_gives_its_items_their_country():
    doc = linked(
        "The Erasmus+ project EDU-LINK brings together five universities from Romania:\n"
        "1. University of Bucharest\n2. Babeș-Bolyai University\n3. West University of Timișoara\n",
        "en",
    )
    assert {p.country for p in doc.partners} == {"RO"} and len(doc.partners) == 3


@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        (
            "en",
            "The Interreg project GREENUNI starts in May with eight partners. Taking part in "
            "Poland:\n\n• Politechnika Gdańska\n\n• Uniwersytet Warszawski\n",
            "PL",
        ),
        (
            "ro",
            "Proiectul GREENUNI, finanțat prin Erasmus+, are opt parteneri. Universitățile din "
            "România care participă:\n\n1. Universitatea din București\n\n"
            "2. Universitatea Babeș-Bolyai\n",
            "RO",
        ),
    ],
)
def test_link_the_one_country_of_a_list_header_goes_to_its_items(lang, text, country):
    doc = linked(text, lang)
    assert len(doc.partners) == 2 and {p.country for p in doc.partners} == {country}


def test_link_a_list_header_with_two_countries_gives_none():
    doc = linked(
        "The Interreg project GREENUNI starts in May with eight partners. Taking part in "
        "Poland and Germany:\n\n• Politechnika Gdańska\n\n• Uniwersytet Warszawski\n",
        "en",
    )
    assert len(doc.partners) == 2 and {p.country for p in doc.partners} == {None}


def test_link_a_sum_in_brackets_after_a_listed_project_is_its_budget():
    doc = linked(
        "Il programma LIFE finanzia tre progetti integrati in Italia:\n"
        "- LIFE-IP GESTIRE 2020, Lombardia (17,3 milioni di euro);\n"
        "- LIFE-IP PREPAIR, Emilia-Romagna (16,8 milioni di euro);\n",
        "it",
    )
    assert [p.total_budget for p in doc.projects] == [17300000.0, 16800000.0]


def test_link_card_lines_under_each_of_several_projects_give_roles_and_lists():
    # two project cards of a real page (langs_lt3/lt3_01.txt), the partner lists cut short
    doc = linked(
        "Iš Lietuvos šiai priemonei paraiškas pateikė 3 organizacijos, iš kurių finansavimas "
        "skirtas dviems:\n\n"
        "Projekto pavadinimas: Europe where we want to live\n"
        "Projekto vadovas: Kelmės rajono savivaldybės administracija\n"
        "Partneriai: Kelmės muziejus (Lietuva), GMINA MIASTKO (Lenkija)\n"
        "Paramos dydis: 18.145 eurų\n\n"
        "Projekto pavadinimas: BRICS - Broaden Resources In Common for Solidarity\n"
        "Projekto vadovas: Kelmė Town LAG\n"
        "Partneriai: COMUNE DI GALLESE (Italija), EMILIUSSCHOOL (Olandija)\n"
        "Paramos dydis: 25.000 eurų\n",
        "lt",
    )
    project = {p.project_id: p.acronym or p.name for p in doc.projects}
    rows = {(p.organization, p.role, p.evidence, project[p.project_id]) for p in doc.partners}
    europe = "Europe where we want to live"
    assert {(org, role, name) for org, role, _, name in rows} == {
        ("Kelmės rajono savivaldybės administracija", "coordinator", europe),
        ("Kelmės muziejus", "partner", europe),
        ("GMINA MIASTKO", "partner", europe),
        ("COMUNE DI GALLESE", "partner", "BRICS"),
        ("EMILIUSSCHOOL", "partner", "BRICS"),
    }
    assert not any(evidence == "page" for _, _, evidence, _ in rows)


def test_link_a_greek_ending_that_moves_the_accent_is_a_form_of_one_partner():
    # a real page (langs_el2/el2_01.txt) names the chamber in the nominative and the genitive
    doc = pipeline.extract_facts((CORPUS / "langs_el2" / "el2_01.txt").read_bytes())
    chamber = [p.organization for p in doc.partners if p.organization.startswith("Επιμελητ")]
    assert chamber == ["Επιμελητήριο Χαλκιδικής"]


def test_link_rows_of_a_flattened_project_table_name_their_projects():
    # the rows of a real page (train_b5/b5_sv_01.txt): title, period, sum; a year range
    # needs a second row of its shape on the page
    text = (CORPUS / "train_b5" / "b5_sv_01.txt").read_text(encoding="utf-8")
    doc = linked(text, "sv")
    assert {"Smart Ports", "Port Mate", "St Olav Waterways"} <= {p.name for p in doc.projects}
    single = linked("Årsrapport 2019-2020\nVi träffades i Riga i maj.\n", "sv")
    assert single.projects == []
