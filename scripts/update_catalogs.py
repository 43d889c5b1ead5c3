"""Re-extracts the messages and updates the Dutch and English catalogs.

Run after changing texts: `python scripts/update_catalogs.py`. English msgids are
the English texts, so the English catalog is filled with them; Dutch entries that
are new are left empty for a translator (and the catalog test fails until then).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "bot" / "locales"
POT = LOCALES / "copbot.pot"


def main() -> int:
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run(
        [
            *pybabel,
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "Np_:1,2",
            "-k",
            "Nc_:1c,2",
            "--no-location",
            "--sort-output",
            "--project=copbot",
            "-o",
            str(POT),
            "bot",
            "handlers",
        ],
        cwd=ROOT,
        check=True,
    )
    for language in ("nl", "en"):
        po = LOCALES / language / "LC_MESSAGES" / "copbot.po"
        command = "update" if po.exists() else "init"
        subprocess.run(
            [
                *pybabel,
                command,
                "-i",
                str(POT),
                "-d",
                str(LOCALES),
                "-D",
                "copbot",
                "-l",
                language,
                *(["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []),
            ],
            cwd=ROOT,
            check=True,
        )
    _fill_english(LOCALES / "en" / "LC_MESSAGES" / "copbot.po")
    return 0


def _fill_english(path: Path) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = tuple(message.id)
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)


if __name__ == "__main__":
    raise SystemExit(main())
