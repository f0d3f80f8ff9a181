"""NORMALIZERS: named functions from a rule match to a normalized value.

Signature of every normalizer::

    def normalizer(hit: Hit, lang: Language) -> Normalized | list[Normalized] | None

`hit.text` is the mention's surface (homoglyphs folded to Latin inside Latin words),
`hit.groups` the named groups of the match other than `m` (unmatched groups left out),
`hit.doc_text`, `hit.start`, `hit.end` locate it in the (folded) text, and `hit.rule_value`
is the rule's constant `value`, if any. Returning None rejects the match; a list gives one
mention per item on the same span (a date range gives both ends).

Values: money "498686 EUR" (amount written without exponent, then the ISO code) with
`amount`/`currency` set; dates ISO ("2020-09-01", "2018-02", "2020"); durations in months
("24"); countries ISO alpha-2; programmes canonical names; grant numbers without spaces.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from pipeline.langdata import (
    FALLBACK_LANGUAGE,
    Language,
    alternation,
    country_codes,
    country_names,
    country_stems,
    load_language,
)

DATEPARSER_BASE = datetime.datetime(2000, 1, 1)
SPACES = regex.compile(r"[\s\u00a0\u202f\u2009]+")


@dataclass(frozen=True)
class Hit:
    """What a rule matched: the surface, its named groups and where it stands."""

    text: str
    groups: dict[str, str] = field(default_factory=dict)
    doc_text: str = ""
    start: int = 0
    end: int = 0
    rule_value: str | None = None


@dataclass(frozen=True)
class Normalized:
    """A normalized value; `amount` and `currency` for money only."""

    value: str | None
    amount: float | None = None
    currency: str | None = None


Result = Normalized | list[Normalized] | None
Normalizer = Callable[[Hit, Language], Result]


def _key(s: str) -> str:
    return SPACES.sub(" ", unicodedata.normalize("NFKC", s)).strip().casefold()


def _lookup(table: dict[str, object], word: str) -> object | None:
    """Table entry for `word`: exact (case-folded, trailing dot optional), else longest stem."""
    folded = {_key(k): v for k, v in table.items()}
    w = _key(word)
    for cand in (w, w.rstrip(".")):
        if cand in folded:
            return folded[cand]
    stems = [k for k in folded if w.startswith(k.rstrip("."))]
    if stems:
        return folded[max(stems, key=len)]
    return None


# ---------------------------------------------------------------- numbers and money


def parse_number(raw: str, scaled: bool = False, decimal: str = ".") -> float | None:
    """Digits with thousands/decimal separators -> float.

    Spaces are thousands separators. With both "." and "," the last one is the decimal
    mark. A separator used more than once groups thousands. A single separator followed by
    exactly three digits groups thousands, unless a scale word follows (`1.952 million`)
    and the separator is the language's `decimal` mark ("2.000 milhões" is 2000 millions
    where the decimal mark is a comma).
    """
    s = SPACES.sub("", raw).strip(".,")
    if not s or not regex.fullmatch(r"[\d.,]+", s):
        return None
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thou = "," if dec == "." else "."
        s = s.replace(thou, "").replace(dec, ".")
    elif dots + commas:
        sep = "." if dots else ","
        head, _, tail = s.rpartition(sep)
        if dots + commas > 1:
            if len(tail) == 3 and all(len(g) == 3 for g in s.split(sep)[1:]):
                s = s.replace(sep, "")
            else:
                return None
        elif len(tail) == 3 and (not scaled or sep != decimal):
            s = head + tail
        else:
            s = head + "." + tail
    try:
        return float(s)
    except ValueError:
        return None


def format_amount(amount: float) -> str:
    """An amount as a plain decimal string: 498686, 298330.96."""
    text = f"{amount:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def money(hit: Hit, lang: Language) -> Result:
    """Groups `amount`, `currency` and optional `scale` or `scale_suffix` -> amount in units
    and ISO 4217.

    `amount` is digits, or a number word of the [numbers] table of money.toml ("dwa miliony").
    """
    raw_amount = hit.groups.get("amount")
    raw_currency = hit.groups.get("currency")
    if not raw_amount or not raw_currency:
        return None
    tail = hit.doc_text[hit.end :]
    if not tail.strip() and hit.text.rstrip()[-1:].isdigit():
        return None  # cut off at the end of an excerpt: the figure may go on
    scale = 1.0
    for group, table in (("scale", "scales"), ("scale_suffix", "scale_suffixes")):
        if hit.groups.get(group):
            found = _lookup(lang.table("money", table), hit.groups[group])
            if found is None:
                return None
            scale = float(found)  # type: ignore[arg-type]
    number = parse_number(raw_amount, scaled=scale != 1.0, decimal=lang.get("decimal", "."))
    if number is None:
        word = _lookup(lang.table("money", "numbers"), raw_amount)
        number = float(word) if word is not None else None  # type: ignore[arg-type]
    currency = _lookup(lang.table("money", "currencies"), raw_currency)
    if number is None or currency is None:
        return None
    amount = round(number * scale, 2)
    return Normalized(f"{format_amount(amount)} {currency}", amount, str(currency))


# ---------------------------------------------------------------- dates


def _settings(lang: Language, parts: tuple[str, ...]) -> dict[str, object]:
    return {
        "DATE_ORDER": lang.get("date_order", "DMY"),
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": DATEPARSER_BASE,
        "PARSERS": ["custom-formats", "absolute-time"],
        "REQUIRE_PARTS": list(parts),
    }


@functools.lru_cache(maxsize=4096)
def _dateparse(text: str, code: str, parts: tuple[str, ...]) -> datetime.datetime | None:
    import dateparser

    lang = load_language(code)
    languages = lang.get("dateparser_languages", [code])
    try:
        return dateparser.parse(text, languages=languages, settings=_settings(lang, parts))
    except (ValueError, KeyError):
        return None


def _month_numbers(lang: Language) -> dict[str, int]:
    """language.toml [months]: each month word, case-folded -> the month's number."""
    return {w.casefold(): int(num) for num, ws in lang.get("months", {}).items() for w in ws}


def _replace_months(text: str, lang: Language) -> str:
    """Month words from language.toml [months] -> their number followed by a dot."""
    words = _month_numbers(lang)
    if not words:
        return text

    def sub(m: regex.Match) -> str:
        num = words.get(m.group(0).casefold())
        return f" {num}. " if num else m.group(0)

    return regex.sub(r"\p{L}+", sub, text)


NUMERIC_DATE = regex.compile(
    r"(?P<a>\d{1,4})\s*(?P<sep>[./-])\s*(?P<b>\d{1,2})\s*(?P=sep)?\s*(?P<c>\d{2,4})"
)


def _numeric_date(text: str, lang: Language) -> str | None:
    m = NUMERIC_DATE.fullmatch(text.strip().rstrip("."))
    if not m:
        return None
    a, b, c = (int(m.group(x)) for x in "abc")
    if len(m.group("a")) == 4:
        y, mo, d = a, b, c
    elif m.group("sep") == "/" and lang.get("date_order", "DMY") == "MDY":
        mo, d, y = a, b, c
    else:
        d, mo, y = a, b, c
    if y < 100:
        return None
    try:
        return datetime.date(y, mo, d).isoformat()
    except ValueError:
        return None


def parse_date(
    text: str, lang: Language, parts: tuple[str, ...] = ("day", "month", "year")
) -> str | None:
    """A date span -> ISO date with the precision of `parts` (day, month or year)."""
    clean = SPACES.sub(" ", text).strip(" ,;()")
    clean = regex.sub(r"(?<=\d)\.\s+(?=\d)", ".", clean)
    if parts == ("day", "month", "year"):
        numeric = _numeric_date(clean, lang)
        if numeric:
            return numeric
    replaced = _replace_months(clean, lang)
    if replaced != clean:
        replaced = regex.sub(r"[\s.]*\p{L}+\.?$", "", replaced)  # "године", "r.", "г."
        numeric = _numeric_date(SPACES.sub("", replaced), lang)
        if numeric and len(parts) == 3:
            return numeric
        clean = SPACES.sub(" ", replaced).strip()
    found = _dateparse(clean, lang.code, parts)
    if found is None:
        return None
    if len(parts) == 3:
        return found.date().isoformat()
    if len(parts) == 2:
        return f"{found.year:04d}-{found.month:02d}"
    return f"{found.year:04d}"


def _calendar_date(year: str, month: str, day: str | None, lang: Language) -> datetime.date | None:
    """A year, a month (a word of [months] or a number) and a day (the 1st when None)."""
    number = int(month) if month.isdigit() else _month_numbers(lang).get(month.casefold())
    if number is None:
        return None
    try:
        return datetime.date(int(year), number, int(day.strip(". ")) if day else 1)
    except ValueError:
        return None


def _date_from_groups(hit: Hit, lang: Language, with_day: bool) -> str | None:
    """Groups `year`, `month` (a word of [months] or a number) and `day` -> ISO, for
    languages whose word order dateparser does not read ("2020 m. liepos 1 d.")."""
    year, mon, day = (hit.groups.get(k) for k in ("year", "month", "day"))
    if not year or not mon or (with_day and not day):
        return None
    found = _calendar_date(year, mon, day if with_day else None, lang)
    if found is None:
        return None
    return found.isoformat() if with_day else found.isoformat()[:7]


def date(hit: Hit, lang: Language) -> Result:
    """A full date (day, month, year) -> YYYY-MM-DD; groups `year`, `month`, `day` when
    the rule names them."""
    if "year" in hit.groups:
        iso = _date_from_groups(hit, lang, with_day=True)
    else:
        iso = parse_date(hit.groups.get("date", hit.text), lang)
    return Normalized(iso) if iso else None


def month(hit: Hit, lang: Language) -> Result:
    """A month and year ("February 2018") -> YYYY-MM; groups `year` and `month` when the
    rule names them."""
    if "year" in hit.groups:
        iso = _date_from_groups(hit, lang, with_day=False)
    else:
        iso = parse_date(hit.groups.get("date", hit.text), lang, ("month", "year"))
    return Normalized(iso) if iso else None


def year_range(hit: Hit, lang: Language) -> Result:
    """Groups `y1` and `y2` ("(2020-2022)") -> two year-precision values."""
    y1, y2 = hit.groups.get("y1"), hit.groups.get("y2")
    if not y1 or not y2 or not (1990 <= int(y1) <= int(y2) <= 2100):
        return None
    return [Normalized(y1), Normalized(y2)]


def date_range(hit: Hit, lang: Language) -> Result:
    """Groups `a` (first end, may lack month/year) and `b` (second end, full or completed by
    a group `month` written before both: "October 13-14, 2020") -> both dates."""
    a, b = hit.groups.get("a", ""), hit.groups.get("b", "")
    month = hit.groups.get("month")
    second = parse_date(f"{month} {b}" if month else b, lang)
    if not second:
        return None
    first = parse_date(a, lang)
    if not first:
        y, mo, _ = second.split("-")
        a_clean = a.strip(" .,-–")
        if a_clean.isdigit():
            first = f"{y}-{mo}-{int(a_clean):02d}"
            try:
                datetime.date.fromisoformat(first)
            except ValueError:
                return None
        else:
            partial = parse_date(f"{a_clean} {y}", lang)
            if not partial:
                return None
            first = partial
    if first > second:
        return None
    return [Normalized(first), Normalized(second)]


def day_range(hit: Hit, lang: Language) -> Result:
    """Groups `year`, `month` and the first and last days `a` and `b` of a range within one
    month, in the order the language writes them ("2016. június 3-8.", "2015 m. birželio 3-4
    d.") -> both dates."""
    groups = hit.groups
    year, mon, a, b = groups.get("year"), groups.get("month"), groups.get("a"), groups.get("b")
    if not year or not mon or not a or not b:
        return None
    first, last = _calendar_date(year, mon, a, lang), _calendar_date(year, mon, b, lang)
    if first is None or last is None or first >= last:
        return None
    return [Normalized(first.isoformat()), Normalized(last.isoformat())]


# ---------------------------------------------------------------- durations


DECIMAL_COUNT = regex.compile(r"\d+(?:[.,]\d+)?")


def duration(hit: Hit, lang: Language) -> Result:
    """Groups `n` (digits, perhaps with a decimal, or a number word) and `unit` -> months."""
    n, unit = hit.groups.get("n"), hit.groups.get("unit")
    if not n or not unit:
        return None
    if DECIMAL_COUNT.fullmatch(n):
        count = float(n.replace(",", "."))
    else:
        found = _lookup(lang.table("duration", "numbers"), n)
        if found is None:
            return None
        count = float(found)  # type: ignore[arg-type]
    months = _lookup(lang.table("duration", "units"), unit)
    if months is None or count <= 0:
        return None
    total = round(count * int(months))  # type: ignore[call-overload]
    return Normalized(str(total)) if 0 < total <= 240 else None


# ---------------------------------------------------------------- countries


@functools.lru_cache(maxsize=64)
def _country_table(code: str) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """(exact names -> code, (stem, code) pairs longest first) for language `code`."""
    lang = load_language(code)
    table = country_names(FALLBACK_LANGUAGE, {})
    for locale in [code, *lang.get("cldr_locales", [])]:
        table.update(country_names(locale, {}))
    table.update({k: v for k, v in lang.table("country", "names").items() if v})
    if lang.get("inflect_countries", False):
        table.update({stem + "*": iso for stem, iso in country_stems(table).items()})
    exact = {_key(k): v for k, v in table.items() if not k.endswith("*")}
    stems = sorted(
        ((_key(k[:-1]), v) for k, v in table.items() if k.endswith("*")), key=lambda kv: -len(kv[0])
    )
    return exact, tuple(stems)


def country_code_of(name: str, code: str) -> str | None:
    """ISO alpha-2 of a country name or adjective written in language `code`."""
    exact, stems = _country_table(code)
    key = _key(name)
    if key in exact:
        return exact[key]
    for stem, iso in stems:
        if key.startswith(stem):
            return iso
    return None


def country(hit: Hit, lang: Language) -> Result:
    """A country name or nationality adjective -> ISO alpha-2."""
    if hit.rule_value:
        return Normalized(hit.rule_value)
    iso = country_code_of(hit.groups.get("country", hit.text), lang.code)
    return Normalized(iso) if iso else None


def country_code(hit: Hit, lang: Language) -> Result:
    """A two-letter ISO code written as such ("one BG project partner") -> itself."""
    code = hit.groups.get("code", hit.text).upper()
    return Normalized(code) if code in country_codes() else None


# ---------------------------------------------------------------- the rest


def const(hit: Hit, lang: Language) -> Result:
    """The rule's constant `value`."""
    return Normalized(hit.rule_value)


def text(hit: Hit, lang: Language) -> Result:
    """The surface itself, spaces collapsed."""
    return Normalized(SPACES.sub(" ", hit.text).strip())


def programme(hit: Hit, lang: Language) -> Result:
    """Canonical programme: the rule's value, else the [aliases] table of programme.toml."""
    if hit.rule_value:
        return Normalized(hit.rule_value)
    found = _lookup(lang.table("programme", "aliases"), hit.text)
    return Normalized(str(found)) if found else None


def grant_number(hit: Hit, lang: Language) -> Result:
    """A grant/contract number without spaces or trailing punctuation."""
    value = SPACES.sub("", hit.groups.get("code", hit.text)).strip(".,;:-")
    return Normalized(value) if len(value) >= 5 else None


LEADING_ARTICLE = regex.compile(rf"^(?:{alternation('leading_articles')})\s+")
TRAILING_POSSESSIVE = regex.compile(r"(?:['’]s|['’])$")


def is_country_name(name: str, code: str) -> bool:
    """The whole name is a country: a full country name, or one word on a country stem.

    A longer name that only starts with a nationality adjective ("Česká zemědělská
    univerzita", "Polska Agencja Rozwoju") is not.
    """
    if _key(name) in _country_table(code)[0]:
        return True
    return " " not in name and country_code_of(name, code) is not None


def organization(hit: Hit, lang: Language) -> Result:
    """An organisation name as written, spaces collapsed, without "the" or a possessive."""
    name = SPACES.sub(" ", hit.text).strip(" ,;:-–")
    name = TRAILING_POSSESSIVE.sub("", LEADING_ARTICLE.sub("", name)).strip()
    if len(name) < 2 or is_country_name(name, lang.code):
        return None
    if name.count("(") != name.count(")"):
        return None  # a span cut across brackets ("Croatia (Informo")
    return Normalized(name)


NORMALIZERS: dict[str, Normalizer] = {
    "const": const,
    "country": country,
    "country_code": country_code,
    "date": date,
    "date_range": date_range,
    "day_range": day_range,
    "duration": duration,
    "grant_number": grant_number,
    "money": money,
    "month": month,
    "organization": organization,
    "programme": programme,
    "text": text,
    "year_range": year_range,
}
