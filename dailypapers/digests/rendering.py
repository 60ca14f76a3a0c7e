"""Build the e-mails: digests (text + HTML, RFC 8058 one-click unsubscribe headers), confirmations and notices."""

from __future__ import annotations

from collections import OrderedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import mark_safe

from dailypapers.digests.content import Section
from dailypapers.digests.digest_periods import WEEKLY, DigestPeriod
from dailypapers.digests.mime import DigestEmail
from dailypapers.digests.tokens import confirm_token, manage_token


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def manage_url(*, subscription_id: int, token: str | None = None) -> str:
    token = token or manage_token(subscription_id=subscription_id)
    return settings.SITE_URL + reverse("digests:manage_token", args=[token])


def unsubscribe_url(*, subscription_id: int, token: str | None = None) -> str:
    token = token or manage_token(subscription_id=subscription_id)
    return settings.SITE_URL + reverse("digests:unsubscribe", args=[token])


def confirm_url(*, subscription_id: int, email: str) -> str:
    token = confirm_token(subscription_id=subscription_id, email=email)
    return settings.SITE_URL + reverse("digests:confirm", args=[token])


def digest_message_id(*, subscription_id: int, period: DigestPeriod) -> str:
    """Stable per (subscription, period): a receiving system that dedupes by Message-ID drops any second copy."""
    return f"<digest.{period.frequency}.{period.day:%Y%m%d}.{subscription_id}@{site_domain()}>"


class DigestRenderer:
    """Renders digests of one period; each shared section is rendered once per run (bounded cache)."""

    def __init__(self, *, period: DigestPeriod):
        self.period = period
        self._text = get_template("digests/email/section.txt")
        self._html = get_template("digests/email/section.html")
        self._outer_text = get_template("digests/email/digest.txt")
        self._outer_html = get_template("digests/email/digest.html")
        self._cache: OrderedDict[str, tuple[str, str]] = OrderedDict()
        weekly = period.frequency == WEEKLY
        self.heading = f"Weekly digest, {period.label()}" if weekly else f"Daily digest, {period.label()}"
        self.subject = f"{settings.SITE_NAME}: {self.heading}"

    def _fragment(self, section: Section) -> tuple[str, str]:
        if section.shared and section.key in self._cache:
            self._cache.move_to_end(section.key)
            return self._cache[section.key]
        context = {"section": section}
        fragment = (self._text.render(context), self._html.render(context))
        if section.shared:
            self._cache[section.key] = fragment
            if len(self._cache) > 1024:
                self._cache.popitem(last=False)
        return fragment

    def message(self, *, subscription_id: int, email: str, sections: list[Section]) -> DigestEmail:
        fragments = [self._fragment(s) for s in sections]
        token = manage_token(subscription_id=subscription_id)
        unsubscribe = unsubscribe_url(subscription_id=subscription_id, token=token)
        context = {
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            "heading": self.heading,
            "email": email,
            "manage_url": manage_url(subscription_id=subscription_id, token=token),
            "unsubscribe_url": unsubscribe,
            "body_text": "\n\n".join(t.strip() for t, _ in fragments),
            "body_html": "".join(h for _, h in fragments),
        }
        text = self._outer_text.render(context)
        # body_html holds fragments rendered by our own autoescaping template: safe for the outer one.
        context["body_html"] = mark_safe(context["body_html"])
        html = self._outer_html.render(context)
        return DigestEmail(
            subject=self.subject,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email],
            body=text,
            html=html,
            headers={
                "Message-ID": digest_message_id(subscription_id=subscription_id, period=self.period),
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"{settings.SITE_NAME} digest <digest.{site_domain()}>",
                "Auto-Submitted": "auto-generated",
                "Precedence": "bulk",
            },
        )


def _simple(*, template: str, subject: str, email: str, context: dict) -> EmailMultiAlternatives:
    context = {"site_name": settings.SITE_NAME, "email": email, **context}
    text = get_template(f"digests/email/{template}.txt").render(context)
    html = get_template(f"digests/email/{template}.html").render(context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(*, subscription_id: int, email: str) -> EmailMultiAlternatives:
    return _simple(
        template="confirm",
        subject=f"Confirm your {settings.SITE_NAME} subscription",
        email=email,
        context={"confirm_url": confirm_url(subscription_id=subscription_id, email=email)},
    )


def already_subscribed_message(*, subscription_id: int, email: str) -> EmailMultiAlternatives:
    return _simple(
        template="notice",
        subject=f"Your {settings.SITE_NAME} subscription",
        email=email,
        context={"manage_url": manage_url(subscription_id=subscription_id)},
    )
