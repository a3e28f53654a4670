"""What the health probe's broker check costs in a Celery bake, beside the probe without
it and beside the check a user might write with Celery's own API (a new broker
connection per probe): microseconds per probe, outside Django's request cycle, as
edge/health.py answers it, against a real Redis on loopback.

`.venv/bin/python bench/health_broker.py`. Bakes background_jobs=celery into a temporary
folder, installs it with its own `make install`, starts the machine's redis-server
(apt-get install redis-server) on a free port, and prints one table: the median of
ROUNDS rounds of PROBES probes each, configurations interleaved.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from cookiecutter.main import cookiecutter
from servers import Server, free_port

TEMPLATE_DIR = Path(__file__).resolve().parent.parent

ROUNDS = 7
PROBES = 500

# Run inside the bake: each configuration's probe, timed in rounds that alternate.
MEASURE = """
import json, statistics, sys, time
import django
django.setup()
from django.conf import settings
from edge import health
from core.celery import app

def celery_connection_check():
    from kombu.exceptions import OperationalError
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=0)
    except OperationalError:
        return "unavailable"
    return "ok"

configurations = {
    "no broker check (eager, as development without Redis)": (True, health.broker_check),
    "this project: PING on a pooled redis-py connection": (False, health.broker_check),
    "a new Celery broker connection per probe": (False, celery_connection_check),
}
rounds = {name: [] for name in configurations}
for _ in range(int(sys.argv[1])):
    for name, (eager, check) in configurations.items():
        settings.CELERY_TASK_ALWAYS_EAGER = eager
        health.broker_check = check
        assert health.probe()[0] == 200
        started = time.perf_counter()
        for _ in range(int(sys.argv[2])):
            health.probe()
        rounds[name].append((time.perf_counter() - started) / int(sys.argv[2]) * 1e6)
print(json.dumps({name: statistics.median(values) for name, values in rounds.items()}))
"""


def redis_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(100).startswith(b"+PONG")
    except OSError:
        return False


def main():
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(
            cookiecutter(
                str(TEMPLATE_DIR),
                no_input=True,
                output_dir=scratch,
                extra_context={"background_jobs": "celery"},
            )
        )
        subprocess.run(["make", "install"], cwd=project, check=True, capture_output=True)
        python = project / ".venv" / "bin" / "python"
        port = free_port()
        command = [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        redis = Server(command, Path(scratch, "redis.log"))
        try:
            deadline = time.monotonic() + 20
            while not redis_answers(port):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server on port {port} never answered")
                time.sleep(0.1)
            environment = {
                **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))},
                "DJANGO_SETTINGS_MODULE": "core.settings.development",
                "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
                "SENTRY_DSN": "",
                "DEBUG": "false",
            }
            subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=project, env=environment, check=True)
            measured = subprocess.run(
                [python, "-c", MEASURE, str(ROUNDS), str(PROBES)],
                cwd=project,
                env=environment,
                check=True,
                capture_output=True,
                text=True,
                timeout=600,
            )
        finally:
            redis.stop()
    results = json.loads(measured.stdout.splitlines()[-1])
    floor = next(iter(results.values()))
    print(f"| health probe, Celery bake (median of {ROUNDS} x {PROBES}) | µs per probe | vs no check |")
    print("| --- | --- | --- |")
    for name, micros in results.items():
        print(f"| {name} | {micros:.0f} | {micros / floor:.1f}x |")


if __name__ == "__main__":
    main()
