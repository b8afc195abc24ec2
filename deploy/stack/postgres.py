"""A PostgreSQL primary and its streaming replica for the stack, from
Debian's packages: initdb, then pg_basebackup -R for the replica, both on
127.0.0.1 in the stack's folder. Throwaway clusters: trust authentication on
the loopback, and fsync off (the stack is for tests and benchmarks)."""

import os
import pwd
import shutil
import subprocess
from pathlib import Path

MIN_MAJOR = 15


def find_bindir() -> Path | None:
    """Debian keeps the server in /usr/lib/postgresql/NN/bin: the newest."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda path: (
            int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0
        ),
    )
    for postgres in reversed(found):
        name = postgres.parent.parent.name
        if name.isdigit() and int(name) >= MIN_MAJOR:
            return postgres.parent
    return None


def _owner() -> str | None:
    """initdb and pg_ctl refuse root: run them as postgres (Debian's package
    makes the user) or nobody."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
        return "postgres"
    except KeyError:
        return "nobody"


class Cluster:
    """One server: the primary (`init`) or a replica of it (`replicate`)."""

    def __init__(self, bindir: Path, directory: Path, port: int, name: str):
        self.bindir = bindir
        self.data = directory / name
        self.socket_dir = directory / f"{name}-socket"
        self.log = directory / f"{name}.log"
        self.port = port
        self.owner = _owner()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command, check=True, **options):
        prefix = []
        if self.owner:
            account = pwd.getpwnam(self.owner)
            prefix = ["setpriv", f"--reuid={account.pw_uid}"]
            prefix += [f"--regid={account.pw_gid}", "--init-groups", "--"]
        return subprocess.run(
            prefix + [str(self.bindir / command[0]), *command[1:]],
            check=check,
            capture_output=True,
            text=True,
            cwd=self.data.parent,
            **options,
        )

    def _give_to_owner(self, *paths):
        if self.owner:
            for path in paths:
                shutil.chown(path, self.owner, self.owner)

    def _settings(self, extra: str = "") -> None:
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# --- the stack (deploy/stack/postgres.py) ---\n"
                f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "max_connections = 200\nmax_wal_senders = 4\n"
                "hot_standby = on\nhot_standby_feedback = on\n" + extra
            )

    def init(self) -> None:
        self.socket_dir.mkdir()
        self.data.mkdir(mode=0o700)
        self._give_to_owner(self.socket_dir, self.data, self.data.parent)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "--auth=trust",
            "--username=postgres",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self._settings()

    def replicate(self, primary: "Cluster", extra: str = "") -> None:
        """A copy of `primary` that follows it (standby.signal and
        primary_conninfo written by pg_basebackup -R)."""
        self.socket_dir.mkdir()
        self._give_to_owner(self.socket_dir)
        self._run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(self.data),
            "-X",
            "stream",
            "-R",
            "-c",
            "fast",
            "--no-sync",
        )
        self._settings(extra)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def psql(self, database: str, sql: str) -> str:
        return self._run(
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            "-At",
            "-c",
            sql,
        ).stdout.strip()
