"""PNG charts for the chat (sendPhoto) and for exported Word/HTML reports.

Two charts mirror the study's reporting: the *development chart* (Table 3: per meeting, the
share of individual/shared x external/internal practice issues as a 100 % stacked bar) and the
*qualities chart* (Figure 2: per member and quality, how often it was named and used).

Design choices, and why:

* Only matplotlib's object API with the Agg canvas is used, never ``pyplot``: pyplot keeps a
  global registry of figures (memory grows unless each is closed) and may pick a GUI backend,
  neither of which belongs in a bot process. Figures built here are plain objects that the
  garbage collector reclaims once the PNG bytes have been written.
* All user text (titles, labels, legend entries) is drawn literally: mathtext is switched off
  per Text object (``parse_math=False``), so a label such as ``"$x$"`` or ``"50% of 10$"``
  neither turns into maths nor raises a parse error. HTML-like text is not special to
  matplotlib anyway.
* The output is deterministic (Pillow encodes the Agg pixels: no version chunk, no timestamps),
  so identical input gives identical bytes - handy for caching and for tests.
* Emoji and other glyphs missing from the bundled font render as boxes; the matching
  "Glyph ... missing" warnings are silenced locally because such labels are expected user
  input, not a programming error.
* Rendering is serialised by a module lock: ``warnings.catch_warnings`` mutates process-wide
  state and matplotlib's font caches are not documented as thread-safe.
"""

from __future__ import annotations

import io
import math
import textwrap
import threading
import warnings
from collections.abc import Callable, Sequence
from numbers import Real
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn: it costs ~0.5 s at start-up
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

__all__ = ["PALETTE", "grouped_bars_png", "stacked_shares_png"]

# Okabe-Ito: distinguishable for the common forms of colour blindness, fixed so that the same
# series keeps the same colour in every chart and report.
PALETTE: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)

_DPI = 100  # pixels == inches * 100, so width_px/height_px map exactly onto the PNG size
# Font sizes in points (= 1.39 px at 100 dpi). A 900 px chart is shown ~400 px wide on a phone,
# so anything much smaller than this becomes unreadable there.
_TITLE_PT = 19
_LABEL_PT = 15
_TICK_PT = 14
_LEGEND_PT = 14
_VALUE_PT = 13
_MIN_SEGMENT_LABEL = 8.0  # segments below this share are too thin to hold a readable label
# Telegram rejects photos whose width + height exceeds 10000 px; stay clear of that.
_MAX_SIDE_PX = 8000
_MIN_SIDE_PX = 100
_GROUPED_WIDTH_PX = 900
_ROW_PX = 40  # height per label row in the grouped chart (fits two wrapped lines of text)
_GROUPED_CHROME_PX = 230  # title, legend, axis label and margins of the grouped chart

_RENDER_LOCK = threading.Lock()
# Warnings that user-supplied text may legitimately trigger; anything else still surfaces.
_IGNORED_WARNINGS = (
    r"Glyph .* missing from font",
    r"Matplotlib currently does not support .* natively",
    r"constrained_layout not applied",
)


def stacked_shares_png(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    y_label: str = "%",
    width_px: int = 900,
    height_px: int = 560,
) -> bytes:
    """Renders a 100 % stacked bar chart (one bar per category) as PNG bytes.

    ``series`` is ``[(label, [percent per category]), ...]`` in stacking order (bottom first);
    every value must lie in 0..100. Shares of at least 8 % are written inside their segment.
    Raises ValueError on mismatched lengths, out-of-range values or an unusable image size.
    """
    _check_size(width_px, height_px)
    category_names = [str(c) for c in categories]
    checked = _check_series(series, len(category_names), upper=100.0)

    def build() -> Figure:
        fig = _new_figure(width_px, height_px)
        ax = fig.add_subplot()
        positions = list(range(len(category_names)))
        bottoms = [0.0] * len(category_names)
        from matplotlib.patches import Patch

        handles: list[Patch] = []
        for index, (_label, values) in enumerate(checked):
            colour = PALETTE[index % len(PALETTE)]
            ax.bar(
                positions,
                values,
                bottom=bottoms,
                width=0.7,
                color=colour,
                edgecolor="white",
                linewidth=1,
            )
            text_colour = _text_colour_on(colour)
            for x, value, bottom in zip(positions, values, bottoms, strict=True):
                if value >= _MIN_SEGMENT_LABEL:
                    ax.text(
                        x,
                        bottom + value / 2,
                        f"{value:.0f}%",
                        ha="center",
                        va="center",
                        fontsize=_VALUE_PT,
                        fontweight="bold",
                        color=text_colour,
                        parse_math=False,
                    )
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
            handles.append(Patch(facecolor=colour, edgecolor="white"))
        # Rounded shares may add up to slightly more than 100; never cut a bar off.
        ax.set_ylim(0, max([100.0, *bottoms]))
        ax.set_yticks([0, 20, 40, 60, 80, 100])
        ax.set_xlim(-0.6, max(len(category_names), 1) - 0.4)
        ax.set_xticks(positions, [_wrap(c, 14, 2) for c in category_names])
        ax.set_ylabel(y_label, fontsize=_LABEL_PT, parse_math=False)
        ax.tick_params(labelsize=_TICK_PT)
        fig.suptitle(
            _wrap(title, _title_chars(width_px), 3),
            fontsize=_TITLE_PT,
            fontweight="bold",
            parse_math=False,
        )
        _tidy_axes(ax, grid_axis="y")
        if handles:
            fig.legend(
                handles,
                [_wrap(label, 34, 2) for label, _ in checked],
                loc="outside lower center",
                ncols=min(len(handles), 2),
                fontsize=_LEGEND_PT,
                frameon=False,
            )
        return fig

    return _render(build)


def grouped_bars_png(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    x_label: str = "",
) -> bytes:
    """Renders grouped horizontal bars (one row per label, one bar per series) as PNG bytes.

    Meant for counts such as how often a member's quality was "named" and "used"; the first
    label is drawn at the top so the order matches the caller's list. The image grows in
    height with the number of rows so ~60 rows stay legible. Zero labels give an empty
    (but valid) chart. Raises ValueError on mismatched lengths or negative/non-finite counts.
    """
    label_names = [str(label) for label in labels]
    checked = _check_series(series, len(label_names), upper=None)
    height_px = min(_MAX_SIDE_PX, _GROUPED_CHROME_PX + _ROW_PX * max(len(label_names), 3))

    def build() -> Figure:
        fig = _new_figure(_GROUPED_WIDTH_PX, height_px)
        ax = fig.add_subplot()
        rows = list(range(len(label_names)))
        n_series = max(len(checked), 1)
        bar_height = 0.8 / n_series
        from matplotlib.patches import Patch

        handles: list[Patch] = []
        largest = 0.0
        for index, (_label, values) in enumerate(checked):
            colour = PALETTE[index % len(PALETTE)]
            offset = (index - (n_series - 1) / 2) * bar_height
            positions = [r + offset for r in rows]
            ax.barh(positions, values, height=bar_height, color=colour)
            pad = max([1.0, *values]) * 0.01
            for y, value in zip(positions, values, strict=True):
                if value:
                    # Plain text kept out of the layout: it sits inside the axes (see xlim), and
                    # measuring 120 labels for layout would double the time of a 60-row chart.
                    ax.text(
                        value + pad,
                        y,
                        f"{value:g}",
                        va="center",
                        fontsize=_VALUE_PT - 1,
                        parse_math=False,
                        in_layout=False,
                    )
            largest = max([largest, *values])
            handles.append(Patch(facecolor=colour))
        ax.set_ylim(max(len(label_names), 1) - 0.5, -0.5)  # inverted: first label on top
        ax.set_xlim(0, max(largest * 1.12, 1.0))  # room for the value written after each bar
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_yticks(rows, [_wrap(label, 30, 2) for label in label_names])
        ax.tick_params(labelsize=_TICK_PT)
        if x_label:
            ax.set_xlabel(x_label, fontsize=_LABEL_PT, parse_math=False)
        fig.suptitle(
            _wrap(title, _title_chars(_GROUPED_WIDTH_PX), 3),
            fontsize=_TITLE_PT,
            fontweight="bold",
            parse_math=False,
        )
        _tidy_axes(ax, grid_axis="x")
        if handles:
            fig.legend(
                handles,
                [_wrap(label, 34, 2) for label, _ in checked],
                loc="outside lower center",
                ncols=min(len(handles), 3),
                fontsize=_LEGEND_PT,
                frameon=False,
            )
        return fig

    return _render(build)


# --- helpers -------------------------------------------------------------------------------


def _check_size(width_px: int, height_px: int) -> None:
    """Rejects sizes Telegram would refuse or that would only waste memory."""
    for name, value in (("width_px", width_px), ("height_px", height_px)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an int, got {value!r}")
        if not _MIN_SIDE_PX <= value <= _MAX_SIDE_PX:
            raise ValueError(f"{name} must be within {_MIN_SIDE_PX}..{_MAX_SIDE_PX}, got {value}")


def _check_series(
    series: Sequence[tuple[str, Sequence[float]]], length: int, *, upper: float | None
) -> list[tuple[str, list[float]]]:
    """Validates the series up front so a bad input fails loudly instead of drawing nonsense.

    Every series must have one value per category; values must be finite, not negative and,
    when ``upper`` is given, at most ``upper``.
    """
    checked: list[tuple[str, list[float]]] = []
    for label, values in series:
        values = list(values)
        if len(values) != length:
            raise ValueError(
                f"series {label!r} has {len(values)} values but there are {length} categories"
            )
        for value in values:
            if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
                raise ValueError(f"series {label!r} has a non-numeric value {value!r}")
            if value < 0 or (upper is not None and value > upper):
                bound = f"0..{upper:g}" if upper is not None else ">= 0"
                raise ValueError(f"series {label!r} has value {value!r} outside {bound}")
        checked.append((str(label), [float(v) for v in values]))
    return checked


def _new_figure(width_px: int, height_px: int) -> Figure:
    """A detached Figure (not known to pyplot) with an Agg canvas, sized in exact pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_px / _DPI, height_px / _DPI), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    fig.set_facecolor("white")
    return fig


def _tidy_axes(ax: Axes, *, grid_axis: Literal["both", "x", "y"]) -> None:
    """Removes chart junk (top/right spines) and adds a light grid to read values off."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis=grid_axis, color="#DDDDDD", linewidth=0.8)
    ax.set_axisbelow(True)


def _render(build: Callable[[], Figure]) -> bytes:
    """Builds the figure and writes it as PNG, with user-text safety and warning hygiene.

    ``build`` is called inside the lock and warning filter because matplotlib warns about
    missing glyphs both while laying out and while drawing.
    """
    with _RENDER_LOCK, warnings.catch_warnings():
        for message in _IGNORED_WARNINGS:
            warnings.filterwarnings("ignore", message=message, category=UserWarning)
        fig: Figure = build()
        _disable_mathtext(fig)
        canvas = fig.canvas
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        assert isinstance(canvas, FigureCanvasAgg)
        # One draw (layout included) and our own PNG encoding: savefig would lay out and draw
        # twice, and Pillow writes no version or time chunks, so the bytes are deterministic.
        canvas.draw()  # type: ignore[no-untyped-call]
        rgba = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
        image = Image.frombuffer("RGBA", canvas.get_width_height(), rgba)
        fig.clear()  # break the artist graph early so memory is returned promptly
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def _disable_mathtext(fig: Figure) -> None:
    """Makes every text in the figure literal, including tick and legend labels.

    Explicit ``parse_math=False`` arguments cover the texts we create directly; this sweep
    covers those matplotlib creates on our behalf (tick labels, legend entries).
    """
    for axes in fig.axes:  # materialise tick labels so the sweep below reaches them
        axes.get_xticklabels()
        axes.get_yticklabels()
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)


def _text_colour_on(background: str) -> str:
    """Black or white, whichever contrasts better with the segment colour (WCAG luminance)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    from matplotlib.colors import to_rgb

    r, g, b = (channel(c) for c in to_rgb(background))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if luminance > 0.179 else "white"


def _title_chars(width_px: int) -> int:
    """Roughly how many title characters fit on one line at the title font size."""
    return max(20, int(width_px / (_TITLE_PT * 0.9)))


def _wrap(text: str, width: int, max_lines: int) -> str:
    """Wraps long user text so it cannot push the plot area to nothing; keeps newlines."""
    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, width, break_long_words=True) or [""])
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return "\n".join(lines)
