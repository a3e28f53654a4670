"""`make check`'s parts catch what they are for: each planted fault fails its target.
(That a clean bake passes them all is tests/test_workflow.py.)"""

import pytest

from tests.helpers.project_commands import make


def test_make_lint_fails_on_an_unused_import(installed_project, planted):
    planted("core/planted.py", '"""A module with a lint error."""\n\nimport os\n')

    result = make("lint", installed_project)

    assert result.returncode != 0
    assert "F401" in result.stdout and "core/planted.py:3:8" in result.stdout


# Each import rule of the bake's [tool.importlinter], crossed once (ruff passes each file).
CROSSED_RULES = {
    "core/planted.py": (
        "import ops.views  # noqa: F401\n",
        "The project package, edge and observability import no app",
    ),
    "core/settings/planted.py": (
        "import observability.privacy  # noqa: F401\n",
        "Settings import only what starts Sentry and reads the environment",
    ),
    "observability/privacy/planted.py": (
        "from django.http import HttpRequest  # noqa: F401\n",
        "The privacy rules import nothing of Django's, nor of the request-handling code",
    ),
}


@pytest.mark.parametrize("module", CROSSED_RULES)
def test_make_lint_fails_on_an_import_across_a_rule(installed_project, planted, module):
    source, rule = CROSSED_RULES[module]
    planted(module, source)

    result = make("lint", installed_project)

    assert result.returncode != 0
    assert "1 broken" in result.stdout and rule in result.stdout


def test_make_typecheck_fails_on_a_type_error(installed_project, planted):
    planted("core/planted.py", '"""A module with a type error."""\n\nretries: int = "three"\n')

    result = make("typecheck", installed_project)

    assert result.returncode != 0
    assert (
        'core/planted.py:3: error: Incompatible types in assignment (expression has type "str"'
        in result.stdout
    )
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors and all(line.startswith("core/planted.py:") for line in errors)  # nothing else fails


def test_make_migrations_check_fails_on_a_model_without_its_migration(installed_project, planted):
    planted("shop/__init__.py", "")
    planted("shop/migrations/__init__.py", "")
    planted(
        "shop/models.py",
        "from django.db import models\n\n\nclass Order(models.Model):\n    total = models.IntegerField()\n",
    )
    base = (installed_project / "core/settings/base.py").read_text()
    planted("core/settings/base.py", base + '\nINSTALLED_APPS += ["shop"]\n')

    result = make("migrations-check", installed_project)

    assert result.returncode != 0
    assert "shop/migrations/0001_initial.py" in result.stdout


def test_make_test_fails_under_the_coverage_threshold(installed_project, planted):
    planted(
        "core/planted.py",
        '"""Code no test runs."""\n\n\n'
        + "".join(f"def unused_{n}() -> int:\n    return {n}\n\n\n" for n in range(200)),
    )

    result = make("test", installed_project)

    assert result.returncode != 0
    assert "less than fail-under=90" in result.stdout + result.stderr


def test_make_deploy_check_fails_on_an_insecure_production_setting(installed_project, planted):
    production = (installed_project / "core/settings/production.py").read_text()
    planted("core/settings/production.py", production + "\nSESSION_COOKIE_SECURE = False\n")

    result = make("deploy-check", installed_project)

    assert result.returncode != 0
    assert "security.W012" in result.stdout + result.stderr
