"""The ``dailypapers`` command: Django's management commands under one name (serve, import, fetch, ...)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from dailypapers.core.datadir import prepare_data_dir

    prepare_data_dir()
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["dailypapers", *(args or ["help"])])


if __name__ == "__main__":
    main()
