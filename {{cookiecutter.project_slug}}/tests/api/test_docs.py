"""The API's OpenAPI schema and docs page: valid, complete, self-hosted, and off in
production unless asked for."""

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

SCHEMA_STATUS = """
from django.test import Client
print(Client().get("/api/openapi.json", secure=True).status_code)
"""


def test_the_schema_is_valid_openapi_3_and_lists_every_operation_of_the_example(client):
    schema = client.get("/api/openapi.json").json()

    validate(schema)
    assert schema["openapi"].startswith("3.")
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert EXAMPLE_OPERATIONS <= operations


def test_the_docs_page_loads_its_scripts_and_styles_from_this_server(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(address.endswith(".js") for address in addresses)
    assert [address for address in addresses if not address.startswith("/")] == []


def schema_status(settings_module, **variables):
    return run_django(SCHEMA_STATUS, settings_module, **DEPLOYED_ENVIRONMENT, **variables)


@pytest.mark.parametrize("settings_module", ["development", "staging"])
def test_the_schema_is_served_outside_production(settings_module):
    assert schema_status(settings_module) == "200"


def test_the_schema_is_off_in_production():
    assert schema_status("production") == "404"


def test_the_schema_is_served_in_production_when_enabled():
    assert schema_status("production", API_DOCS_ENABLED="true") == "200"
