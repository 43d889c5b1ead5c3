"""What the bot says about agreement between coders (/agreement, /code second)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.agreement import Agreement, AgreementReport, Disagreement
from bot.texts.coding import CODES, coding_item

ERRORS = {
    "second_too_few": N_(
        "A second coder needs at least {minimum} coded contributions to sample from; "
        "there are {n} now. Code more with /code first."
    ),
    "second_is_primary": N_(
        "You coded these contributions first, so you cannot be their second coder. "
        "Ask another facilitator to send /code second."
    ),
    "already_resolved": N_("This disagreement has already been resolved."),
}

CODE_BOOKS = {"issue": N_("Issue development (individual/shared, external/internal)")}


def figures(tr: Translator, figures: Agreement) -> Markup:
    _ = tr.gettext
    if not figures.enough:
        return fmt(
            tr.ngettext(
                "{n} contribution double-coded: not enough data for an agreement figure "
                "(at least 2, with more than one code).",
                "{n} contributions double-coded: not enough data for an agreement figure "
                "(at least 2, with more than one code).",
                figures.double_coded,
            ),
            n=figures.double_coded,
        )
    assert figures.percent is not None and figures.alpha is not None
    return fmt(
        tr.ngettext(
            "{n} contribution double-coded, {agreed} the same: {percent}% agreement, "
            "Krippendorff's alpha {alpha}.",
            "{n} contributions double-coded, {agreed} the same: {percent}% agreement, "
            "Krippendorff's alpha {alpha}.",
            figures.double_coded,
        ),
        n=figures.double_coded,
        agreed=figures.agreed,
        percent=round(figures.percent),
        alpha=_decimal(tr, figures.alpha),
    )


def report(tr: Translator, report: AgreementReport) -> Markup:
    _ = tr.gettext
    lines: list[str] = [
        fmt("<b>{book}</b>", book=tr.gettext(CODE_BOOKS[report.code_book])),
        fmt(_("Before discussion: {figures}"), figures=figures(tr, report.before)),
    ]
    if report.resolved:
        lines.append(fmt(_("After discussion: {figures}"), figures=figures(tr, report.after)))
    lines.append(
        fmt(
            tr.ngettext(
                "{n} disagreement to resolve.", "{n} disagreements to resolve.", len(report.open)
            ),
            n=len(report.open),
        )
        if report.open
        else fmt(_("No disagreements left to resolve."))
    )
    lines.append(fmt(_("Alpha of .80 or more counts as good.")))
    return join_lines(lines)


def disagreement(tr: Translator, item: Disagreement, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            coding_item(tr, item.item.model_copy(update={"code": None}), tz, show_code=False),
            fmt(
                _("First code: {first}; second code: {second}."),
                first=tr.gettext(CODES[item.first]),
                second=tr.gettext(CODES[item.second]),
            ),
        ]
    )


def resolve_label(tr: Translator, combo: str) -> str:
    return tr.gettext(N_("Resolve as: {code}")).format(code=tr.gettext(CODES[combo]))


def resolved(tr: Translator, combo: str) -> Markup:
    return fmt(
        tr.gettext(N_("Resolved as {code}. The development table now counts this code.")),
        code=tr.gettext(CODES[combo]),
    )


def second_summary(tr: Translator, left: int, size: int) -> Markup:
    _ = tr.gettext
    if left == 0:
        return fmt(
            tr.ngettext(
                "Your sample of {size} contribution is coded. /agreement shows the agreement.",
                "Your sample of {size} contributions is coded. /agreement shows the agreement.",
                size,
            ),
            size=size,
        )
    return fmt(
        tr.ngettext(
            "Second coding, blind: about 20% of the coded contributions of each meeting, "
            "{size} in all; the first codes are not shown. {left} still to code. Your codes "
            "never change the development table.",
            "Second coding, blind: about 20% of the coded contributions of each meeting, "
            "{size} in all; the first codes are not shown. {left} still to code. Your codes "
            "never change the development table.",
            size,
        ),
        size=size,
        left=left,
    )


def _decimal(tr: Translator, value: float) -> str:
    """Alpha as the study writes it (.712); a Dutch decimal comma (,712)."""
    text = f"{value:.3f}"
    if text.startswith("0."):
        text = text[1:]
    elif text.startswith("-0."):
        text = "-" + text[2:]
    return text.replace(".", ",") if tr.language == "nl" else text
