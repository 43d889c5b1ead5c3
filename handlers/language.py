"""/language and /taal: a member chooses the language of their private chats."""

from __future__ import annotations

from bot.errors import InvalidInput
from bot.services import language
from bot.texts import keywords
from bot.texts import language as texts
from handlers.base import Turn, command, keyword_args


async def choose_language(turn: Turn) -> None:
    """/language shows the choice; /language english|dutch|auto (either language's words)
    changes it. The answer after a change is in the language now in force."""
    person = turn.require_person()
    args = keyword_args(turn, *keywords.LANGUAGE_CHOICES)
    if not args:
        await turn.reply(
            texts.language_now(turn.tr, await language.current(turn.unit, person.user_id))
        )
        return
    if len(args) != 1 or args[0] not in keywords.LANGUAGE_CHOICES:
        raise InvalidInput("language_usage")
    choice = await language.choose(turn.unit, person.user_id, args[0])
    tr = turn.tr
    if not turn.in_group:  # the group keeps the CoP's language
        own = choice.cop_languages[0] if len(choice.cop_languages) == 1 else None
        tr = turn.context.services.catalogs.pick(choice.chosen, own, tr.language)
    await turn.reply(texts.language_set(tr, choice))


command("language")(choose_language)
command("taal")(choose_language)
