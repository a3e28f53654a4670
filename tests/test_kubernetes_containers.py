"""The production overlay of a PostgreSQL and Celery bake, its containers run as its pod
specs say, on the suite's Docker engine, against the suite's PostgreSQL and Redis: the
rendered image, command, environment (the rendered ConfigMap, a test Secret, the
downward API's CPU limit), user and groups, read-only root filesystem with each
emptyDir mounted, no capability, no privilege escalation, CPU and memory limits. The
migration_job Job exits 0, two web containers pass their probes and serve the Ingress's
host, the image holds no manifest, the worker runs a task queued from web, beat_pod sends
its due schedule, and each stops by itself on SIGTERM within its grace period. Beat on
a root filesystem it cannot write to fails, which proves the restrictions hold.

Where Docker is not a kubelet (tests/kubernetes_pods.py has the rest): containers share
the host's network here, so each web container listens on a loopback port of its own,
where a pod listens on 8000 at its own address, and its probes go there.
"""

import http.client
import json
import re

import pytest

from tests.helpers.docker_engine import docker
from tests.helpers.kubernetes_manifests import one
from tests.helpers.processes import wait_for

# One worker builds and runs all of these, with one Docker daemon (--dist loadgroup).
pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("docker")]

ENVIRONMENT = "import json, os; print(json.dumps(dict(os.environ)))"
QUEUE_A_TASK = """
from ops.tasks import send_email
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


def test_the_migration_job_exits_0_and_leaves_nothing_to_migrate(migration_job, kubernetes_pods):
    assert migration_job.returncode == 0, migration_job.stdout + migration_job.stderr
    assert "Applying sessions.0001_initial... OK" in migration_job.stdout

    checked = kubernetes_pods["migrate"].run(["python3", "manage.py", "migrate", "--check"])

    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_two_web_containers_pass_their_probes_and_serve_the_ingress_host(
    kubernetes_deployment, kubernetes_pods, production_manifests
):
    _, web_ports = kubernetes_deployment
    web = kubernetes_pods["web"].container
    host = one(production_manifests, "Ingress", "web")["spec"]["rules"][0]["host"]
    startup = web["startupProbe"]
    patience = startup["periodSeconds"] * startup["failureThreshold"]

    for port in web_ports:
        wait_for(lambda port=port: probe(port, startup), timeout=patience, what="the startup probe")
        assert probe(port, web["readinessProbe"]) and probe(port, web["livenessProbe"])
        status, body = get(port, web["readinessProbe"]["httpGet"]["path"])
        assert json.loads(body) == {"status": "ok", "database": "ok", "broker": "ok"}
        # As the Ingress sends it: the public host, over TLS it ended. A page of Django's
        # that reads the session: not signed in, allauth's 401.
        ingress = {"Host": host, "X-Forwarded-Proto": "https"}
        status, _ = get(port, "/_allauth/browser/v1/auth/session", ingress)
        assert status == 401


def test_worker_counts_follow_the_cpu_limits_and_the_release_is_the_images_tag(
    kubernetes_deployment, kubernetes_pods
):
    running, _ = kubernetes_deployment
    _, web = running["web-0"]
    _, worker = running["worker"]

    environment = json.loads(docker("exec", web, "python3", "-c", ENVIRONMENT).stdout)

    # Limits of 1 CPU, 500m per gunicorn worker or Celery pool process.
    assert environment["WEB_CONCURRENCY"] == "2"
    wait_for(lambda: re.search(r"concurrency: 2 \(prefork\)", logs(worker)), what="the worker's banner")
    assert environment["SENTRY_RELEASE"] == kubernetes_pods["web"].container["image"].rpartition(":")[2]


def test_the_image_holds_no_manifest(kubernetes_deployment):
    running, _ = kubernetes_deployment
    _, web = running["web-0"]
    listed = docker("exec", web, "ls", "/app").stdout.split()

    assert "manage.py" in listed and "deploy" not in listed  # .dockerignore


def test_the_worker_runs_a_task_queued_from_web(kubernetes_deployment):
    running, _ = kubernetes_deployment
    _, web = running["web-0"]
    _, worker = running["worker"]

    queued = docker("exec", web, "python3", "manage.py", "shell", "-c", QUEUE_A_TASK)

    task_id = queued.stdout.split()[-1]
    wait_for(lambda: f"send_email[{task_id}] succeeded" in logs(worker), timeout=90, what="the queued task")


def test_beat_sends_its_due_schedule_and_the_worker_runs_it(kubernetes_deployment, beat_pod):
    running, _ = kubernetes_deployment
    _, worker = running["worker"]
    _, container = beat_pod

    wait_for(lambda: "Sending due task clear-expired-sessions" in logs(container), timeout=90, what="beat")
    wait_for(
        lambda: re.search(r"clear_expired_sessions\[[\w-]+\] succeeded", logs(worker)),
        timeout=90,
        what="the scheduled task",
    )


def test_beat_on_a_root_filesystem_it_cannot_write_to_fails(kubernetes_pods):
    beat_pod = kubernetes_pods["beat"]
    [tmp] = [mount["mountPath"] for mount in beat_pod.container["volumeMounts"]]

    result = beat_pod.run(without_mounts=[tmp], timeout=60)

    assert result.returncode != 0
    assert "Read-only file system" in result.stdout + result.stderr


# Last: it stops what the others use.
def test_each_container_stops_by_itself_within_its_grace_period_on_sigterm(kubernetes_deployment, beat_pod):
    running = {**kubernetes_deployment[0], "beat": beat_pod}

    exit_codes = {name: pod.stop(container) for name, (pod, container) in running.items()}

    assert exit_codes == {"web-0": "0", "web-1": "0", "worker": "0", "beat": "0"}
