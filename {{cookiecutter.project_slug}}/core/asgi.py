"""The ASGI entry point for servers such as uvicorn; production settings by default.

As under WSGI, Django's application sits behind edge/ (its package docstring says what
answers first); sentry-sdk's DjangoIntegration instruments Django under ASGI as under WSGI.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.production")

django_application = get_asgi_application()

from edge.asgi import wrap  # noqa: E402 (needs the settings loaded)

application = wrap(django_application)
