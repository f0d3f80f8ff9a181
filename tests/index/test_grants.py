import pytest

from pipeline.index.grants import _compile, check_grant, clean_grant, load_shapes
from pipeline.langdata import RuleError

SHAPES = load_shapes()
EXAMPLES = [(s.name, e["text"], e["key"]) for s in SHAPES for e in s.examples]
COUNTER = [(s.name, text) for s in SHAPES for text in s.counter_examples]


@pytest.mark.parametrize(
    ("shape", "text", "key"), EXAMPLES, ids=[f"{s}:{t}" for s, t, _ in EXAMPLES]
)
def test_grants_shape_example_gives_its_key(shape, text, key):
    check = check_grant(text)
    assert (check.valid, check.shape, check.key) == (True, shape, key)


@pytest.mark.parametrize(("shape", "text"), COUNTER, ids=[f"{s}:{t}" for s, t in COUNTER])
def test_grants_shape_refuses_its_counter_example(shape, text):
    assert check_grant(text).shape != shape


@pytest.mark.parametrize(
    "code",
    ["H2020-ICT-2019-2", "BG16RFOP002-2.009", "COS-CLUSTER-2014-3-03", "BG16RFOP001-1.001-039"],
)
def test_grants_call_and_procedure_codes_are_not_valid_grant_numbers(code):
    check = check_grant(code)
    assert check.valid is False and check.programme is None and check.key.startswith("RAW:")


def test_grants_every_shape_has_examples_and_a_known_programme():
    assert len({s.name for s in SHAPES}) == len(SHAPES)
    for shape in SHAPES:
        assert shape.examples and shape.programme.strip()


def test_grants_short_and_long_erasmus_numbers_are_one_grant():
    long = check_grant("2021-1-IT02-KA220-SCH-000087865")
    short = check_grant("KA220_SCH-000087865")
    assert long.key == short.key and long.programme == short.programme == "Erasmus+"


def test_grants_programme_fit():
    assert check_grant("2020-1-BG01-KA202-079071").fits("COSME") is False
    assert check_grant("2020-1-BG01-KA202-079071").fits("ERASMUS+") is True
    assert check_grant("951206").fits("COSME") is True  # shared EC agreement numbering
    assert check_grant("BMP1/1.3/2616/2017").fits("Interreg") is True
    assert check_grant("BG16RFOP002-2.009-0018-C01").fits(
        "Operational Programme Innovation and Competitiveness 2014-2020"
    )
    assert check_grant("unknown-77").fits("COSME") is True  # nothing known, nothing contradicted


def test_grants_clean_spelling():
    assert clean_grant(" 2020-1-bg01-ka202 - 079071 ") == "2020-1-BG01-KA202-079071"
    assert clean_grant("ВG16RFОР002–2.009–0018–С01") == "BG16RFOP002-2.009-0018-C01"


def test_grants_malformed_shape_names_the_rule():
    with pytest.raises(RuleError, match="rule broken"):
        _compile(
            {"name": "broken", "programme": "X", "pattern": "(", "key": "", "examples": [1]}, {}
        )
    with pytest.raises(RuleError, match="rule nokey: missing key"):
        _compile({"name": "nokey", "programme": "X", "pattern": "1", "examples": [1]}, {})
    with pytest.raises(RuleError, match="unknown fragment"):
        _compile(
            {"name": "f", "programme": "X", "pattern": "{NOPE}", "key": "", "examples": [1]}, {}
        )
