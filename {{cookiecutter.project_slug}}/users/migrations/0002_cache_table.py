"""The database cache's table (CACHES in settings), made by `migrate` so that no deploy
script can forget it: allauth's rate limits count in that cache. With a Redis cache
(CACHE_URL) there is no table to make, and this does nothing. Changing CACHES to a
database cache later needs `manage.py createcachetable` once."""

from django.core.management import call_command
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_cache_table(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("users", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
