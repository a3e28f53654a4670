"""The project's one reader of configuration: the process environment, then .env.

Real environment variables win over .env, so a deployment can override any line of
it without editing the file. A missing .env is fine: development has safe defaults.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
