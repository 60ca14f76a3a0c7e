"""Seed a hub's database for tests that drive child processes:  python -m tests.support.seed N PERIOD

Adds the papers of digest period PERIOD and N active subscribers (dailypapers.core.testing) to the database of
DAILYPAPERS_DATA_DIR / DAILYPAPERS_DATABASE_URL."""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> None:
    import django

    from dailypapers.core.datadir import prepare_data_dir

    count, period_key = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    prepare_data_dir()
    django.setup()
    from dailypapers.core.testing import active_subscribers, digest_papers

    digest_papers(period_key)
    active_subscribers(int(count))


if __name__ == "__main__":
    main(sys.argv[1:])
