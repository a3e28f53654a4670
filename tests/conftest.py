"""Every fixture of the template's suite: bakes and the Pythons they are installed in,
the servers the tests start, and bakes served, deployed or built into images. What the
fixtures are made of is in tests/helpers/; tests/README.md says what the tests prove.

A bake a test changes is its module's (scope="module") or its own; a session bake is
only read, copied or installed from."""

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
import urllib.parse
from contextlib import ExitStack

import pytest

from tests.helpers import cruft
from tests.helpers.bake import (
    DEPLOYED_ENVIRONMENT,
    TEMPLATE_DIR,
    UV,
    bake_ok,
    env_file_values,
    envelope_server,
    load_module,
    run,
    uv_sync,
)
from tests.helpers.browser import chromium
from tests.helpers.bugsink import BugsinkProject, serve_with_dsn
from tests.helpers.docker_engine import base_image, build, container, debian_release, docker, docker_daemon
from tests.helpers.image import RELEASE as IMAGE_RELEASE
from tests.helpers.image import Deployment, bake_with_planted_files, built_image, wait_until_serving
from tests.helpers.jobs import JobsDeployment, installed_jobs_project
from tests.helpers.kubernetes_manifests import (
    BAKES,
    CHECKOV_ENVIRONMENT,
    CHECKOV_REQUIREMENTS,
    CHECKOV_VENV,
    OVERLAYS,
    config_data,
    pod_specs,
    render,
    set_image,
)
from tests.helpers.kubernetes_pods import KUBERNETES_REPOSITORY, SCHEDULE_RAN_YESTERDAY, Pod
from tests.helpers.postgres import PostgresCluster
from tests.helpers.processes import free_port, stop_server
from tests.helpers.project_commands import GIT, checkout, make
from tests.helpers.redis_server import RedisServer
from tests.helpers.served_api import PLANTED_SECRET_KEY, ServedApi, signed_in_under_gunicorn
from tests.helpers.serving import with_served_routes

# The environment of every test


@pytest.fixture(scope="session", autouse=True)
def uv_on_path(tmp_path_factory):
    """uv alone on PATH: the rest of the template's environment stays out of the bakes'."""
    uv_dir = tmp_path_factory.mktemp("uv-on-path")
    (uv_dir / "uv").symlink_to(UV)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", f"{uv_dir}{os.pathsep}{os.environ['PATH']}")
        yield


@pytest.fixture(scope="session", autouse=True)
def temporary_files_stay_in_pytest_temp(tmp_path_factory):
    """Cookiecutter writes each rendered hook to a temporary file and never deletes it:
    point this process and every subprocess at a folder pytest cleans up."""
    scratch = str(tmp_path_factory.mktemp("tmp"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", scratch)
        patch.setattr(tempfile, "tempdir", scratch)
        yield


# Bakes, one per choice, read by many modules


@pytest.fixture(scope="session")
def default_project(cookies_session):
    return bake_ok(cookies_session)


@pytest.fixture(scope="session")
def celery_project(cookies_session):
    return bake_ok(cookies_session, background_jobs="celery")


@pytest.fixture(scope="session")
def drf_project(cookies_session):
    return bake_ok(cookies_session, api_framework="drf")


@pytest.fixture(scope="session")
def no_api_project(cookies_session):
    return bake_ok(cookies_session, api_framework="none")


@pytest.fixture(params=["default", "celery", "drf", "no_api"])
def each_project(request):
    """The default bake (Django Ninja), the one with background jobs, and each other API
    framework choice."""
    return request.getfixturevalue(f"{request.param}_project")


@pytest.fixture(scope="session")
def project_python(cookies_session, tmp_path_factory):
    """A Python with a PostgreSQL bake's uv.lock installed, as `make` would: the SQLite
    lock pins the same versions, less the PostgreSQL driver (tests/test_locks.py)."""
    project = bake_ok(cookies_session, database="postgresql")
    return uv_sync(project, tmp_path_factory.mktemp("generated-project-venv"))


@pytest.fixture(scope="session")
def drf_python(drf_project, tmp_path_factory):
    """A Python with the REST framework bake's uv.lock installed (the default bake's
    Django Ninja is not in it)."""
    return uv_sync(drf_project, tmp_path_factory.mktemp("drf-project-venv"))


# Bakes of one module, which its tests may change


@pytest.fixture(scope="module")
def postgresql_project(cookies_session):
    return bake_ok(cookies_session, database="postgresql")


@pytest.fixture(scope="module")
def pg_backend_project(cookies_session):
    """A PostgreSQL bake named "Pg Backend": its slug, not the default one, names the
    database and its user in what the project shows."""
    return bake_ok(cookies_session, database="postgresql", project_name="Pg Backend")


@pytest.fixture(scope="module")
def installed_project(cookies_session):
    """A default bake after `make install`."""
    project = bake_ok(cookies_session)
    installed = make("install", project)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return project


@pytest.fixture
def planted(installed_project):
    """Write files into the installed project for one test; restore or delete them after."""
    saved = {}

    def plant(relative_path, text):
        path = installed_project / relative_path
        saved.setdefault(path, path.read_text() if path.exists() else None)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    yield plant
    for path, text in saved.items():
        if text is None:
            path.unlink()
        else:
            path.write_text(text)


@pytest.fixture(scope="module")
def staged_repository(installed_project):
    """The installed bake as a git repository with every file staged, for pre-commit."""
    assert run([*GIT, "init", "-q", "."], cwd=installed_project).returncode == 0
    assert run([*GIT, "add", "-A"], cwd=installed_project).returncode == 0
    return installed_project


@pytest.fixture(
    scope="module",
    params=[{"database": "sqlite"}, {"database": "postgresql", "background_jobs": "celery"}],
    ids=["sqlite", "postgresql-celery"],
)
def workflow_project(request, cookies_session):
    """A bake whose CI job runs without, and one whose job runs with, a database service."""
    return bake_ok(cookies_session, **request.param)


@pytest.fixture(scope="module")
def release_repository(cookies_session, tmp_path_factory):
    """A checkout with two commits, as `fetch-depth: 0` gives the Sentry release job."""
    repository = checkout(bake_ok(cookies_session), tmp_path_factory.mktemp("release") / "checkout")
    (repository / "CHANGELOG.md").write_text("# Changes\n")
    run([*GIT, "add", "CHANGELOG.md"], cwd=repository)
    run([*GIT, "commit", "-q", "-m", "Add a changelog"], cwd=repository)
    return repository


@pytest.fixture
def template_repository(tmp_path):
    """A git repository holding this template, as users clone it."""
    return cruft.template_repository(tmp_path / "template")


@pytest.fixture
def cruft_project(tmp_path, template_repository):
    """A project created with cruft and committed, as a team would start."""
    return cruft.cruft_project(tmp_path / "projects", template_repository)


# Servers the tests start: one of each per test worker


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server of this test session (one per xdist worker)."""
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def redis():
    """A Redis server of this test session (one per xdist worker), with a password."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sentry(default_project):
    """A capturing Sentry endpoint on loopback for one test: the EnvelopeServer of the
    bake's own suite, which keeps every envelope it is sent."""
    with envelope_server(default_project).EnvelopeServer() as server:
        yield server


@pytest.fixture
def impostor():
    """A process group leader whose command line says "bugsink": not ours to stop."""
    process = subprocess.Popen(["bash", "-c", "exec -a bugsink-impostor sleep 60"], start_new_session=True)
    yield process
    process.kill()
    process.wait()


@pytest.fixture
def browser(tmp_path):
    with chromium(tmp_path / "chromium-profile") as driver:
        yield driver


# Bakes served under gunicorn or uvicorn against a capturing Sentry endpoint


@pytest.fixture(scope="module")
def served_project(default_project, project_python, tmp_path_factory):
    """A copy of the default bake with the failing routes of tests/served."""
    return with_served_routes(default_project, project_python, tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="module")
def served_postgresql_project(cookies_session, project_python, tmp_path_factory):
    """A copy of a PostgreSQL bake with the failing routes of tests/served."""
    bake = bake_ok(cookies_session, database="postgresql")
    # Collecting static files reads the settings, which need a DATABASE_URL, never used.
    return with_served_routes(
        bake, project_python, tmp_path_factory.mktemp("served"), DATABASE_URL="postgres://unused/db"
    )


@pytest.fixture(scope="session", params=["ninja", "drf"])
def served_api(request, tmp_path_factory):
    """A copy of the framework's bake, migrated and its static files collected, served
    by gunicorn with two workers, its docs on, every request traced and its mail going to
    a real SMTP server (Django Ninja's on the suite's PostgreSQL, REST framework's on
    SQLite), behind a proxy as the Kubernetes overlays assume (ALLAUTH_TRUSTED_PROXY_COUNT),
    with a user signed up and signed in; stopped at the end. Shared by the served-API and
    accounts modules, which run on one xdist worker (xdist_group "served-api")."""
    framework = request.param
    if framework == "ninja":
        source, python = request.getfixturevalue("default_project"), request.getfixturevalue("project_python")
        database_url = request.getfixturevalue("postgres").create_database(f"served_api_{free_port()}")
    else:
        source, python = request.getfixturevalue("drf_project"), request.getfixturevalue("drf_python")
        database_url = ""  # the bake's SQLite file
    folder = tmp_path_factory.mktemp(f"served-api-{framework}")
    with envelope_server(source).EnvelopeServer() as sentry:
        served = ServedApi.copy_of(
            source,
            python,
            folder,
            sentry,
            API_DOCS_ENABLED="true",
            DATABASE_URL=database_url,
            SENTRY_DSN=sentry.dsn(),
            SENTRY_TRACES_SAMPLE_RATE="1",
            SENTRY_ALLOWED_HEADERS="X-Client-Version",  # the privacy tests' control
            ALLAUTH_TRUSTED_PROXY_COUNT="1",
            WEB_CONCURRENCY="2",
        )
        with signed_in_under_gunicorn(served, folder / "gunicorn.log"):
            yield served


@pytest.fixture(scope="module")
def jobs_project(cookies_session, tmp_path_factory):
    """An installed and migrated Celery bake with the routes and task of tests/served:
    (its folder, its Python)."""
    return installed_jobs_project(cookies_session, tmp_path_factory.mktemp("celery-venv"))


@pytest.fixture
def jobs_deployment(jobs_project, redis, sentry, tmp_path):
    """The Celery bake's web app, workers and beat, started as a test asks, against this
    session's Redis and the test's Sentry endpoint; every process stopped at the end."""
    deployment = JobsDeployment(jobs_project, redis, sentry, tmp_path)
    yield deployment
    deployment.stop()


# A real Sentry-protocol server: Bugsink, started by the bake's own `make sentry-local`


@pytest.fixture(scope="session")
def sentry_local_project(default_project, tmp_path_factory):
    """A copy of the default bake whose own `make sentry-local` runs Bugsink for the
    whole session: installed, migrated and started once, stopped by `make` at the end."""
    project = tmp_path_factory.mktemp("sentry-local") / default_project.name
    shutil.copytree(default_project, project)
    try:
        started = run(["make", "sentry-local", f"SENTRY_LOCAL_PORT={free_port()}"], cwd=project, timeout=900)
        assert started.returncode == 0, started.stdout + started.stderr
        yield project
    finally:
        stopped = run(["make", "sentry-local-stop"], cwd=project)
        assert stopped.returncode == 0, stopped.stderr


@pytest.fixture(scope="session")
def bugsink(sentry_local_project):
    """The running Bugsink, driven through the baked project's own script, on the port
    of the DSN that `make sentry-local` wrote into the project's .env."""
    port = urllib.parse.urlsplit(env_file_values(sentry_local_project)["SENTRY_DSN"]).port
    script = load_module(sentry_local_project / "scripts" / "sentry_local.py")
    return script.LocalSentry(
        sentry_local_project / ".sentry-local", sentry_local_project / ".venv-sentry", port
    )


@pytest.fixture
def bugsink_project(bugsink):
    return BugsinkProject(bugsink)


@pytest.fixture(params=["gunicorn", "runserver"])
def served_to_bugsink(request, sentry_local_project, project_python, tmp_path, bugsink_project):
    """The bake served by gunicorn (production settings) or runserver (development),
    reporting to a fresh Bugsink project."""
    process, served_project = serve_with_dsn(
        request.param, sentry_local_project, project_python, tmp_path, bugsink_project.dsn
    )
    yield served_project
    stop_server(process)


@pytest.fixture(params=["ninja", "drf"])
def failing_api(request, bugsink, tmp_path):
    """The framework's bake under gunicorn (two workers), reporting to a fresh Bugsink
    project, with a signed-in user and its notes table dropped, as a lost table or a
    broken migration leaves it: every query of a note fails."""
    framework = request.param
    source_name, python_name = {"ninja": ("default", "project"), "drf": ("drf", "drf")}[framework]
    source = request.getfixturevalue(f"{source_name}_project")
    python = request.getfixturevalue(f"{python_name}_python")
    bugsink_project = BugsinkProject(bugsink)
    served = ServedApi.copy_of(
        source,
        python,
        tmp_path,
        SECRET_KEY=PLANTED_SECRET_KEY,
        SENTRY_DSN=bugsink_project.dsn,
        WEB_CONCURRENCY="2",
    )
    with signed_in_under_gunicorn(served, tmp_path / "gunicorn.log"):
        with sqlite3.connect(served.project / "db.sqlite3") as database:
            database.execute("DROP TABLE notes_note")
        yield framework, served, bugsink_project


# The generated project's image, built and run by a Docker daemon of the tests' own


@pytest.fixture(scope="module")
def docker_ready(tmp_path_factory):
    with docker_daemon(tmp_path_factory.mktemp("dockerd")):
        yield


@pytest.fixture(scope="module")
def python_base_image(docker_ready, tmp_path_factory):
    """A Python image of Debian's packages, for the release the Dockerfile's base is."""
    release = debian_release(TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "Dockerfile")
    return base_image(release, tmp_path_factory.mktemp("base-image"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def image_database(request):
    return request.param


@pytest.fixture(scope="module")
def image_project(cookies_session, image_database):
    return bake_with_planted_files(cookies_session, image_database)


@pytest.fixture(scope="module")
def image(image_project, python_base_image):
    with built_image(image_project, python_base_image, f"SENTRY_RELEASE={IMAGE_RELEASE}") as tag:
        yield tag


@pytest.fixture(scope="module")
def image_deployment(image_database, request):
    """Secrets and hosts, two workers; a PostgreSQL bake's database on the suite's server,
    a SQLite bake's on a volume, as the project's README says to run it."""
    environment = {**DEPLOYED_ENVIRONMENT, "ALLOWED_HOSTS": "127.0.0.1", "WEB_CONCURRENCY": "2"}
    if image_database == "postgresql":
        url = request.getfixturevalue("postgres").create_database(f"image_{secrets.token_hex(4)}")
        yield Deployment({**environment, "DATABASE_URL": url}, [])
        return
    volume = docker("volume", "create").stdout.strip()
    try:
        yield Deployment(environment, [f"--volume={volume}:/app/data"])
    finally:
        docker("volume", "rm", "--force", volume, check=False)


@pytest.fixture(scope="module")
def served_image(image, image_deployment, image_project):
    """The image's own command, the debug route on, reporting to a capturing endpoint
    that lives as long as the container: (container name, URL, endpoint). Docker probes
    its health every second instead of every 30."""
    with envelope_server(image_project).EnvelopeServer() as sentry:
        environment, url = image_deployment.listening(
            SENTRY_DSN=sentry.dsn(), SENTRY_DEBUG_ROUTE_ENABLED="true"
        )
        with container(image, environment, *image_deployment.options, "--health-interval=1s") as name:
            wait_until_serving(name, url)
            yield name, url, sentry


@pytest.fixture(scope="module")
def jobs_image(cookies_session, python_base_image):
    bake = bake_ok(cookies_session, background_jobs="celery")
    with built_image(bake, python_base_image, label="jobs-") as tag:
        yield tag


# --- Kubernetes: the manifests of each bake, and their pods run by Docker ------------


@pytest.fixture(scope="module", params=BAKES, ids=["-".join(bake) for bake in BAKES])
def kubernetes_answers(request):
    database, jobs = request.param
    return {"database": database, "background_jobs": jobs}


@pytest.fixture(scope="module")
def kubernetes_project(cookies_session, kubernetes_answers):
    return bake_ok(cookies_session, **kubernetes_answers)


@pytest.fixture(scope="module", params=OVERLAYS)
def kubernetes_overlay(request):
    return request.param


@pytest.fixture(scope="module")
def rendered_manifests(kubernetes_project, kubernetes_overlay):
    return render(kubernetes_project, kubernetes_overlay)


@pytest.fixture(scope="module")
def celery_postgresql_project(cookies_session):
    return bake_ok(cookies_session, database="postgresql", background_jobs="celery")


@pytest.fixture(scope="module")
def checkov():
    """checkov in a virtual environment of its own (requirements-checkov.txt says why),
    installed once with the template's uv and reinstalled when its pin changes."""
    marker = CHECKOV_VENV / "requirements-checkov.txt"
    if not marker.exists() or marker.read_text() != CHECKOV_REQUIREMENTS.read_text():
        shutil.rmtree(CHECKOV_VENV, ignore_errors=True)
        python = CHECKOV_VENV / "bin" / "python"
        for command in (
            [UV, "venv", "--quiet", "--python", "python3", CHECKOV_VENV],
            [UV, "pip", "install", "--quiet", "--python", python, "-r", CHECKOV_REQUIREMENTS],
        ):
            result = subprocess.run(command, capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, result.stderr
        shutil.copy(CHECKOV_REQUIREMENTS, marker)
    return CHECKOV_VENV / "bin" / "checkov"


@pytest.fixture(scope="module")
def checkov_results(checkov, cookies_session, tmp_path_factory):
    """checkov's Kubernetes checks over every overlay of every bake, in one run: the
    checks of each rendered file, by its name."""
    folder = tmp_path_factory.mktemp("rendered")
    for database, jobs in BAKES:
        project = bake_ok(cookies_session, database=database, background_jobs=jobs)
        for overlay in OVERLAYS:
            (folder / f"{database}-{jobs}-{overlay}.yaml").write_text(render(project, overlay)[1])
    result = subprocess.run(
        [checkov, "--framework", "kubernetes", "--skip-download", "--directory", folder, "--output", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, **CHECKOV_ENVIRONMENT},
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert report["summary"]["parsing_errors"] == 0
    by_file = {}
    for outcome in ("passed_checks", "failed_checks", "skipped_checks"):
        for check in report["results"][outcome]:
            by_file.setdefault(check["file_path"].lstrip("/"), {}).setdefault(outcome, []).append(check)
    return by_file


@pytest.fixture(scope="module")
def production_manifests(celery_postgresql_project, python_base_image):
    """The production overlay of a PostgreSQL and Celery bake, with the image built here
    as its release."""
    tag = secrets.token_hex(6)
    build(celery_postgresql_project, f"{KUBERNETES_REPOSITORY}:{tag}", python_base_image)
    set_image(celery_postgresql_project, "production", KUBERNETES_REPOSITORY, tag)
    yield render(celery_postgresql_project, "production")[0]
    docker("image", "rm", "--force", f"{KUBERNETES_REPOSITORY}:{tag}", check=False)


@pytest.fixture(scope="module")
def kubernetes_secret(postgres, redis):
    """What the Secret app-secrets holds (docs/deploy.md), for this test's servers."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": postgres.create_database(f"kubernetes_{secrets.token_hex(4)}"),
        "SENTRY_DSN": "",
        "SENTRY_USER_ID_KEY": secrets.token_urlsafe(50),
        "EMAIL_URL": "dummymail://",
        "CELERY_BROKER_URL": redis.url(5),
    }


@pytest.fixture(scope="module")
def kubernetes_pods(production_manifests, kubernetes_secret):
    """Each pod spec, ready to run: {name: Pod}; the Job's as `migrate`."""
    with ExitStack() as cleanup:
        yield {
            name.partition("-")[0]: Pod(spec, config_data(production_manifests), kubernetes_secret, cleanup)
            for name, spec in pod_specs(production_manifests).items()
        }


@pytest.fixture(scope="module")
def migration_job(kubernetes_pods):
    return kubernetes_pods["migrate"].run()


@pytest.fixture(scope="module")
def kubernetes_deployment(kubernetes_pods, migration_job):
    """After the migration Job, as docs/deploy.md applies them: two web pods and a
    worker. {name: (Pod, container)}, and each web container's port."""
    assert migration_job.returncode == 0, migration_job.stdout + migration_job.stderr
    web_ports = [free_port(), free_port()]
    web = kubernetes_pods["web"]
    running = {
        f"web-{index}": (web, web.start(GUNICORN_BIND=f"127.0.0.1:{port}"))
        for index, port in enumerate(web_ports)
    }
    running["worker"] = (kubernetes_pods["worker"], kubernetes_pods["worker"].start())
    return running, web_ports


@pytest.fixture(scope="module")
def beat_pod(kubernetes_pods, migration_job):
    """Beat, its emptyDir holding the schedule of a beat that ran yesterday: (Pod, container)."""
    pod = kubernetes_pods["beat"]
    command = pod.container["command"]
    # Celery's default: celerybeat-schedule in the working directory.
    schedule = command[command.index("--schedule") + 1] if "--schedule" in command else "celerybeat-schedule"
    seeded = pod.run(["python3", "-c", SCHEDULE_RAN_YESTERDAY, schedule])
    assert seeded.returncode == 0, seeded.stderr
    return pod, pod.start()
