"""Turns a document (.docx, .html, ...) into one PNG per page, to look at the layout.

`python scripts/render_pages.py copbot-demo-output/cop-....docx [--out DIR] [--dpi 60]`

It uses LibreOffice (`soffice --headless --convert-to pdf`) and poppler's `pdftoppm`,
which the bot itself never needs: this is a tool for developers who want to see what a
school board will see when it opens the Word file. Where either program is missing it
says so and exits with status 2.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document", type=Path, help="the .docx (or .html, .odt) to render")
    parser.add_argument("--out", type=Path, help="folder for the PNGs (default: beside it)")
    parser.add_argument("--dpi", type=int, default=60, help="resolution of the pages")
    args = parser.parse_args(argv)

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        missing = "LibreOffice (soffice)" if soffice is None else "poppler (pdftoppm)"
        print(
            f"render_pages: {missing} is not installed; install it (e.g. "
            "`apt-get install libreoffice-writer poppler-utils`) to render pages.",
            file=sys.stderr,
        )
        return 2
    document: Path = args.document
    if not document.is_file():
        print(f"render_pages: no such file: {document}", file=sys.stderr)
        return 2
    out: Path = args.out or document.with_suffix("").with_name(document.stem + "-pages")
    out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="render-pages-") as work:
        # A private profile: a running LibreOffice of the user would otherwise take the job.
        profile = Path(work, "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(document),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = Path(work, document.stem + ".pdf")
        if not pdf.is_file():
            print("render_pages: LibreOffice made no PDF", file=sys.stderr)
            return 1
        for old in out.glob("page-*.png"):
            old.unlink()
        subprocess.run(
            [pdftoppm, "-png", "-r", str(args.dpi), str(pdf), str(out / "page")],
            check=True,
            timeout=300,
        )
    pages = sorted(out.glob("page-*.png"))
    print(f"{len(pages)} pages in {out}")
    for page in pages:
        print(f"  {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
