"""A pod spec of the rendered Kubernetes manifests, run with the suite's Docker engine as
a kubelet would run it: the image, command and args ($(NAME) expanded), environment from
the ConfigMap, the Secret and the downward API, the user and groups, the root filesystem
read-only, each emptyDir mounted, capabilities dropped, no privilege escalation, the
CPU and memory limits; SIGTERM, then SIGKILL when the grace period is over.

Where Docker is not a kubelet: containers share the host's network (the engine here has
no bridge); an emptyDir is a Docker volume made for the pod (on the node's disk, it
outlasts a restart of its container, as an emptyDir does); RuntimeDefault seccomp is
Docker's default profile; preStop's sleep is taken from the grace period, not slept.
"""

import math
import re

from tests.helpers.docker_engine import docker, new_container_name

UNITS = {"m": 1e-3, "": 1, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}

KUBERNETES_REPOSITORY = "averon-template-test-kubernetes"
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


def quantity(value):
    """A Kubernetes quantity (500m, 1, 512Mi) as a number of cores or bytes."""
    number, unit = re.fullmatch(r"([\d.]+)([a-zA-Z]*)", str(value)).groups()
    return float(number) * UNITS[unit]


def expand(argument, environment):
    """$(NAME) in a command, replaced by the kubelet from the container's environment."""
    return re.sub(r"\$\((\w+)\)", lambda name: environment.get(name[1], name[0]), argument)


class Pod:
    """One pod spec of the rendered manifests, run with Docker as the kubelet would run it;
    its containers and volumes are removed at the end."""

    def __init__(self, spec, config, secret, cleanup):
        self.spec = spec
        [self.container] = spec["containers"]
        self.cleanup = cleanup
        self.volumes = {}
        for volume in spec["volumes"]:
            assert "emptyDir" in volume, volume  # the only kind these pods have
            self.volumes[volume["name"]] = docker("volume", "create").stdout.strip()
            cleanup.callback(docker, "volume", "rm", "--force", self.volumes[volume["name"]], check=False)
        self.environment = self.container_environment(config, secret)

    def container_environment(self, config, secret):
        environment = {}
        for source in self.container["envFrom"]:
            environment.update(config if "configMapRef" in source else secret)
        limits = self.container["resources"]["limits"]
        for variable in self.container.get("env", []):
            if "value" in variable:
                environment[variable["name"]] = variable["value"]
            else:  # the downward API: a limit in units of the divisor, rounded up
                field = variable["valueFrom"]["resourceFieldRef"]
                limit = quantity(limits[field["resource"].removeprefix("limits.")])
                environment[variable["name"]] = str(math.ceil(limit / quantity(field.get("divisor", "1"))))
        return environment

    def options(self, without_mounts=()):
        pod, container = self.spec["securityContext"], self.container["securityContext"]
        assert pod["runAsNonRoot"] and pod["runAsUser"] != 0  # what the kubelet checks
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}  # Docker's default profile
        limits = self.container["resources"]["limits"]
        options = [
            f"--user={pod['runAsUser']}:{pod['runAsGroup']}",
            f"--group-add={pod['fsGroup']}",
            f"--cpus={quantity(limits['cpu'])}",
            f"--memory={int(quantity(limits['memory']))}b",
            *[f"--cap-drop={capability}" for capability in container["capabilities"]["drop"]],
        ]
        if container["readOnlyRootFilesystem"]:
            options.append("--read-only")
        if not container["allowPrivilegeEscalation"]:
            options.append("--security-opt=no-new-privileges")
        for mount in self.container.get("volumeMounts", []):
            if mount["mountPath"] not in without_mounts:
                options.append(f"--volume={self.volumes[mount['name']]}:{mount['mountPath']}")
        return options

    def docker_run(self, *arguments, command=None, without_mounts=(), **variables):
        """`docker run` arguments: the container's command (Docker's ENTRYPOINT) and
        args, or `command` instead; neither, the image's own."""
        environment = {**self.environment, **variables}
        if command is None:
            command = [expand(part, environment) for part in self.container.get("command", [])]
            command += [expand(part, environment) for part in self.container.get("args", [])]
        entrypoint = [f"--entrypoint={command[0]}"] if command else []
        return [
            "run",
            "--network=host",
            *[f"--env={name}={value}" for name, value in environment.items()],
            *self.options(without_mounts),
            *entrypoint,
            *arguments,
            self.container["image"],
            *command[1:],
        ]

    def start(self, **variables):
        name = new_container_name()
        docker(*self.docker_run("--detach", f"--name={name}", **variables))
        self.cleanup.callback(docker, "rm", "--force", name, check=False)
        return name

    def run(self, command=None, without_mounts=(), timeout=120):
        name = new_container_name()
        self.cleanup.callback(docker, "rm", "--force", name, check=False)
        run = self.docker_run(f"--name={name}", command=command, without_mounts=without_mounts)
        return docker(*run, timeout=timeout, check=False)

    def stop(self, name):
        """SIGTERM, and SIGKILL when the grace period is over (less preStop's sleep, which
        the kubelet runs first): the exit code, 0 when the process ended by itself."""
        grace = self.spec.get("terminationGracePeriodSeconds", 30)
        grace -= self.container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
        docker("stop", f"--time={grace}", name, timeout=grace + 30)
        return docker("inspect", "--format={{.State.ExitCode}}", name).stdout.strip()
