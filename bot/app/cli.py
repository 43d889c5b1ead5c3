"""The `copbot` command: run the bot, play the offline demo, migrate the database."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from pydantic import ValidationError

from bot.app.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

T = TypeVar("T")

# Plain help (rich_markup_mode=None): the rich layout printed "--version <bool>" for flags.
app = typer.Typer(
    help="copbot: a Telegram bot for teachers' Communities of Practice.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(
    help="The database's schema: see its revision, upgrade it, go back, or (contributors) add "
    "a migration.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(db_app, name="db")


def _version() -> str:
    try:
        return version("copbot")
    except PackageNotFoundError:
        return "0+unknown"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"copbot {_version()}")
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """copbot: a Telegram bot for teachers' Communities of Practice."""


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"COPBOT_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        typer.echo(f"copbot: invalid configuration: {problems}", err=True)
        raise typer.Exit(2) from None


def _secret(settings: Settings) -> str:
    return settings.webhook_secret.get_secret_value().strip() if settings.webhook_secret else ""


def _configure_logging(level: str, fmt: str = "text") -> None:
    from bot.app.logs import configure_logging

    configure_logging(level, fmt)


@app.command()
def run(
    webhook: Annotated[
        bool, typer.Option("--webhook", help="Serve Telegram webhooks (or set COPBOT_WEBHOOK_URL).")
    ] = False,
) -> None:
    """Run the bot against Telegram: long polling, or webhooks behind a reverse proxy."""
    settings = _settings()
    if settings.token is None or not settings.token.get_secret_value().strip():
        typer.echo(
            "copbot: COPBOT_TOKEN is not set. Create a bot with @BotFather and run "
            "COPBOT_TOKEN=<token> copbot run (or try `copbot demo`, which needs no token).",
            err=True,
        )
        raise typer.Exit(2)
    use_webhook = webhook or bool(settings.webhook_url)
    if use_webhook and not settings.webhook_url:
        typer.echo(
            "copbot: webhook mode needs COPBOT_WEBHOOK_URL (the public https URL).", err=True
        )
        raise typer.Exit(2)
    if use_webhook and not _secret(settings):
        # Without a secret anyone who finds the URL can post updates as any user id.
        typer.echo(
            "copbot: webhook mode needs COPBOT_WEBHOOK_SECRET (1-256 characters A-Z, a-z, "
            "0-9, _ and -), so that only Telegram can post updates; for example: "
            "COPBOT_WEBHOOK_SECRET=$(openssl rand -hex 32)",
            err=True,
        )
        raise typer.Exit(2)
    from bot.app.checks import known_defaults

    defaults = known_defaults(settings)
    if defaults:
        typer.echo(
            f"copbot: {', '.join(defaults)} still has the example's default value, which anyone "
            "can guess: refusing to start. Choose a new one (e.g. openssl rand -hex 24) and "
            "run `copbot check`.",
            err=True,
        )
        raise typer.Exit(2)
    _configure_logging(settings.log_level, settings.log_format)
    from bot.app.runner import run as run_bot

    code = asyncio.run(run_bot(settings, webhook=use_webhook))
    if code:
        raise typer.Exit(code)


@app.command()
def check(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object (for monitoring).")
    ] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="Check the token's format only; ask no server.")
    ] = False,
) -> None:
    """Check the settings, the database and the token before a start (changes nothing).

    One line per check, with the fix for what is wrong; exits 1 if anything must be fixed.
    """
    import json

    settings = _settings()
    from bot.app.checks import run_checks

    checks = asyncio.run(run_checks(settings, offline=offline))
    ok = not any(c.failed for c in checks)
    if as_json:
        typer.echo(json.dumps({"ok": ok, "checks": [c.as_dict() for c in checks]}, indent=2))
    else:
        for c in checks:
            typer.echo(c.line())
    if not ok:
        raise typer.Exit(1)


def _existing_database(settings: Settings) -> Settings:
    """The settings, once their SQLite file is known to exist: a data-subject command in
    the wrong folder must say so, not create an empty database and report "nothing"."""
    from bot.app.checks import sqlite_file

    path = sqlite_file(settings.database_url)
    if path is not None and not path.is_file():
        typer.echo(
            f"no database at {path.resolve()}: run this where copbot runs, or set "
            "COPBOT_DATABASE_URL",
            err=True,
        )
        raise typer.Exit(2)
    return settings


@app.command("export-user")
def export_user(
    telegram_id: Annotated[int, typer.Option(help="The person's Telegram user id.")],
    output: Annotated[
        Path | None,
        typer.Option(help="File to write the JSON to, readable by you only (default: print it)."),
    ] = None,
) -> None:
    """Everything copbot holds about one person, as JSON (a data-subject request)."""
    import json

    from bot.app.checks import with_unit
    from bot.app.subject import export_user as export

    settings = _existing_database(_settings())
    data = asyncio.run(with_unit(settings, lambda unit: export(unit, telegram_id)))
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    if output is None:
        typer.echo(text)
        return
    # Personal data: the file is created for its owner only, before anything is written.
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    typer.echo(f"wrote {output}")


@app.command("erase-user")
def erase_user(
    telegram_id: Annotated[int, typer.Option(help="The person's Telegram user id.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase one person from every CoP, as /leave does (a data-subject request)."""
    from bot.app.checks import with_unit
    from bot.app.subject import erase_user as erase

    if not yes and not typer.confirm(f"Erase Telegram user {telegram_id} from every CoP?"):
        raise typer.Exit(1)
    settings = _existing_database(_settings())
    reports = asyncio.run(with_unit(settings, lambda unit: erase(unit, telegram_id)))
    if not reports:
        typer.echo(f"nothing stored about Telegram user {telegram_id} in any CoP")
        return
    names = ", ".join(sorted(str(report["community_name"]) for report in reports))
    typer.echo(f"erased from {len(reports)} CoP(s): {names}")


@app.command()
def demo(
    database: Annotated[
        Path | None,
        typer.Option(help="SQLite file to keep the demo's data in (default: a temporary one)."),
    ] = None,
    output: Annotated[Path, typer.Option(help="Folder for the documents the demo makes.")] = Path(
        "copbot-demo-output"
    ),
    language: Annotated[
        str, typer.Option(help="The CoP's language, and the teachers': nl (Dutch) or en.")
    ] = "nl",
) -> None:
    """Play a whole CoP cycle of five meetings against the offline Telegram sandbox and print
    the chat (no token needed)."""
    from bot.app.demo import LANGUAGES, run_demo

    if language not in LANGUAGES:
        raise typer.BadParameter(f"choose one of: {', '.join(LANGUAGES)}", param_hint="--language")
    transcript = asyncio.run(run_demo(database, output, language))
    typer.echo(transcript)


@app.command()
def export(
    community: Annotated[str, typer.Option(help="The CoP: its id, its Telegram chat id, or name.")],
    format: Annotated[str, typer.Option("--format", help="docx, html or md")] = "docx",
    team: Annotated[
        bool, typer.Option("--team", help="The team version (only what is shareable).")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="File to write (default: collection-ID.FORMAT here)."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", hidden=True)] = None,  # the old name
) -> None:
    """Write a CoP's collection document to a file, without Telegram (as /document does)."""
    if format not in ("docx", "html", "md"):
        typer.echo("copbot: --format must be docx, html or md", err=True)
        raise typer.Exit(2)
    settings = _settings()
    from bot.app.export import export_document

    try:
        path = asyncio.run(
            export_document(settings, community, format, team=team, out=output or out)
        )
    except LookupError as exc:
        typer.echo(f"copbot: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {path}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all database migrations (also done at every `copbot run`; twice is harmless)."""
    settings = _settings()
    from storage.db import create_engine
    from storage.migrate import current_revision, upgrade

    async def _go() -> str | None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    try:
        revision = asyncio.run(_go())
    except (OSError, ValueError) as exc:
        typer.echo(f"copbot: cannot reach the database: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"database at revision {revision}")


def _engine_run(work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    """Runs ``work`` on an engine for the configured database, one line if it is out of reach."""
    settings = _settings()
    from storage.db import create_engine

    async def _go() -> T:
        engine = create_engine(settings.database_url)
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(_go())
    except (OSError, ValueError) as exc:
        typer.echo(f"copbot: cannot reach the database: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None


def _no_database_file() -> bool:
    """A SQLite file that is not there yet: reading its revision would create it."""
    from bot.app.checks import sqlite_file

    path = sqlite_file(_settings().database_url)
    return path is not None and not path.is_file()


@db_app.command("current")
def db_current() -> None:
    """Print the database's revision and this copbot's newest (changes nothing)."""
    from storage.migrate import HEAD, current_revision

    revision = None if _no_database_file() else _engine_run(current_revision)
    if revision is None:
        typer.echo(f"database has no schema yet (this copbot's newest: {HEAD}): copbot db upgrade")
        raise typer.Exit(1)
    note = "up to date" if revision == HEAD else f"this copbot's newest: {HEAD}"
    typer.echo(f"database at revision {revision} ({note})")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="The revision to go back to, e.g. 0010.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Go back to an older revision, e.g. before running an older copbot (asks first).

    What the later migrations added is deleted: make a backup first."""
    from storage.migrate import current_revision, downgrade, known_revisions

    if revision not in known_revisions():
        typer.echo(f"copbot: no revision {revision!r}; see copbot db current", err=True)
        raise typer.Exit(2)
    if _no_database_file():
        typer.echo("copbot: the database has no schema: nothing to go back from", err=True)
        raise typer.Exit(1)
    if not yes and not typer.confirm(
        f"Go back to revision {revision}? What later migrations added is deleted "
        "(make a backup first)."
    ):
        raise typer.Exit(1)

    async def _go(engine: AsyncEngine) -> str | None:
        await downgrade(engine, revision)
        return await current_revision(engine)

    typer.echo(f"database at revision {_engine_run(_go)}")


@db_app.command("revision")
def db_revision(
    message: Annotated[
        str, typer.Option("--message", "-m", help="What the migration does, in a few words.")
    ],
) -> None:
    """Contributors: add an empty migration after the newest, in storage/migrations/versions."""
    from storage.migrate import new_revision

    path = new_revision(message)
    typer.echo(f"wrote {path}: fill in upgrade() and downgrade(), then set storage.migrate.HEAD")
