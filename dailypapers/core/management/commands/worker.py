"""dailypapers worker [--loop]: run the scheduled jobs (fetch arXiv, sync search indexes, send digests)."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from dailypapers.core import scheduler as worker


class Command(BaseCommand):
    help = "Run the due scheduled jobs once (cron-friendly), or keep running them with --loop."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, checking for due jobs every poll")
        parser.add_argument("--job", help="run this job now (still never at the same time as another worker)")
        parser.add_argument("--poll", type=float, help="seconds between checks (DAILYPAPERS_WORKER_POLL_SECONDS)")
        parser.add_argument("--duration", type=float, help="with --loop: stop after this many seconds")
        parser.add_argument("--parent-pid", type=int, help="with --loop: stop when this parent process is gone")
        parser.add_argument("--status", action="store_true", help="show each job's schedule and last run, and exit")

    def handle(self, *args, **options):
        if options["status"]:
            return self.status()
        owner = worker.new_owner()
        try:
            if options["loop"]:
                stop = threading.Event()
                # SIGTERM (e.g. from `serve` shutting down): finish the job at hand, then stop.
                signal.signal(signal.SIGTERM, lambda *_: stop.set())
                worker.run_loop(
                    owner=owner,
                    poll_seconds=options["poll"],
                    duration=options["duration"],
                    parent_pid=options["parent_pid"],
                    stop=stop,
                )
                return
            ran = worker.run_due_jobs(owner=owner, only=options["job"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except KeyboardInterrupt:
            return
        if not ran:
            self.stdout.write("no job was due (or another worker is running it)")
        for name, status in ran:
            self.stdout.write(f"{name}: {status}")

    def status(self) -> None:
        from dailypapers.core.models import Job

        jobs = list(Job.objects.order_by("name"))
        if not jobs:
            self.stdout.write("no job has run yet")
        for job in jobs:
            running = (
                f", running on {job.lease_owner} (lease until {job.lease_until:%Y-%m-%d %H:%M:%S})"
                if job.lease_owner
                else ""
            )
            last = (
                f"last {job.last_status or '-'} at {job.last_finished_at:%Y-%m-%d %H:%M:%S}"
                if job.last_finished_at
                else "never run"
            )
            self.stdout.write(f"{job.name}: next {job.next_run_at:%Y-%m-%d %H:%M:%S} UTC; {last}{running}")
            if job.last_message:
                self.stdout.write(f"  {job.last_message[:300]}")
        for line in worker.status_lines():
            self.stdout.write(line)
