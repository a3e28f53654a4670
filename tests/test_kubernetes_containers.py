"""The production overlay of a PostgreSQL and Celery bake, its containers run as its pod
specs say, on the suite's Docker engine, against the suite's PostgreSQL and Redis: the
rendered image, command, environment (the rendered ConfigMap, a test Secret, the
downward API's CPU limit), user and groups, read-only root filesystem with each
emptyDir mounted, no capability, no privilege escalation, CPU and memory limits. The
migration Job exits 0, two web containers pass their probes and serve the Ingress's
host, the image holds no manifest, the worker runs a task queued from web, beat sends
its due schedule, and each stops by itself on SIGTERM within its grace period. Beat on
a root filesystem it cannot write to fails, which proves the restrictions hold.

Where Docker is not a kubelet (tests/kubernetes_pods.py has the rest): containers share
the host's network here, so each web container listens on a loopback port of its own,
where a pod listens on 8000 at its own address, and its probes go there.
"""

import http.client
import json
import re
import secrets
from contextlib import ExitStack

import pytest

from tests.helpers.bake import TEMPLATE_DIR, bake_ok
from tests.helpers.docker_engine import base_image, build, debian_release, docker, docker_daemon
from tests.helpers.kubernetes_manifests import config_data, one, pod_specs, render, set_image
from tests.helpers.kubernetes_pods import Pod
from tests.helpers.processes import free_port, wait_for

# One worker builds and runs all of these, with one Docker daemon (--dist loadgroup).
pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("docker")]

REPOSITORY = "averon-template-test-kubernetes"
# Beat's schedule file as a beat that sent its nightly tasks a day ago leaves it in the
# pod's emptyDir, so a restarted beat has them due at once.
SCHEDULE_RAN_YESTERDAY = """
import datetime, sys
from celery.beat import PersistentScheduler
from core.celery import app
scheduler = PersistentScheduler(app=app, schedule_filename=sys.argv[1])
for entry in scheduler.schedule.values():
    entry.last_run_at = app.now() - datetime.timedelta(days=1)
scheduler.close()
"""
ENVIRONMENT = "import json, os; print(json.dumps(dict(os.environ)))"
QUEUE_A_TASK = """
from api.tasks import send_email
print(send_email.delay(to_email="ada@example.com", subject="Hello", body="From web").id)
"""


def logs(name):
    result = docker("logs", name)
    return result.stdout + result.stderr


def get(port, path, headers=None):
    """(status, body) of a GET to a container's loopback port, following no redirect."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def probe(port, spec):
    """A kubelet's httpGet probe: any status from 200 to 399 passes."""
    try:
        return 200 <= get(port, spec["httpGet"]["path"])[0] < 400
    except OSError:
        return False


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    with docker_daemon(tmp_path_factory.mktemp("dockerd")):
        release = debian_release(TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "Dockerfile")
        yield base_image(release, tmp_path_factory.mktemp("base-image"))


@pytest.fixture(scope="module")
def manifests(cookies_session, base):
    """The production overlay with the image built here as its release."""
    project = bake_ok(cookies_session, database="postgresql", background_jobs="celery")
    tag = secrets.token_hex(6)
    build(project, f"{REPOSITORY}:{tag}", base)
    set_image(project, "production", REPOSITORY, tag)
    yield render(project, "production")[0]
    docker("image", "rm", "--force", f"{REPOSITORY}:{tag}", check=False)


@pytest.fixture(scope="module")
def secret(postgres, redis):
    """What the Secret app-secrets holds (docs/deploy.md), for this test's servers."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": postgres.create_database(f"kubernetes_{secrets.token_hex(4)}"),
        "SENTRY_DSN": "",
        "EMAIL_URL": "dummymail://",
        "CELERY_BROKER_URL": redis.url(5),
    }


@pytest.fixture(scope="module")
def pods(manifests, secret):
    """Each pod spec, ready to run: {name: Pod}; the Job's as `migrate`."""
    with ExitStack() as cleanup:
        yield {
            name.partition("-")[0]: Pod(spec, config_data(manifests), secret, cleanup)
            for name, spec in pod_specs(manifests).items()
        }


@pytest.fixture(scope="module")
def migration(pods):
    return pods["migrate"].run()


@pytest.fixture(scope="module")
def deployment(pods, migration):
    """After the migration Job, as docs/deploy.md applies them: two web pods and a
    worker. {name: (Pod, container)}, and each web container's port."""
    assert migration.returncode == 0, migration.stdout + migration.stderr
    web_ports = [free_port(), free_port()]
    running = {
        f"web-{index}": (pods["web"], pods["web"].start(GUNICORN_BIND=f"127.0.0.1:{port}"))
        for index, port in enumerate(web_ports)
    }
    running["worker"] = (pods["worker"], pods["worker"].start())
    return running, web_ports


@pytest.fixture(scope="module")
def beat(pods, migration):
    """Beat, its emptyDir holding the schedule of a beat that ran yesterday: (Pod, container)."""
    pod = pods["beat"]
    command = pod.container["command"]
    # Celery's default: celerybeat-schedule in the working directory.
    schedule = command[command.index("--schedule") + 1] if "--schedule" in command else "celerybeat-schedule"
    seeded = pod.run(["python3", "-c", SCHEDULE_RAN_YESTERDAY, schedule])
    assert seeded.returncode == 0, seeded.stderr
    return pod, pod.start()


def test_the_migration_job_exits_0_and_leaves_nothing_to_migrate(migration, pods):
    assert migration.returncode == 0, migration.stdout + migration.stderr
    assert "Applying sessions.0001_initial... OK" in migration.stdout

    checked = pods["migrate"].run(["python3", "manage.py", "migrate", "--check"])

    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_two_web_containers_pass_their_probes_and_serve_the_ingress_host(deployment, pods, manifests):
    _, web_ports = deployment
    web = pods["web"].container
    host = one(manifests, "Ingress", "web")["spec"]["rules"][0]["host"]
    startup = web["startupProbe"]
    patience = startup["periodSeconds"] * startup["failureThreshold"]

    for port in web_ports:
        wait_for(lambda port=port: probe(port, startup), timeout=patience, what="the startup probe")
        assert probe(port, web["readinessProbe"]) and probe(port, web["livenessProbe"])
        status, body = get(port, web["readinessProbe"]["httpGet"]["path"])
        assert json.loads(body) == {"status": "ok", "database": "ok", "broker": "ok"}
        # As the Ingress sends it: the public host, over TLS it ended.
        status, _ = get(port, "/admin/login/", {"Host": host, "X-Forwarded-Proto": "https"})
        assert status == 200


def test_worker_counts_follow_the_cpu_limits_and_the_release_is_the_images_tag(deployment, pods):
    running, _ = deployment
    _, web = running["web-0"]
    _, worker = running["worker"]

    environment = json.loads(docker("exec", web, "python3", "-c", ENVIRONMENT).stdout)

    # Limits of 1 CPU, 500m per gunicorn worker or Celery pool process.
    assert environment["WEB_CONCURRENCY"] == "2"
    wait_for(lambda: re.search(r"concurrency: 2 \(prefork\)", logs(worker)), what="the worker's banner")
    assert environment["SENTRY_RELEASE"] == pods["web"].container["image"].rpartition(":")[2]


def test_the_image_holds_no_manifest(deployment):
    running, _ = deployment
    _, web = running["web-0"]
    listed = docker("exec", web, "ls", "/app").stdout.split()

    assert "manage.py" in listed and "deploy" not in listed  # .dockerignore


def test_the_worker_runs_a_task_queued_from_web(deployment):
    running, _ = deployment
    _, web = running["web-0"]
    _, worker = running["worker"]

    queued = docker("exec", web, "python3", "manage.py", "shell", "-c", QUEUE_A_TASK)

    task_id = queued.stdout.split()[-1]
    wait_for(lambda: f"send_email[{task_id}] succeeded" in logs(worker), timeout=90, what="the queued task")


def test_beat_sends_its_due_schedule_and_the_worker_runs_it(deployment, beat):
    running, _ = deployment
    _, worker = running["worker"]
    _, container = beat

    wait_for(lambda: "Sending due task clear-expired-sessions" in logs(container), timeout=90, what="beat")
    wait_for(
        lambda: re.search(r"clear_expired_sessions\[[\w-]+\] succeeded", logs(worker)),
        timeout=90,
        what="the scheduled task",
    )


def test_beat_on_a_root_filesystem_it_cannot_write_to_fails(pods):
    beat = pods["beat"]
    [tmp] = [mount["mountPath"] for mount in beat.container["volumeMounts"]]

    result = beat.run(without_mounts=[tmp], timeout=60)

    assert result.returncode != 0
    assert "Read-only file system" in result.stdout + result.stderr


# Last: it stops what the others use.
def test_each_container_stops_by_itself_within_its_grace_period_on_sigterm(deployment, beat):
    running = {**deployment[0], "beat": beat}

    exit_codes = {name: pod.stop(container) for name, (pod, container) in running.items()}

    assert exit_codes == {"web-0": "0", "web-1": "0", "worker": "0", "beat": "0"}
