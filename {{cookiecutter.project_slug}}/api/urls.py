"""/api/: the operational routes, then each resource's{% if cookiecutter.api_framework != "none" %}, and the OpenAPI schema and docs
page while API_DOCS_ENABLED is true{% endif %}."""

{% if cookiecutter.api_framework != "none" -%}
from django.conf import settings
{% endif -%}
from django.urls import include, path
{%- if cookiecutter.api_framework == "ninja" %}
from ninja import NinjaAPI

from api.auth import signed_in
from notes.api import router as notes_router

# One NinjaAPI, a Router per resource (docs/api.md). Every operation needs a signed-in
# caller unless it says auth=None. Its docs page is Swagger UI from django-ninja's own
# static files, no CDN.
api = NinjaAPI(
    title=settings.PROJECT_NAME,
    description=settings.API_DESCRIPTION,
    auth=signed_in,
    urls_namespace="api",
    openapi_url="/openapi.json" if settings.API_DOCS_ENABLED else None,
    docs_url="/docs/",
)
api.add_router("/notes/", notes_router)
{%- elif cookiecutter.api_framework == "drf" %}
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from notes.views import NoteViewSet

# One router for every viewset: register the next resource here (docs/api.md).
router = SimpleRouter(use_regex_path=False)
router.register("notes", NoteViewSet, basename="note")
{%- endif %}

urlpatterns = [
    path("", include("ops.urls")),
{%- if cookiecutter.api_framework == "ninja" %}
    path("", api.urls),
{%- elif cookiecutter.api_framework == "drf" %}
    *router.urls,
{%- endif %}
]
{%- if cookiecutter.api_framework == "drf" %}

# Swagger UI from drf-spectacular-sidecar's static files (no CDN), its settings in a
# script file of its own (so a strict CSP allows it).
if settings.API_DOCS_ENABLED:
    urlpatterns += [
        path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-json"),
        path("docs/", SpectacularSwaggerSplitView.as_view(url_name="openapi-json"), name="openapi-view"),
    ]
{%- endif %}
