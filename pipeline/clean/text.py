"""Plain-text scrapes: a line classifier that drops boilerplate and finds the headline.

The cues are rule data (`rules/*/boilerplate.toml`, see `clean_rules`). The language is not
known at clean time, so the cues of every language apply to every page: each cue is anchored
to a whole label ("Read more", "Всички новини") or to a phrase that only a disclaimer or a
banner uses, so a cue of one language does not fire on content of another, and no
short-line language guess can go wrong. On top of the cues, a few structural signals:
the repeated headline, short menu labels above the article, lines after the copyright line,
repeated paragraphs, short lines next to dropped ones after the article.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import dateparser
import regex

from pipeline.clean.cues import CueSet, load_cues
from pipeline.clean.line_features import PageLines, line_features
from pipeline.clean.line_model import LineModel, load_line_model
from pipeline.langdata import common_data, project_word_pattern

DATE_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
    "DATE_ORDER": "DMY",
    "PARSERS": ["custom-formats", "absolute-time"],
    "RELATIVE_BASE": datetime(2000, 1, 1),
}
DATE_CACHE = 4096  # date lines parsed, remembered (the passes read the same lines again)
LONG_LINE = 150  # a paragraph, not a label or a heading
SHORT_PARAGRAPH = 60  # a full sentence this long is running text too
FOOTER_TAIL = 80  # after the copyright line, lines shorter than this are footer too
DEDUP_MIN = 60  # repeats of lines at least this long are dropped
SUBTITLE_WORDS = 12  # a short line between a headline and its text (a subtitle, a byline)
TOP_LABEL_WORDS = 2  # above the article, lines of at most this many words are menu labels
MENU_WORDS = 4  # a line of a site's menu: a few words
MENU_RUN = 4  # this many menu-like lines in a row above the article are a menu
PASS_OVER_WORDS = 8  # the headline search goes past a menu line or a slogan this long
TAIL_REACH = 2  # after the last paragraph, a short line this close to a dropped one goes too
TEXT_WORDS = 12  # a line of this many words is running text even when cut mid-sentence
SENTENCE_WORDS = 4  # a line of this many words or more ending in a full stop is a sentence
LEAD_LINES = 3  # short lines (a subtitle, a lead, a fact box) allowed between headline and text
BYLINE_RULE = "byline"  # the cue name of "Posted on ..." lines in every language file
YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
WORD = regex.compile(r"[\p{L}\p{N}]+")
LETTER_WORD = regex.compile(r"\p{L}[\p{L}\p{N}]*")
WHITESPACE = regex.compile(r"\s+")
DATE_LABEL = regex.compile(r"^[^\d:|]{1,30}[:|]\s*")
BYLINE_TAIL = regex.compile(r"\s+[-–—|]\s+")
# what a byline prints after the time of day: "17:01 часа • 2967 прочитания", "15:17  0"
AFTER_TIME = regex.compile(r"(?<=\d:\d\d)\D.*$")
# A "Label: value" line of a fact box (project record pages): a short label, then a value.
FACT_LINE = regex.compile(r"^\p{Lu}[\p{L} .()/-]{1,40}:\s+\S")
TIMESTAMP = regex.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")  # "2021-03-04T10:22:00+01:00 ..."
CURRENCY_SIGN = regex.compile(r"\p{Sc}")
# Two or three capitalised words: a person's name ("Dimitar Hristov").
PERSON_LIKE = regex.compile(r"\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+){1,2}")
LIST_MARKER = regex.compile(r"^(?:[-–—•*·▪►]|\d{1,2}[.)]\s|[a-z]\)\s)")
SENTENCE_END = (".", ",", ";", ":")
FULL_STOPS = (".", "!", "?")  # the marks that end a sentence of running text
ELLIPSIS = ("...", "…")
# A number and an abbreviated unit end the line ("EUR 5 mln.", "33,6 mio."): no sentence end.
UNIT_AT_END = regex.compile(r"\d[ \u00a0]?\p{Ll}{1,4}\.$")
LINK_ARROW = regex.compile(r"^[>›][ \t]*\S")  # "> Read also", "› All news": a link, not a list item


@dataclass
class Line:
    """One line of a scrape with what the classifier decided about it."""

    raw: str
    text: str
    action: str | None = None
    rule: str | None = None
    dropped: bool = False

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def words(self) -> int:
        return len(WORD.findall(self.text))


@dataclass
class CleanResult:
    """What the clean stage found: main text, headline, the page's own date (and, for
    scrapes, the classified lines; for HTML, the address the page declares)."""

    text: str
    title: str | None
    published: str | None
    lines: list[Line]
    url: str | None = None


def normalize_line(line: str) -> str:
    """The line as the cues see it: stripped, invisible characters removed, spaces collapsed."""
    line = line.replace("\ufeff", "").replace("\u200b", "").replace("\u00a0", " ")
    return WHITESPACE.sub(" ", line).strip()


def classify(text: str, cues: CueSet) -> tuple[str | None, str | None]:
    """(action, rule id) of the cues firing on one line; `keep` beats `footer`, then `drop`."""
    candidates = cues.candidates(text)  # one literal scan for every action
    cue = cues.first("footer", text, candidates) or cues.first("drop", text, candidates)
    if cue is not None:
        keep = cues.first("keep", text, candidates)
        return (keep.action, keep.rule_id) if keep else (cue.action, cue.rule_id)
    cue = cues.first("heading", text, candidates)
    return (cue.action, cue.rule_id) if cue else (None, None)


def parse_date(text: str, labelled: bool = True) -> str | None:
    """ISO day of a short date line ('06.01.2023', 'Oct 23, 2023', 'Posted on 1 May 2020').

    With `labelled=False` only a bare date counts (no 'Posted on', 'Start date:').
    """
    if len(text) > 60 or not YEAR.search(text) or len(WORD.findall(text)) > 8:
        return None
    first_digit = regex.search(r"\d", text)
    unlabelled = text[first_digit.start() :] if first_digit else text
    # a byline may end in its author or section after a dash or bar ("06/05/2024 om 13:42 -
    # Luc Willemijns", "12.03.2021 | Economia")
    unsigned = BYLINE_TAIL.split(unlabelled, maxsplit=1)[0]
    candidates = (
        (text, DATE_LABEL.sub("", text), unlabelled, unsigned, AFTER_TIME.sub("", unlabelled))
        if labelled
        else (text,)
    )
    for candidate in dict.fromkeys(candidates):
        found = _parsed_day(candidate)
        if found is not None:
            return found
    return None


@lru_cache(maxsize=DATE_CACHE)
def _parsed_day(candidate: str) -> str | None:
    """dateparser's ISO day of one candidate string; the passes ask for the same lines again."""
    parsed = dateparser.parse(
        candidate, languages=common_data("languages")["date_languages"], settings=DATE_SETTINGS
    )
    return None if parsed is None else parsed.date().isoformat()


def strip_title_prefix(text: str, cues: CueSet) -> str:
    """The headline without scrape artefacts: a leading 'date 2019-08' or '[VIDEO]', a
    trailing date and source glued on by the scraper."""
    for cue in cues.by_action["title_prefix"] + cues.by_action["title_suffix"]:
        text = cue.pattern.sub("", text, count=1).strip()
    return text


def headline_start(text: str) -> bool:
    """A headline starts with a capital, a digit, an opening quote or a currency sign."""
    first = text[0]
    return (
        first.isupper() or first.isdigit() or first in "\"'„“«" or bool(CURRENCY_SIGN.match(first))
    )


def headline_like(text: str) -> bool:
    """A line that could be a headline: a few words, no list marker, no sentence end."""
    words = len(WORD.findall(text))
    return (
        3 <= words <= 40
        and len(text) <= 250
        and (not text.endswith(SENTENCE_END) or bool(UNIT_AT_END.search(text)))
        and not text.endswith(ELLIPSIS)
        and not LIST_MARKER.match(text)
        and headline_start(text)
    )


def paragraph_like(text: str) -> bool:
    """A line of running text: long, or a full sentence of some length."""
    if len(text) >= LONG_LINE:
        return True
    return len(text) >= SHORT_PARAGRAPH and text.endswith(FULL_STOPS)


def is_upper(text: str) -> bool:
    return text == text.upper()


def fold(text: str) -> str:
    """Casefolded without accents: upper case drops them in some scripts (Greek tonos)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def is_repeat(one: str, other: str) -> bool:
    """The two lines are the same headline, once perhaps in UPPER CASE."""
    return one == other or ((is_upper(one) or is_upper(other)) and fold(one) == fold(other))


class _Page:
    """The working state of one scrape while the structural passes run."""

    def __init__(self, raw: str, cues: CueSet) -> None:
        self.cues = cues
        self.lines = [
            Line(raw=line.rstrip(), text=normalize_line(line))
            for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        ]
        for line in self.lines:
            if not line.blank:
                line.action, line.rule = classify(line.text, cues)
                line.dropped = line.action in ("drop", "footer")

    def live(self, start: int = 0) -> list[int]:
        """Indexes of the non-blank, not yet dropped lines from `start` on."""
        return [
            i
            for i in range(start, len(self.lines))
            if not self.lines[i].blank and not self.lines[i].dropped
        ]

    def drop(self, i: int, rule: str) -> None:
        line = self.lines[i]
        if line.action != "keep":
            line.dropped, line.rule = True, rule

    def drop_footer_tail(self) -> None:
        """Short lines after a copyright line belong to the footer."""
        in_footer = False
        for i, line in enumerate(self.lines):
            if line.action == "footer":
                in_footer = True
            elif in_footer and not line.blank and len(line.text) < FOOTER_TAIL:
                self.drop(i, "clean.footer_tail")

    def drop_repeated_paragraphs(self) -> None:
        seen: set[str] = set()
        for i in self.live():
            text = self.lines[i].text
            if len(text) >= DEDUP_MIN:
                if text in seen:
                    self.drop(i, "clean.repeated_paragraph")
                seen.add(text)

    def drop_cut_teasers(self) -> None:
        """A teaser cut mid-sentence that starts a later paragraph ("… potpisala je s
        Ministarstvom financija, Središnjom j") repeats that paragraph's lead. The first line
        of three words or more is the headline's place (a section label may stand above it):
        a headline that a longer line below repeats stays."""
        live = self.live()
        place = next((i for i in live if len(LETTER_WORD.findall(self.lines[i].text)) >= 3), None)
        for k, i in enumerate(live):
            text = self.lines[i].text
            if i == place or len(text) < DEDUP_MIN or text.endswith(SENTENCE_END + ELLIPSIS):
                continue
            if any(
                len(self.lines[j].text) > len(text) and self.lines[j].text.startswith(text)
                for j in live[k + 1 :]
            ):
                self.drop(i, "clean.cut_teaser")

    def repeated_headline(self) -> int | None:
        """Index of a headline that the page repeats (exactly or in upper case) just below.

        The copy that is not in upper case is the headline; the other copies are dropped.
        A line of fewer than three words with letters ("45 mil. EUR", a menu fragment) is
        no headline, nor is a line printed more than twice the same way (a site's name).
        """
        live = self.live()
        for pos, i in enumerate(live[:15]):
            first = self.lines[i].text
            if len(first) > 300 or len(LETTER_WORD.findall(first)) < 3:
                continue
            for j in live[pos + 1 : pos + 4]:
                if is_repeat(first, self.lines[j].text):
                    if self.printed_often(i):
                        break
                    copies = [k for k in live[pos:] if is_repeat(first, self.lines[k].text)]
                    head = next((k for k in copies if not is_upper(self.lines[k].text)), i)
                    for k in copies:
                        if k != head:
                            self.drop(k, "clean.repeated_headline")
                    return head
            if len(first) >= LONG_LINE:
                return None
        return None

    def printed_often(self, i: int) -> bool:
        """Line `i` is printed more than twice the same way: a site's name, not a headline."""
        text = self.lines[i].text
        return sum(self.lines[k].text == text for k in self.live()) > 2

    def next_live(self, i: int) -> int | None:
        """The next non-blank kept line after `i` that is not a bare date line."""
        for j in self.live(i + 1):
            if parse_date(self.lines[j].text) is None:
                return j
        return None

    def is_listing(self) -> bool:
        """Several teasers (heading + paragraph), bare item dates or cut teasers: a listing.
        A machine timestamp is the page's metadata, no item's date."""
        blocks = dates = teasers = 0
        for i in self.live():
            text = self.lines[i].text
            if TIMESTAMP.match(text):
                continue
            if parse_date(text, labelled=False):
                dates += 1
            elif len(text) >= LONG_LINE and text.endswith(ELLIPSIS):
                teasers += 1
            elif headline_like(text) and self.lines[i].action != "heading":
                j = self.next_live(i)
                blocks += j is not None and paragraph_like(self.lines[j].text)
        return blocks >= 3 or dates >= 2 or teasers >= 2

    def opens_article(self, i: int) -> bool:
        """Two paragraphs of running text in a row follow line `i`, after at most LEAD_LINES
        short lines: an article's start, whatever dated items, teasers or headed sections
        come below it (a listing's teaser has one paragraph)."""
        short = 0
        j = self.next_live(i)
        while j is not None and not paragraph_like(self.lines[j].text):
            short += 1
            if short > LEAD_LINES:
                return False
            j = self.next_live(j)
        following = self.next_live(j) if j is not None else None
        return following is not None and paragraph_like(self.lines[following].text)

    def leads_to_text(self, i: int) -> bool:
        """Running text follows line `i`: directly, after a few short lines (a subtitle, a
        lead sentence, at most one label of one or two words) or after a fact box of
        "Label: value" lines. Several tiny lines are a table or a list, not a lead."""
        short = tiny = 0
        j = self.next_live(i)
        while j is not None:
            line = self.lines[j]
            if paragraph_like(line.text):
                return True
            if not FACT_LINE.match(line.text):
                short += 1
                tiny += line.words <= TOP_LABEL_WORDS
                if short > LEAD_LINES or tiny > 1:
                    return False
            j = self.next_live(j)
        return False

    def first_headline(self) -> int | None:
        """The line that reads as the headline of the text below it, near the page's top.

        Bare date lines (the page's own date) and labels of one or two words are passed
        over, unless the page's first line is such a short headline with running text right
        below it. The first longer line is the headline when running text follows it;
        if it does not, a menu line, a slogan or a list item with no digits is passed over
        and the next line tried (`passed_over`). The search stops at anything else: a generic
        section heading, a line with digits, a longer line, running text.
        """
        first = True
        for i in self.live():
            line = self.lines[i]
            if parse_date(line.text, labelled=False) or TIMESTAMP.match(line.text):
                continue
            if line.words <= TOP_LABEL_WORDS and not parse_date(line.text):
                if first and self.short_headline(i):
                    return i
                first = False
                continue
            if line.action == "heading" or parse_date(line.text) or self.is_sentence(line.text):
                return None
            text = strip_title_prefix(line.text, self.cues)
            if text and headline_like(text) and not self.printed_often(i) and self.leads_to_text(i):
                return i
            if not self.passed_over(line):
                return None
            first = False
        return None

    @staticmethod
    def passed_over(line: Line) -> bool:
        """A line above the headline that the search goes past: a menu line or a slogan (at
        most PASS_OVER_WORDS words) or a list item, with no digits and no running text."""
        return (
            (line.words <= PASS_OVER_WORDS or bool(LIST_MARKER.match(line.text)))
            and not paragraph_like(line.text)
            and not regex.search(r"\d", line.text)
        )

    @staticmethod
    def is_sentence(text: str) -> bool:
        """Running text that ends like a sentence: where the text starts, not a headline."""
        return paragraph_like(text) and text.endswith(SENTENCE_END)

    def short_headline(self, i: int) -> bool:
        """A headline of one or two words ("Erasmus+", "FinEst Link"): the page's first line,
        with running text right below it (a date line between them is passed over)."""
        text = strip_title_prefix(self.lines[i].text, self.cues)
        j = self.next_live(i)
        return (
            bool(text)
            and self.lines[i].action != "heading"
            and headline_start(text)
            and not text.endswith(SENTENCE_END + ELLIPSIS)
            and j is not None
            and paragraph_like(self.lines[j].text)
        )

    def drop_menu_runs(self) -> None:
        """Runs of MENU_RUN or more short lines above the first paragraph, half of them list
        items ("• News"): a site's menu.

        A line of at most MENU_WORDS words with no sentence end and no "Label: value" shape
        is menu-like; blank lines do not break a run. Only above the first line of running
        text, so that a partner list inside the article stays; a fact box with its labels
        and values on lines of their own has no list markers, and stays too.
        """
        run: list[int] = []
        for i in self.live():
            line = self.lines[i]
            if line.blank:
                continue
            if paragraph_like(line.text):
                break
            if (
                line.words <= MENU_WORDS
                and not line.text.endswith(FULL_STOPS)
                and not FACT_LINE.match(line.text)
            ):
                run.append(i)
                continue
            self._drop_run(run)
            run = []
        self._drop_run(run)

    def _drop_run(self, run: list[int]) -> None:
        marked = sum(1 for i in run if LIST_MARKER.match(self.lines[i].text))
        if len(run) >= MENU_RUN and marked * 2 >= len(run):
            for i in run:
                self.drop(i, "clean.menu_run")

    def drop_top_labels(self, headline: int) -> None:
        """Menu labels (a few words, no digits, no sentence end) above the headline.

        Only above a headline: an excerpt that starts inside the article (a table header,
        a partner list) has no headline, and its short first lines are content.
        """
        for i in self.live():
            line = self.lines[i]
            if i >= headline:
                return
            menu_like = line.words <= MENU_WORDS and not line.text.endswith(SENTENCE_END)
            if menu_like and not regex.search(r"\d", line.text):
                self.drop(i, "clean.top_label")

    def drop_lead_labels(self, headline: int) -> None:
        """Labels between the headline and its first paragraph (a category, a share button,
        an author's name): capitalised lines of at most TOP_LABEL_WORDS + 1 words, no digits,
        no sentence end, no "Label: value" shape, no word for a project (a section heading
        "Information about the project" is content) and not a person's name (an author's
        line is content in the seed pages)."""
        for i in self.live(headline + 1):
            line = self.lines[i]
            if paragraph_like(line.text):
                return
            if (
                line.words <= TOP_LABEL_WORDS + 1
                and line.text[:1].isupper()
                and not line.text.endswith(SENTENCE_END)
                and not FACT_LINE.match(line.text)
                and not regex.search(r"\d", line.text)
                and not project_word_pattern().search(line.text)
                and not PERSON_LIKE.fullmatch(line.text)
            ):
                self.drop(i, "clean.lead_label")

    def drop_tail_neighbours(self) -> None:
        """Short lines after the last running text that sit within TAIL_REACH lines of a dropped
        line and do not head a block of kept lines: the rest of a block the cues took in part
        (a contact card whose e-mail line went, a comment form, a teaser list under
        "Related"). Decided on the drops before this pass, so a run does not grow line by
        line. List items (marked, or starting with a digit like the line before), "Label:
        value" lines, sentences, headings and lines with the word for a project stay (a
        partner list, an agenda, a record's fields or a closing remark end many pages)."""
        last = self.last_running_text()
        if last is None or self.is_listing():
            return
        filled = [i for i, line in enumerate(self.lines) if not line.blank]
        dropped = [self.lines[i].dropped for i in filled]
        for pos, i in enumerate(filled):
            line = self.lines[i]
            if (
                i <= last
                or line.dropped
                or self.heads_kept_block(dropped[pos + 1 :])
                or (pos and not dropped[pos - 1] and self.starts_alike(filled[pos - 1], i))
                or len(line.text) >= SHORT_PARAGRAPH
                or line.action == "heading"
                or LIST_MARKER.match(line.text)
                or FACT_LINE.match(line.text)
                or (line.words >= SENTENCE_WORDS and line.text.endswith(FULL_STOPS))
                or project_word_pattern().search(line.text)
                or self.under_list_header(i)
            ):
                continue
            near = dropped[max(0, pos - TAIL_REACH) : pos] + dropped[pos + 1 : pos + 1 + TAIL_REACH]
            if any(near):
                self.drop(i, "clean.tail_neighbour")

    def drop_link_lines(self) -> None:
        """Lines after the last running text that start with a link arrow ("> Call for
        cycling paths opens", "› All news"): teasers and links of a related-news block."""
        last = self.last_running_text()
        for i in self.live(len(self.lines) if last is None else last + 1):
            if LINK_ARROW.match(self.lines[i].text):
                self.drop(i, "clean.link_line")

    def last_running_text(self) -> int | None:
        """Index of the last kept line of running text (None when the page has none)."""
        return next(
            (i for i in reversed(self.live()) if self.running_text(self.lines[i])), None
        )

    @staticmethod
    def running_text(line: Line) -> bool:
        """A paragraph, or a line of TEXT_WORDS words or more (an excerpt cut mid-sentence)."""
        return paragraph_like(line.text) or line.words >= TEXT_WORDS

    @staticmethod
    def heads_kept_block(dropped_after: list[bool]) -> bool:
        """More than TAIL_REACH kept lines follow before the next dropped one: the line heads a
        block of content (a record's fields after a comment link), not a widget's rest."""
        kept = 0
        for gone in dropped_after:
            if gone:
                break
            kept += 1
        return kept > TAIL_REACH

    def starts_alike(self, before: int, i: int) -> bool:
        """Lines `before` and `i` both start with a digit: items of one list (an agenda's
        times, numbered steps)."""
        return self.lines[before].text[:1].isdigit() and self.lines[i].text[:1].isdigit()

    def under_list_header(self, i: int) -> bool:
        """Line `i` is a header that ends in a colon ("Partners:") or one of the short kept
        lines right under one, with no blank line between: a list, not the rest of a widget."""
        for line in reversed(self.lines[: i + 1]):
            if line.text.endswith(":"):
                return True
            if line.blank or line.dropped or len(line.text) >= SHORT_PARAGRAPH:
                return False
        return False

    def published_near(self, title: int) -> str | None:
        """The page's own date: a bare date line, or a byline with a date, near the headline.

        Other labelled dates ('Start date: 01.11.2020') are facts of the text, not the page's.
        """
        for i in range(max(0, title - 3), min(len(self.lines), title + 6)):
            line = self.lines[i]
            if i == title or line.blank:
                continue
            byline = line.rule is not None and line.rule.endswith(f".{BYLINE_RULE}")
            found = parse_date(line.text, labelled=byline)
            if found:
                return found
        return None

    def page_lines(self, title: int | None) -> tuple[list[int], PageLines]:
        """The indexes of the non-blank lines and what the line model sees of them."""
        filled = [i for i, line in enumerate(self.lines) if not line.blank]
        before = [i > 0 and self.lines[i - 1].blank for i in filled]
        after = [i + 1 < len(self.lines) and self.lines[i + 1].blank for i in filled]
        view = PageLines(
            texts=[self.lines[i].text for i in filled],
            dropped=[self.lines[i].dropped for i in filled],
            running=[self.running_text(self.lines[i]) for i in filled],
            blank_before=before,
            blank_after=after,
            title=filled.index(title) if title is not None else None,
            listing=self.is_listing(),
        )
        return filled, view

    def learnable(self, title: int | None) -> set[int]:
        """The lines the line model may drop: kept so far, not the headline, no cue keeps
        them or marks them as a heading, no field's label (ending in a colon) nor a line with
        the word for a project (a record's parts, as in `drop_tail_neighbours`), and none
        above the first running text of a page with no headline (an excerpt that starts
        inside the article, at a table's header)."""
        live = self.live()
        start = -1
        if title is None:
            start = next((i for i in live if self.running_text(self.lines[i])), len(self.lines))
        return {
            i
            for i in live
            if i > start
            and i != title
            and self.lines[i].action not in ("keep", "heading")
            and not self.lines[i].text.endswith(":")
            and not project_word_pattern().search(self.lines[i].text)
        }

    def drop_learned(self, title: int | None, model: LineModel) -> None:
        """Lines the line model scores as boilerplate above its threshold."""
        learnable = self.learnable(title)
        if not learnable:
            return
        filled, view = self.page_lines(title)
        chances = model.probabilities(line_features(view))
        for i, chance in zip(filled, chances, strict=True):
            if chance > model.threshold and i in learnable:
                self.drop(i, "clean.line_model")

    def text(self) -> str:
        """Kept lines joined with newlines; runs of blank lines become one blank line."""
        out: list[str] = []
        for line in self.lines:
            if line.dropped:
                continue
            if line.blank:
                if out and out[-1] != "":
                    out.append("")
            else:
                out.append(line.raw)
        while out and out[-1] == "":
            out.pop()
        return "\n".join(out)


def classify_page(raw: str, cues: CueSet) -> tuple[_Page, int | None]:
    """The page after the cue and structural passes (the line model not yet run), with the
    headline's line index."""
    page = _Page(raw, cues)
    page.drop_footer_tail()
    page.drop_menu_runs()
    title_index = page.repeated_headline()
    page.drop_repeated_paragraphs()
    page.drop_cut_teasers()
    page.drop_tail_neighbours()
    page.drop_link_lines()
    if title_index is None:
        headline = page.first_headline()
        if headline is not None and (page.opens_article(headline) or not page.is_listing()):
            title_index = headline
    if title_index is not None:
        page.drop_top_labels(title_index)
        page.drop_lead_labels(title_index)
    return page, title_index


def clean_scrape(raw: str, cues: CueSet | None = None) -> CleanResult:
    """Main text, headline and page date of a plain-text scrape."""
    page, title_index = classify_page(raw, load_cues() if cues is None else cues)
    page.drop_learned(title_index, load_line_model())
    title = published = None
    if title_index is not None:
        title = strip_title_prefix(page.lines[title_index].text, page.cues) or None
        published = page.published_near(title_index)
    return CleanResult(page.text(), title, published, page.lines)
