"""The user model: an email address to sign in with, no username.

Django advises every new project to start with its own user model, since swapping it
after the first migration is painful; this one is AbstractUser without the username.
Addresses are unique whatever their case (Ada@Example.com and ada@example.com are one
user), both here and in the database.
"""

from typing import Any, ClassVar

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower


class EmailUserManager(BaseUserManager["User"]):
    """Users by email, as Django's documentation writes a custom user's manager; what
    createsuperuser and the admin call."""

    # Data migrations that create users get this manager too.
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        user = self.create_user(email, password, **extra_fields)
        # Whoever runs createsuperuser at the server's console vouches for the address:
        # it is verified, so the superuser can sign in at once (docs/auth.md, "The admin").
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        return user


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[EmailUserManager] = EmailUserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="users_user_email_unique_any_case"),
        ]

    def __str__(self) -> str:
        return self.email
