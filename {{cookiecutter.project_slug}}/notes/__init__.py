"""The example resource: notes, to grow the next resource from (docs/api.md).

An app of the project's own domain: its model, admin and migrations, and
{%- if cookiecutter.api_framework == "ninja" %}
its routes (api.py, a Django Ninja router), which api/urls.py mounts under /api/.
{%- else %}
its serializer and viewset (REST framework), which api/urls.py routes under /api/.
{%- endif %}
Yours to change, rename or delete.
"""
