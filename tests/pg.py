"""The machine's PostgreSQL for tests: a fresh database per test, or a clear reason to skip.

A test that runs the bot gets a copy of a database migrated once per test process
(`CREATE DATABASE … TEMPLATE`): the bot's own upgrade on start then finds nothing to do, instead
of running every migration again for each test. Tests of migrations get an empty one."""

from __future__ import annotations

import atexit
import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy.engine import make_url

# Trust auth on 127.0.0.1; override with TEST_POSTGRES_URL (a database to connect to for
# creating and dropping the per-test databases).
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@functools.cache
def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used for tests, or None when it can."""
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} ({type(exc).__name__})"
    return None


# CI sets this: there, PostgreSQL being unreachable is a failure, not a reason to skip half the suite.
REQUIRE_POSTGRES = "B12BOT_REQUIRE_POSTGRES"


def skip_or_fail(reason: str) -> None:
    """Without PostgreSQL: skip (a laptop), or fail when B12BOT_REQUIRE_POSTGRES=1 (CI)."""
    if os.environ.get(REQUIRE_POSTGRES, "") not in {"", "0"}:
        pytest.fail(f"{reason}; {REQUIRE_POSTGRES} is set, so this is an error")
    pytest.skip(reason)


def _url(name: str) -> str:
    admin = make_url(POSTGRES_ADMIN_URL)
    return admin.set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)


def _drop(name: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@functools.cache
def _migrated_template() -> str:
    """A database at the newest schema, made once per test process, dropped when it ends."""
    from storage.migrate import upgrade

    name = f"b12tmpl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    atexit.register(_drop, name)
    upgrade(_url(name))  # its engine is disposed: nothing stays connected to the template
    return name


@contextmanager
def fresh_postgres_database(migrated: bool = False) -> Iterator[str]:
    """Create a database (`migrated`: a copy of one at the newest schema), yield its DATABASE_URL
    (asyncpg), drop it afterwards; skip (or, in CI, fail) if there is no server."""
    reason = postgres_unavailable()
    if reason:
        skip_or_fail(reason)
    name = f"b12test_{uuid.uuid4().hex[:12]}"
    template = f' TEMPLATE "{_migrated_template()}"' if migrated else ""
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{template}')
    try:
        yield _url(name)
    finally:
        _drop(name)
