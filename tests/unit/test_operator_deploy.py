"""The systemd unit's hardening (issue 19): the cheap lines are there, and where
`systemd-analyze` is installed its exposure score stays low (it was 4.5)."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
HARDENING = {
    "SystemCallFilter": "@system-service",
    "SystemCallArchitectures": "native",
    "ProtectClock": "yes",
    "ProtectKernelLogs": "yes",
    "ProtectHostname": "yes",
    "RestrictNamespaces": "yes",
    "RestrictRealtime": "yes",
    "MemoryDenyWriteExecute": "yes",
}


def test_the_unit_has_the_cheap_hardening_lines() -> None:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "copbot.service", encoding="utf-8")
    service = parser["Service"]
    assert {key: service.get(key) for key in HARDENING} == HARDENING


def test_systemd_rates_the_unit_well_exposed_at_most_2(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here")
    unit = tmp_path / "copbot.service"
    shutil.copy(DEPLOY / "copbot.service", unit)
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    found = re.search(r"Overall exposure level for copbot.service: ([0-9.]+)", result.stdout)
    if found is None:
        pytest.skip(f"this systemd-analyze cannot rate a unit offline: {result.stderr[-200:]}")
    assert float(found.group(1)) <= 2.0, result.stdout
