"""Pupil names and numbers: what the intake guard (`bot.services.intake`) looks for.

Teachers write about real children. The AVG/GDPR makes pupils' names, citizen service
numbers (BSN) and dates of birth the data a CoP should never need, so every free-text
contribution passes `check` first; the handler shows the findings and offers the rewrite
from `mask` ("leerling A"). The guard only *warns*: a member who confirms is never blocked,
which is why it can be a heuristic, and why it leans towards not crying wolf - a warning
that fires on ordinary prose teaches people to click it away.

What it catches, and where it stops (by design, documented so nobody over-trusts it):

* Names: a capitalised first name followed by a capitalised last name, optionally with a
  middle name, lower-case Dutch tussenvoegsels ("van der", "'t", "el") and hyphenated
  last names. A first name alone ("Mijn leerling Tim weigert") is found when it is one of
  the common pupils' first names in `bot/data/first_names.json` - that is how teachers
  usually name a child. A listed name that is also an everyday word ("Ben", "Roos", "Job")
  counts only inside a sentence, never as its first word; a name after a title ("juf
  Emma", "meester Tim") is a colleague; a name followed by another capitalised word is
  left to the full-name rule ("Floris Radewijnszschool" is a school). Limits: first names
  not on the list are missed alone; names written in lower case,
  with a capitalised tussenvoegsel ("Jan Van Dijk", Flemish style) or across a line break
  are missed; a title-cased phrase that is not in the stop lists ("Rode Kruis") is flagged,
  and an unlisted capitalised word opening a sentence right before a name is taken into the
  finding as a first name (the name is still covered, the excerpt is just too long). First
  names that are also common words ("Mei", "Dag", "May") are never seen as first names.
  Members' own names (``known_names``) are skipped, matching on the full name or on the
  first name, so a pupil who shares a member's first name is missed too.
* A group and a diagnosis: "groep 5" (klas, group, class) and a diagnosis (ADHD,
  dyslexie, autisme, ...) in one sentence that speaks of one child ("een jongen", "hij",
  "mijn leerling"): in a school that names the pupil. A question about teaching ("Hoe ga
  je in groep 5 om met dyslexie?") or a diagnosis without a group is not flagged.
* BSN: 8 or 9 digits (plain, or grouped with dots or spaces as 3-3-3, 4-2-3 or 2-3-3)
  that pass the eleven-check. About one in eleven random 9-digit numbers passes, so an
  order or account number can still be flagged; numbers glued to other digits are not.
* Date of birth: a numeric or written-out (Dutch/English month) date whose year fits a
  primary-school pupil (the 23 years before this one) *and* stands within ~30 characters
  of a birth word, or a date making someone 3..14 years old that follows "geb"/"born"
  earlier on the same line. A bare date is never enough: meeting dates are everywhere.
  Ages written as text ("hij is 7") are not looked for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Literal

FindingKind = Literal["name", "bsn", "birthdate", "diagnosis"]


@dataclass(frozen=True)
class Finding:
    """One span of the original text that looks like it identifies a pupil."""

    kind: FindingKind
    excerpt: str
    start: int
    end: int


# ---------------------------------------------------------------------------------------
# Word lists. Lower-case; compared with str.casefold() of the word as written.

_ARTICLES_PRONOUNS = {
    # Dutch
    "de", "het", "een", "ik", "jij", "je", "u", "wij", "we", "hij", "zij", "ze", "jullie",
    "onze", "ons", "mijn", "jouw", "uw", "zijn", "haar", "hun", "deze", "die", "dat", "dit",
    "men", "iemand", "niemand", "iedereen", "alle", "elke", "ieder", "welke", "wie", "wat",
    # English
    "the", "a", "an", "i", "you", "he", "she", "it", "they", "my", "your", "his",
    "her", "its", "our", "their", "this", "that", "these", "those", "who", "what", "which",
    "everyone", "someone", "nobody", "every", "each", "all", "some", "any",
}  # fmt: skip
_WEEKDAYS_MONTHS = {
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "may", "june", "july", "august", "october",
}  # fmt: skip
_SENTENCE_STARTERS = {
    # Dutch prepositions, conjunctions and adverbs that open sentences.
    "op", "in", "bij", "na", "voor", "met", "zonder", "over", "naast", "door", "tijdens",
    "sinds", "volgens", "tot", "vanaf", "onder", "boven", "achter", "tussen", "om", "uit",
    "van", "aan", "en", "maar", "of", "want", "dus", "toen", "als", "wanneer", "omdat",
    "hoewel", "terwijl", "daarna", "daarom", "dan", "ook", "nu", "hoe", "waarom", "waar",
    "gisteren", "vandaag", "morgen", "vanochtend", "vanmiddag", "vanavond", "vorige",
    "volgende", "afgelopen", "laatst", "soms", "vaak", "altijd", "nooit", "meestal",
    "eerst", "eerste", "tweede", "derde", "ja", "nee", "hallo", "hoi", "hey", "beste",
    "lieve", "dag", "dank", "bedankt", "groeten", "groet", "vriendelijke", "hartelijke",
    "fijne", "fijn", "prettig", "prettige", "goede", "goed", "graag", "helaas", "gelukkig",
    "misschien", "zeker", "hier", "daar", "er", "wel", "niet", "geen", "nog", "al", "zo",
    "zelf", "samen", "welkom", "vraag", "tip", "idee", "update", "zie", "let", "lees",
    "bijvoorbeeld", "toch", "verder", "tenslotte", "echter", "ondanks", "zoals", "vooral",
    "inmiddels", "eigenlijk", "natuurlijk", "betreft", "onderwerp", "thema",
    # English
    "on", "at", "by", "after", "before", "with", "without", "about", "during", "since",
    "to", "from", "for", "and", "but", "or", "so", "then", "when", "if", "because",
    "while", "although", "how", "why", "where", "yesterday", "today", "tomorrow", "last",
    "next", "first", "second", "also", "now", "yes", "no", "hello", "hi", "dear", "thanks",
    "thank", "kind", "best", "warm", "regards", "happy", "good", "please", "sadly",
    "maybe", "here", "there", "not", "still", "just", "welcome", "question", "see",
}  # fmt: skip
_PARTICLES_CAPITALISED = {
    "van", "der", "den", "ter", "ten", "te", "het", "op", "in", "el", "al", "von", "le",
    "la", "du", "da", "di", "del", "della", "des", "dos",
}  # fmt: skip
# Role nouns and titles: "Leerling Anna", "Juf Anna", "Kind C" are not "first last".
_ROLE_WORDS = {
    "leerling", "leerlinge", "leerlingen", "pupil", "kind", "kindje", "kinderen", "child",
    "student", "jongen", "meisje", "boy", "girl", "juf", "juffrouw", "meester", "meneer",
    "mevrouw", "mw", "dhr", "mr", "mrs", "ms", "miss", "dr", "drs", "prof", "ouder",
    "ouders", "moeder", "vader", "mama", "papa", "mam", "pap", "oma", "opa", "broer",
    "zus", "collega", "directeur", "directrice", "teacher", "parent", "mother", "father",
    "groep", "klas", "school", "basisschool", "team", "stichting", "gemeente", "sint",
}  # fmt: skip
# Words that never are the first word of a name.
_NOT_FIRST = (
    _ARTICLES_PRONOUNS
    | _WEEKDAYS_MONTHS
    | _SENTENCE_STARTERS
    | _PARTICLES_CAPITALISED
    | _ROLE_WORDS
)
# Words that never continue a name (middle or last name).
_NOT_LATER = (
    _ARTICLES_PRONOUNS
    | _WEEKDAYS_MONTHS
    | _PARTICLES_CAPITALISED
    | _ROLE_WORDS
    | {
        "noord", "zuid", "oost", "west", "centrum", "groet", "groeten", "regards",
        "weekend", "morgen", "middag", "avond", "nieuws", "onderwijs", "begeleider",
        "begeleiding", "meeting", "vergadering", "overleg", "team", "teams", "thuis",
    }
)  # fmt: skip
# Compound nouns built on these endings are institutions or things, not surnames.
_NOT_NAME_SUFFIXES = ("school", "onderwijs", "begeleider", "begeleiding", "coördinator",
                      "overleg", "vergadering", "training", "methode")  # fmt: skip
# Domain bigrams that look like "First Last" but are not people.
_STOP_BIGRAMS = {
    ("passend", "onderwijs"), ("interne", "begeleider"), ("intern", "begeleider"),
    ("google", "meet"), ("google", "classroom"), ("google", "drive"), ("google", "docs"),
    ("google", "forms"), ("microsoft", "teams"), ("microsoft", "word"),
    ("microsoft", "forms"), ("microsoft", "office"), ("zoom", "meeting"),
    ("lesson", "study"), ("growth", "mindset"), ("directe", "instructie"),
    ("expliciete", "directe"), ("veilig", "thuis"), ("bureau", "jeugdzorg"),
    ("zwarte", "piet"), ("rots", "water"), ("speciaal", "onderwijs"),
    ("speciaal", "basisonderwijs"), ("voortgezet", "onderwijs"), ("primair", "onderwijs"),
    ("nieuwe", "leerkracht"), ("kanjer", "training"), ("vreedzame", "school"),
    ("sociaal", "emotioneel"), ("sociale", "veiligheid"), ("professionele", "leergemeenschap"),
    ("community", "practice"), ("new", "york"), ("den", "haag"), ("den", "bosch"),
    ("den", "helder"),
}  # fmt: skip
# Tussenvoegsels, longest first so "van der" wins over "van". Lower case only: a full
# name writes them in lower case ("Jan de Vries"); capitalised they open a sentence.
_TUSSENVOEGSELS = {
    ("van",), ("de",), ("der",), ("den",), ("ter",), ("ten",), ("te",), ("'t",),
    ("van", "der"), ("van", "den"), ("van", "de"), ("van", "het"), ("van", "'t"),
    ("in", "'t"), ("in", "de"), ("in", "den"), ("op", "de"), ("op", "den"), ("op", "'t"),
    ("uit", "de"), ("uit", "den"), ("el",), ("al",), ("von",), ("le",), ("la",),
    ("du",), ("da",), ("di",), ("del",), ("della",), ("dos",), ("des",), ("ben",),
    ("bin",), ("ibn",), ("abu",), ("van", "de", "la"),
}  # fmt: skip
_MAX_TUSSEN = max(len(t) for t in _TUSSENVOEGSELS)
# Arabic-style lower-case prefixes joined by a hyphen: "al-Sayed", "el-Amrani".
_HYPHEN_PREFIXES = {"al", "el", "ad", "ar", "as", "at", "an", "ben", "bin", "ibn", "abu"}
_PSEUDONYM_NOUNS = {"leerling", "leerlinge", "pupil", "kind", "student", "child"}

# A word: letters, optionally hyphen-joined; or the Dutch "'t" (also with a typographic
# apostrophe). Digits and underscores break words, so "NT2" and "user_1" are not names.
_WORD = re.compile(r"['’]t(?![^\W_])|[^\W\d_]+(?:-[^\W\d_]+)*")
# Only spaces join the parts of one name; punctuation or a line break ends it.
_NAME_GAP = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def folded(self) -> str:
        return self.text.replace("’", "'").casefold()


def _is_capitalised(part: str) -> bool:
    """'Jan', 'McDonald', 'Élodie' yes; 'ADHD', 'CoP', 'A', 'iPad' no."""
    return len(part) >= 2 and part[0].isupper() and part[1].islower() and part[-1].islower()


def _is_first_word(token: _Token) -> bool:
    return all(_is_capitalised(p) for p in token.text.split("-")) and (
        token.folded not in _NOT_FIRST
    )


def _is_later_word(token: _Token) -> bool:
    parts = token.text.split("-")
    if len(parts) > 1 and parts[0].casefold() in _HYPHEN_PREFIXES:
        parts = parts[1:]
    if not all(_is_capitalised(p) for p in parts):
        return False
    folded = token.folded
    return folded not in _NOT_LATER and not folded.endswith(_NOT_NAME_SUFFIXES)


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def _joined(text: str, left: _Token, right: _Token) -> bool:
    """Whether two tokens are separated by spaces only (so they can be one name)."""
    return _NAME_GAP.fullmatch(text, left.end, right.start) is not None


def _tussen_length(text: str, tokens: list[_Token], k: int) -> int:
    """How many tokens from `k` form a tussenvoegsel followed by a last name (0 if none)."""
    for length in range(_MAX_TUSSEN, 0, -1):
        last = k + length
        if last >= len(tokens):
            continue
        words = tuple(t.text.replace("’", "'") for t in tokens[k:last])
        if words not in _TUSSENVOEGSELS:  # case-sensitive on purpose: lower case only
            continue
        chain = tokens[k - 1 : last + 1]
        joined = all(_joined(text, a, b) for a, b in pairwise(chain))
        if joined and _is_later_word(tokens[last]):
            return length
    return 0


def _name_end(text: str, tokens: list[_Token], i: int) -> int | None:
    """Index of the last token of a name starting at token `i`, or None."""
    if not _is_first_word(tokens[i]):
        return None
    end: int | None = None
    k = i + 1
    for _ in range(2):  # a last name, or a middle name and then a last name
        if k >= len(tokens):
            break
        tussen = _tussen_length(text, tokens, k)
        if tussen:
            return k + tussen
        if not (_joined(text, tokens[k - 1], tokens[k]) and _is_later_word(tokens[k])):
            break
        end = k
        k += 1
    return end


@cache
def _first_names() -> tuple[frozenset[str], frozenset[str]]:
    """The common pupils' first names, and those among them that are everyday words too."""
    raw = (resources.files("bot") / "data" / "first_names.json").read_text("utf-8")
    data = json.loads(raw)
    names = frozenset(name.casefold() for name in data["names"])
    return names, frozenset(word.casefold() for word in data["also_words"])


# Titles before a first name make it a colleague's ("juf Emma"), not a pupil's.
_TITLES = {
    "juf", "juffrouw", "meester", "meneer", "mevrouw", "mw", "dhr", "mr", "mrs", "ms",
    "miss", "dr", "drs", "prof", "collega", "directeur", "directrice", "teacher", "coach",
}  # fmt: skip
_TITLE_GAP = re.compile(r"\.?[ \t\u00a0]+")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n])[\s\"'“‘(\[*_-]*$")


def _is_lone_first_name(text: str, tokens: list[_Token], i: int, known_first: set[str]) -> bool:
    """A common first name on its own ("Tim weigert"), not a colleague's or a word."""
    token = tokens[i]
    parts = token.text.split("-")
    if not all(_is_capitalised(p) for p in parts):
        return False
    names, words = _first_names()
    folded = token.folded
    if not all(p.casefold() in names for p in parts) or folded in known_first:
        return False
    if i + 1 < len(tokens) and _joined(text, token, tokens[i + 1]):
        following = tokens[i + 1].text
        if following[:1].isupper():  # "Floris Radewijnszschool": the full-name rule decides
            return False
    if i > 0:
        previous = tokens[i - 1]
        gap = _TITLE_GAP.fullmatch(text, previous.end, token.start)
        if gap is not None and previous.folded in _TITLES:
            return False
    opens_sentence = _SENTENCE_END.search(text, 0, token.start) is not None
    return not (opens_sentence and folded in words)


def _is_stop_phrase(words: Sequence[_Token]) -> bool:
    folded = [w.folded for w in words]
    return any(pair in _STOP_BIGRAMS for pair in pairwise(folded))


def _normalise(name: str) -> str:
    return " ".join(name.replace("’", "'").casefold().split())


def _find_names(text: str, known_names: Iterable[str]) -> list[Finding]:
    known_full: set[str] = set()
    known_first: set[str] = set()
    for name in known_names:
        normal = _normalise(name)
        if normal:
            known_full.add(normal)
            known_first.add(normal.split(" ")[0])
    tokens = _tokens(text)
    findings: list[Finding] = []
    i = 0
    while i < len(tokens):
        end = _name_end(text, tokens, i)
        if end is None and _is_lone_first_name(text, tokens, i, known_first):
            token = tokens[i]
            findings.append(Finding("name", token.text, token.start, token.end))
        if end is None or _is_stop_phrase(tokens[i : end + 1]):
            i += 1
            continue
        start_tok, end_tok = tokens[i], tokens[end]
        excerpt = text[start_tok.start : end_tok.end]
        if _normalise(excerpt) not in known_full and start_tok.folded not in known_first:
            findings.append(Finding("name", excerpt, start_tok.start, end_tok.end))
        i = end + 1
    return findings


# ---------------------------------------------------------------------------------------
# A group and a diagnosis

_GROUP = re.compile(
    r"\b(?P<word>groep|klas|jaargroep|group|class|year)\s*"
    r"\d{1,2}(?:\s*[/-]\s*\d{1,2})?[a-d]?(?![\w/-])",
    re.IGNORECASE,
)
# Lower-case words match in any case; acronyms that are also words ("add", "ass", "odd")
# only as capitals.
_DIAGNOSIS = re.compile(
    r"(?i:\b(?:adhd|autis\w*|dyslex\w*|dyslect\w*|dyscalcul\w*|asperger\w*|pdd-nos|"
    r"tourette\w*|epilep\w*|diabet\w*|downsyndroom|syndroom van down|hechtingsstoornis|"
    r"angststoornis|gedragsstoornis|taalontwikkelingsstoornis|depressi\w*|anorexi\w*)\b)"
    r"|\b(?:ADD|ASS|ODD|TOS|DCD|OCD)\b"
)
# Words that make a sentence about one child (not a question about teaching).
_ONE_CHILD = re.compile(
    r"(?i:\b(?:leerlinge?|jongen|jongetje|meisje|meid|kind|kindje|hij|hem|zij|iemand|"
    r"pupil|boy|girl|he|him|she|student|zoon|dochter|son|daughter)\b)"
)
_SENTENCE = re.compile(r"[^.!?\n]+")


def _find_diagnoses(text: str) -> list[Finding]:
    """ "groep 5 ... ADHD" in one sentence about one child. The finding is the group (what
    the rewrite makes general), so it never swallows a name found in the same sentence."""
    findings: list[Finding] = []
    for sentence in _SENTENCE.finditer(text):
        start, end = sentence.span()
        group = _GROUP.search(text, start, end)
        if group is None or not _DIAGNOSIS.search(text, start, end):
            continue
        if _ONE_CHILD.search(text, start, end):
            findings.append(Finding("diagnosis", group.group(), group.start(), group.end()))
    return findings


def _without_group(excerpt: str) -> str:
    """The excerpt with its group made general: "groep 5" -> "een groep"."""
    generic = {"groep": "een groep", "klas": "een klas", "jaargroep": "een groep"}
    return _GROUP.sub(
        lambda m: generic.get(m.group("word").casefold(), f"a {m.group('word').casefold()}"),
        excerpt,
        count=1,
    )


# ---------------------------------------------------------------------------------------
# BSN

_BSN = re.compile(
    r"(?<![\w.,/+-])(?<!\d )(?<!\d\.)"
    r"(?:\d{9}|\d{8}|\d{3}([ .])\d{3}\1\d{3}|\d{4}([ .])\d{2}\2\d{3}|\d{2}([ .])\d{3}\3\d{3})"
    r"(?![\w/+-])(?![.,]\d)(?! \d)"
)
_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_valid_bsn(digits: str) -> bool:
    """Whether `digits` is a BSN by the eleven-check (8 digits are left-padded with 0).

    Dots and spaces are ignored so a number can be passed as written; anything else
    makes it invalid. All zeros passes the arithmetic but is never issued, so it is False.
    """
    plain = digits.replace(".", "").replace(" ", "")
    if len(plain) not in (8, 9) or not (plain.isascii() and plain.isdigit()):
        return False
    plain = plain.zfill(9)
    if plain == "000000000":
        return False
    total = sum(w * int(d) for w, d in zip(_BSN_WEIGHTS, plain, strict=True))
    return total % 11 == 0


def _find_bsns(text: str) -> list[Finding]:
    return [
        Finding("bsn", m.group(), m.start(), m.end())
        for m in _BSN.finditer(text)
        if is_valid_bsn(m.group())
    ]


# ---------------------------------------------------------------------------------------
# Dates of birth

_MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2,
    "maart": 3, "march": 3, "mrt": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "augustus": 8,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10,
    "october": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC_DATE = re.compile(
    r"(?<![\w./-])(?P<d>\d{1,2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"(?![\w/-])(?!\.\d)"
)
_WRITTEN_DATE = re.compile(
    rf"(?<![\w.])(?P<d>\d{{1,2}})(?:e|ste|de|st|nd|rd|th)?\.?\s+(?P<mon>{_MONTH_ALT})\.?"
    r"\s+(?P<y>\d{4})(?!\w)"
    rf"|(?<![\w.])(?P<mon2>{_MONTH_ALT})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?"
    r"\s+(?P<y2>\d{4})(?!\w)",
    re.IGNORECASE,
)
_BIRTH_WORD = re.compile(
    r"\b(?:geboren|geb\b\.?|geboorte\w*|born|birth\w*|d\.?o\.?b\b\.?|verjaardag\w*|jarig)",
    re.IGNORECASE,
)
_BORN_PREFIX = re.compile(r"\b(?:geb\b|geboren\b|geboorte\w*|born\b)", re.IGNORECASE)
_NEAR = 30  # characters between a birth word and the date
_SAME_LINE_BACK = 120  # how far back "geb"/"born" may stand on the same line
_PUPIL_YEARS = 23  # a primary-school pupil (or recent alumnus) was born this recently


def _two_digit_year(yy: int, today: date) -> int:
    year = 2000 + yy
    return year if year <= today.year else year - 100


def _parse_date(match: re.Match[str], today: date) -> date | None:
    groups = match.groupdict()
    if groups.get("mon") or groups.get("mon2"):
        month = _MONTHS[(groups["mon"] or groups["mon2"]).casefold()]
        day, year = int(groups["d"] or groups["d2"]), int(groups["y"] or groups["y2"])
    else:
        day, month, raw_year = int(groups["d"]), int(groups["m"]), groups["y"]
        year = int(raw_year) if len(raw_year) == 4 else _two_digit_year(int(raw_year), today)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _birth_word_near(text: str, start: int, end: int) -> bool:
    """A birth word within `_NEAR` characters either side, on the same line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, start - _NEAR - 15) : start]
    if any(len(before) - m.end() <= _NEAR for m in _BIRTH_WORD.finditer(before)):
        return True
    return _BIRTH_WORD.search(text, end, min(line_end, end + _NEAR + 1)) is not None


def _born_earlier_on_line(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    window = text[max(line_start, start - _SAME_LINE_BACK) : start]
    return _BORN_PREFIX.search(window) is not None


def _find_birthdates(text: str, today: date) -> list[Finding]:
    findings: list[Finding] = []
    for pattern in (_NUMERIC_DATE, _WRITTEN_DATE):
        for m in pattern.finditer(text):
            born = _parse_date(m, today)
            if born is None or born > today:
                continue
            pupil_year = today.year - _PUPIL_YEARS <= born.year <= today.year - 1
            near = pupil_year and _birth_word_near(text, m.start(), m.end())
            if near or (3 <= _age(born, today) <= 14 and _born_earlier_on_line(text, m.start())):
                findings.append(Finding("birthdate", m.group(), m.start(), m.end()))
    return findings


# ---------------------------------------------------------------------------------------
# Public API


def check(
    text: str, *, known_names: Iterable[str] = (), today: date | None = None
) -> list[Finding]:
    """Everything in `text` that looks like it identifies a pupil, in text order.

    `known_names` are the display names of the CoP's own members: talking about each
    other is the point of a CoP, so their names are never findings. `today` defaults to
    the current date (UTC: a day off around midnight does not change who is a pupil).
    """
    if today is None:
        today = datetime.now(UTC).date()
    findings = _find_names(text, known_names) + _find_bsns(text)
    findings += _find_birthdates(text, today) + _find_diagnoses(text)
    findings.sort(key=lambda f: (f.start, -f.end))
    kept: list[Finding] = []
    for finding in findings:  # one span, one finding: the first and longest wins
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept


_EXISTING_PSEUDONYM = re.compile(
    r"\b(?:leerlinge?|pupil|kind|student|child)\s+([A-Z])(?![^\W_])", re.IGNORECASE
)
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _letter(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... (spreadsheet style) so the supply never runs out."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = _LETTERS[rest] + label
    return label


#: What `mask` puts in, per CoP language: the text is stored in the CoP's language, so
#: an English CoP gets "pupil A" (the words are content here, not a sentence of the bot).
PLACEHOLDERS = {
    "nl": {"pupil": "leerling", "birthdate": "[geboortedatum]"},
    "en": {"pupil": "pupil", "birthdate": "[date of birth]"},
}


def mask(text: str, findings: Sequence[Finding], language: str = "nl") -> str:
    """`text` with each finding replaced by a placeholder, as a suggested rewrite.

    Names become "leerling A", "leerling B", ... - the same name the same letter, so the
    story stays readable - skipping letters the writer already uses ("Leerling A
    reageert..."). Where the name already follows "leerling"/"pupil"/"kind", only the
    letter is put in ("mijn leerling Jan" -> "mijn leerling A", not "leerling leerling
    A"). BSNs become "[BSN]", dates of birth "[geboortedatum]"; in an English CoP
    ("en") "pupil A" and "[date of birth]". Findings that do not
    match the text (stale offsets) or overlap an earlier one are left alone.
    """
    words = PLACEHOLDERS.get(language, PLACEHOLDERS["nl"])
    used = {m.group(1).upper() for m in _EXISTING_PSEUDONYM.finditer(text)}
    letters: dict[str, str] = {}
    next_index = 0
    parts: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.start < position or text[finding.start : finding.end] != finding.excerpt:
            continue
        if finding.kind == "name":
            key = _normalise(finding.excerpt)
            if key not in letters:
                while _letter(next_index) in used:
                    next_index += 1
                letters[key] = _letter(next_index)
                next_index += 1
            preceding = text[max(0, finding.start - 12) : finding.start].split()
            after_noun = bool(preceding) and text[finding.start - 1 : finding.start].isspace()
            after_noun = after_noun and preceding[-1].casefold() in _PSEUDONYM_NOUNS
            replacement = letters[key] if after_noun else f"{words['pupil']} {letters[key]}"
        elif finding.kind == "bsn":
            replacement = "[BSN]"
        elif finding.kind == "diagnosis":
            replacement = _without_group(finding.excerpt)
        else:
            replacement = words["birthdate"]
        parts.append(text[position : finding.start])
        parts.append(replacement)
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)
