"""`dailypapers check [--deploy]`: what is wrong with this deployment, in sentences (this replaces Django's `check`
command, whose system checks run as one of ours)."""

from __future__ import annotations

from typing import ClassVar

from django.core.management.base import BaseCommand, CommandError

from dailypapers.core.checkup import run_checkup

MARKS = {"ok": "ok     ", "warning": "warning", "problem": "PROBLEM"}


class Command(BaseCommand):
    help = "Say what is wrong with this deployment: database, migrations, shared secret, index, e-mail, worker, https."
    # Django's system checks run as one of ours: a failing one is reported, not raised before anything else runs.
    requires_system_checks: ClassVar[list[str]] = []

    def add_arguments(self, parser):
        parser.add_argument("--deploy", action="store_true", help="include Django's deployment checks")

    def handle(self, *args, deploy=False, **options):
        findings = run_checkup(deploy=deploy)
        for level, sentence in findings:
            self.stdout.write(f"{MARKS[level]}  {sentence}")
        problems = sum(1 for level, _ in findings if level == "problem")
        if problems:
            raise CommandError(f"{problems} problem(s) found")
        self.stdout.write("no problem found")
