"""The project's routes: the API, the accounts API (django-allauth's, docs/auth.md) and
Django's admin."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = settings.PROJECT_NAME
# Staff sign in as everyone does, through the accounts API with its rate limits and second
# factor; the admin's own password form would skip both (docs/auth.md, "The admin").
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("_allauth/", include("allauth.headless.urls")),
]
