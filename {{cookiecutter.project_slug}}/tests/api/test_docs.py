"""The API's OpenAPI schema and docs page: valid, complete, self-hosted, linking the
accounts API's own (allauth's), and, with it, off in production unless asked for."""

import re

import pytest
from openapi_spec_validator import validate

from tests.conftest import DEPLOYED_ENVIRONMENT, run_django
{%- if cookiecutter.api_framework == "ninja" %}

DETAIL = "/api/notes/{note_id}/"
{%- else %}

DETAIL = "/api/notes/{id}/"
{%- endif %}
EXAMPLE_OPERATIONS = {
    ("/api/notes/", "get"),
    ("/api/notes/", "post"),
    (DETAIL, "get"),
    (DETAIL, "put"),
    (DETAIL, "delete"),
}

# The API's schema, then the accounts API's.
SCHEMA_STATUSES = """
from django.test import Client
paths = ("/api/openapi.json", "/_allauth/openapi.json")
print(*[Client().get(path, secure=True).status_code for path in paths])
"""


def test_the_schema_is_valid_openapi_3_and_lists_every_operation_of_the_example(client):
    schema = client.get("/api/openapi.json").json()

    validate(schema)
    assert schema["openapi"].startswith("3.")
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert EXAMPLE_OPERATIONS <= operations


def test_every_operation_of_the_example_takes_the_session_token_or_the_session_cookie(client):
    schema = client.get("/api/openapi.json").json()

    schemes = schema["components"]["securitySchemes"]
    token = [name for name, scheme in schemes.items() if scheme.get("name") == "X-Session-Token"]
    cookie = [name for name, scheme in schemes.items() if scheme.get("in") == "cookie"]
    assert [schemes[name]["in"] for name in token] == ["header"]
    assert len(cookie) == 1
    for path, method in EXAMPLE_OPERATIONS:
        security = schema["paths"][path][method]["security"]
        assert {name for requirement in security for name in requirement} == {*token, *cookie}


def test_the_description_links_the_accounts_api_docs_and_schema(client):
    description = client.get("/api/openapi.json").json()["info"]["description"]

    links = re.findall(r"\]\((/[^)]+)\)", description)

    assert links == ["/_allauth/openapi.html", "/_allauth/openapi.json"]
    assert client.get(links[0]).status_code == 200
    accounts_schema = client.get(links[1]).json()
    assert "/_allauth/{client}/v1/auth/login" in accounts_schema["paths"]


@pytest.mark.parametrize("page", ["/api/docs/", "/_allauth/openapi.html"])
def test_the_docs_pages_load_their_scripts_and_styles_from_this_server(client, page):
    response = client.get(page)

    assert response.status_code == 200
    page = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(address.endswith(".js") for address in addresses)
    assert [address for address in addresses if not address.startswith("/")] == []


def schema_statuses(settings_module, **variables):
    return run_django(SCHEMA_STATUSES, settings_module, **DEPLOYED_ENVIRONMENT, **variables)


@pytest.mark.parametrize("settings_module", ["development", "staging"])
def test_the_schemas_are_served_outside_production(settings_module):
    assert schema_statuses(settings_module) == "200 200"


def test_the_schemas_are_off_in_production():
    assert schema_statuses("production") == "404 404"


def test_the_schemas_are_served_in_production_when_enabled():
    assert schema_statuses("production", API_DOCS_ENABLED="true") == "200 200"
