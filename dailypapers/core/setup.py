"""Bring the database up to date: migrations and the shared cache table. Safe to run at every start."""

from __future__ import annotations

from django.core.management import call_command


def prepare_database(*, verbosity: int = 0) -> None:
    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("createcachetable", verbosity=verbosity)
