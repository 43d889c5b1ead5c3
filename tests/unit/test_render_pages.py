"""`scripts/render_pages.py` says plainly when LibreOffice is missing, and renders pages
where it is installed."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from bot.render.documents import CollectionDocument, Labels, render_docx
from bot.texts.documents import LABELS

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_pages.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_pages", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _document(folder: Path) -> Path:
    doc = CollectionDocument(
        title="Collection document",
        version_label="CoP version",
        generated="",
        language="en-GB",
        cop_name="CoP Behaviour",
        intro="This CoP has just started.",
        labels=Labels(**LABELS),
    )
    path = folder / "cop.docx"
    path.write_bytes(render_docx(doc))
    return path


def test_without_libreoffice_it_says_so_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = _script()
    monkeypatch.setattr(script.shutil, "which", lambda name: None)
    assert script.main([str(_document(tmp_path))]) == 2
    assert "LibreOffice (soffice) is not installed" in capsys.readouterr().err
    assert not list(tmp_path.glob("*-pages"))


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice and pdftoppm are not installed here",
)
def test_with_libreoffice_every_page_becomes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    assert _script().main([str(_document(tmp_path)), "--out", str(out)]) == 0
    pages = sorted(out.glob("page-*.png"))
    assert pages and all(page.read_bytes().startswith(b"\x89PNG") for page in pages)
