"""What counts as secret or personal, and taking it out of everything Sentry sends."""

from observability.privacy.filter import MAX_TEXT, Event, Hint, PrivacyFilter, project_secrets, request_repr

__all__ = ["MAX_TEXT", "Event", "Hint", "PrivacyFilter", "project_secrets", "request_repr"]
