"""`python manage.py find_sentry_user <user id>`: whose is the user id Sentry shows?

Sentry gets a pseudonym of each signed-in user, never who they are
(observability/user_id.py). Where the server's SENTRY_USER_ID_KEY is set, this computes
every user's pseudonym under it and prints the one user whose pseudonym it is: their
primary key and email address. Without the key nobody can, which is the point.
"""

import hmac
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from observability.config import read_config
from observability.user_id import pseudonym

PSEUDONYM = re.compile(r"[0-9a-f]{32}")
# Primary keys read from the database per query: memory stays flat however many users.
CHUNK_SIZE = 2000


class Command(BaseCommand):
    help = "Find the user whose pseudonym Sentry shows as the user id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user_id", help="the user id of a Sentry event (32 hex characters)")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = options["user_id"].strip().lower()
        if not PSEUDONYM.fullmatch(wanted):
            raise CommandError(f"{options['user_id']!r} is not a user id this project sends (32 hex digits).")
        key = read_config("").user_id_key
        if not key:
            raise CommandError("SENTRY_USER_ID_KEY is not set: run this where the server's environment is.")
        users = get_user_model().objects
        for user_pk in users.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=CHUNK_SIZE):
            if hmac.compare_digest(pseudonym(key, user_pk), wanted):
                user = users.get(pk=user_pk)
                self.stdout.write(f"user {user.pk}: {user.email}")
                return
        raise CommandError(
            f"No user has the user id {wanted} under this SENTRY_USER_ID_KEY "
            "(deleted since, or the event came from a server with another key)."
        )
