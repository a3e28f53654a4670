"""A real SMTP server (aiosmtpd) on a free loopback port, keeping every message it is
given; with a login, it refuses mail from a client that has not logged in with it. It
refuses every address at REFUSED_DOMAIN, as a mail server refuses a mailbox it lacks."""

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.helpers.processes import free_port

REFUSED_DOMAIN = "refused.example"


class SmtpServer:
    def __init__(self, login=None):
        self.login = login  # (user, password), or None for a server that asks for none
        self.messages = []
        self.logged_in = []
        self.port = free_port()
        options = {"authenticator": self.authenticate, "auth_required": True, "auth_require_tls": False}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **(options if login else {}))

    def url(self, scheme="smtp"):
        """EMAIL_URL for this server: TLS off, and its login when it has one."""
        credentials = f"{self.login[0]}:{self.login[1]}@" if self.login else ""
        return f"{scheme}://{credentials}127.0.0.1:{self.port}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@" + REFUSED_DOMAIN):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        given = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        )
        if given == self.login:
            self.logged_in.append(given[0])
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc_info):
        self.controller.stop()
