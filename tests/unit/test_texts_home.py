"""Every sentence the bot says lives under `bot/texts/`: a change to wording lands there.

Outside `bot/texts/`, no code marks or translates a literal (`N_`, `Np_`, `_`,
`gettext`, `ngettext`), and domain errors are raised with a code (`"not_member"`),
never with a sentence. The scan reads the source, so a new module cannot slip past.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot import errors

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("bot", "handlers", "storage")
TEXTS = ROOT / "bot" / "texts"
# The sandbox fakes Telegram (its own error strings are Telegram's, in English).
EXEMPT = (ROOT / "bot" / "sandbox", ROOT / "bot" / "i18n.py")
TRANSLATING = {"N_", "Np_", "_", "gettext", "ngettext", "pgettext"}
ERROR_CLASSES = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, errors.CopError)
}
CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def _sources() -> list[Path]:
    files = [p for top in SCANNED for p in (ROOT / top).rglob("*.py")]
    return [
        p
        for p in files
        if TEXTS not in p.parents and not any(p == e or e in p.parents for e in EXEMPT)
    ]


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        first = node.args[0]
        literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
        name = _name(node.func)
        where = f"{path.relative_to(ROOT)}:{node.lineno}"
        if name in TRANSLATING and (literal or isinstance(first, ast.JoinedStr)):
            found.append(f"{where}: {name}(...) with a literal")
        elif name in ERROR_CLASSES and literal and not CODE.match(first.value):  # type: ignore[union-attr]
            found.append(f"{where}: {name}({first.value!r}) raises a sentence, not a code")  # type: ignore[union-attr]
        elif name in ERROR_CLASSES and isinstance(first, ast.Call) and _name(first.func) == "N_":
            found.append(f"{where}: {name}(N_(...)) raises a sentence, not a code")
    return found


def test_user_facing_sentences_live_only_in_bot_texts() -> None:
    offences = [o for path in _sources() for o in _offences(path)]
    assert offences == [], "\n".join(offences)


def test_every_error_code_raised_has_a_text() -> None:
    """A code without a sentence would reach the user as `some_code`."""
    from bot.texts.common import all_errors

    known = all_errors()
    missing = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and _name(node.func) in ERROR_CLASSES
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and CODE.match(node.args[0].value)
                and node.args[0].value not in known
            ):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.args[0].value}")
    assert missing == [], "\n".join(missing)
