"""The collection document, the team version, /share and /portfolio."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from telegram import InputFile

from bot import collection
from bot.errors import InvalidInput, NotAllowed, NotAMember, StaleAction
from bot.render.callbacks import Button, as_int
from bot.services import flows, membership, mine, sharing
from bot.services.values import CommunityView, MemberView
from bot.texts import documents as document_texts
from handlers.base import Turn, args_of, button, command
from handlers.keyboards import keyboard

LOCK = "document"
LOCK_AGE = timedelta(minutes=10)
FORMATS = ("docx", "md", "html")


@command("document")
async def document(turn: Turn) -> None:
    """/document [team] [docx|md|html]: builds and sends the collection document."""
    archived = turn.community is not None and turn.community.status == "archived"
    community = turn.community if archived and turn.community else turn.require_community()
    member = turn.member
    if member is None:
        raise NotAMember("not_member")
    args = [a.lower() for a in args_of(turn)]
    team = "team" in args
    formats = [a for a in args if a in FORMATS] or list(FORMATS)
    if any(a not in (*FORMATS, "team") for a in args):
        raise InvalidInput(document_texts.format_usage(turn.tr))
    if team and not member.is_facilitator:
        raise NotAllowed("facilitator_only")
    if not await flows.take_lock(turn.unit, LOCK, community.chat_id, LOCK_AGE):
        await turn.reply(document_texts.busy(turn.tr))
        return
    await turn.reply(document_texts.building(turn.tr, team))
    model = await collection.build(turn.unit, community, turn.tr, team=team)
    files = await asyncio.to_thread(_render, model, formats)
    name = _slug(community.name) + ("-team" if team else "") + "-" + collection.stamp(turn.unit.now)
    for suffix, data in files:
        await turn.context.bot.send_document(
            turn.chat.id,
            InputFile(data, filename=f"{name}.{suffix}"),
            caption=document_texts.ready(turn.tr, team) if suffix == "docx" else None,
        )
    if team:
        await turn.reply(await _review(turn, community), quote=False)
    await flows.release_lock(turn.unit, LOCK, community.chat_id)


def _render(model: collection.CollectionDocument, formats: list[str]) -> list[tuple[str, bytes]]:
    """CPU work, done off the event loop so the bot keeps answering others."""
    from bot.render.documents import render_docx, render_html, render_markdown_zip

    out = []
    if "docx" in formats:
        out.append(("docx", render_docx(model)))
    if "html" in formats:
        out.append(("html", render_html(model).encode("utf-8")))
    if "md" in formats:
        out.append(("md.zip", render_markdown_zip(model)))
    return out


async def _review(turn: Turn, community: CommunityView) -> str:
    members = await membership.list_members(turn.unit, community.id)
    done = await sharing.reviewed_members(turn.unit, community.id)
    return document_texts.review_status(
        turn.tr,
        [m.name for m in members if m.id in done],
        [m.name for m in members if m.id not in done],
    )


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:40] or "cop"


@command("share")
async def share(turn: Turn) -> None:
    """What of yours goes into the team version: /share, /share name on|off."""
    community, member = await turn.here()
    args = [a.lower() for a in args_of(turn)]
    if args[:1] == ["name"] and args[1:] in (["on"], ["off"]):
        await sharing.set_named(turn.unit, community.id, member, args[1] == "on")
        await turn.reply(document_texts.name_set(turn.tr, args[1] == "on"))
        return
    if args:
        raise InvalidInput(document_texts.share_usage(turn.tr))
    await sharing.reviewed(turn.unit, community.id, member)
    await _share_list(turn, community, member)


async def _share_list(turn: Turn, community: CommunityView, member: MemberView) -> None:
    items = [
        i
        for i in await mine.own(turn.unit, community.id, member)
        if i.kind in sharing.PERSONAL_SHAREABLE
    ][-20:]
    shared = await sharing.shareable_ids(turn.unit, community.id)
    named = member.id in await sharing.named_members(turn.unit, community.id)
    markup = (
        keyboard(*[[(str(n), (Button.SHARE, item.id))] for n, item in enumerate(items, start=1)])
        if items
        else None
    )
    await turn.reply(document_texts.share_list(turn.tr, items, shared, named), markup)


@button(Button.SHARE)
async def share_pressed(turn: Turn) -> None:
    _, ref = turn.button(2)
    contribution_id = as_int(ref)
    if contribution_id is None:
        raise StaleAction("stale_button")
    community, member = await turn.here()
    shared = await sharing.toggle(turn.unit, community.id, member, contribution_id)
    await turn.answer(document_texts.share_toggled(turn.tr, shared))


@command("portfolio")
async def portfolio(turn: Turn) -> None:
    """Your own record (meetings, contributions, qualities, agreements) as a Word file."""
    community, member = await turn.here()
    from bot.render.documents import render_docx

    model = await collection.portfolio(turn.unit, community, member, turn.tr)
    data = await asyncio.to_thread(render_docx, model)
    await turn.context.bot.send_document(
        turn.chat.id,
        InputFile(data, filename=f"portfolio-{_slug(member.name)}-{_slug(community.name)}.docx"),
        caption=document_texts.portfolio_ready(turn.tr),
    )
