"""Start servers the way users do, on free loopback ports, wait for what they do, and
always stop them."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(url, process, timeout=60):
    """Poll `url` until it answers with any HTTP status; fail if the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def wait_for(condition, timeout=20, what="the condition"):
    """Poll `condition` until it returns something truthy, and return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} did not hold within {timeout} s")


def start_server(command, url, log_path, **popen_options):
    """Start a server in its own process group, logging to `log_path`, and wait until
    `url` answers (None: don't wait, for a server that never answers)."""
    log = open(log_path, "wb")  # noqa: SIM115 (closed by stop_server)
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **popen_options
    )
    process.log = log
    try:
        if url:
            wait_until_answering(url, process)
    except Exception:
        stop_server(process)
        raise
    return process


def stop_server(process, timeout=20):
    """SIGTERM the server's whole process group (gunicorn's workers too), wait, and
    return how many seconds the shutdown took."""
    started = time.monotonic()
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        process.log.close()
    return time.monotonic() - started
