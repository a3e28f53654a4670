"""A Celery bake deployed for real: the routes, settings and task of tests/served in an
installed, migrated bake, and its web app (gunicorn), workers and beat started against a
Redis server and a capturing Sentry endpoint."""

import shutil

from tests.helpers.bake import DEPLOYED_ENVIRONMENT, bake_ok, run, uv_sync
from tests.helpers.processes import free_port, start_server, stop_server, wait_for
from tests.helpers.project_commands import project_environment
from tests.helpers.serving import SERVED_FILES, serve

JOB_FILES = ("jobs_routes.py", "jobs_settings.py", "jobs_tasks.py", "sessions_settings.py")


def job_environment(**variables):
    """What every process of the deployment gets: the web app, workers and beat."""
    defaults = {
        "DJANGO_SETTINGS_MODULE": "jobs_settings",
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
        "PYTHONUNBUFFERED": "1",  # each log line as it is written, as container images set it
    }
    return project_environment(**{**DEPLOYED_ENVIRONMENT, **defaults, **variables})


def installed_jobs_project(cookies, environment_dir):
    """An installed and migrated Celery bake, with the routes and task of tests/served:
    its folder, and its Python."""
    project = bake_ok(cookies, background_jobs="celery")
    for name in JOB_FILES:
        shutil.copy(SERVED_FILES / name, project / name)
    python = uv_sync(project, environment_dir)
    migrated = run([python, "manage.py", "migrate", "--no-input"], cwd=project, env=job_environment())
    assert migrated.returncode == 0, migrated.stderr
    return project, python


class JobsDeployment:
    """The web app, workers and beat of `project`, started on demand against `redis` and
    `sentry`, logging into `log_dir`; `stop()` stops every process started."""

    def __init__(self, project, redis, sentry, log_dir):
        self.project_dir, self.python = project
        self.sentry, self.log_dir = sentry, log_dir
        self.processes = []
        self.variables = {
            "CELERY_BROKER_URL": redis.url(),
            "SENTRY_DSN": sentry.dsn(),
            "SENTRY_TRACES_SAMPLE_RATE": "1",
            "EMAIL_URL": f"smtp://127.0.0.1:{free_port()}",  # nothing listens: every email fails
        }

    def web(self, settings_module="jobs_settings"):
        process, url = serve(
            self.project_dir,
            self.python,
            self.sentry,
            self.log_dir / "web.log",
            "gunicorn",
            settings_module,
            **self.variables,
        )
        self.processes.append(process)
        return url

    def celery(self, name, *args):
        log = self.log_dir / f"{name}.log"
        command = [self.python, "-m", "celery", "--app", "core", *args, "--loglevel", "INFO"]
        process = start_server(
            command, None, log, cwd=self.project_dir, env=job_environment(**self.variables)
        )
        self.processes.append(process)
        return process, log

    def worker(self, name):
        process, log = self.celery(
            name, "worker", "--hostname", f"{name}@%h", "--concurrency", "1", "--without-mingle"
        )
        wait_for(lambda: "ready." in log.read_text(), timeout=60, what=f"worker {name} ready")
        return process, log

    def beat(self):
        return self.celery("beat", "beat", "--schedule", str(self.log_dir / "celerybeat-schedule"))

    def use(self, **more):
        self.variables.update(more)

    def stop(self):
        for process in self.processes:
            stop_server(process)
