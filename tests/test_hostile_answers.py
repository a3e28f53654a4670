"""Any answer is safe: each one either bakes a working project that shows the text
verbatim, or is refused by the pre-gen hook with one line and no folder left behind.
No answer ever runs code."""

import itertools
import py_compile
import tomllib

import pytest

from tests.helpers.bake import cookiecutter_cli, env_file_values, run
from tests.helpers.project_commands import project_environment, run_test_suite

# Answers that try to run code touch {marker}; the file must never appear.
PYTHON_INJECTION = "x' + __import__('os').system('touch {marker}') + '"
PYTHON_INJECTION_DOUBLE = 'x" + __import__("os").system("touch {marker}") + "'
SHELL_INJECTION = "$(touch {marker}) `touch {marker}`; touch {marker}"

BAKED, REFUSED = "baked", "refused"

ANSWERS = [
    # project_name
    ("project_name", "O'Brien's Backend", BAKED),
    ("project_name", 'The "Quoted" Backend', BAKED),
    ("project_name", "'''Triple single'''", BAKED),
    ("project_name", '"""Triple double"""', BAKED),
    ("project_name", "Back\\slash \\n \\u0041 Backend", BAKED),
    ("project_name", "  Padded Backend  ", BAKED),
    ("project_name", "Zoë Ærø Backend", BAKED),
    ("project_name", "José's Café", BAKED),
    ("project_name", "中文后端服务", BAKED),
    ("project_name", "🚀 Rocket 🚀", BAKED),
    ("project_name", "Long name " * 120, BAKED),
    ("project_name", PYTHON_INJECTION, BAKED),
    ("project_name", PYTHON_INJECTION_DOUBLE, BAKED),
    ("project_name", SHELL_INJECTION, BAKED),
    ("project_name", "First line\nsecond line", REFUSED),
    ("project_name", "Tab\tseparated", REFUSED),
    ("project_name", "   ", REFUSED),
    # project_slug
    ("project_slug", "averon-backend", REFUSED),
    ("project_slug", "Averon", REFUSED),
    ("project_slug", "2nd_backend", REFUSED),
    ("project_slug", "x'; import os #", REFUSED),
    # description
    ("description", 'Says "hi", it\'s fine', BAKED),
    ("description", 'key: value # [section] x = "y" """ still text', BAKED),
    ("description", "- item\n- item", REFUSED),
    ("description", "Ünïcödé ✓ 日本語 🎉", BAKED),
    ("description", "Very long description. " * 50, BAKED),
    ("description", PYTHON_INJECTION, BAKED),
    # author_name
    ("author_name", 'Zoë "Z" O\'Hara \\', BAKED),
    ("author_name", "山田太郎", BAKED),
    ("author_name", SHELL_INJECTION, BAKED),
    # author_email
    ("author_email", "josé@ejemplo.es", BAKED),
    ("author_email", 'o\'hara+"tag"@example.com', BAKED),
    ("author_email", "not an email", REFUSED),
    ("author_email", "two@at@example.com", REFUSED),
    # sentry_traces_sample_rate
    ("sentry_traces_sample_rate", " 0.5 ", BAKED),
    ("sentry_traces_sample_rate", "1e-1", BAKED),
    ("sentry_traces_sample_rate", "0.5; import os", REFUSED),
    ("sentry_traces_sample_rate", "__import__('os').system('touch {marker}')", REFUSED),
    ("sentry_traces_sample_rate", "50%", REFUSED),
    ("sentry_traces_sample_rate", "", REFUSED),
]


def shown_values(project, python):
    """Where each answer is shown in a baked project, read back as a user would see it."""
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    readme = (project / "README.md").read_text()
    settings_name = run(
        [
            python,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.PROJECT_NAME)",
        ],
        cwd=project,
        env=project_environment("development"),
    )
    return {
        "project_name": [readme.splitlines()[0].removeprefix("# "), settings_name.stdout.removesuffix("\n")],
        "description": [metadata["description"], readme.splitlines()[2]],
        "author_name": [metadata["authors"][0]["name"]],
        "author_email": [metadata["authors"][0]["email"]],
        "sentry_traces_sample_rate": [env_file_values(project)["SENTRY_TRACES_SAMPLE_RATE"]],
    }


def bake_with(tmp_path, answers):
    """Bake on the command line with `answers` ({prompt: template}); return the CLI
    result, the output folder, the answers as sent, and the marker they must not create."""
    marker = tmp_path / "MARKER"
    values = {prompt: template.format(marker=marker) for prompt, template in answers.items()}
    output_dir = tmp_path / "output"
    output_dir.mkdir()
    result = cookiecutter_cli(output_dir, *(f"{prompt}={value}" for prompt, value in values.items()))
    assert "Traceback" not in result.stderr
    return result, output_dir, values, marker


REFUSED_ANSWERS = [(prompt, template) for prompt, template, outcome in ANSWERS if outcome == REFUSED]


@pytest.mark.parametrize("prompt, template", REFUSED_ANSWERS)
def test_refused_answer_is_one_line_and_leaves_no_folder(tmp_path, prompt, template):
    result, output_dir, values, marker = bake_with(tmp_path, {prompt: template})

    assert result.returncode == 1
    [error_line] = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert error_line.startswith(f"ERROR: {prompt}: ")
    assert f"got {values[prompt]!r}; for example " in error_line
    assert list(output_dir.iterdir()) == []
    assert not marker.exists()


# Accepted answers are baked several at a time, one per prompt in each bake: every
# answer still gets a full bake, in about half as many bakes, and the tests of what the
# answers become: the settings (the project's name, Sentry's defaults) under every
# settings module, the mail that names the site, and the API's schema and docs. The rest
# of the generated suite does not read the answers; other tests run it whole.
TESTS_OF_THE_ANSWERS = (
    "tests/core/test_settings.py::test_every_settings_module_passes_django_checks",
    "tests/core/test_settings.py::test_deploy_checks_are_clean_in_production",
    "tests/observability/test_config.py",
    "tests/observability/test_sentry.py",
    "tests/users/test_accounts.py::test_sign_up_mails_a_link_to_the_frontend_and_its_key_verifies_the_address",
    "tests/api/test_docs.py",
)
BAKED_BY_PROMPT = {}
for prompt, template, outcome in ANSWERS:
    if outcome == BAKED:
        BAKED_BY_PROMPT.setdefault(prompt, []).append(template)
BAKES = [
    {prompt: template for prompt, template in zip(BAKED_BY_PROMPT, row, strict=True) if template is not None}
    for row in itertools.zip_longest(*BAKED_BY_PROMPT.values())
]


@pytest.mark.parametrize("answers", BAKES, ids=[f"bake-{index}" for index in range(len(BAKES))])
def test_accepted_answers_bake_a_working_project_showing_them_verbatim(tmp_path, project_python, answers):
    result, output_dir, values, marker = bake_with(tmp_path, answers)

    assert result.returncode == 0, result.stderr
    [project] = output_dir.iterdir()
    for path in project.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)
    shown = shown_values(project, project_python)
    for prompt, value in values.items():
        expected = value.strip() if prompt == "sentry_traces_sample_rate" else value
        assert set(shown[prompt]) == {expected}, prompt
    assert run([project_python, "-m", "ruff", "check", "."], cwd=project).returncode == 0
    run_test_suite(project_python, project, *TESTS_OF_THE_ANSWERS)
    assert not marker.exists()
