"""Bad input is refused before anything is written, with an error that says what to do: an
unknown URL scheme, PostgreSQL without its driver, an unreachable server, a read-only file, a
read-only PostgreSQL database or role, a missing folder, bad arguments."""

from __future__ import annotations

import datetime as dt
import os
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from scopix import InvalidParameterError, InvalidParameterTypeError, SyncScopix
from scopix.usage_db import (
    DatabaseUnavailableError,
    DatabaseURLError,
    DriverMissingError,
    sync_usage,
)
from scopix_sandbox.server import Sandbox
from tests.usage_db.conftest import table_rows
from tests.usage_db.postgres_server import PostgresServer


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (
            "mysql://db/usage",
            "scheme 'mysql' is not supported; use one of sqlite://, postgresql://",
        ),
        ("usage.db", "has no scheme; use sqlite:///PATH"),
        ("sqlite://", "names no file"),
        ("sqlite:///:memory:", "names no file"),
        ("postgresql://db:notaport/usage", "bad port"),
    ],
)
def test_a_url_it_cannot_use_is_refused_naming_the_forms(
    client: SyncScopix, in_tmp: Path, url: str, says: str
) -> None:
    with pytest.raises(DatabaseURLError) as caught:
        sync_usage(client, url)
    assert says in str(caught.value)
    assert list(in_tmp.iterdir()) == []  # nothing written


def test_a_password_in_the_url_is_never_shown(client: SyncScopix) -> None:
    with pytest.raises(DatabaseUnavailableError) as caught:
        sync_usage(client, f"postgresql://sync:hunter2@127.0.0.1:{closed_port()}/usage")
    assert "hunter2" not in str(caught.value)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # closed again: nothing listens there


def test_an_unreachable_server_is_named_with_the_cause(client: SyncScopix) -> None:
    port = closed_port()
    with pytest.raises(DatabaseUnavailableError) as caught:
        sync_usage(client, f"postgresql://sync@127.0.0.1:{port}/usage")
    message = str(caught.value)
    assert f"cannot connect to PostgreSQL at 127.0.0.1:{port}" in message
    assert "refused" in message


def test_postgresql_without_the_driver_names_the_extra(live_sandbox: Sandbox) -> None:
    code = (
        "import sys; sys.modules['psycopg'] = None  # as if not installed\n"
        "from scopix import SyncScopix\n"
        "from scopix.usage_db import DriverMissingError, sync_usage\n"
        f"c = SyncScopix(api_key={live_sandbox.api_key!r}, base_url={live_sandbox.base_url!r})\n"
        "try:\n"
        "    sync_usage(c, 'postgresql://sync@127.0.0.1/usage')\n"
        "except DriverMissingError as exc:\n"
        "    print(type(exc).__mro__[2].__name__, exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == (
        "ImportError syncing into PostgreSQL needs the psycopg driver: "
        "pip install 'scopix[postgres]'"
    )
    assert DriverMissingError.__mro__[2] is ImportError


def test_a_missing_folder_is_named(client: SyncScopix, tmp_path: Path) -> None:
    where = tmp_path / "no" / "such"
    with pytest.raises(DatabaseUnavailableError, match=f"folder {where} does not exist"):
        sync_usage(client, f"sqlite:///{where / 'usage.db'}")
    assert not (tmp_path / "no").exists()


def test_a_read_only_file_is_refused_and_left_as_it_was(live_sandbox: Sandbox) -> None:
    """As a user who may not write the file: root may write anything, so root's child runs
    without the capability that lets it (setpriv drops CAP_DAC_OVERRIDE)."""
    folder = Path(tempfile.mkdtemp(prefix="scopix-ro-"))
    try:
        folder.chmod(0o755)
        db = folder / "usage.db"
        with SyncScopix(
            api_key=live_sandbox.api_key, base_url=live_sandbox.base_url, pacing=False
        ) as c:
            sync_usage(c, f"sqlite:///{db}", kinds="files")
        db.chmod(0o444)
        before = (db.read_bytes(), sorted(p.name for p in folder.iterdir()))
        unprivileged = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
        prefix = unprivileged if os.geteuid() == 0 else []
        key, base = live_sandbox.api_key, live_sandbox.base_url
        code = (
            "from scopix import SyncScopix\n"
            "from scopix.usage_db import DatabaseUnavailableError, sync_usage\n"
            f"c = SyncScopix(api_key={key!r}, base_url={base!r})\n"
            "try:\n"
            f"    sync_usage(c, 'sqlite:///{db}')\n"
            "except DatabaseUnavailableError as exc:\n"
            "    print(exc)\n"
        )
        done = subprocess.run(
            [*prefix, sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            cwd=folder,
        )
        assert done.stdout.strip() == f"cannot write {db}: the file is read-only"
        assert (db.read_bytes(), sorted(p.name for p in folder.iterdir())) == before
    finally:
        for path in folder.iterdir():
            path.chmod(stat.S_IWUSR | stat.S_IRUSR)
            path.unlink()
        folder.rmdir()


@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"kinds": "bogus"}, InvalidParameterError, "`kinds` must be 'all' or some of 'events'"),
        ({"kinds": []}, InvalidParameterError, "`kinds` must be 'all' or some of"),
        ({"lag": -5}, InvalidParameterError, "`lag` must be >= 0"),
        ({"lag": "1h"}, InvalidParameterTypeError, "`lag` must be a timedelta or seconds"),
        (
            {"since": dt.datetime(2026, 1, 1)},
            InvalidParameterError,
            "`since` must be timezone-aware",
        ),
        ({"since": "2026-01-01"}, InvalidParameterTypeError, "`since` must be a date or an aware"),
        ({"since": dt.date(2999, 1, 1)}, InvalidParameterError, "is in the future"),
        ({"page_size": 500}, InvalidParameterError, "`page_size` must be 1 to 100, got 500"),
        ({"page_size": 2.5}, InvalidParameterTypeError, "`page_size` must be an int"),
    ],
)
def test_bad_arguments_name_the_parameter_and_write_nothing(
    client: SyncScopix, in_tmp: Path, kwargs: dict[str, object], error: type[Exception], says: str
) -> None:
    with pytest.raises(error) as caught:
        sync_usage(client, "sqlite:///usage.db", **kwargs)  # type: ignore[arg-type]
    assert says in str(caught.value)
    leftovers = [p.name for p in in_tmp.iterdir()]
    assert leftovers == []


def test_a_read_only_postgresql_database_is_refused_before_any_request(
    client: SyncScopix, live_sandbox: Sandbox, postgres_server: PostgresServer
) -> None:
    url = postgres_server.create_database()
    sync_usage(client, url, kinds="files")
    before = table_rows(url, "files")
    with psycopg.connect(postgres_server.url(), autocommit=True) as admin:
        admin.execute(
            f"ALTER DATABASE {url.rsplit('/', 1)[1]} SET default_transaction_read_only = on"
        )
    live_sandbox.reset()
    with pytest.raises(DatabaseUnavailableError) as caught:
        sync_usage(client, url)
    assert str(caught.value) == (
        f"cannot write {url}: the database is read-only (a standby server, or "
        "default_transaction_read_only is on)"
    )
    assert live_sandbox.stats()["requests"] == 0
    assert table_rows(url, "files") == before


def test_a_role_that_may_only_read_is_refused_naming_it(
    client: SyncScopix, live_sandbox: Sandbox, postgres_server: PostgresServer
) -> None:
    url = postgres_server.create_database()
    sync_usage(client, url, kinds="files")
    role = f"reader_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as owner:
        owner.execute(f"CREATE ROLE {role} LOGIN")
        owner.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    live_sandbox.reset()
    with pytest.raises(DatabaseUnavailableError) as caught:
        sync_usage(client, url.replace("//scopix@", f"//{role}@"))
    assert f"role {role} may not insert into or update usage_events, " in str(caught.value)
    assert live_sandbox.stats()["requests"] == 0
