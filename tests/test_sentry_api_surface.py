"""A bake uses sentry-sdk only through its documented Python API, so the next major
release (3.0 drops start_transaction and sentry_sdk.tracing) costs its users no rewrite
of code they did not write."""

import ast
import shutil

# https://docs.sentry.io/platforms/python/ (APIs, configuration, integrations, and
# data management pages): every name a bake may import from the SDK outside its tests.
DOCUMENTED = {
    "sentry_sdk.init",
    "sentry_sdk.capture_exception",
    "sentry_sdk.capture_message",
    "sentry_sdk.add_breadcrumb",
    "sentry_sdk.set_tag",
    "sentry_sdk.set_context",
    "sentry_sdk.set_extra",
    "sentry_sdk.set_user",
    # Scope attributes, which streamed spans and Sentry Logs carry (enriching-events/attributes).
    "sentry_sdk.set_attribute",
    "sentry_sdk.new_scope",
    "sentry_sdk.isolation_scope",
    "sentry_sdk.get_client",
    "sentry_sdk.get_global_scope",
    "sentry_sdk.get_isolation_scope",
    "sentry_sdk.flush",
    "sentry_sdk.get_traceparent",
    # The release, to tell sentry-sdk 2.x from 3.x where their APIs differ (observability/compat.py).
    "sentry_sdk.VERSION",
    "sentry_sdk.integrations.django.DjangoIntegration",
    "sentry_sdk.integrations.logging.LoggingIntegration",
    "sentry_sdk.integrations.logging",
    "sentry_sdk.integrations.logging.ignore_logger",
    # 2.x's name for muting a logger's Sentry Logs, and 3.x's for its events and breadcrumbs.
    "sentry_sdk.integrations.logging.ignore_logger_for_sentry_logs",
    "sentry_sdk.integrations.logging.ignore_logger_for_events",
    "sentry_sdk.integrations.argv.ArgvIntegration",
    "sentry_sdk.integrations.celery.CeleryIntegration",
    "sentry_sdk.transport.Transport",
    "sentry_sdk.envelope.Envelope",
    # The types of the callbacks' arguments, as the filtering pages import them.
    "sentry_sdk.types.Event",
    "sentry_sdk.types.Hint",
    "sentry_sdk.types.Log",
}
# Undocumented names a bake may still use, each with its reason.
EXCEPTIONS = {
    "sentry_sdk.types.SpanJSON": "the type of before_send_span's span, in sentry_sdk.types, the module "
    "the SDK keeps for its public types (the docs show the callback without annotations)",
    "sentry_sdk.utils.BadDsn": "the exception sentry_sdk.init() raises for a malformed DSN; the SDK "
    "exports it nowhere else, and observability/sentry.py turns it into the one-line start-up error",
}


def sdk_names(source):
    """Every sentry_sdk name a module imports or reaches as sentry_sdk.<name>."""
    tree = ast.parse(source)
    aliases = {}  # local name -> the SDK module it stands for
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sentry_sdk":
                    aliases[alias.asname or alias.name] = alias.name
                    if alias.name != "sentry_sdk":
                        names.add(alias.name)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sentry_sdk":
            for alias in node.names:
                # `from sentry_sdk.integrations import logging` names a module too.
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                names.add(f"{node.module}.{alias.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            names.add(f"{aliases[node.value.id]}.{node.attr}")
    return names


def bake_sdk_names(project):
    found = {}
    for path in project.rglob("*.py"):
        relative = path.relative_to(project)
        if relative.parts[0] in ("tests", ".venv"):
            continue
        for name in sdk_names(path.read_text()):
            found.setdefault(name, []).append(str(relative))
    return found


def undocumented(found):
    return {name: files for name, files in found.items() if name not in DOCUMENTED | set(EXCEPTIONS)}


def test_a_bake_imports_only_documented_sentry_sdk_names(each_project):
    found = bake_sdk_names(each_project)

    assert undocumented(found) == {}
    assert "sentry_sdk.integrations.django.DjangoIntegration" in found
    has_celery = (each_project / "core" / "celery.py").exists()
    assert ("sentry_sdk.integrations.celery.CeleryIntegration" in found) == has_celery


def test_a_private_or_removed_name_is_caught(default_project, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(default_project, project)
    (project / "core" / "tracing_helper.py").write_text(
        "import sentry_sdk\n"
        "from sentry_sdk.tracing import TransactionSource\n"
        "from sentry_sdk import serializer as s\n"
        "from sentry_sdk import scrubber\n"
        "sentry_sdk.start_transaction(name='x', source=TransactionSource.URL)\n"
        "s.serialize({}); scrubber.DEFAULT_DENYLIST\n"
    )

    assert set(undocumented(bake_sdk_names(project))) == {
        "sentry_sdk.tracing.TransactionSource",
        "sentry_sdk.tracing.TransactionSource.URL",
        "sentry_sdk.serializer",
        "sentry_sdk.serializer.serialize",
        "sentry_sdk.scrubber",
        "sentry_sdk.scrubber.DEFAULT_DENYLIST",
        "sentry_sdk.start_transaction",
    }
