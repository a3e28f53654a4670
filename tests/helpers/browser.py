"""Debian's chromium, driven by selenium through chromedriver, for the API docs page."""

import contextlib
import shutil

from selenium import webdriver

# Headless, on a machine whose network is closed: nothing of its own may call out
# (updates, sync, QUIC probes), and each run gets a fresh profile.
CHROMIUM_ARGUMENTS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium(profile_dir):
    """A chromium driver with a fresh profile in `profile_dir`, which logs every request
    the page makes (Chromium's DevTools log), answered or not; quit at the end."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in [*CHROMIUM_ARGUMENTS, f"--user-data-dir={profile_dir}"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(shutil.which("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()
