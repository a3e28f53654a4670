"""`make lock` and `make upgrade`: refresh the generated project's uv.lock.

The template holds one uv.lock for every bake, with Jinja around the lines that only
some choices have (psycopg for PostgreSQL, Celery and Redis for background jobs, each
API framework's packages) and the project's own name, which comes from the slug. This
bakes a project per choice, locks the one with every option first, then each API
framework's fullest bake starting from that lock and every other bake from its
framework's (so all pin the same versions), merges the locks into that template, and
checks that baking each choice gives its lock back, byte for byte.
"""

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cookiecutter.main import cookiecutter
from uv import find_uv_bin

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
LOCK_TEMPLATE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "uv.lock"
# The default slug, averon_backend, as uv writes a project name (PEP 503 normalised).
BAKED_NAME_LINE = 'name = "averon-backend"'
NAME_LINE = "name = \"{{ cookiecutter.project_slug | slugify(separator='-') }}\""
JINJA_MARKERS = ("{{", "{%", "{#")
# Every combination of the answers that change the dependencies, by API framework; the
# first of each framework has every other option.
CHOICES = [
    {"api_framework": framework, "database": database, "background_jobs": jobs}
    for framework in ("ninja", "drf", "none")
    for jobs in ("celery", "none")
    for database in ("postgresql", "sqlite")
]


def bake(answers, output_dir):
    return Path(cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=output_dir, extra_context=answers))


def uv_lock(project, upgrade):
    environment = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_PYTHON": "python3"}
    command = [find_uv_bin(), "lock", "--quiet", *(["--upgrade"] if upgrade else [])]
    subprocess.run(command, cwd=project, env=environment, check=True)
    return (project / "uv.lock").read_text()


def condition(choices):
    """The Jinja test that holds for exactly these of CHOICES: one answer's values when
    that says it, else each choice spelled out."""
    for name in CHOICES[0]:
        values = sorted({choice[name] for choice in choices})
        if [choice for choice in CHOICES if choice[name] in values] == choices:
            if len(values) == 1:
                return f'cookiecutter.{name} == "{values[0]}"'
            return f"cookiecutter.{name} in {values}"
    return " or ".join(
        "(" + " and ".join(f'cookiecutter.{name} == "{value}"' for name, value in choice.items()) + ")"
        for choice in choices
    )


def aligned_lines(locks):
    """Every line of every lock, in order, each with the indexes of the locks that have it."""
    merged = [(line, {0}) for line in locks[0].splitlines()]
    for index, lock in enumerate(locks[1:], start=1):
        lines = lock.splitlines()
        matcher = difflib.SequenceMatcher(None, [line for line, _ in merged], lines, autojunk=False)
        realigned = []
        for operation, m_start, m_end, l_start, l_end in matcher.get_opcodes():
            if operation == "equal":
                realigned += [(line, owners | {index}) for line, owners in merged[m_start:m_end]]
                continue
            realigned += merged[m_start:m_end]
            realigned += [(line, {index}) for line in lines[l_start:l_end]]
        merged = realigned
    return merged


def lock_template(locks):
    """One Jinja text that renders to each lock, for CHOICES in order. Each tag ends the
    line before the lines it governs, so every rendering keeps each newline and blank line."""
    for lock in locks:
        if any(marker in lock for marker in JINJA_MARKERS) or lock.count(BAKED_NAME_LINE) != 1:
            sys.exit("uv.lock has Jinja markers or not one project name line: merge it by hand")
    everyone = set(range(len(locks)))
    output, open_owners = [], everyone
    for line, owners in aligned_lines(locks):
        if owners != open_owners:
            if not output:
                sys.exit("the locks differ on their first line: merge them by hand")
            if open_owners != everyone:
                output[-1] += "{% endif %}"
            if owners != everyone:
                output[-1] += "{% if " + condition([CHOICES[i] for i in sorted(owners)]) + " %}"
            open_owners = owners
        output.append(line)
    if open_owners != everyone:
        output[-1] += "{% endif %}"
    return "\n".join(output).replace(BAKED_NAME_LINE, NAME_LINE) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="move every pin to the newest allowed release")
    upgrade = parser.parse_args().upgrade
    with tempfile.TemporaryDirectory() as scratch:
        projects = [bake(answers, Path(scratch, "lock", str(i))) for i, answers in enumerate(CHOICES)]
        locks = [uv_lock(projects[0], upgrade)]
        for project, answers in zip(projects[1:], CHOICES[1:], strict=True):
            start = next(i for i, c in enumerate(CHOICES) if c["api_framework"] == answers["api_framework"])
            shutil.copy(projects[start if start < len(locks) else 0] / "uv.lock", project / "uv.lock")
            locks.append(uv_lock(project, upgrade=False))
        LOCK_TEMPLATE.write_text(lock_template(locks))
        for i, (answers, expected) in enumerate(zip(CHOICES, locks, strict=True)):
            if (bake(answers, Path(scratch, "check", str(i))) / "uv.lock").read_text() != expected:
                sys.exit(f"the merged uv.lock does not render the lock of {answers}: merge it by hand")
    print(f"wrote {LOCK_TEMPLATE.relative_to(TEMPLATE_DIR)}")


if __name__ == "__main__":
    main()
