"""A throwaway Redis for one test run, from the machine's `redis-server` (.ci/run
installs Debian's package): a loopback port, a password, no persistence; stopped at
the end."""

import secrets
import shutil
import socket
import subprocess

from tests.helpers.processes import free_port, wait_for


class RedisServer:
    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise RuntimeError("redis-server not found: install it (apt-get install redis-server)")
        self.port = free_port()
        # A password, as a deployed Redis has: the broker URL then holds a secret.
        self.password = secrets.token_urlsafe(16)
        self.process = None

    def url(self, database=0):
        return f"redis://:{self.password}@127.0.0.1:{self.port}/{database}"

    def start(self):
        # The password goes in on stdin, as a config file, so no process listing shows it.
        config = "\n".join(
            [
                f"port {self.port}",
                "bind 127.0.0.1",
                f"requirepass {self.password}",
                'save ""',
                "appendonly no",
            ]
        )
        self.process = subprocess.Popen(
            [self.binary, "-"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
        )
        self.process.stdin.write(config)
        self.process.stdin.close()
        wait_for(self.answers, timeout=20, what=f"redis-server on port {self.port}")

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(f"AUTH {self.password}\r\nPING\r\n".encode())
                answer = b""
                while answer.count(b"\r\n") < 2:  # +OK, then +PONG
                    answer += connection.recv(100) or b"\r\n\r\n"
                return b"+PONG" in answer
        except OSError:
            return False

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=20)
