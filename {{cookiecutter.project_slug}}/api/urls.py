{%- if cookiecutter.api_framework == "drf" -%}
from django.conf import settings
{% endif -%}
from django.urls import path
{%- if cookiecutter.api_framework == "drf" %}
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter
{%- endif %}

from api import views
{%- if cookiecutter.api_framework == "ninja" %}
from api.api import api
{%- elif cookiecutter.api_framework == "drf" %}
from api.viewsets import NoteViewSet

# One router for every viewset: register the next resource here (docs/api.md).
router = SimpleRouter(use_regex_path=False)
router.register("notes", NoteViewSet)
{%- endif %}

urlpatterns = [
    path("health/", views.health, name="health"),
    path("sentry-debug/", views.sentry_debug, name="sentry-debug"),
{%- if cookiecutter.api_framework == "ninja" %}
    # The NinjaAPI's routes, its schema and docs among them (api/api.py).
    path("", api.urls),
{%- elif cookiecutter.api_framework == "drf" %}
    *router.urls,
{%- endif %}
]
{%- if cookiecutter.api_framework == "drf" %}

# The OpenAPI schema and the docs page: Swagger UI from drf-spectacular-sidecar's static
# files (no CDN), its settings in a script file of its own (so a strict CSP allows it).
if settings.API_DOCS_ENABLED:
    urlpatterns += [
        path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-json"),
        path("docs/", SpectacularSwaggerSplitView.as_view(url_name="openapi-json"), name="openapi-view"),
    ]
{%- endif %}
