"""The generated Kubernetes manifests, read as `kubectl kustomize` renders each kubernetes_overlay of
each bake whose manifests differ (database x background jobs): valid against the API's
schemas of the oldest and newest maintained Kubernetes minor that kubernetes-validate
knows; nothing checkov's Kubernetes policies flag but what a manifest skips with its
reason; and what a platform engineer would look for, read from the output: probes on
the health routes and the container's port, one beat that never overlaps another,
workers that outlast their tasks' time limit, no secret anywhere, every pod locked down.
Faults planted in a bake's manifests fail those checks.
"""

import shutil

import pytest

from tests.helpers.bake import env_file_values
from tests.helpers.kubernetes_manifests import (
    BAKES,
    HEALTH_PATH,
    LIVENESS_PATH,
    check_locked_down,
    check_no_secret,
    check_one_beat,
    check_probes,
    check_release,
    check_valid,
    check_worker_outlasts_its_tasks,
    config_data,
    find,
    image_user,
    kubernetes_versions,
    one,
    pod_specs,
    render,
    set_image,
)

# One worker renders the bakes and runs checkov once over all of them.
pytestmark = pytest.mark.xdist_group("kubernetes-manifests")

# A release tag as a user's CI sets it: `git rev-parse HEAD`.
COMMIT_SHA = "3f9a1c4e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39"


@pytest.mark.parametrize("version", kubernetes_versions())
def test_every_manifest_is_valid_against_the_kubernetes_schemas(rendered_manifests, version):
    check_valid(rendered_manifests[0], [version])


def test_web_probes_ask_the_health_routes_on_gunicorns_port(rendered_manifests):
    check_probes(rendered_manifests[0])


def test_nothing_secret_is_in_the_manifests(rendered_manifests, kubernetes_project):
    documents, text = rendered_manifests
    check_no_secret(documents, text, [env_file_values(kubernetes_project)["SECRET_KEY"]])


def test_every_pod_runs_as_the_images_user_locked_down(rendered_manifests, kubernetes_project):
    check_locked_down(rendered_manifests[0], image_user(kubernetes_project))


def test_each_overlay_names_its_own_settings_and_environment(rendered_manifests, kubernetes_overlay):
    data = config_data(rendered_manifests[0])
    assert (data["DJANGO_SETTINGS_MODULE"], data["SENTRY_ENVIRONMENT"]) == (
        f"core.settings.{kubernetes_overlay}",
        kubernetes_overlay,
    )


def test_the_ingress_host_is_one_allowed_hosts_admits(rendered_manifests):
    documents, _ = rendered_manifests
    ingress = one(documents, "Ingress", "web")
    hosts = {rule["host"] for rule in ingress["spec"]["rules"]} | set(ingress["spec"]["tls"][0]["hosts"])
    assert hosts <= set(config_data(documents)["ALLOWED_HOSTS"].split(","))
    service = one(documents, "Service", "web")
    assert ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == "web"
    assert service["spec"]["ports"][0]["targetPort"] == "http"


def test_gunicorn_workers_follow_the_web_cpu_limit(rendered_manifests):
    [web] = pod_specs(rendered_manifests[0])["web"]["containers"]
    concurrency = {v["name"]: v.get("valueFrom") for v in web["env"]}["WEB_CONCURRENCY"]
    assert concurrency["resourceFieldRef"]["resource"] == "limits.cpu"
    assert {"cpu", "memory"} <= web["resources"]["requests"].keys() & web["resources"]["limits"].keys()


def test_web_stops_within_its_grace_period(rendered_manifests):
    web = pod_specs(rendered_manifests[0])["web"]
    [container] = web["containers"]
    pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    graceful = int(config_data(rendered_manifests[0])["GUNICORN_GRACEFUL_TIMEOUT"])
    assert web["terminationGracePeriodSeconds"] > pause + graceful


def test_web_scales_out_on_postgresql_and_stays_one_pod_on_sqlite(
    rendered_manifests, kubernetes_answers, kubernetes_overlay
):
    documents, _ = rendered_manifests
    web = one(documents, "Deployment", "web")
    if kubernetes_answers["database"] == "postgresql":
        autoscaler = one(documents, "HorizontalPodAutoscaler", "web")
        assert autoscaler["spec"]["scaleTargetRef"]["name"] == "web"
        assert autoscaler["spec"]["minReplicas"] >= (2 if kubernetes_overlay == "production" else 1)
        assert "replicas" not in web["spec"]  # the autoscaler's to set
        assert one(documents, "PodDisruptionBudget", "web")["spec"]["maxUnavailable"] == 1
        spread = web["spec"]["template"]["spec"]["topologySpreadConstraints"]
        assert "kubernetes.io/hostname" in {constraint["topologyKey"] for constraint in spread}
    else:
        assert (web["spec"]["replicas"], web["spec"]["strategy"]["type"]) == (1, "Recreate")
        volume = {v["name"]: v for v in web["spec"]["template"]["spec"]["volumes"]}["database"]
        assert (
            one(documents, "PersistentVolumeClaim")["metadata"]["name"]
            == volume["persistentVolumeClaim"]["claimName"]
        )
        assert find(documents, "HorizontalPodAutoscaler") == []


def test_celery_bakes_run_one_beat_and_workers_that_outlast_their_tasks(
    rendered_manifests, kubernetes_answers
):
    documents, _ = rendered_manifests
    if kubernetes_answers["background_jobs"] != "celery":
        assert {"worker", "beat"} & pod_specs(documents).keys() == set()
        return
    check_one_beat(documents)
    check_worker_outlasts_its_tasks(documents)


def test_a_commit_sha_as_the_tag_is_every_release_and_the_migration_jobs_name(
    kubernetes_project, kubernetes_overlay, tmp_path
):
    copy = shutil.copytree(kubernetes_project, tmp_path / kubernetes_project.name)
    set_image(copy, kubernetes_overlay, "registry.example.com/averon-backend", COMMIT_SHA)

    check_release(render(copy, kubernetes_overlay)[0], COMMIT_SHA)


@pytest.mark.parametrize("bake", BAKES, ids=["-".join(bake) for bake in BAKES])
def test_checkov_flags_nothing_and_each_skip_names_its_reason(checkov_results, bake, kubernetes_overlay):
    checks = checkov_results[f"{'-'.join(bake)}-{kubernetes_overlay}.yaml"]

    failed = [f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in checks.get("failed_checks", [])]
    assert failed == []
    assert len(checks["passed_checks"]) > 100
    unexplained = [
        c["check_id"] for c in checks["skipped_checks"] if not c["check_result"].get("suppress_comment")
    ]
    assert unexplained == []


# Each fault, planted in a copy of a PostgreSQL and Celery bake's manifests: (file, text,
# replacement), and the check it must fail.
FAULTS = {
    "a-misspelt-field": ("base/web-deployment.yaml", "readinessProbe:", "readinesProbe:", check_valid),
    "liveness-probe-on-the-wrong-path": (
        "base/web-deployment.yaml",
        f"path: {LIVENESS_PATH}",
        f"path: {HEALTH_PATH}",
        check_probes,
    ),
    "a-probe-on-another-port": ("base/web-deployment.yaml", "port: http", "port: 8080", check_probes),
    "a-second-beat": ("base/beat-deployment.yaml", "replicas: 1", "replicas: 2", check_one_beat),
    "beat-rolled-over": (
        "base/beat-deployment.yaml",
        "type: Recreate",
        "type: RollingUpdate",
        check_one_beat,
    ),
    "worker-grace-shorter-than-a-task": (
        "base/worker-deployment.yaml",
        "terminationGracePeriodSeconds: 330",
        "terminationGracePeriodSeconds: 30",
        check_worker_outlasts_its_tasks,
    ),
    "a-secret-in-the-config-map": (
        "overlays/production/kustomization.yaml",
        "      - SENTRY_ENVIRONMENT=production",
        "      - SENTRY_ENVIRONMENT=production\n      - SECRET_KEY={secret_key}",
        check_no_secret,
    ),
    "a-database-password-in-the-config-map": (
        "overlays/production/kustomization.yaml",
        "      - SENTRY_ENVIRONMENT=production",
        "      - SENTRY_ENVIRONMENT=production\n      - DB_URL=postgres://app:{secret_key}@db:5432/app",
        check_no_secret,
    ),
    "a-writable-root-filesystem": (
        "base/beat-deployment.yaml",
        "readOnlyRootFilesystem: true",
        "readOnlyRootFilesystem: false",
        check_locked_down,
    ),
    "the-service-account-token-mounted": (
        "base/migrate-job.yaml",
        "automountServiceAccountToken: false",
        "automountServiceAccountToken: true",
        check_locked_down,
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_planted_fault_fails_its_check(celery_postgresql_project, fault, tmp_path):
    relative_path, text, replacement, check = FAULTS[fault]
    copy = shutil.copytree(celery_postgresql_project, tmp_path / celery_postgresql_project.name)
    secret_key = env_file_values(copy)["SECRET_KEY"]
    path = copy / "deploy" / "kubernetes" / relative_path
    assert text in path.read_text()
    path.write_text(path.read_text().replace(text, replacement.format(secret_key=secret_key), 1))
    documents, rendered_text = render(copy, "production")
    arguments = {
        check_no_secret: (documents, rendered_text, [secret_key]),
        check_locked_down: (documents, image_user(copy)),
    }.get(check, (documents,))

    with pytest.raises(AssertionError):
        check(*arguments)
