"""Docker on this machine, for the image tests and bench/image_build.py: the daemon (the
one running, else one started here and stopped after), a Python base image made from
Debian's packages, image builds, containers, and the files of every layer of an image.

Facts of these machines: Debian's docker.io (.ci/run installs it, with debootstrap) runs
as root; Docker Hub is out of reach, so no base image can be pulled; there is no buildx,
so builds use the classic builder. dockerd runs without a bridge and without iptables:
containers share the host's network, and everything they reach is on 127.0.0.1.
"""

import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import tarfile
from contextlib import contextmanager
from pathlib import Path

from tests.helpers.processes import start_server, stop_server, wait_for

# The classic builder: the docker CLI here has no buildx for BuildKit.
DOCKER_ENVIRONMENT = {**os.environ, "DOCKER_BUILDKIT": "0"}
DEBIAN_SOURCES = Path("/etc/apt/sources.list.d/debian.sources")
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
# What the Dockerfile needs of a base image: python3 and its venv module; certificates
# for HTTPS to the package index.
BASE_PACKAGES = "python3,python3-venv,ca-certificates"
BASE_REPOSITORY = "averon-template-test-base"
# Variables with which this machine reaches the package index, passed to the build the
# same way when set; the proxy variables are build arguments Docker predefines.
INDEX_VARIABLES = {
    "PIP_INDEX_URL": "PIP_INDEX_URL",
    "UV_DEFAULT_INDEX": "UV_DEFAULT_INDEX",
    "UV_INDEX_URL": "UV_DEFAULT_INDEX",  # uv's older name for it
    **{name: name for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")},
}


def docker(*args, timeout=600, check=True):
    result = subprocess.run(
        ["docker", *map(str, args)], env=DOCKER_ENVIRONMENT, capture_output=True, text=True, timeout=timeout
    )
    if check:
        assert result.returncode == 0, f"docker {args[0]}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result


def daemon_answers():
    return docker("version", check=False, timeout=30).returncode == 0


@contextmanager
def docker_daemon(log_dir):
    """The daemon already running, or dockerd started here and stopped at the end."""
    if daemon_answers():
        yield
        return
    dockerd = start_server(["dockerd", "--bridge=none", "--iptables=false"], None, log_dir / "dockerd.log")
    try:
        wait_for(daemon_answers, timeout=60, what="dockerd answering")
        yield
    finally:
        stop_server(dockerd, timeout=60)


def debian_release(dockerfile):
    """The Debian release the Dockerfile's default base image is pinned to (bookworm)."""
    default = re.search(r"^ARG PYTHON_IMAGE=python:[\d.]+-slim-(\w+)$", dockerfile.read_text(), re.M)
    return default[1]


def debian_mirror(release):
    """This machine's Debian mirror for `release`, or None for debootstrap's default."""
    if not DEBIAN_SOURCES.exists():
        return None
    for stanza in DEBIAN_SOURCES.read_text().split("\n\n"):
        fields = dict(re.findall(r"^(\w[\w-]*): *(.*)$", stanza, re.M))
        if release in fields.get("Suites", "").split():
            return fields["URIs"].split()[0]
    return None


def base_image(release, work_dir):
    """A Python image of Debian `release`'s packages, with this machine's CA bundle so
    HTTPS reaches the package index as it does here. Built once, then reused while its
    inputs are the same: its tag is their hash."""
    mirror = debian_mirror(release)
    inputs = [release, BASE_PACKAGES, mirror, hashlib.sha256(HOST_CA_BUNDLE.read_bytes()).hexdigest()]
    tag = f"{BASE_REPOSITORY}:{release}-{hashlib.sha256(json.dumps(inputs).encode()).hexdigest()[:12]}"
    if docker("image", "inspect", tag, check=False).returncode == 0:
        return tag
    rootfs = work_dir / "rootfs"
    command = ["debootstrap", "--variant=minbase", f"--include={BASE_PACKAGES}", release, rootfs]
    bootstrapped = subprocess.run([*command, *filter(None, [mirror])], capture_output=True, text=True)
    assert bootstrapped.returncode == 0, bootstrapped.stdout[-3000:] + bootstrapped.stderr[-3000:]
    shutil.copy(HOST_CA_BUNDLE, rootfs / "etc/ssl/certs/ca-certificates.crt")
    archive = subprocess.Popen(["tar", "-C", rootfs, "-c", "."], stdout=subprocess.PIPE)
    imported = subprocess.run(["docker", "import", "-", tag], stdin=archive.stdout, capture_output=True)
    assert archive.wait() == 0 and imported.returncode == 0, imported.stderr
    shutil.rmtree(rootfs)
    return tag


def index_build_args():
    """--build-arg for each variable with which this machine reaches the package index."""
    return [
        f"--build-arg={argument}={os.environ[variable]}"
        for variable, argument in INDEX_VARIABLES.items()
        if os.environ.get(variable)
    ]


def build(project, tag, base, *build_args, options=()):
    """`docker build` of a project with the classic builder, on the host's network. The
    build stage stays in Docker's cache as untagged images, for the next build to reuse."""
    arguments = [f"--build-arg={argument}" for argument in (f"PYTHON_IMAGE={base}", *build_args)]
    return docker(
        "build", "--network", "host", *arguments, *index_build_args(), *options, "--tag", tag, project
    )


def new_container_name():
    return f"averon-template-test-{secrets.token_hex(4)}"


def environment_options(environment):
    return [f"--env={variable}={value}" for variable, value in environment.items()]


@contextmanager
def container(image, environment, *options, command=()):
    """A detached container of `image` on the host's network, given only `environment`,
    running `command` (the image's own when empty); yields its name and removes it at the
    end, whatever happened."""
    name = new_container_name()
    docker(
        "run",
        "--detach",
        "--name",
        name,
        "--network",
        "host",
        *environment_options(environment),
        *options,
        image,
        *command,
    )
    try:
        yield name
    finally:
        docker("rm", "--force", name, check=False)


def run_once(image, environment, *command, options=(), timeout=120):
    """Run `command` (the image's own when empty) in a container removed afterwards,
    even when it outlives the timeout."""
    name = new_container_name()
    run_options = ["--rm", "--name", name, "--network", "host", *environment_options(environment), *options]
    try:
        return docker("run", *run_options, image, *command, timeout=timeout, check=False)
    finally:
        docker("rm", "--force", name, check=False)


def image_files(image, work_dir):
    """(path, content) of every file in every layer of `docker save`, and of the image's
    configuration (its environment and build history), read as `image.json`."""
    archive = work_dir / "image.tar"
    docker("save", "--output", archive, image)
    with tarfile.open(archive) as saved:
        [manifest] = json.load(saved.extractfile("manifest.json"))
        yield "image.json", saved.extractfile(manifest["Config"]).read()
        for layer in manifest["Layers"]:
            with tarfile.open(fileobj=saved.extractfile(layer)) as files:
                for member in files:
                    yield member.name, files.extractfile(member).read() if member.isfile() else b""
    archive.unlink()
