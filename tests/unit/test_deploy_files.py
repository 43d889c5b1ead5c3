"""The deployment files in deploy/ are well-formed and agree with the application.

No Docker engine or systemd here: the files are parsed, not run.
"""

from __future__ import annotations

import configparser
import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.app.cli import app
from bot.app.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"

# Commands an operator needs; the README must explain each one that the CLI has.
OPERATOR_COMMANDS = ["run", "check", "db upgrade", "export", "export-user", "erase-user"]
# The README must explain these whatever the CLI has at the moment.
REQUIRED_IN_README = ["run", "check", "db upgrade"]
# Settings being added: env.example documents them already.
NEW_SETTINGS = [
    "COPBOT_WEBHOOK_URL",
    "COPBOT_WEBHOOK_SECRET",
    "COPBOT_PORT",
    "COPBOT_RETENTION_DAYS",
]


# ---------------------------------------------------------------- compose.yaml


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def _test_command(healthcheck: dict) -> str:
    test = healthcheck["test"]
    return " ".join(test) if isinstance(test, list) else test


def test_compose_has_copbot_and_db(compose: dict) -> None:
    assert {"copbot", "db"} <= set(compose["services"])
    assert "pgdata" in compose["volumes"]


def test_compose_builds_copbot_from_the_repository(compose: dict) -> None:
    copbot = compose["services"]["copbot"]
    assert copbot["build"]["context"] == ".."
    assert copbot["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (DEPLOY.parent / copbot["build"]["dockerfile"]).is_file()


def test_compose_copbot_service(compose: dict) -> None:
    copbot = compose["services"]["copbot"]
    env_file = copbot["env_file"]
    assert ".env" in ([env_file] if isinstance(env_file, str) else env_file)
    url = copbot["environment"]["COPBOT_DATABASE_URL"]
    assert url.startswith("postgresql+asyncpg://") and "@db:5432/" in url
    assert copbot["depends_on"]["db"]["condition"] == "service_healthy"
    assert copbot["restart"] == "unless-stopped"
    assert "/healthz" in _test_command(copbot["healthcheck"])
    assert "ports" not in copbot, "polling mode needs no published port"


def test_compose_db_service(compose: dict) -> None:
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:")
    assert any(volume.startswith("pgdata:") for volume in db["volumes"])
    assert "pg_isready" in _test_command(db["healthcheck"])
    assert db["restart"] == "unless-stopped"
    assert {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"} <= set(db["environment"])


# ------------------------------------------------------------------ Dockerfile


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, arguments = line.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    assert not pending, "Dockerfile ends in a continuation line"
    return instructions


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for keyword, arguments in _dockerfile_instructions():
        if keyword == "FROM":
            stages.append([])
        assert stages, "instruction before the first FROM"
        stages[-1].append((keyword, arguments))
    return stages


def test_dockerfile_is_multi_stage() -> None:
    stages = _stages()
    assert len(stages) >= 2
    for stage in stages:
        assert re.fullmatch(r"python:3\.11-slim\S* AS \w+", stage[0][1], re.IGNORECASE)


def test_dockerfile_build_stage_compiles_translations_and_builds_wheels() -> None:
    build = " ".join(arguments for keyword, arguments in _stages()[0] if keyword == "RUN")
    assert "pybabel compile -d bot/locales -D copbot" in build
    assert build.index("pybabel compile") < build.index("pip wheel --no-deps")


def test_dockerfile_runtime_stage() -> None:
    runtime = _stages()[-1]
    keywords = [keyword for keyword, _ in runtime]
    users = [arguments for keyword, arguments in runtime if keyword == "USER"]
    assert users, "the runtime stage must drop root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert "HEALTHCHECK" in keywords
    healthcheck = next(arguments for keyword, arguments in runtime if keyword == "HEALTHCHECK")
    assert "/healthz" in healthcheck
    exposed = " ".join(arguments for keyword, arguments in runtime if keyword == "EXPOSE")
    assert "8080" in exposed.split()
    cmd = [arguments for keyword, arguments in runtime if keyword == "CMD"][-1]
    assert json.loads(cmd) == ["copbot", "run"]
    assert ("WORKDIR", "/data") in runtime


# --------------------------------------------------------------- systemd unit


@pytest.fixture(scope="module")
def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "copbot.service", encoding="utf-8")
    return parser


def test_unit_sections(unit: configparser.ConfigParser) -> None:
    assert {"Unit", "Service", "Install"} <= set(unit.sections())
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_unit_service(unit: configparser.ConfigParser) -> None:
    service = unit["Service"]
    assert shlex.split(service["ExecStart"])[1:] == ["run"]
    assert shlex.split(service["ExecStart"])[0].endswith("/copbot")
    assert "copbot db upgrade" in service["ExecStartPre"]
    assert service["User"] not in {"root", "0"}
    assert service["Restart"] in {"on-failure", "always"}
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["WorkingDirectory"] in service["ReadWritePaths"].split()
    assert service["EnvironmentFile"].lstrip("-") == "/etc/copbot/copbot.env"


# ----------------------------------------------------------------- env.example


def _documented_variables() -> set[str]:
    text = (DEPLOY / "env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*(COPBOT_[A-Z0-9_]+)=", text, re.MULTILINE))


def test_env_example_documents_every_setting() -> None:
    prefix = Settings.model_config.get("env_prefix", "")
    settings = {f"{prefix}{name}".upper() for name in Settings.model_fields}
    missing = settings - _documented_variables()
    assert not missing, f"add to deploy/env.example: {sorted(missing)}"


def test_env_example_documents_the_new_settings() -> None:
    missing = set(NEW_SETTINGS) - _documented_variables()
    assert not missing, f"add to deploy/env.example: {sorted(missing)}"


def test_env_example_has_an_empty_token() -> None:
    text = (DEPLOY / "env.example").read_text(encoding="utf-8")
    assert re.search(r"^COPBOT_TOKEN=$", text, re.MULTILINE)


# ------------------------------------------------------------------ README.md


# A command's row in the Commands box of `--help` (rich: "│ run   Run …"; plain: "  run   Run …").
_COMMAND_ROW = re.compile(r"^(?:│ |  )([a-z][a-z0-9-]*)\s{2,}\S")


def _help_commands(*path: str) -> list[str]:
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = next((i for i, line in enumerate(lines) if "Commands" in line), None)
    if start is None:
        return []
    return [m.group(1) for line in lines[start + 1 :] if (m := _COMMAND_ROW.match(line))]


def _cli_commands() -> set[str]:
    """Every command and subcommand of `copbot --help`, as typed ("run", "db upgrade")."""
    found: set[str] = set()
    for name in _help_commands():
        found.add(name)
        found |= {f"{name} {sub}" for sub in _help_commands(name)}
    return found


def test_readme_explains_the_operator_commands() -> None:
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    commands = _cli_commands()
    assert {"run", "db upgrade"} <= commands
    wanted = sorted({c for c in OPERATOR_COMMANDS if c in commands} | set(REQUIRED_IN_README))
    missing = [c for c in wanted if not re.search(rf"copbot {re.escape(c)}(?![\w-])", readme)]
    assert not missing, f"explain in deploy/README.md: {missing}"


def test_readme_covers_every_part() -> None:
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for needle in [
        "compose.yaml",
        "copbot.service",
        "/healthz",
        "/readyz",
        "/metrics",
        "pg_dump -Fc",
        "pg_restore",
        ".backup",
        "COPBOT_WEBHOOK_URL",
        "COPBOT_WEBHOOK_SECRET",
        "COPBOT_RETENTION_DAYS",
        "advisory lock",
    ]:
        assert needle in readme, needle
    assert len(readme.splitlines()) <= 260
