"""Charts: valid, deterministic PNGs that survive any user text and reject bad data."""

from __future__ import annotations

import ast
import inspect
import io
import math

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from bot.render import charts
from bot.render.charts import PALETTE, grouped_bars_png, stacked_shares_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# The study's Table 3: share of practice-issue combinations per meeting.
TABLE_3 = [
    ("individueel/extern", [11, 0, 0, 0, 0]),
    ("individueel/intern", [44, 10, 17, 33, 0]),
    ("gedeeld/extern", [11, 10, 0, 0, 0]),
    ("gedeeld/intern", [34, 80, 83, 67, 100]),
]
MEETINGS = ["1", "2", "3", "4", "5"]

AWKWARD_TEXT = [
    "$x$",
    "50% of 10$",
    r"$\notacommand{$",
    "<b>vet</b> & <i>",
    "Zoë’s café, één 😀🎉",
    "שלום עולם",
    "مرحبا بالعالم",
    "_starts_with_underscore",
    "",
    "line one\nline two",
    "a" * 300,
]


def _image(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image


def _table_3(**overrides: object) -> bytes:
    kwargs: dict[str, object] = {
        "title": "Ontwikkeling van praktijkvraagstukken",
        "categories": MEETINGS,
        "series": TABLE_3,
        "y_label": "% van de vraagstukken",
    }
    kwargs.update(overrides)
    return stacked_shares_png(**kwargs)  # type: ignore[arg-type]


def _qualities(n: int) -> bytes:
    return grouped_bars_png(
        title="Kwaliteiten: genoemd en gebruikt",
        labels=[f"Lid {i // 3} – kwaliteit {i}" for i in range(n)],
        series=[("genoemd", [i % 5 for i in range(n)]), ("gebruikt", [i % 3 for i in range(n)])],
        x_label="aantal",
    )


def test_table_3_renders_at_the_requested_size() -> None:
    assert _image(_table_3()).size == (900, 560)
    assert _image(_table_3(width_px=640, height_px=400)).size == (640, 400)


def test_stacked_chart_uses_the_fixed_palette() -> None:
    colours = {rgb for _, rgb in _image(_table_3()).convert("RGB").getcolors(1_000_000)}
    for hex_colour in PALETTE[:4]:
        rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        assert rgb in colours, hex_colour


def test_output_is_deterministic() -> None:
    assert _table_3() == _table_3()
    assert _qualities(7) == _qualities(7)


def test_output_changes_with_the_data() -> None:
    other = [(label, list(reversed(values))) for label, values in TABLE_3]
    assert _table_3() != _table_3(series=other)


def test_grouped_chart_grows_with_the_number_of_bars() -> None:
    small, large = _image(_qualities(5)), _image(_qualities(60))
    assert small.width == large.width == 900
    assert large.height > small.height * 3
    # Telegram's sendPhoto limits: width + height <= 10000, aspect ratio <= 20.
    assert large.width + large.height <= 10_000
    assert large.height / large.width <= 20


def test_grouped_chart_with_no_items_does_not_crash() -> None:
    _image(grouped_bars_png(title="Leeg", labels=[], series=[("genoemd", []), ("gebruikt", [])]))
    _image(grouped_bars_png(title="Leeg", labels=[], series=[]))
    _image(stacked_shares_png(title="Leeg", categories=[], series=[]))


def test_mathtext_would_choke_on_our_probe() -> None:
    """Proves the probe below is meaningful: parsed as mathtext it raises."""
    fig = Figure()
    FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, r"$\notacommand{$")
    with pytest.raises(ValueError):
        fig.canvas.draw()


@pytest.mark.parametrize("text", AWKWARD_TEXT)
def test_awkward_user_text_is_drawn_literally_without_errors(text: str) -> None:
    # filterwarnings=error also turns any unexpected matplotlib warning into a failure.
    _image(
        stacked_shares_png(
            title=text,
            categories=[text, "2"],
            series=[(text, [40, 50]), ("other", [60, 50])],
            y_label=text,
        )
    )
    _image(
        grouped_bars_png(
            title=text,
            labels=[text, "plain"],
            series=[(text, [1, 0]), ("used", [2, 3])],
            x_label=text,
        )
    )


def test_every_text_in_a_figure_is_literal() -> None:
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_xticks([0, 1], ["$a$", "$b$"])
    ax.set_title("$t$")
    charts._disable_mathtext(fig)
    texts = [ax.title, *ax.get_xticklabels()]
    assert all(not text.get_parse_math() for text in texts)


def test_sums_slightly_over_100_from_rounding_are_accepted() -> None:
    _image(stacked_shares_png(title="t", categories=["1"], series=[("a", [50.5]), ("b", [50.5])]))


@pytest.mark.parametrize(
    ("categories", "series"),
    [
        (["1", "2"], [("a", [10.0])]),
        (["1"], [("a", [10.0, 20.0])]),
        (["1"], [("a", [-1.0])]),
        (["1"], [("a", [100.5])]),
        (["1"], [("a", [math.nan])]),
        (["1"], [("a", [math.inf])]),
        (["1"], [("a", ["10"])]),
    ],
)
def test_stacked_rejects_bad_series(categories: list[str], series: list) -> None:
    with pytest.raises(ValueError):
        stacked_shares_png(title="t", categories=categories, series=series)


@pytest.mark.parametrize(("width", "height"), [(0, 560), (900, -1), (20_000, 560), (900.5, 560)])
def test_stacked_rejects_unusable_sizes(width: object, height: object) -> None:
    with pytest.raises(ValueError):
        stacked_shares_png(
            title="t",
            categories=MEETINGS,
            series=TABLE_3,
            width_px=width,  # type: ignore[arg-type]
            height_px=height,  # type: ignore[arg-type]
        )


@pytest.mark.parametrize(
    ("labels", "series"),
    [
        (["a", "b"], [("named", [1])]),
        (["a"], [("named", [1]), ("used", [1, 2])]),
        (["a"], [("named", [-1])]),
        (["a"], [("named", [math.nan])]),
    ],
)
def test_grouped_rejects_bad_series(labels: list[str], series: list) -> None:
    with pytest.raises(ValueError):
        grouped_bars_png(title="t", labels=labels, series=series)


def test_large_counts_are_fine() -> None:
    _image(grouped_bars_png(title="t", labels=["a"], series=[("named", [10_000])]))


def test_module_imports_no_pyplot_and_no_bot_layers() -> None:
    tree = ast.parse(inspect.getsource(charts))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    assert "matplotlib.pyplot" not in imported
    assert not any(name.split(".")[0] in {"telegram", "handlers", "storage"} for name in imported)
