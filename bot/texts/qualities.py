"""What the bot says about qualities and "using qualities".

(The literature and "using qualities" prompts the outbox posts are still here, for
the outbox; the rest of literature is in `bot.texts.literature`.)
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.qualities import (
    ProfileView,
    RoundEnd,
    RoundProgress,
    RoundQuestion,
    RoundStep,
    StatRow,
)

ERRORS = {
    "quality_missing": N_("Please name the quality, for example: summarises well."),
    "quality_too_long": N_(
        "Please name the quality in at most {limit} characters; put the rest in the "
        "example (after a colon)."
    ),
    "round_already_open": N_("A quality round is already open. Close it with /qualities close."),
    "no_open_round": N_("There is no open quality round. Start one with /qualities."),
    "not_member_any_more": N_("That person is not a member of this CoP (any more)."),
    "quality_example_too_long": N_("Please keep the example under {limit} characters."),
    "quality_title_empty": N_("The title is empty."),
    "quality_title_too_long": N_("Please keep a title under {limit} characters."),
    "profiles_after_round": N_(
        "Profiles of others are shown when the quality round is closed, so "
        "nominations are not influenced while it runs."
    ),
    "quality_unknown": N_("No quality \u201c{quality}\u201d was named in this CoP."),
    "qualities_usage": N_(
        "Use /qualities, /qualities close, /qualities stats or "
        "/qualities merge old name = new name."
    ),
}


def round_started_in_group(tr: Translator, name: str) -> Markup:
    return fmt(
        tr.gettext("The quality round is posted in the group of {cop}."),
        cop=name,
    )


def round_posted(tr: Translator, bot: str, progress: RoundProgress | None = None) -> Markup:
    """The round's announcement; as members take part, its one status line (no roll call)."""
    _ = tr.gettext
    lines: list[str] = [
        fmt(
            _(
                "<b>Quality round</b>: name each other's qualities, with an example the group "
                "can see (\u201csummarises well: she summarised our issues at the end\u201d)."
            )
        ),
        fmt(
            _(
                "You do this privately: send /qualities to me (@{bot}). You can stop and go on "
                "later. Profiles are shown to the group when the round closes."
            ),
            bot=bot,
        ),
    ]
    if progress is not None:
        lines += [
            "",
            fmt(
                _("Taken part so far: {n} of {total}."),
                n=progress.named,
                total=progress.total,
            ),
        ]
    return join_lines(lines)


def ask_quality(tr: Translator, name: str, *, again: bool, progress: str) -> Markup:
    _ = tr.gettext
    if again:
        head = fmt(
            _("Another quality of <b>{name}</b>? Reply, or press \u201c{button}\u201d."),
            name=name,
            button=round_labels(tr)["title"],  # the text names the button it shows
        )
    else:
        head = fmt(
            _(
                "Which quality do you see in <b>{name}</b>? Reply with the quality and an "
                "example, like: summarises well: she summarised our issues at the end."
            ),
            name=name,
        )
    return join_lines([head, fmt("{progress}", progress=progress)])


def ask_example(tr: Translator, quality: str, name: str) -> Markup:
    return fmt(
        tr.gettext(
            "What did {name} do that shows \u201c{quality}\u201d? Reply with an "
            "example the group can see."
        ),
        name=name,
        quality=quality,
    )


def ask_title(tr: Translator, name: str) -> Markup:
    return fmt(
        tr.gettext(
            "Would you give <b>{name}</b> a title (like Caretaker, Plan keeper, "
            "Signpost)? Reply, or skip."
        ),
        name=name,
    )


def round_question(tr: Translator, question: RoundQuestion) -> Markup:
    """The text of the round's next question (its buttons are in `round_labels`)."""
    if question.step is RoundStep.QUALITY:
        position = progress(tr, question.position, question.total)
        return ask_quality(tr, question.nominee, again=question.again, progress=position)
    if question.step is RoundStep.EXAMPLE:
        return ask_example(tr, question.pending, question.nominee)
    return ask_title(tr, question.nominee)


def round_end(tr: Translator, end: RoundEnd) -> str:
    if end is RoundEnd.PAUSED:
        return round_paused(tr)
    if end is RoundEnd.NO_ROUND:
        return no_round(tr)
    if end is RoundEnd.NOBODY_ELSE:
        return nobody_else(tr)
    return round_finished(tr)


def quality_saved(tr: Translator, quality: str, name: str, new: bool) -> Markup:
    _ = tr.gettext
    if new:
        return fmt(_("Saved: \u201c{quality}\u201d for {name}."), quality=quality, name=name)
    return fmt(
        _("{name} already had \u201c{quality}\u201d from you; your example is added."),
        quality=quality,
        name=name,
    )


def round_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {
        "next": _("Next"),
        "skip": _("Skip"),
        "stop": _("Stop for now"),
        "title": _("Title \u2192"),
    }


def progress(tr: Translator, done: int, total: int) -> str:
    return tr.gettext("Person {n} of {total}").format(n=done, total=total)


def round_finished(tr: Translator) -> str:
    return tr.gettext("That is everyone. Thank you! Your nominations are saved.")


def round_paused(tr: Translator) -> str:
    return tr.gettext("Stopped for now. Send /qualities to go on where you left off.")


def no_round(tr: Translator) -> str:
    return tr.gettext(
        "There is no quality round open. You can name a colleague's quality any "
        "time with /nominate in the group."
    )


def nobody_else(tr: Translator) -> str:
    return tr.gettext("There are no other members yet.")


def round_closed(tr: Translator, profiles: Sequence[ProfileView]) -> Markup:
    _ = tr.gettext
    named = [p for p in profiles if p.qualities]
    if not named:
        return fmt(
            _(
                "<b>The quality round is closed.</b> No qualities were named yet; you can "
                "name a colleague's quality any time with /nominate."
            )
        )
    lines: list[str] = [
        fmt(_("<b>The quality round is closed.</b> The strengths the CoP can draw on:"))
    ]
    for profile in named:  # a strength-based round lists what was named, never a blank
        top = ", ".join(q.quality for q in profile.qualities[:4])
        title = f" \u2013 {profile.title}" if profile.title else ""
        lines.append(
            fmt("\u2022 <b>{name}</b>{title}: {top}", name=profile.name, title=title, top=top)
        )
    if len(named) < len(profiles):
        lines.append(
            fmt(_("Not everyone has been named yet: /nominate works any time, also after today."))
        )
    lines.append(fmt(_("Everyone can see a profile with /profile @name.")))
    return join_lines(lines)


def choose_member(tr: Translator) -> str:
    return tr.gettext("Whose quality do you want to name?")


def ask_nomination(tr: Translator, name: str) -> Markup:
    return fmt(
        tr.gettext(
            "Which quality of {name}? Reply with the quality and an example, like: "
            "asks good questions: she helped me see the pupil's side."
        ),
        name=name,
    )


def self_noted(tr: Translator) -> str:
    return tr.gettext("Noted as a self-assessment.")


def profile(tr: Translator, view: ProfileView, *, own: bool) -> Markup:
    _ = tr.gettext
    lines: list[str] = [fmt(_("<b>Profile of {name}</b>"), name=view.name)]
    if view.title:
        lines.append(fmt(_("Title: {title}"), title=view.title))
    if not view.qualities:
        lines.append(fmt(_("No qualities named yet.")))
    for named in view.qualities:
        lines.append(
            fmt("\u2022 <b>{quality}</b> \u00d7{count}", quality=named.quality, count=named.count)
        )
        for example in named.examples[:3]:
            lines.append(fmt("   \u2013 <i>{example}</i>", example=example))
    if own and view.nominations:
        lines.append(
            fmt(_("You can hide a nomination about you from the group view with the buttons."))
        )
    return join_lines(lines)


def hide_label(tr: Translator, n: int, hidden: bool) -> str:
    _ = tr.gettext
    return (_("Show {n}") if hidden else _("Hide {n}")).format(n=n)


def hidden_set(tr: Translator, hidden: bool) -> str:
    _ = tr.gettext
    return _("Hidden from the group view.") if hidden else _("Visible to the group again.")


def ask_use(tr: Translator) -> Markup:
    return fmt(
        tr.gettext(
            "Using qualities: describe a situation in which you used your own or a colleague's "
            "quality. Start with @name if it was a colleague's, then the quality and a colon, "
            "like: @anna summarises well: her summary helped me choose."
        )
    )


def use_saved(tr: Translator, quality: str, name: str) -> Markup:
    return fmt(
        tr.gettext("Saved: {name}'s \u201c{quality}\u201d helped."), quality=quality, name=name
    )


def stats(tr: Translator, rows: Sequence[StatRow]) -> Markup:
    _ = tr.gettext
    if not rows:
        return fmt(_("No qualities have been named yet."))
    lines: list[str] = [fmt(_("<b>Qualities named and used</b>"))]
    for row in rows:
        lines.append(
            fmt(
                _("\u2022 {member}: {quality} \u2013 named {named}\u00d7, used {used}\u00d7"),
                member=row.member,
                quality=row.quality,
                named=row.named,
                used=row.used,
            )
        )
    return join_lines(lines)


def chart_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {"title": _("Qualities named and used"), "named": _("named"), "used": _("used")}


def merged(tr: Translator, count: int) -> Markup:
    return fmt(
        tr.ngettext(
            "{n} item is now counted under the new name.",
            "{n} items are now counted under the new name.",
            count,
        ),
        n=count,
    )
