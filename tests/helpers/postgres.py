"""A throwaway PostgreSQL server for one test run, from the machine's PostgreSQL
binaries (.ci/run installs Debian's `postgresql` package): its own data folder, a
loopback port, a superuser with a password; stopped and deleted at the end."""

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.helpers.processes import free_port


def postgres_bin_dir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    initdb = found[-1] if found else shutil.which("initdb")
    if not initdb:
        raise RuntimeError("PostgreSQL server binaries not found: install them (apt-get install postgresql)")
    return Path(initdb).parent


class PostgresCluster:
    def __init__(self):
        self.bin_dir = postgres_bin_dir()
        self.port = free_port()
        self.password = secrets.token_urlsafe(16)
        # PostgreSQL refuses to run as root, so as root the cluster belongs to `postgres`;
        # pytest's own temp folders are private to root, hence a folder of its own in /tmp.
        self.user = "postgres" if os.geteuid() == 0 else None
        self.root = Path(tempfile.mkdtemp(prefix="averon-postgres-", dir="/tmp"))
        self.data_dir = self.root / "data"

    def url(self, database="postgres", password=None):
        return f"postgres://postgres:{password or self.password}@127.0.0.1:{self.port}/{database}"

    def run(self, tool, *args):
        subprocess.run(
            [self.bin_dir / tool, *args],
            check=True,
            capture_output=True,
            user=self.user,
            env={**os.environ, "PGPASSWORD": self.password},
        )

    def start(self):
        if self.user:
            shutil.chown(self.root, self.user)
        password_file = self.root / "password"
        password_file.write_text(self.password)
        if self.user:
            shutil.chown(password_file, self.user)
        self.run(
            "initdb",
            "-D",
            self.data_dir,
            "-U",
            "postgres",
            "--auth=scram-sha-256",
            f"--pwfile={password_file}",
            "--no-sync",
        )
        server_options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            "pg_ctl", "-D", self.data_dir, "-o", server_options, "-l", self.root / "server.log", "-w", "start"
        )

    def create_database(self, name):
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def stop(self):
        try:
            self.run("pg_ctl", "-D", self.data_dir, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
