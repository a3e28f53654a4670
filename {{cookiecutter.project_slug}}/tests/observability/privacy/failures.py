"""Real failures for the privacy tests of the account flows: each turns a request to
allauth's headless API into a Sentry event, and keeps what the request answered or
mailed, for the test to know the secrets it held."""

import json
import logging
import re
import smtplib
import urllib.parse

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("ops")

# Where the mailed links put their key (core/settings: HEADLESS_FRONTEND_URLS).
MAILED_KEY = re.compile(r"/account/(?:verify-email|password/reset/key)/(\S+)")
# What allauth answers with that is a credential: a session token, a TOTP secret (also in
# the otpauth:// URL), recovery codes.
ANSWERED_SECRETS = ("session_token", "secret", "totp_url", "unused_codes")

# What the failures below kept of the request they broke: its answer, its mail.
kept_answers: list[bytes] = []
kept_mail: list[str] = []


class FailingMailBackend(BaseEmailBackend):
    """A mail server that drops the connection after taking the message: what a flow that
    mails (sign-up, a password reset) meets when the mail server fails."""

    def send_messages(self, email_messages):
        kept_mail.extend(message.body for message in email_messages)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed: control-mail-server")


class FailingAfterResponseMiddleware:
    """A bug in the project's code that runs around every request, once allauth has
    answered: the answer, with what it holds, is a local variable of a failing frame."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        kept_answers.append(response.content)
        logger.info("post-processing control-middleware-log")
        raise RuntimeError("post-processing failed for control-middleware")


def failing_receiver(**kwargs):
    """Connected to one of allauth's signals: the project's hook on that step fails, with
    allauth's frames, and what they hold, below it."""
    logger.info("hook ran for control-hook-log")
    raise RuntimeError("hook failed for control-hook")


def kept_secrets():
    """The credentials in the answers and mail the failures kept, and how a URL writes them."""
    found = [urllib.parse.unquote(key) for body in kept_mail for key in MAILED_KEY.findall(body)]

    def collect(value, name=""):
        if isinstance(value, dict):
            for key, item in value.items():
                collect(item, key)
        elif isinstance(value, list):
            for item in value:
                collect(item, name)
        elif name in ANSWERED_SECRETS and isinstance(value, str):
            found.append(value)

    for answer in kept_answers:
        collect(json.loads(answer))
    return found
