"""The project's routes: the API, the accounts API (django-allauth's, docs/auth.md) and
Django's admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = settings.PROJECT_NAME

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("_allauth/", include("allauth.headless.urls")),
]
