"""What the bot says about literature insights and the reading list."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.literature import InsightQuestion, InsightStep, ReadingItem, Source

ERRORS = {
    "source_missing": N_("Which source? Give a title, a link or a DOI."),
    "link_invalid": N_(
        "That does not look like a web address. Write it like https://example.org/article."
    ),
    "source_title_too_long": N_("Please keep the title under {limit} characters."),
    "source_gone": N_("That source is no longer on the reading list."),
}


def question(tr: Translator, asked: InsightQuestion) -> Markup:
    """The text of the /insight dialogue's next question."""
    if asked.step is InsightStep.SOURCE or asked.source is None:
        return ask_source(tr)
    if asked.step is InsightStep.INSIGHT:
        return ask_insight(tr, asked.source)
    return ask_practice(tr)


def ask_source(tr: Translator) -> Markup:
    return fmt(
        tr.gettext(
            "Which source did you read? Reply with the title (and authors; year) "
            "or just a link or DOI."
        )
    )


def ask_insight(tr: Translator, source: Source) -> Markup:
    return fmt(
        tr.gettext(
            "What is your insight from \u201c{title}\u201d, in your own words? "
            "Reply to this message."
        ),
        title=source.title,
    )


def ask_practice(tr: Translator) -> Markup:
    return fmt(tr.gettext("And what does it mean for your practice? Reply to this message."))


def insight_saved(tr: Translator, source: Source) -> Markup:
    return fmt(
        tr.gettext(
            "Thank you! Your insight is on the reading list under "
            "\u201c{title}\u201d. See it with /reading."
        ),
        title=source.title,
    )


def reading(tr: Translator, items: Sequence[ReadingItem]) -> Markup:
    _ = tr.gettext
    if not items:
        return fmt(_("The reading list is empty. Share an insight with /insight."))
    lines: list[str] = [fmt(_("<b>Reading list</b>"))]
    for index, item in enumerate(items, start=1):
        source = item.source
        details = "; ".join(p for p in (source.authors, source.year) if p)
        reference = source.link or (f"https://doi.org/{source.doi}" if source.doi else None)
        only_reference = source.title in (source.link, source.doi)  # given only as a link
        lines.append("")
        lines.append(
            fmt(
                "<b>{n}. {title}</b>{details}",
                n=index,
                title=reference if only_reference and reference else source.title,
                details=f" ({details})" if details else "",
            )
        )
        if reference and not only_reference:
            lines.append(fmt("{link}", link=reference))
        if item.shared_by:
            lines.append(fmt(_("Shared by {name}"), name=item.shared_by))
        for insight in item.insights:
            lines.append(
                fmt(
                    _("\u2022 {author}: {insight} \u2192 for practice: {practice}"),
                    author=insight.author or _("a former member"),
                    insight=insight.insight,
                    practice=insight.practice,
                )
            )
    lines.append(fmt(_("Add your own insight to a source with the buttons.")))
    return join_lines(lines)


def add_insight_label(tr: Translator, n: int) -> str:
    return tr.gettext("+ insight {n}").format(n=n)
