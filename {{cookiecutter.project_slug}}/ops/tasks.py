"""Background jobs: work that must not hold up a request (core/celery.py runs them).

Queue one from anywhere with its keyword arguments, for example
`send_email.delay(to_email="ada@example.com", subject="Welcome", body="...")`.
Keyword arguments only, so that a parameter added later cannot change the meaning of
messages already queued. A failed task's frames reach Sentry with their variables,
cleaned by observability/privacy (by name, known secrets and email addresses): pass ids rather
than secrets, such as a password-reset link, which no rule can recognise.

Tasks are acknowledged late (core/settings/base.py), so a task may run twice when a
worker dies: write each so that running it again does no harm.
"""

from celery import shared_task
from django.core import mail
from django.core.management import call_command


# A mail server that is down or busy fails with an OSError (smtplib's errors are too):
# the task is retried after about 2, 4, 8, 16 and 32 seconds, each wait picked at random
# up to that, so a fleet of workers does not retry in step. Only when the last attempt
# fails does the task fail, and Sentry get one event; a retry is not an event.
@shared_task(
    autoretry_for=(OSError,),
    max_retries=5,
    retry_backoff=2,
    retry_backoff_max=600,
    retry_jitter=True,
)
def send_email(*, to_email: str, subject: str, body: str) -> int:
    """Send one plain-text email through the server EMAIL_URL names (core/email.py)."""
    return mail.send_mail(subject, body, from_email=None, recipient_list=[to_email])


@shared_task
def clear_expired_sessions() -> None:
    """Delete expired sessions from the database, nightly (CELERY_BEAT_SCHEDULE)."""
    call_command("clearsessions")
