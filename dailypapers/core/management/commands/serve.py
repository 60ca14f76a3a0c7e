"""dailypapers serve: migrate when needed, then serve the site with gunicorn (a production WSGI server)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from dailypapers.core.setup import prepare_database


def gunicorn_config(*, host: str, port: int, workers: int | None, threads: int) -> dict:
    """gunicorn's settings for `serve`. By default one request per process at a time and one process per core: on 2
    cores under 32 connections this served the API at p99 141-209 ms against 380-511 ms for 4 processes of 4
    threads, whose requests share an interpreter lock (bench/api_load.py --serve-args; docs/deploy.md "Sizing the
    web workers"). Threads (gthread workers) when asked for, where clients reach gunicorn without a proxy."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers or max(2, os.cpu_count() or 1),
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "accesslog": os.environ.get("DAILYPAPERS_ACCESS_LOG") or None,
        "logger_class": "dailypapers.core.accesslog.RedactingLogger",  # tokens in URLs never reach the log
        "errorlog": "-",
        "timeout": 60,
        "graceful_timeout": 10,
        "preload_app": True,
        # gunicorn >= 25.1's control socket: in the data folder, not ~/.gunicorn shared by every hub of the user
        "control_socket": str(settings.DATA_DIR / "gunicorn.ctl"),
    }


class Command(BaseCommand):
    help = "Migrate the database and collect static files when needed, then serve the hub with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("DAILYPAPERS_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("DAILYPAPERS_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("DAILYPAPERS_WEB_WORKERS", "0")) or None,
            help="worker processes (default: one per CPU core, at least 2)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("DAILYPAPERS_WEB_THREADS", "1")),
            help="threads per worker (default 1: sync workers, for a buffering proxy in front; see docs/deploy.md)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not run the scheduled jobs beside the server (DAILYPAPERS_SERVE_WORKER=0 does the same)",
        )

    def handle(self, *args, **options):
        prepare_database(verbosity=0)
        from dailypapers.core.staticfiles import collect_static_if_needed

        if collect_static_if_needed():  # hashed, compressed static files (first start, or after an upgrade)
            self.stdout.write(f"Collected the static files into {settings.STATIC_ROOT}")
        from gunicorn.app.base import BaseApplication

        config = gunicorn_config(
            host=options["host"], port=options["port"], workers=options["workers"], threads=options["threads"]
        )
        workers = config["workers"]

        class Server(BaseApplication):
            def load_config(self):
                for key, value in config.items():
                    if value is not None and key in self.cfg.settings:
                        self.cfg.set(key, value)

            def load(self):
                from dailypapers.wsgi import application

                return application

        from dailypapers.core.metrics import clear_process_files

        clear_process_files()  # counts of an earlier run's processes (metrics on); before any process counts
        worker = None
        if settings.SERVE_WORKER and not options["no_worker"]:
            # A child process, not a thread: gunicorn forks its web workers from this process.
            worker = subprocess.Popen(
                [sys.executable, "-m", "dailypapers", "worker", "--loop", "--parent-pid", str(os.getpid())]
            )
            self.stdout.write(f"Running the scheduled jobs in a worker process (pid {worker.pid})")
        self.stdout.write(f"Serving Daily Papers on http://{config['bind']}/ with {workers} workers")
        self.stdout.flush()
        from django.db import connections

        connections.close_all()  # gunicorn forks its workers from this process: no database socket may cross over
        try:
            Server().run()
        finally:
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(10)
                except subprocess.TimeoutExpired:
                    worker.kill()
