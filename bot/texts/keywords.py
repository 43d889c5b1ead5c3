"""The words people type after a command (`/issues close`, `/holidays noord`), in one table.

Every keyword is a catalog message with the context "keyword". Its translation may list
synonyms separated by "|"; the first is the one hints show. Typed words are read in every
language at once, so a Dutch teacher in an English CoP may still type `/issues sluiten`.
The handler turns a typed keyword into its canonical key (the English word) before it
calls a service, so services only ever see "close", "off", "north".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.i18n import Catalogs, Nc_, Translator
from bot.services import cycle

CONTEXT = "keyword"

#: canonical key -> the catalog message whose translation lists the words for it.
KEYWORDS: dict[str, tuple[str, str]] = {
    # switches and answers
    "on": Nc_("keyword", "on"),
    "off": Nc_("keyword", "off"),
    "yes": Nc_("keyword", "yes"),
    "no": Nc_("keyword", "no"),
    "none": Nc_("keyword", "none|-"),
    "all": Nc_("keyword", "all"),
    "next": Nc_("keyword", "next"),
    "second": Nc_("keyword", "second"),
    # sub-commands
    "close": Nc_("keyword", "close"),
    "stats": Nc_("keyword", "stats|statistics"),
    "merge": Nc_("keyword", "merge"),
    "history": Nc_("keyword", "history"),
    "rule": Nc_("keyword", "rule"),
    "majority": Nc_("keyword", "majority"),
    "team": Nc_("keyword", "team"),
    "name": Nc_("keyword", "name"),
    "nudge": Nc_("keyword", "nudge"),
    "guard": Nc_("keyword", "guard"),
    "main": Nc_("keyword", "main"),
    "participate": Nc_("keyword", "participate|participates"),
    "rotate": Nc_("keyword", "rotate"),
    "add": Nc_("keyword", "add"),
    "move": Nc_("keyword", "move"),
    "cancel": Nc_("keyword", "cancel"),
    "shorten": Nc_("keyword", "shorten"),
    "steps": Nc_("keyword", "steps"),
    # languages (/language)
    "nl": Nc_("keyword", "dutch|nederlands|nl"),
    "en": Nc_("keyword", "english|en"),
    "auto": Nc_("keyword", "auto|automatic|cop"),
    # school holiday regions
    "north": Nc_("keyword", "north"),
    "middle": Nc_("keyword", "middle|central"),
    "south": Nc_("keyword", "south"),
    # the cycle's steps (`/meeting steps 3 qualities literature`)
    "issues": Nc_("keyword", "issues|issue"),
    "confidentiality": Nc_("keyword", "confidentiality"),
    "qualities": Nc_("keyword", "qualities"),
    "shared": Nc_("keyword", "shared"),
    "literature": Nc_("keyword", "literature"),
    "using": Nc_("keyword", "using"),
    "agreements": Nc_("keyword", "agreements"),
    "document": Nc_("keyword", "document"),
}

SWITCH = ("on", "off")
REGIONS = ("north", "middle", "south")
STEPS = cycle.STEPS  # `/meeting steps`: the cycle's own step names are the keys
MEETING_ACTIONS = ("add", "move", "cancel", "shorten", "steps")
LANGUAGE_CHOICES = ("nl", "en", "auto")


def words(tr: Translator, key: str) -> tuple[str, ...]:
    """The words `tr`'s language accepts for `key`, the one shown in hints first."""
    context, message = KEYWORDS[key]
    return tuple(w.strip().lower() for w in tr.pgettext(context, message).split("|") if w.strip())


def shown(tr: Translator, key: str) -> str:
    """The word a hint shows for `key` in `tr`'s language."""
    return words(tr, key)[0]


def canonical(catalogs: Catalogs, word: str, keys: Iterable[str]) -> str | None:
    """The key among `keys` that `word` means in any language, else None."""
    typed = word.strip().lower()
    for key in keys:
        if any(typed in words(tr, key) for tr in catalogs.all):
            return key
    return None


def read(catalogs: Catalogs, args: Sequence[str], keys: Iterable[str]) -> list[str]:
    """`args` with every keyword among `keys` turned into its key; other words as typed."""
    wanted = tuple(keys)
    return [canonical(catalogs, arg, wanted) or arg for arg in args]
