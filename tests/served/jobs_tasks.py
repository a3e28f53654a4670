"""Copied into a Celery bake by the template's background-job tests: a task that runs
until the test lets it finish, so a worker can be killed in the middle of it."""

import os
import time
from pathlib import Path

from celery import shared_task


@shared_task
def hold_until_released(*, folder: str) -> None:
    marks = Path(folder)
    (marks / f"started-{os.getpid()}").touch()
    while not (marks / "release").exists():
        time.sleep(0.1)
    (marks / f"finished-{os.getpid()}").touch()
