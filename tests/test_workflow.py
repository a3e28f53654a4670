"""The generated CI workflow and Dependabot file: valid, hardened, and every `run:` step
passing in order in a fresh checkout of a bake, with the environment the workflow sets,
on a machine without uv (the Makefile installs it)."""

import re
import sys
import urllib.request
from pathlib import Path

from tests.helpers.bake import TEMPLATE_DIR, run
from tests.helpers.processes import free_port, start_server, stop_server
from tests.helpers.project_commands import checkout, path_without_uv, project_environment
from tests.helpers.workflow import CI, load, run_steps, workflow_environment

BIN = Path(sys.executable).parent
DEPENDABOT = Path(".github/dependabot.yml")
TEMPLATE_WORKFLOW = TEMPLATE_DIR / ".github/workflows/test.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def uses_lines(path):
    return [line.split("uses:", 1)[1].strip() for line in path.read_text().splitlines() if "uses:" in line]


def test_workflow_and_dependabot_match_github_schemas(workflow_project):
    for schema, path in [
        ("vendor.github-workflows", workflow_project / CI),
        ("vendor.github-workflows", TEMPLATE_WORKFLOW),
        ("vendor.dependabot", workflow_project / DEPENDABOT),
        ("vendor.dependabot", TEMPLATE_DIR / DEPENDABOT),
    ]:
        result = run([BIN / "check-jsonschema", "--builtin-schema", schema, path], cwd=workflow_project)
        assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_catches_a_broken_workflow(workflow_project, tmp_path):
    broken = tmp_path / "ci.yml"
    broken.write_text((workflow_project / CI).read_text().replace("runs-on:", "run-on:"))

    result = run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", broken], cwd=tmp_path
    )

    assert result.returncode == 1


def zizmor(*paths):
    return run([BIN / "zizmor", "--offline", "--no-progress", *paths], cwd=TEMPLATE_DIR)


def test_zizmor_finds_nothing(workflow_project):
    result = zizmor(workflow_project / ".github", TEMPLATE_DIR / ".github")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_zizmor_catches_a_tag_pinned_action(workflow_project, tmp_path):
    workflow = tmp_path / ".github/workflows/ci.yml"
    workflow.parent.mkdir(parents=True)
    text = (workflow_project / CI).read_text()
    workflow.write_text(re.sub(r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v6", text))

    result = zizmor(tmp_path / ".github")

    assert result.returncode != 0 and "unpinned-uses" in result.stdout


def test_workflows_are_hardened(workflow_project):
    for path in (workflow_project / CI, TEMPLATE_WORKFLOW):
        workflow = load(path)

        assert workflow["permissions"] == {"contents": "read"}
        assert [line for line in uses_lines(path) if not PINNED.match(line)] == []
        for job in workflow["jobs"].values():
            checkouts = [
                step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")
            ]
            assert [step["with"]["persist-credentials"] for step in checkouts] == [False]


def test_every_uv_is_the_same_release(workflow_project):
    makefile = (workflow_project / "Makefile").read_text()
    dockerfile = (workflow_project / "Dockerfile").read_text()
    makefile_version = re.search(r"^UV_VERSION := (\S+)$", makefile, re.M)[1]
    dockerfile_version = re.search(r"^ARG UV_VERSION=(\S+)$", dockerfile, re.M)[1]
    jobs = load(workflow_project / CI)["jobs"].values()
    workflow_versions = {
        step["with"]["version"] for job in jobs for step in job["steps"] if "setup-uv" in step.get("uses", "")
    }
    template_pin = re.search(r"^uv==(\S+)$", (TEMPLATE_DIR / "requirements-dev.txt").read_text(), re.M)[1]

    assert workflow_versions == {makefile_version} == {dockerfile_version} == {template_pin}


def test_workflow_runs_what_make_check_runs_in_the_same_order(workflow_project):
    check_targets = re.search(r"^check: (.+)$", (workflow_project / "Makefile").read_text(), re.M)[1].split()
    steps = [step["run"] for step in load(workflow_project / CI)["jobs"]["check"]["steps"] if "run" in step]

    assert steps == ["make install", *(f"make {target}" for target in check_targets)]


def test_no_run_step_pastes_an_expression_into_its_script(workflow_project):
    """Secrets and event fields reach a script as variables (`env:`): an expression pasted
    into `run:` becomes shell code before the shell sees it."""
    for path in (workflow_project / CI, TEMPLATE_WORKFLOW):
        for job in load(path)["jobs"].values():
            assert [step["run"] for step in job["steps"] if "${{" in step.get("run", "")] == []


def test_workflow_steps_pass_in_order_on_a_machine_without_uv(workflow_project, request, tmp_path):
    """Then `make run` serves: what a new user does after cloning the repository."""
    needs_postgres = "services" in load(workflow_project / CI)["jobs"]["check"]
    postgres = request.getfixturevalue("postgres") if needs_postgres else None
    repository = checkout(workflow_project, tmp_path / "checkout")
    job, variables = workflow_environment(repository, postgres)
    assert job["defaults"]["run"]["shell"] == "bash"
    environment = project_environment(**variables, PATH=path_without_uv())

    for step, result in run_steps(job, repository, environment):
        assert result.returncode == 0, f"{step['name']}:\n{result.stdout[-4000:]}{result.stderr[-4000:]}"

    assert (repository / ".tools/bin/uv").is_file()
    assert run(["git", "status", "--porcelain"], cwd=repository).stdout == ""
    port = free_port()
    server = start_server(
        ["make", "run", f"PORT={port}"],
        f"http://127.0.0.1:{port}/api/health/",
        tmp_path / "run.log",
        cwd=repository,
        env=environment,
    )
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health/", timeout=10) as response:
            assert response.status == 200
    finally:
        stop_server(server)


def test_template_workflow_runs_the_readme_test_command_through_ci_run():
    [step] = [step for step in load(TEMPLATE_WORKFLOW)["jobs"]["test"]["steps"] if "run" in step]
    ci_run = (TEMPLATE_DIR / ".ci/run").read_text().splitlines()

    assert step["run"] == "bash .ci/run"
    assert ci_run[-1] == "make test"
    assert "```bash\nmake test\n```" in (TEMPLATE_DIR / "README.md").read_text()
