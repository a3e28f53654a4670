"""The project's API: one NinjaAPI, mounted at /api/ (api/urls.py), with a Router per
resource, each in its own module. docs/api.md says how to add one.

The OpenAPI schema (/api/openapi.json) and the docs page (/api/docs/, Swagger UI from
django-ninja's own static files, no CDN) exist only while API_DOCS_ENABLED is true.
"""

from django.conf import settings
from ninja import NinjaAPI

from api.notes import router as notes_router

api = NinjaAPI(
    title=settings.PROJECT_NAME,
    urls_namespace="api",
    openapi_url="/openapi.json" if settings.API_DOCS_ENABLED else None,
    docs_url="/docs/",
)
api.add_router("/notes/", notes_router)
