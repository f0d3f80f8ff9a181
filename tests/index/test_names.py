import pytest

from pipeline.index.names import name_key, name_keys, org_keys, programme_key, repair_homoglyphs


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("КУЛТУРА БЕЗ ГРАНИЦИ", "Kultura bez granici"),
        ("Зелена заетост", "Zelena Zaetost"),
        ("Србија", "Srbija"),
        ("Бугарска – Србија", "Bugarska-Srbija"),
        ("Щастливо детство", "Shtastlivo detstvo"),
        ("Θεσσαλονίκη", "Thessaloniki"),
        ("Media Motor Europe", "MediaMotorEurope"),
        ("TRAIN4.0", "train 4.0"),
        ("Sоfia Smart City", "Sofia Smart City"),  # Cyrillic о inside a Latin word
        ("Čistá řeka", "Cista reka"),
    ],
)
def test_names_same_name_in_other_script_or_spelling_has_same_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Skills4Cities", "Skills4City"),
        ("C2Future", "CFuture"),
        ("Kultura bez granici", "Priroda bez granici"),
    ],
)
def test_names_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_names_homoglyphs_follow_the_script_of_their_word():
    assert repair_homoglyphs("Клъстеp") == "Клъстер"  # Latin p in a Cyrillic word
    assert repair_homoglyphs("DSP Vаlley") == "DSP Valley"
    assert repair_homoglyphs("АМЕС cluster") == "AMEC cluster"


def test_names_all_lookalike_string_also_has_its_latin_reading():
    assert name_key("AMEC") in name_keys("АМЕС")
    assert name_keys("Клъстер") == (name_key("Klaster"),)


def test_names_organisation_keys_drop_trailing_legal_forms():
    assert org_keys("Media City Bergen AS") == org_keys("Media City Bergen")
    assert org_keys("Иновейшън ЕООД") == org_keys("Inoveyshan")
    assert org_keys("GmbH") == (name_key("GmbH"),)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "OP Innovation and Competitiveness",
            "Operational Programme Innovation and Competitiveness 2014-2020",
        ),
        ("Erasmus+", "ERASMUS+"),
        ("Balkan-Mediterranean 2014-2020", "Balkan-Mediterranean"),
    ],
)
def test_names_programme_key_ignores_case_programme_words_and_period(a, b):
    assert programme_key(a) == programme_key(b)


def test_names_programme_key_keeps_the_programme_apart():
    assert programme_key("Horizon 2020") != programme_key("Horizon Europe")
    assert programme_key("COSME") != programme_key("Erasmus+")
    assert programme_key("  ") is None
