"""Reject answers the generated project could not live with, before any file is written.

Cookiecutter deletes the half-made project folder when this script exits non-zero, so a
rejected answer leaves nothing behind. Standard library only: it runs before anything
is installed.
"""

import json
import math
import re
import sys

# Also a valid project name for uv, which refuses one that ends in "_".
SLUG_PATTERN = re.compile(r"[a-z](?:[a-z0-9_]*[a-z0-9])?")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+")
# Free-text answers land in one-line places (a TOML string, a settings string, a
# Markdown heading): a control character there would break the file or the heading.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
ONE_LINE_ANSWERS = ("project_name", "description", "author_name", "author_email")


class BadAnswer(ValueError):
    """An answer the template refuses, with the one line that tells the user why."""

    def __init__(self, variable, why, value, example):
        super().__init__(f"ERROR: {variable}: {why}, got {value!r}; {example}")


SAMPLE_RATE_EXAMPLES = {
    "sentry_traces_sample_rate": "for example 0.1 to trace 10% of requests",
    "sentry_profile_session_sample_rate": "for example 0 (off), or 0.1 to profile 10% of processes",
}


def check_sample_rate(variable, value):
    """Accept what the generated project accepts: a finite number from 0 to 1."""
    example = SAMPLE_RATE_EXAMPLES[variable]
    try:
        rate = float(value)
    except ValueError:
        raise BadAnswer(variable, "not a number", value, example) from None
    if not math.isfinite(rate) or not 0 <= rate <= 1:
        raise BadAnswer(variable, "must be from 0 to 1", value, example)


def check_project_slug(value):
    if not SLUG_PATTERN.fullmatch(value):
        raise BadAnswer(
            "project_slug",
            "must be a lowercase Python identifier (a letter, then letters, digits or _, not ending in _)",
            value,
            "for example averon_backend",
        )


def check_one_line(variable, value):
    if not value.strip():
        raise BadAnswer(variable, "must not be empty", value, "for example Averon Backend")
    if CONTROL_CHARACTER.search(value):
        raise BadAnswer(
            variable,
            "must be one line without tabs or control characters",
            value,
            "for example Averon Backend",
        )


def check_author_email(value):
    if not EMAIL_PATTERN.fullmatch(value):
        raise BadAnswer("author_email", "not an email address", value, "for example team@example.com")


def check_answers(answers):
    """Raise BadAnswer for the first answer the template cannot use."""
    for variable in ONE_LINE_ANSWERS:
        check_one_line(variable, answers[variable])
    check_author_email(answers["author_email"])
    check_project_slug(answers["project_slug"])
    for variable in SAMPLE_RATE_EXAMPLES:
        check_sample_rate(variable, answers[variable])


if __name__ == "__main__":
    try:
        check_answers(json.loads(r"""{{ cookiecutter | tojson }}"""))
    except BadAnswer as error:
        print(error, file=sys.stderr)
        sys.exit(1)
