"""The generated Kubernetes manifests as `kubectl kustomize` renders an overlay of a bake,
read as documents, and the checks the template's tests make of them: each an assertion
on one overlay's rendered manifests, which a planted fault makes fail."""

import re
import subprocess

import yaml
from kubernetes_validate import ValidationError, utils, validate

from tests.helpers.bake import TEMPLATE_DIR

# What the Secret holds and no manifest may: core/settings/deployed.py requires them.
SECRET_VARIABLES = {"SECRET_KEY", "DATABASE_URL", "SENTRY_DSN", "EMAIL_URL", "CELERY_BROKER_URL"}
SECRET_NAME = "app-secrets"
HEALTH_PATH = "/api/health/"
LIVENESS_PATH = "/api/health/live/"
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
# A URL with a password in it, such as a DATABASE_URL or a broker's.
URL_WITH_PASSWORD = re.compile(r"\w+://[^/\s:@]*:[^/\s@]+@")

BAKES = [(database, jobs) for database in ("sqlite", "postgresql") for jobs in ("none", "celery")]
OVERLAYS = ("staging", "production")
CHECKOV_REQUIREMENTS = TEMPLATE_DIR / "requirements-checkov.txt"
CHECKOV_VENV = TEMPLATE_DIR / ".venv" / "checkov"
# Offline: no policy download, no mapping from the vendor's platform, no version check.
CHECKOV_ENVIRONMENT = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE"}


def render(project, overlay):
    """The overlay's manifests as `kubectl kustomize` renders them: (documents, text)."""
    result = subprocess.run(
        ["kubectl", "kustomize", project / "deploy" / "kubernetes" / "overlays" / overlay],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return list(yaml.safe_load_all(result.stdout)), result.stdout


def set_image(project, overlay, name, tag):
    """What `kustomize edit set image` writes into an overlay (kubectl has no `edit`)."""
    kustomization = project / "deploy" / "kubernetes" / "overlays" / overlay / "kustomization.yaml"
    text = re.sub(r"(?m)^(\s+newName:).*$", rf"\1 {name}", kustomization.read_text())
    kustomization.write_text(re.sub(r"(?m)^(\s+newTag:).*$", rf'\1 "{tag}"', text))


def find(documents, kind, name=None):
    return [d for d in documents if d["kind"] == kind and name in (None, d["metadata"]["name"])]


def one(documents, kind, name=None):
    [document] = find(documents, kind, name)
    return document


def pod_specs(documents):
    """{name: pod spec} of every Deployment and Job."""
    return {
        d["metadata"]["name"]: d["spec"]["template"]["spec"]
        for d in documents
        if d["kind"] in ("Deployment", "Job")
    }


def config_data(documents):
    return one(documents, "ConfigMap")["data"]


def image_user(project):
    """The numeric user and group of the image's USER line."""
    return tuple(
        map(int, re.search(r"(?m)^USER (\d+):(\d+)$", (project / "Dockerfile").read_text()).groups())
    )


def check_probes(documents):
    """Web's startup and readiness probes ask /api/health/ (the database and broker), its
    liveness probe /api/health/live/ (the process only), all on the container's port,
    which is where gunicorn listens."""
    [web] = pod_specs(documents)["web"]["containers"]
    ports = {port["name"]: port["containerPort"] for port in web["ports"]}
    bind_port = int(config_data(documents)["GUNICORN_BIND"].rpartition(":")[2])
    paths = {}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = web[probe]["httpGet"]
        assert ports.get(get["port"], get["port"]) == bind_port, probe
        paths[probe] = get["path"]
    assert paths == {
        "startupProbe": HEALTH_PATH,
        "readinessProbe": HEALTH_PATH,
        "livenessProbe": LIVENESS_PATH,
    }


def check_one_beat(documents):
    """A single beat, replaced by stopping it first: two would queue each task twice."""
    [beat] = find(documents, "Deployment", "beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert "beat" not in {
        h["spec"]["scaleTargetRef"]["name"] for h in find(documents, "HorizontalPodAutoscaler")
    }


def check_worker_outlasts_its_tasks(documents):
    worker = pod_specs(documents)["worker"]
    assert worker["terminationGracePeriodSeconds"] > int(config_data(documents)["CELERY_TASK_TIME_LIMIT"])


def check_no_secret(documents, text, known_values):
    """Secrets reach pods only by reference to the Secret, which no manifest holds."""
    assert find(documents, "Secret") == []
    assert SECRET_VARIABLES & config_data(documents).keys() == set()
    assert [value for value in known_values if value in text] == []
    assert URL_WITH_PASSWORD.findall(text) == []
    for name, pod in pod_specs(documents).items():
        for container in pod["containers"]:
            secret_refs = [s["secretRef"]["name"] for s in container["envFrom"] if "secretRef" in s]
            assert secret_refs == [SECRET_NAME], name
            assert SECRET_VARIABLES & {variable["name"] for variable in container.get("env", [])} == set()


def check_locked_down(documents, user):
    """Every pod as the image's user, not root, with the default seccomp profile and no
    service-account token; every container without privileges or capabilities, on a
    read-only root filesystem, with an emptyDir at /tmp and no volume of the node's."""
    for name, pod in pod_specs(documents).items():
        security = pod["securityContext"]
        assert security["runAsNonRoot"] is True, name
        assert (security["runAsUser"], security["runAsGroup"], security["fsGroup"]) == (*user, user[1]), name
        assert security["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["automountServiceAccountToken"] is False, name
        volumes = {volume["name"]: volume for volume in pod["volumes"]}
        for container in pod["containers"]:
            assert container["securityContext"] == {
                "allowPrivilegeEscalation": False,
                "readOnlyRootFilesystem": True,
                "capabilities": {"drop": ["ALL"]},
            }, name
            mounts = {mount["mountPath"]: volumes[mount["name"]] for mount in container["volumeMounts"]}
            assert "emptyDir" in mounts["/tmp"], name
            assert all({"emptyDir", "persistentVolumeClaim"} & volume.keys() for volume in mounts.values())


def check_release(documents, tag):
    """The image tag is every pod's SENTRY_RELEASE, and names the migration Job validly."""
    for name, pod in pod_specs(documents).items():
        for container in pod["containers"]:
            assert container["image"].rpartition(":")[2] == tag, name
            release = {v["name"]: v.get("value") for v in container["env"]}["SENTRY_RELEASE"]
            assert release == tag, name
    [job] = find(documents, "Job")
    assert job["metadata"]["name"] == f"migrate-{tag}"
    # The Job controller puts the name in a label of its pods: 63 characters at most.
    assert DNS_LABEL.fullmatch(job["metadata"]["name"]) and len(job["metadata"]["name"]) <= 63


def kubernetes_versions():
    """The newest minor kubernetes-validate knows, and the oldest of the three newest,
    the ones upstream still maintains."""
    newest = utils.latest_version()
    major, minor, _ = newest.split(".")
    return [f"{major}.{int(minor) - 2}.0", newest]


def check_valid(documents, versions=None):
    """Every document against the schemas, rejecting fields they do not know."""
    for version in versions or kubernetes_versions():
        for document in documents:
            try:
                validate(document, version, strict=True)
            except ValidationError as error:
                raise AssertionError(
                    f"{version}: {document['kind']} {document['metadata']['name']}: {error.message}"
                ) from None
