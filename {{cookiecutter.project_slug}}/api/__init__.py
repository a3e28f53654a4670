"""The HTTP API's root: urls.py mounts the operational routes and each resource under
/api/{% if cookiecutter.api_framework != "none" %}, with the OpenAPI schema and its docs page{% endif %}. A new resource is registered there
(docs/api.md).
"""
