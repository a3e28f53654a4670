"""allauth's account adapter (ACCOUNT_ADAPTER), where the project changes how accounts
behave: today, two answers that must not depend on what a client is trying to learn."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils.crypto import get_random_string

from users.models import User

# What the user's email column holds: allauth would otherwise store a longer address
# cut short, and a second one cut the same way would fail the unique constraint (a 500).
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length or 254


# allauth ships no type information, so mypy sees its class as Any.
class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def clean_email(self, email: str) -> str:
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(f"An email address has at most {EMAIL_MAX_LENGTH} characters.")
        cleaned: str = super().clean_email(email)
        return cleaned

    def send_account_already_exists_mail(self, email: str) -> None:
        # Signing up a new address hashes its password (Argon2, a few hundred ms); signing
        # up a known one answers the same, and hashing a throwaway password here makes it
        # take as long, so the time of the answer does not tell whether an account exists.
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)
