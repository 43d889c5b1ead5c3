"""The `copbot` command: run the bot, play the offline demo, migrate the database."""

from __future__ import annotations

import asyncio
import logging
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from bot.app.settings import Settings

app = typer.Typer(
    help="copbot: a Telegram bot for teachers' Communities of Practice.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
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


def _configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    # Library loggers at DEBUG print whole updates and SQL parameters, i.e. what members
    # wrote: they never go below WARNING (the engine also hides parameters, storage.db).
    for name in ("httpx", "telegram", "apscheduler", "aiosqlite", "asyncpg", "sqlalchemy"):
        logging.getLogger(name).setLevel(max(logging.getLevelName(level), logging.WARNING))
    # Each 429 goes back to the reminder outbox and is counted in the metrics; the
    # limiter's own traceback per 429 would only flood the log.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)


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
    _configure_logging(settings.log_level)
    from bot.app.runner import run as run_bot

    code = asyncio.run(run_bot(settings, webhook=use_webhook))
    if code:
        raise typer.Exit(code)


@app.command()
def check() -> None:
    """Check configuration, database and token; one line each, exit 1 if any fails."""
    settings = _settings()
    from bot.app.checks import run_checks

    lines, ok = asyncio.run(run_checks(settings))
    for line in lines:
        typer.echo(line)
    if not ok:
        raise typer.Exit(1)


@app.command("export-user")
def export_user(
    telegram_id: Annotated[int, typer.Option(help="The person's Telegram user id.")],
) -> None:
    """Print everything copbot holds about one person, as JSON (a data-subject request)."""
    import json

    from bot.app.checks import with_unit
    from bot.app.subject import export_user as export

    data = asyncio.run(with_unit(_settings(), lambda unit: export(unit, telegram_id)))
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


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
    reports = asyncio.run(with_unit(_settings(), lambda unit: erase(unit, telegram_id)))
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
    output: Annotated[
        Path, typer.Option(help="Folder for the collection document the demo makes.")
    ] = Path("copbot-demo-output"),
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
    team: Annotated[bool, typer.Option(help="The team version (only what is shareable).")] = False,
    out: Annotated[
        Path | None, typer.Option(help="File to write (default: in this folder).")
    ] = None,
) -> None:
    """Write a CoP's collection document to a file, without Telegram."""
    if format not in ("docx", "html", "md"):
        typer.echo("copbot: --format must be docx, html or md", err=True)
        raise typer.Exit(2)
    settings = _settings()
    from bot.app.export import export_document

    try:
        path = asyncio.run(export_document(settings, community, format, team=team, out=out))
    except LookupError as exc:
        typer.echo(f"copbot: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {path}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all database migrations (also done on every `copbot run`)."""
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
