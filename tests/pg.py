"""A throwaway PostgreSQL server for tests and benchmarks: started in a temporary directory, gone after.

    server = PostgresServer.start()          # initdb + postgres on 127.0.0.1:<free port>
    url = server.create_database()           # postgresql+psycopg://newsintel@127.0.0.1:PORT/newsintel_1
    ...
    server.stop()                            # also run at interpreter exit, whatever happens

    python -m tests.pg                       # start one by hand, print its URL, stop on Ctrl-C

The binaries are found through `NEWSINTEL_PG_BINDIR`, `pg_config --bindir`, /usr/lib/postgresql/*/bin
(newest first) or the PATH; `make postgres` installs them from Debian packages. PostgreSQL refuses to run
as root, so when we are root the server runs as the `postgres` system user (created by the Debian package)
or, failing that, `nobody`, in a temporary directory that user owns. Authentication is `trust` and the
server listens on 127.0.0.1 only, on a port that was free a moment before: a cluster for one test session.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import LiteralString

SUPERUSER = "newsintel"
REQUIRE_ENV = "NEWSINTEL_REQUIRE_PG"  # set (make test does): absent binaries fail the tests, not skip them
BINDIR_ENV = "NEWSINTEL_PG_BINDIR"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def required() -> bool:
    """Whether the environment demands PostgreSQL tests run (rather than skip when it is missing)."""
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0", "false", "no")


def _has_server(bindir: Path) -> bool:
    return all((bindir / name).is_file() and os.access(bindir / name, os.X_OK) for name in ("initdb", "pg_ctl"))


def find_bindir() -> Path:
    """The directory with initdb, pg_ctl and postgres; PostgresUnavailable when there is none."""
    candidates: list[Path] = []
    if os.environ.get(BINDIR_ENV):
        candidates.append(Path(os.environ[BINDIR_ENV]))
    if shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout
            candidates.append(Path(out.strip()))
    versioned = glob.glob("/usr/lib/postgresql/*/bin")
    versioned.sort(key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parent.name.split(".")], reverse=True)
    candidates += [Path(p) for p in versioned]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for bindir in candidates:
        if _has_server(bindir):
            return bindir
    raise PostgresUnavailable("PostgreSQL server binaries (initdb, pg_ctl) not found: run `make postgres` "
                              "(Debian package `postgresql`) or set NEWSINTEL_PG_BINDIR")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> str | None:
    """The unprivileged user to run the server as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise PostgresUnavailable("running as root and there is no `postgres` or `nobody` user to run PostgreSQL as")


@dataclass
class PostgresServer:
    """A running throwaway cluster. `start()` makes one; `stop()` (idempotent) removes it."""

    bindir: Path
    root: Path  # the temporary directory: data/, the socket and the log
    port: int
    user: str | None  # the OS user the server runs as (None: this process's user)
    settings: dict[str, str] = field(default_factory=dict)
    owner_pid: int = field(default_factory=os.getpid)  # only the starting process stops it
    stopped: bool = False
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    # -- lifecycle -------------------------------------------------------------------------------

    @classmethod
    def start(cls, bindir: Path | None = None, timeout: float = 60.0,
              settings: dict[str, str] | None = None) -> PostgresServer:
        """initdb and start; `settings` are extra server settings ({"shared_buffers": "1GB"})."""
        bindir = bindir or find_bindir()
        user = _run_as()
        base = "/tmp" if user and os.path.isdir("/tmp") else None  # a place the server user can reach
        root = Path(tempfile.mkdtemp(prefix="newsintel-pg-", dir=base))
        if user:
            entry = pwd.getpwnam(user)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        server = cls(bindir=bindir, root=root, port=0, user=user, settings=dict(settings or {}))
        atexit.register(server.stop)
        try:
            server._cmd(["initdb", "-D", str(server.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
                         "--locale=C", "--no-sync"], timeout=timeout)
            server._launch(timeout)
        except BaseException:
            server.stop()
            raise
        return server

    def _launch(self, timeout: float, attempts: int = 5) -> None:
        """pg_ctl start on a free port; another process may take the port in between, so retry."""
        options = ("-c listen_addresses=127.0.0.1 -c unix_socket_directories={root} -p {port} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        options += "".join(f" -c {key}={value}" for key, value in self.settings.items())
        for attempt in range(attempts):
            self.port = _free_port()
            result = self._cmd(["pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(int(timeout)),
                                "-o", options.format(root=self.root, port=self.port), "start"],
                               timeout=timeout + 10, check=False)
            if result.returncode == 0:
                return
            if attempt == attempts - 1 or "already in use" not in self.log_tail():
                raise RuntimeError(f"PostgreSQL did not start (pg_ctl exit {result.returncode}):\n"
                                   f"{result.stdout}{result.stderr}\n--- server log ---\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server and delete its directory. Safe to call twice, and from atexit."""
        if self.stopped or os.getpid() != self.owner_pid:
            return
        self.stopped = True
        if (self.data / "postmaster.pid").exists():
            result = self._cmd(["pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "30", "stop"],
                               timeout=40, check=False)
            if result.returncode != 0:
                self._kill()
        shutil.rmtree(self.root, ignore_errors=True)
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)

    def _kill(self) -> None:
        """Last resort: SIGKILL the postmaster named in postmaster.pid (the one we started)."""
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int((self.data / "postmaster.pid").read_text().splitlines()[0])
            os.kill(pid, signal.SIGKILL)

    def _cmd(self, argv: Sequence[str], timeout: float, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / argv[0]), *argv[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command] if shutil.which("runuser") else \
                ["su", "-s", "/bin/sh", self.user, "-c", shlex.join(command)]
        result = subprocess.run(command, cwd=self.root, capture_output=True, text=True, timeout=timeout,
                                stdin=subprocess.DEVNULL)
        if check and result.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
        return result

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    # -- databases -------------------------------------------------------------------------------

    def create_database(self, name: str | None = None) -> str:
        """CREATE DATABASE (newsintel_<n> by default); its SQLAlchemy URL."""
        name = name or f"newsintel_{next(self._counter)}"
        self._admin("CREATE DATABASE {}", name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE, closing whatever connections a test left open."""
        self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)

    def _admin(self, statement: LiteralString, name: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(name)))


def main() -> int:
    server = PostgresServer.start()
    url = server.create_database("newsintel")
    print(url, flush=True)
    print(f"(data in {server.root}; Ctrl-C stops and removes it)", file=sys.stderr)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
