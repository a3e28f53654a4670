"""`make lock` and `make upgrade`: refresh the generated project's uv.lock.

The template holds one uv.lock for every bake, with Jinja around the lines only
PostgreSQL bakes have (psycopg) and the project's own name, which comes from the slug.
This bakes a project per database choice, locks it with uv (the SQLite one starting
from the PostgreSQL lock, so both pin the same versions), merges the two locks into
that template, and checks that baking each choice gives its lock back, byte for byte.
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
IF_POSTGRESQL = '{% if cookiecutter.database == "postgresql" %}'
JINJA_MARKERS = ("{{", "{%", "{#")


def bake(database, output_dir):
    return Path(
        cookiecutter(
            str(TEMPLATE_DIR), no_input=True, output_dir=output_dir, extra_context={"database": database}
        )
    )


def uv_lock(project, upgrade):
    environment = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_PYTHON": "python3"}
    command = [find_uv_bin(), "lock", "--quiet", *(["--upgrade"] if upgrade else [])]
    subprocess.run(command, cwd=project, env=environment, check=True)
    return (project / "uv.lock").read_text()


def lock_template(sqlite_lock, postgresql_lock):
    """One Jinja text that renders to either lock. Each tag ends the line before the
    lines it governs, so either rendering keeps every newline and blank line."""
    for lock in (sqlite_lock, postgresql_lock):
        if any(marker in lock for marker in JINJA_MARKERS) or lock.count(BAKED_NAME_LINE) != 1:
            sys.exit("uv.lock has Jinja markers or not one project name line: merge it by hand")
    sqlite_lines, postgresql_lines = sqlite_lock.splitlines(), postgresql_lock.splitlines()
    merged = []
    matcher = difflib.SequenceMatcher(None, sqlite_lines, postgresql_lines, autojunk=False)
    for operation, s_start, s_end, p_start, p_end in matcher.get_opcodes():
        if operation == "equal":
            merged += sqlite_lines[s_start:s_end]
            continue
        if not merged:
            sys.exit("the locks differ on their first line: merge them by hand")
        merged[-1] += IF_POSTGRESQL
        if p_end > p_start:
            merged += postgresql_lines[p_start:p_end]
        if s_end > s_start:
            merged[-1] += "{% else %}"
            merged += sqlite_lines[s_start:s_end]
        merged[-1] += "{% endif %}"
    return "\n".join(merged).replace(BAKED_NAME_LINE, NAME_LINE) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="move every pin to the newest allowed release")
    upgrade = parser.parse_args().upgrade
    with tempfile.TemporaryDirectory() as scratch:
        postgresql = bake("postgresql", Path(scratch, "postgresql"))
        postgresql_lock = uv_lock(postgresql, upgrade)
        sqlite = bake("sqlite", Path(scratch, "sqlite"))
        shutil.copy(postgresql / "uv.lock", sqlite / "uv.lock")
        sqlite_lock = uv_lock(sqlite, upgrade=False)
        LOCK_TEMPLATE.write_text(lock_template(sqlite_lock, postgresql_lock))
        for database, expected in (("sqlite", sqlite_lock), ("postgresql", postgresql_lock)):
            if (bake(database, Path(scratch, "check", database)) / "uv.lock").read_text() != expected:
                sys.exit(f"the merged uv.lock does not render the {database} lock: merge it by hand")
    print(f"wrote {LOCK_TEMPLATE.relative_to(TEMPLATE_DIR)}")


if __name__ == "__main__":
    main()
