from django.urls import path

from ops import views

urlpatterns = [
    path("health/", views.health, name="health"),
    path("health/live/", views.liveness, name="liveness"),
    path("sentry-debug/", views.sentry_debug, name="sentry-debug"),
]
