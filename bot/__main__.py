"""`python -m bot` is the same as the `copbot` command."""

from bot.app.cli import app

app(prog_name="copbot")
