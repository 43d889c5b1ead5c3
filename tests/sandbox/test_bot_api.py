"""A real PTB Application against the sandbox: results, and Telegram's errors as PTB raises them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox import Sandbox, SandboxDriver, SandboxError, format_transcript
from tests.sandbox.conftest import FIXED_NOW

App = Application[Any, Any, Any, Any, Any, Any]
Ctx = ContextTypes.DEFAULT_TYPE


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=label.lower()) for label in labels]]
    )


async def test_echo_round_trip_and_transcript(sandbox: Sandbox, app: App) -> None:
    async def echo(update: Update, context: Ctx) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            f"<b>You said</b>: {update.effective_message.text}", parse_mode="HTML", do_quote=True
        )

    app.add_handler(MessageHandler(filters.TEXT, echo))
    anna = sandbox.user("Anna", username="anna")
    async with SandboxDriver(sandbox, app):
        sent = await sandbox.dm(anna, "hallo")
        reply = sandbox.last_replies[0]
    assert sent.delivered
    assert reply.text == "You said: hallo"
    assert reply.entities == [{"offset": 0, "length": 8, "type": "bold"}]
    assert reply.html == "<b>You said</b>: hallo"
    assert reply.reply_to is sent
    assert reply.date == FIXED_NOW
    assert reply.chat.id == anna.id
    assert format_transcript(sandbox.transcript) == (
        "[private Anna] Anna: hallo\n[private Anna] copbot: You said: hallo"
    )


async def test_buttons_press_and_answer(sandbox: Sandbox, app: App) -> None:
    errors: list[Exception] = []

    async def start(update: Update, context: Ctx) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(
            update.effective_chat.id, "Join?", reply_markup=keyboard("Agree", "No thanks")
        )
        await context.bot.send_message(
            update.effective_chat.id, "Your name?", reply_markup=ForceReply(selective=True)
        )

    async def answer(update: Update, context: Ctx) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer(f"got {query.data}", show_alert=True)
        try:
            await query.answer("again")
        except BadRequest as exc:
            errors.append(exc)
        await query.edit_message_text(f"Chosen: {query.data}")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(answer))
    anna = sandbox.user("Anna")
    group = sandbox.group("CoP Rekenen", members=[anna], admins=[anna])
    async with SandboxDriver(sandbox, app):
        await sandbox.add_bot(group, by=anna)
        await sandbox.send(anna, group, "/start")
        question, force = sandbox.last_replies
        assert question.buttons == [[("Agree", "agree"), ("No thanks", "no thanks")]]
        assert force.force_reply
        query = await sandbox.press(anna, question, "Agree")
        with pytest.raises(SandboxError):
            await sandbox.press(anna, question, "Maybe")
        forged = await sandbox.press_data(anna, force, "forged")
    assert query.answered and query.answer_text == "got agree" and query.show_alert
    assert forged.answered and forged.answer_text == "got forged"
    assert [str(e) for e in errors] == 2 * [
        "Query is too old and response timeout expired or query id is invalid"
    ]
    assert question.text == "Chosen: agree" and question.edited and question.buttons == []
    transcript = format_transcript(sandbox.transcript)
    assert "[Group CoP Rekenen] copbot: Join?\n" in transcript
    assert "[ Agree ] [ No thanks ]" in transcript
    assert "(force reply)" in transcript
    assert "Anna pressed [ Agree ]" in transcript


async def test_documents_and_photos_keep_bytes(sandbox: Sandbox, app: App) -> None:
    async def export(update: Update, context: Ctx) -> None:
        assert update.effective_chat is not None
        chat_id = update.effective_chat.id
        message = await context.bot.send_document(
            chat_id,
            io.BytesIO(b"a,b\n1,2\n"),
            filename="export.csv",
            caption="<i>Export</i>",
            parse_mode="HTML",
        )
        assert message.document is not None and message.document.file_name == "export.csv"
        await context.bot.send_document(chat_id, message.document.file_id)
        await context.bot.send_photo(chat_id, b"\x89PNG fake")

    app.add_handler(CommandHandler("export", export))
    anna = sandbox.user("Anna")
    async with SandboxDriver(sandbox, app):
        await sandbox.dm(anna, "/export")
    doc, again, photo = sandbox.last_replies
    assert doc.document is not None and doc.document.data == b"a,b\n1,2\n"
    assert doc.caption == "Export" and doc.caption_entities[0]["type"] == "italic"
    assert again.document is doc.document
    assert photo.photo is not None and photo.photo.data == b"\x89PNG fake"
    assert "<document export.csv> Export" in format_transcript(sandbox.transcript)


async def test_telegram_rejections_raise_bad_request(sandbox: Sandbox, app: App) -> None:
    results: dict[str, str] = {}

    async def probe(update: Update, context: Ctx) -> None:
        assert update.effective_chat is not None
        chat_id = update.effective_chat.id
        attempts: dict[str, Any] = {
            "html": dict(text="<script>x</script>", parse_mode="HTML"),
            "unclosed": dict(text="<b>bold", parse_mode="HTML"),
            "empty": dict(text="<b> </b>", parse_mode="HTML"),
            "long": dict(text="x" * 4097),
            "data": dict(
                text="x",
                reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton("x", callback_data="d" * 65)]]
                ),
            ),
            "reply": dict(text="x", reply_to_message_id=999),
        }
        for name, kwargs in attempts.items():
            try:
                await context.bot.send_message(chat_id, **kwargs)
            except BadRequest as exc:
                results[name] = exc.message
        ok = await context.bot.send_message(chat_id, "x" * 4096)
        try:
            await context.bot.send_document(chat_id, b"x", filename="f", caption="c" * 1025)
        except BadRequest as exc:
            results["caption"] = exc.message
        try:
            await ok.edit_text("x" * 4096)
        except BadRequest as exc:
            results["not_modified"] = exc.message
        for name, call in {
            "edit_missing": context.bot.edit_message_text("y", chat_id, 999),
            "delete_missing": context.bot.delete_message(chat_id, 999),
            "chat": context.bot.send_message(424242, "x"),
        }.items():
            try:
                await call
            except BadRequest as exc:
                results[name] = exc.message

    app.add_handler(CommandHandler("probe", probe))
    anna = sandbox.user("Anna")
    async with SandboxDriver(sandbox, app):
        await sandbox.dm(anna, "/probe")
    assert results == {
        "html": 'Can\'t parse entities: unsupported start tag "script" at byte offset 0',
        "unclosed": "Can't parse entities: can't find end tag corresponding to start tag \"b\"",
        "empty": "Message text is empty",
        "long": "Message is too long",
        "data": "Button_data_invalid",
        "reply": "Message to be replied not found",
        "caption": "Message caption is too long",
        "not_modified": "Message is not modified: specified new message content and reply "
        "markup are exactly the same as a current content and reply markup of the message",
        "edit_missing": "Message to edit not found",
        "delete_missing": "Message to delete not found",
        "chat": "Chat not found",
    }
    assert sandbox.errors["sendMessage"] == 7
    assert len(sandbox.bot_messages(sandbox.private_chat(anna))) == 1


async def test_forbidden_cases(sandbox: Sandbox, app: App) -> None:
    outcomes: list[str] = []
    member_updates: list[tuple[str, str]] = []

    async def try_send(context: Ctx, chat_id: int) -> None:
        try:
            await context.bot.send_message(chat_id, "ping")
            outcomes.append("ok")
        except Forbidden as exc:
            outcomes.append(exc.message)

    async def ping(update: Update, context: Ctx) -> None:
        for chat_id in context.args or []:
            await try_send(context, int(chat_id))

    async def on_member(update: Update, context: Ctx) -> None:
        change = update.my_chat_member
        assert change is not None
        member_updates.append((change.old_chat_member.status, change.new_chat_member.status))

    from telegram.ext import ChatMemberHandler

    app.add_handler(CommandHandler("ping", ping))
    app.add_handler(ChatMemberHandler(on_member, ChatMemberHandler.MY_CHAT_MEMBER))
    anna, bob, carl = sandbox.user("Anna"), sandbox.user("Bob"), sandbox.user("Carl")
    group = sandbox.group("G", members=[anna], admins=[anna])
    other = sandbox.group("Other", members=[anna], supergroup=True)
    async with SandboxDriver(sandbox, app):
        await sandbox.add_bot(group, by=anna)
        await sandbox.dm(bob, "hi")
        await sandbox.block(bob)
        await sandbox.remove_bot(group, by=anna)
        await sandbox.dm(anna, f"/ping {group.id} {bob.id} {carl.id} {other.id} {anna.id}")
    assert outcomes == [
        "Forbidden: bot was kicked from the group chat",
        "Forbidden: bot was blocked by the user",
        "Forbidden: bot can't initiate conversation with a user",
        "Forbidden: bot is not a member of the supergroup chat",
        "ok",
    ]
    assert member_updates == [("left", "member"), ("member", "kicked"), ("member", "kicked")]


async def test_migration_raises_chat_migrated(sandbox: Sandbox, app: App) -> None:
    seen: list[tuple[int, int | None, int | None]] = []
    migrated_to: list[int] = []

    async def on_service(update: Update, context: Ctx) -> None:
        message = update.effective_message
        assert message is not None
        seen.append((message.chat_id, message.migrate_to_chat_id, message.migrate_from_chat_id))

    async def ping(update: Update, context: Ctx) -> None:
        try:
            await context.bot.send_message(int((context.args or ["0"])[0]), "hi")
        except ChatMigrated as exc:
            migrated_to.append(exc.new_chat_id)

    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_service))
    app.add_handler(CommandHandler("ping", ping))
    anna = sandbox.user("Anna")
    group = sandbox.group("G", members=[anna], admins=[anna])
    async with SandboxDriver(sandbox, app):
        await sandbox.add_bot(group, by=anna)
        new = await sandbox.migrate(group)
        await sandbox.dm(anna, f"/ping {group.id}")
        await sandbox.send(anna, new, "/ping")
    assert new.type == "supergroup" and str(new.id).startswith("-100")
    assert seen == [(group.id, new.id, None), (new.id, None, group.id)]
    assert migrated_to == [new.id]
    with pytest.raises(SandboxError):
        await sandbox.send(anna, group, "still there?")


async def test_commands_and_chat_members(sandbox: Sandbox, app: App) -> None:
    statuses: dict[str, str] = {}

    async def setup(update: Update, context: Ctx) -> None:
        bot = context.bot
        await bot.set_my_commands([BotCommand("join", "Join the CoP")])
        await bot.set_my_commands(
            [BotCommand("admin", "Admin")], scope=BotCommandScopeChat(-1), language_code="nl"
        )
        assert [c.command for c in await bot.get_my_commands()] == ["join"]
        chat_id = group.id
        for user in (anna, bob, carl):
            member = await bot.get_chat_member(chat_id, user.id)
            statuses[user.first_name] = member.status
        statuses["bot"] = (await bot.get_chat_member(chat_id, bot.id)).status
        admins = await bot.get_chat_administrators(chat_id)
        statuses["admins"] = ",".join(sorted(a.user.first_name for a in admins))
        statuses["count"] = str(await bot.get_chat_member_count(chat_id))
        statuses["title"] = str((await bot.get_chat(chat_id)).title)

    app.add_handler(CommandHandler("setup", setup))
    anna, bob, carl = sandbox.user("Anna"), sandbox.user("Bob"), sandbox.user("Carl")
    group = sandbox.group("G", members=[anna, bob, carl], admins=[anna])
    async with SandboxDriver(sandbox, app):
        await sandbox.add_bot(group, by=anna, as_admin=True)
        await sandbox.set_admin(group, carl)
        await sandbox.leave(bob, group)
        await sandbox.send(anna, group, "/setup")
    assert sandbox.commands == [{"command": "join", "description": "Join the CoP"}]
    assert len(sandbox.command_lists) == 2
    assert statuses == {
        "Anna": "creator",
        "Bob": "left",
        "Carl": "administrator",
        "bot": "administrator",
        "admins": "Anna,Carl,copbot",
        "count": "3",
        "title": "G",
    }


async def test_fault_injection_retry_after(
    sandbox: Sandbox, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns about int retry_after otherwise
    caught: list[Exception] = []

    async def ping(update: Update, context: Ctx) -> None:
        assert update.effective_chat is not None
        try:
            await context.bot.send_message(update.effective_chat.id, "one")
        except RetryAfter as exc:
            caught.append(exc)
        await context.bot.send_message(update.effective_chat.id, "two")

    app.add_handler(CommandHandler("ping", ping))
    anna = sandbox.user("Anna")
    sandbox.fail_next("sendmessage", retry_after=3)
    async with SandboxDriver(sandbox, app):
        await sandbox.dm(anna, "/ping")
    assert len(caught) == 1 and "Flood control exceeded" in str(caught[0])
    assert [m.text for m in sandbox.last_replies] == ["two"]
    assert sandbox.calls["sendMessage"] == 2 and sandbox.errors["sendMessage"] == 1
    assert sandbox.error_log == [("sendMessage", 429, "Too Many Requests: retry after 3")]
    assert sandbox.faults == []


async def test_raw_http_envelopes(sandbox: Sandbox) -> None:
    url = f"https://api.telegram.org/bot{sandbox.token}/"
    assert await sandbox.handle_http(url + "nosuchMethod", {}, {}) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    status, body = await sandbox.handle_http(url + "GETME", {}, {})
    assert status == 200 and body["ok"] and body["result"]["username"] == "copbot_sandbox_bot"
    status, body = await sandbox.handle_http(url + "sendMessage", {"chat_id": 5, "text": "x"}, {})
    assert (status, body["description"]) == (400, "Bad Request: chat not found")


async def test_wrong_token_is_invalid_token(sandbox: Sandbox) -> None:
    app = (
        ApplicationBuilder()
        .token("999:WRONG")
        .request(sandbox.request())
        .get_updates_request(sandbox.request())
        .build()
    )
    with pytest.raises(InvalidToken):
        await app.initialize()
