"""What the template's tests share besides fixtures: baking and installing a project,
running its commands, the servers the tests start (PostgreSQL, Redis, SMTP, a stand-in
for Sentry's release API, Docker) and the clients that talk to a served bake. The
fixtures themselves are in tests/conftest.py."""
