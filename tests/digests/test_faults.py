"""SMTP faults against a real server: a refused recipient fails, 4xx answers and an unreachable server are retried
later, and none of them stops the rest of the batch; every subscriber ends with at most one copy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dailypapers.core.testing import active_subscribers, digest_papers
from dailypapers.digests.delivery import send_due
from dailypapers.digests.digest_periods import parse_digest_period
from dailypapers.digests.models import DigestDelivery, Subscription
from tests.support.smtp import SmtpServer, use_smtp

pytestmark = pytest.mark.django_db
PERIOD = "daily:2026-11-25"


@pytest.fixture
def server(settings):
    settings.DIGESTS_RETRY_SECONDS = 60
    settings.DIGESTS_MAX_ATTEMPTS = 4
    smtp = SmtpServer().start()
    use_smtp(settings, smtp.port)
    digest_papers(PERIOD)
    yield smtp
    smtp.stop()


def time_passes() -> None:
    """Make the deliveries waiting for a retry due now (their back-off has elapsed)."""
    DigestDelivery.objects.filter(status="retry").update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def statuses() -> dict[str, str]:
    return dict(DigestDelivery.objects.values_list("subscription__email", "status"))


def test_it_fails_refused_recipients_retries_temporary_answers_and_sends_the_rest(server):
    handler = server.handler
    subs = [s.email for s in active_subscribers(6)]
    refused, busy_rcpt, busy_data = subs[1], subs[2], subs[4]
    handler.refuse_rcpt = {refused: "550 5.1.1 no such mailbox", busy_rcpt: "451 4.3.2 try again later"}
    handler.refuse_data = {busy_data: "451 4.7.1 greylisted"}

    report = send_due(periods=[parse_digest_period(PERIOD)])
    assert (report.sent, report.failed, report.retry) == (3, 1, 2)
    assert any(refused in line and "550" in line for line in report.problems)
    assert set(handler.counts()) == {subs[0], subs[3], subs[5]}
    assert statuses()[refused] == "failed" and statuses()[busy_rcpt] == statuses()[busy_data] == "retry"
    retry = DigestDelivery.objects.get(subscription__email=busy_rcpt)
    assert retry.next_attempt_at > timezone.now() + dt.timedelta(seconds=30) and "451" in retry.last_error

    # Not yet due: a run now sends nothing.
    assert send_due(periods=[]).sent == 0
    # The server recovers; after the back-off the two temporary failures go out, the refused one does not.
    handler.refuse_rcpt, handler.refuse_data = {refused: "550 5.1.1 no such mailbox"}, {}
    time_passes()
    report = send_due(periods=[])
    assert (report.sent, report.failed) == (2, 0)
    counts = handler.counts()
    assert counts == {email: 1 for email in subs if email != refused}
    assert statuses()[refused] == "failed"


def test_it_gives_up_after_the_last_attempt(server, settings):
    settings.DIGESTS_MAX_ATTEMPTS = 2
    [sub] = active_subscribers(1)
    server.handler.refuse_data = {sub.email: "452 4.2.2 mailbox full"}
    send_due(periods=[parse_digest_period(PERIOD)])
    time_passes()
    report = send_due(periods=[])
    assert report.failed == 1 and "gave up after 2 attempts" in report.problems[0]
    assert server.handler.messages == []


def test_it_defers_everything_while_the_server_is_down_and_sends_once_it_is_back(server, settings):
    subs = [s.email for s in active_subscribers(5)]
    server.stop()
    settings.DIGESTS_BATCH_SIZE = 2
    report = send_due(periods=[parse_digest_period(PERIOD)])
    assert report.sent == 0 and report.retry == 5 and report.failed == 0
    assert set(statuses().values()) == {"retry"}

    back = SmtpServer(port=server.port).start()
    try:
        time_passes()
        report = send_due(periods=[])
        assert report.sent == 5
        assert back.handler.counts() == dict.fromkeys(subs, 1)
        assert send_due(periods=[parse_digest_period(PERIOD)]).sent == 0  # planning again sends nobody twice
    finally:
        back.stop()


def test_it_skips_a_subscriber_who_unsubscribed_after_planning(server):
    subs = active_subscribers(2)
    period = parse_digest_period(PERIOD)
    from dailypapers.digests.delivery import SendReport, plan_period

    plan_period(period=period, now=timezone.now(), report=SendReport())
    Subscription.objects.filter(pk=subs[0].pk).update(status=Subscription.Status.UNSUBSCRIBED)
    report = send_due(periods=[period])
    assert (report.sent, report.skipped) == (1, 1)
    assert set(server.handler.counts()) == {subs[1].email}


def test_old_finished_delivery_records_are_pruned_and_unfinished_ones_kept(settings):
    from dailypapers.digests.delivery import prune_history

    subs = active_subscribers(3)
    long_ago = timezone.now() - dt.timedelta(days=settings.DIGESTS_KEEP_DAYS + 1)
    for sub, status in zip(subs, ["sent", "failed", "retry"], strict=True):
        DigestDelivery.objects.create(subscription=sub, period="daily:2026-01-05", status=status)
    DigestDelivery.objects.update(created=long_ago)
    DigestDelivery.objects.create(subscription=subs[0], period=PERIOD, status="sent")
    assert prune_history(now=timezone.now(), chunk=1) == 2
    assert sorted(DigestDelivery.objects.values_list("status", "period")) == [
        ("retry", "daily:2026-01-05"),
        ("sent", PERIOD),
    ]


@pytest.mark.django_db(transaction=True)
def test_someone_who_unsubscribes_while_the_batch_is_being_sent_gets_nothing(server):
    first, second = active_subscribers(2)

    def unsubscribe_the_second(address: str) -> None:
        if address == first.email:
            Subscription.objects.filter(pk=second.pk).update(status=Subscription.Status.UNSUBSCRIBED)

    server.handler.on_rcpt = unsubscribe_the_second
    report = send_due(periods=[parse_digest_period(PERIOD)])
    assert (report.sent, report.skipped) == (1, 1)
    assert server.handler.counts() == {first.email: 1}
