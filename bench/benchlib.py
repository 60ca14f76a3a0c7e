"""Set-up shared by the bench scripts (never imports tests/): Django over a data folder, and a free loopback port.

    from benchlib import setup_django   # run as `python bench/<script>.py`: bench/ is on sys.path
    data_dir = setup_django(DAILYPAPERS_LOG_LEVEL="WARNING")

Papers, users and subscribers to measure with come from dailypapers.core.testing.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # the checkout's package, also when run from elsewhere
    sys.path.insert(0, str(REPO))


def setup_django(*, data_dir: str | Path | None = None, migrate: bool = True, **env: str) -> Path:
    """Point the hub at ``data_dir`` (a fresh temporary folder when None), set the extra ``env`` variables, prepare
    the data folder (secret key), set Django up and, unless ``migrate`` is false, bring the database up to date.

    The database is the data folder's SQLite file unless DAILYPAPERS_DATABASE_URL is set. Returns the data folder.
    """
    folder = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="dailypapers-bench-"))
    os.environ["DAILYPAPERS_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    os.environ.update(env)
    import django

    from dailypapers.core.datadir import prepare_data_dir

    prepare_data_dir()  # before django.setup(): the settings read the secret key the data folder holds
    django.setup()
    if migrate:
        from dailypapers.core.setup import prepare_database

        prepare_database()
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
