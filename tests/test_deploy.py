"""The deploy files say what they do: checked as text (this machine has no Docker engine)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_compose_reads_the_documented_env_file_and_has_no_default_password() -> None:
    compose = (ROOT / "deploy" / "compose.yaml").read_text()
    # 12.17: with -f deploy/compose.yaml the project folder is deploy/, so the root .env is only
    # read for ${...} with --env-file; a default password would hide that silently.
    assert "change-me" not in compose
    uses = re.findall(r"\$\{POSTGRES_PASSWORD([^}]*)\}", compose)
    assert uses and all(u.startswith(":?") for u in uses), uses
    lines = compose.splitlines() + (ROOT / "deploy" / "README.md").read_text().splitlines()
    commands = [line for line in lines if "docker compose" in line and "-f deploy/compose.yaml" in line]
    assert commands and all("--env-file .env" in line for line in commands), commands
    assert "POSTGRES_PASSWORD" in (ROOT / ".env.example").read_text()


def test_the_systemd_unit_gives_matplotlib_a_writable_cache() -> None:
    unit = (ROOT / "deploy" / "b12bot.service").read_text()
    [cache] = re.findall(r"^Environment=MPLCONFIGDIR=(\S+)$", unit, re.M)  # 12.18
    assert "ProtectSystem=strict" in unit
    [name] = re.findall(r"^CacheDirectory=(\S+)$", unit, re.M)
    assert cache.startswith(f"/var/cache/{name}/")  # systemd creates it, writable by the service


def test_every_packaged_data_pattern_matches_a_file() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for package, patterns in project["tool"]["setuptools"]["package-data"].items():
        for pattern in patterns:  # 12.18: storage/alembic.ini was listed but does not exist
            assert list((ROOT / package).glob(pattern)), f"{package}/{pattern} matches nothing"
