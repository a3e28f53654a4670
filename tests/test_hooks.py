"""The pre-gen hook: its rules as pure functions, and as a user meets them on the CLI."""

import pytest

from tests.helpers.bake import TEMPLATE_DIR, cookiecutter_cli, load_module

pre_gen = load_module(TEMPLATE_DIR / "hooks" / "pre_gen_project.py")
post_gen = load_module(TEMPLATE_DIR / "hooks" / "post_gen_project.py")

BAD_SAMPLE_RATES = ["", "abc", "1.5", "-0.1", "nan", "inf", "10%", "0,1"]
GOOD_SAMPLE_RATES = ["0", "1", "0.25", ".5", "1e-1", " 0.5 "]
BAD_SLUGS = ["1st_backend", "My_Backend", "averon-backend", "averon backend", "_private", "café", "backend_"]


SAMPLE_RATE_ANSWERS = ["sentry_traces_sample_rate", "sentry_profile_session_sample_rate"]


@pytest.mark.parametrize("variable", SAMPLE_RATE_ANSWERS)
@pytest.mark.parametrize("rate", GOOD_SAMPLE_RATES)
def test_sample_rates_from_0_to_1_are_accepted(variable, rate):
    pre_gen.check_sample_rate(variable, rate)


@pytest.mark.parametrize("variable", SAMPLE_RATE_ANSWERS)
@pytest.mark.parametrize("rate", BAD_SAMPLE_RATES)
def test_sample_rates_outside_0_to_1_are_refused(variable, rate):
    with pytest.raises(pre_gen.BadAnswer) as error:
        pre_gen.check_sample_rate(variable, rate)

    assert str(error.value).startswith(f"ERROR: {variable}: ")
    assert f"got {rate!r}; for example 0" in str(error.value)


@pytest.mark.parametrize("slug", ["", *BAD_SLUGS])
def test_slugs_that_are_not_lowercase_identifiers_are_refused(slug):
    with pytest.raises(pre_gen.BadAnswer, match=r"^ERROR: project_slug: .*for example averon_backend$"):
        pre_gen.check_project_slug(slug)


@pytest.mark.parametrize("slug", ["averon_backend", "api2", "b", "shop__api"])
def test_lowercase_identifier_slugs_are_accepted(slug):
    pre_gen.check_project_slug(slug)


@pytest.mark.parametrize(
    "variable, value",
    [("sentry_traces_sample_rate", rate) for rate in BAD_SAMPLE_RATES]
    + [("sentry_profile_session_sample_rate", rate) for rate in ("1.5", "abc")]
    + [("project_slug", slug) for slug in BAD_SLUGS],
)
def test_cli_refuses_bad_answer_with_one_line_and_leaves_no_folder(tmp_path, variable, value):
    result = cookiecutter_cli(tmp_path, f"{variable}={value}")

    assert result.returncode == 1
    [error_line] = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert error_line.startswith(f"ERROR: {variable}: ")
    assert f"got {value!r}; for example " in error_line
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_env_file_gets_fresh_secrets_and_keeps_the_rest():
    example = "# comment\nSECRET_KEY=change-me\nSENTRY_DSN=\nSENTRY_USER_ID_KEY=change-me\n"

    first = post_gen.env_file_from_example(example)
    second = post_gen.env_file_from_example(example)

    assert first != second
    assert "change-me" not in first
    lines = first.splitlines()
    assert lines[0] == "# comment" and lines[2] == "SENTRY_DSN="
    secret_key = lines[1].removeprefix("SECRET_KEY=")
    user_id_key = lines[3].removeprefix("SENTRY_USER_ID_KEY=")
    assert len(secret_key) >= 50 and len(user_id_key) >= 50
    assert secret_key != user_id_key


def test_env_file_refuses_an_example_without_a_secret_line():
    with pytest.raises(ValueError, match="SENTRY_USER_ID_KEY"):
        post_gen.env_file_from_example("SECRET_KEY=change-me\n")


@pytest.mark.parametrize("database, mentions_database_url", [("sqlite", False), ("postgresql", True)])
def test_next_steps_say_how_to_run_and_where_the_dsn_goes(database, mentions_database_url):
    steps = post_gen.next_steps("build/averon_backend", database, "ninja")

    assert "  cd build/averon_backend\n  make run" in steps
    assert "SENTRY_DSN" in steps
    assert ("DATABASE_URL" in steps) == mentions_database_url


@pytest.mark.parametrize(
    "pwd, shown",
    [
        ("/home/ada/work", "build/averon_backend"),  # the folder cookiecutter was run in
        ("/home/ada/work/build/averon_backend", "."),
        ("/elsewhere", "/home/ada/work/build/averon_backend"),  # not below it: absolute
        ("", "/home/ada/work/build/averon_backend"),  # no shell said where it was
    ],
)
def test_next_steps_name_the_project_folder_as_the_user_can_reach_it(monkeypatch, pwd, shown):
    monkeypatch.setattr(post_gen.os.path, "isdir", lambda path: True)

    path = post_gen.shown_path("/home/ada/work/build/averon_backend", {"PWD": pwd})

    assert path == shown
