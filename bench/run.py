"""`make bench`: what Sentry costs the generated backend, measured side by side.

Bakes the template with its default answers, installs the project, and measures it
under gunicorn with its production settings (one sync worker pinned to core 0, load
from wrk pinned to core 1, a local envelope sink so the SDK really sends). Every
comparison interleaves its configurations (A B C A B C ...) so drift on this shared
machine hits all of them alike, and is printed as medians and ratios; the same table
is written to bench/RESULTS.md. Loopback only; every run is bounded in time.
"""

import datetime
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from servers import Server, free_port

BENCH_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = BENCH_DIR.parent

ROUNDS = 7
WRK_SECONDS = 3
WRK_CONNECTIONS = 4
BURST_ERRORS = 500
LATENCY_EVENTS = 100
DEPLOYED = {
    "SECRET_KEY": "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1",
    "EMAIL_URL": "dummymail://",
    "SECURE_SSL_REDIRECT": "false",  # wrk speaks plain HTTP; a redirect is not the point here
    "SENTRY_DEBUG_ROUTE_ENABLED": "true",
    "SENTRY_RELEASE": "bench@1",
    "DJANGO_SETTINGS_MODULE": "bench_settings",
}
PATHS = {"health": "/api/health/", "orm": "/bench/orm/", "api": "/bench/api/", "error": "/api/sentry-debug/"}
PATH_TITLES = {"health": "health", "orm": "ORM + INFO log", "api": "real endpoint", "error": "error path"}
OFF = "Sentry off"
DEFAULT = "default (traces 0.1)"
STOCK = "stock: DjangoIntegration as Sentry's guide writes it (traces 0.1)"


def run(command, **options):
    return subprocess.run(command, check=True, capture_output=True, text=True, **options)


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def median(values):
    return statistics.median(values) if values else float("nan")


def quartiles(values):
    """The first and third quartiles: the middle half of the rounds lies between them."""
    if len(values) < 2:
        return values[0], values[0]
    low, _, high = statistics.quantiles(values, n=4, method="inclusive")
    return low, high


def with_spread(values, form):
    """The median, then the middle half of the rounds: `0.69x [0.66x, 0.71x]`."""
    low, high = quartiles(values)
    return f"{form.format(median(values))} [{form.format(low)}, {form.format(high)}]"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Bench:
    def __init__(self, work_dir):
        self.work_dir = work_dir
        self.project = None
        self.python = None
        self.environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
        self.log_numbers = itertools.count()

    # --- set-up ---------------------------------------------------------------------

    def bake_and_install(self):
        run([sys.executable, "-m", "cookiecutter", "--no-input", "--output-dir", self.work_dir, TEMPLATE_DIR])
        self.project = self.work_dir / "averon_backend"
        for helper in (
            "options.py",
            "bench_app.py",
            "bench_settings.py",
            "bench_stock_settings.py",
            "sink.py",
            "delivery_latency.py",
            "privacy_cost.py",
        ):
            shutil.copy(BENCH_DIR / helper, self.project / helper)
        # As a user installs it: the project's own Makefile, uv and its lock.
        run(["make", "install"], cwd=self.project)
        self.python = self.project / ".venv" / "bin" / "python"
        env = {**self.environment, **DEPLOYED, "SENTRY_DSN": ""}
        run([self.python, "manage.py", "migrate", "--no-input"], cwd=self.project, env=env)
        seed = "import django; django.setup(); import bench_app; bench_app.seed()"
        run([self.python, "-c", seed], cwd=self.project, env=env)

    @staticmethod
    def ensure_wrk():
        if not shutil.which("wrk"):
            run(["apt-get", "update", "-qq"])
            run(
                ["apt-get", "install", "-y", "-qq", "wrk"],
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )

    @contextmanager
    def process(self, command, url=None, **variables):
        """A server in its own process group; yields (process, stop) where stop() sends
        SIGTERM (once) and returns how many seconds the graceful shutdown took."""
        log = self.work_dir / f"server-{next(self.log_numbers)}.log"
        env = {**self.environment, **DEPLOYED, **variables}
        server = Server(command, log, url, cwd=self.project, env=env)

        def stop():
            return server.stop(timeout=120)

        try:
            yield server, stop
        finally:
            stop()

    def gunicorn(self, port, **variables):
        command = [
            "taskset",
            "-c",
            "0",
            self.python,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "core.wsgi",
        ]
        return self.process(command, f"http://127.0.0.1:{port}/api/health/", **variables)

    def sink(self, port, black_hole=False):
        # On wrk's core: the sink stands in for a Sentry host on another machine, so its
        # parsing must not take CPU from the worker being measured.
        command = [
            "taskset",
            "-c",
            "1",
            self.python,
            "sink.py",
            str(port),
            *(["--black-hole"] if black_hole else []),
        ]
        return self.process(command, None if black_hole else f"http://127.0.0.1:{port}/")

    # --- measurements -------------------------------------------------------------------

    @staticmethod
    def wrk(url, seconds=WRK_SECONDS):
        output = run(
            [
                "taskset",
                "-c",
                "1",
                "wrk",
                "-t1",
                f"-c{WRK_CONNECTIONS}",
                f"-d{seconds}s",
                "--latency",
                "--timeout",
                "10s",
                url,
            ]
        ).stdout
        result = {"non_2xx": 0, "socket_errors": 0}
        for line in output.splitlines():
            words = line.split()
            if line.startswith("Requests/sec:"):
                result["rps"] = float(words[1])
            elif words[:1] == ["99%"]:
                result["p99_ms"] = to_ms(words[1])
            elif line.strip().startswith("Non-2xx"):
                result["non_2xx"] = int(words[-1])
            elif line.strip().startswith("Socket errors"):
                result["socket_errors"] = sum(int(part.strip(",")) for part in words[3::2])
            elif "requests in" in line:
                result["requests"] = int(words[0])
        return result

    @staticmethod
    def drained_events(sink_url, settle=2.0, timeout=60):
        """The sink's event count once nothing more has arrived for `settle` seconds."""
        last, stable_since, deadline = None, time.monotonic(), time.monotonic() + timeout
        while time.monotonic() < deadline:
            counts = get_json(sink_url)
            count = (counts["events"], counts["envelopes"])
            if count != last:
                last, stable_since = count, time.monotonic()
            elif time.monotonic() - stable_since >= settle:
                break
            time.sleep(0.05)
        return last[0]

    @staticmethod
    def configurations(sink_port):
        """Each configuration's variables: Sentry off, the project's own set-up at its
        default and at errors only, and the set-up a user would otherwise pick."""
        sink_dsn = f"http://bench@127.0.0.1:{sink_port}/1"
        return {
            OFF: {"SENTRY_DSN": ""},
            "traces 0 (errors only)": {"SENTRY_DSN": sink_dsn, "SENTRY_TRACES_SAMPLE_RATE": "0"},
            DEFAULT: {"SENTRY_DSN": sink_dsn, "SENTRY_TRACES_SAMPLE_RATE": "0.1"},
            STOCK: {
                "SENTRY_DSN": "",
                "DJANGO_SETTINGS_MODULE": "bench_stock_settings",
                "BENCH_STOCK_DSN": sink_dsn,
                "BENCH_STOCK_TRACES_SAMPLE_RATE": "0.1",
            },
        }

    def throughput(self, sink_port, configs, paths=PATHS, rounds=ROUNDS):
        sink_url = f"http://127.0.0.1:{sink_port}/"
        samples = {(config, path): [] for config in configs for path in paths}
        delivered = {config: [0, 0] for config in configs}  # [500s, events at the sink]
        for _ in range(rounds):
            for config, variables in configs.items():
                port = free_port()
                with self.gunicorn(port, **variables) as (master, _):
                    worker = worker_pid(master.pid)
                    url = f"http://127.0.0.1:{port}"
                    self.wrk(url + PATHS["health"], seconds=1)  # warm up
                    for name, path in paths.items():
                        before, cpu_before = get_json(sink_url)["events"], cpu_seconds(worker)
                        result = self.wrk(url + path)
                        # What the worker queued is sent by now, so its CPU is counted too.
                        arrived = self.drained_events(sink_url, settle=1.0) - before
                        result["cpu_us"] = (cpu_seconds(worker) - cpu_before) * 1e6 / result["requests"]
                        samples[config, name].append(result)
                        if name == "error":
                            delivered[config][0] += result["non_2xx"]
                            delivered[config][1] += arrived
        return samples, delivered

    def burst(self, sink_port, errors=BURST_ERRORS):
        port = free_port()
        sink_url = f"http://127.0.0.1:{sink_port}/"
        before = get_json(sink_url)["events"]
        dsn = f"http://bench@127.0.0.1:{sink_port}/1"
        with self.gunicorn(port, SENTRY_DSN=dsn, SENTRY_TRACES_SAMPLE_RATE="0.1") as (_, stop):
            url = f"http://127.0.0.1:{port}{PATHS['error']}"

            def status(_):
                try:
                    urllib.request.urlopen(url, timeout=30).close()
                    return 200
                except urllib.error.HTTPError as error:
                    return error.code

            with ThreadPoolExecutor(WRK_CONNECTIONS * 2) as clients:
                statuses = list(clients.map(status, range(errors)))
            stop()  # SIGTERM: the worker sends what it still holds before it exits
        return statuses.count(500), self.drained_events(sink_url) - before

    def black_hole(self, sink_port):
        hole_port = free_port()
        targets = {"working sink": sink_port, "black hole": hole_port}
        samples = {name: [] for name in targets}
        shutdowns = {name: [] for name in targets}
        with self.sink(hole_port, black_hole=True):
            time.sleep(0.3)
            for _ in range(ROUNDS):
                for name, target in targets.items():
                    port = free_port()
                    with self.gunicorn(port, SENTRY_DSN=f"http://bench@127.0.0.1:{target}/1") as (_, stop):
                        samples[name].append(self.wrk(f"http://127.0.0.1:{port}{PATHS['error']}"))
                        shutdowns[name].append(stop())
        return samples, shutdowns

    def startup(self):
        """Sentry's own share of start-up: its modules' import time (from -X importtime,
        after the Django modules it patches are loaded) plus init_sentry() with a DSN;
        and `manage.py check` wall time with the DSN set and unset."""
        dsn = "http://bench@127.0.0.1:9/1"  # never contacted: nothing is captured
        env = {**self.environment, **DEPLOYED, "SENTRY_DSN": ""}
        import_script = (
            "import django.core.handlers.wsgi, django.urls, django.db.models, environ; "
            "import observability.sentry"
        )
        init_script = (
            "import os, time, django\n"
            "django.setup()\n"
            f"os.environ['SENTRY_DSN'] = {dsn!r}\n"
            "from observability.sentry import init_sentry\n"
            "started = time.perf_counter()\n"
            "init_sentry('production')\n"
            "print((time.perf_counter() - started) * 1000)\n"
        )
        import_ms, init_ms, check_ms = [], [], {"DSN set": [], "DSN unset": []}
        for _ in range(10):
            profile = run(
                [self.python, "-X", "importtime", "-c", import_script], cwd=self.project, env=env
            ).stderr
            import_ms.append(
                sum(
                    int(line.split("|")[0].split(":")[1])
                    for line in profile.splitlines()
                    if line.startswith("import time:") and "sentry_sdk" in line.split("|")[2]
                )
                / 1000
            )
            init_ms.append(
                float(run([self.python, "-c", init_script], cwd=self.project, env=env).stdout.split()[-1])
            )
            for name, value in (("DSN set", dsn), ("DSN unset", "")):
                started = time.perf_counter()
                run([self.python, "manage.py", "check"], cwd=self.project, env={**env, "SENTRY_DSN": value})
                check_ms[name].append((time.perf_counter() - started) * 1000)
        return median(import_ms), median(init_ms), {name: median(values) for name, values in check_ms.items()}

    def option_costs(self, requests=1000):
        """bench/options.py's CPU per request for each option, interleaved rounds."""
        configs = json.loads(
            run(
                [self.python, "-c", "import options; import json; print(json.dumps(list(options.CONFIGS)))"],
                cwd=self.project,
                env={**self.environment, **DEPLOYED, "SENTRY_DSN": ""},
            ).stdout.splitlines()[-1]
        )
        samples = {config: [] for config in configs}
        for _ in range(ROUNDS):
            for config in configs:
                output = run(
                    ["taskset", "-c", "0", self.python, "options.py", config, str(requests)],
                    cwd=self.project,
                    env={**self.environment, **DEPLOYED, "SENTRY_DSN": ""},
                ).stdout
                samples[config].append(json.loads(output.splitlines()[-1]))
        return samples

    def privacy_cost(self):
        """bench/privacy_cost.py: ms of the privacy filter per event and per request's
        spans, for a typical and the worst request, beside the SDK's own EventScrubber."""
        env = {**self.environment, **DEPLOYED, "SENTRY_DSN": ""}
        results = {}
        for request in ("typical", "worst"):
            command = [self.python, "privacy_cost.py", request, "7"]
            output = run(command, cwd=self.project, env=env, timeout=900)
            results[request] = json.loads(output.stdout.splitlines()[-1])
        return results

    def delivery_latency(self):
        data_dir = self.work_dir / "bugsink-data"
        port = free_port()
        run(
            [
                sys.executable,
                "scripts/sentry_local.py",
                "start",
                "--port",
                str(port),
                "--data-dir",
                data_dir,
                "--venv",
                self.work_dir / "bugsink-venv",
                "--env-file",
                self.work_dir / "bugsink.env",
            ],
            cwd=self.project,
        )
        try:
            dsn = (self.work_dir / "bugsink.env").read_text().split("SENTRY_DSN=")[1].split()[0]
            token = (data_dir / "api-token").read_text().strip()
            result = run(
                [self.python, "delivery_latency.py", dsn, token, str(LATENCY_EVENTS)],
                cwd=self.project,
                env={**self.environment, **DEPLOYED, "SENTRY_DSN": dsn},
            )
            measured = json.loads(result.stdout.splitlines()[-1])
        finally:
            run([sys.executable, "scripts/sentry_local.py", "stop", "--data-dir", data_dir], cwd=self.project)
        latencies = measured["latencies"]
        return percentile(latencies, 0.5), percentile(latencies, 0.95), measured["visible_at_answer"]

    def bake_time(self, runs=5):
        floor = self.work_dir / "floor-template"
        (floor / "{{cookiecutter.name}}").mkdir(parents=True)
        (floor / "cookiecutter.json").write_text('{"name": "floor"}')
        (floor / "{{cookiecutter.name}}" / "README.md").write_text("# {{ cookiecutter.name }}\n")
        times = {"this template": [], "one-file template": []}
        for index in range(runs):
            for name, template in (("this template", TEMPLATE_DIR), ("one-file template", floor)):
                output = self.work_dir / f"bake-{index}-{len(times[name])}-{name.split()[0]}"
                started = time.perf_counter()
                run([sys.executable, "-m", "cookiecutter", "--no-input", "--output-dir", output, template])
                times[name].append((time.perf_counter() - started) * 1000)
        return {name: median(values) for name, values in times.items()}


def worker_pid(master_pid):
    """gunicorn's one worker: the process whose parent is the master."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        if int(fields[1]) == master_pid:
            return int(stat.parent.name)
    raise RuntimeError(f"gunicorn {master_pid} has no worker")


def cpu_seconds(pid):
    """User plus system CPU time of a process, all its threads (Sentry's sender too)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def paired_ratios(samples, base, key, invert=False):
    """Each round's ratio to the same round's base, so a slow round on this shared
    machine slows both sides of its own ratio."""
    return [(b[key] / s[key]) if invert else (s[key] / b[key]) for s, b in zip(samples, base, strict=True)]


def target_lines(samples):
    """The default configuration's CPU per request against stock's, route by route: the
    target is at most stock's (1.00x), told from noise by the middle half of the rounds."""
    rows = [
        f"| {PATH_TITLES[path]} | "
        + with_spread(paired_ratios(samples[DEFAULT, path], samples[STOCK, path], "cpu_us"), "{:.2f}x")
        + " | at most 1.00x |"
        for path in PATHS
    ]
    return [
        "## Target: the default configuration costs at most what stock costs",
        "",
        "CPU per request of the default configuration divided by stock's, each round against",
        "its own round (below 1.00x: cheaper than stock).",
        "",
        "| route | default / stock CPU per request | target |",
        "| --- | --- | --- |",
        *rows,
        "",
    ]


def to_ms(text):
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise ValueError(text)


def versions(python):
    script = (
        "import django, sentry_sdk as s, gunicorn as g; print(django.__version__, s.VERSION, g.__version__)"
    )
    django_version, sdk, gunicorn_version = run([python, "-c", script]).stdout.split()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return (
        f"{datetime.date.today()} · {cpu}, {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"Django {django_version} · sentry-sdk {sdk} · gunicorn {gunicorn_version} · wrk {wrk_version}"
    )


def report(bench):
    lines = ["# Benchmark results", "", f"`make bench`, {versions(bench.python)}", ""]
    load_before = f"{os.getloadavg()[0]:.1f}"
    sink_port = free_port()
    with bench.sink(sink_port):
        configs = bench.configurations(sink_port)
        samples, delivered = bench.throughput(sink_port, configs)
        burst_500s, burst_events = bench.burst(sink_port)
        hole_samples, shutdowns = bench.black_hole(sink_port)
    option_samples = bench.option_costs()
    privacy = bench.privacy_cost()
    import_ms, init_ms, check_ms = bench.startup()
    p50, p95, visible_at_answer = bench.delivery_latency()
    bakes = bench.bake_time()

    lines += [
        "How to read these tables: every figure is a median over rounds, and beside it, in",
        "[brackets], the middle half of the rounds (first to third quartile). Two rows differ",
        "when their brackets do not overlap; a median that moves inside its bracket from one",
        "run to the next is this shared machine's noise, not a change. Ratios are taken round",
        "by round against the same round's Sentry off (or stock), so a slow round slows both",
        f"sides of its own ratio. Load average of the machine: {load_before} at the start of",
        f"the run, {os.getloadavg()[0]:.1f} at its end (2 cores; others share them).",
        "",
        f"## 1. Requests/s, one sync worker ({ROUNDS} interleaved rounds of {WRK_SECONDS} s)",
        "",
        "Requests/s, and each round's requests/s divided by Sentry off's in the same round.",
        "Health is the probe that answers before Django; ORM + INFO log is one query and one",
        "log line; real endpoint is 20 queries serialised to JSON; error path is the debug",
        "route's ZeroDivisionError (an event per request). Stock is sentry_sdk.init() as",
        "Sentry's Django guide writes it, at the same sample rate. Events / 500s: events that",
        "reached the sink against the 500s the error path answered.",
        "",
        "| configuration | "
        + " | ".join(f"{PATH_TITLES[path]} | ratio" for path in PATHS)
        + " | events / 500s |",
        "| --- " * (2 * len(PATHS) + 2) + "|",
    ]
    cpu_lines = [
        "## 2. CPU per request",
        "",
        "CPU time of the worker per request (all its threads, Sentry's sender included, until",
        "the sink stopped receiving), µs, and Sentry off's CPU per request divided by it",
        "(0.80x: Sentry adds a quarter). The same ratio as throughput, but blind to the load",
        "generator and to the time this machine's neighbours take: read this table first.",
        "",
        "| configuration | " + " | ".join(f"{PATH_TITLES[path]} | ratio" for path in PATHS) + " |",
        "| --- " * (2 * len(PATHS) + 1) + "|",
    ]
    for config in configs:
        cells, cpu_cells = [], []
        for path in PATHS:
            runs, base = samples[config, path], samples[OFF, path]
            cells += [
                with_spread([s["rps"] for s in runs], "{:.0f}"),
                with_spread(paired_ratios(runs, base, "rps"), "{:.2f}x"),
            ]
            cpu_cells += [
                with_spread([s["cpu_us"] for s in runs], "{:.0f}"),
                with_spread(paired_ratios(runs, base, "cpu_us", invert=True), "{:.2f}x"),
            ]
        sent, arrived = delivered[config]
        cells.append(f"{arrived} / {sent}" if config != OFF else "-")
        lines.append(f"| {config} | " + " | ".join(cells) + " |")
        cpu_lines.append(f"| {config} | " + " | ".join(cpu_cells) + " |")
    lines += ["", *cpu_lines, "", *target_lines(samples)]
    lines += [
        f"Burst of {BURST_ERRORS} errors ({WRK_CONNECTIONS * 2} clients, default config): "
        f"{burst_500s} answered 500, {burst_events} events reached the sink.",
        "",
    ]

    off = option_samples[OFF]
    lines += [
        "## 2b. What each option costs a request (bench/options.py, in-process)",
        "",
        f"CPU per request of the whole process, {ROUNDS} interleaved rounds, and the overhead",
        "over Sentry off in the same round. Envelopes are serialised, not sent. Each row",
        "changes one variable, or one name observability.sentry looks up, from the project's",
        "set-up at its default sample rate (the every-request row shows a traced request).",
        "",
        "| configuration | health probe µs | overhead | ORM + INFO log µs | overhead "
        "| real endpoint µs | overhead |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for config, runs in option_samples.items():
        cells = []
        for path in ("/api/health/", "/bench/orm/", "/bench/api/"):
            overheads = [run[path] - base[path] for run, base in zip(runs, off, strict=True)]
            cells += [with_spread([run[path] for run in runs], "{:.0f}"), with_spread(overheads, "{:+.0f}")]
        lines.append(f"| {config} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## 2c. The privacy filter, per request that sends something (bench/privacy_cost.py)",
        "",
        "CPU ms of the project's before_send on the request's events and of its before_send_span",
        "on the request's spans (every request traced), median of 7 runs, each with a new",
        "filter; beside them the SDK's own EventScrubber on the same events, what a project",
        "without ours runs (it reads only names it denies; the SDK has none for streamed",
        "spans). Typical: the debug route's error with a browser's headers. Worst: gunicorn's",
        "largest request head, every allowed header filled with what costs the rules most,",
        "and Django's largest body of JSON that fails to parse, to a view that parses it.",
        "",
        "| request | events | event KB | before_send ms | EventScrubber ms | spans | before_send_span ms |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for request, figures in privacy.items():
        lines.append(
            f"| {request} | {figures['events']} | {figures['event_kb']:.0f} | {figures['event_ms']:.1f} "
            f"| {figures['sdk_scrubber_ms']:.2f} | {figures['spans']} | {figures['span_ms']:.1f} |"
        )
    lines += [
        "",
        "## 3. Start-up (median of 10)",
        "",
        "| measure | ms |",
        "| --- | --- |",
        f"| sentry_sdk import (its own modules) | {import_ms:.1f} |",
        f"| init_sentry() with a DSN | {init_ms:.1f} |",
        f"| Sentry start-up, import + init | {import_ms + init_ms:.1f} |",
    ]
    lines += [f"| `manage.py check`, {name} | {value:.0f} |" for name, value in check_ms.items()]
    lines += [
        "",
        f"## 4. Delivery latency to Bugsink ({LATENCY_EVENTS} events, raise to stored and visible)",
        "",
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms. The local Bugsink digests each event inside the",
        "request that delivers it, so the latency ends when it answers the SDK; a poll of its",
        f"API then found {visible_at_answer} of {LATENCY_EVENTS} events already there (the others are",
        "timed by the poll that found them).",
        "",
    ]

    lines += [
        "## 5. Sentry host that never answers (error path, default config)",
        "",
        "| Sentry endpoint | requests/s | p99 ms | failed requests | graceful shutdown s |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, runs in hole_samples.items():
        failed = sum(s["socket_errors"] + s["requests"] - s["non_2xx"] for s in runs)
        lines.append(
            f"| {name} | {median([s['rps'] for s in runs]):.0f} | {median([s['p99_ms'] for s in runs]):.1f}"
            f" | {failed} | {median(shutdowns[name]):.2f} |"
        )
    ratio = median([s["p99_ms"] for s in hole_samples["black hole"]]) / median(
        [s["p99_ms"] for s in hole_samples["working sink"]]
    )
    lines += ["", f"Black-hole p99 / working-sink p99: {ratio:.2f}x", ""]

    bake_ratio = bakes["this template"] / bakes["one-file template"]
    lines += [
        "## 6. Bake time (`cookiecutter --no-input`, median of 5)",
        "",
        f"this template {bakes['this template']:.0f} ms, one-file template "
        f"{bakes['one-file template']:.0f} ms ({bake_ratio:.2f}x the floor)",
        "",
    ]
    return "\n".join(lines)


def main():
    Bench.ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="averon-bench-") as work_dir:
        bench = Bench(Path(work_dir))
        bench.bake_and_install()
        text = report(bench)
    print(text)
    (BENCH_DIR / "RESULTS.md").write_text(text)


if __name__ == "__main__":
    main()
