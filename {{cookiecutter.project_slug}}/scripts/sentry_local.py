"""Run Bugsink, a self-hosted Sentry-compatible error tracker, on this machine.

`make sentry-local` (start) installs it into .venv-sentry, keeps all its data under
.sentry-local/, creates a login, a team and a project, writes that project's DSN into
.env as SENTRY_DSN, and serves it on http://127.0.0.1:8001. `make sentry-local-stop`
(stop) stops it and puts back the SENTRY_DSN line it replaced, unless you changed that
line since. Both are safe to run again. Standard library only: it runs before
anything is installed.

Bugsink's licence (PolyForm Shield) allows this local use.
"""

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import venv
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
PROJECT_NAME = "{{ cookiecutter.project_slug }}"
TEAM_NAME = "Local"
USERNAME = "admin"


def process_start_time(pid: int) -> int | None:
    """When process `pid` started, in clock ticks since boot (Linux), or None."""
    try:
        # The command name in parentheses may hold spaces; the fields after it do not.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return int(fields[19])


class LocalSentry:
    def __init__(self, data_dir: Path, venv_dir: Path, port: int) -> None:
        self.data_dir = data_dir.resolve()
        self.venv_dir = venv_dir.resolve()
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.pid_file = self.data_dir / "bugsink.pid"
        self.token_file = self.data_dir / "api-token"
        self.login_file = self.data_dir / "login"
        # The DSN start wrote into .env, and the value it replaced there.
        self.written_dsn_file = self.data_dir / "written-dsn.json"

    def tool(self, name: str) -> str:
        return str(self.venv_dir / "bin" / name)

    def environment(self, **extra: str) -> dict[str, str]:
        # Bugsink is a Django project of its own: the app's settings must not leak in.
        inherited = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "bugsink_conf",
            "PYTHONPATH": str(self.data_dir),
            **extra,
        }

    def run(self, tool: str, *args: str, **extra_environment: str) -> str:
        """Run one of Bugsink's commands; on failure, stop with what it said."""
        result = subprocess.run(
            [self.tool(tool), *args],
            env=self.environment(**extra_environment),
            # Not the project folder: its packages (users, ...) would shadow Bugsink's apps.
            cwd=self.data_dir,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            sys.exit(f"ERROR: {tool} {args[0]} failed:\n{result.stderr.strip()}")
        return result.stdout.strip()

    def manage(self, *args: str, **extra_environment: str) -> str:
        return self.run("bugsink-manage", *args, **extra_environment)

    def install(self) -> None:
        if Path(self.tool("bugsink-manage")).exists():
            return
        print(f"Installing Bugsink into {self.venv_dir} ...", flush=True)
        venv.create(self.venv_dir, with_pip=True)
        pip = [self.tool("python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "-r", str(PROJECT_DIR / "requirements-sentry-local.txt")], check=True)

    def configure(self) -> None:
        """Write Bugsink's settings: its template for local use, then our paths and limits."""
        # Owner-only: it holds the login, the API token and every event received.
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        config = self.data_dir / "bugsink_conf.py"
        # Written afresh each start (it refuses to overwrite), so a new --port takes effect.
        config.unlink(missing_ok=True)
        self.run(
            "bugsink-create-conf",
            "--template=local",
            "--host=127.0.0.1",
            f"--port={self.port}",
            f"--output-file={config}",
        )
        overrides = f"""

# Added by scripts/sentry_local.py: every file under {self.data_dir.name}/, no calls home.
DATABASES["default"]["NAME"] = {str(self.data_dir / "db.sqlite3")!r}
DATABASES["snappea"]["NAME"] = {str(self.data_dir / "snappea.sqlite3")!r}
BUGSINK["INGEST_STORE_BASE_DIR"] = {str(self.data_dir / "ingestion")!r}
SNAPPEA["WAKEUP_CALLS_DIR"] = {str(self.data_dir / "wakeup")!r}
BUGSINK["PHONEHOME"] = False
# A loop of test requests should not meet the default limit of 1,000 events per 5 minutes.
for _limit in ("MAX_EVENTS_PER_PROJECT_PER_5_MINUTES", "MAX_EVENTS_PER_5_MINUTES"):
    BUGSINK[_limit] = 100_000
for _limit in ("MAX_EVENTS_PER_PROJECT_PER_HOUR", "MAX_EVENTS_PER_HOUR"):
    BUGSINK[_limit] = 1_000_000
"""
        with config.open("a") as file:
            file.write(overrides)
        self.manage("migrate", "--no-input")
        self.manage("migrate", "snappea", "--database=snappea", "--no-input")

    def ensure_login(self) -> str:
        if self.login_file.exists():
            return self.login_file.read_text().strip()
        password = secrets.token_urlsafe(12)
        self.manage(
            "createsuperuser",
            "--no-input",
            f"--username={USERNAME}",
            "--email=admin@localhost",
            DJANGO_SUPERUSER_PASSWORD=password,
        )
        write_private(self.login_file, f"{USERNAME} / {password}\n")
        return self.login_file.read_text().strip()

    def running_pid(self) -> int | None:
        """The PID of the Bugsink server this script started, if it still runs, else None.

        The PID file holds the PID and the process's start time: a PID the system has
        since given to another process has another start time, so it is never signalled.
        """
        try:
            pid, started = (int(field) for field in self.pid_file.read_text().split())
        except (FileNotFoundError, ValueError):
            return None
        return pid if process_start_time(pid) == started else None

    def start_server(self) -> None:
        if self.running_pid():
            return
        log = (self.data_dir / "bugsink.log").open("ab")
        gunicorn = [self.tool("gunicorn"), "--bind", f"127.0.0.1:{self.port}", "--workers", "2"]
        server = subprocess.Popen(
            [*gunicorn, "--no-control-socket", "bugsink.wsgi"],
            env=self.environment(),
            # Not the project folder: gunicorn would load the project's gunicorn.conf.py.
            cwd=self.data_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        write_private(self.pid_file, f"{server.pid} {process_start_time(server.pid)}\n")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                sys.exit(f"ERROR: Bugsink stopped at start-up; see {log.name} (is port {self.port} taken?)")
            try:
                urllib.request.urlopen(self.url, timeout=2).close()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        sys.exit(f"ERROR: Bugsink did not answer on {self.url} within 60 s; see {log.name}")

    def stop_server(self) -> int | None:
        pid = self.running_pid()
        if pid:
            os.killpg(pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            while self.running_pid() and time.monotonic() < deadline:
                time.sleep(0.1)
        self.pid_file.unlink(missing_ok=True)
        return pid

    def api(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        if not self.token_file.exists():
            write_private(self.token_file, self.manage("create_auth_token") + "\n")
        request = urllib.request.Request(
            f"{self.url}/api/canonical/0/{path}",
            method=method,
            data=json.dumps(payload).encode() if payload is not None else None,
            headers={
                "Authorization": f"Bearer {self.token_file.read_text().strip()}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def ensure_project(self, name: str) -> str:
        """The DSN of project `name`, creating it (and the team) if needed."""
        teams = self.api("GET", "teams/")["results"]
        team = next((t for t in teams if t["name"] == TEAM_NAME), None) or self.api(
            "POST", "teams/", {"name": TEAM_NAME}
        )
        if not any(p["name"] == name for p in self.api("GET", "projects/")["results"]):
            self.api("POST", "projects/", {"name": name, "team": team["id"]})
        dsn: str = next(p["dsn"] for p in self.api("GET", "projects/")["results"] if p["name"] == name)
        return dsn


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, from the moment it exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "w") as file:
        file.write(text)


DSN_LINE = re.compile(r"^SENTRY_DSN=(.*)$", re.MULTILINE)


def read_dsn(env_file: Path) -> str | None:
    found = DSN_LINE.search(env_file.read_text()) if env_file.exists() else None
    return found[1] if found else None


def write_dsn(env_file: Path, dsn: str) -> None:
    """Set SENTRY_DSN in the .env file, leaving every other line as it was."""
    text = env_file.read_text() if env_file.exists() else ""
    line = f"SENTRY_DSN={dsn}"
    text, replaced = DSN_LINE.subn(lambda _: line, text)
    if not replaced:
        text += ("" if text.endswith("\n") or not text else "\n") + line + "\n"
    write_private(env_file, text)


def replace_dsn(env_file: Path, dsn: str, record: Path) -> None:
    """Write `dsn` into .env, remembering in `record` what it replaced (unless that was
    `dsn` itself: a second start keeps the first one's record)."""
    replaced = read_dsn(env_file)
    if replaced != dsn:
        write_private(record, json.dumps({"written": dsn, "replaced": replaced or ""}))
    write_dsn(env_file, dsn)


def restore_dsn(record: Path, env_file: Path) -> bool:
    """Put back the DSN start replaced, if .env still holds the one it wrote."""
    if not record.exists():
        return False
    remembered = json.loads(record.read_text())
    record.unlink()
    if read_dsn(env_file) != remembered["written"]:
        return False  # changed since: the line is someone else's now
    write_dsn(env_file, remembered["replaced"])
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--data-dir", type=Path, default=PROJECT_DIR / ".sentry-local")
    parser.add_argument("--venv", type=Path, default=PROJECT_DIR / ".venv-sentry")
    parser.add_argument("--env-file", type=Path, default=PROJECT_DIR / ".env")
    args = parser.parse_args(argv)
    sentry = LocalSentry(args.data_dir, args.venv, args.port)

    if args.action == "stop":
        pid = sentry.stop_server()
        print(f"Stopped local Sentry (PID {pid})." if pid else "Local Sentry was not running.")
        if restore_dsn(sentry.written_dsn_file, args.env_file):
            print(f"Put back the SENTRY_DSN line of {args.env_file.name} that it had replaced.")
        return

    sentry.install()
    if not sentry.running_pid():
        sentry.configure()
    login = sentry.ensure_login()
    sentry.start_server()
    dsn = sentry.ensure_project(PROJECT_NAME)
    replace_dsn(args.env_file, dsn, sentry.written_dsn_file)
    print(
        f"Local Sentry (Bugsink) runs at {sentry.url}\n"
        f"  login:      {login}\n"
        f"  SENTRY_DSN: {dsn} (written to {args.env_file.name})\n"
        "Restart the app, then open http://127.0.0.1:8000/api/sentry-debug/ to send a first error.\n"
        "Stop it with: make sentry-local-stop"
    )


if __name__ == "__main__":
    main()
