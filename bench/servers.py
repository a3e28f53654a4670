"""The bench's own way to run a server: on a free loopback port, in a process group of
its own (gunicorn's worker too), logging to a file, stopped by SIGTERM with the time its
graceful shutdown took. The scripts in bench/ import this, never the suite's helpers."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request


def free_port():
    with socket.create_server(("127.0.0.1", 0)) as listener:
        return listener.getsockname()[1]


def answers(url):
    """Whether `url` answers at all: any HTTP status counts."""
    try:
        urllib.request.urlopen(url, timeout=2).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


class Server:
    """`command` started in its own process group; with `url`, ready once it answers."""

    def __init__(self, command, log_path, url=None, timeout=60, **popen_options):
        self.log = open(log_path, "wb")  # noqa: SIM115 (closed by stop)
        self.process = subprocess.Popen(
            command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True, **popen_options
        )
        self.pid = self.process.pid
        self.shutdown_seconds = None
        deadline = time.monotonic() + timeout
        while url and not answers(url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{command[0]} never answered {url}: see {log_path}")
            time.sleep(0.1)

    def stop(self, timeout=20):
        """SIGTERM to the group once; the seconds until it exited (SIGKILL past `timeout`)."""
        if self.shutdown_seconds is None:
            started = time.monotonic()
            try:
                os.killpg(self.pid, signal.SIGTERM)
                self.process.wait(timeout=timeout)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait()
            self.log.close()
            self.shutdown_seconds = time.monotonic() - started
        return self.shutdown_seconds
