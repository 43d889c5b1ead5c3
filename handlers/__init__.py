"""The Telegram adapter. `register` owns the handler order.

Order matters within group 0: the first matching handler wins, so specific
commands come before the unknown-command catch-all, and callback prefixes are
matched exactly.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import (
    chat_events,
    decisions,
    dedupe,
    documents,
    fallbacks,
    intake,
    issues,
    jobs,
    literature,
    meetings,
    menus,
    onboarding,
    private,
    qualities,
    replies,
    rhythm,
    roles,
    setup,
)
from handlers.errors import on_error

NEW = filters.UpdateType.MESSAGE  # edits never re-run a command or re-store an answer


def register(application: Application) -> None:  # type: ignore[type-arg]
    # Group -10 runs before everything: a redelivered update stops here.
    application.add_handler(TypeHandler(Update, dedupe.once), group=-10)
    commands = {
        "start": onboarding.start,
        "help": onboarding.help_,
        "privacy": onboarding.privacy,
        "join": onboarding.join,
        "leave": onboarding.leave,
        "members": roles.members,
        "facilitator": roles.facilitator,
        "setup": setup.start,
        "cancel": setup.cancel,
        "cop": private.choose_cop,
        "meetings": meetings.schedule,
        "calendar": meetings.calendar,
        "agenda": meetings.show_agenda,
        "absent": meetings.absent,
        "plan": meetings.plan,
        "meeting": meetings.meeting,
        "reminders": rhythm.reminders_,
        "weekly": rhythm.weekly,
        "holidays": rhythm.holidays,
        "pause": rhythm.pause,
        "resume": rhythm.resume,
        "issues": issues.issues_command,
        "mine": issues.mine_command,
        "code": issues.code_command,
        "development": issues.development_command,
        "shared": issues.shared_command,
        "qualities": qualities.qualities_command,
        "nominate": qualities.nominate_command,
        "profile": qualities.profile_command,
        "used": qualities.used_command,
        "insight": literature.insight_command,
        "reading": literature.reading_command,
        "decide": decisions.decide,
        "decisions": decisions.decisions_command,
        "document": documents.document,
        "share": documents.share,
        "portfolio": documents.portfolio,
        "archive": roles.archive,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=NEW))
    application.add_handler(MessageHandler(filters.COMMAND & NEW, fallbacks.unknown_command))

    buttons = {
        onboarding.CONSENT: onboarding.consent_pressed,
        onboarding.LEAVE: onboarding.leave_pressed,
        setup.PREFIX: setup.pressed,
        private.CHOOSE: private.cop_pressed,
        meetings.PLAN: meetings.plan_pressed,
        rhythm.ATTENDANCE: rhythm.attendance_pressed,
        intake.GUARD: intake.guard_pressed,
        issues.DUPLICATE: issues.duplicate_pressed,
        issues.MINE: issues.mine_pressed,
        issues.CODE: issues.code_pressed,
        issues.VOTE: issues.vote_pressed,
        issues.PICK: issues.pick_pressed,
        qualities.ROUND: qualities.round_pressed,
        qualities.NOMINATE: qualities.nominate_pressed,
        qualities.HIDE: qualities.hide_pressed,
        literature.ADD: literature.add_pressed,
        decisions.REACT: decisions.react_pressed,
        decisions.DONE: decisions.done_pressed,
        decisions.FOLLOW: decisions.followup_pressed,
        documents.SHARE: documents.share_pressed,
    }
    for prefix, callback in buttons.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=f"^{prefix}:"))
    application.add_handler(CallbackQueryHandler(private.stale_button))

    application.add_handler(
        ChatMemberHandler(chat_events.my_status_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, chat_events.migrated))
    application.add_handler(MessageHandler(filters.REPLY & NEW, replies.prompt_reply))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & NEW & ~filters.COMMAND, private.private_text)
    )
    application.add_error_handler(on_error)  # type: ignore[arg-type]

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await menus.set_menus(app.bot, app.services.catalogs)  # type: ignore[attr-defined]
        if getattr(app, "timers", True):
            await jobs.start(app)

    application.post_init = post_init


__all__ = ["Update", "register"]
