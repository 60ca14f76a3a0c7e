"""dailypapers digests send [--dry-run] | preview EMAIL: operate the e-mail digests by hand."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import timezone

from dailypapers.core.clock import parse_time
from dailypapers.digests import delivery
from dailypapers.digests.content import DigestBuilder
from dailypapers.digests.digest_periods import InvalidPeriod, latest_period, parse_weekday
from dailypapers.digests.models import Subscription
from dailypapers.digests.rendering import DigestRenderer


class Command(BaseCommand):
    help = "Send the due digests (send [--dry-run] [--period P]) or show one subscriber's digest (preview EMAIL)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="plan and send the due digests, and the retries that are due")
        send.add_argument("--dry-run", action="store_true", help="build every digest, send and record nothing")
        send.add_argument(
            "--period",
            action="append",
            default=[],
            help="send this period now whatever the time (daily:YYYY-MM-DD or weekly:YYYY-MM-DD); repeatable",
        )
        preview = sub.add_parser("preview", help="print the digest an address would get (sends nothing)")
        preview.add_argument("email")
        preview.add_argument("--period", help="daily:YYYY-MM-DD or weekly:YYYY-MM-DD (default: the latest)")
        preview.add_argument("--html", action="store_true", help="print the HTML part instead of the text part")

    def handle(self, *args, **options):
        if options["action"] == "send":
            return self.send(options)
        return self.preview(options)

    def _periods(self, keys: list[str]):
        try:
            return [delivery.period_from_key(key) for key in keys]
        except InvalidPeriod as exc:
            raise CommandError(str(exc)) from None

    def send(self, options) -> None:
        periods = self._periods(options["period"]) if options["period"] else None
        progress = options["verbosity"] > 0
        if options["dry_run"]:
            if periods is None:
                periods = delivery.configured_due_periods(now=timezone.now())
            report = delivery.dry_run(periods=periods, progress=progress)
            for line in report.examples:
                self.stdout.write(line)
            self.stdout.write(
                f"dry run: would send {report.would_send}, nothing new for {report.empty}; "
                f"periods: {', '.join(p.key for p in periods) or 'none due now'}"
            )
            if report.periods_without_news:
                self.stdout.write(
                    f"no arXiv announcement, nothing to send for: {', '.join(report.periods_without_news)}"
                )
            return
        report = delivery.send_due(periods=periods, progress=progress)
        for line in report.problems:
            self.stdout.write(f"  {line}")
        self.stdout.write(report.summary())

    def preview(self, options) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{options['email']!r} is not an e-mail address") from None
        subscription = Subscription.objects.filter(email=email).first()
        if subscription is None:
            self.stderr.write(f"{email} has no subscription: previewing the default digest")
            subscription = Subscription(pk=0, email=email)
        if options["period"]:
            period = self._periods([options["period"]])[0]
        else:
            period = latest_period(
                frequency=subscription.frequency,
                now=timezone.now(),
                weekly_day=parse_weekday(settings.DIGESTS_WEEKLY_DAY),
                send_time=parse_time(settings.DIGESTS_SEND_TIME),
            )
        topics = list(subscription.topics.all()) if subscription.pk else []
        sections = DigestBuilder(period=period).sections(subscription, topics)
        if not sections:
            self.stdout.write(f"nothing to send to {email} for {period.key}")
            return
        message = DigestRenderer(period=period).message(subscription_id=subscription.pk, email=email, sections=sections)
        self.stdout.write(f"Subject: {message.subject}\nTo: {email}\n")
        self.stdout.write(message.alternatives[0][0] if options["html"] else message.body)
