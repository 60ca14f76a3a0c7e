"""The ``dailypapers`` command: the hub's commands (serve, import, index, ...) and Django's, under one name.

Before a command runs: the data folder exists, the cluster's shared secret key is in place (PostgreSQL), and,
for the commands that use the database, pending migrations are applied (under a lock; see core/setup.py). A
problem there is one sentence on stderr and exit status 1, not a traceback.
"""

from __future__ import annotations

import os
import sys

# Commands that read or write the hub's tables: the database is brought up to date before they run.
NEEDS_DATABASE = {
    "serve",
    "worker",
    "import",
    "fetch",
    "feature",
    "index",
    "search",
    "digests",
    "createsuperuser",
    "changepassword",
    "clearsessions",
    "shell",
}
HELP_WORDS = {"help", "--help", "-h"}


def fail(message: str) -> None:
    sys.stderr.write(f"dailypapers: {message}\n")
    sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "help"
    if command in ("--version", "version"):
        from dailypapers import __version__

        print(f"dailypapers {__version__}")
        return
    from dailypapers.core.datadir import prepare_data_dir
    from dailypapers.core.secret import SecretUnavailable, sync_cluster_secret

    folder = prepare_data_dir()
    if command == "serve" or (command == "worker" and "--loop" in args):
        from dailypapers.core.datadir import use_metrics_dir

        use_metrics_dir(folder)  # these processes count into the node's metrics (when metrics are on)
    if command not in HELP_WORDS:
        try:
            sync_cluster_secret(folder)
        except SecretUnavailable as exc:
            if command in NEEDS_DATABASE:
                fail(str(exc))
    if command in HELP_WORDS and len(args) <= 1:
        import django

        django.setup()
        print(help_text())
        return
    if command in NEEDS_DATABASE and not any(a in HELP_WORDS for a in args[1:]):
        import django

        from dailypapers.core.setup import DatabaseUnavailable, prepare_database

        django.setup()
        try:
            prepare_database()
        except DatabaseUnavailable as exc:
            fail(str(exc))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dailypapers", *args])


def help_text() -> str:
    """Our commands first, each with its one-line description; then Django's, by name."""
    from django.core.management import get_commands, load_command_class

    from dailypapers import __version__

    ours, django_s = [], []
    for name, app in sorted(get_commands().items()):
        if app.startswith("dailypapers"):
            summary = (load_command_class(app, name).help or "").strip().split("\n")[0]
            summary = summary if len(summary) <= 96 else summary[:95].rsplit(" ", 1)[0] + "…"
            ours.append(f"  {name:<10} {summary}")
        else:
            django_s.append(name)
    lines = [
        f"dailypapers {__version__}: a self-hostable hub for research papers.",
        "",
        "Usage: dailypapers COMMAND [OPTIONS]   (dailypapers COMMAND --help for a command's options)",
        "",
        "Commands:",
        *ours,
        "",
        "Django's management commands (for operators and developers):",
    ]
    line = " "
    for name in django_s:
        if len(line) + len(name) + 1 > 110:
            lines.append(line)
            line = " "
        line += f" {name}"
    lines.append(line)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
