"""The deploy files say what they do: checked as text (this machine has no Docker engine)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

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


def test_without_postgresql_the_tests_skip_on_a_laptop_and_fail_in_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests import pg

    monkeypatch.delenv(pg.REQUIRE_POSTGRES, raising=False)
    with pytest.raises(pytest.skip.Exception):
        pg.skip_or_fail("PostgreSQL not reachable")
    monkeypatch.setenv(pg.REQUIRE_POSTGRES, "1")  # 12.19: what .ci/run sets
    with pytest.raises(pytest.fail.Exception, match="is an error"):
        pg.skip_or_fail("PostgreSQL not reachable")
    assert f"export {pg.REQUIRE_POSTGRES}=1" in (ROOT / ".ci" / "run").read_text()


def test_the_suite_writes_nothing_into_the_checkout(tmp_path: Path) -> None:
    """12.21: a copy of the project runs (as the README says: python -B -m pytest) a hypothesis
    test and a test that starts the bot as a process; afterwards the copy holds no new file (no
    .hypothesis/, no __pycache__ from the bot processes, no .pytest_cache)."""
    copy = tmp_path / "checkout"
    for part in ("bot", "storage", "tests", "pyproject.toml", "alembic.ini"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / part)
    before = {p.relative_to(copy) for p in copy.rglob("*")}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run(
        [sys.executable, "-B", "-m", "pytest", "-q", "tests/test_triage_properties.py",
         "tests/test_check.py::test_a_bot_that_cannot_reach_telegram_says_one_clear_line"],
        cwd=copy, env={**env, "PYTHONPATH": str(copy)}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:]
    added = {p.relative_to(copy) for p in copy.rglob("*")} - before
    assert added == set(), sorted(map(str, added))[:10]
