"""What a field name says: that its value is a credential, personal data, or neither.

A name is cut into lowercase parts (user_password, userPassword and X-User-Password all
give user + password) and matched two ways. Words are found anywhere in the joined name
(csrfmiddlewaretoken, refreshtoken, MASTERKEY); short parts must be a whole part, or
"pin" would match "spinner" and "pass" would match "compass".
"""

import functools
import re

# "passw" finds password, passwort and passwd.
_CREDENTIAL_WORDS = tuple(
    """passw passphrase passcode secret token credential csrf xsrf session sessid cookie
    authorization apikey privatekey signature bearer jwt hmac totp nonce saml oidc dpop
    webhook codeverifier cardnumber cardno ccnum creditcard securitycode iban""".split()
)
_CREDENTIAL_PARTS = frozenset(
    "key keys pass pwd pw auth sid pin otp mfa dsn sig cvv cvc sk pat sso salt pem".split()
)
# A name ending in "key" (masterkey, licensekey, sshkey) names one, whatever comes before.
_CREDENTIAL_ENDINGS = ("key", "keys")
_PERSONAL_WORDS = tuple(
    """email phone mobile msisdn ipaddress remoteaddr remoteuser forwarded clientip
    clientaddr socketip birth passport nationalid taxid""".split()
)
_PERSONAL_PARTS = frozenset({"ip", "ssn", "dob"})
_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


# Field names repeat from event to event; the cache is bounded, as clients choose names.
@functools.lru_cache(maxsize=4096)
def name_kind(name: str) -> str | None:
    """ "credential", "personal" or None for a field name."""
    parts = [part.lower() for part in _PART.findall(name[:100])]
    joined = "".join(parts)
    if (
        _CREDENTIAL_PARTS.intersection(parts)
        or joined.endswith(_CREDENTIAL_ENDINGS)
        or any(word in joined for word in _CREDENTIAL_WORDS)
    ):
        return "credential"
    if _PERSONAL_PARTS.intersection(parts) or any(word in joined for word in _PERSONAL_WORDS):
        return "personal"
    return None


def is_sensitive(name: str, personal_data: bool) -> bool:
    """Whether a value found under `name` is taken out: a credential always, personal
    data unless personal data is turned on."""
    kind = name_kind(name)
    return kind == "credential" or (kind == "personal" and not personal_data)
