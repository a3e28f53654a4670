"""What the health probe's broker check costs in a Celery bake, beside the probe without
it and beside the check a user might write with Celery's own API (a new broker
connection per probe): microseconds per probe, outside Django's request cycle, as
core/wsgi.py answers it, against a real Redis on loopback.

`.venv/bin/python bench/health_broker.py`. Bakes background_jobs=celery into a temporary
folder, installs its lock, starts redis-server (tests/redis_server.py), and prints one
table: the median of ROUNDS rounds of PROBES probes each, configurations interleaved.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = BENCH_DIR.parent
sys.path.insert(0, str(TEMPLATE_DIR))  # the suite's helpers

from cookiecutter.main import cookiecutter  # noqa: E402

from tests.conftest import uv_sync  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402
from tests.test_generated_project import project_environment  # noqa: E402

ROUNDS = 7
PROBES = 500

# Run inside the bake: each configuration's probe, timed in rounds that alternate.
MEASURE = """
import json, statistics, sys, time
import django
django.setup()
from django.conf import settings
from core import health
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


def main():
    redis = RedisServer()
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(
            cookiecutter(
                str(TEMPLATE_DIR),
                no_input=True,
                output_dir=scratch,
                extra_context={"background_jobs": "celery"},
            )
        )
        python = uv_sync(project, Path(scratch, "venv"))
        redis.start()
        try:
            environment = project_environment(
                "development", CELERY_BROKER_URL=redis.url(), SENTRY_DSN="", DEBUG="false"
            )
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
