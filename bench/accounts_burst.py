"""Sign-ups and logins in a short burst: what the accounts API of a default bake answers
under gunicorn (production settings, two sync workers, Argon2 as the bake sets it).

Bakes the template with its default answers, installs it with its own Makefile, and
sends bounded bursts from a threaded client over loopback, first as one client (one
address: allauth's rate limits refuse most of the burst, as they should), then as many
clients (each request from another address, which the server reads from
X-Forwarded-For behind one proxy, ALLAUTH_TRUSTED_PROXY_COUNT=1, as the Kubernetes
overlays set it): there the limits hold for no one and the figures are the server's own
cost of Argon2. Prints requests/s, p50 and p99 latency and the answers by kind, with
Argon2's parameters; the same table goes to bench/ACCOUNTS_RESULTS.md. Sentry is off
and mail goes to Django's dummy backend, so the figures are the accounts' own cost.
"""

import datetime
import http.client
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cookiecutter.main import cookiecutter
from servers import Server, free_port

BENCH_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = BENCH_DIR.parent
RESULTS = BENCH_DIR / "ACCOUNTS_RESULTS.md"

BURST = 120  # requests per burst
CLIENTS = 8  # connections at a time
WORKERS = 2  # gunicorn's sync workers
REQUEST_TIMEOUT = 60
PASSWORD = "a long bench password 4821"
SIGNED_UP = "bench@example.com"
DEPLOYED = {
    "DJANGO_SETTINGS_MODULE": "core.settings.production",
    "SECRET_KEY": "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; a redirect is not the point
    "EMAIL_URL": "dummymail://",
    "FRONTEND_URL": "https://app.example.com",
    "SENTRY_DSN": "",
    "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
    "WEB_CONCURRENCY": str(WORKERS),
}
# A verified account to log in to, made as allauth's own models keep one.
MAKE_ACCOUNT = """
import sys
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
user = get_user_model().objects.create_user(sys.argv[1], sys.argv[2])
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
"""
ARGON2 = """
import json, time
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher
hasher = get_hasher()
started = time.perf_counter()
for _ in range(5):
    hasher.encode("a long bench password 4821", hasher.salt())
print(json.dumps({
    "hasher": type(hasher).__name__,
    "time_cost": hasher.time_cost,
    "memory_cost": hasher.memory_cost,
    "parallelism": hasher.parallelism,
    "ms_per_hash": (time.perf_counter() - started) / 5 * 1000,
}))
"""


def django_shell(project, code, *args):
    python = project / ".venv" / "bin" / "python"
    command = [python, "-c", f"import django; django.setup()\n{code}", *args]
    environment = {**os.environ, **DEPLOYED}
    return subprocess.run(command, cwd=project, env=environment, check=True, capture_output=True, text=True)


def post(port, path, payload, address):
    """(status, allauth's error code or None, seconds) of one POST from `address`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    headers = {"Content-Type": "application/json", "X-Forwarded-For": address}
    started = time.perf_counter()
    try:
        connection.request("POST", path, json.dumps(payload), headers)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    seconds = time.perf_counter() - started
    errors = json.loads(body).get("errors", []) if body.startswith(b"{") else []
    return response.status, errors[0]["code"] if errors else None, seconds


def burst(port, path, payloads, addresses):
    """Send every payload, CLIENTS at a time: requests/s, p50, p99 and answers by kind."""
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as clients:
        answers = list(clients.map(lambda job: post(port, path, *job), zip(payloads, addresses, strict=True)))
    wall = time.perf_counter() - started
    latencies = sorted(seconds for _, _, seconds in answers)
    kinds = {}
    for status, code, _ in answers:
        kind = "429" if status == 429 else f"{status} {code}" if code else str(status)
        kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "requests": len(answers),
        "per_second": len(answers) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "answers": dict(sorted(kinds.items())),
    }


def addresses(network):
    """BURST client addresses, one a request, in 10.`network`.0.0/16."""
    return [f"10.{network}.{n // 250}.{n % 250 + 1}" for n in range(BURST)]


def measure(port, prefix):
    """The four bursts. `prefix` keeps one run's sign-up addresses apart from another's."""
    login = {"email": SIGNED_UP, "password": PASSWORD}
    one_client = ["198.51.100.1"] * BURST
    sign_ups = [{"email": f"{prefix}-{n}@example.com", "password": PASSWORD} for n in range(2 * BURST)]
    login_path, signup_path = "/_allauth/app/v1/auth/login", "/_allauth/app/v1/auth/signup"
    return {
        ("login", "one client"): burst(port, login_path, [login] * BURST, one_client),
        ("login", "many clients"): burst(port, login_path, [login] * BURST, addresses(1)),
        ("sign-up", "one client"): burst(port, signup_path, sign_ups[:BURST], one_client),
        ("sign-up", "many clients"): burst(port, signup_path, sign_ups[BURST:], addresses(2)),
    }


def table(results, argon2):
    # Hashes/s of one process hashing one password after another (Argon2's lanes may use
    # both cores already, so two workers need not double it).
    alone = 1000 / argon2["ms_per_hash"]
    lines = [
        f"Argon2 as the bake sets it: Django's {argon2['hasher']} (time_cost={argon2['time_cost']}, "
        f"memory_cost={argon2['memory_cost']} KiB, parallelism={argon2['parallelism']}), "
        f"{argon2['ms_per_hash']:.0f} ms a hash in one process on this machine, so {alone:.1f} "
        "hashes/s one after another: the rate each burst is compared with below.",
        "",
        "| burst | clients | requests | requests/s | vs Argon2 alone | p50 ms | p99 ms | answers |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for (action, clients), figures in results.items():
        answers = ", ".join(f"{kind}: {count}" for kind, count in figures["answers"].items())
        lines.append(
            f"| {action} | {clients} | {figures['requests']} | {figures['per_second']:.1f} | "
            f"{figures['per_second'] / alone:.2f}x | "
            f"{figures['p50_ms']:.0f} | {figures['p99_ms']:.0f} | {answers} |"
        )
    return "\n".join(lines)


def main():
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=scratch))
        subprocess.run(["make", "install"], cwd=project, check=True, capture_output=True)
        django_shell(project, "from django.core.management import call_command; call_command('migrate')")
        django_shell(project, MAKE_ACCOUNT, SIGNED_UP, PASSWORD)
        argon2 = json.loads(django_shell(project, ARGON2).stdout)
        port = free_port()
        command = [
            project / ".venv" / "bin" / "python",
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "core.wsgi",
        ]
        environment = {**os.environ, **DEPLOYED, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        load_before = os.getloadavg()[0]
        server = Server(
            command,
            Path(scratch, "gunicorn.log"),
            f"http://127.0.0.1:{port}/api/health/",
            cwd=project,
            env=environment,
        )
        try:
            results = measure(port, f"burst{int(time.time())}")
        finally:
            server.stop()
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    heading = (
        f"# Accounts under a burst\n\n`python bench/accounts_burst.py`, {datetime.date.today()} · "
        f"{machine} · Python {platform.python_version()} · load average {load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end (others share this machine).\n\n"
        f"Each burst is {BURST} requests, {CLIENTS} connections at a time, against gunicorn "
        "with two sync workers and the default bake's production settings (SQLite, the rate "
        "limits' cache a table in it). One client: every request from one address. Many "
        "clients: each from its own (X-Forwarded-For behind one proxy). Logins are of one "
        "verified account; sign-ups are of new addresses (401 is allauth's answer to a "
        "sign-up whose address is still to verify: the account was made).\n"
    )
    report = f"{heading}\n{table(results, argon2)}\n"
    print(report)
    RESULTS.write_text(report)


if __name__ == "__main__":
    main()
