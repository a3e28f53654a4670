"""The project's own secrets, found by value: whatever they are called where they turn
up, the value of every environment variable that looks like a credential (or is named
like one) goes from any text, in the forms a URL, a repr, JSON, base64 or hex write it.
"""

import base64
import json
import os
import re
import urllib.parse
from collections.abc import Mapping

from observability.privacy.names import name_kind

SCRUBBED = "[Filtered]"
# Longer strings are cut to this before any rule reads them (and the SDK cuts what it
# serialises a little past it): the rules' cost per string stays bounded.
MAX_TEXT = 4096
_CUT_MARK = "...[cut]"

# A value shorter than this is not searched for as a secret: it would replace common
# words and numbers all over the event.
_MIN_SECRET_LENGTH = 6
# A value looks like a credential when one of its runs of letters and digits is random
# enough: long, or mixing letters and digits (or cases) the way generated keys do.
# "eu-west-1", "production", "worker1" and "words with spaces" do not; "sk_live_51Hx...",
# "ghp_AbC1...", "Tr0ub4dor&3" and "hunter22" do.
_RUN = re.compile(r"[A-Za-z0-9]+")
_LONG_RUN = 16
_MIXED_RUN = 8
# A licence or activation key: three or more short groups joined by dashes, letters and
# digits mixed (ABCD-12EF-GH34-5678), each group too short to look random alone.
_GROUPED_KEY = re.compile(r"[A-Za-z0-9]{4,8}(?:-[A-Za-z0-9]{4,8}){2,}")


def cut(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - len(_CUT_MARK)] + _CUT_MARK


def looks_like_credential(value: str) -> bool:
    if any(character.isspace() for character in value):
        return False
    for run in _RUN.findall(value):
        digits = sum(character.isdigit() for character in run)
        letters = len(run) - digits
        mixed_case = run.lower() != run and run.upper() != run
        if len(run) >= _LONG_RUN and letters:
            return True
        if len(run) >= _MIXED_RUN and ((digits >= 2 and letters >= 2) or (mixed_case and digits)):
            return True
    return False


def _is_grouped_key(value: str) -> bool:
    if not _GROUPED_KEY.fullmatch(value):
        return False
    digits = sum(character.isdigit() for character in value)
    return digits >= 2 and len(value) - value.count("-") - digits >= 2


def _encoded_forms(secret: str) -> set[str]:
    """The secret as a URL, a repr, JSON, base64, base32 and hex would write it (the
    search ignores case, so upper-case hex and percent-escapes are found too)."""
    raw = secret.encode()
    standard = base64.b64encode(raw).decode()
    urlsafe = base64.urlsafe_b64encode(raw).decode()
    return {
        secret,
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote(secret),
        urllib.parse.quote_plus(secret),
        base64.b32encode(raw).decode().rstrip("="),
        secret.encode("unicode_escape").decode(),
        json.dumps(secret)[1:-1],
        standard,
        standard.rstrip("="),
        urlsafe.rstrip("="),
        raw.hex(),
    }


def project_secrets(environ: Mapping[str, str], not_secret: frozenset[str]) -> list[str]:
    """The secret values of this process's environment (which .env fills), in every form."""
    found: set[str] = set()
    for name, value in environ.items():
        # A path is not a secret, whatever its variable is called (the shell's PWD, an
        # agent's SSH_AUTH_SOCK), and it is in every stack frame's file name.
        if name in not_secret or not value or (os.path.isabs(value) and os.path.exists(value)):
            continue
        named_secret = name_kind(name) == "credential"
        items = [value, *(item.strip() for item in value.split(","))] if "," in value else [value]
        found.update(
            item for item in items if named_secret or looks_like_credential(item) or _is_grouped_key(item)
        )
        if "://" in value:
            try:
                parts = urllib.parse.urlsplit(value)
                found.add(urllib.parse.unquote(parts.password or ""))
                if name == "SENTRY_DSN":
                    found.add(parts.username or "")
            except ValueError:  # a port that is not a number: not a URL after all
                pass
    secrets = {value for value in found if len(value) >= _MIN_SECRET_LENGTH}
    forms = {form for secret in secrets for form in _encoded_forms(secret) if len(form) >= _MIN_SECRET_LENGTH}
    # The longest first, so no secret is half-replaced by another.
    return sorted(forms, key=len, reverse=True)


class Secrets:
    """The project's secrets as one search, and text cut with them taken out first."""

    def __init__(self, secrets: list[str]) -> None:
        # Case aside: hex and percent-escapes come in upper and lower case.
        self._pattern = re.compile("|".join(map(re.escape, secrets)), re.IGNORECASE) if secrets else None
        self._shortest = min(map(len, secrets), default=0)
        # Text is searched for secrets this much past where it is cut, so that no secret
        # across the cut leaves its first half; the SDK cuts what it serialises there too.
        self.longest = max(map(len, secrets), default=0)

    def scrub(self, text: str) -> str:
        # Most strings are shorter than any secret: no search needed.
        if self._pattern is None or len(text) < self._shortest:
            return text
        return self._pattern.sub(SCRUBBED, text)

    def cut(self, text: str, limit: int = MAX_TEXT) -> str:
        """The text cut to `limit`, its secrets taken out first."""
        return cut(self.scrub(text[: limit + self.longest]), limit)
