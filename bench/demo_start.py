"""How long `make demo` takes from a fresh clone until the project serves /api/health/.

Clones this repository's committed HEAD into a temporary folder and times `make demo`
there on a PATH without uv (a machine with Python, make and git), from its start to the
first 200 from /api/health/: once cold (nothing installed in the clone), then again warm
(everything installed, the bake kept). `--baseline REF` adds the same two rows for
another commit, such as the one before a change, measured in the same run. Package
caches are the machine's own unless `--empty-caches` gives every run fresh ones, as on a
machine that never installed anything. Prints a table and writes bench/DEMO_RESULTS.md.
"""

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from servers import Server, free_port

BENCH_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = BENCH_DIR.parent

RESULTS = BENCH_DIR / "DEMO_RESULTS.md"
TIMEOUT = 600


def git(*args, cwd=TEMPLATE_DIR):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def serves(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def time_demo(clone, environment, log_path):
    """Seconds from `make demo` to the first 200 from /api/health/; then stops it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/health/"
    started = time.monotonic()
    demo = Server(["make", "demo", f"PORT={port}"], log_path, cwd=clone, env=environment)
    try:
        while not serves(url):
            if demo.process.poll() is not None:
                raise RuntimeError(f"make demo exited with {demo.process.returncode}: see {log_path}")
            if time.monotonic() - started > TIMEOUT:
                raise TimeoutError(f"make demo did not serve within {TIMEOUT} s: see {log_path}")
            time.sleep(0.05)
        return time.monotonic() - started
    finally:
        demo.stop()


def path_without_uv():
    """PATH of a machine with Python, make and git, and no uv."""
    folders = os.environ["PATH"].split(os.pathsep)
    return os.pathsep.join(folder for folder in folders if not (Path(folder) / "uv").exists())


def measure(ref, work_dir, empty_caches):
    """Cold, then warm seconds of `make demo` in a fresh clone of `ref`."""
    clone = work_dir / "clone"
    subprocess.run(["git", "clone", "-q", TEMPLATE_DIR, clone], check=True)
    git("checkout", "-q", ref, cwd=clone)
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_", "VIRTUAL_ENV"))
    }
    environment["PATH"] = path_without_uv()
    if empty_caches:
        environment["PIP_CACHE_DIR"] = str(work_dir / "pip-cache")
        environment["UV_CACHE_DIR"] = str(work_dir / "uv-cache")
    cold = time_demo(clone, environment, work_dir / "demo-cold.log")
    warm = time_demo(clone, environment, work_dir / "demo-warm.log")
    return cold, warm


def describe(ref):
    return f"`{git('rev-parse', '--short', ref)}` {git('log', '-1', '--format=%s', ref)[:60]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline", help="another commit to measure beside HEAD, e.g. the one before a change"
    )
    parser.add_argument(
        "--empty-caches",
        action="store_true",
        help="also measure each commit with fresh, empty pip and uv caches",
    )
    options = parser.parse_args()
    refs = [git("rev-parse", ref) for ref in ["HEAD", *([options.baseline] if options.baseline else [])]]
    cache_modes = [False, True] if options.empty_caches else [False]
    rows = [
        "| commit | pip and uv caches | cold: fresh clone to first 200 (s) | warm: second `make demo` (s) |",
        "| --- | --- | --- | --- |",
    ]
    with tempfile.TemporaryDirectory(prefix="demo-start-") as scratch:
        for empty_caches in cache_modes:
            for ref in refs:
                work_dir = Path(scratch, f"{ref}-{empty_caches}")
                work_dir.mkdir()
                cold, warm = measure(ref, work_dir, empty_caches)
                caches = "empty" if empty_caches else "the machine's"
                rows.append(f"| {describe(ref)} | {caches} | {cold:.1f} | {warm:.1f} |")
                print(rows[-1], flush=True)
    command = " ".join(["bench/demo_start.py", *sys.argv[1:]])
    RESULTS.write_text(
        "# `make demo`: seconds from a fresh clone until /api/health/ answers 200\n\n"
        f"`.venv/bin/python {command}`, {datetime.date.today().isoformat()}, {os.cpu_count()} cores "
        f"(shared), Python {platform.python_version()}, a PATH without uv. Cold: nothing installed "
        "in the clone; warm: the same clone again, everything installed and the bake kept.\n\n"
        + "\n".join(rows)
        + "\n"
    )
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
