"""Hand digests to the mail system, one recipient at a time, telling apart what failed and when.

SmtpTransport speaks SMTP step by step (MAIL, RCPT, then DATA) so that the caller can record "handed over" in
the database just before DATA: a failure before that point certainly delivered nothing and is safe to retry; a
connection lost during DATA is ambiguous (the server may have accepted the message) and is reported as UNKNOWN.
Replies are classified as RFC 5321 says: 2xx sent, 4xx temporary (retry later), 5xx permanent (failed).
DjangoTransport wraps any other Django e-mail backend (console, file, locmem) for the same interface.
"""

from __future__ import annotations

import enum
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from dailypapers.digests.mime import DigestEmail

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"  # temporary: try again later
    FAILED = "failed"  # permanent: the server refused this recipient or message
    UNKNOWN = "unknown"  # the connection broke during DATA: maybe delivered, maybe not
    LOST = "lost"  # before_data() said no (another worker owns the delivery now): nothing sent


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    detail: str = ""


class TransportDown(Exception):
    """The mail server cannot be reached at all: nothing was sent."""


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {text}".strip()


def _classify(code: int) -> Outcome:
    return Outcome.FAILED if 500 <= code < 600 else Outcome.RETRY


class SmtpTransport:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        username: str = "",
        password: str = "",
        use_tls: bool = False,
        use_ssl: bool = False,
        timeout: float | None = 20,
        local_hostname: str | None = None,
    ):
        self.host, self.port, self.username, self.password = host, port, username, password
        self.use_tls, self.use_ssl, self.timeout, self.local_hostname = use_tls, use_ssl, timeout, local_hostname
        self._smtp: smtplib.SMTP | None = None

    @classmethod
    def from_settings(cls) -> SmtpTransport:
        return cls(
            host=settings.EMAIL_HOST,
            port=settings.EMAIL_PORT,
            username=settings.EMAIL_HOST_USER,
            password=settings.EMAIL_HOST_PASSWORD,
            use_tls=settings.EMAIL_USE_TLS,
            use_ssl=settings.EMAIL_USE_SSL,
            timeout=settings.EMAIL_TIMEOUT,
            local_hostname=getattr(settings, "EMAIL_LOCALNAME", None),
        )

    def open(self) -> None:
        if self._smtp is not None:
            return
        try:
            context = ssl.create_default_context()
            if self.use_ssl:
                smtp = smtplib.SMTP_SSL(
                    self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout)
                if self.use_tls:
                    smtp.starttls(context=context)
            smtp.ehlo_or_helo_if_needed()
            if self.username:
                smtp.login(self.username, self.password)
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportDown(f"cannot reach the mail server {self.host}:{self.port}: {exc}") from exc
        self._smtp = smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def _abort(self, code: int) -> None:
        if code == 421:  # the server is closing the connection
            self._drop()
            return
        try:
            self._smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()

    def send(self, message: DigestEmail | EmailMessage, *, before_data: Callable[[], bool]) -> Result:
        self.open()
        sender = parseaddr(message.from_email)[1] or message.from_email
        recipient = message.to[0]
        try:
            data = (
                message.as_bytes() if isinstance(message, DigestEmail) else message.message().as_bytes(linesep="\r\n")
            )
            try:
                code, reply = self._smtp.mail(sender)
            except smtplib.SMTPServerDisconnected:  # an idle connection the server closed: reconnect once
                self._drop()
                self.open()
                code, reply = self._smtp.mail(sender)
            smtp = self._smtp
            if code != 250:
                self._abort(code)
                return Result(Outcome.RETRY, f"sender refused: {_reply(code, reply)}")
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                self._abort(code)
                return Result(_classify(code), f"recipient refused: {_reply(code, reply)}")
        except TransportDown as exc:
            return Result(Outcome.RETRY, str(exc))
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            return Result(Outcome.RETRY, f"connection lost before sending: {exc}")
        if not before_data():
            self._abort(0)
            return Result(Outcome.LOST)
        try:
            code, reply = smtp.data(data)
        except smtplib.SMTPDataError as exc:  # DATA itself refused (no 354): the message was not transmitted
            self._abort(exc.smtp_code)
            return Result(_classify(exc.smtp_code), f"message refused: {_reply(exc.smtp_code, exc.smtp_error)}")
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            return Result(Outcome.UNKNOWN, f"connection lost while sending the message: {exc}")
        if code != 250:  # an explicit answer after the message: the server did not take it
            if code == 421:
                self._drop()
            return Result(_classify(code), f"message refused: {_reply(code, reply)}")
        return Result(Outcome.SENT)


class DjangoTransport:
    """Any Django e-mail backend (console by default): one call per message, no phases to tell apart."""

    def __init__(self):
        self.connection = get_connection(fail_silently=False)

    def open(self) -> None:
        try:
            self.connection.open()
        except OSError as exc:
            raise TransportDown(str(exc)) from exc

    def close(self) -> None:
        self.connection.close()

    def send(self, message: DigestEmail | EmailMessage, *, before_data: Callable[[], bool]) -> Result:
        if not before_data():
            return Result(Outcome.LOST)
        if isinstance(message, DigestEmail):
            message = message.as_django()
        message.connection = self.connection
        try:
            message.send()
        except Exception as exc:  # a backend's own error type is unknown here; nothing was acknowledged
            return Result(Outcome.RETRY, str(exc))
        return Result(Outcome.SENT)


def transport_from_settings() -> SmtpTransport | DjangoTransport:
    if settings.EMAIL_BACKEND == SMTP_BACKEND:
        return SmtpTransport.from_settings()
    return DjangoTransport()
