"""`dailypapers backup PATH`: a consistent copy of the live database (see core/backup.py and docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from dailypapers.core.backup import BackupError, backup_sqlite, pg_dump_command


class Command(BaseCommand):
    help = "Copy the live database to PATH (SQLite), or print the pg_dump command to run (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup file to write")
        parser.add_argument("--force", action="store_true", help="replace PATH when it exists")

    def handle(self, *args, path: Path, force: bool = False, **options):
        if connection.vendor == "postgresql":
            self.stdout.write("PostgreSQL: run pg_dump, which takes a consistent snapshot while the hub runs")
            self.stdout.write("(the password comes from PGPASSWORD or ~/.pgpass):")
            self.stdout.write(pg_dump_command(target=path))
            return
        try:
            size = backup_sqlite(target=path, overwrite=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"backed up the database to {path} ({size / 1e6:.1f} MB)")
        self.stdout.write(
            "Keep the data folder's secret_key file with it (sessions and e-mailed links are signed with "
            "it); search indexes are rebuilt after a restore with `dailypapers index --rebuild`."
        )
