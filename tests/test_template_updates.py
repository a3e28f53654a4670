"""Projects can follow the template: cruft creates them, and applies later template
changes without conflicts, while the per-project secrets stay untouched."""

import filecmp
import json
import re
import shutil
import sys
from pathlib import Path

from tests.helpers.bake import TEMPLATE_DIR, bake_ok, run
from tests.helpers.cruft import CRUFT, GIT, commit_all
from tests.helpers.project_commands import run_test_suite


def tree_files(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_cruft_create_gives_a_working_project_with_fresh_secrets(cruft_project, project_python):
    assert (cruft_project / ".cruft.json").is_file()
    assert (cruft_project / ".env").is_file()
    assert run([*GIT, "check-ignore", "-q", ".env"], cwd=cruft_project).returncode == 0
    assert run([*CRUFT, "check"], cwd=cruft_project).returncode == 0
    run_test_suite(project_python, cruft_project)


def test_baking_twice_gives_identical_trees_apart_from_secrets(cookies, tmp_path):
    first = bake_ok(cookies)
    first_copy = tmp_path / "first"
    shutil.copytree(first, first_copy)
    second = bake_ok(cookies)

    assert tree_files(first_copy) == tree_files(second)
    differing = [
        name
        for name in tree_files(second)
        if not filecmp.cmp(first_copy / name, second / name, shallow=False)
    ]
    assert differing == [".env"]


def test_template_changes_apply_to_an_edited_project_without_conflicts(
    template_repository, cruft_project, project_python
):
    # The team edits its own code...
    views = cruft_project / "ops" / "views.py"
    views.write_text(
        views.read_text() + "\n\ndef ping(request):\n    return JsonResponse({'ping': 'pong'})\n"
    )
    commit_all(cruft_project, "Our own route")
    env_before = (cruft_project / ".env").read_text()
    # ...while the template gains a setting and changes a documented file.
    generated = template_repository / "{{cookiecutter.project_slug}}"
    with (generated / "core" / "settings" / "base.py").open("a") as base:
        base.write(
            "\n# https://docs.djangoproject.com/en/5.2/ref/settings/#append-slash\nAPPEND_SLASH = True\n"
        )
    with (generated / ".env.example").open("a") as example:
        example.write("# A variable added by a template update.\n# NEW_SETTING=\n")
    commit_all(template_repository, "Add a setting")

    result = run([*CRUFT, "update", "--skip-apply-ask"], cwd=cruft_project)

    assert result.returncode == 0, result.stdout + result.stderr
    assert list(cruft_project.rglob("*.rej")) == []
    assert "APPEND_SLASH = True" in (cruft_project / "core/settings/base.py").read_text()
    assert "NEW_SETTING" in (cruft_project / ".env.example").read_text()
    assert "def ping" in views.read_text()
    assert (cruft_project / ".env").read_text() == env_before
    assert run([*CRUFT, "check"], cwd=cruft_project).returncode == 0
    run_test_suite(project_python, cruft_project)


def test_hooks_use_the_standard_library_only():
    allowed = set(sys.stdlib_module_names)
    for hook in (TEMPLATE_DIR / "hooks").glob("*.py"):
        imported = {
            line.split()[1].split(".")[0]
            for line in Path(hook).read_text().splitlines()
            if line.startswith(("import ", "from "))
        }
        assert imported <= allowed, hook.name


def test_the_changelog_names_the_version_a_bake_records():
    newest = re.search(
        r"^## (\d+\.\d+\.\d+) \(\d{4}-\d{2}-\d{2}\)$", (TEMPLATE_DIR / "CHANGELOG.md").read_text(), re.M
    )
    recorded = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())["_template_version"]

    assert newest is not None and newest[1] == recorded
