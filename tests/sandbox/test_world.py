"""World actions: Telegram's delivery rules (privacy mode, edits) and the driver's guarantees."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, TypeHandler, filters

from bot.sandbox import Sandbox, SandboxDriver, SandboxError
from tests.sandbox.conftest import build_app

App = Application[Any, Any, Any, Any, Any, Any]
Ctx = ContextTypes.DEFAULT_TYPE


def recorder(app: App) -> list[Update]:
    """Record every update the bot receives."""
    seen: list[Update] = []

    async def record(update: Update, context: Ctx) -> None:
        seen.append(update)

    app.add_handler(TypeHandler(Update, record))
    return seen


async def test_privacy_mode_hides_group_chatter(sandbox: Sandbox, app: App) -> None:
    seen = recorder(app)
    bot_reply: list[int] = []

    async def answer(update: Update, context: Ctx) -> None:
        message = update.effective_message
        if message and message.text == "/hello":
            reply = await message.reply_text("hi!")
            bot_reply.append(reply.message_id)

    app.add_handler(MessageHandler(filters.TEXT, answer), group=1)
    anna, bob = sandbox.user("Anna"), sandbox.user("Bob", username="bob_t")
    group = sandbox.group("G", members=[anna, bob], admins=[anna])
    outsider = sandbox.user("Eve")
    async with SandboxDriver(sandbox, app):
        await sandbox.add_bot(group, by=anna)
        chatter = await sandbox.send(anna, group, "just chatting, @bob_t")
        other_bot = await sandbox.send(anna, group, "/hello@some_other_bot")
        command = await sandbox.send(anna, group, "/hello")
        hi = sandbox.last_replies[0]
        reply = await sandbox.send(bob, group, "thanks bot", reply_to=hi)
        reply_to_human = await sandbox.send(bob, group, "@anna hi", reply_to=chatter)
        mention = await sandbox.send(bob, group, "hey @copbot_sandbox_bot")
        joined = await sandbox.join(outsider, group)
        with pytest.raises(SandboxError):
            await sandbox.send(sandbox.user("Stranger"), group, "hi")
    assert [m.delivered for m in (chatter, other_bot, command, reply, reply_to_human)] == [
        False,
        False,
        True,
        True,
        False,
    ]
    assert mention.delivered and joined is not None and joined.delivered
    texts = [u.message.text for u in seen if u.message and u.message.text]
    assert texts == ["/hello", "thanks bot", "hey @copbot_sandbox_bot"]
    command_update = next(u for u in seen if u.message and u.message.text == "/hello")
    assert command_update.message is not None
    assert command_update.message.entities[0].type == "bot_command"
    assert hi.message_id == bot_reply[0]
    assert seen[-1].message is not None and seen[-1].message.new_chat_members[0].id == outsider.id
    assert [m.content for m in sandbox.messages(group)][1:3] == [
        "just chatting, @bob_t",
        "/hello@some_other_bot",
    ]


async def test_admin_bot_sees_everything(sandbox: Sandbox, app: App) -> None:
    seen = recorder(app)
    anna = sandbox.user("Anna")
    group = sandbox.group("G", members=[anna], admins=[anna], supergroup=True)
    async with SandboxDriver(sandbox, app):
        await sandbox.add_bot(group, by=anna, as_admin=True)
        message = await sandbox.send(anna, group, "chatter")
    assert message.delivered
    assert seen[0].my_chat_member is not None
    assert seen[0].my_chat_member.new_chat_member.status == "administrator"
    assert seen[1].message is not None and seen[1].message.new_chat_members
    assert seen[2].message is not None and seen[2].message.text == "chatter"


async def test_edits_delivered_only_when_original_was(sandbox: Sandbox, app: App) -> None:
    seen = recorder(app)
    anna = sandbox.user("Anna")
    group = sandbox.group("G", members=[anna], admins=[anna])
    async with SandboxDriver(sandbox, app):
        await sandbox.add_bot(group, by=anna)
        hidden = await sandbox.send(anna, group, "chatter")
        command = await sandbox.send(anna, group, "/join")
        await sandbox.edit(anna, hidden, "chatter!")
        await sandbox.edit(anna, command, "/join now")
    edits = [u.edited_message for u in seen if u.edited_message]
    assert len(edits) == 1 and edits[0] is not None
    assert edits[0].text == "/join now" and edits[0].message_id == command.message_id
    assert edits[0].edit_date is not None


async def test_every_update_of_a_burst_is_answered(sandbox: Sandbox, app: App) -> None:
    """How fast a round trip is belongs in bench/ (bench_throughput.py), not in a test."""

    async def echo(update: Update, context: Ctx) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("ok")

    app.add_handler(MessageHandler(filters.TEXT, echo))
    anna = sandbox.user("Anna")
    async with SandboxDriver(sandbox, app):
        for i in range(20):
            await sandbox.dm(anna, f"m{i}")
    answers = sandbox.bot_messages(sandbox.private_chat(anna))
    assert [m.text for m in answers] == ["ok"] * 20


async def test_driver_times_out_with_clear_error(sandbox: Sandbox) -> None:
    app = build_app(sandbox)
    release = asyncio.Event()

    async def stuck(update: Update, context: Ctx) -> None:
        await release.wait()

    app.add_handler(MessageHandler(filters.TEXT, stuck))
    anna = sandbox.user("Anna")
    driver = SandboxDriver(sandbox, app, timeout=0.2)
    with pytest.raises(AssertionError, match="did not finish handling"):
        async with driver:
            try:
                await sandbox.dm(anna, "hello")
            finally:
                release.set()
    assert not app.running and sandbox._driver is None


async def test_driver_stops_when_test_body_fails(sandbox: Sandbox, app: App) -> None:
    with pytest.raises(ZeroDivisionError):
        async with SandboxDriver(sandbox, app):
            _ = 1 / 0
    assert not app.running
    assert app.updater is not None and not app.updater.running


async def test_without_driver_updates_queue_for_long_poll(sandbox: Sandbox, app: App) -> None:
    anna = sandbox.user("Anna")
    bot = app.bot
    await bot.initialize()
    try:
        waiter = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.01)
        assert not waiter.done()
        await sandbox.dm(anna, "/start")  # no driver: just enqueues
        updates = await asyncio.wait_for(waiter, 1)
        assert [u.message.text for u in updates if u.message] == ["/start"]
        # Confirming with a higher offset removes it; allowed_updates filters new ones.
        assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
        await bot.get_updates(offset=updates[-1].update_id + 1, allowed_updates=["callback_query"])
        await sandbox.dm(anna, "dropped")
        assert await bot.get_updates(timeout=0) == ()
    finally:
        await bot.shutdown()


async def test_channels_pins_and_leaving(sandbox: Sandbox, app: App) -> None:
    seen = recorder(app)
    results: list[str] = []

    async def act(update: Update, context: Ctx) -> None:
        message = update.effective_message
        if update.channel_post is not None and message is not None:
            posted = await context.bot.send_message(message.chat_id, "from the bot")
            await posted.pin()
            results.append("pinned")
        elif message is not None and message.text == "/leave":
            await context.bot.leave_chat(message.chat_id)
            results.append("left")

    app.add_handler(MessageHandler(filters.ALL, act), group=1)
    anna = sandbox.user("Anna")
    channel = sandbox.channel("News", admins=[anna])
    group = sandbox.group("G", members=[anna])
    async with SandboxDriver(sandbox, app):
        await sandbox.add_bot(channel, by=anna, as_admin=True)
        post = await sandbox.send(anna, channel, "hello channel")
        await sandbox.add_bot(group, by=anna)
        await sandbox.send(anna, group, "/leave")
        await sandbox.send(anna, "private", "/start")
    assert post.delivered and post.from_user is None
    assert results == ["pinned", "left"]
    assert channel.pinned == [2]
    assert group.bot_status == "left"
    leave_update = [u for u in seen if u.my_chat_member][-1].my_chat_member
    assert leave_update is not None and leave_update.new_chat_member.status == "left"
    assert anna.started and sandbox.private_chat(anna).messages[0].text == "/start"


async def test_driver_runs_lifecycle_hooks_like_run_polling(sandbox: Sandbox) -> None:
    calls: list[str] = []

    async def post_init(app: App) -> None:
        from telegram import BotCommand

        await app.bot.set_my_commands([BotCommand("start", "Start")])
        calls.append("init")

    async def post_stop(app: App) -> None:
        calls.append("stop")

    async def post_shutdown(app: App) -> None:
        calls.append("shutdown")

    app = build_app(sandbox)
    app.post_init, app.post_stop, app.post_shutdown = post_init, post_stop, post_shutdown
    async with SandboxDriver(sandbox, app):
        assert sandbox.commands == [{"command": "start", "description": "Start"}]
    assert calls == ["init", "stop", "shutdown"]
