"""Languages are data: no language's words or codes in Python, every language.toml well formed,
and a new language is one folder of TOML files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import regex
from rules_copy import rules_copy

from pipeline import langdata
from pipeline.document import Document
from pipeline.extract.mentions import extract
from pipeline.langdata import (
    RULES_DIR,
    WORD_TABLES,
    RuleError,
    available_languages,
    check_settings,
    common_data,
    read_toml,
    table_words,
    word_alternation,
    word_fragments,
)

PACKAGE = Path(langdata.__file__).parent
# A regex alternation of words: "and|und|et".
ALTERNATION = regex.compile(r"(?<![\\\p{L}])\p{L}{2,}(?:\s\p{L}+)*\|\p{L}{2,}")


# The lists of rules/common/words.toml that hold a language's small words (conjunctions,
# articles, prepositions): no Python module may spell them out.
SMALL_WORD_LISTS = (
    "project_cue_joiners",
    "leading_articles",
    "list_separator_words",
    "list_line_joiners",
    "cue_linking_verbs",
    "cue_articles",
    "adjective_articles",
    "name_articles",
    "country_list_joiners",
    "name_connectors",
)


def _known_words() -> set[str]:
    """The small words of every rules language, from rules/common/words.toml."""
    data = common_data("words")
    return {w.casefold() for key in SMALL_WORD_LISTS for w in data[key] if w.isalpha()}


def _python_strings() -> list[tuple[str, int, ast.AST, list[str]]]:
    """(module, line, node, strings) for every string constant and every collection of strings
    in the package's Python modules."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.append((module, node.lineno, node, [node.value]))
            elif isinstance(node, ast.Set | ast.List | ast.Tuple):
                items = [e.value for e in node.elts if isinstance(e, ast.Constant)]
                if len(items) >= 3 and all(isinstance(i, str) for i in items):
                    out.append((module, node.lineno, node, items))
    return out


def test_langdata_no_language_code_in_python():
    codes = set(available_languages())
    found = [
        f"{module}:{line} {strings[0]!r}"
        for module, line, node, strings in _python_strings()
        if isinstance(node, ast.Constant) and strings[0] in codes
    ]
    assert found == []


def test_langdata_no_word_list_of_a_language_in_python():
    known = _known_words()
    found = []
    for module, line, node, strings in _python_strings():
        if isinstance(node, ast.Constant):
            for alt in ALTERNATION.finditer(strings[0]):
                words = {w.casefold() for w in regex.findall(r"\p{L}+", alt.group(0))}
                if words & known or any(not w.isascii() for w in words):
                    found.append(f"{module}:{line} {alt.group(0)!r}")
        else:
            words = {s.casefold() for s in strings}
            if words & known or any(not s.isascii() and s.isalpha() for s in strings):
                found.append(f"{module}:{line} {strings[:4]}")
    assert found == []


@pytest.mark.parametrize("lang", available_languages())
def test_langdata_every_language_toml_has_the_known_keys(lang):
    path = RULES_DIR / lang / "language.toml"
    check_settings(read_toml(path), path.name)


@pytest.mark.parametrize("lang", available_languages())
def test_langdata_money_fragments_take_their_words_from_money_toml(lang):
    """SCALE and CURRENCY_WORD of a language.toml hold no words: only what may come around
    the words of money.toml's [scales] and [currencies] (docs/rules.md, "Money words")."""
    fragments = read_toml(RULES_DIR / lang / "language.toml")["fragments"]
    if "SCALE" in fragments:
        assert fragments["SCALE"].startswith("(?P<scale>{SCALE_WORDS})")
    if "CURRENCY_WORD" in fragments:
        assert "(?P<currency>{CURRENCY_WORDS})" in fragments["CURRENCY_WORD"]


def test_langdata_a_word_table_key_gives_its_written_forms():
    table = {
        "mln(.)": 1e6,
        "euro(t|ga)": "EUR",
        "M": {"factor": 1e6, "followed_by": "€"},
        "tuha": {"factor": 1e3, "ending": r"\p{Ll}{1,5}"},
        "md": {"factor": 1e9, "fragment": False},
    }
    words = table_words(table, "factor", "money.toml")
    assert [w.text for w in words] == ["mln", "mln.", "euro", "eurot", "euroga", "M", "tuha", "md"]
    alternation = word_alternation(words)
    assert alternation == r"(?:euroga|eurot|euro|mln\.|tuha\p{Ll}{1,5}|mln|M(?=€))"
    assert [regex.fullmatch(alternation, s) is not None for s in ("md", "M", "tuhat")] == [
        False,
        False,
        True,
    ]
    assert regex.match(alternation, "M€")[0] == "M"


@pytest.mark.parametrize(
    ("entry", "message"),
    [({"factor": 1e6, "endng": "s"}, "not \\['endng'\\]"), ({"ending": "s"}, "needs 'factor'")],
)
def test_langdata_a_malformed_word_table_entry_is_refused(entry, message):
    with pytest.raises(RuleError, match=message):
        table_words({"mln": entry}, "factor", "money.toml")


@pytest.mark.parametrize("value", ["scale_words", "", ["SCALE_WORDS", 1], 0])
def test_langdata_an_entry_names_its_fragments_in_capitals(value):
    with pytest.raises(RuleError, match="fragment is true, false or fragment names"):
        table_words({"mln": {"factor": 1e6, "fragment": value}}, "factor", "money.toml")


def test_langdata_entries_name_the_fragments_that_match_them(tmp_path):
    """`fragment` names the fragments of a word, common's and the language's words together;
    common's [currencies] fill {CURRENCY_CODES}, a language's {CURRENCY_WORDS}."""
    common, lang = tmp_path / "common", tmp_path / "xx"
    common.mkdir()
    lang.mkdir()
    (common / "money.toml").write_text(
        '[currencies]\n"EUR" = "EUR"\n"€" = { code = "EUR", fragment = "CURRENCY_SYMBOLS" }\n'
        '[scales]\n"mn" = { factor = 1e6, fragment = ["SCALE_WORDS", "SCALE_GLUED"] }\n'
        '[scale_suffixes]\n"k" = 1e3\n',
        encoding="utf-8",
    )
    (lang / "money.toml").write_text(
        '[currencies]\n"kr" = "SEK"\n[scales]\n"md" = { factor = 1e9, fragment = "SCALE_GLUED" }\n'
        '"miljon" = 1e6\n',
        encoding="utf-8",
    )
    frags = word_fragments(common, lang)
    assert frags["CURRENCY_CODES"] == "(?:EUR)"
    assert frags["CURRENCY_SYMBOLS"] == "(?:€)"
    assert frags["CURRENCY_WORDS"] == "(?:kr)"
    assert frags["SCALE_WORDS"] == "(?:miljon|mn)"
    assert frags["SCALE_GLUED"] == "(?:md|mn)"
    assert frags["SCALE_SUFFIXES"] == "(?:k)"


# A group of a money rule that takes a word of the word tables.
MONEY_GROUP = regex.compile(r"\(\?P<(?:scale|scale_suffix|currency)>")


def _group_text(pattern: str, start: int) -> str:
    """The text of the group that opens at `start` (escapes and [...] sets skipped)."""
    depth, i, in_set = 0, start, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_set:
            in_set = c != "]"
        elif c == "[":
            in_set = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return pattern[start : i + 1]
        i += 1
    return pattern[start:]


def _literals(group: str) -> set[str]:
    """The literal runs of a regex group once {FRAGMENT}s, \\p{..} and \\d-style escapes are
    gone (an escaped sign such as \\$ stays a literal)."""
    text = regex.sub(r"\{[A-Z_]+\}|\\[pP]\{[^}]*\}|\\[A-Za-z]", " ", group[len("(?P<x>") :])
    text = regex.sub(r"\\(.)", r" \1 ", text)
    return {t for t in regex.split(r"[\s()|?:!<=>*+\[\]{},.\d^-]+", text) if t}


def _money_words() -> set[str]:
    """Every written form of every word table of every rules folder."""
    words = set()
    for folder in [RULES_DIR / "common", *(RULES_DIR / code for code in available_languages())]:
        for (kind, key), (_, value_key) in WORD_TABLES.items():
            path = folder / f"{kind}.toml"
            table = read_toml(path).get(key, {}) if path.exists() else {}
            words |= {w.text.rstrip(".") for w in table_words(table, value_key, str(path))}
    return words


def money_words_in_groups(rules_dir: Path) -> list[str]:
    """Rule patterns and fragments under `rules_dir` whose scale or currency group spells a
    word of the word tables instead of taking it from a generated fragment."""
    words = _money_words()
    found = []
    for path in sorted(rules_dir.glob("*/*.toml")):
        if path.name not in ("money.toml", "language.toml", "fragments.toml"):
            continue
        data = read_toml(path)
        patterns = [r.get("pattern", "") for r in data.get("rule", [])]
        patterns += [v for v in data.get("fragments", {}).values() if isinstance(v, str)]
        for pattern in patterns:
            for m in MONEY_GROUP.finditer(pattern):
                spelled = _literals(_group_text(pattern, m.start())) & words
                if spelled:
                    found.append(f"{path.parent.name}/{path.name}: {sorted(spelled)} in {pattern}")
    return found


def test_langdata_money_groups_take_their_words_from_the_tables():
    """No rule pattern or fragment writes a scale or currency word of money.toml's tables in
    its (?P<scale>...), (?P<scale_suffix>...) or (?P<currency>...) group: the words come
    from {SCALE_WORDS}, {CURRENCY_WORDS}, {CURRENCY_CODES}... (docs/rules.md, "Money words")."""
    assert money_words_in_groups(RULES_DIR) == []


def test_langdata_a_money_word_spelled_in_a_group_is_found(tmp_path):
    folder = tmp_path / "sv"
    folder.mkdir()
    (folder / "money.toml").write_text(
        "[[rule]]\npattern = '''{AMOUNT}\\s?(?P<scale>mn|md|M)(?P<currency>kr|\\$)'''\n",
        encoding="utf-8",
    )
    scale, currency = money_words_in_groups(tmp_path)
    assert "['M', 'md', 'mn']" in scale
    assert "['$', 'kr']" in currency


def test_langdata_shared_cue_lists_have_known_names():
    assert set(common_data("cues")["cues"]) <= langdata.CUE_NAMES


@pytest.mark.parametrize(("lang", "own_form"), [("hu", "kft"), ("sv", "hb"), ("nl", "vzw")])
def test_langdata_a_language_adds_its_legal_forms_to_the_shared_ones(lang, own_form):
    legal = {w.casefold() for w in langdata.load_language(lang).cues("legal_form")}
    other = {w.casefold() for w in langdata.load_language("en").cues("legal_form")}
    assert {"gmbh", "d.o.o.", "s.r.o."} <= legal & other
    assert own_form in legal - other


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.pop("date_order"), "missing key 'date_order'"),
        (lambda s: s.update(ner_modle=""), "unknown keys"),
        (lambda s: s.update(inflect_countries="yes"), "must be a bool"),
        (lambda s: s["cues"].update(budgett=["x"]), "unknown cue list"),
        (lambda s: s["cues"].update(budget="total cost"), "must be a list of strings"),
    ],
)
def test_langdata_a_malformed_language_toml_is_refused(edit, message):
    settings = read_toml(RULES_DIR / "en" / "language.toml")
    edit(settings)
    with pytest.raises(RuleError, match=message):
        check_settings(settings, "en/language.toml")


NEW_LANGUAGE = """
name = "Esperanto"
date_order = "DMY"
decimal = ","
thousands = ["."]
dateparser_languages = []
ner_model = ""
inflect_countries = false

[cues]
project_word = ["projekto"]

[fragments]
"""

NEW_PROJECT_RULES = """
[[rule]]
name = "iniciato_then_acronym"
pattern = '''(?<![\\p{L}])iniciato\\s(?P<m>\\p{Lu}{3,}\\d*)(?![\\p{L}\\d])'''
examples = [{ text = "la iniciato VERDA2 komenciĝis", match = "VERDA2", value = "VERDA2" }]
"""


@pytest.fixture
def rules_with_a_new_language(tmp_path, monkeypatch):
    """A copy of the rules folder with one more language, `eo`, made of two TOML files."""
    with rules_copy(tmp_path, monkeypatch) as root:
        (root / "eo").mkdir()
        (root / "eo" / "language.toml").write_text(NEW_LANGUAGE, encoding="utf-8")
        (root / "eo" / "project.toml").write_text(NEW_PROJECT_RULES, encoding="utf-8")
        yield root


def test_langdata_a_new_language_is_one_folder(rules_with_a_new_language):
    assert "eo" in available_languages()
    text = "La iniciato VERDA2 ricevis 250.000 EUR de Interreg."
    doc = extract(Document.from_source("eo.txt", text=text, language="eo"))
    found = {(m.kind, m.text, m.rule) for m in doc.mentions}
    assert ("project", "VERDA2", "eo.project.iniciato_then_acronym") in found
    assert any(kind == "money" and text_ == "250.000 EUR" for kind, text_, _ in found)
    assert any(kind == "programme" and text_ == "Interreg" for kind, text_, _ in found)
