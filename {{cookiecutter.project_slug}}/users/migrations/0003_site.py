"""Names the one site (SITE_ID) after the project and its frontend's address: allauth's
mail says "Hello from <name>", and keys its count of an account's failed logins by the
site, which must not follow the Host header a client chooses."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def name_the_site(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        id=settings.SITE_ID,
        defaults={"name": settings.PROJECT_NAME, "domain": urlsplit(settings.FRONTEND_URL).netloc},
    )


class Migration(migrations.Migration):
    dependencies = [("users", "0002_cache_table"), ("sites", "0002_alter_domain_unique")]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
