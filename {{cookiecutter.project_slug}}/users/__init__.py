"""The project's users: its own user model, signing in by email, from the first migration.

Accounts themselves (sign-up, email verification, login, tokens, password reset, the
second factor) are django-allauth's headless API at /_allauth/ (docs/auth.md); this app
holds what is the project's: the model, its admin, and how the admin creates users.
Code and tests reach the model through get_user_model() or settings.AUTH_USER_MODEL.
"""
