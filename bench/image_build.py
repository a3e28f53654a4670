"""What the generated Dockerfile costs to build, beside a single-stage Dockerfile that
copies the code before installing (the one a user would otherwise write): image size,
a cold build (no layer cache), a warm one (nothing changed), and a rebuild after one
line of app code changed, with whether the dependency step came from the cache.

`.venv/bin/python bench/image_build.py` (as root: it starts dockerd when none runs). No
base image can be pulled on these machines: it builds on the newest image of
BASE_REPOSITORY, the Debian python3 image the template's image tests make with
debootstrap (run them once first). Warm and one-line builds alternate between the two
Dockerfiles, median of ROUNDS. Prints one table and
writes it to bench/IMAGE_RESULTS.md. Removes the images it built; the build stages of its
cold builds stay in Docker's cache as untagged images (`docker image prune` removes them).
Loopback only; every build is bounded in time.
"""

import datetime
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from servers import Server

BENCH_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = BENCH_DIR.parent
BASE_REPOSITORY = "averon-template-test-base"
# The classic builder: the docker CLI here has no buildx for BuildKit.
DOCKER_ENVIRONMENT = {**os.environ, "DOCKER_BUILDKIT": "0"}

ROUNDS = 3
OURS = "this Dockerfile"
SINGLE_STAGE = "single stage, code copied first"
# The Dockerfile many projects start with: one stage, the whole folder copied, then the
# install, so any change to the code reinstalls every dependency.
SINGLE_STAGE_DOCKERFILE = """\
ARG PYTHON_IMAGE
FROM ${PYTHON_IMAGE}
ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON=python3 UV_SYSTEM_CERTS=1 \\
    PATH=/opt/venv/bin:$PATH DJANGO_SETTINGS_MODULE=core.settings.production
WORKDIR /app
COPY . .
RUN python3 -m venv /opt/uv && /opt/uv/bin/pip install --no-cache-dir uv=={uv_version} \\
    && /opt/uv/bin/uv sync --locked --no-dev
RUN SECRET_KEY=placeholder ALLOWED_HOSTS=localhost EMAIL_URL=dummymail:// \\
    python3 manage.py collectstatic --no-input
CMD ["gunicorn", "--config", "gunicorn.conf.py", "core.wsgi"]
"""


def docker(*args, check=True):
    command = ["docker", *map(str, args)]
    options = {"env": DOCKER_ENVIRONMENT, "capture_output": True, "text": True, "timeout": 900}
    return subprocess.run(command, check=check, **options)


@contextmanager
def docker_daemon(log_dir):
    """The daemon already running, or dockerd started here (no bridge, no iptables: builds
    use the host's network) and stopped at the end."""
    if docker("version", check=False).returncode == 0:
        yield
        return
    dockerd = Server(["dockerd", "--bridge=none", "--iptables=false"], log_dir / "dockerd.log")
    try:
        deadline = time.monotonic() + 60
        while docker("version", check=False).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError(f"dockerd never answered: see {log_dir / 'dockerd.log'}")
            time.sleep(0.5)
        yield
    finally:
        dockerd.stop(timeout=60)


def base_image():
    """The newest Debian python3 image the template's image tests built."""
    listed = docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", BASE_REPOSITORY).stdout.split()
    if not listed:
        sys.exit(f"No {BASE_REPOSITORY} image: run the template's image tests once (tests/test_docker.py).")
    return listed[0]


def build(project, tag, base, options=()):
    """`docker build` with the classic builder, on the host's network."""
    arguments = [f"--build-arg=PYTHON_IMAGE={base}", *options]
    return docker("build", "--network", "host", *arguments, "--tag", tag, project)


def app_line(number):
    """The line of ops/views.py that each one-line rebuild changes (1: as baked)."""
    return f'return JsonResponse({{"result": {number} / 0}})'


def timed_build(project, tag, base, built, *options):
    """Seconds and output of one build; the image's id joins `built`, to be removed after."""
    started = time.perf_counter()
    result = build(project, tag, base, options=options)
    seconds = time.perf_counter() - started
    built.add(re.search(r"^Successfully built (\w+)$", result.stdout, re.M)[1])
    return seconds, result.stdout


def dependency_step_cached(output):
    """Whether the build's `uv sync` step came from the layer cache (classic builder output)."""
    step = re.search(r"^Step \d+/\d+ : RUN .*uv sync.*\n(.*)$", output, re.M)
    return "Using cache" in step[1]


def size_mb(tag):
    return int(docker("image", "inspect", "--format", "{{.Size}}", tag).stdout) / 1e6


def measure(work_dir):
    dockerfile = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "Dockerfile"
    base = base_image()
    subprocess.run(
        [sys.executable, "-m", "cookiecutter", "--no-input", "--output-dir", work_dir, TEMPLATE_DIR],
        check=True,
        capture_output=True,
    )
    ours = work_dir / "averon_backend"
    single = work_dir / "single-stage"
    subprocess.run(["cp", "-r", ours, single], check=True)
    uv_version = re.search(r"^ARG UV_VERSION=(\S+)$", dockerfile.read_text(), re.M)[1]
    (single / "Dockerfile").write_text(SINGLE_STAGE_DOCKERFILE.replace("{uv_version}", uv_version))
    (single / ".dockerignore").unlink()  # a first Dockerfile often comes without one
    projects = {OURS: ours, SINGLE_STAGE: single}
    tags = {OURS: "averon-bench-image:ours", SINGLE_STAGE: "averon-bench-image:single-stage"}
    figures = {name: {"warm": [], "one line": [], "cached": []} for name in projects}
    built = set()
    try:
        for name, project in projects.items():
            figures[name]["cold"], _ = timed_build(project, tags[name], base, built, "--no-cache")
        for round_number in range(ROUNDS):
            for name, project in projects.items():
                figures[name]["warm"].append(timed_build(project, tags[name], base, built)[0])
                views = project / "ops" / "views.py"
                previous, changed = app_line(round_number + 1), app_line(round_number + 2)
                views.write_text(views.read_text().replace(previous, changed))
                seconds, output = timed_build(project, tags[name], base, built)
                figures[name]["one line"].append(seconds)
                figures[name]["cached"].append(dependency_step_cached(output))
        for name in projects:
            figures[name]["size"] = size_mb(tags[name])
        base_size = size_mb(base)
    finally:
        docker("image", "rm", "--force", *tags.values(), *built, check=False)
    return figures, base_size


def report(figures, base_size):
    def row(title, cell):
        return f"| {title} | " + " | ".join(cell(figures[name]) for name in (OURS, SINGLE_STAGE)) + " |"

    ratio = statistics.median(figures[OURS]["one line"]) / statistics.median(
        figures[SINGLE_STAGE]["one line"]
    )
    return [
        "# Image build",
        "",
        f"`bench/image_build.py`, {datetime.date.today()} · base image {base_size:.0f} MB "
        "(Debian's python3, debootstrap; the default python:3.11-slim-bookworm is smaller)",
        "",
        f"| figure | {OURS} | {SINGLE_STAGE} |",
        "| --- | --- | --- |",
        row("image size, MB (base included)", lambda f: f"{f['size']:.0f}"),
        row("layers on the base, MB", lambda f: f"{f['size'] - base_size:.0f}"),
        row("cold build (no layer cache), s", lambda f: f"{f['cold']:.1f}"),
        row(
            f"warm build (no change), median of {ROUNDS}, s", lambda f: f"{statistics.median(f['warm']):.1f}"
        ),
        row(
            f"one line of app code changed, median of {ROUNDS}, s",
            lambda f: f"{statistics.median(f['one line']):.1f}",
        ),
        row(
            "dependency step from the cache after that change",
            lambda f: f"{sum(f['cached'])} of {len(f['cached'])}",
        ),
        "",
        f"One-line rebuild, this Dockerfile / single stage: {ratio:.2f}x",
        "",
    ]


def main():
    with tempfile.TemporaryDirectory(prefix="averon-image-bench-") as scratch:
        work_dir = Path(scratch)
        with docker_daemon(work_dir):
            lines = report(*measure(work_dir))
    text = "\n".join(lines)
    print(text)
    (BENCH_DIR / "IMAGE_RESULTS.md").write_text(text)


if __name__ == "__main__":
    main()
