"""Refreshes constraints.txt: the exact versions CI and the container image install.

Run on purpose (say why in the commit): `python scripts/refresh_constraints.py`. It
makes a fresh virtual environment, installs copbot with its test extras at the newest
versions pyproject.toml allows, and writes what that environment holds.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = (
    "# Exact versions that CI and the image install (pip install -c constraints.txt ...).\n"
    "# Refreshed on purpose, never by accident: python scripts/refresh_constraints.py\n"
)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        venv.create(folder, with_pip=True)
        python = str(Path(folder) / "bin" / "python")
        subprocess.run([python, "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"], check=True)
        frozen = subprocess.run(
            [python, "-m", "pip", "freeze", "--exclude-editable"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    pins = [line for line in frozen.splitlines() if line and not line.startswith("copbot")]
    (ROOT / "constraints.txt").write_text(HEADER + "\n".join(pins) + "\n")
    print(f"constraints.txt: {len(pins)} pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
